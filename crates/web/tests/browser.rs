//! The browser edge, tested in headless Chromium with the threads build
//! (`make wasm-test`): the clock, the pool, a live run, the canvas and
//! `window.lanes`.
#![cfg(target_arch = "wasm32")]
#![expect(
    clippy::expect_used,
    reason = "wasm_bindgen_test functions are tests, which clippy does not see"
)]

use std::sync::Arc;

use js_sys::{Array, Function, Reflect};
use lanes_runtime::{Cancel, RunError};
use lanes_trace::{Model, Scenario, Workload};
use lanes_web::{
    PageClock, WebError, cross_origin_isolated, draw_timeline, install_automation,
    publish_run_state, publish_traces, run_live, run_processes, start_pool,
};
use lanes_workloads::{Job, PrimeCount};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn scenario(model: Model, k: u32, size: u64) -> Scenario {
    Scenario::new(model, Workload::Primes, k, size, 16)
}

#[wasm_bindgen_test]
fn the_clock_is_wall_time_in_microseconds_and_never_goes_back() {
    use lanes_runtime::Clock;
    let a = PageClock.now_us();
    let b = PageClock.now_us();
    assert!(b >= a);
    let date_us = js_sys::Date::now() * 1000.0;
    assert!((a - date_us).abs() < 5e6, "clock {a} vs Date.now {date_us}");
}

#[wasm_bindgen_test]
async fn threads_run_live_off_the_main_thread_and_agree_with_the_twin() {
    assert!(
        cross_origin_isolated(),
        "the test server must set COOP/COEP"
    );
    let threads = start_pool().await.expect("the pool starts");
    assert_eq!(threads, 16);
    // A second start is a no-op.
    assert_eq!(start_pool().await.expect("still up"), 16);

    let size = 30_000;
    let twin = PrimeCount::new(size, 16).sequential_twin();
    let free = run_live(
        scenario(Model::Free, 3, size),
        Arc::new(Cancel::new()),
        false,
    )
    .await
    .expect("the free run finishes")
    .trace;
    free.validate().expect("a sound trace");
    assert_eq!(free.meta().and_then(|m| m.result), Some(twin));
    assert_eq!(free.lanes.len(), 3);
    assert!(free.meta().is_some_and(|m| m.cross_origin_isolated));
    let mut tasks: Vec<u32> = free.spans().iter().filter_map(|s| s.task).collect();
    tasks.sort_unstable();
    assert_eq!(tasks, (0..16).collect::<Vec<_>>());

    let seq = run_live(
        scenario(Model::Sequential, 1, size),
        Arc::new(Cancel::new()),
        false,
    )
    .await
    .expect("the sequential run finishes")
    .trace;
    assert_eq!(seq.meta().and_then(|m| m.result), Some(twin));
    assert_eq!(seq.concurrency().peak, 1);

    let cancel = Arc::new(Cancel::new());
    cancel.cancel();
    let cancelled = run_live(scenario(Model::Free, 2, size), cancel, false).await;
    assert!(cancelled.is_err(), "a cancelled run reports it");
}

/// Real process workers need `process-worker.js` beside the page, which this
/// test server does not serve; `tests/processes.test.mjs` runs them in the
/// built page. Here: what is refused before any worker starts, a worker
/// that cannot load, and Cancel.
#[wasm_bindgen_test]
async fn processes_refuse_what_they_cannot_run_and_say_why_none_could_start() {
    let go = || Arc::new(Cancel::new());
    let mixed = Scenario::new(Model::Processes, Workload::Mixed, 2, 1_000, 16);
    let refused = run_processes(mixed, go(), false).await.map(|r| r.trace);
    assert!(
        matches!(
            refused,
            Err(WebError::NotForProcesses {
                workload: Workload::Mixed,
                ..
            })
        ),
        "{refused:?}"
    );
    let ui = Scenario::new(Model::Processes, Workload::Ui, 2, 1_000, 16);
    let refused = run_processes(ui, go(), false).await.map(|r| r.trace);
    assert!(
        matches!(refused, Err(WebError::Run(RunError::Unsupported { .. }))),
        "{refused:?}"
    );
    let many = run_processes(scenario(Model::Processes, 17, 1_000), go(), false).await;
    assert!(
        matches!(many, Err(WebError::Run(RunError::ThreadCount(17)))),
        "{:?}",
        many.map(|r| r.trace)
    );

    // The test page serves neither the worker module nor the workers'
    // script: no process can start, and the run says why. (A script that
    // does not load, with the module there, names its process: the browser
    // suite's processes test.)
    let missing = run_processes(scenario(Model::Processes, 2, 1_000), go(), false).await;
    let why = missing.map(|r| r.trace).expect_err("no worker module here");
    assert!(
        matches!(&why, WebError::ProcessStart(why) if why.contains("the worker module did not load")),
        "{why:?}"
    );
    assert!(
        why.to_string()
            .starts_with("the processes could not start: "),
        "{why}"
    );

    let cancel = go();
    cancel.cancel();
    let cancelled = run_processes(scenario(Model::Processes, 4, 100_000), cancel, false).await;
    assert!(
        matches!(cancelled, Err(WebError::Run(RunError::Cancelled))),
        "{:?}",
        cancelled.map(|r| r.trace)
    );

    // run_live sends processes here, pool or not; the memory figures come
    // only with a run that finished.
    assert!(
        run_live(scenario(Model::Processes, 1, 1_000), go(), false)
            .await
            .is_err()
    );
}

#[wasm_bindgen_test]
fn draws_a_trace_on_a_canvas_and_sizes_it() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .expect("a canvas")
        .dyn_into()
        .expect("is a canvas");
    canvas
        .style()
        .set_property("width", "800px")
        .expect("styled");
    document
        .body()
        .expect("a body")
        .append_child(&canvas)
        .expect("attached");
    let trace = lanes_trace::Trace::new(
        lanes_trace::Meta {
            scenario: scenario(Model::Free, 2, 1000),
            mode: lanes_trace::Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "test".to_owned(),
            result: Some(168),
            seed: None,
        },
        vec![
            lanes_trace::Lane::thread("Thread 1"),
            lanes_trace::Lane::thread("Thread 2"),
        ],
        vec![],
    );
    let views = [lanes_render::RunView {
        trace: &trace,
        speedup: Some(1.5),
        stacks: &[],
    }];
    draw_timeline(
        &canvas,
        &views,
        &lanes_render::TimelineStyle::default(),
        &lanes_render::View::default(),
    )
    .expect("drawn");
    assert!(canvas.width() >= 800);
    assert!(canvas.height() > 100);
}

#[wasm_bindgen_test]
fn window_lanes_reports_published_traces_and_state() {
    install_automation().expect("installed");
    let lanes = Reflect::get(&js_sys::global(), &"lanes".into()).expect("window.lanes");
    let call = |name: &str| -> JsValue {
        let f: Function = Reflect::get(&lanes, &name.into())
            .expect("a method")
            .unchecked_into();
        f.call0(&lanes).expect("callable")
    };
    publish_run_state("running");
    assert_eq!(call("runState").as_string().as_deref(), Some("running"));
    let free = lanes_sim::simulate(
        &scenario(Model::Free, 2, 1_000),
        &lanes_sim::CostModel::reference(),
        &lanes_sim::Options { cores: 2, seed: 1 },
    )
    .expect("simulated");
    publish_traces(&[std::rc::Rc::new(free)]);
    let traces: Array = call("traces").unchecked_into();
    assert!(traces.length() >= 1);
    let last = traces.get(traces.length() - 1);
    let meta = Reflect::get(&last, &"metadata".into()).expect("metadata");
    assert_eq!(
        Reflect::get(&meta, &"model".into())
            .expect("model")
            .as_string()
            .as_deref(),
        Some("free")
    );
}

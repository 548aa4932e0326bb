//! `window.lanes`: the page's automation surface for tests, benchmarks and
//! slide tools. It only grows: nothing it has promised is removed or renamed.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use js_sys::{Array, JSON, Object, Reflect};
use lanes_trace::{Scenario, Trace};
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// A run the page keeps, with its Chrome JSON once `traces()` asked for it.
type Kept = (Rc<Trace>, OnceCell<String>);

thread_local! {
    /// The page's finished runs, as the page last told them.
    static TRACES: RefCell<Vec<Kept>> = const { RefCell::new(Vec::new()) };
    /// What `processMemory()` answers.
    static PROCESS_MEMORY: RefCell<JsValue> = const { RefCell::new(JsValue::NULL) };
    static RUN_STATE: Cell<&'static str> = const { Cell::new("idle") };
    /// When Cancel was pressed (ms on the main thread's clock), until the
    /// cancelled run has really stopped.
    static CANCEL_AT: Cell<Option<f64>> = const { Cell::new(None) };
    /// How long the last cancelled run took to stop, in ms.
    static CANCEL_MS: Cell<Option<f64>> = const { Cell::new(None) };
}

fn now_ms() -> Option<f64> {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
}

/// Notes that Cancel was pressed; [`publish_cancel_done`] measures from here.
pub fn publish_cancel_requested() {
    CANCEL_AT.with(|c| c.set(now_ms()));
}

/// Notes that the cancelled run has really stopped (its threads, workers or
/// loop returned): `window.lanes.cancelLatencyMs()` then says how long that
/// took after Cancel was pressed.
pub fn publish_cancel_done() {
    if let (Some(at), Some(now)) = (CANCEL_AT.with(Cell::take), now_ms()) {
        CANCEL_MS.with(|c| c.set(Some(now - at)));
    }
}

/// Sets the runs `window.lanes.traces()` answers: the page's kept runs,
/// oldest first (the page bounds them). Each is written as Chrome Trace
/// Event JSON the first time `traces()` is called after it came, once.
pub fn publish_traces(kept: &[Rc<Trace>]) {
    TRACES.with_borrow_mut(|traces| {
        let mut before = std::mem::take(traces);
        for trace in kept {
            let json = before
                .iter()
                .position(|(t, _)| Rc::ptr_eq(t, trace))
                .map_or_else(OnceCell::new, |i| before.swap_remove(i).1);
            traces.push((Rc::clone(trace), json));
        }
    });
}

/// Sets what `window.lanes.runState()` answers ("idle", "running", "done",
/// "error" or "cancelled"), mirroring `data-run-state`.
pub fn publish_run_state(state: &'static str) {
    RUN_STATE.with(|s| s.set(state));
}

/// `window.lanes.bench`: `redraw(spans, reps)` returns median
/// milliseconds, `importTrace(events, reps)` resolves to them (the import
/// runs in a worker), and `tracing(size, k, reps)` resolves
/// to `{traced_ms, untraced_ms}`, for `make bench`.
fn bench_api() -> Result<Object, JsValue> {
    let bench = Object::new();
    let redraw = Closure::<dyn Fn(u32, u32) -> Result<f64, JsValue>>::new(crate::bench::redraw_ms);
    let import = Closure::<dyn Fn(u32, u32) -> js_sys::Promise>::new(|events, reps| {
        wasm_bindgen_futures::future_to_promise(async move {
            crate::bench::import_ms(events, reps)
                .await
                .map(JsValue::from)
        })
    });
    Reflect::set(&bench, &"redraw".into(), &redraw.into_js_value())?;
    Reflect::set(&bench, &"importTrace".into(), &import.into_js_value())?;
    let tracing = Closure::<dyn Fn(u32, u32, u32) -> js_sys::Promise>::new(|size, k, reps| {
        wasm_bindgen_futures::future_to_promise(async move {
            let (traced, untraced) = crate::bench::tracing_ms(size, k, reps).await?;
            Ok(object([
                ("traced_ms", traced.into()),
                ("untraced_ms", untraced.into()),
            ]))
        })
    });
    Reflect::set(&bench, &"tracing".into(), &tracing.into_js_value())?;
    Ok(bench)
}

/// Sets what `window.lanes.processMemory()` answers: the latest processes
/// run's memory, as `{model, workload, k, size, main_bytes,
/// bytes_per_process}`, or `null` (none yet, or one is running).
pub fn publish_process_memory(memory: Option<(&Scenario, &[u64], u64)>) {
    let value = memory.map_or(JsValue::NULL, |(scenario, per_process, main_bytes)| {
        let per_process: Array = per_process.iter().map(|&b| number(b)).collect();
        object([
            ("model", scenario.model.as_str().into()),
            ("workload", scenario.workload.as_str().into()),
            ("k", scenario.k.into()),
            ("size", number(scenario.size)),
            ("main_bytes", number(main_bytes)),
            ("bytes_per_process", per_process.into()),
        ])
    });
    PROCESS_MEMORY.set(value);
}

/// A plain object with `fields`.
fn object<const N: usize>(fields: [(&str, JsValue); N]) -> JsValue {
    let out = Object::new();
    for (key, value) in fields {
        // Setting a field on a fresh plain object cannot fail.
        let _ = Reflect::set(&out, &key.into(), &value);
    }
    out.into()
}

/// A count or a size as a JS number.
fn number(n: u64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// `window.lanes.memory()`: what the page holds now, as `{wasm_bytes,
/// heap_bytes, heap_peak_bytes, run_cap_bytes, workers: {pool, processes,
/// solo}}`. `wasm_bytes` is the size of the page's shared wasm memory (it
/// only grows); `heap_bytes` what is allocated in it now, by every thread;
/// `run_cap_bytes` the most one run's timeline may take; `workers` the
/// pool's threads, the idle process workers kept warm, and the solo worker
/// (1 when alive).
fn memory_now() -> JsValue {
    let workers = object([
        ("pool", number(crate::pool_threads().unwrap_or(0) as u64)),
        ("processes", number(crate::idle_processes() as u64)),
        ("solo", number(u64::from(crate::solo_worker_alive()))),
    ]);
    object([
        ("wasm_bytes", number(lanes_clock::wasm_memory_bytes())),
        ("heap_bytes", number(crate::heap_live_bytes() as u64)),
        ("heap_peak_bytes", number(crate::heap_peak_bytes() as u64)),
        ("run_cap_bytes", number(lanes_sim::RUN_MEMORY_CAP)),
        ("workers", workers),
    ])
}

/// `window.lanes.audio()`: `{underruns, unavailable}`: the underruns the
/// AudioWorklet itself counted in the latest (or current) playback, and
/// why this page cannot play the audio lesson live (`null` when it can).
fn audio_now() -> JsValue {
    object([
        ("underruns", crate::live_underruns().into()),
        (
            "unavailable",
            crate::audio_unavailable().map_or(JsValue::NULL, JsValue::from_str),
        ),
    ])
}

/// Installs `window.lanes` with `traces()`, `runState()`,
/// `processMemory()`, `memory()`, `audio()`, `cancelLatencyMs()`,
/// `injectFault(kind)`, `version` and `bench`. `injectFault("process-trap" | "solo-trap" |
/// "thread-trap")` makes the next processes run's first process, the next
/// run in the solo worker, or a thread of the pool as the next run on it
/// starts, trap (tests of a dying worker); it answers whether it knew the
/// kind.
pub fn install_automation() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let api = Object::new();
    let traces = Closure::<dyn Fn() -> Array>::new(|| {
        TRACES.with_borrow(|traces| {
            traces
                .iter()
                .map(|(trace, json)| json.get_or_init(|| lanes_trace::to_chrome_json(trace)))
                .filter_map(|json| JSON::parse(json).ok())
                .collect::<Array>()
        })
    });
    let run_state =
        Closure::<dyn Fn() -> JsValue>::new(|| RUN_STATE.with(|s| JsValue::from_str(s.get())));
    // window.lanes lives as long as the page, so its closures must too:
    // into_js_value hands them to JS for good.
    Reflect::set(&api, &"traces".into(), &traces.into_js_value())?;
    Reflect::set(&api, &"runState".into(), &run_state.into_js_value())?;
    let memory = Closure::<dyn Fn() -> JsValue>::new(|| PROCESS_MEMORY.with_borrow(Clone::clone));
    Reflect::set(&api, &"processMemory".into(), &memory.into_js_value())?;
    let memory_now = Closure::<dyn Fn() -> JsValue>::new(memory_now);
    Reflect::set(&api, &"memory".into(), &memory_now.into_js_value())?;
    let audio_now = Closure::<dyn Fn() -> JsValue>::new(audio_now);
    Reflect::set(&api, &"audio".into(), &audio_now.into_js_value())?;
    let cancel_ms = Closure::<dyn Fn() -> JsValue>::new(|| {
        CANCEL_MS.with(|c| c.get().map_or(JsValue::NULL, JsValue::from_f64))
    });
    Reflect::set(&api, &"cancelLatencyMs".into(), &cancel_ms.into_js_value())?;
    let inject = Closure::<dyn Fn(String) -> bool>::new(|name: String| {
        crate::Fault::parse(&name).map(crate::faults::arm).is_some()
    });
    Reflect::set(&api, &"injectFault".into(), &inject.into_js_value())?;
    Reflect::set(&api, &"version".into(), &env!("CARGO_PKG_VERSION").into())?;
    Reflect::set(&api, &"bench".into(), bench_api()?.as_ref())?;
    Reflect::set(&window, &"lanes".into(), &api)?;
    Ok(())
}

//! `window.lanes.bench`: timings for `make bench`, measured in the page's own
//! wasm: redrawing the timeline and importing a trace. Figures only.

use lanes_render::{RunView, TimelineStyle, View};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Performance};

/// Lanes of the synthetic traces.
const LANES: u32 = 8;

fn performance() -> Result<Performance, JsValue> {
    web_sys::window()
        .and_then(|w| w.performance())
        .ok_or_else(|| JsValue::from_str("no performance clock"))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Median ms to draw a synthetic trace of about `spans` spans on a 1280×720
/// canvas, `reps` times, each finished by reading a pixel back so that the
/// browser really rasterised it.
pub fn redraw_ms(spans: u32, reps: u32) -> Result<f64, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    canvas.set_width(1280);
    canvas.set_height(720);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D context"))?
        .unchecked_into();
    let trace = lanes_trace::synthetic::trace(LANES, (spans / LANES).max(1));
    let runs = [RunView {
        trace: &trace,
        speedup: None,
        stacks: &[],
    }];
    let style = TimelineStyle {
        strip: true,
        ..TimelineStyle::default()
    };
    let clock = performance()?;
    let mut times = Vec::new();
    for _ in 0..reps.max(1) {
        let start = clock.now();
        let backend = CanvasBackend::with_canvas_object(canvas.clone())
            .ok_or_else(|| JsValue::from_str("no canvas backend"))?;
        let area = backend.into_drawing_area();
        lanes_render::draw_timeline_view(&area, &runs, &style, &View::default())
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        context.get_image_data(0.0, 0.0, 1.0, 1.0)?;
        times.push(clock.now() - start);
    }
    Ok(median(times))
}

/// Median ms to import a Chrome trace of about `events` complete events
/// (made by exporting a synthetic trace), `reps` times, as the page opens
/// a file once read: a worker started with the worker module reads it,
/// and its traces are decoded here.
pub async fn import_ms(events: u32, reps: u32) -> Result<f64, JsValue> {
    let trace = lanes_trace::synthetic::trace(LANES, (events / LANES).max(1));
    let json = lanes_trace::to_chrome_json(&trace);
    let clock = performance()?;
    let cancel = lanes_runtime::Cancel::new();
    let mut times = Vec::new();
    for _ in 0..reps.max(1) {
        let bytes = js_sys::Uint8Array::from(json.as_bytes()).buffer();
        let start = clock.now();
        let imported = crate::import_bytes(bytes, &cancel, &|_| {})
            .await
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        times.push(clock.now() - start);
        drop(imported);
    }
    Ok(median(times))
}

/// Median ms of a free-threads prime count with `k` threads, traced (as the
/// page runs it) and untraced (no clock, no spans), alternated `reps` times
/// on the pool after a warm-up: the cost of tracing in the page's own wasm.
pub async fn tracing_ms(size: u32, k: u32, reps: u32) -> Result<(f64, f64), JsValue> {
    use std::sync::Arc;

    use lanes_runtime::{Cancel, Clock, run, run_untraced};
    use lanes_trace::{Model, Scenario, Workload};

    if crate::pool_threads().is_none() {
        return Err(JsValue::from_str("the worker threads are not ready"));
    }
    let env = crate::environment();
    let scenario = Scenario::new(Model::Free, Workload::Primes, k, u64::from(size), 32);
    let (done, answer) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        let clock = crate::PageClock;
        let cancel = Arc::new(Cancel::new());
        let (mut traced, mut untraced) = (Vec::new(), Vec::new());
        let mut outcome = Ok(());
        for rep in 0..=reps.max(1) {
            let start = clock.now_us();
            let a = run(&scenario, &clock, &env, &cancel).map(|_| ());
            let middle = clock.now_us();
            let b = run_untraced(&scenario, &cancel).map(|_| ());
            let end = clock.now_us();
            if let Err(e) = a.and(b) {
                outcome = Err(e.to_string());
                break;
            }
            if rep > 0 {
                traced.push((middle - start) / 1000.0);
                untraced.push((end - middle) / 1000.0);
            }
        }
        let _ = done.send(outcome.map(|()| (median(traced), median(untraced))));
    });
    answer
        .await
        .map_err(|_| JsValue::from_str("the worker stopped without an answer"))?
        .map_err(|e| JsValue::from_str(&e))
}

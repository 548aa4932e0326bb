//! The page's clock, aligned across workers.

use std::cell::OnceCell;

use js_sys::Reflect;
use lanes_runtime::Clock;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Performance;

thread_local! {
    static PERFORMANCE: OnceCell<Option<Performance>> = const { OnceCell::new() };
}

/// Microseconds since the Unix epoch, from `performance.timeOrigin +
/// performance.now()`. Each worker has its own `performance.now()` origin;
/// adding `timeOrigin` puts every thread on one axis.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageClock;

impl Clock for PageClock {
    fn now_us(&self) -> f64 {
        PERFORMANCE.with(|cell| {
            cell.get_or_init(|| {
                Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
                    .ok()
                    .and_then(|p| p.dyn_into::<Performance>().ok())
            })
            .as_ref()
            .map_or(0.0, |p| (p.time_origin() + p.now()) * 1000.0)
        })
    }
}

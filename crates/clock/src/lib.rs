#![doc = include_str!("../README.md")]
// Browser code only: on other targets the crate is empty.
#![cfg(target_arch = "wasm32")]

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

/// The size of a `WebAssembly.Memory` (`memory.buffer.byteLength`), 0 if
/// it cannot be read.
pub fn memory_bytes(memory: &JsValue) -> u64 {
    Reflect::get(memory, &JsValue::from_str("buffer"))
        .and_then(|buffer| Reflect::get(&buffer, &JsValue::from_str("byteLength")))
        .ok()
        .and_then(|n| n.as_f64())
        .map_or(0, |n| n as u64)
}

/// The size of this instance's own wasm memory, in bytes.
pub fn wasm_memory_bytes() -> u64 {
    memory_bytes(&wasm_bindgen::memory())
}

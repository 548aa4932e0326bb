//! Facts about the page and the machine it runs on.

use js_sys::Reflect;
use lanes_runtime::Environment;
use wasm_bindgen::{JsCast, JsValue};

/// Whether the page has shared memory (`crossOriginIsolated`), on any thread.
pub fn cross_origin_isolated() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("crossOriginIsolated"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The machine and browser, for a run's metadata. Call on the main thread.
pub fn environment() -> Environment {
    let (cores, agent) = match web_sys::window() {
        Some(w) => {
            let n = w.navigator();
            (n.hardware_concurrency(), n.user_agent().unwrap_or_default())
        }
        None => {
            let n = js_sys::global()
                .unchecked_into::<web_sys::WorkerGlobalScope>()
                .navigator();
            (n.hardware_concurrency(), n.user_agent().unwrap_or_default())
        }
    };
    Environment {
        // hardwareConcurrency is a small positive integer; clamp anything odd
        // (`as` saturates, and maps NaN to 0).
        cores: (cores as u32).clamp(1, 1024),
        cross_origin_isolated: cross_origin_isolated(),
        name: agent,
    }
}

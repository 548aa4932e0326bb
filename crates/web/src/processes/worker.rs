//! The function a process worker calls (`www/process-worker.js`): runs its
//! job on the payload it was sent, in its own wasm instance and memory.

use lanes_runtime::Clock;
use wasm_bindgen::prelude::*;

use crate::PageClock;
use lanes_runtime::processes::compute::run_job;
use lanes_runtime::processes::protocol::{Job, Report};

/// Runs one process's job and returns its [`Report`] as JSON.
///
/// `job` is a [`Job`] as JSON; `payload` the bytes sent with it, which the
/// glue has copied into this instance's memory before this runs, so the
/// first stamp marks the end of the copy in. Called by
/// `www/process-worker.js` only; errors are thrown as strings.
#[wasm_bindgen]
pub fn lanes_process_run(job: &str, payload: &[u8]) -> Result<String, JsValue> {
    let unpacked_us = PageClock.now_us();
    let job: Job = serde_json::from_str(job)
        .map_err(|e| JsValue::from_str(&format!("its job could not be read: {e}")))?;
    let share =
        run_job(&job, payload, &PageClock).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let report = Report {
        unpacked_us,
        spans: share.spans,
        result: share.result,
        memory_bytes: memory_bytes(&wasm_bindgen::memory()),
        copy_out_us: PageClock.now_us(),
    };
    serde_json::to_string(&report)
        .map_err(|e| JsValue::from_str(&format!("its report could not be written: {e}")))
}

/// The size of a `WebAssembly.Memory` (`memory.buffer.byteLength`), 0 if
/// it cannot be read.
pub(crate) fn memory_bytes(memory: &JsValue) -> u64 {
    js_sys::Reflect::get(memory, &JsValue::from_str("buffer"))
        .and_then(|buffer| js_sys::Reflect::get(&buffer, &JsValue::from_str("byteLength")))
        .ok()
        .and_then(|n| n.as_f64())
        .map_or(0, |n| n as u64)
}

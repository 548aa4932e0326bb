//! One process's job: run on the payload it was sent, in this worker's own
//! wasm instance and memory.

use lanes_clock::{PageClock, wasm_memory_bytes};
use lanes_runtime::Clock;
use lanes_runtime::processes::compute::run_job;
use lanes_runtime::processes::protocol::{Job, Report};
use wasm_bindgen::prelude::*;

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
        memory_bytes: wasm_memory_bytes(),
        copy_out_us: PageClock.now_us(),
    };
    serde_json::to_string(&report)
        .map_err(|e| JsValue::from_str(&format!("its report could not be written: {e}")))
}

//! A whole scenario on the solo worker's one thread (a page without a
//! thread pool; `lanes-web`'s `solo`).

use lanes_clock::PageClock;
use lanes_runtime::{SoloJob, ThreadSleeper};
use wasm_bindgen::prelude::*;

/// Runs a [`SoloJob`] (JSON) on this worker's one thread and returns its
/// trace as [`lanes_trace::encode`] bytes. Called by
/// `www/process-worker.js` only; errors are thrown as strings, in words
/// for the page.
#[wasm_bindgen]
pub fn lanes_solo_run(job: &str) -> Result<Vec<u8>, JsValue> {
    let job: SoloJob = serde_json::from_str(job)
        .map_err(|e| JsValue::from_str(&format!("its job could not be read: {e}")))?;
    let trace = job
        .run(&PageClock, &ThreadSleeper)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(lanes_trace::encode(std::slice::from_ref(&trace)))
}

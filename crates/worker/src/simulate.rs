//! A simulation, for a page without a thread pool (`lanes-web`'s
//! `simulate_off_main`): the simulator never runs on the page's main thread.

use lanes_sim::SimJob;
use wasm_bindgen::prelude::*;

/// Simulates a [`SimJob`] (JSON) and returns its trace as
/// [`lanes_trace::encode`] bytes. Called by `www/process-worker.js` only;
/// errors are thrown as strings, in words for the page.
#[wasm_bindgen]
pub fn lanes_simulate(job: &str) -> Result<Vec<u8>, JsValue> {
    let job: SimJob = serde_json::from_str(job)
        .map_err(|e| JsValue::from_str(&format!("its simulation could not be read: {e}")))?;
    let trace = job.run().map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(lanes_trace::encode(std::slice::from_ref(&trace)))
}

//! A trace file opened on the page, read here, off the page's main thread.

use js_sys::{Function, Object, Reflect, Uint8Array};
use lanes_trace::{ImportLimits, ImportPhase, ImportProgress};
use wasm_bindgen::prelude::*;

/// Reads `bytes` (a Chrome Trace Event JSON file, as the user's file holds
/// it) with the import's default limits. Calls `progress(phase, done,
/// total)` now and then (a bounded number of times: `phase` is "reading"
/// or "building"), and returns `{traces, summary}`: the traces as
/// [`lanes_trace::encode`] bytes and the import's report in words. A file
/// that is not a readable trace throws the import's message, in words.
#[wasm_bindgen]
pub fn lanes_import(bytes: &[u8], progress: &Function) -> Result<Object, JsValue> {
    let mut report = |p: ImportProgress| {
        let phase = match p.phase {
            ImportPhase::Reading => "reading",
            ImportPhase::Building => "building",
        };
        // A page that stopped listening loses nothing: the import goes on.
        let _ = progress.call3(
            &JsValue::NULL,
            &JsValue::from_str(phase),
            &JsValue::from_f64(p.done as f64),
            &JsValue::from_f64(p.total as f64),
        );
    };
    let imported = lanes_trace::from_chrome_bytes(bytes, &ImportLimits::DEFAULT, &mut report)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let encoded = lanes_trace::encode(&imported.traces);
    let out = Object::new();
    Reflect::set(
        &out,
        &"traces".into(),
        &Uint8Array::from(encoded.as_slice()),
    )?;
    Reflect::set(&out, &"summary".into(), &imported.report.to_string().into())?;
    Ok(out)
}

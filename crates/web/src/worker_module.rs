//! The worker module, as the page hands it to its workers: compiled once
//! per page and given to every worker it starts, so a process or the solo
//! worker instantiates it and never compiles it.
//!
//! The worker module (`lanes-worker`: the kernels, the runtime, the trace
//! import) is the second of Lanes' two wasm modules; the page's own
//! (`lanes-app`) holds the UI, the drawing and the thread pool. Its script
//! is `process-worker.js` beside the page: the build puts the module's
//! wasm-bindgen glue (`--target no-modules`) in front of
//! `www/process-worker.js`, so a worker needs one classic script and
//! nothing else. The page fetches that script once too and starts every
//! worker from a `blob:` copy of it, so a process's start never waits for
//! the network (a revalidation per worker, a round trip on a real host) —
//! unless the page's Content-Security-Policy would refuse a `blob:` worker
//! (its `worker-src`, or what that falls back to, lacks `blob:`): then
//! workers start from the script's own URL.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Worker, WorkerOptions};

use crate::WebError;
use crate::processes::workers::words;

/// The worker module's wasm, beside the page's `index.html`.
const MODULE_FILE: &str = "pkg/lanes_worker_bg.wasm";
/// Every worker's script, beside the page's `index.html`.
const WORKER_SCRIPT: &str = "process-worker.js";

#[wasm_bindgen(inline_js = r#"
let compiling = null;
// One compilation per page, shared by every caller; a failure is not kept,
// so the next run tries again (a network that came back, say).
export function compile_once(url) {
  compiling ??= compile(url).catch((error) => {
    compiling = null;
    throw error;
  });
  return compiling;
}
// Starts the compilation; whoever awaits it next hears of a failure.
export function prefetch(url, script) {
  compile_once(url).catch(() => {});
  worker_script(script);
}
let scriptUrl = null;
// The URL to start workers from: a blob: copy of the script when the
// page's policy allows it, else the script's own URL. Never rejects.
export function worker_script(url) {
  scriptUrl ??= blobCopy(url).catch(() => url);
  return scriptUrl;
}
async function blobCopy(url) {
  if (!(await blobWorkersAllowed())) return url;
  const response = await fetch(url);
  if (!response.ok) return url;
  return URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
}
// Whether every policy of the page (its headers, read again from the page
// as a GET without its query, which the offline copy answers too, and its
// <meta> tags) lets a worker start from blob:.
async function blobWorkersAllowed() {
  const policies = [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')]
    .map((m) => m.content);
  const page = await fetch(new URL(location.pathname, location.origin));
  await page.body?.cancel();
  policies.push(...(page.headers.get('Content-Security-Policy') ?? '').split(','));
  return policies.every((policy) => {
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name).map(([name, ...values]) => [name.toLowerCase(), values]));
    const sources = ['worker-src', 'child-src', 'script-src', 'default-src']
      .map((name) => directives.get(name)).find((values) => values !== undefined);
    return sources === undefined || sources.some((s) => s.toLowerCase() === 'blob:');
  });
}
async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} could not be loaded (HTTP ${response.status})`);
  if (typeof WebAssembly.compileStreaming === 'function' &&
      (response.headers.get('Content-Type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  // A host that serves .wasm with another type: compile from the bytes.
  return WebAssembly.compile(await response.arrayBuffer());
}
"#)]
extern "C" {
    fn compile_once(url: &str) -> Promise;
    fn prefetch(url: &str, script: &str);
    fn worker_script(url: &str) -> Promise;
}

/// What a worker is started from: its script and the compiled module.
#[derive(Debug)]
pub(crate) struct WorkerModule {
    /// The worker module, compiled (a `WebAssembly.Module`), to post in `init`.
    pub(crate) module: JsValue,
    /// Where to start a worker from ([`worker_script_url`]).
    pub(crate) script: String,
}

/// The worker module, compiled, and the workers' script: at the first call
/// this fetches and compiles the module (streaming) and fetches the
/// script; later calls get the same at once.
pub(crate) async fn worker_module() -> Result<WorkerModule, WebError> {
    let url = beside_page(MODULE_FILE)?;
    let module = JsFuture::from(compile_once(&url)).await.map_err(|e| {
        WebError::ProcessStart(format!("the worker module did not load: {}", words(&e)))
    })?;
    Ok(WorkerModule {
        module,
        script: worker_script_url().await?,
    })
}

/// Starts compiling the worker module and fetching the workers' script
/// now, if nothing has, so that the first run waits for neither. Failures
/// are left for the first run to report.
pub fn prefetch_worker_module() {
    if let (Ok(url), Ok(script)) = (beside_page(MODULE_FILE), beside_page(WORKER_SCRIPT)) {
        prefetch(&url, &script);
    }
}

/// Where workers start from: a `blob:` copy of `process-worker.js`, or
/// its URL (see the module's docs). Fetched once per page.
async fn worker_script_url() -> Result<String, WebError> {
    let url = beside_page(WORKER_SCRIPT)?;
    Ok(JsFuture::from(worker_script(&url))
        .await
        .ok()
        .and_then(|u| u.as_string())
        .unwrap_or(url))
}

/// A new worker running the script at `url` (from [`worker_script_url`]),
/// named `name` (shown by the browser's developer tools). It still needs
/// the module: post it `init`.
pub(crate) fn start_worker(url: &str, name: &str) -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_name(name);
    Worker::new_with_options(url, &options).map_err(|e| words(&e))
}

/// `file`'s URL, beside the page's `index.html`.
fn beside_page(file: &str) -> Result<String, WebError> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| {
            WebError::ProcessStart("workers are started from the page's main thread".to_owned())
        })?;
    web_sys::Url::new_with_base(file, &base)
        .map(|u| u.href())
        .map_err(|e| WebError::ProcessStart(words(&e)))
}

/// The traces a worker sent back as `lanes_trace::encode` bytes (a
/// `Uint8Array`), decoded: never empty. The error says what was wrong, in
/// words.
pub(crate) fn traces_from(bytes: JsValue) -> Result<Vec<lanes_trace::Trace>, String> {
    let bytes = bytes
        .dyn_into::<js_sys::Uint8Array>()
        .map_err(|_| "its traces came back in another form".to_owned())?
        .to_vec();
    let traces = lanes_trace::decode(&bytes).map_err(|e| e.to_string())?;
    if traces.is_empty() {
        return Err("its traces are missing".to_owned());
    }
    Ok(traces)
}

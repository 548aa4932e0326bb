//! Facts about the page and the machine it runs on.

use js_sys::{Object, Reflect};
use lanes_runtime::Environment;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::MessageChannel;

/// Whether the page has shared memory (`crossOriginIsolated`), on any thread.
pub fn cross_origin_isolated() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("crossOriginIsolated"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Why this page can have no pool of threads over one shared memory, in
/// words a learner understands (each names what the browser lacks, not an
/// exception).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoThreads {
    /// Shared memory is off because the page lacks COOP/COEP headers (or a
    /// frame lacks the permission).
    #[error(
        "this page is not cross-origin isolated, so the browser gives it no shared memory for \
         threads; serve it with the headers Cross-Origin-Opener-Policy: same-origin and \
         Cross-Origin-Embedder-Policy: require-corp"
    )]
    NotIsolated,
    /// Isolated, but the engine will not send shared memory to a worker
    /// (seen in WebKitGTK: no `SharedArrayBuffer`, and posting a shared
    /// `WebAssembly.Memory` throws).
    #[error(
        "this browser will not send shared memory to a worker (it has no SharedArrayBuffer), so \
         threads that run at once in one memory are not possible here"
    )]
    NoSharedMemory,
}

/// What this engine really offers for a pool of threads, feature-detected
/// (never guessed from `crossOriginIsolated` or the user agent): an isolated
/// page and a shared `WebAssembly.Memory` that can be posted to a worker.
/// `Ok` does not promise the pool starts (a worker may still fail to load),
/// only that nothing known is missing.
pub fn threads_possible() -> Result<(), NoThreads> {
    if !cross_origin_isolated() {
        return Err(NoThreads::NotIsolated);
    }
    if !shared_memory_postable() {
        return Err(NoThreads::NoSharedMemory);
    }
    Ok(())
}

/// Whether a shared `WebAssembly.Memory` can be posted (structured-cloned)
/// to another agent, as the pool's workers are sent theirs at start.
fn shared_memory_postable() -> bool {
    let descriptor = Object::new();
    for (key, value) in [
        ("initial", JsValue::from(1)),
        ("maximum", JsValue::from(1)),
        ("shared", JsValue::TRUE),
    ] {
        if Reflect::set(&descriptor, &JsValue::from_str(key), &value).is_err() {
            return false;
        }
    }
    let Ok(memory) = js_sys::WebAssembly::Memory::new(&descriptor) else {
        return false;
    };
    let Ok(channel) = MessageChannel::new() else {
        return false;
    };
    let posted = channel.port1().post_message(&memory).is_ok();
    channel.port1().close();
    channel.port2().close();
    posted
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

/// The mark the page leaves on the performance timeline the first time Run
/// is enabled (the module loaded, the app mounted, the pool up or known to
/// be missing): `performance.getEntriesByName('lanes:run-enabled')`, for
/// `make bench` and slide tools that wait for the page to be usable.
pub const RUN_ENABLED_MARK: &str = "lanes:run-enabled";

/// Marks `name` on the page's performance timeline, once per page.
pub fn mark_once(name: &str) {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    if performance.get_entries_by_name(name).length() == 0 {
        // A browser that refuses marks loses only the figure.
        let _ = performance.mark(name);
    }
}

/// Resolves after `ms` milliseconds (a timeout), without blocking the main
/// thread; at once where no timer can be set.
pub async fn after_ms(ms: i32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .is_err()
        {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    // A timeout's promise never rejects.
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves on a later turn of the page's event loop (a zero timeout), so
/// that the page can draw and handle input in between: long work on the
/// main thread is cut into tasks with it.
pub async fn next_turn() {
    after_ms(0).await;
}

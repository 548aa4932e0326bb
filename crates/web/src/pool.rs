//! The pool of worker threads: wasm-bindgen-rayon's web workers over the
//! page's shared memory.

use std::sync::atomic::{AtomicU8, Ordering};

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::WebError;
use crate::page::threads_possible;

/// Threads in the pool: enough that a run of k threads, for every k from 1 to
/// 16, gets k threads of its own whatever the core count; the cores are shared
/// among them, as they are among Python threads.
pub const POOL_THREADS: usize = lanes_runtime::MAX_THREADS as usize;

const NOT_STARTED: u8 = 0;
const STARTING: u8 = 1;
const READY: u8 = 2;
const FAILED: u8 = 3;
const DIED: u8 = 4;

static STATE: AtomicU8 = AtomicU8::new(NOT_STARTED);

/// Starts the pool once; later calls return at once. Resolves to the number
/// of threads, or says why they could not start: what the engine lacks
/// ([`threads_possible`]: no cross-origin isolation, or no shared memory
/// that can be sent to a worker), or a worker that failed.
pub async fn start_pool() -> Result<usize, WebError> {
    match STATE.compare_exchange(NOT_STARTED, STARTING, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => {}
        Err(READY) => return Ok(POOL_THREADS),
        Err(DIED) => return Err(WebError::PoolDied),
        Err(FAILED) => {
            return Err(threads_possible()
                .err()
                .map_or(WebError::NoPool, WebError::from));
        }
        Err(_) => return Err(WebError::PoolNotReady),
    }
    if let Err(missing) = threads_possible() {
        // Without shared memory for its workers initThreadPool throws
        // (DataCloneError) and any later rayon::spawn would hang: never try.
        STATE.store(FAILED, Ordering::Release);
        return Err(missing.into());
    }
    let started = JsFuture::from(wasm_bindgen_rayon::init_thread_pool(POOL_THREADS)).await;
    match started {
        Ok(_) => {
            STATE.store(READY, Ordering::Release);
            watch_for_death();
            Ok(POOL_THREADS)
        }
        Err(e) => {
            STATE.store(FAILED, Ordering::Release);
            Err(WebError::PoolFailed(
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_else(|| "unknown error".to_owned()),
            ))
        }
    }
}

/// The pool's thread count once it is ready (and none of its threads died).
pub fn pool_threads() -> Option<usize> {
    (STATE.load(Ordering::Acquire) == READY).then_some(POOL_THREADS)
}

/// The event the pool's worker script dispatches on the window when one of
/// its threads dies (its wasm trapped), with the trap's message as detail
/// (see tools/patch-worker-helpers.sh).
pub const POOL_THREAD_DIED: &str = "lanes-pool-thread-died";

/// Marks the pool as dead when one of its threads dies ([`POOL_THREAD_DIED`],
/// heard before any listener of the page's, which registers later). Its
/// threads share the page's memory, which the dead one may have left
/// half-written (a lock held, an allocation half made), and rayon cannot
/// replace a thread, so lanes-web stops using the pool: runs go where they
/// go without one (see [`crate::run_live`]) until the page is reloaded.
fn watch_for_death() {
    // The listener lives as long as the page: into_js_value hands it to JS.
    let died = Closure::<dyn Fn()>::new(|| STATE.store(DIED, Ordering::Release)).into_js_value();
    if let Some(window) = web_sys::window() {
        // A window takes any listener: this cannot fail.
        let _ = window.add_event_listener_with_callback(POOL_THREAD_DIED, died.unchecked_ref());
    }
}

/// Whether runs must go without the pool: it could not start here (or
/// never can: [`threads_possible`] says what is missing), or a thread of it
/// died. False while it starts.
pub fn without_pool() -> bool {
    match STATE.load(Ordering::Acquire) {
        FAILED | DIED => true,
        NOT_STARTED => threads_possible().is_err(),
        _ => false,
    }
}

/// Whether a thread of the pool died.
pub fn pool_died() -> bool {
    STATE.load(Ordering::Acquire) == DIED
}

//! Warm processes, as a `multiprocessing.Pool` kept for the next `map`:
//! with warm on, the workers of a run that finished are kept alive, idle,
//! and the next processes run takes up to k of them instead of starting
//! new ones. Off (the default), every run starts its processes cold and
//! none is kept.
//!
//! Whether runs are warm is the page's setting, passed with each run; the
//! page's main thread owns the idle workers (they are `Worker` handles, so
//! they live in a thread-local of that thread). At most
//! [`MAX_IDLE_PROCESSES`] are kept; they are terminated when the page turns
//! warm off ([`end_idle_processes`]), when a cold run starts, and when a
//! processes run fails or is cancelled.

use std::cell::RefCell;

use web_sys::Worker;

/// The most idle process workers the page keeps: as many as a run can use.
pub const MAX_IDLE_PROCESSES: usize = lanes_runtime::MAX_THREADS as usize;

thread_local! {
    static IDLE: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
}

/// How many process workers are alive and idle, waiting for a warm run.
pub fn idle_processes() -> usize {
    IDLE.with_borrow(Vec::len)
}

/// Terminates every idle process worker.
pub fn end_idle_processes() {
    for worker in IDLE.take() {
        worker.terminate();
    }
}

/// Takes up to `n` idle workers, the most recently parked, in the order
/// they were parked (so process i of a run like the last takes the worker
/// that was process i).
pub(crate) fn take_idle(n: usize) -> Vec<Worker> {
    IDLE.with_borrow_mut(|idle| {
        let from = idle.len().saturating_sub(n);
        idle.split_off(from)
    })
}

/// Keeps `workers` (alive, their handlers removed) for the next warm run;
/// beyond [`MAX_IDLE_PROCESSES`], the ones parked longest ago are
/// terminated.
pub(crate) fn park(workers: Vec<Worker>) {
    IDLE.with_borrow_mut(|idle| {
        idle.extend(workers);
        let over = idle.len().saturating_sub(MAX_IDLE_PROCESSES);
        for worker in idle.drain(..over) {
            worker.terminate();
        }
    });
}

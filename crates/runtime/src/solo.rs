//! Runs a scenario live on the calling thread alone: for a page without
//! cross-origin isolation, which has no shared memory between workers and
//! so no thread pool, but can give a run one dedicated worker.
//!
//! Under a GIL only one thread runs at a time anyway, so the GIL's threads
//! are interleaved for real on that one thread by a cooperative scheduler
//! that behaves like CPython's GIL ([`scheduler`]): work items run in small
//! resumable steps ([`step`]), as fine as the live threads' checks of the
//! GIL, and the scheduler makes the holder drop the GIL between two steps
//! once another thread has waited a switch interval. I/O waits drop the GIL
//! and overlap for real; when nobody can run, the scheduler sleeps until
//! the earliest wake-up.
//!
//! | model \ workload | primes, mandelbrot, audio | io | mixed | counter, counter-locked |
//! |---|---|---|---|---|
//! | sequential | items one after another | each waits, then parses | CPU items, then I/O rounds | exact |
//! | gil | k threads interleaved | waits overlap, parses need the GIL | 2 threads interleaved | updates may be lost / none lost |
//! | asyncio | k coroutines take turns | awaits overlap | 2 coroutines | unsupported |
//! | free, processes | unsupported: they need threads or workers of their own | | | |
//!
//! Nothing here uses rayon (a test searches the module's sources for rayon
//! paths): in a worker without shared memory, a rayon call would try to
//! start threads and fail.

mod counter;
mod event_loop;
mod gil_threads;
mod io;
mod kernels;
mod roles;
mod scheduler;
mod sequential;
mod step;
#[cfg(test)]
mod tests;

use lanes_trace::{Model, Scenario, Trace, Workload};

use crate::run::unsupported;
use crate::sleeper::Interruptible;
use crate::{Cancel, Clock, Environment, RunError, Sleeper};

/// Runs `scenario` live on the calling thread alone — never touching rayon
/// — and returns its trace: the same lanes, kinds of span and event, and
/// result as [`crate::run_with`] gives for the scenario (a racy counter may
/// lose other updates), with k GIL threads interleaved on this one thread
/// (ties for the GIL go to the lowest lane, so "Thread 1" starts). Waits (I/O, and idle time when every
/// thread or coroutine waits) block with `sleeper`, which must let `clock`
/// move on; they end early on a Cancel.
///
/// Free threads need a thread pool and processes need workers of their
/// own, so both are [`RunError::Unsupported`], as UI is for every model.
/// It blocks its thread: on the web, call it on a worker, never on the
/// page's main thread.
pub fn run_solo(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    environment: &Environment,
    cancel: &Cancel,
) -> Result<Trace, RunError> {
    if scenario.workload == Workload::Ui {
        return Err(unsupported(scenario));
    }
    // Waits end early when the run is cancelled.
    let sleeper = &Interruptible::new(sleeper, cancel);
    let ran = match scenario.model {
        Model::Sequential => sequential::run_sequential(scenario, clock, sleeper, cancel)?,
        Model::Gil => gil_threads::run_gil_threads(scenario, clock, sleeper, cancel)?,
        Model::Asyncio => event_loop::run_asyncio(scenario, clock, sleeper, cancel)?,
        Model::Free | Model::Processes => return Err(unsupported(scenario)),
    };
    Ok(ran.into_trace(scenario, environment))
}

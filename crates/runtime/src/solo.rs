//! Runs a scenario live on the calling thread alone: for a page without
//! cross-origin isolation, which has no shared memory between workers and
//! so no thread pool, but can give a run one dedicated worker.
//!
//! Under a GIL only one thread runs at a time anyway, so the GIL's threads
//! are interleaved for real on that one thread by a cooperative scheduler
//! that behaves like CPython's GIL ([`scheduler`]): work items run in the
//! small resumable steps of [`crate::steps`], between which the live
//! threads check the GIL, and the scheduler makes the holder drop the GIL between two steps
//! once another thread has waited a switch interval. I/O waits drop the GIL
//! and overlap for real; when nobody can run, the scheduler sleeps until
//! the earliest wake-up.
//!
//! What it runs, and refuses, is the table's ([`lanes_model::table`],
//! [`Runner::Solo`]).
//!
//! Nothing here uses rayon (a test searches the module's sources for rayon
//! paths): in a worker without shared memory, a rayon call would try to
//! start threads and fail.

mod job;
mod scheduler;
mod sequential;
#[cfg(test)]
mod tests;

use lanes_model::{Runner, unsupported as refused};
use lanes_trace::{Model, Scenario, Trace};

use crate::asyncio::run_asyncio;
use crate::gil::run_python_threads;
use crate::mixed::Role;
use crate::run::unsupported;
use crate::sleeper::Interruptible;
use crate::{Cancel, Clock, Environment, RunError, Sleeper};

pub use job::SoloJob;

/// Runs `scenario` live on the calling thread alone — never touching rayon
/// — and returns its trace: the same lanes, kinds of span and event, and
/// result as [`crate::run_with`] gives for the scenario (a racy counter may
/// lose other updates), with k GIL threads interleaved on this one thread
/// (ties for the GIL go to the lowest lane, so "Thread 1" starts). Waits (I/O, and idle time when every
/// thread or coroutine waits) block with `sleeper`, which must let `clock`
/// move on; they end early on a Cancel.
///
/// What the table refuses ([`Runner::Solo`]: free threads, processes, UI)
/// is [`RunError::Unsupported`]. It blocks its thread: on the web, call it on a worker, never on the
/// page's main thread.
pub fn run_solo(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    environment: &Environment,
    cancel: &Cancel,
) -> Result<Trace, RunError> {
    if refused(Runner::Solo, scenario.model, scenario.workload).is_some() {
        return Err(unsupported(scenario));
    }
    // Waits end early when the run is cancelled.
    let sleeper = &Interruptible::new(sleeper, cancel);
    let ran = match scenario.model {
        Model::Sequential => sequential::run_sequential(scenario, clock, sleeper, cancel)?,
        Model::Gil => run_python_threads(
            scenario,
            &[Role::Cpu, Role::Io],
            sleeper,
            &|threads, interval| {
                scheduler::run_interleaved(threads, interval, clock, sleeper, cancel)
            },
        )?,
        Model::Asyncio => run_asyncio(scenario, &[Role::Cpu, Role::Io], clock, sleeper, cancel)?,
        Model::Free | Model::Processes => return Err(unsupported(scenario)),
    };
    Ok(ran.into_trace(scenario, environment))
}

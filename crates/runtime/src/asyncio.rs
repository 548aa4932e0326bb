//! asyncio runs, for both runners: one event loop on the calling thread
//! (no pool needed), over k coroutines taking items from one queue or the
//! CPU and I/O coroutines of a mixed run.

use lanes_model::lanes;
use lanes_trace::{Lane, Scenario, Workload};
use lanes_workloads::PrimeCount;

use crate::cpu::Kernel;
use crate::event_loop::{Coroutines, Pulling, run_loop};
use crate::mixed::{Mixed, MixedCoroutines, Role};
use crate::run::{Ran, check_latency, unsupported};
use crate::{Cancel, Clock, MAX_THREADS, RunError, Sleeper};

/// Runs an asyncio scenario; `roles` are a mixed run's coroutines (both,
/// or the I/O one alone).
pub(crate) fn run_asyncio(
    scenario: &Scenario,
    roles: &[Role],
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    if let Some(kernel) = Kernel::of(scenario) {
        let mut tasks = Pulling::new(kernel.job(), scenario.k, 0.0);
        return run_event_loop(&mut tasks, &lanes::task, clock, sleeper, cancel);
    }
    match scenario.workload {
        Workload::Io => {
            let primes = PrimeCount::new(scenario.size, scenario.tasks);
            let mut tasks = Pulling::new(&primes, scenario.k, check_latency(scenario)?);
            run_event_loop(&mut tasks, &lanes::task, clock, sleeper, cancel)
        }
        Workload::Mixed => {
            check_latency(scenario)?;
            let mixed = Mixed::new(scenario, sleeper);
            let mut tasks = MixedCoroutines::new(&mixed, roles);
            let names = lanes::roles("task", roles);
            let name = |lane: u32| {
                names
                    .get(lane as usize)
                    .cloned()
                    .unwrap_or_else(|| lanes::task(lane))
            };
            run_event_loop(&mut tasks, &name, clock, sleeper, cancel)
        }
        _ => Err(unsupported(scenario)),
    }
}

/// One thread, an event loop over the coroutines, a lane for each named by
/// `name` (from 0).
fn run_event_loop(
    tasks: &mut dyn Coroutines,
    name: &dyn Fn(u32) -> Lane,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    let count = tasks.count();
    if !(1..=MAX_THREADS).contains(&count) {
        return Err(RunError::ThreadCount(count));
    }
    let recorded = run_loop(tasks, clock, sleeper, cancel)?;
    Ok(Ran::of((0..count).map(name).collect(), recorded))
}

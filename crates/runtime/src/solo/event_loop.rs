//! asyncio runs: the live runner's event loop, which runs on one thread
//! already.

use lanes_trace::{Scenario, Workload};
use lanes_workloads::PrimeCount;

use crate::cpu::Kernel;
use crate::event_loop::Pulling;
use crate::mixed::{Mixed, MixedCoroutines, Role};
use lanes_model::lanes;

use crate::run::{Ran, check_latency, run_event_loop, unsupported};
use crate::{Cancel, Clock, RunError, Sleeper};

/// Runs an asyncio scenario: k coroutines taking items from one queue, or
/// the CPU and I/O coroutines of a mixed run.
pub(super) fn run_asyncio(
    scenario: &Scenario,
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
            let mut tasks = MixedCoroutines::new(&mixed, &[Role::Cpu, Role::Io]);
            let names = lanes::roles("task", &[Role::Cpu, Role::Io]);
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

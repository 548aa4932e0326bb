//! Threads under the GIL, interleaved on the calling thread by the
//! [`super::scheduler`]: the same lanes, spans and events as the live
//! runner's OS threads under [`crate::Gil`].

use lanes_trace::{Lane, Model, Scenario, Workload};
use lanes_workloads::{Job, PrimeCount};

use super::counter::Updates;
use super::io::Request;
use super::kernels;
use super::roles::Roles;
use super::scheduler::run_interleaved;
use super::step::{Item, Queue, Threads};
use crate::counter::SharedCounter;
use crate::cpu::Kernel;
use crate::mixed::{Mixed, Role};
use crate::run::{Ran, check_latency, switch_interval, unsupported};
use crate::{Cancel, Clock, RunError, Sleeper};
use lanes_model::{gil_lane_span, lanes};

/// Runs a GIL scenario: k threads taking items from one queue, or the CPU
/// and I/O threads of a mixed run.
pub(super) fn run_gil_threads(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    let k = scenario.k;
    let lanes = || lanes::threads(Model::Gil, k);
    if let Some(kernel) = Kernel::of(scenario) {
        let start = |task| kernels::start(&kernel, task);
        let mut queue = Queue::new(k, kernel.job().tasks(), &start);
        return interleave(scenario, lanes(), &mut queue, clock, sleeper, cancel);
    }
    match scenario.workload {
        Workload::Io => {
            let latency_us = check_latency(scenario)?;
            let primes = PrimeCount::new(scenario.size, scenario.tasks);
            let start = |task| -> Box<dyn Item> {
                Box::new(Request::new(latency_us, primes.task_range(task)))
            };
            let mut queue = Queue::new(k, primes.tasks(), &start);
            interleave(scenario, lanes(), &mut queue, clock, sleeper, cancel)
        }
        Workload::Counter | Workload::CounterLocked => {
            let counter = SharedCounter::new(scenario);
            let start = |task| -> Box<dyn Item + '_> { Box::new(Updates::new(&counter, task)) };
            let mut queue = Queue::new(k, counter.tasks, &start);
            let ran = interleave(scenario, lanes(), &mut queue, clock, sleeper, cancel)?;
            // The final count, lost updates and all.
            Ok(Ran {
                result: counter.value(),
                ..ran
            })
        }
        Workload::Mixed => run_mixed(scenario, &[Role::Cpu, Role::Io], clock, sleeper, cancel),
        _ => Err(unsupported(scenario)),
    }
}

/// A mixed scenario under the GIL with the given roles: the CPU thread and
/// the I/O thread, or the I/O thread alone.
pub(super) fn run_mixed(
    scenario: &Scenario,
    roles: &[Role],
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    check_latency(scenario)?;
    let lanes = lanes::roles("thread", roles);
    let mut threads = Roles::new(Mixed::new(scenario, sleeper), roles);
    interleave(scenario, lanes, &mut threads, clock, sleeper, cancel)
}

/// Runs `threads` under one GIL with the scenario's switch interval; the
/// GIL lane comes after the thread lanes `lanes`.
fn interleave<'a>(
    scenario: &Scenario,
    mut lanes: Vec<Lane>,
    threads: &mut dyn Threads<'a>,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    let interval = switch_interval(scenario)?;
    let ran = run_interleaved(threads, interval, clock, sleeper, cancel)?;
    let gil_lane = threads.count();
    let mut spans: Vec<_> = ran
        .holdings
        .iter()
        .filter_map(|h| gil_lane_span(gil_lane, h))
        .collect();
    spans.extend(ran.spans);
    lanes.push(lanes::gil());
    Ok(Ran {
        lanes,
        spans,
        events: ran.events,
        result: ran.result,
    })
}

//! What the threads of a GIL scenario run, for both GIL runners: k threads
//! taking items from one queue (CPU-bound items, requests, counter
//! updates), or the CPU and I/O threads of a mixed run. The live runner
//! ([`super::run_gil`]) and the solo scheduler (`crate::solo`) each run
//! them under one GIL their way; the lanes, the GIL lane and the result
//! come out here.

use lanes_model::lanes;
use lanes_trace::{Model, Scenario, Workload};
use lanes_workloads::{Job, PrimeCount};

use super::{GilRecorded, SwitchInterval};
use crate::counter::SharedCounter;
use crate::cpu::Kernel;
use crate::mixed::{Mixed, Role};
use crate::run::{Ran, check_latency, switch_interval, unsupported};
use crate::steps::{Item, Queue, Request, Roles, Threads, Updates, start};
use crate::{RunError, Sleeper};

/// Runs a GIL scenario's threads with `run`, which runs them under one GIL
/// with the scenario's switch interval; `roles` are a mixed run's threads
/// (both, or the I/O thread alone). The GIL lane comes after the thread
/// lanes; a counter's result is its final count, lost updates and all.
pub(crate) fn run_python_threads(
    scenario: &Scenario,
    roles: &[Role],
    sleeper: &dyn Sleeper,
    run: &dyn Fn(&dyn Threads<'_>, SwitchInterval) -> Result<GilRecorded, RunError>,
) -> Result<Ran, RunError> {
    let k = scenario.k;
    let mut lanes = lanes::threads(Model::Gil, k);
    let waits = matches!(scenario.workload, Workload::Io | Workload::Mixed);
    let latency_us = if waits { check_latency(scenario)? } else { 0.0 };
    let interval = switch_interval(scenario)?;
    let recorded = match (Kernel::of(scenario), scenario.workload) {
        (Some(kernel), _) => {
            let start = |task| start(&kernel, task);
            run(&Queue::new(k, kernel.job().tasks(), &start), interval)?
        }
        (None, Workload::Io) => {
            let primes = PrimeCount::new(scenario.size, scenario.tasks);
            let start = |task| -> Box<dyn Item> {
                Box::new(Request::new(latency_us, primes.task_range(task)))
            };
            run(&Queue::new(k, primes.tasks(), &start), interval)?
        }
        (None, Workload::Counter | Workload::CounterLocked) => {
            let counter = SharedCounter::new(scenario);
            let start = |task| -> Box<dyn Item + '_> { Box::new(Updates::new(&counter, task)) };
            let recorded = run(&Queue::new(k, counter.tasks, &start), interval)?;
            GilRecorded {
                result: counter.value(),
                ..recorded
            }
        }
        (None, Workload::Mixed) => {
            lanes = lanes::roles("thread", roles);
            run(&Roles::new(Mixed::new(scenario, sleeper), roles), interval)?
        }
        _ => return Err(unsupported(scenario)),
    };
    let gil_lane = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
    let mut spans = recorded.gil_spans(gil_lane);
    spans.extend(recorded.spans);
    lanes.push(lanes::gil());
    Ok(Ran {
        lanes,
        spans,
        events: recorded.events,
        result: recorded.result,
    })
}

//! Sequential runs: every item one after another on the calling thread,
//! with the same items and records as the live runner's one pool thread.

use lanes_trace::{Lane, Model, Scenario, Workload};
use lanes_workloads::PrimeCount;

use crate::counter::SharedCounter;
use crate::cpu::{Cancellable, Kernel};
use crate::io::Requests;
use crate::mixed::{Mixed, Role};
use crate::record::Recorder;
use crate::run::{Ran, check_latency, unsupported};
use crate::threads::Work;
use crate::{Cancel, Clock, RunError, Sleeper};

/// Runs a sequential scenario on "Main thread".
pub(super) fn run_sequential(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    if let Some(kernel) = Kernel::of(scenario) {
        let work = Cancellable {
            kernel: &kernel,
            cancel,
        };
        return in_order(&work, clock, cancel, None);
    }
    match scenario.workload {
        Workload::Io => {
            let primes = PrimeCount::new(scenario.size, scenario.tasks);
            let requests = Requests {
                parse: &primes,
                latency_us: check_latency(scenario)?,
                sleeper,
            };
            in_order(&requests, clock, cancel, None)
        }
        Workload::Counter | Workload::CounterLocked => {
            let counter = SharedCounter::new(scenario);
            in_order(&counter, clock, cancel, Some(&counter))
        }
        Workload::Mixed => {
            check_latency(scenario)?;
            let mixed = Mixed::new(scenario, sleeper);
            let mut lane = Recorder::new(clock, clock.now_us(), 0);
            let result = mixed.run_plain(&[Role::Cpu, Role::Io], &mut lane, cancel);
            finished(lane, result, cancel)
        }
        _ => Err(unsupported(scenario)),
    }
}

/// Runs the items of `work` in order. A counter's result is its final
/// value, not the sum of the items.
fn in_order(
    work: &dyn Work,
    clock: &dyn Clock,
    cancel: &Cancel,
    counter: Option<&SharedCounter>,
) -> Result<Ran, RunError> {
    let mut lane = Recorder::new(clock, clock.now_us(), 0);
    let mut sum = 0_u64;
    for task in 0..work.tasks() {
        if cancel.is_cancelled() {
            break;
        }
        sum = sum.wrapping_add(work.run_task(task, &mut lane));
    }
    finished(lane, counter.map_or(sum, SharedCounter::value), cancel)
}

/// The one lane's run, unless it was cancelled.
fn finished(lane: Recorder<'_>, result: u64, cancel: &Cancel) -> Result<Ran, RunError> {
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    let lanes: Vec<Lane> = lanes_model::lanes::threads(Model::Sequential, 1);
    Ok(Ran {
        lanes,
        spans: lane.finish(),
        events: Vec::new(),
        result,
    })
}

//! Sequential runs: every item one after another on the calling thread,
//! with the same items and records as the live runner's one pool thread.

use lanes_trace::{Scenario, Workload};

use crate::mixed::{Mixed, Role};
use crate::record::Recorder;
use crate::run::{Ran, check_latency, run_plain_items};
use crate::threads::{Recorded, Work};
use crate::{Cancel, Clock, RunError, Sleeper};

/// Runs a sequential scenario on "Main thread".
pub(super) fn run_sequential(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    if scenario.workload != Workload::Mixed {
        return run_plain_items(scenario, 1, sleeper, cancel, &|work| {
            in_order(work, clock, cancel)
        });
    }
    check_latency(scenario)?;
    let mixed = Mixed::new(scenario, sleeper);
    let mut lane = Recorder::new(clock, clock.now_us(), 0);
    let result = mixed.run_plain(&[Role::Cpu, Role::Io], &mut lane, cancel);
    let recorded = finished(lane, result, cancel)?;
    Ok(Ran::of(
        lanes_model::lanes::threads(scenario.model, 1),
        recorded,
    ))
}

/// Runs the items of `work` in order.
fn in_order(work: &dyn Work, clock: &dyn Clock, cancel: &Cancel) -> Result<Recorded, RunError> {
    let mut lane = Recorder::new(clock, clock.now_us(), 0);
    let mut sum = 0_u64;
    for task in 0..work.tasks() {
        if cancel.is_cancelled() {
            break;
        }
        sum = sum.wrapping_add(work.run_task(task, &mut lane));
    }
    finished(lane, sum, cancel)
}

/// The one lane's run, unless it was cancelled.
fn finished(lane: Recorder<'_>, result: u64, cancel: &Cancel) -> Result<Recorded, RunError> {
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    Ok(Recorded {
        spans: lane.finish(),
        result,
        threads: Vec::new(),
    })
}

//! What a scenario must be for the simulator to run it, checked before any
//! work is done.

use lanes_model::playback::{SIM_SAMPLE_RATE, block_count, block_frames};
use lanes_model::{Runner, unsupported};
use lanes_trace::{Model, Scenario, Workload};

use crate::work::item_count;
use crate::{MAX_CORES, MAX_SPANS, MAX_WORKERS, Options, SimError};

/// The longest I/O wait a scenario may ask for, in µs (10 s), as live.
pub(crate) const MAX_LATENCY_US: u32 = 10_000_000;
/// The switch interval's range, in µs, as live.
const INTERVAL_US: std::ops::RangeInclusive<u32> = 100..=100_000;

/// Checks the options and the scenario: cores, k, the switch interval
/// (under the GIL), the latency (for requests and mixed), the pair of model
/// and workload, and a first bound on the spans.
pub(crate) fn check(scenario: &Scenario, options: &Options) -> Result<(), SimError> {
    if !(1..=MAX_CORES).contains(&options.cores) {
        return Err(SimError::Cores(options.cores));
    }
    let (model, workload) = (scenario.model, scenario.workload);
    if unsupported(Runner::Simulator, model, workload).is_some() {
        return Err(SimError::Unsupported { model, workload });
    }
    if model != Model::Sequential && !(1..=MAX_WORKERS).contains(&scenario.k) {
        return Err(SimError::Workers(scenario.k));
    }
    if model == Model::Gil && !INTERVAL_US.contains(&scenario.interval_us) {
        return Err(SimError::Interval {
            us: scenario.interval_us,
        });
    }
    if matches!(workload, Workload::Io | Workload::Mixed) && scenario.latency_us > MAX_LATENCY_US {
        return Err(SimError::Latency {
            us: scenario.latency_us,
        });
    }
    // Every item leaves at least one span (a request two), every block of a
    // playback run one.
    let per_item = if workload == Workload::Io { 2 } else { 1 };
    let spans = if workload == Workload::Playback {
        let block = block_frames(scenario.size);
        u64::from(block_count(scenario.tasks, SIM_SAMPLE_RATE, block))
    } else {
        item_count(scenario).saturating_mul(per_item)
    };
    if spans > MAX_SPANS as u64 {
        return Err(SimError::TooManySpans);
    }
    Ok(())
}

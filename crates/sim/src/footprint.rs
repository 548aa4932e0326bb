//! How much memory a run's timeline will take, estimated before it starts,
//! so that the page can refuse a run that would not fit instead of running
//! out of memory halfway (a wasm page that does simply dies).
//!
//! What grows with a run is its trace: every span is kept by the page (the
//! trace, its Chrome JSON for `window.lanes.traces()`, the drawing's index).
//! The work itself needs little: the workloads stream their data, and
//! processes copy at most a fixed amount (see the page's copy cap). So the
//! estimate is spans, and spans follow from time under the GIL: every
//! switch interval a thread may be told to drop the lock, which ends one
//! running span, one waiting span and one span of the GIL's lane.

use lanes_model::playback::{
    MAIN_THREAD_TASK_MS, SIM_SAMPLE_RATE, block_count, block_frames, neighbour_numbers,
};
use lanes_trace::{Model, Scenario, Workload};

use crate::CostModel;
use crate::work::{item_count, prime_units, task_costs};

/// The most memory the page lets one run's timeline take, 256 MB: about a
/// quarter of the 1 GiB its shared memory may grow to, leaving the rest for
/// the runs it keeps, the drawing and the page itself.
pub const RUN_MEMORY_CAP: u64 = 256_000_000;

/// Bytes a span costs the page at the peak, as a run ends: recorded, put in
/// the trace, written as Chrome JSON for `window.lanes.traces()`, drawn.
/// Measured in Chromium (`window.lanes.memory()` around GIL runs of 5 000
/// and 10 000 spans): about 1 100 bytes at the peak, 490 kept after.
pub const SPAN_BYTES: u64 = 1_100;

/// What a run is expected to keep in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// Spans its trace will have, at most about.
    pub spans: u64,
    /// Bytes those spans take ([`SPAN_BYTES`] each).
    pub bytes: u64,
}

impl Footprint {
    /// Whether it fits in [`RUN_MEMORY_CAP`].
    pub fn fits(&self) -> bool {
        self.bytes <= RUN_MEMORY_CAP
    }
}

/// The footprint of `scenario` on a machine with `costs` (the reference
/// laptop's, or those measured on this machine): spans from its work items
/// and, under the GIL, from its CPU time divided by the switch interval.
/// It errs high: the GIL drops the lock only when another thread waits.
pub fn footprint(scenario: &Scenario, costs: &CostModel) -> Footprint {
    let spans = if scenario.workload == Workload::Playback {
        playback_spans(scenario, costs)
    } else {
        item_spans(scenario, costs)
    };
    Footprint {
        spans,
        bytes: spans.saturating_mul(SPAN_BYTES),
    }
}

/// The spans of a run of work items.
fn item_spans(scenario: &Scenario, costs: &CostModel) -> u64 {
    let items = item_count(scenario);
    let k = u64::from(scenario.k.max(1));
    // An item leaves a running span, a request a waiting one too, a
    // process its start-up, copy and report spans; every lane a few more.
    let mut spans = 3 * items + 4 * k + 8;
    if scenario.model == Model::Gil && (k > 1 || scenario.workload == Workload::Mixed) {
        let cpu_us: f64 = task_costs(scenario)
            .iter()
            .zip(0_u32..)
            .map(|(units, task)| units * costs.us_per_unit(scenario, task))
            .sum();
        // A thread holds the lock for the switch interval at least.
        let hold_us = f64::from(scenario.interval_us.max(1));
        // Finite and non-negative for any checked cost model; a saturating
        // cast keeps a wild one from wrapping.
        let holds = (cpu_us / hold_us).ceil().max(0.0) as u64;
        spans = spans.saturating_add(holds.saturating_mul(3));
    }
    spans
}

/// The spans of a playback run, from how long it may last: the melody,
/// plus, under the GIL, every block waiting for each neighbour's turn with
/// the lock (the stream slips by as much). Each block leaves the producer a
/// wait for room and its computing (and under the GIL a wait for the lock,
/// a holding, and a neighbour's span cut in two with its wait); the
/// neighbours leave an item's span each, counted from the computing they
/// may do in that time (all of it, as if each had a core: the estimate
/// knows no cores), and under the GIL three spans a switch interval.
fn playback_spans(scenario: &Scenario, costs: &CostModel) -> u64 {
    let block = block_frames(scenario.size);
    let blocks = u64::from(block_count(scenario.tasks, SIM_SAMPLE_RATE, block));
    let k = u64::from(scenario.k);
    let melody_us = (blocks * u64::from(block)) as f64 * 1e6 / f64::from(SIM_SAMPLE_RATE);
    let block_us = f64::from(block) * costs.synth_us_per_frame * (1.0 + costs.jitter);
    let start_us = if scenario.model == Model::Processes {
        costs.process_startup_us * (1.0 + costs.jitter)
    } else {
        costs.thread_start_us
    };
    let few = 4 * k + 8;
    // Every figure below is finite and non-negative for a checked cost
    // model; saturating casts keep a wild one from wrapping.
    let (spans, neighbours_us) = match scenario.model {
        Model::Sequential => {
            // At least one block between two of the page's tasks, or the
            // melody's time in them.
            let tasks = if k > 0 {
                blocks + (melody_us / (f64::from(MAIN_THREAD_TASK_MS) * 1000.0)) as u64 + 1
            } else {
                0
            };
            return 2 * blocks + tasks + 8;
        }
        Model::Gil => {
            let interval = f64::from(scenario.interval_us.max(1));
            let turn = (k + 1) as f64 * interval
                + 2.0 * (1.5 * costs.gil_handoff_us + costs.gil_check_us)
                + block_us;
            let run_us = start_us + melody_us + blocks as f64 * turn;
            let switches = (run_us / interval).ceil() as u64;
            (7 * blocks + 3 * switches + few, run_us)
        }
        Model::Free | Model::Processes | Model::Asyncio => {
            let run_us = start_us + melody_us + blocks as f64 * block_us * (k + 1) as f64;
            (2 * blocks + few, k as f64 * run_us)
        }
    };
    spans.saturating_add(neighbour_items(neighbours_us, costs).saturating_add(k))
}

/// How many neighbour items `us` of computing may count, at their cheapest.
fn neighbour_items(us: f64, costs: &CostModel) -> u64 {
    let per_unit = costs.primes_us_per_unit * (1.0 - costs.jitter);
    let cost = |items: u32| {
        let numbers = neighbour_numbers(items);
        prime_units(0..numbers.start) * per_unit
    };
    // The largest count whose cost fits, by halves.
    let (mut lo, mut hi) = (0_u32, u32::MAX);
    if cost(hi) <= us {
        return u64::from(hi);
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if cost(mid) <= us {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // Simpson's rule over a long range errs a few percent either way.
    u64::from(lo) + u64::from(lo) / 10 + 1
}

/// The largest size in `range` at which `scenario` (with its size replaced)
/// still fits in the cap, or `None` if even the smallest does not. Footprints
/// grow with size, so this searches by halves.
pub fn largest_fitting_size(
    scenario: &Scenario,
    costs: &CostModel,
    range: (u64, u64),
) -> Option<u64> {
    let fits = |size: u64| footprint(&Scenario { size, ..*scenario }, costs).fits();
    let (mut lo, mut hi) = range;
    if !fits(lo) {
        return None;
    }
    if fits(hi) {
        return Some(hi);
    }
    // fits(lo) and !fits(hi): narrow until they are neighbours.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, simulate};
    use proptest::prelude::*;

    fn gil(workload: Workload, k: u32, size: u64, interval_us: u32) -> Scenario {
        Scenario {
            interval_us,
            ..Scenario::new(Model::Gil, workload, k, size, 32)
        }
    }

    #[test]
    fn a_short_interval_on_a_big_image_does_not_fit_and_a_smaller_one_does() {
        let costs = CostModel::reference();
        let big = gil(Workload::Mandelbrot, 4, 16_384, 100);
        assert!(
            !footprint(&big, &costs).fits(),
            "{:?}",
            footprint(&big, &costs)
        );
        let largest = largest_fitting_size(&big, &costs, (16, 16_384)).expect("16 px fits");
        assert!((1_000..16_384).contains(&largest), "{largest}");
        let at = |size| footprint(&Scenario { size, ..big }, &costs);
        assert!(at(largest).fits() && !at(largest + 1).fits());
        // The default interval keeps the same image well inside.
        assert!(footprint(&gil(Workload::Mandelbrot, 4, 16_384, 5_000), &costs).fits());
    }

    #[test]
    fn runs_without_a_gil_take_spans_by_the_item() {
        let costs = CostModel::reference();
        for model in [Model::Sequential, Model::Free, Model::Processes] {
            let s = Scenario::new(model, Workload::Primes, 16, 100_000_000, 32);
            let f = footprint(&s, &costs);
            assert!(f.fits() && f.spans < 200, "{model:?}: {f:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// The estimate is never below what the simulator records with the
        /// same costs, and not wildly above it.
        #[test]
        fn the_estimate_bounds_the_simulated_spans(
            model in prop::sample::select(vec![Model::Sequential, Model::Gil, Model::Free, Model::Processes]),
            workload in prop::sample::select(vec![Workload::Primes, Workload::Mandelbrot, Workload::Counter, Workload::Io]),
            k in 1_u32..=8,
            scale in 1_u64..=20,
            interval_us in prop::sample::select(vec![100_u32, 500, 2_000, 5_000]),
        ) {
            let size = match workload {
                Workload::Mandelbrot => 40 * scale,
                Workload::Counter => 20_000 * scale,
                _ => 50_000 * scale,
            };
            let s = Scenario { interval_us, latency_us: 1_000, ..Scenario::new(model, workload, k, size, 32) };
            let costs = CostModel::reference();
            let trace = simulate(&s, &costs, &Options { cores: 2, seed: 1 }).expect("simulates");
            let simulated = trace.spans().len() as u64;
            let f = footprint(&s, &costs);
            prop_assert!(f.spans >= simulated, "{s:?}: estimate {} < simulated {simulated}", f.spans);
            // Requests leave the GIL free while they wait, so their threads
            // seldom compete for it and the estimate is knowingly high; for
            // CPU-bound work it is close.
            if workload != Workload::Io {
                prop_assert!(f.spans <= 4 * simulated + 200, "{s:?}: estimate {} ≫ simulated {simulated}", f.spans);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        /// A playback run's estimate bounds what the simulator records too.
        #[test]
        fn the_estimate_bounds_a_playback_run(
            model in prop::sample::select(vec![Model::Sequential, Model::Gil, Model::Free, Model::Processes]),
            k in 1_u32..=8,
            block in prop::sample::select(vec![128_u64, 384, 1024, 4096]),
            notes in 1_u32..=6,
            interval_us in prop::sample::select(vec![100_u32, 1_000, 5_000, 20_000]),
            cores in 1_u32..=4,
        ) {
            let s = Scenario { interval_us, ..Scenario::new(model, Workload::Playback, k, block, notes) };
            let costs = CostModel::reference();
            let trace = simulate(&s, &costs, &Options { cores, seed: 2 }).expect("simulates");
            let simulated = trace.spans().len() as u64;
            let f = footprint(&s, &costs);
            prop_assert!(f.spans >= simulated, "{s:?}: estimate {} < simulated {simulated}", f.spans);
            prop_assert!(f.spans <= 12 * simulated + 400, "{s:?}: estimate {} ≫ simulated {simulated}", f.spans);
        }
    }
}

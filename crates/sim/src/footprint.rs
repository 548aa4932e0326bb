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

use lanes_trace::{Model, Scenario, Workload};

use crate::CostModel;
use crate::work::{item_count, task_costs};

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
    Footprint {
        spans,
        bytes: spans.saturating_mul(SPAN_BYTES),
    }
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
}

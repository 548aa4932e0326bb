//! Figures computed from a trace alone.

use crate::{State, Trace};

/// How one lane spent the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneUse {
    /// The lane's index.
    pub lane: u32,
    /// Time spent running, in µs.
    pub running_us: f64,
    /// Running time as a share of the makespan, 0 to 1.
    pub utilisation: f64,
}

/// How many lanes ran at once, over the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Concurrency {
    /// The most lanes running at the same moment.
    pub peak: u32,
    /// Time during which at least two lanes ran, in µs.
    pub parallel_us: f64,
    /// Mean number of running lanes over the makespan.
    pub mean: f64,
}

impl Trace {
    /// Time from the start of the run to the end of its last span, in µs.
    pub fn makespan_us(&self) -> f64 {
        self.spans.iter().map(|s| s.end_us).fold(0.0, f64::max)
    }

    /// The makespan in milliseconds.
    pub fn makespan_ms(&self) -> f64 {
        self.makespan_us() / 1000.0
    }

    /// How many times faster this run was than `baseline`; `None` when either
    /// run has no duration.
    pub fn speedup_against(&self, baseline: &Self) -> Option<f64> {
        let own = self.makespan_us();
        let base = baseline.makespan_us();
        (own > 0.0 && base > 0.0).then(|| base / own)
    }

    /// Running time and utilisation of every lane, in lane order.
    pub fn lane_use(&self) -> Vec<LaneUse> {
        let makespan = self.makespan_us();
        (0..self.lanes.len())
            .map(|lane| {
                let lane = u32::try_from(lane).unwrap_or(u32::MAX);
                let running_us: f64 = self
                    .lane_spans(lane)
                    .iter()
                    .filter(|s| s.state == State::Running)
                    .map(|s| s.duration_us())
                    .sum();
                let utilisation = if makespan > 0.0 {
                    running_us / makespan
                } else {
                    0.0
                };
                LaneUse {
                    lane,
                    running_us,
                    utilisation,
                }
            })
            .collect()
    }

    /// How many lanes were running at once, by a sweep over span edges.
    pub fn concurrency(&self) -> Concurrency {
        let mut edges: Vec<(f64, i32)> = self
            .spans
            .iter()
            .filter(|s| s.state == State::Running && s.end_us > s.start_us)
            .flat_map(|s| [(s.start_us, 1), (s.end_us, -1)])
            .collect();
        // Ends sort before starts at the same instant: touching spans do not overlap.
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut level = 0_i32;
        let mut peak = 0_i32;
        let mut parallel_us = 0.0;
        let mut area = 0.0;
        let mut last = 0.0;
        for (at, step) in edges {
            let width = at - last;
            if level >= 2 {
                parallel_us += width;
            }
            area += width * f64::from(level);
            level += step;
            peak = peak.max(level);
            last = at;
        }
        let makespan = self.makespan_us();
        Concurrency {
            peak: u32::try_from(peak).unwrap_or(0),
            parallel_us,
            mean: if makespan > 0.0 { area / makespan } else { 0.0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::tests::{meta, trace_of};
    use proptest::prelude::*;

    #[test]
    fn empty_trace_has_zero_figures() {
        let t = trace_of(1, &[]);
        assert_eq!(t.makespan_us(), 0.0);
        assert_eq!(t.concurrency().peak, 0);
        assert_eq!(t.speedup_against(&t), None);
        assert_eq!(meta().scenario.k, 2);
    }

    #[test]
    fn touching_spans_do_not_overlap() {
        let t = trace_of(2, &[(0, 0.0, 10.0), (1, 10.0, 20.0)]);
        let c = t.concurrency();
        assert_eq!(c.peak, 1);
        assert_eq!(c.parallel_us, 0.0);
        assert!((c.mean - 1.0).abs() < 1e-12);
    }

    #[test]
    fn overlapping_spans_are_counted() {
        let t = trace_of(2, &[(0, 0.0, 10.0), (1, 5.0, 20.0)]);
        let c = t.concurrency();
        assert_eq!(c.peak, 2);
        assert!((c.parallel_us - 5.0).abs() < 1e-12);
        assert_eq!(t.makespan_us(), 20.0);
        let uses = t.lane_use();
        assert!((uses[0].utilisation - 0.5).abs() < 1e-12);
        assert!((uses[1].running_us - 15.0).abs() < 1e-12);
    }

    #[test]
    fn speedup_is_baseline_over_own() {
        let slow = trace_of(1, &[(0, 0.0, 100.0)]);
        let fast = trace_of(2, &[(0, 0.0, 50.0), (1, 0.0, 40.0)]);
        assert_eq!(fast.speedup_against(&slow), Some(2.0));
    }

    proptest! {
        #[test]
        fn figures_stay_within_bounds(
            spans in prop::collection::vec((0_u32..4, 0.0_f64..1e6, 0.0_f64..1e5), 0..64)
        ) {
            let spans: Vec<_> = spans.into_iter().map(|(l, s, d)| (l, s, s + d)).collect();
            let t = trace_of(4, &spans);
            let c = t.concurrency();
            let makespan = t.makespan_us();
            prop_assert!(c.peak <= u32::try_from(spans.len()).unwrap_or(u32::MAX));
            prop_assert!(c.parallel_us <= makespan + 1e-6);
            let busy: f64 = spans.iter().map(|s| s.2 - s.1).sum();
            // The mean level integrates to the total running time.
            prop_assert!((c.mean * makespan - busy).abs() <= 1e-6 * busy.max(1.0));
        }
    }
}

//! How many lanes ran at once, as a step function of time.

use crate::{LaneKind, State, Trace};

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

/// One step of [`Trace::concurrency_over_time`]: from `at_us` until the next
/// step, `running` lanes were running.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConcurrencyStep {
    /// When the count changed, in µs since the run started.
    pub at_us: f64,
    /// How many lanes were running from then on.
    pub running: u32,
}

impl Trace {
    /// How many lanes were running at each moment, as a step function: the
    /// count changes at each step's `at_us` and holds until the next step.
    ///
    /// A lane counts once however many running spans it has at that moment
    /// (overlapping spans on a UI lane do not count twice), and GIL lanes do
    /// not count at all: they show which thread holds the lock, and that
    /// thread's own lane already counts. Before the first step and from the
    /// last step on, no lane runs; the last step always has `running == 0`.
    /// Steps are in time order, no two at the same time, and each changes
    /// the count. An empty trace has no steps.
    pub fn concurrency_over_time(&self) -> Vec<ConcurrencyStep> {
        let mut edges = Vec::new();
        for (_, start, end) in self.running_intervals() {
            edges.push((start, 1_i64));
            edges.push((end, -1_i64));
        }
        // Ends sort before starts at the same instant: touching spans do not overlap.
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut steps: Vec<ConcurrencyStep> = Vec::new();
        let mut level = 0_i64;
        let mut i = 0;
        while let Some(&(at, _)) = edges.get(i) {
            while let Some(&(t, step)) = edges.get(i)
                && t.total_cmp(&at).is_eq()
            {
                level += step;
                i += 1;
            }
            let running = u32::try_from(level.max(0)).unwrap_or(u32::MAX);
            if steps.last().map_or(0, |s| s.running) != running {
                steps.push(ConcurrencyStep { at_us: at, running });
            }
        }
        steps
    }

    /// Peak, parallel time and mean of [`Trace::concurrency_over_time`].
    pub fn concurrency(&self) -> Concurrency {
        summarise(&self.concurrency_over_time(), self.makespan_us())
    }

    /// The running time of every lane that counts for concurrency, as
    /// `(lane, start, end)` with overlapping or touching spans of one lane
    /// merged, sorted by lane then start. Spans with no length or with times
    /// that are not finite are left out.
    fn running_intervals(&self) -> Vec<(u32, f64, f64)> {
        merge_lane_intervals(
            self.spans
                .iter()
                .filter(|s| {
                    s.state == State::Running
                        && self
                            .lanes
                            .get(s.lane as usize)
                            .is_none_or(|l| l.kind != LaneKind::Gil)
                })
                .map(|s| (s.lane, s.start_us, s.end_us)),
        )
    }
}

/// `(lane, start, end)` intervals with the overlapping or touching ones of
/// each lane merged, sorted by lane then start; intervals with no length or
/// with times that are not finite are left out.
pub fn merge_lane_intervals(
    intervals: impl IntoIterator<Item = (u32, f64, f64)>,
) -> Vec<(u32, f64, f64)> {
    let mut spans: Vec<(u32, f64, f64)> = intervals
        .into_iter()
        .filter(|&(_, start, end)| start.is_finite() && end.is_finite() && end > start)
        .collect();
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut merged: Vec<(u32, f64, f64)> = Vec::with_capacity(spans.len());
    for (lane, start, end) in spans {
        match merged.last_mut() {
            Some(last) if last.0 == lane && start <= last.2 => last.2 = last.2.max(end),
            _ => merged.push((lane, start, end)),
        }
    }
    merged
}

/// Peak, time with two or more running, and the mean over `makespan_us`.
pub(crate) fn summarise(steps: &[ConcurrencyStep], makespan_us: f64) -> Concurrency {
    let mut peak = 0;
    let mut parallel_us = 0.0;
    let mut area = 0.0;
    for pair in steps.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let width = b.at_us - a.at_us;
        if a.running >= 2 {
            parallel_us += width;
        }
        area += width * f64::from(a.running);
    }
    for s in steps {
        peak = peak.max(s.running);
    }
    Concurrency {
        peak,
        parallel_us,
        mean: if makespan_us > 0.0 {
            area / makespan_us
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lane;
    use crate::model::tests::trace_of;
    use proptest::prelude::*;

    fn steps(t: &Trace) -> Vec<(f64, u32)> {
        t.concurrency_over_time()
            .into_iter()
            .map(|s| (s.at_us, s.running))
            .collect()
    }

    #[test]
    fn empty_trace_has_no_steps() {
        assert_eq!(steps(&trace_of(2, &[])), []);
        assert_eq!(trace_of(2, &[]).concurrency().peak, 0);
    }

    #[test]
    fn touching_spans_do_not_overlap() {
        let t = trace_of(2, &[(0, 0.0, 10.0), (1, 10.0, 20.0)]);
        assert_eq!(steps(&t), [(0.0, 1), (20.0, 0)]);
        let c = t.concurrency();
        assert_eq!(c.peak, 1);
        assert_eq!(c.parallel_us, 0.0);
        assert!((c.mean - 1.0).abs() < 1e-12);
    }

    #[test]
    fn overlapping_spans_are_counted() {
        let t = trace_of(2, &[(0, 0.0, 10.0), (1, 5.0, 20.0)]);
        assert_eq!(steps(&t), [(0.0, 1), (5.0, 2), (10.0, 1), (20.0, 0)]);
        let c = t.concurrency();
        assert_eq!(c.peak, 2);
        assert!((c.parallel_us - 5.0).abs() < 1e-12);
    }

    #[test]
    fn a_lane_counts_once_and_gil_lanes_not_at_all() {
        let mut t = trace_of(3, &[(0, 0.0, 10.0), (0, 2.0, 4.0), (1, 0.0, 10.0)]);
        t.lanes[1] = Lane {
            kind: LaneKind::Gil,
            name: "GIL".to_owned(),
        };
        t.lanes[0].kind = LaneKind::Ui;
        assert_eq!(steps(&t), [(0.0, 1), (10.0, 0)]);
    }

    proptest! {
        #[test]
        fn steps_integrate_to_the_running_time(
            lanes in prop::collection::vec(
                prop::collection::vec((0.0_f64..1e4, 0.0_f64..1e4), 0..12), 1..5),
        ) {
            // Non-overlapping spans on each lane: gaps and lengths in turn.
            let mut spans = Vec::new();
            for (lane, pieces) in lanes.iter().enumerate() {
                let mut at = 0.0;
                for &(gap, len) in pieces {
                    spans.push((u32::try_from(lane).unwrap(), at + gap, at + gap + len));
                    at += gap + len;
                }
            }
            let t = trace_of(u32::try_from(lanes.len()).unwrap(), &spans);
            let steps = t.concurrency_over_time();
            let busy: f64 = spans.iter().map(|s| s.2 - s.1).sum();
            let area: f64 = steps
                .windows(2)
                .map(|w| (w[1].at_us - w[0].at_us) * f64::from(w[0].running))
                .sum();
            prop_assert!((area - busy).abs() <= 1e-9 * busy.max(1.0));
            prop_assert!(steps.windows(2).all(|w| w[0].at_us < w[1].at_us));
            prop_assert!(steps.windows(2).all(|w| w[0].running != w[1].running));
            prop_assert!(steps.last().is_none_or(|s| s.running == 0));
            let lanes_n = u32::try_from(lanes.len()).unwrap();
            prop_assert!(steps.iter().all(|s| s.running <= lanes_n));
            let c = t.concurrency();
            prop_assert!(c.parallel_us <= t.makespan_us() + 1e-6);
            prop_assert!((c.mean * t.makespan_us() - busy).abs() <= 1e-9 * busy.max(1.0));
        }
    }
}

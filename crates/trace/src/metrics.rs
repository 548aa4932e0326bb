//! Figures computed from a trace alone.

use crate::concurrency::summarise;
use crate::{Concurrency, LaneKind, State, Trace};

/// How one lane spent the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneUse {
    /// The lane's index.
    pub lane: u32,
    /// Time spent running, in µs.
    pub running_us: f64,
    /// Running time as a share of the makespan, 0 to 1 when the lane's spans
    /// do not overlap and start at or after 0.
    pub utilisation: f64,
}

/// Time spent in each state, summed over the lanes that do work: every lane
/// but GIL lanes, whose spans only mirror which thread holds the lock.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StateTimes {
    us: [f64; State::ALL.len()],
}

impl StateTimes {
    /// Total time in `state`, in µs.
    pub fn get(&self, state: State) -> f64 {
        self.us[slot(state)]
    }

    /// Time in every state but idle, in µs: the time the lanes were busy.
    pub fn busy_us(&self) -> f64 {
        State::ALL
            .into_iter()
            .filter(|&s| s != State::Idle)
            .map(|s| self.get(s))
            .sum()
    }

    /// Time spent starting processes and copying data in and out, in µs.
    pub fn overhead_us(&self) -> f64 {
        self.get(State::Startup) + self.get(State::CopyIn) + self.get(State::CopyOut)
    }

    /// Start-up and copies as a share of the busy time, 0 to 1 (0 when
    /// nothing ran).
    pub fn overhead_share(&self) -> f64 {
        share(self.overhead_us(), self.busy_us())
    }

    /// Waiting for the GIL as a share of the time threads wanted to compute
    /// (running plus waiting for the GIL), 0 to 1 (0 when nothing ran).
    pub fn gil_wait_share(&self) -> f64 {
        let wait = self.get(State::GilWait);
        share(wait, wait + self.get(State::Running))
    }

    fn add(&mut self, state: State, us: f64) {
        self.us[slot(state)] += us;
    }
}

/// Every figure of a run at once, from [`Trace::metrics`].
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// See [`Trace::makespan_us`].
    pub makespan_us: f64,
    /// See [`Trace::lane_use`].
    pub lanes: Vec<LaneUse>,
    /// See [`Trace::concurrency`].
    pub concurrency: Concurrency,
    /// See [`Trace::state_times`].
    pub states: StateTimes,
    /// See [`Trace::overhead_share`].
    pub overhead_share: f64,
    /// See [`Trace::gil_wait_share`].
    pub gil_wait_share: f64,
    /// Speedup against the baseline given to [`Trace::metrics`], if any.
    pub speedup: Option<f64>,
    /// Parallel efficiency against that baseline with the run's own k
    /// (`meta.scenario.k`) as the number of workers.
    pub efficiency: Option<f64>,
}

fn slot(state: State) -> usize {
    match state {
        State::Running => 0,
        State::GilWait => 1,
        State::IoWait => 2,
        State::Startup => 3,
        State::CopyIn => 4,
        State::CopyOut => 5,
        State::Idle => 6,
        State::Awaiting => 7,
        State::LockWait => 8,
    }
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    }
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

    /// Speedup against `baseline` divided by the number of `workers`: 1 when
    /// k workers made the run k times faster. `None` when there is no
    /// speedup (see [`Trace::speedup_against`]) or no worker.
    pub fn parallel_efficiency(&self, baseline: &Self, workers: u32) -> Option<f64> {
        let speedup = self.speedup_against(baseline)?;
        (workers > 0).then(|| speedup / f64::from(workers))
    }

    /// Running time and utilisation of every lane, in lane order.
    pub fn lane_use(&self) -> Vec<LaneUse> {
        let mut running = vec![0.0; self.lanes.len()];
        for s in &self.spans {
            if s.state == State::Running
                && let Some(total) = running.get_mut(s.lane as usize)
            {
                *total += s.duration_us();
            }
        }
        lane_use_of(running, self.makespan_us())
    }

    /// Time spent in each state over the lanes that do work (all but GIL lanes).
    pub fn state_times(&self) -> StateTimes {
        let mut times = StateTimes::default();
        for s in &self.spans {
            if self.counts_as_work(s.lane) {
                times.add(s.state, s.duration_us());
            }
        }
        times
    }

    /// The share of the busy time (every state but idle, GIL lanes left out)
    /// spent starting processes and copying data in and out: the price of
    /// processes. 0 to 1; 0 when nothing ran.
    pub fn overhead_share(&self) -> f64 {
        self.state_times().overhead_share()
    }

    /// The share of the time threads wanted to compute (running plus waiting
    /// for the GIL) that they spent waiting for the GIL. 0 to 1; 0 when
    /// nothing ran.
    pub fn gil_wait_share(&self) -> f64 {
        self.state_times().gil_wait_share()
    }

    /// Every figure at once, with one pass over the spans plus the
    /// concurrency sweep. With a `baseline`, also the speedup against it and
    /// the parallel efficiency with `meta.scenario.k` workers.
    pub fn metrics(&self, baseline: Option<&Self>) -> Metrics {
        let mut makespan_us = 0.0_f64;
        let mut running = vec![0.0; self.lanes.len()];
        let mut states = StateTimes::default();
        for s in &self.spans {
            makespan_us = makespan_us.max(s.end_us);
            if s.state == State::Running
                && let Some(total) = running.get_mut(s.lane as usize)
            {
                *total += s.duration_us();
            }
            if self.counts_as_work(s.lane) {
                states.add(s.state, s.duration_us());
            }
        }
        let speedup = baseline.and_then(|b| self.speedup_against(b));
        // Another tool's file does not say how many workers ran: each lane is one.
        let workers = self.meta().map_or_else(
            || u32::try_from(self.lanes.len()).unwrap_or(u32::MAX).max(1),
            |m| m.scenario.k,
        );
        Metrics {
            makespan_us,
            lanes: lane_use_of(running, makespan_us),
            concurrency: summarise(&self.concurrency_over_time(), makespan_us),
            overhead_share: states.overhead_share(),
            gil_wait_share: states.gil_wait_share(),
            states,
            speedup,
            efficiency: speedup.and_then(|s| (workers > 0).then(|| s / f64::from(workers))),
        }
    }

    /// Whether spans on `lane` count as work: every lane but GIL lanes (a span
    /// on a lane the trace does not have counts).
    fn counts_as_work(&self, lane: u32) -> bool {
        self.lanes
            .get(lane as usize)
            .is_none_or(|l| l.kind != LaneKind::Gil)
    }
}

fn lane_use_of(running: Vec<f64>, makespan: f64) -> Vec<LaneUse> {
    running
        .into_iter()
        .enumerate()
        .map(|(lane, running_us)| LaneUse {
            lane: u32::try_from(lane).unwrap_or(u32::MAX),
            running_us,
            utilisation: if makespan > 0.0 {
                running_us / makespan
            } else {
                0.0
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::{meta, trace_of};
    use crate::{Lane, Span};
    use proptest::prelude::*;

    #[test]
    fn empty_trace_has_zero_figures() {
        let t = trace_of(1, &[]);
        assert_eq!(t.makespan_us(), 0.0);
        assert_eq!(t.speedup_against(&t), None);
        assert_eq!(t.parallel_efficiency(&t, 2), None);
        assert_eq!(t.overhead_share(), 0.0);
        assert_eq!(t.gil_wait_share(), 0.0);
        assert_eq!(meta().scenario.k, 2);
    }

    #[test]
    fn lane_use_is_running_over_makespan() {
        let t = trace_of(2, &[(0, 0.0, 10.0), (1, 5.0, 20.0)]);
        assert_eq!(t.makespan_us(), 20.0);
        let uses = t.lane_use();
        assert!((uses[0].utilisation - 0.5).abs() < 1e-12);
        assert!((uses[1].running_us - 15.0).abs() < 1e-12);
    }

    #[test]
    fn speedup_is_baseline_over_own_and_efficiency_divides_by_workers() {
        let slow = trace_of(1, &[(0, 0.0, 100.0)]);
        let fast = trace_of(2, &[(0, 0.0, 50.0), (1, 0.0, 40.0)]);
        assert_eq!(fast.speedup_against(&slow), Some(2.0));
        assert_eq!(fast.parallel_efficiency(&slow, 2), Some(1.0));
        assert_eq!(fast.parallel_efficiency(&slow, 4), Some(0.5));
        assert_eq!(fast.parallel_efficiency(&slow, 0), None);
        let m = fast.metrics(Some(&slow));
        assert_eq!(m.speedup, Some(2.0));
        assert_eq!(m.efficiency, Some(1.0));
        assert_eq!(fast.metrics(None).speedup, None);
    }

    fn spans_of(lane: u32, pieces: &[(State, f64)]) -> Vec<Span> {
        let mut at = 0.0;
        pieces
            .iter()
            .map(|&(state, len)| {
                let s = Span {
                    lane,
                    state,
                    start_us: at,
                    end_us: at + len,
                    task: None,
                    holder: None,
                };
                at += len;
                s
            })
            .collect()
    }

    #[test]
    fn overhead_and_gil_shares() {
        let mut spans = spans_of(
            0,
            &[
                (State::Startup, 10.0),
                (State::CopyIn, 5.0),
                (State::Running, 70.0),
                (State::CopyOut, 5.0),
                (State::Idle, 100.0),
            ],
        );
        spans.extend(spans_of(
            1,
            &[
                (State::GilWait, 30.0),
                (State::Running, 60.0),
                (State::IoWait, 10.0),
            ],
        ));
        // The GIL lane mirrors the holder and does not count.
        spans.extend(spans_of(2, &[(State::Running, 1000.0)]));
        let lanes = vec![
            Lane {
                kind: LaneKind::Process,
                name: "Process 1".to_owned(),
            },
            Lane::thread("Thread 1"),
            Lane {
                kind: LaneKind::Gil,
                name: "GIL".to_owned(),
            },
        ];
        let t = Trace::new(meta(), lanes, spans);
        // Busy: 90 on lane 0 (idle left out) + 100 on lane 1.
        assert!((t.overhead_share() - 20.0 / 190.0).abs() < 1e-12);
        // GIL wait 30 against 30 + 130 running.
        assert!((t.gil_wait_share() - 30.0 / 160.0).abs() < 1e-12);
        let m = t.metrics(None);
        assert_eq!(m.overhead_share, t.overhead_share());
        assert_eq!(m.states.get(State::Running), 130.0);
        assert_eq!(m.concurrency.peak, 2);
    }

    fn any_state() -> impl Strategy<Value = State> {
        prop::sample::select(State::ALL.to_vec())
    }

    /// Traces of 1 to 4 lanes of any kind whose spans do not overlap on a lane.
    fn sound_trace() -> impl Strategy<Value = Trace> {
        let lane = (
            prop::sample::select(LaneKind::ALL.to_vec()),
            prop::collection::vec((0.0_f64..1e4, 0.0_f64..1e4, any_state()), 0..10),
        );
        (prop::collection::vec(lane, 1..5), 1_u32..17).prop_map(|(lanes, k)| {
            let mut spans = Vec::new();
            let mut kinds = Vec::new();
            for (i, (kind, pieces)) in lanes.into_iter().enumerate() {
                kinds.push(Lane {
                    kind,
                    name: format!("Lane {i}"),
                });
                let mut at = 0.0;
                for (gap, len, state) in pieces {
                    spans.push(Span {
                        lane: u32::try_from(i).unwrap(),
                        state,
                        start_us: at + gap,
                        end_us: at + gap + len,
                        task: None,
                        holder: None,
                    });
                    at += gap + len;
                }
            }
            let mut m = meta();
            m.scenario.k = k;
            Trace::new(m, kinds, spans)
        })
    }

    proptest! {
        #[test]
        fn figures_stay_within_bounds(t in sound_trace(), base in sound_trace()) {
            prop_assert_eq!(t.validate(), Ok(()));
            let m = t.metrics(Some(&base));
            prop_assert_eq!(m.makespan_us, t.makespan_us());
            prop_assert_eq!(&m.lanes, &t.lane_use());
            prop_assert_eq!(m.concurrency, t.concurrency());
            for u in &m.lanes {
                prop_assert!((0.0..=1.0 + 1e-12).contains(&u.utilisation), "{u:?}");
            }
            prop_assert!((0.0..=1.0).contains(&m.overhead_share));
            prop_assert!((0.0..=1.0).contains(&m.gil_wait_share));
            prop_assert_eq!(m.speedup, t.speedup_against(&base));
            match (m.speedup, m.efficiency) {
                (Some(s), Some(e)) => {
                    prop_assert!((e - s / f64::from(t.meta().unwrap().scenario.k)).abs() <= 1e-12 * s);
                }
                (None, None) => {}
                other => prop_assert!(false, "speedup and efficiency disagree: {other:?}"),
            }
            let workers = t.lanes.len() as u32;
            prop_assert_eq!(
                t.parallel_efficiency(&base, workers),
                t.speedup_against(&base).map(|s| s / f64::from(workers))
            );
            // Concurrency integrates to the running time of the working lanes.
            let running: f64 = t
                .spans
                .iter()
                .filter(|s| s.state == State::Running && t.lanes[s.lane as usize].kind != LaneKind::Gil)
                .map(Span::duration_us)
                .sum();
            prop_assert!((m.concurrency.mean * m.makespan_us - running).abs() <= 1e-9 * running.max(1.0));
            prop_assert_eq!(m.states.get(State::Running), running);
            let working = t.lanes.iter().filter(|l| l.kind != LaneKind::Gil).count() as u32;
            prop_assert!(m.concurrency.peak <= working);
            // The state times add up to the spans' lengths on working lanes.
            let total: f64 = State::ALL.into_iter().map(|s| m.states.get(s)).sum();
            let lengths: f64 = t
                .spans
                .iter()
                .filter(|s| t.lanes[s.lane as usize].kind != LaneKind::Gil)
                .map(Span::duration_us)
                .sum();
            prop_assert!((total - lengths).abs() <= 1e-9 * lengths.max(1.0));
        }
    }
}

//! Learning a cost model from a live trace: what its spans say about this
//! machine's speed, waits, hand-offs, start-ups and copies.

use lanes_model::playback::{block_frames, producer_lane};
use lanes_trace::{EventKind, LaneKind, Meta, Mode, Model, Span, State, Trace, Workload};

use crate::work::task_costs;
use crate::{CostModel, SimError};

/// One figure a calibration changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Learned {
    /// The [`CostModel`] field.
    pub field: &'static str,
    /// Its value before.
    pub before: f64,
    /// Its value now.
    pub after: f64,
}

/// What a calibration changed, in the order of the [`CostModel`]'s fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calibration {
    /// The figures that changed.
    pub learned: Vec<Learned>,
}

impl CostModel {
    /// Learns what `live` (a live trace of any model) tells about this
    /// machine and updates those figures; returns which changed.
    ///
    /// - The workload's µs per unit, from its running spans (running time
    ///   per item over [`crate::task_costs`]; a playback producer's per
    ///   frame of its blocks), unless free threads or processes outnumbered
    ///   the cores (their spans stretch) or counter threads contended.
    /// - The I/O overhead, from I/O waits longer than the latency
    ///   (sequential, free threads, processes; not playback, whose waits
    ///   are for room in its ring).
    /// - The thread start, from the first span (sequential, free, GIL).
    /// - The GIL hand-off, from the gap between a release and the next
    ///   holder's hand-off (median).
    /// - Process start-up (median), copy bandwidth (inputs of 1 MB or
    ///   more) or else message latency, from processes runs.
    pub fn calibrate(&mut self, live: &Trace) -> Result<Calibration, SimError> {
        let Some(meta) = live.meta() else {
            return Err(SimError::Calibration(
                "it was imported from another tool, not recorded by Lanes".to_owned(),
            ));
        };
        if meta.mode != Mode::Live {
            return Err(SimError::Calibration(
                "it was simulated, not measured".to_owned(),
            ));
        }
        let before = self.clone();
        self.learn_rates(live, meta);
        self.learn_waits(live, meta);
        match meta.scenario.model {
            Model::Gil => self.learn_handoff(live, meta),
            Model::Processes => self.learn_processes(live),
            _ => {}
        }
        self.check()?;
        let learned = before
            .fields()
            .into_iter()
            .zip(self.fields())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, before), (_, after))| Learned {
                field,
                before,
                after,
            })
            .collect();
        Ok(Calibration { learned })
    }

    fn learn_rates(&mut self, live: &Trace, meta: &Meta) {
        let scenario = &meta.scenario;
        // Mixed runs two threads whatever k; playback a producer beside k.
        let threads = match scenario.workload {
            Workload::Mixed => 2,
            Workload::Playback => scenario.k.saturating_add(1),
            _ => scenario.k,
        };
        let spread =
            matches!(scenario.model, Model::Free | Model::Processes) && threads > meta.cores;
        let contended = matches!(
            scenario.workload,
            Workload::Counter | Workload::CounterLocked
        ) && scenario.model != Model::Sequential
            && scenario.k > 1;
        if spread || contended {
            return;
        }
        if scenario.workload == Workload::Playback {
            self.learn_synthesis(live, meta);
            return;
        }
        let units = task_costs(scenario);
        let mut running = vec![0.0; units.len()];
        for s in worker_spans(live).filter(|s| s.state == State::Running) {
            if let Some(slot) = s.task.and_then(|t| running.get_mut(t as usize)) {
                *slot += s.duration_us();
            }
        }
        let rate = |tasks: std::ops::Range<usize>| {
            let (mut us, mut n) = (0.0, 0.0);
            for t in tasks {
                if let (Some(r), Some(u)) = (running.get(t), units.get(t))
                    && *r > 0.0
                {
                    us += r;
                    n += u;
                }
            }
            (us > 0.0 && n > 0.0).then(|| us / n)
        };
        let all = 0..units.len();
        let half = units.len() / 2;
        let set = |field: &mut f64, value: Option<f64>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        match scenario.workload {
            Workload::Primes => set(&mut self.primes_us_per_unit, rate(all)),
            Workload::Mandelbrot => set(&mut self.mandelbrot_us_per_unit, rate(all)),
            Workload::Audio => set(&mut self.audio_us_per_clip, rate(all)),
            Workload::Io => set(&mut self.parse_us_per_unit, rate(all)),
            Workload::Mixed => {
                set(&mut self.primes_us_per_unit, rate(0..half));
                set(&mut self.parse_us_per_unit, rate(half..units.len()));
            }
            Workload::Counter => set(&mut self.counter_update_us, rate(all)),
            Workload::CounterLocked => set(&mut self.counter_locked_update_us, rate(all)),
            Workload::Ui | Workload::Playback => {}
        }
    }

    /// A playback run's synthesis speed: its producer's computing over the
    /// frames of the blocks it computed.
    fn learn_synthesis(&mut self, live: &Trace, meta: &Meta) {
        let producer = producer_lane(meta.scenario.model);
        let block = f64::from(block_frames(meta.scenario.size));
        let (mut us, mut blocks) = (0.0, 0_u32);
        let mut last = None;
        for s in live.lane_spans(producer) {
            if s.state == State::Running && s.task.is_some() {
                us += s.duration_us();
                blocks += u32::from(last != s.task);
                last = s.task;
            }
        }
        if us > 0.0 && blocks > 0 {
            self.synth_us_per_frame = us / (f64::from(blocks) * block);
        }
    }

    fn learn_waits(&mut self, live: &Trace, meta: &Meta) {
        let scenario = &meta.scenario;
        // A playback producer's waits are for room in its ring, not for a
        // latency.
        if matches!(
            scenario.model,
            Model::Sequential | Model::Free | Model::Processes
        ) && scenario.workload != Workload::Playback
        {
            let latency = f64::from(scenario.latency_us);
            let over: Vec<f64> = worker_spans(live)
                .filter(|s| s.state == State::IoWait)
                .map(|s| (s.duration_us() - latency).max(0.0))
                .collect();
            if let Some(m) = median(over) {
                self.io_overhead_us = m;
            }
        }
        if matches!(scenario.model, Model::Sequential | Model::Free | Model::Gil) {
            let first = worker_spans(live)
                .map(|s| s.start_us)
                .fold(f64::INFINITY, f64::min);
            if first.is_finite() {
                self.thread_start_us = first.max(0.0);
            }
        }
    }

    fn learn_handoff(&mut self, live: &Trace, meta: &Meta) {
        let interval = f64::from(meta.scenario.interval_us);
        let gaps: Vec<f64> = live
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Handoff {
                    from: Some(from), ..
                } => {
                    let spans = live.lane_spans(from);
                    let released = spans
                        .iter()
                        .filter(|s| s.state == State::Running && s.end_us <= e.at_us)
                        .map(|s| s.end_us)
                        .fold(f64::NEG_INFINITY, f64::max);
                    let gap = e.at_us - released;
                    (gap.is_finite() && gap < interval).then_some(gap)
                }
                _ => None,
            })
            .collect();
        if let Some(m) = median(gaps) {
            self.gil_handoff_us = m;
        }
    }

    fn learn_processes(&mut self, live: &Trace) {
        let durations = |state: State| -> Vec<(u32, f64)> {
            live.spans()
                .iter()
                .filter(|s| s.state == state && is_process(live, s.lane))
                .map(|s| (s.lane, s.duration_us()))
                .collect()
        };
        if let Some(m) = median(durations(State::Startup).into_iter().map(|d| d.1).collect()) {
            self.process_startup_us = m;
        }
        let copies: Vec<(f64, f64)> = durations(State::CopyIn)
            .into_iter()
            .filter_map(|(lane, us)| {
                live.events.iter().find_map(|e| match e.kind {
                    EventKind::Send { to, bytes, .. } if to == lane => Some((bytes as f64, us)),
                    _ => None,
                })
            })
            .collect();
        let bytes: f64 = copies.iter().map(|c| c.0).sum();
        if bytes >= 1e6 {
            let us: f64 = copies
                .iter()
                .map(|(_, us)| (us - self.message_latency_us).max(1.0))
                .sum();
            self.copy_bytes_per_us = bytes / us;
        } else if let Some(m) = median(
            copies
                .iter()
                .map(|(b, us)| (us - b / self.copy_bytes_per_us).max(0.0))
                .collect(),
        ) {
            self.message_latency_us = m;
        }
    }
}

fn is_process(live: &Trace, lane: u32) -> bool {
    live.lanes
        .get(lane as usize)
        .is_some_and(|l| l.kind == LaneKind::Process)
}

/// Spans on thread and process lanes (not the GIL's or the parent's).
fn worker_spans(live: &Trace) -> impl Iterator<Item = &Span> {
    live.spans().iter().filter(|s| {
        live.lanes
            .get(s.lane as usize)
            .is_some_and(|l| matches!(l.kind, LaneKind::Thread | LaneKind::Process))
    })
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    xs.retain(|x| x.is_finite());
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied()
}

//! The part of an import that reads a Python program's trace: the calls of
//! each lane as a stack, the states they imply where the file has none, and
//! the GIL lane of each process (measured, traced or inferred).

use std::collections::HashMap;

use crate::model::of_lane;
use crate::python::blocking::blocking_state;
use crate::python::gil::{exclusive, split_running};
use crate::python::infer::{ThreadEvidence, infer_holdings};
use crate::python::stacks::{Slice, nest};
use crate::{Call, GilEvidence, Holding, Lane, LaneKind, Span, State, gil_lane_span};

/// The calls of every lane with the states they imply.
#[derive(Debug, Default)]
pub(super) struct Stacks {
    /// Every call, lane by lane.
    pub(super) calls: Vec<Call>,
    /// Spans the calls imply, with the label (name index) of the outermost
    /// call each lies in.
    pub(super) derived: Vec<(Span, u32)>,
    /// Slices cut at the end of the slice they started in.
    pub(super) clipped: usize,
    /// Slices nested too deep to keep.
    pub(super) too_deep: usize,
}

/// Nests each lane's call slices (`slices[lane]`, names indexing `names`)
/// and, when `derive`, gives each lane the states its calls imply wherever
/// the lane has no state span of its own (`own`, sorted by lane then start).
pub(super) fn stacks(
    slices: &mut [Vec<Slice>],
    names: &[&str],
    own: &[(Span, u32)],
    derive: bool,
) -> Stacks {
    // Each name is looked up in the table of blocking calls once.
    let waits: Vec<Option<State>> = names.iter().map(|n| blocking_state(n)).collect();
    let wait_of = |name: u32| waits.get(name as usize).copied().flatten();
    let mut out = Stacks::default();
    for (lane, lane_slices) in slices.iter_mut().enumerate() {
        if lane_slices.is_empty() {
            continue;
        }
        let lane = u32::try_from(lane).unwrap_or(u32::MAX);
        let nested = nest(lane, lane_slices, &wait_of);
        out.calls.extend_from_slice(&nested.calls);
        out.clipped += nested.clipped;
        out.too_deep += nested.too_deep;
        if !derive {
            continue;
        }
        let mut taken = of_lane(own, lane, |(s, _)| s.lane)
            .iter()
            .map(|(s, _)| (s.start_us, s.end_us));
        let mut next_taken = taken.next();
        for st in &nested.stretches {
            // The parts of the stretch that no span of the lane's own covers.
            let mut cursor = st.start_us;
            while let Some((start, end)) = next_taken {
                if end <= cursor {
                    next_taken = taken.next();
                    continue;
                }
                if start >= st.end_us {
                    break;
                }
                if start > cursor {
                    out.derived
                        .push((span(lane, st.state, cursor, start), st.root));
                }
                cursor = cursor.max(end);
                if end >= st.end_us {
                    break;
                }
                next_taken = taken.next();
            }
            if st.end_us > cursor {
                out.derived
                    .push((span(lane, st.state, cursor, st.end_us), st.root));
            }
        }
    }
    out
}

fn span(lane: u32, state: State, start_us: f64, end_us: f64) -> Span {
    Span {
        lane,
        state,
        start_us,
        end_us,
        task: None,
        holder: None,
    }
}

/// How a file's GIL lanes are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum GilSource {
    /// The interpreter had no GIL (`metadata.gil == "disabled"`), or the
    /// file is Lanes' own: no GIL lane is made.
    None,
    /// `lanes_record.py` measured each thread's states: its running spans
    /// are the holdings.
    Measured,
    /// per4m traced the holdings (given to [`gil_lanes`]).
    Traced,
    /// Inferred from the calls where two threads of a process run at once.
    Inferred,
}

/// The GIL lanes of a file and the spans they change.
#[derive(Debug, Default)]
pub(super) struct GilLanes {
    /// The new lanes, to append after the file's own.
    pub(super) lanes: Vec<Lane>,
    /// Every span, the GIL lanes' included, sorted by lane then start.
    pub(super) spans: Vec<(Span, u32)>,
    /// How they were known, when any was made.
    pub(super) evidence: Option<GilEvidence>,
}

/// One process of the file: its lanes (a run of consecutive indices) and
/// its name for a GIL lane.
#[derive(Clone, Debug)]
pub(super) struct ProcessLanes {
    pub(super) lanes: std::ops::Range<u32>,
    pub(super) name: String,
}

/// Adds a GIL lane to each process that needs one and splits its threads'
/// running into running and waiting for the GIL where the holdings say so
/// (traced and inferred; measured states are kept as measured).
///
/// `spans` are sorted by lane then start; `calls` are grouped by lane;
/// `traced` holds per4m's holdings, by holder lane; `first_gil_lane` is
/// the index the first new lane gets; `interval_us` is the interpreter's
/// switch interval, for the inference.
pub(super) fn gil_lanes(
    source: GilSource,
    interval_us: f64,
    processes: &[ProcessLanes],
    lanes: &[Lane],
    spans: Vec<(Span, u32)>,
    calls: &[Call],
    traced: Vec<Holding>,
) -> GilLanes {
    let mut out = GilLanes::default();
    if source == GilSource::None {
        out.spans = spans;
        return out;
    }
    let running_of = |lane: u32| -> Vec<(f64, f64)> {
        let mut running: Vec<(f64, f64)> = Vec::new();
        for (s, _) in of_lane(&spans, lane, |(s, _)| s.lane)
            .iter()
            .filter(|(s, _)| s.state == State::Running)
        {
            match running.last_mut() {
                Some(last) if last.1 >= s.start_us => last.1 = last.1.max(s.end_us),
                _ => running.push((s.start_us, s.end_us)),
            }
        }
        running
    };
    let mut traced_by_lane: HashMap<u32, Vec<Holding>> = HashMap::new();
    for h in traced {
        traced_by_lane.entry(h.holder).or_default().push(h);
    }
    let first_gil_lane = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
    // Which lanes get their running split, with their own holdings.
    let mut split: HashMap<u32, Vec<Holding>> = HashMap::new();
    let mut gil_spans_all = Vec::new();
    let several = processes.len() > 1;
    for process in processes {
        let workers: Vec<u32> = process
            .lanes
            .clone()
            .filter(|&l| {
                lanes
                    .get(l as usize)
                    .is_some_and(|lane| matches!(lane.kind, LaneKind::Thread | LaneKind::Process))
            })
            .collect();
        // Each worker's running stretches, joined where they touch.
        let running: Vec<(u32, Vec<(f64, f64)>)> =
            workers.iter().map(|&l| (l, running_of(l))).collect();
        let holdings = match source {
            GilSource::None => continue,
            GilSource::Measured => {
                if running.iter().filter(|(_, r)| !r.is_empty()).count() < 2 {
                    continue;
                }
                exclusive(
                    running
                        .iter()
                        .flat_map(|(l, r)| {
                            r.iter().map(|&(start_us, end_us)| Holding {
                                holder: *l,
                                start_us,
                                end_us,
                            })
                        })
                        .collect(),
                )
            }
            GilSource::Traced => {
                let held: Vec<Holding> = workers
                    .iter()
                    .flat_map(|l| traced_by_lane.get(l).into_iter().flatten().copied())
                    .collect();
                if held.is_empty() {
                    continue;
                }
                exclusive(held)
            }
            GilSource::Inferred => {
                if !overlap(&running) {
                    continue;
                }
                let events: Vec<Vec<f64>> = workers
                    .iter()
                    .map(|&l| {
                        let mut times: Vec<f64> = of_lane(calls, l, |c| c.lane)
                            .iter()
                            .flat_map(|c| [c.start_us, c.end_us])
                            .collect();
                        times.sort_by(f64::total_cmp);
                        times
                    })
                    .collect();
                let evidence: Vec<ThreadEvidence<'_>> = running
                    .iter()
                    .zip(&events)
                    .map(|((lane, running), events)| ThreadEvidence {
                        lane: *lane,
                        events,
                        running,
                    })
                    .collect();
                infer_holdings(&evidence, interval_us)
            }
        };
        if source != GilSource::Measured {
            for &l in &workers {
                let own = holdings.iter().filter(|h| h.holder == l).copied().collect();
                split.insert(l, own);
            }
        }
        let gil_lane = first_gil_lane.saturating_add(u32::try_from(out.lanes.len()).unwrap_or(0));
        out.lanes.push(Lane {
            kind: LaneKind::Gil,
            name: if several {
                format!("GIL · {}", process.name)
            } else {
                "GIL".to_owned()
            },
        });
        gil_spans_all.extend(holdings.iter().filter_map(|h| gil_lane_span(gil_lane, h)));
    }
    if !out.lanes.is_empty() {
        out.evidence = Some(match source {
            GilSource::Measured | GilSource::None => GilEvidence::Measured,
            GilSource::Traced => GilEvidence::Traced,
            GilSource::Inferred => GilEvidence::Inferred,
        });
    }
    let mut all = Vec::with_capacity(spans.len() + gil_spans_all.len());
    let mut at = 0;
    while at < spans.len() {
        let lane = spans[at].0.lane;
        let end = at + spans[at..].partition_point(|(s, _)| s.lane <= lane);
        match split.get(&lane) {
            Some(held) => {
                let lane_spans: Vec<Span> = spans[at..end].iter().map(|(s, _)| *s).collect();
                all.extend(
                    split_running(&lane_spans, held)
                        .into_iter()
                        .map(|(s, i)| (s, spans[at + i].1)),
                );
            }
            None => all.extend_from_slice(&spans[at..end]),
        }
        at = end;
    }
    all.extend(
        gil_spans_all
            .into_iter()
            .map(|s| (s, super::import::NO_LABEL)),
    );
    out.spans = all;
    out
}

/// Whether two of the lanes run at once.
fn overlap(running: &[(u32, Vec<(f64, f64)>)]) -> bool {
    let mut all: Vec<(f64, f64, u32)> = running
        .iter()
        .flat_map(|(lane, r)| r.iter().map(move |&(s, e)| (s, e, *lane)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut reach: Option<(f64, u32)> = None;
    for (s, e, lane) in all {
        if let Some((end, other)) = reach
            && s < end
            && other != lane
        {
            return true;
        }
        if reach.is_none_or(|(end, _)| e > end) {
            reach = Some((e, lane));
        }
    }
    false
}

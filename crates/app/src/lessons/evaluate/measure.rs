//! Figures the steps read from traces beyond the trace crate's metrics, and
//! how they are written in claims.

use lanes_trace::{EventKind, LaneKind, Span, State, Trace, merge_lane_intervals};

use crate::format::duration_ms;

/// A run's makespan in words, e.g. "338 ms".
pub(super) fn took(t: &Trace) -> String {
    duration_ms(t.makespan_ms())
}

/// How many times faster `fast` finished than `slow` (both have run for
/// some time: `evaluate` checks it first).
pub(super) fn times_faster(fast: &Trace, slow: &Trace) -> f64 {
    slow.makespan_us() / fast.makespan_us()
}

/// µs in words, e.g. "35.7 ms".
pub(super) fn us(x: f64) -> String {
    duration_ms(x / 1000.0)
}

/// A share (0 to 1) as a percentage, e.g. "34 %" or "0.42 %".
pub(super) fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p == 0.0 || p >= 10.0 {
        format!("{p:.0} %")
    } else if p >= 1.0 {
        format!("{p:.1} %")
    } else {
        format!("{p:.2} %")
    }
}

/// The cores a run's k workers could use: min(k, cores), at least 1.
pub(super) fn usable_cores(t: &Trace) -> u32 {
    t.meta().map_or(1, |m| m.scenario.k.min(m.cores).max(1))
}

/// The lanes of `kind`, by index.
pub(super) fn lanes_of(t: &Trace, kind: LaneKind) -> Vec<u32> {
    (0..t.lanes.len())
        .filter(|&i| t.lanes.get(i).is_some_and(|l| l.kind == kind))
        .filter_map(|i| u32::try_from(i).ok())
        .collect()
}

/// The spans in `state` on lanes of `kind`.
pub(super) fn spans_in(t: &Trace, kind: LaneKind, state: State) -> Vec<Span> {
    t.spans()
        .iter()
        .filter(|s| s.state == state)
        .filter(|s| t.lanes.get(s.lane as usize).is_some_and(|l| l.kind == kind))
        .copied()
        .collect()
}

/// How many lanes of `kind` were in `state` at once: the most at any
/// moment, and the time during which two or more were, in µs. A lane
/// counts once however many of its spans overlap; touching spans do not
/// overlap.
pub(super) fn at_once(t: &Trace, kind: LaneKind, state: State) -> (u32, f64) {
    let merged = merge_lane_intervals(
        spans_in(t, kind, state)
            .into_iter()
            .map(|s| (s.lane, s.start_us, s.end_us)),
    );
    let mut edges: Vec<(f64, i64)> = merged
        .iter()
        .flat_map(|&(_, start, end)| [(start, 1), (end, -1)])
        .collect();
    // Ends before starts at the same instant.
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut level, mut peak, mut parallel_us, mut since) = (0_i64, 0_i64, 0.0, 0.0);
    for (at, step) in edges {
        if level >= 2 {
            parallel_us += at - since;
        }
        level += step;
        since = at;
        peak = peak.max(level);
    }
    (u32::try_from(peak).unwrap_or(0), parallel_us)
}

/// When the GIL changed hands (hand-offs from one thread to another), in
/// µs, in time order.
pub(super) fn handoffs(t: &Trace) -> Vec<f64> {
    t.events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Handoff { from: Some(_), .. }))
        .map(|e| e.at_us)
        .collect()
}

/// The median of `values`; `None` when there are none.
pub(super) fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => values.get(n / 2).copied(),
        _ => Some((values.get(n / 2 - 1)? + values.get(n / 2)?) / 2.0),
    }
}

/// The gaps between successive GIL hand-offs, in µs.
pub(super) fn handoff_gaps(t: &Trace) -> Vec<f64> {
    handoffs(t).windows(2).map(|w| w[1] - w[0]).collect()
}

/// What starting the processes cost: how many of the process lanes have a
/// start-up span (started cold), out of how many, and the mean start-up per
/// cold process in µs (0 with none).
pub(super) fn startups(t: &Trace) -> (usize, usize, f64) {
    let lanes = lanes_of(t, LaneKind::Process);
    let spans = spans_in(t, LaneKind::Process, State::Startup);
    let cold = lanes
        .iter()
        .filter(|&&l| spans.iter().any(|s| s.lane == l))
        .count();
    let total: f64 = spans.iter().map(Span::duration_us).sum();
    let mean = if cold > 0 { total / cold as f64 } else { 0.0 };
    (cold, lanes.len(), mean)
}

/// Whether every process lane has a span in `state`, and there is one.
pub(super) fn every_process_has(t: &Trace, state: State) -> bool {
    let lanes = lanes_of(t, LaneKind::Process);
    let spans = spans_in(t, LaneKind::Process, state);
    !lanes.is_empty() && lanes.iter().all(|&l| spans.iter().any(|s| s.lane == l))
}

/// Time spent copying inputs into the processes, in µs.
pub(super) fn copy_in_us(t: &Trace) -> f64 {
    spans_in(t, LaneKind::Process, State::CopyIn)
        .iter()
        .map(Span::duration_us)
        .sum()
}

/// The bytes sent to process lanes, as the trace's messages record them.
pub(super) fn bytes_to_processes(t: &Trace) -> u64 {
    let processes = lanes_of(t, LaneKind::Process);
    t.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Send { to, bytes, .. } if processes.contains(&to) => Some(bytes),
            _ => None,
        })
        .sum()
}

/// Bytes in words, e.g. "20.0 MB".
pub(super) fn bytes(n: u64) -> String {
    let b = n as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{n} B")
    }
}

/// When the first thread started computing, in µs since the run started:
/// what starting the threads cost. `None` when no thread ran.
pub(super) fn thread_start_us(t: &Trace) -> Option<f64> {
    spans_in(t, LaneKind::Thread, State::Running)
        .iter()
        .map(|s| s.start_us)
        .filter(|at| at.is_finite())
        .min_by(f64::total_cmp)
}

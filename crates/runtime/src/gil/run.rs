//! k threads pulling work items from one queue, one GIL between them.

use std::sync::atomic::{AtomicU32, Ordering};

use lanes_model::{Holding, gil_lane_span};
use lanes_trace::{Event, EventKind, Span};

use super::{Gil, GilJob, SwitchInterval};
use crate::threads::on_threads;
use crate::{Cancel, Clock, RunError};

/// What the threads of one GIL run did.
#[derive(Debug)]
pub struct GilRecorded {
    /// Every thread's spans, on lanes `0..threads`, sorted by lane then
    /// start, in µs since the run started.
    pub spans: Vec<Span>,
    /// Hand-offs and forced switches, sorted by time.
    pub events: Vec<Event>,
    /// Who held the GIL when, in time order.
    pub holdings: Vec<Holding>,
    /// The sum of the items' results.
    pub result: u64,
    /// The pool thread each lane ran on, by lane.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "tests check that lanes are distinct threads")
    )]
    pub(super) threads: Vec<Option<usize>>,
}

impl GilRecorded {
    /// The GIL lane, numbered `gil_lane`: one span per holding.
    pub fn gil_spans(&self, gil_lane: u32) -> Vec<Span> {
        let span = |h: &Holding| gil_lane_span(gil_lane, h);
        self.holdings.iter().filter_map(span).collect()
    }
}

/// Runs `job` on `threads` distinct threads of the current rayon pool under
/// one GIL: each thread takes the lock, then pulls items from a shared
/// counter until none are left, as the threads of a Python thread pool do.
///
/// Call it from inside the pool (`ThreadPool::install`, or a task spawned on
/// the pool), never on a browser's main thread: it blocks its thread until
/// every lane has finished. Cancelling stops each thread at its next check
/// of the GIL, inside the item in progress.
pub fn run_gil(
    job: &dyn GilJob,
    threads: u32,
    interval: SwitchInterval,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<GilRecorded, RunError> {
    let next = AtomicU32::new(0);
    let gil = Gil::new(interval, clock).with_cancel(cancel);
    // k distinct threads of the pool, all starting together.
    let logs = on_threads(threads, |lane| {
        let mut py = gil.thread(lane);
        py.acquire();
        let mut sum = 0;
        while !cancel.is_cancelled() {
            let task = next.fetch_add(1, Ordering::Relaxed);
            if task >= job.tasks() {
                break;
            }
            py.set_task(Some(task));
            sum += job.run_task(task, &mut py);
            // An item must give the lock back as it found it.
            py.acquire();
        }
        let (spans, events) = py.finish();
        (spans, events, sum)
    })?;
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    let result = logs.iter().map(|((_, _, sum), _)| sum).sum();
    let threads = logs.iter().map(|(_, thread)| *thread).collect();
    let mut spans = Vec::new();
    let mut events = Vec::new();
    for ((lane_spans, lane_events, _), _) in logs {
        spans.extend(lane_spans);
        events.extend(lane_events);
    }
    // Each lane's spans are in time order already; lanes come in order.
    // With a coarse clock a drop and the take after it may share a time: the
    // forced switch comes first.
    events.sort_by(|a, b| {
        a.at_us
            .total_cmp(&b.at_us)
            .then(rank(&a.kind).cmp(&rank(&b.kind)))
    });
    Ok(GilRecorded {
        spans,
        events,
        holdings: gil.holdings(),
        result,
        threads,
    })
}

/// The order of events that share a time: causes before effects.
fn rank(kind: &EventKind) -> u8 {
    match kind {
        EventKind::ForcedSwitch { .. } => 0,
        EventKind::Handoff { .. } => 1,
        _ => 2,
    }
}

//! k threads taking work items one after another, one GIL between them.

use lanes_model::{Holding, gil_lane_span};
use lanes_trace::{Event, EventKind, Span};

use super::{Gil, GilThread, SwitchInterval};
use crate::steps::{Item, Step, Threads};
use crate::threads::on_threads;
use crate::{Cancel, Clock, RunError, Sleeper};

/// What the threads of one GIL run did.
#[derive(Debug)]
pub(crate) struct GilRecorded {
    /// Every thread's spans, on lanes `0..threads`, each lane's in time
    /// order, in µs since the run started.
    pub(crate) spans: Vec<Span>,
    /// Hand-offs and forced switches, sorted by time.
    pub(crate) events: Vec<Event>,
    /// Who held the GIL when, in time order.
    pub(crate) holdings: Vec<Holding>,
    /// The sum of the items' results.
    pub(crate) result: u64,
    /// The pool thread each lane ran on, by lane (none for the solo
    /// scheduler, which runs them all on its own thread).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "tests check that lanes are distinct threads")
    )]
    pub(crate) threads: Vec<Option<usize>>,
}

impl GilRecorded {
    /// The GIL lane, numbered `gil_lane`: one span per holding.
    pub(crate) fn gil_spans(&self, gil_lane: u32) -> Vec<Span> {
        let span = |h: &Holding| gil_lane_span(gil_lane, h);
        self.holdings.iter().filter_map(span).collect()
    }
}

/// Runs the threads of `work` on as many distinct threads of the current
/// rayon pool under one GIL: each thread takes the lock, then its items one
/// after another until none is left for it, as the threads of a Python
/// thread pool do. I/O waits block with `sleeper`, without the lock.
///
/// Call it from inside the pool (`ThreadPool::install`, or a task spawned on
/// the pool), never on a browser's main thread: it blocks its thread until
/// every lane has finished. Cancelling stops each thread at its next check
/// of the GIL, inside the item in progress.
pub(crate) fn run_gil<'a>(
    work: &dyn Threads<'a>,
    interval: SwitchInterval,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<GilRecorded, RunError> {
    let gil = Gil::new(interval, clock).with_cancel(cancel);
    // k distinct threads of the pool, all starting together.
    let logs = on_threads(work.count(), |lane| {
        let mut py = gil.thread(lane);
        py.acquire();
        let mut sum = 0_u64;
        while !cancel.is_cancelled() {
            let Some((task, mut item)) = work.next_item(lane) else {
                break;
            };
            py.set_task(Some(task));
            sum = sum.wrapping_add(py.run(item.as_mut(), sleeper));
        }
        let (spans, events) = py.finish();
        (spans, events, sum)
    })?;
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    let result = logs
        .iter()
        .fold(0_u64, |sum, ((_, _, part), _)| sum.wrapping_add(*part));
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

impl GilThread<'_> {
    /// Runs `item` to its end on this thread, which holds the lock: a
    /// [check](Self::check) between two steps, and each I/O wait slept by
    /// `sleeper` as an [I/O wait](Self::io_wait). Returns the item's result,
    /// or 0 once the run is cancelled. The thread holds the lock again on
    /// return.
    pub(crate) fn run(&mut self, item: &mut dyn Item, sleeper: &dyn Sleeper) -> u64 {
        loop {
            match item.step() {
                Step::Ran if !self.check() => return 0,
                Step::Ran => {}
                Step::Io(us) => self.io_wait(|| sleeper.sleep_us(us)),
                Step::Done(part) => return part,
            }
        }
    }
}

/// The order of events that share a time: causes before effects.
fn rank(kind: &EventKind) -> u8 {
    match kind {
        EventKind::ForcedSwitch { .. } => 0,
        EventKind::Handoff { .. } => 1,
        _ => 2,
    }
}

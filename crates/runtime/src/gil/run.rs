//! k threads pulling work items from one queue, one GIL between them.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, Mutex, PoisonError};

use lanes_trace::{Event, EventKind, Span};

use super::{Gil, GilJob, SwitchInterval, gil_lane_spans};
use crate::{Cancel, Clock, MAX_THREADS, RunError};

/// What the threads of one GIL run did.
#[derive(Debug)]
pub struct GilRecorded {
    /// Every thread's spans, on lanes `0..threads`, sorted by lane then
    /// start, in µs since the run started.
    pub spans: Vec<Span>,
    /// Hand-offs and forced switches, sorted by time.
    pub events: Vec<Event>,
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
    /// The GIL lane, numbered `gil_lane`: see [`gil_lane_spans`].
    pub fn gil_spans(&self, gil_lane: u32) -> Vec<Span> {
        gil_lane_spans(&self.spans, gil_lane)
    }
}

/// Runs `job` on `threads` distinct threads of the current rayon pool under
/// one GIL: each thread takes the lock, then pulls items from a shared
/// counter until none are left, as the threads of a Python thread pool do.
///
/// Call it from inside the pool (`ThreadPool::install`, or a task spawned on
/// the pool), never on a browser's main thread: it blocks its thread until
/// every lane has finished. Cancelling stops each thread after its item in
/// progress.
pub fn run_gil(
    job: &dyn GilJob,
    threads: u32,
    interval: SwitchInterval,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<GilRecorded, RunError> {
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(RunError::ThreadCount(threads));
    }
    let have = rayon::current_num_threads();
    if have < threads as usize {
        return Err(RunError::PoolTooSmall {
            need: threads,
            have,
        });
    }
    let next = AtomicU32::new(0);
    // Every lane waits here until all are up, so no lane can start on a thread
    // another lane is still using: k lanes are k distinct threads.
    let ready = Barrier::new(threads as usize);
    let logs = Mutex::new(Vec::with_capacity(threads as usize));
    let gil = Gil::new(interval, clock).with_cancel(cancel);
    rayon::scope(|scope| {
        for lane in 0..threads {
            let (next, ready, logs, gil) = (&next, &ready, &logs, &gil);
            scope.spawn(move |_| {
                ready.wait();
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
                let thread = rayon::current_thread_index();
                logs.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((lane, spans, events, sum, thread));
            });
        }
    });
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    let mut logs = logs.into_inner().unwrap_or_else(PoisonError::into_inner);
    logs.sort_by_key(|log| log.0);
    let result = logs.iter().map(|log| log.3).sum();
    let threads = logs.iter().map(|log| log.4).collect();
    let mut spans = Vec::new();
    let mut events = Vec::new();
    for log in logs {
        spans.extend(log.1);
        events.extend(log.2);
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

//! k long-lived tasks on k distinct threads of the current rayon pool, as a
//! Python thread pool has: the plain (no GIL) way to run work items.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, Mutex, PoisonError};

use lanes_trace::Span;
#[cfg(test)]
use lanes_trace::State;
#[cfg(test)]
use lanes_workloads::Job;

use crate::record::Recorder;
use crate::{Cancel, Clock, MAX_THREADS, RunError};

/// Work cut into numbered items, each of which records its own spans
/// (computing, waiting) on the lane of the thread that runs it.
pub(crate) trait Work: Sync {
    /// How many work items there are.
    fn tasks(&self) -> u32;

    /// Runs item `task`, recording onto `lane`; returns its partial result.
    fn run_task(&self, task: u32, lane: &mut Recorder<'_>) -> u64;
}

/// A [`Job`] whose items only compute: one running span each.
#[cfg(test)]
#[derive(Clone, Copy)]
pub(crate) struct Computing<'a>(pub(crate) &'a dyn Job);

#[cfg(test)]
impl Work for Computing<'_> {
    fn tasks(&self) -> u32 {
        self.0.tasks()
    }

    fn run_task(&self, task: u32, lane: &mut Recorder<'_>) -> u64 {
        lane.record(State::Running, Some(task), || self.0.run_task(task))
    }
}

/// What the threads (or the one thread) of one run did.
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    /// Every lane's spans, lane by lane, each lane's in time order.
    pub(crate) spans: Vec<Span>,
    /// The sum of the items' results.
    pub(crate) result: u64,
    /// The pool thread each lane ran on, by lane (none when they ran on
    /// the calling thread).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "tests check that lanes are distinct threads")
    )]
    pub(crate) threads: Vec<Option<usize>>,
}

/// Runs `body(lane)` for lanes `0..threads`, each on a distinct thread of
/// the current pool, all starting together; returns what each gave, by lane,
/// with the pool thread it ran on.
///
/// Call it from inside the pool: it blocks its thread until every lane has
/// finished.
pub(crate) fn on_threads<T: Send>(
    threads: u32,
    body: impl Fn(u32) -> T + Sync,
) -> Result<Vec<(T, Option<usize>)>, RunError> {
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
    // Every lane waits here until all are up, so no lane can start on a thread
    // another lane is still using: k lanes are k distinct threads.
    let ready = Barrier::new(threads as usize);
    let outs = Mutex::new(Vec::with_capacity(threads as usize));
    rayon::scope(|scope| {
        for lane in 0..threads {
            let (ready, outs, body) = (&ready, &outs, &body);
            scope.spawn(move |_| {
                ready.wait();
                let out = body(lane);
                let thread = rayon::current_thread_index();
                outs.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((lane, out, thread));
            });
        }
    });
    let mut outs = outs.into_inner().unwrap_or_else(PoisonError::into_inner);
    outs.sort_by_key(|out| out.0);
    Ok(outs
        .into_iter()
        .map(|(_, out, thread)| (out, thread))
        .collect())
}

/// Runs `body(lane, recorder)` for lanes `0..threads`, each on a distinct
/// thread of the current pool (as [`on_threads`]), recording its lane from
/// `origin_us` on `clock` and giving its part of the answer; gathers every
/// lane's spans, lane by lane, and the parts' sum. A raised `cancel` gives
/// [`RunError::Cancelled`].
pub(crate) fn record_on_threads(
    threads: u32,
    clock: &dyn Clock,
    origin_us: f64,
    cancel: &Cancel,
    body: impl Fn(u32, &mut Recorder<'_>) -> u64 + Sync,
) -> Result<Recorded, RunError> {
    let lanes = on_threads(threads, |lane| {
        let mut rec = Recorder::new(clock, origin_us, lane);
        let part = body(lane, &mut rec);
        (rec.finish(), part)
    })?;
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    let result = lanes
        .iter()
        .fold(0_u64, |sum, ((_, part), _)| sum.wrapping_add(*part));
    let threads = lanes.iter().map(|(_, thread)| *thread).collect();
    let spans = lanes
        .into_iter()
        .flat_map(|((spans, _), _)| spans)
        .collect();
    Ok(Recorded {
        spans,
        result,
        threads,
    })
}

/// Runs `work` on `threads` distinct threads of the current pool, each
/// pulling items from a shared counter until none are left. Times are µs
/// since the call.
pub(crate) fn run_queue(
    work: &dyn Work,
    threads: u32,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<Recorded, RunError> {
    let next = AtomicU32::new(0);
    record_on_threads(threads, clock, clock.now_us(), cancel, |_, rec| {
        let mut sum = 0_u64;
        while !cancel.is_cancelled() {
            let task = next.fetch_add(1, Ordering::Relaxed);
            if task >= work.tasks() {
                break;
            }
            sum = sum.wrapping_add(work.run_task(task, rec));
        }
        sum
    })
}

#[cfg(test)]
mod tests {
    use lanes_workloads::PrimeCount;

    use super::*;
    use crate::MonotonicClock;
    use crate::testing::pool;

    #[test]
    fn every_k_gets_k_distinct_threads_and_the_twins_answer() {
        let pool = pool();
        let job = PrimeCount::new(200_000, 32);
        let twin = job.sequential_twin();
        for k in 1..=MAX_THREADS {
            let clock = MonotonicClock::new();
            let rec = pool
                .install(|| run_queue(&Computing(&job), k, &clock, &Cancel::new()))
                .unwrap_or_else(|e| panic!("k={k}: {e}"));
            assert_eq!(rec.result, twin, "k={k}");
            let mut threads: Vec<_> = rec
                .threads
                .iter()
                .map(|t| t.unwrap_or(usize::MAX))
                .collect();
            threads.sort_unstable();
            threads.dedup();
            assert_eq!(threads.len(), k as usize, "k={k} ran on {:?}", rec.threads);
            let mut tasks: Vec<_> = rec.spans.iter().filter_map(|s| s.task).collect();
            tasks.sort_unstable();
            assert_eq!(tasks, (0..32).collect::<Vec<_>>(), "k={k}");
        }
    }

    #[test]
    fn refuses_bad_thread_counts_and_small_pools() {
        let clock = MonotonicClock::new();
        let job = PrimeCount::new(1000, 16);
        let work = Computing(&job);
        assert_eq!(
            run_queue(&work, 0, &clock, &Cancel::new()).map(|r| r.result),
            Err(RunError::ThreadCount(0))
        );
        assert_eq!(
            run_queue(&work, 17, &clock, &Cancel::new()).map(|r| r.result),
            Err(RunError::ThreadCount(17))
        );
        let small = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = small.install(|| run_queue(&work, 3, &clock, &Cancel::new()).map(|r| r.result));
        assert_eq!(err, Err(RunError::PoolTooSmall { need: 3, have: 2 }));
    }
}

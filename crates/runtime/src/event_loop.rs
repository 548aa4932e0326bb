//! An event loop over coroutines on one thread, as `asyncio` runs them.
//!
//! Each coroutine takes work items one after another; for each it awaits a
//! timer (a simulated I/O wait, or zero to let the others run, as
//! `await asyncio.sleep(0)`), then computes. The loop runs the coroutines
//! whose timers have fired one at a time, each until its next await, and
//! when none is ready it sleeps until the earliest timer. Awaits overlap;
//! computing blocks the loop, so timers that fall due meanwhile fire late.
//!
//! Each coroutine has a lane: running while it computes, awaiting from its
//! await until the loop resumes it (past its timer when the loop was busy).
//! Running spans of different lanes never overlap: there is one thread.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use lanes_model::Stamps;
use lanes_trace::{Span, State};
use lanes_workloads::Job;

use crate::threads::Recorded;
use crate::{Cancel, Clock, RunError, Sleeper};

/// What the coroutines of one loop do.
pub(crate) trait Coroutines {
    /// How many coroutines there are.
    fn count(&self) -> u32;

    /// The next item coroutine `coroutine` takes on, if any is left for it.
    fn next_item(&mut self, coroutine: u32) -> Option<u32>;

    /// How long item `task` awaits before it computes, in µs.
    fn await_us(&self, task: u32) -> f64;

    /// Computes item `task`; returns its partial result.
    fn compute(&self, task: u32) -> u64;
}

/// `count` coroutines taking the items of one job from one shared queue,
/// each awaiting `await_us` before each item (a worker pool of coroutines).
pub(crate) struct Pulling<'a> {
    job: &'a dyn Job,
    count: u32,
    await_us: f64,
    next: u32,
}

impl<'a> Pulling<'a> {
    pub(crate) fn new(job: &'a dyn Job, count: u32, await_us: f64) -> Self {
        Self {
            job,
            count,
            await_us,
            next: 0,
        }
    }
}

impl Coroutines for Pulling<'_> {
    fn count(&self) -> u32 {
        self.count
    }

    fn next_item(&mut self, _coroutine: u32) -> Option<u32> {
        (self.next < self.job.tasks()).then(|| {
            self.next += 1;
            self.next - 1
        })
    }

    fn await_us(&self, _task: u32) -> f64 {
        self.await_us
    }

    fn compute(&self, task: u32) -> u64 {
        self.job.run_task(task)
    }
}

/// A timer: coroutine `coroutine` is due at `at_us`. Earlier timers, then
/// earlier-set ones, come first.
#[derive(Clone, Copy, Debug)]
struct Timer {
    at_us: f64,
    seq: u64,
    coroutine: u32,
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Timer {}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timer {
    /// Reversed, so that `BinaryHeap` pops the earliest.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .at_us
            .total_cmp(&self.at_us)
            .then(other.seq.cmp(&self.seq))
    }
}

/// The loop's state while it runs.
struct EventLoop<'c> {
    clock: &'c dyn Clock,
    /// Its stamps, which never go back.
    time: Stamps,
    ready: VecDeque<u32>,
    timers: BinaryHeap<Timer>,
    seq: u64,
    /// Per coroutine: the item it awaits for and since when.
    waiting: Vec<Option<(u32, f64)>>,
    spans: Vec<Span>,
}

impl EventLoop<'_> {
    fn now_us(&mut self) -> f64 {
        self.time.stamp(self.clock.now_us())
    }

    /// Coroutine `c` takes its next item, if any, and awaits from `at_us`.
    fn next(&mut self, work: &mut dyn Coroutines, c: u32, at_us: f64) {
        let Some(slot) = self.waiting.get_mut(c as usize) else {
            return;
        };
        *slot = None;
        if let Some(task) = work.next_item(c) {
            *slot = Some((task, at_us));
            let wait = work.await_us(task);
            if wait > 0.0 {
                self.timers.push(Timer {
                    at_us: at_us + wait,
                    seq: self.seq,
                    coroutine: c,
                });
                self.seq += 1;
            } else {
                self.ready.push_back(c);
            }
        }
    }

    /// Moves the coroutines whose timers are due by `now_us` to the ready
    /// queue, earliest first.
    fn fire(&mut self, now_us: f64) {
        while let Some(t) = self.timers.peek().copied()
            && t.at_us <= now_us
        {
            self.timers.pop();
            self.ready.push_back(t.coroutine);
        }
    }

    /// Resumes coroutine `c`: it computes its item, then takes the next.
    fn resume(&mut self, work: &mut dyn Coroutines, c: u32) -> u64 {
        let Some((task, since_us)) = self.waiting.get(c as usize).copied().flatten() else {
            return 0;
        };
        let start_us = self.now_us();
        if start_us > since_us {
            self.push(c, State::Awaiting, task, since_us, start_us);
        }
        let part = work.compute(task);
        let end_us = self.now_us();
        self.push(c, State::Running, task, start_us, end_us);
        self.next(work, c, end_us);
        part
    }

    fn push(&mut self, lane: u32, state: State, task: u32, start_us: f64, end_us: f64) {
        self.spans.push(Span {
            lane,
            state,
            start_us,
            end_us,
            task: Some(task),
            holder: None,
        });
    }
}

/// Runs `work` on the calling thread until every coroutine has run out of
/// items. Times are µs since the call, from `clock`; the loop waits for its
/// timers with `sleeper`, which must let `clock` move on. Cancelling stops
/// the loop between steps.
///
/// It blocks its thread: on the web, call it on a worker, never on the
/// page's main thread.
pub(crate) fn run_loop(
    work: &mut dyn Coroutines,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Recorded, RunError> {
    let count = work.count();
    let mut ev = EventLoop {
        clock,
        time: Stamps::new(clock.now_us()),
        ready: VecDeque::new(),
        timers: BinaryHeap::new(),
        seq: 0,
        waiting: vec![None; count as usize],
        spans: Vec::new(),
    };
    let start_us = ev.now_us();
    for c in 0..count {
        ev.next(work, c, start_us);
    }
    let mut result = 0_u64;
    loop {
        if cancel.is_cancelled() {
            return Err(RunError::Cancelled);
        }
        let now_us = ev.now_us();
        ev.fire(now_us);
        if ev.ready.is_empty() {
            match ev.timers.peek() {
                Some(t) => sleeper.sleep_us(t.at_us - now_us),
                None => break,
            }
            continue;
        }
        // One pass over the coroutines ready now, as asyncio's `_run_once`:
        // one that becomes ready meanwhile waits for the next pass.
        for _ in 0..ev.ready.len() {
            if let Some(c) = ev.ready.pop_front() {
                result = result.wrapping_add(ev.resume(work, c));
            }
        }
    }
    // One lane per coroutine, all on this thread.
    Ok(Recorded {
        spans: ev.spans,
        result,
        threads: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::AtomicU64;

    use lanes_workloads::PrimeCount;

    use super::*;

    /// A clock that only the sleeper moves: time stands still while the
    /// loop computes.
    #[derive(Debug, Default)]
    struct FakeTime(AtomicU64);

    impl Clock for FakeTime {
        fn now_us(&self) -> f64 {
            f64::from_bits(self.0.load(std::sync::atomic::Ordering::SeqCst))
        }
    }

    impl FakeTime {
        fn advance(&self, us: f64) {
            let now = self.now_us() + us.max(0.0);
            self.0
                .store(now.to_bits(), std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn with_a_fake_clock_awaits_overlap_and_the_loop_sleeps_to_each_timer() {
        let time = FakeTime::default();
        let slept = Mutex::new(Vec::new());
        let sleeper = |us: f64| {
            slept.lock().unwrap().push(us);
            time.advance(us);
        };
        let job = PrimeCount::new(1000, 6);
        // Three coroutines, six items of a 10 ms wait each: two rounds.
        let mut work = Pulling::new(&job, 3, 10_000.0);
        let rec = run_loop(&mut work, &time, &sleeper, &Cancel::new()).unwrap();
        assert_eq!(rec.result, 168);
        assert_eq!(*slept.lock().unwrap(), [10_000.0, 10_000.0]);
        let awaiting: Vec<_> = rec
            .spans
            .iter()
            .filter(|s| s.state == State::Awaiting)
            .map(|s| (s.lane, s.task, s.start_us, s.end_us))
            .collect();
        assert_eq!(
            awaiting,
            [
                (0, Some(0), 0.0, 10_000.0),
                (1, Some(1), 0.0, 10_000.0),
                (2, Some(2), 0.0, 10_000.0),
                (0, Some(3), 10_000.0, 20_000.0),
                (1, Some(4), 10_000.0, 20_000.0),
                (2, Some(5), 10_000.0, 20_000.0),
            ]
        );
    }

    #[test]
    fn zero_waits_take_turns_and_a_cancelled_loop_stops() {
        let time = FakeTime::default();
        let job = PrimeCount::new(1000, 5);
        let mut work = Pulling::new(&job, 2, 0.0);
        let never = |_: f64| panic!("nothing to sleep for");
        let rec = run_loop(&mut work, &time, &never, &Cancel::new()).unwrap();
        assert_eq!(rec.result, 168);
        let order: Vec<_> = rec
            .spans
            .iter()
            .filter(|s| s.state == State::Running)
            .map(|s| (s.lane, s.task))
            .collect();
        assert_eq!(
            order,
            [
                (0, Some(0)),
                (1, Some(1)),
                (0, Some(2)),
                (1, Some(3)),
                (0, Some(4))
            ]
        );
        let cancel = Cancel::new();
        cancel.cancel();
        let mut work = Pulling::new(&job, 2, 0.0);
        assert_eq!(
            run_loop(&mut work, &time, &never, &cancel).map(|r| r.result),
            Err(RunError::Cancelled)
        );
    }
}

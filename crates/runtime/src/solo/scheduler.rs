//! The cooperative GIL: k Python threads interleaved on the calling thread.
//!
//! It drives [`lanes_model::gil`], the policy [`crate::Gil`] drives on OS
//! threads, with the same records. The holder runs its item one [`Step`] at
//! a time; between steps the scheduler looks at the clock, and once a thread
//! has wanted the GIL for a switch interval without the lock changing hands
//! ([`GilState::request_if_due`]), it makes the holder drop it (a forced
//! switch) and hands it to the thread that has wanted it longest
//! ([`Handoff::LongestWaiter`]); the holder queues up behind. An I/O wait
//! drops the GIL: the thread sleeps until its wake-up time, overlapping with
//! whatever else happens, then wants the GIL back. When nobody can run, the
//! scheduler sleeps until the earliest wake-up.

use lanes_model::{GilState, Handoff, Holding, Release, Stamps, ThreadSpans};
use lanes_trace::{Event, Span, State};

use crate::gil::GilRecorded;
use crate::steps::{Item, Step, Threads};
use crate::{Cancel, Clock, MAX_THREADS, RunError, Sleeper, SwitchInterval};

/// What a thread is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Doing {
    /// Holds the GIL (only the holder).
    Holding,
    /// Wants the GIL (the policy knows since when).
    Wanting,
    /// Waits for I/O without the GIL, from `since_us` until `until_us`.
    Io { since_us: f64, until_us: f64 },
    /// Has no items left.
    Done,
}

/// One Python thread.
struct Thread<'a> {
    doing: Doing,
    /// Its lane, item and open running span.
    record: ThreadSpans,
    item: Option<Box<dyn Item + 'a>>,
    sum: u64,
}

/// The scheduler's state while it runs.
struct Scheduler<'a, 'c> {
    clock: &'c dyn Clock,
    time: Stamps,
    interval_us: f64,
    threads: Vec<Thread<'a>>,
    gil: GilState,
    spans: Vec<Span>,
    events: Vec<Event>,
    holdings: Vec<Holding>,
}

/// Runs the threads of `work` under one GIL on the calling thread until all
/// have run out of items. Times are µs since the call, from `clock`; waits
/// block with `sleeper`, which must let `clock` move on (and should wake
/// early on a Cancel: see [`crate::sleeper`]'s `Interruptible`). Cancelling
/// stops the run at the next step.
pub(super) fn run_interleaved<'a>(
    work: &dyn Threads<'a>,
    interval: SwitchInterval,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<GilRecorded, RunError> {
    let count = work.count();
    if !(1..=MAX_THREADS).contains(&count) {
        return Err(RunError::ThreadCount(count));
    }
    let mut s = Scheduler {
        clock,
        time: Stamps::new(clock.now_us()),
        interval_us: interval.as_us(),
        threads: Vec::new(),
        gil: GilState::new(Handoff::LongestWaiter),
        spans: Vec::new(),
        events: Vec::new(),
        holdings: Vec::new(),
    };
    // Every thread starts by asking for the GIL.
    let start_us = s.now_us();
    s.threads = (0..count)
        .map(|lane| {
            s.gil.want(lane, start_us, start_us);
            Thread {
                doing: Doing::Wanting,
                record: ThreadSpans::new(lane),
                item: None,
                sum: 0,
            }
        })
        .collect();
    loop {
        if cancel.is_cancelled() {
            return Err(RunError::Cancelled);
        }
        let now_us = s.now_us();
        s.wake(now_us);
        match s.gil.holder() {
            Some(holder) if s.gil.request_if_due(now_us, s.interval_us) => {
                s.force_switch(holder, now_us);
            }
            Some(holder) => s.step(work, holder as usize),
            None => match (s.gil.next_taker(), s.earliest_wake_up()) {
                (Some(waiter), _) => s.take(waiter as usize, now_us),
                (None, Some(until_us)) => sleeper.sleep_us(until_us - now_us),
                (None, None) => break,
            },
        }
    }
    let result = s
        .threads
        .iter()
        .fold(0_u64, |sum, t| sum.wrapping_add(t.sum));
    Ok(GilRecorded {
        spans: s.spans,
        events: s.events,
        holdings: s.holdings,
        result,
        threads: Vec::new(),
    })
}

impl<'a> Scheduler<'a, '_> {
    /// Now on the run's axis, never before the last stamp.
    fn now_us(&mut self) -> f64 {
        self.time.stamp(self.clock.now_us())
    }

    /// Threads whose I/O is over by `now_us` want the GIL again: since
    /// their wake-up if another thread holds it meanwhile, or since now if
    /// the scheduler was asleep.
    fn wake(&mut self, now_us: f64) {
        let held = self.gil.holder().is_some();
        for lane in 0..self.threads.len() {
            if let Doing::Io { since_us, until_us } = self.threads[lane].doing
                && until_us <= now_us
            {
                let end_us = if held { until_us } else { now_us };
                self.push(lane, State::IoWait, since_us, end_us);
                self.threads[lane].doing = Doing::Wanting;
                self.gil.want(lane_of(lane), end_us, end_us);
            }
        }
    }

    /// The earliest time a thread in I/O wakes up, if any is in I/O.
    fn earliest_wake_up(&self) -> Option<f64> {
        self.threads
            .iter()
            .filter_map(|t| match t.doing {
                Doing::Io { until_us, .. } => Some(until_us),
                _ => None,
            })
            .min_by(f64::total_cmp)
    }

    /// The holder drops the GIL because the longest waiter asked, and that
    /// waiter takes it; the holder queues up behind it.
    fn force_switch(&mut self, holder: u32, now_us: f64) {
        let waiter = self.gil.next_taker();
        self.drop_gil(holder as usize, now_us, Release::Forced, Doing::Wanting);
        if let Some(waiter) = waiter {
            self.take(waiter as usize, now_us);
        }
        self.gil.want(holder, now_us, now_us);
    }

    /// `lane` takes the free GIL at `now_us`: its wait ends, and a change of
    /// holder is a hand-off.
    fn take(&mut self, lane: usize, now_us: f64) {
        let took = self.gil.take(lane_of(lane), now_us);
        if let Some(since_us) = took.waited_since_us {
            self.push(lane, State::GilWait, since_us, took.at_us);
        }
        self.events.extend(took.handoff);
        let t = &mut self.threads[lane];
        t.doing = Doing::Holding;
        t.record.run_from(took.at_us);
    }

    /// The holder lets go of the GIL at `now_us` and goes on to `next`.
    fn drop_gil(&mut self, lane: usize, now_us: f64, how: Release, next: Doing) {
        self.close_running(lane, now_us);
        let dropped = self.gil.drop(lane_of(lane), now_us, how);
        self.holdings.push(dropped.holding);
        self.events.extend(dropped.forced);
        self.threads[lane].doing = next;
    }

    /// The holder `lane` does one step: of its item, or takes its next item,
    /// or finishes when none is left.
    fn step(&mut self, work: &dyn Threads<'a>, lane: usize) {
        if self.threads[lane].item.is_none() {
            let next = work.next_item(lane_of(lane));
            let now_us = self.now_us();
            let Some((task, item)) = next else {
                self.drop_gil(lane, now_us, Release::Final, Doing::Done);
                return;
            };
            // A running span per item.
            self.close_running(lane, now_us);
            let t = &mut self.threads[lane];
            t.record.set_task(Some(task));
            t.item = Some(item);
        }
        let t = &mut self.threads[lane];
        let Some(item) = t.item.as_mut() else {
            return;
        };
        match item.step() {
            Step::Ran => {}
            Step::Done(part) => {
                t.sum = t.sum.wrapping_add(part);
                t.item = None;
            }
            Step::Io(us) => {
                let now_us = self.now_us();
                let until_us = now_us + us.max(0.0);
                self.drop_gil(
                    lane,
                    now_us,
                    Release::Voluntary,
                    Doing::Io {
                        since_us: now_us,
                        until_us,
                    },
                );
            }
        }
    }

    /// Records a span of `lane`'s current task, unless it is empty.
    fn push(&mut self, lane: usize, state: State, start_us: f64, end_us: f64) {
        let span = self.threads[lane].record.span(state, start_us, end_us);
        self.spans.extend(span);
    }

    /// Ends `lane`'s open running span at `now_us`.
    fn close_running(&mut self, lane: usize, now_us: f64) {
        let span = self.threads[lane].record.close_running(now_us);
        self.spans.extend(span);
    }
}

/// A thread's index as a lane number (there are at most [`MAX_THREADS`]).
fn lane_of(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

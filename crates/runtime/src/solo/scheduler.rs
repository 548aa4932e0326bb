//! The cooperative GIL: k Python threads interleaved on the calling thread.
//!
//! It follows CPython's GIL as [`crate::Gil`] does on OS threads, with the
//! same records. The holder runs its item one [`Step`] at a time; between
//! steps the scheduler looks at the clock, and once a thread has wanted the
//! GIL for a switch interval without the lock changing hands, it makes the
//! holder drop it (a forced switch) and hands it to the thread that has
//! wanted it longest (a hand-off); the holder queues up behind. An I/O wait
//! drops the GIL: the thread sleeps until its wake-up time, overlapping with
//! whatever else happens, then wants the GIL back. When nobody can run, the
//! scheduler sleeps until the earliest wake-up.

use lanes_trace::{Event, EventKind, Span, State};

use super::step::{Item, Step, Threads};
use crate::{Cancel, Clock, MAX_THREADS, RunError, Sleeper, SwitchInterval};

/// What the threads of an interleaved run did.
#[derive(Debug)]
pub(super) struct Interleaved {
    /// Spans on lanes `0..count`, each lane's in time order.
    pub(super) spans: Vec<Span>,
    /// Hand-offs and forced switches, in time order.
    pub(super) events: Vec<Event>,
    /// The sum of the items' results.
    pub(super) result: u64,
}

/// What a thread is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Doing {
    /// Holds the GIL (only the holder).
    Holding,
    /// Wants the GIL, since then.
    Wanting { since_us: f64 },
    /// Waits for I/O without the GIL, from `since_us` until `until_us`.
    Io { since_us: f64, until_us: f64 },
    /// Has no items left.
    Done,
}

/// One Python thread.
struct Thread<'a> {
    doing: Doing,
    task: Option<u32>,
    item: Option<Box<dyn Item + 'a>>,
    /// Start of the open running span, while holding.
    since_us: f64,
    sum: u64,
}

/// The scheduler's state while it runs.
struct Scheduler<'a, 'c> {
    clock: &'c dyn Clock,
    origin_us: f64,
    last_us: f64,
    interval_us: f64,
    threads: Vec<Thread<'a>>,
    holder: Option<usize>,
    last_holder: Option<u32>,
    /// When the GIL last changed hands.
    switched_us: f64,
    spans: Vec<Span>,
    events: Vec<Event>,
}

/// Runs the threads of `work` under one GIL on the calling thread until all
/// have run out of items. Times are µs since the call, from `clock`; waits
/// block with `sleeper`, which must let `clock` move on (and should wake
/// early on a Cancel: see [`crate::sleeper`]'s `Interruptible`). Cancelling
/// stops the run at the next step.
pub(super) fn run_interleaved<'a>(
    work: &mut dyn Threads<'a>,
    interval: SwitchInterval,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Interleaved, RunError> {
    let count = work.count();
    if !(1..=MAX_THREADS).contains(&count) {
        return Err(RunError::ThreadCount(count));
    }
    let origin_us = clock.now_us();
    let mut s = Scheduler {
        clock,
        origin_us,
        last_us: 0.0,
        interval_us: interval.as_us(),
        threads: Vec::new(),
        holder: None,
        last_holder: None,
        switched_us: 0.0,
        spans: Vec::new(),
        events: Vec::new(),
    };
    // Every thread starts by asking for the GIL.
    let start_us = s.now_us();
    s.threads = (0..count)
        .map(|_| Thread {
            doing: Doing::Wanting { since_us: start_us },
            task: None,
            item: None,
            since_us: start_us,
            sum: 0,
        })
        .collect();
    loop {
        if cancel.is_cancelled() {
            return Err(RunError::Cancelled);
        }
        let now_us = s.now_us();
        s.wake(now_us);
        match s.holder {
            Some(holder) => match s.due_waiter(now_us) {
                Some(waiter) => s.force_switch(holder, waiter, now_us),
                None => s.step(work, holder),
            },
            None => match (s.longest_waiter(), s.earliest_wake_up()) {
                (Some(waiter), _) => s.take(waiter, now_us),
                (None, Some(until_us)) => sleeper.sleep_us(until_us - now_us),
                (None, None) => break,
            },
        }
    }
    let result = s
        .threads
        .iter()
        .fold(0_u64, |sum, t| sum.wrapping_add(t.sum));
    Ok(Interleaved {
        spans: s.spans,
        events: s.events,
        result,
    })
}

impl<'a> Scheduler<'a, '_> {
    /// Now on the run's axis, never before the last stamp.
    fn now_us(&mut self) -> f64 {
        let now = (self.clock.now_us() - self.origin_us).max(self.last_us);
        self.last_us = now;
        now
    }

    /// Threads whose I/O is over by `now_us` want the GIL again: since
    /// their wake-up if another thread holds it meanwhile, or since now if
    /// the scheduler was asleep.
    fn wake(&mut self, now_us: f64) {
        let held = self.holder.is_some();
        for lane in 0..self.threads.len() {
            if let Doing::Io { since_us, until_us } = self.threads[lane].doing
                && until_us <= now_us
            {
                let end_us = if held { until_us } else { now_us };
                self.push(lane, State::IoWait, since_us, end_us);
                self.threads[lane].doing = Doing::Wanting { since_us: end_us };
            }
        }
    }

    /// The thread that has wanted the GIL longest (the lowest lane of
    /// equals), if any does.
    fn longest_waiter(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (lane, t) in self.threads.iter().enumerate() {
            if let Doing::Wanting { since_us } = t.doing
                && best.is_none_or(|(_, b)| since_us < b)
            {
                best = Some((lane, since_us));
            }
        }
        best.map(|(lane, _)| lane)
    }

    /// The longest waiter, if it has waited a switch interval by `now_us`
    /// without the GIL changing hands.
    fn due_waiter(&self, now_us: f64) -> Option<usize> {
        let waiter = self.longest_waiter()?;
        let Doing::Wanting { since_us } = self.threads[waiter].doing else {
            return None;
        };
        (now_us >= since_us.max(self.switched_us) + self.interval_us).then_some(waiter)
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

    /// The holder drops the GIL because `waiter` asked, and `waiter` takes
    /// it; the holder wants it back from now.
    fn force_switch(&mut self, holder: usize, waiter: usize, now_us: f64) {
        self.events.push(Event {
            at_us: now_us,
            kind: EventKind::ForcedSwitch {
                lane: lane_of(holder),
            },
        });
        self.drop_gil(holder, now_us, Doing::Wanting { since_us: now_us });
        self.take(waiter, now_us);
    }

    /// `lane` takes the free GIL at `now_us`: its wait ends, and a change of
    /// holder is a hand-off.
    fn take(&mut self, lane: usize, now_us: f64) {
        if let Doing::Wanting { since_us } = self.threads[lane].doing {
            self.push(lane, State::GilWait, since_us, now_us);
        }
        let to = lane_of(lane);
        if self.last_holder != Some(to) {
            self.events.push(Event {
                at_us: now_us,
                kind: EventKind::Handoff {
                    from: self.last_holder,
                    to,
                },
            });
            self.last_holder = Some(to);
            self.switched_us = now_us;
        }
        let t = &mut self.threads[lane];
        t.doing = Doing::Holding;
        t.since_us = now_us;
        self.holder = Some(lane);
    }

    /// The holder lets go of the GIL at `now_us` and goes on to `next`.
    fn drop_gil(&mut self, lane: usize, now_us: f64, next: Doing) {
        let since_us = self.threads[lane].since_us;
        self.push(lane, State::Running, since_us, now_us);
        self.threads[lane].doing = next;
        self.holder = None;
    }

    /// The holder `lane` does one step: of its item, or takes its next item,
    /// or finishes when none is left.
    fn step(&mut self, work: &mut dyn Threads<'a>, lane: usize) {
        if self.threads[lane].item.is_none() {
            let next = work.next_item(lane_of(lane));
            let now_us = self.now_us();
            let Some((task, item)) = next else {
                self.drop_gil(lane, now_us, Doing::Done);
                return;
            };
            // A running span per item.
            let since_us = self.threads[lane].since_us;
            self.push(lane, State::Running, since_us, now_us);
            let t = &mut self.threads[lane];
            t.since_us = now_us;
            t.task = Some(task);
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
        if end_us > start_us {
            self.spans.push(Span {
                lane: lane_of(lane),
                state,
                start_us,
                end_us,
                task: self.threads[lane].task,
                holder: None,
            });
        }
    }
}

/// A thread's index as a lane number (there are at most [`MAX_THREADS`]).
fn lane_of(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

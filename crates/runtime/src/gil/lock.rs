//! The lock itself and each thread's handle on it, after CPython's
//! `Python/ceval_gil.h` (`take_gil`, `drop_gil`, `FORCE_SWITCHING`).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use lanes_trace::{Event, EventKind, Span, State};

use super::SwitchInterval;
use crate::Cancel;
use crate::Clock;

/// One global lock that a thread must hold to compute.
///
/// A thread that finds it taken waits up to one switch interval; if the lock
/// has not changed hands meanwhile, it raises the drop request. The holder
/// sees the request at its next [`GilThread::check`], drops the lock and
/// waits until another thread has taken it before it queues up again, so a
/// forced switch really hands the lock over.
///
/// All timestamps come from the clock given to [`Gil::new`], in µs since the
/// moment the `Gil` was made. Waiting for the lock blocks the thread (a
/// futex, `Atomics.wait` on the web), so on the web only worker threads may
/// use it, never the page's main thread.
pub struct Gil<'c> {
    interval: SwitchInterval,
    clock: &'c dyn Clock,
    origin_us: f64,
    shared: Mutex<Shared>,
    /// Signalled when the lock is dropped (CPython's `gil->cond`).
    released: Condvar,
    /// Signalled when the lock changes hands (CPython's `switch_cond`).
    switched: Condvar,
    /// Raised by a waiter whose interval passed without a switch; read by
    /// the holder at every check with one relaxed load.
    drop_request: AtomicBool,
    next_id: AtomicU64,
    /// The run's Cancel flag, which every check reports.
    cancel: Option<&'c Cancel>,
}

/// The lock's state, guarded by [`Gil::shared`].
#[derive(Debug)]
struct Shared {
    locked: bool,
    /// The handle that took the lock last (CPython's `last_holder`) and its lane.
    last_holder: Option<(u64, u32)>,
    /// How many times the lock changed hands.
    switch_number: u64,
    /// When the lock was last dropped: a taker never starts before it, so
    /// holding intervals stay apart even if threads' clocks disagree slightly.
    released_us: f64,
}

impl fmt::Debug for Gil<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gil")
            .field("interval", &self.interval)
            .field("origin_us", &self.origin_us)
            .field("drop_request", &self.drop_request)
            .finish_non_exhaustive()
    }
}

impl<'c> Gil<'c> {
    /// A free lock with the given switch interval; its time origin is now.
    pub fn new(interval: SwitchInterval, clock: &'c dyn Clock) -> Self {
        Self {
            interval,
            clock,
            origin_us: clock.now_us(),
            shared: Mutex::new(Shared {
                locked: false,
                last_holder: None,
                switch_number: 0,
                released_us: f64::NEG_INFINITY,
            }),
            released: Condvar::new(),
            switched: Condvar::new(),
            drop_request: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            cancel: None,
        }
    }

    /// The same lock, whose checks report when `cancel` is raised, so that
    /// work items stop within one check of a Cancel.
    #[must_use]
    pub fn with_cancel(mut self, cancel: &'c Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// The switch interval.
    pub fn interval(&self) -> SwitchInterval {
        self.interval
    }

    /// A handle for one thread, recording onto lane `lane`. It does not hold
    /// the lock yet: call [`GilThread::acquire`].
    pub fn thread(&self, lane: u32) -> GilThread<'_> {
        GilThread {
            gil: self,
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            lane,
            held: false,
            task: None,
            since_us: 0.0,
            last_us: f64::NEG_INFINITY,
            ran_us: 0.0,
            spans: Vec::new(),
            events: Vec::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How a holder lets go of the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Release {
    /// Asked to, at a check: recorded as a forced switch.
    Forced,
    /// Of its own accord, e.g. before an I/O wait. As in CPython, a pending
    /// drop request still makes it wait for another thread to take over.
    Voluntary,
    /// For the last time: the thread is done and waits for nobody.
    Final,
}

/// One thread's handle on a [`Gil`]: it takes, checks and drops the lock, and
/// records the thread's spans (running while it holds the lock, waiting for
/// the GIL, I/O wait) and the events it causes (hand-offs, forced switches).
///
/// A thread's spans follow each other without overlapping. Running spans are
/// split at every hand-off and at every [`set_task`](Self::set_task).
/// Events: a hand-off when this thread takes the lock and another thread (or
/// nobody) had it last, stamped when it takes it; a forced switch when it
/// drops the lock because a waiter asked, stamped when it drops it.
/// Dropping a handle that holds the lock releases it.
pub struct GilThread<'g> {
    gil: &'g Gil<'g>,
    /// Tells this handle from any other, even one on the same lane.
    id: u64,
    lane: u32,
    held: bool,
    task: Option<u32>,
    /// Start of the open running span, while `held`.
    since_us: f64,
    /// The latest time this thread stamped: its stamps never go back.
    last_us: f64,
    /// Running time of the closed spans.
    ran_us: f64,
    spans: Vec<Span>,
    events: Vec<Event>,
}

impl fmt::Debug for GilThread<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GilThread")
            .field("lane", &self.lane)
            .field("held", &self.held)
            .field("task", &self.task)
            .field("spans", &self.spans.len())
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

impl GilThread<'_> {
    /// The lane this thread records onto.
    pub fn lane(&self) -> u32 {
        self.lane
    }

    /// Whether this thread holds the lock.
    pub fn holds(&self) -> bool {
        self.held
    }

    /// Takes the lock, waiting for it if another thread holds it; the wait
    /// is recorded as a GIL-wait span, a change of holder as a hand-off.
    /// Does nothing if this thread holds the lock already.
    pub fn acquire(&mut self) {
        if !self.held {
            let asked_us = self.stamp();
            self.take(asked_us);
        }
    }

    /// The eval breaker: call it often while computing. When no thread has
    /// asked for the lock it costs one relaxed atomic load; when one has, it
    /// drops the lock, waits until another thread has taken it, and queues
    /// up to take it back.
    ///
    /// Returns false once the run was cancelled: the work item should stop.
    pub fn check(&mut self) -> bool {
        if self.held && self.gil.drop_request.load(Ordering::Relaxed) {
            let dropped_us = self.drop_gil(Release::Forced);
            self.take(dropped_us);
        }
        !self.gil.cancel.is_some_and(Cancel::is_cancelled)
    }

    /// Drops the lock (if held), as a thread does around a blocking call.
    pub fn release(&mut self) {
        if self.held {
            self.drop_gil(Release::Voluntary);
        }
    }

    /// Runs `wait`, a blocking wait such as a sleep or a request, as I/O: the
    /// lock is dropped first, the wait recorded as an I/O-wait span, and the
    /// lock taken back after it if it was held before.
    pub fn io_wait<R>(&mut self, wait: impl FnOnce() -> R) -> R {
        let held = self.held;
        let start_us = if held {
            self.drop_gil(Release::Voluntary)
        } else {
            self.stamp()
        };
        let out = wait();
        let end_us = self.stamp();
        self.push(State::IoWait, start_us, end_us);
        if held {
            self.take(end_us);
        }
        out
    }

    /// Names the work item that the following spans belong to; the open
    /// running span, if any, ends here and a new one starts.
    pub fn set_task(&mut self, task: Option<u32>) {
        if self.held {
            let now = self.stamp();
            self.close_running(now);
            self.since_us = now;
        }
        self.task = task;
    }

    /// Now, on the run's time axis: µs since the lock was made.
    pub fn now_us(&mut self) -> f64 {
        self.stamp()
    }

    /// How long this thread has held the lock so far, in µs.
    pub fn running_us(&mut self) -> f64 {
        if self.held {
            let now = self.stamp();
            self.ran_us + (now - self.since_us)
        } else {
            self.ran_us
        }
    }

    /// Drops the lock for the last time and returns the thread's spans and
    /// events, in time order.
    pub fn finish(mut self) -> (Vec<Span>, Vec<Event>) {
        if self.held {
            self.drop_gil(Release::Final);
        }
        (
            std::mem::take(&mut self.spans),
            std::mem::take(&mut self.events),
        )
    }

    /// CPython's `take_gil`: waits in slices of one interval, raising the
    /// drop request after a slice in which the lock did not change hands.
    /// `asked_us` is when the thread started wanting the lock.
    fn take(&mut self, asked_us: f64) {
        let gil = self.gil;
        let mut shared = gil.lock();
        let waited = shared.locked;
        while shared.locked {
            let seen = shared.switch_number;
            let (guard, timeout) = gil
                .released
                .wait_timeout(shared, gil.interval.duration())
                .unwrap_or_else(PoisonError::into_inner);
            shared = guard;
            if timeout.timed_out() && shared.locked && shared.switch_number == seen {
                gil.drop_request.store(true, Ordering::Relaxed);
            }
        }
        shared.locked = true;
        // Stamped under the lock, after the previous holder's last stamp.
        let now = self.stamp().max(shared.released_us);
        self.last_us = now;
        if shared.last_holder.map(|(id, _)| id) != Some(self.id) {
            self.events.push(Event {
                at_us: now,
                kind: EventKind::Handoff {
                    from: shared.last_holder.map(|(_, lane)| lane),
                    to: self.lane,
                },
            });
            shared.last_holder = Some((self.id, self.lane));
            shared.switch_number = shared.switch_number.wrapping_add(1);
            gil.switched.notify_all();
        }
        // Whoever asked for the lock has it now, or must ask again.
        gil.drop_request.store(false, Ordering::Relaxed);
        drop(shared);
        if waited {
            self.push(State::GilWait, asked_us, now);
        }
        self.held = true;
        self.since_us = now;
    }

    /// CPython's `drop_gil` with `FORCE_SWITCHING`. Returns when the lock was
    /// dropped.
    fn drop_gil(&mut self, how: Release) -> f64 {
        let gil = self.gil;
        let mut shared = gil.lock();
        // Stamped under the lock, before any taker's first stamp.
        let now = self.stamp();
        shared.released_us = shared.released_us.max(now);
        shared.locked = false;
        self.held = false;
        gil.released.notify_one();
        self.close_running(now);
        // Only takes reset the request, and nobody took the lock while this
        // thread held it: a request seen here is one a waiter still waits on.
        if how != Release::Final && gil.drop_request.load(Ordering::Relaxed) {
            if how == Release::Forced {
                self.events.push(Event {
                    at_us: now,
                    kind: EventKind::ForcedSwitch { lane: self.lane },
                });
            }
            gil.drop_request.store(false, Ordering::Relaxed);
            // That waiter will take the lock; wait until somebody has, so
            // that this thread cannot take it straight back.
            while shared.last_holder.map(|(id, _)| id) == Some(self.id) {
                shared = gil
                    .switched
                    .wait(shared)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        now
    }

    /// Now, in µs since the lock's origin, never before this thread's last
    /// stamp.
    fn stamp(&mut self) -> f64 {
        let now = (self.gil.clock.now_us() - self.gil.origin_us).max(self.last_us);
        self.last_us = now;
        now
    }

    fn close_running(&mut self, end_us: f64) {
        self.ran_us += end_us - self.since_us;
        self.push(State::Running, self.since_us, end_us);
    }

    /// Records a span, unless it is empty.
    fn push(&mut self, state: State, start_us: f64, end_us: f64) {
        if end_us > start_us {
            self.spans.push(Span {
                lane: self.lane,
                state,
                start_us,
                end_us,
                task: self.task,
                holder: None,
            });
        }
    }
}

impl Drop for GilThread<'_> {
    fn drop(&mut self) {
        if self.held {
            self.drop_gil(Release::Final);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MonotonicClock;

    #[test]
    fn a_lone_thread_runs_without_waiting_and_splits_at_tasks() {
        let clock = MonotonicClock::new();
        let gil = Gil::new(SwitchInterval::default(), &clock);
        let mut t = gil.thread(3);
        t.acquire();
        assert!(t.holds());
        t.set_task(Some(0));
        std::thread::sleep(std::time::Duration::from_millis(1));
        t.check();
        t.set_task(Some(1));
        let slept = t.io_wait(|| {
            std::thread::sleep(std::time::Duration::from_millis(2));
            7
        });
        assert_eq!(slept, 7);
        assert!(t.holds());
        assert!(t.running_us() >= 1000.0);
        let (spans, events) = t.finish();
        assert!(
            spans
                .iter()
                .all(|s| s.lane == 3 && s.state != State::GilWait)
        );
        let io: Vec<_> = spans.iter().filter(|s| s.state == State::IoWait).collect();
        assert_eq!(io.len(), 1);
        assert!(io[0].duration_us() >= 2000.0);
        assert_eq!(io[0].task, Some(1));
        assert!(spans.windows(2).all(|w| w[0].end_us <= w[1].start_us));
        // One hand-off, from nobody: retaking after I/O is not a hand-off.
        assert_eq!(
            events.iter().map(|e| &e.kind).collect::<Vec<_>>(),
            [&EventKind::Handoff { from: None, to: 3 }]
        );
    }

    #[test]
    fn a_dropped_handle_frees_the_lock() {
        let clock = MonotonicClock::new();
        let gil = Gil::new(SwitchInterval::default(), &clock);
        let mut first = gil.thread(0);
        first.acquire();
        drop(first);
        let mut second = gil.thread(1);
        second.acquire();
        let (spans, events) = second.finish();
        assert!(spans.iter().all(|s| s.state == State::Running));
        assert_eq!(
            events.iter().map(|e| &e.kind).collect::<Vec<_>>(),
            [&EventKind::Handoff {
                from: Some(0),
                to: 1
            }]
        );
    }
}

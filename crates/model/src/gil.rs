//! CPython's GIL (`Python/ceval_gil.c`, 3.2 and later) as a pure state
//! machine: who holds it, who waits and since when, the drop request, the
//! forced switch, and what each change records. It never reads a clock:
//! every method is told the time, in µs on the run's axis.
//!
//! Three drivers run it: the live lock (`lanes_runtime::Gil`, this state
//! under a real mutex, waiting on real condition variables), the solo
//! scheduler (`lanes_runtime::run_solo`, threads interleaved in steps on one
//! worker) and the simulator (`lanes_sim`, timers on an event queue). What
//! they must do differently is said here, by name:
//!
//! - [`Handoff`]: who takes the lock when it is dropped and several wait.
//! - The simulator's hand-off latency (`CostModel::gil_handoff_us`): a
//!   woken waiter [`reserve`](GilState::reserve)s the lock and takes it that
//!   much later; live, the latency is real, and solo has none.
//! - How a waiter's switch interval passes: live and simulated waiters wait
//!   in timed slices and call [`slice_ended`](GilState::slice_ended) (CPython's
//!   `take_gil`); the solo scheduler, which has no timers, asks
//!   [`request_if_due`](GilState::request_if_due) between two steps.
//!
//! As in CPython, a waiter whose interval passed without the lock changing
//! hands raises the drop request; the holder sees it at its next check and
//! drops the lock ([`Release::Forced`]); a thread that drops it while the
//! request stands waits until another thread has taken it
//! ([`Dropped::await_switch`], CPython's `FORCE_SWITCHING`), so it cannot
//! take it straight back.
//!
//! The drivers make every thread span with [`ThreadSpans`] and the GIL
//! lane's with [`gil_lane_span`]; live and solo read their clock through
//! [`Stamps`], so that their times never go back.

use lanes_trace::{Event, EventKind};
pub use lanes_trace::{Holding, gil_lane_span};

mod record;

pub use record::{Stamps, ThreadSpans};

/// Who takes the GIL when it is dropped and several threads wait for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handoff {
    /// The thread that has waited longest (the first to queue among
    /// equals): the solo scheduler, and the simulator's FIFO of waiters.
    LongestWaiter,
    /// Whichever waiter the operating system wakes first: the live lock,
    /// whose waiters sleep on a condition variable.
    FirstAwake,
}

/// How a holder lets go of the GIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// Asked to, at a check: recorded as a forced switch.
    Forced,
    /// Of its own accord, e.g. before an I/O wait. As in CPython, a pending
    /// drop request still makes it wait for another thread to take over.
    Voluntary,
    /// For the last time: the thread is done and waits for nobody.
    Final,
}

/// What a take changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Took {
    /// When the thread took the lock: never before the last drop.
    pub at_us: f64,
    /// Since when it had waited for it, if it had queued: its GIL-wait span
    /// runs from here to `at_us`.
    pub waited_since_us: Option<f64>,
    /// A hand-off, if the lock went to a thread other than the last holder.
    pub handoff: Option<Event>,
}

/// What a drop changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    /// The holding that ended, for the GIL lane.
    pub holding: Holding,
    /// A forced switch, if the holder dropped the lock because a waiter asked.
    pub forced: Option<Event>,
    /// Whether the dropper must wait until another thread has taken the lock
    /// (see [`GilState::switched_from`]) before it may queue again.
    pub await_switch: bool,
}

/// A thread waiting for the GIL.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Waiter {
    lane: u32,
    /// When it started wanting the lock (its GIL-wait span starts here).
    asked_us: f64,
    /// When it joined the queue (its place in it).
    queued_us: f64,
}

/// The GIL's state. Lanes name the threads; a run's threads have distinct
/// lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct GilState {
    handoff: Handoff,
    holder: Option<u32>,
    /// A woken waiter on its way to take the dropped lock (simulator).
    reserved: Option<u32>,
    /// CPython's `last_holder`.
    last_holder: Option<u32>,
    /// CPython's `switch_number`: how many times the lock changed hands.
    switch_number: u64,
    /// CPython's `gil_drop_request`.
    drop_request: bool,
    /// When the current holder took the lock.
    held_since_us: f64,
    /// When the lock last changed hands.
    switched_us: f64,
    /// When the lock was last dropped: a take is never stamped before it,
    /// so holdings stay apart even if threads' clocks disagree slightly.
    released_us: f64,
    /// In the order they queued.
    waiters: Vec<Waiter>,
}

impl GilState {
    /// A free lock that nobody has held yet.
    pub fn new(handoff: Handoff) -> Self {
        Self {
            handoff,
            holder: None,
            reserved: None,
            last_holder: None,
            switch_number: 0,
            drop_request: false,
            held_since_us: 0.0,
            switched_us: 0.0,
            released_us: f64::NEG_INFINITY,
            waiters: Vec::new(),
        }
    }

    /// The thread holding the lock, if any.
    pub fn holder(&self) -> Option<u32> {
        self.holder
    }

    /// How many times the lock has changed hands.
    pub fn switch_number(&self) -> u64 {
        self.switch_number
    }

    /// Whether a waiter has asked the holder to drop the lock.
    pub fn drop_requested(&self) -> bool {
        self.drop_request
    }

    /// Whether `lane` may take the lock now: nobody holds it, and no other
    /// thread has it reserved.
    pub fn may_take(&self, lane: u32) -> bool {
        self.holder.is_none() && self.reserved.is_none_or(|r| r == lane)
    }

    /// `lane` queues for the lock at `queued_us`, having wanted it since
    /// `asked_us`.
    pub fn want(&mut self, lane: u32, asked_us: f64, queued_us: f64) {
        self.waiters.retain(|w| w.lane != lane);
        self.waiters.push(Waiter {
            lane,
            asked_us,
            queued_us,
        });
    }

    /// Whether anyone queues for the lock.
    pub fn has_waiters(&self) -> bool {
        !self.waiters.is_empty()
    }

    /// With [`Handoff::LongestWaiter`], the waiter that takes the lock next:
    /// the longest waiting, the first to queue among equals. `None` if
    /// nobody waits, or if the operating system decides
    /// ([`Handoff::FirstAwake`]).
    pub fn next_taker(&self) -> Option<u32> {
        if self.handoff == Handoff::FirstAwake {
            return None;
        }
        let mut best: Option<&Waiter> = None;
        for w in &self.waiters {
            if best.is_none_or(|b| w.queued_us < b.queued_us) {
                best = Some(w);
            }
        }
        best.map(|w| w.lane)
    }

    /// Wakes the [next taker](Self::next_taker) of a free lock and keeps the
    /// lock for it until it takes it (the simulator's hand-off latency);
    /// others that want the lock meanwhile queue.
    pub fn reserve(&mut self) -> Option<u32> {
        let lane = self.next_taker().filter(|_| self.holder.is_none())?;
        self.reserved = Some(lane);
        Some(lane)
    }

    /// A waiter's timed slice of one switch interval ended; it began when
    /// the switch number was `seen`. If the lock is held and has not
    /// changed hands since, the waiter raises the drop request. True if this
    /// raised it (it was not raised already).
    pub fn slice_ended(&mut self, seen: u64) -> bool {
        let raise = self.holder.is_some() && self.switch_number == seen && !self.drop_request;
        self.drop_request |= raise;
        raise
    }

    /// For a driver without timers: raises the drop request if the longest
    /// waiter has waited a whole `interval_us` by `now_us` since the lock
    /// last changed hands (or since it queued, if later). True if the
    /// request stands.
    pub fn request_if_due(&mut self, now_us: f64, interval_us: f64) -> bool {
        let due = self.holder.is_some()
            && self.next_taker().is_some_and(|lane| {
                self.waiters.iter().any(|w| {
                    w.lane == lane && now_us >= w.queued_us.max(self.switched_us) + interval_us
                })
            });
        self.drop_request |= due;
        self.drop_request
    }

    /// `lane` takes the free lock at `now_us`. A change of holder is a
    /// hand-off and bumps the switch number; either way the drop request is
    /// answered (whoever asked has the lock now, or must ask again).
    pub fn take(&mut self, lane: u32, now_us: f64) -> Took {
        let at_us = now_us.max(self.released_us);
        let waited = self.waiters.iter().position(|w| w.lane == lane);
        let waited_since_us = waited.map(|i| self.waiters.remove(i).asked_us);
        self.holder = Some(lane);
        self.reserved = None;
        self.held_since_us = at_us;
        self.drop_request = false;
        let handoff = (self.last_holder != Some(lane)).then(|| {
            let from = self.last_holder.replace(lane);
            self.switch_number = self.switch_number.wrapping_add(1);
            self.switched_us = at_us;
            Event {
                at_us,
                kind: EventKind::Handoff { from, to: lane },
            }
        });
        Took {
            at_us,
            waited_since_us,
            handoff,
        }
    }

    /// The holder `lane` drops the lock at `now_us` (CPython's `drop_gil`).
    /// If the drop request stands and this is not the final release, the
    /// dropper must wait for a switch; a forced one is recorded as such.
    pub fn drop(&mut self, lane: u32, now_us: f64, how: Release) -> Dropped {
        self.released_us = self.released_us.max(now_us);
        self.holder = None;
        let holding = Holding {
            holder: lane,
            start_us: self.held_since_us,
            end_us: now_us,
        };
        // Only takes answer the request, and nobody took the lock while this
        // thread held it: a request seen here is one a waiter still waits on.
        let await_switch = how != Release::Final && self.drop_request;
        let forced = (await_switch && how == Release::Forced).then_some(Event {
            at_us: now_us,
            kind: EventKind::ForcedSwitch { lane },
        });
        if await_switch {
            self.drop_request = false;
        }
        Dropped {
            holding,
            forced,
            await_switch,
        }
    }

    /// Whether another thread has taken the lock since `lane` held it last:
    /// what a dropper that must [await a switch](Dropped::await_switch)
    /// waits for.
    pub fn switched_from(&self, lane: u32) -> bool {
        self.last_holder != Some(lane)
    }
}

#[cfg(test)]
mod tests;

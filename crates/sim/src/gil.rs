//! Threads under a global interpreter lock, as CPython 3.2+ and the
//! runtime's `Gil` run them: one holder computes; a thread that wants the
//! lock waits in slices of one switch interval, and after a slice in which
//! the lock did not change hands it asks the holder to drop it (a forced
//! switch, noticed at the holder's next check). The dropper waits until
//! another thread has taken the lock before it queues up again, so the
//! lock really changes hands. I/O waits drop the lock; coming back from
//! one, a thread must take it again.
//!
//! Recorded as the runtime records it: running spans while a thread holds
//! the lock (split at each work item), GIL-wait spans, I/O-wait spans; a
//! hand-off event each time the lock goes to another thread, a
//! forced-switch event on the holder each time it is made to drop it; and a
//! GIL lane with one span per holding, naming the holder's lane.

use std::collections::VecDeque;

use lanes_trace::{EventKind, Lane, Scenario, Span, State, Workload};

use crate::items::Item;
use crate::jitter::{Rng, stream};
use crate::plain::Source;
use crate::queue::Queue;
use crate::record::Recorder;
use crate::{CostModel, Options, SimError, lanes};

/// What a thread is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Not started yet.
    New,
    /// Holds the lock.
    Holding,
    /// Waits for the lock.
    Waiting,
    /// Was woken by a release and takes the lock after the hand-off latency.
    Woken,
    /// Dropped the lock on request and waits for another thread to take it.
    AwaitSwitch,
    /// In an I/O wait, without the lock.
    Io,
    /// Has no more work.
    Done,
}

/// How a holder lets go of the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Release {
    /// Asked to, at a check.
    Forced,
    /// Of its own accord, before an I/O wait.
    Voluntary,
    /// For the last time.
    Final,
}

/// What happens next to a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    /// Its computing step ends.
    ComputeDone,
    /// It checks the GIL and sees the drop request.
    Check,
    /// One switch interval of waiting has passed.
    SliceEnd,
    /// It takes the lock after a hand-off.
    Take,
    /// Its I/O wait is over.
    IoDone,
}

#[derive(Clone, Copy, Debug)]
struct Thread {
    phase: Phase,
    task: Option<u32>,
    /// µs of computing left in the current item.
    remaining: f64,
    /// µs the current item waits for I/O.
    wait: f64,
    /// Start of the open running span, while holding.
    since: f64,
    /// Start of the current GIL wait.
    asked: f64,
    /// Start of the current I/O wait.
    io_from: f64,
    /// When the current computing step ends, while computing.
    compute_end: f64,
    computing: bool,
    /// Bumped at every change, so that stale timers are ignored.
    generation: u64,
    /// The switch number when the current wait slice began.
    seen: u64,
    /// What to do once another thread has taken the lock (AwaitSwitch):
    /// sleep (true) or queue up again (false).
    sleep_after: bool,
    /// Computing done by all threads when this one was switched out in the
    /// middle of an unlocked counter update (its store will be stale).
    stale_at: Option<f64>,
}

impl Thread {
    /// A thread in `phase` with nothing begun: no item, no waits.
    fn at(phase: Phase) -> Self {
        Self {
            phase,
            task: None,
            remaining: 0.0,
            wait: 0.0,
            since: 0.0,
            asked: 0.0,
            io_from: 0.0,
            compute_end: 0.0,
            computing: false,
            generation: 0,
            seen: 0,
            sleep_after: false,
            stale_at: None,
        }
    }
}

/// The lock and its threads.
struct Sim<'a> {
    items: &'a [Item],
    source: Source,
    threads: Vec<Thread>,
    queue: Queue<(Due, u32, u64)>,
    rec: Recorder,
    gil_lane: u32,
    interval: f64,
    handoff: f64,
    check: f64,
    checks: Rng,
    overheads: Rng,
    unlocked_counter: bool,
    holder: Option<u32>,
    /// A woken waiter is on its way to take the lock.
    reserved: bool,
    last_holder: Option<u32>,
    switch_number: u64,
    drop_request: bool,
    waiters: VecDeque<u32>,
    /// Start of the open GIL-lane span.
    held_since: f64,
    /// The thread waiting for the lock to change hands.
    switch_waiter: Option<u32>,
    /// Computing done by all threads in closed spans, µs.
    cpu_done: f64,
    /// Computing by others overwritten by stale counter stores, µs.
    lost_us: f64,
}

/// What a GIL run produced.
#[derive(Debug)]
pub(crate) struct GilRun {
    pub(crate) lanes: Vec<Lane>,
    pub(crate) rec: Recorder,
    /// µs of counter updates lost to stale stores (unlocked counter only).
    pub(crate) lost_us: f64,
}

/// k threads under one GIL (two for mixed: a CPU thread and an I/O thread).
pub(crate) fn simulate(
    scenario: &Scenario,
    items: &[Item],
    costs: &CostModel,
    options: &Options,
) -> Result<GilRun, SimError> {
    let (mut lanes, source) = if scenario.workload == Workload::Mixed {
        let half = items.len() / 2;
        (
            lanes::mixed("thread"),
            Source::PerLane(vec![0..half, half..items.len()]),
        )
    } else {
        (
            lanes::threads(scenario.model, scenario.k),
            Source::Shared(0..items.len()),
        )
    };
    let count = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
    lanes.push(lanes::gil());
    let thread = Thread::at(Phase::New);
    let mut sim = Sim {
        items,
        source,
        threads: vec![thread; count as usize],
        queue: Queue::with_capacity(2 * count as usize + 4),
        rec: Recorder::new(lanes.len()),
        gil_lane: count,
        interval: f64::from(scenario.interval_us),
        handoff: costs.gil_handoff_us,
        check: costs.gil_check_us,
        checks: Rng::new(options.seed, stream::CHECK),
        overheads: Rng::new(options.seed, stream::OVERHEAD),
        unlocked_counter: scenario.workload == Workload::Counter,
        holder: None,
        reserved: false,
        last_holder: None,
        switch_number: 0,
        drop_request: false,
        waiters: VecDeque::with_capacity(count as usize),
        held_since: 0.0,
        switch_waiter: None,
        cpu_done: 0.0,
        lost_us: 0.0,
    };
    let start = costs.thread_start_us;
    for lane in 0..count {
        sim.want(lane, start, start)?;
    }
    while let Some((now, (due, lane, generation))) = sim.queue.pop() {
        let Some(t) = sim.threads.get(lane as usize).copied() else {
            continue;
        };
        if t.generation != generation {
            continue;
        }
        match (due, t.phase) {
            (Due::ComputeDone, Phase::Holding) if t.computing => {
                sim.set(lane, |t| {
                    t.computing = false;
                    t.remaining = 0.0;
                });
                sim.proceed(lane, now)?;
            }
            (Due::Check, Phase::Holding) if t.computing && sim.drop_request => {
                sim.forced(lane, now)?;
            }
            (Due::SliceEnd, Phase::Waiting) => sim.slice_end(lane, now),
            (Due::Take, Phase::Woken) => sim.take(lane, now)?,
            (Due::IoDone, Phase::Io) => {
                sim.rec.span(lane, State::IoWait, t.task, t.io_from, now)?;
                sim.want(lane, now, now)?;
            }
            _ => {}
        }
    }
    Ok(GilRun {
        lanes,
        rec: sim.rec,
        lost_us: sim.lost_us,
    })
}

impl Sim<'_> {
    fn set(&mut self, lane: u32, f: impl FnOnce(&mut Thread)) {
        if let Some(t) = self.threads.get_mut(lane as usize) {
            f(t);
        }
    }

    fn thread(&self, lane: u32) -> Thread {
        self.threads
            .get(lane as usize)
            .copied()
            .unwrap_or(Thread::at(Phase::Done))
    }

    /// Schedules `due` for `lane` at `at`, under a fresh generation.
    fn schedule(&mut self, lane: u32, at: f64, due: Due) {
        let mut generation = 0;
        self.set(lane, |t| {
            t.generation += 1;
            generation = t.generation;
        });
        self.queue.push(at, (due, lane, generation));
    }

    /// `lane` wants the lock from `now`, having asked at `asked`.
    fn want(&mut self, lane: u32, now: f64, asked: f64) -> Result<(), SimError> {
        self.set(lane, |t| t.asked = asked);
        if self.holder.is_none() && !self.reserved {
            return self.take(lane, now);
        }
        let seen = self.switch_number;
        self.set(lane, |t| {
            t.phase = Phase::Waiting;
            t.seen = seen;
        });
        self.waiters.push_back(lane);
        self.schedule(lane, now + self.interval, Due::SliceEnd);
        Ok(())
    }

    /// A waiter's slice ended: if the lock did not change hands during it,
    /// it asks the holder to drop it.
    fn slice_end(&mut self, lane: u32, now: f64) {
        let t = self.thread(lane);
        if self.switch_number == t.seen
            && !self.drop_request
            && let Some(holder) = self.holder
        {
            self.drop_request = true;
            if self.thread(holder).computing {
                self.schedule_check(holder, now);
            }
        }
        let seen = self.switch_number;
        let generation = t.generation;
        self.set(lane, |t| t.seen = seen);
        self.queue
            .push(now + self.interval, (Due::SliceEnd, lane, generation));
    }

    /// The holder will notice the drop request at its next check.
    fn schedule_check(&mut self, holder: u32, now: f64) {
        let at = now + self.check * self.checks.unit();
        let generation = self.thread(holder).generation;
        self.queue.push(at, (Due::Check, holder, generation));
    }

    fn take(&mut self, lane: u32, now: f64) -> Result<(), SimError> {
        self.holder = Some(lane);
        self.reserved = false;
        if self.last_holder != Some(lane) {
            self.rec.event(
                now,
                EventKind::Handoff {
                    from: self.last_holder,
                    to: lane,
                },
            );
            self.last_holder = Some(lane);
            self.switch_number += 1;
            if let Some(dropper) = self.switch_waiter.take() {
                self.switched(dropper, now)?;
            }
        }
        self.drop_request = false;
        let t = self.thread(lane);
        self.rec.span(lane, State::GilWait, t.task, t.asked, now)?;
        if let Some(at) = t.stale_at {
            self.lost_us += self.cpu_done - at;
        }
        self.set(lane, |t| {
            t.phase = Phase::Holding;
            t.since = now;
            t.stale_at = None;
        });
        self.held_since = now;
        self.proceed(lane, now)
    }

    /// The lock changed hands: the thread that dropped it on request goes
    /// on, to its I/O wait or back into the queue.
    fn switched(&mut self, lane: u32, now: f64) -> Result<(), SimError> {
        let t = self.thread(lane);
        if t.sleep_after {
            self.start_io(lane, now);
            Ok(())
        } else {
            self.want(lane, now, t.asked)
        }
    }

    fn start_io(&mut self, lane: u32, now: f64) {
        let wait = self.thread(lane).wait;
        self.set(lane, |t| t.phase = Phase::Io);
        self.schedule(lane, now + wait, Due::IoDone);
    }

    /// The holder goes on: computes what is left of its item, or takes the
    /// next one.
    fn proceed(&mut self, lane: u32, now: f64) -> Result<(), SimError> {
        loop {
            let t = self.thread(lane);
            if t.remaining > 0.0 {
                self.set(lane, |t| {
                    t.computing = true;
                    t.compute_end = now + t.remaining;
                });
                self.schedule(lane, now + t.remaining, Due::ComputeDone);
                if self.drop_request {
                    self.schedule_check(lane, now);
                }
                return Ok(());
            }
            let next = self.source.take(lane).and_then(|i| self.items.get(i));
            let Some(&item) = next else {
                self.release(lane, now, Release::Final)?;
                self.set(lane, |t| t.phase = Phase::Done);
                return Ok(());
            };
            // A new item: the open running span ends here.
            self.close_running(lane, now)?;
            self.set(lane, |t| {
                t.since = now;
                t.task = Some(item.task);
                t.remaining = item.cpu_us;
                t.wait = item.wait_us;
            });
            if item.wait_us > 0.0 {
                return self.release(lane, now, Release::Voluntary);
            }
        }
    }

    /// The holder sees the drop request at a check and drops the lock.
    fn forced(&mut self, lane: u32, now: f64) -> Result<(), SimError> {
        let t = self.thread(lane);
        // Three updates in four check the GIL between the load and the
        // store (as the runtime's counter does): that store will be stale.
        let stale = (self.unlocked_counter && self.checks.unit() < 0.75)
            .then_some(self.cpu_done + (now - t.since));
        self.set(lane, |t| {
            t.remaining = (t.compute_end - now).max(0.0);
            t.computing = false;
            t.stale_at = stale;
        });
        self.release(lane, now, Release::Forced)
    }

    fn close_running(&mut self, lane: u32, now: f64) -> Result<(), SimError> {
        let t = self.thread(lane);
        if now > t.since {
            self.cpu_done += now - t.since;
        }
        self.rec.span(lane, State::Running, t.task, t.since, now)?;
        self.set(lane, |t| t.since = now);
        Ok(())
    }

    fn release(&mut self, lane: u32, now: f64, how: Release) -> Result<(), SimError> {
        self.close_running(lane, now)?;
        self.rec.push(Span {
            lane: self.gil_lane,
            state: State::Running,
            start_us: self.held_since,
            end_us: now,
            task: None,
            holder: Some(lane),
        })?;
        self.holder = None;
        if let Some(waiter) = self.waiters.pop_front() {
            self.reserved = true;
            self.set(waiter, |t| t.phase = Phase::Woken);
            let latency = self.handoff * (0.5 + self.overheads.unit());
            self.schedule(waiter, now + latency, Due::Take);
        }
        let must_wait = how != Release::Final && self.drop_request;
        if must_wait {
            if how == Release::Forced {
                self.rec.event(now, EventKind::ForcedSwitch { lane });
            }
            self.drop_request = false;
        }
        let await_switch = must_wait && self.reserved;
        match how {
            Release::Final => self.set(lane, |t| t.phase = Phase::Done),
            Release::Forced if await_switch => {
                self.set(lane, |t| {
                    t.phase = Phase::AwaitSwitch;
                    t.asked = now;
                    t.sleep_after = false;
                    t.generation += 1;
                });
                self.switch_waiter = Some(lane);
            }
            Release::Forced => {
                self.set(lane, |t| t.generation += 1);
                self.want(lane, now, now)?;
            }
            Release::Voluntary if await_switch => {
                self.set(lane, |t| {
                    t.phase = Phase::AwaitSwitch;
                    t.io_from = now;
                    t.sleep_after = true;
                    t.generation += 1;
                });
                self.switch_waiter = Some(lane);
            }
            Release::Voluntary => {
                self.set(lane, |t| t.io_from = now);
                self.start_io(lane, now);
            }
        }
        Ok(())
    }
}

//! Threads under a global interpreter lock: the simulator's driver of
//! [`lanes_model::gil`], the policy the live lock and the solo scheduler
//! drive too. Waiters wait in timed slices of one switch interval on the
//! event queue; a dropped lock goes to the longest waiter
//! ([`Handoff::LongestWaiter`]), which takes it after the hand-off latency.
//! I/O waits drop the lock; coming back from one, a thread must take it
//! again. What the threads run comes from [`Jobs`]: a scenario's work
//! items, or a playback run's producer and neighbours.
//!
//! Recorded as the runtime records it: running spans while a thread holds
//! the lock (split at each work item), GIL-wait spans, I/O-wait spans; the
//! policy's hand-offs, forced switches and GIL lane.

use lanes_model::{GilState, Handoff, Release, ThreadSpans, gil_lane_span, lanes};
use lanes_trace::{Event, Lane, Scenario, State, Workload};

use crate::items::Item;
use crate::jitter::{Rng, stream};
use crate::plain::Source;
use crate::queue::Queue;
use crate::record::Recorder;
use crate::{CostModel, Options, SimError};

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
    /// Its lane, item and open running span.
    record: ThreadSpans,
    /// µs of computing left in the current item.
    remaining: f64,
    /// µs the current item waits for I/O.
    wait: f64,
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
    /// A thread on `lane` in `phase` with nothing begun: no item, no waits.
    fn at(lane: u32, phase: Phase) -> Self {
        Self {
            phase,
            record: ThreadSpans::new(lane),
            remaining: 0.0,
            wait: 0.0,
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

/// Where a GIL run's threads take their work from.
pub(crate) trait Jobs {
    /// The next item of thread `lane`, which is done with its last one at
    /// `now_us`; `None` when it has no more work.
    fn next(&mut self, lane: u32, now_us: f64) -> Option<Item>;

    /// Whether `item` of thread `lane` begins with a wait that drops the
    /// GIL, `drop_requested` saying whether a waiter has asked for the lock:
    /// by default, if it waits at all.
    fn waits(&self, _lane: u32, item: &Item, _drop_requested: bool) -> bool {
        item.wait_us > 0.0
    }

    /// What `lane`'s I/O waits are, in words for the timeline, if the state
    /// alone does not say.
    fn wait_label(&self, _lane: u32) -> Option<&'static str> {
        None
    }
}

/// A scenario's work items, taken from where [`Source`] says.
struct Listed<'a> {
    items: &'a [Item],
    source: Source,
}

impl Jobs for Listed<'_> {
    fn next(&mut self, lane: u32, _: f64) -> Option<Item> {
        self.source
            .take(lane)
            .and_then(|i| self.items.get(i))
            .copied()
    }
}

/// The lock and its threads.
struct Sim<'a> {
    jobs: &'a mut dyn Jobs,
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
    gil: GilState,
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
    let lanes = lanes::of_run(scenario);
    let mut jobs = Listed {
        items,
        source: Source::of(scenario, items.len()),
    };
    let unlocked_counter = scenario.workload == Workload::Counter;
    let lock = Lock {
        interval_us: scenario.interval_us,
        unlocked_counter,
    };
    let (rec, lost_us) = run(lanes.len(), &mut jobs, lock, costs, options)?;
    Ok(GilRun {
        lanes,
        rec,
        lost_us,
    })
}

/// What a run's lock is like.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lock {
    /// The switch interval, µs.
    pub(crate) interval_us: u32,
    /// Whether the threads update a counter without a lock of their own
    /// (a switch inside an update makes its store stale).
    pub(crate) unlocked_counter: bool,
}

/// `lanes − 1` threads, taking their work from `jobs`, under one GIL whose
/// lane is the last: the recorded run and the µs of counter updates lost.
pub(crate) fn run(
    lanes: usize,
    jobs: &mut dyn Jobs,
    lock: Lock,
    costs: &CostModel,
    options: &Options,
) -> Result<(Recorder, f64), SimError> {
    // The thread lanes, then the GIL's.
    let count = u32::try_from(lanes.saturating_sub(1)).unwrap_or(u32::MAX);
    let mut sim = Sim {
        jobs,
        threads: (0..count)
            .map(|lane| Thread::at(lane, Phase::New))
            .collect(),
        queue: Queue::with_capacity(2 * count as usize + 4),
        rec: Recorder::new(lanes),
        gil_lane: count,
        interval: f64::from(lock.interval_us),
        handoff: costs.gil_handoff_us,
        check: costs.gil_check_us,
        checks: Rng::new(options.seed, stream::CHECK),
        overheads: Rng::new(options.seed, stream::OVERHEAD),
        unlocked_counter: lock.unlocked_counter,
        gil: GilState::new(Handoff::LongestWaiter),
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
            (Due::Check, Phase::Holding) if t.computing && sim.gil.drop_requested() => {
                sim.forced(lane, now)?;
            }
            (Due::SliceEnd, Phase::Waiting) => sim.slice_end(lane, now),
            (Due::Take, Phase::Woken) => sim.take(lane, now)?,
            (Due::IoDone, Phase::Io) => {
                let span = t.record.span(State::IoWait, t.io_from, now);
                match (sim.jobs.wait_label(lane), span) {
                    (Some(label), Some(span)) => sim.rec.push_labelled(span, label.to_owned())?,
                    (_, span) => sim.rec.add(span)?,
                }
                sim.want(lane, now, now)?;
            }
            _ => {}
        }
    }
    Ok((sim.rec, sim.lost_us))
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
            .unwrap_or(Thread::at(lane, Phase::Done))
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
        if self.gil.may_take(lane) && !self.gil.has_waiters() {
            return self.take(lane, now);
        }
        let seen = self.gil.switch_number();
        self.set(lane, |t| {
            t.phase = Phase::Waiting;
            t.seen = seen;
        });
        self.gil.want(lane, asked, now);
        self.schedule(lane, now + self.interval, Due::SliceEnd);
        Ok(())
    }

    /// A waiter's slice ended: if the lock did not change hands during it,
    /// it asks the holder to drop it.
    fn slice_end(&mut self, lane: u32, now: f64) {
        let t = self.thread(lane);
        if self.gil.slice_ended(t.seen)
            && let Some(holder) = self.gil.holder()
            && self.thread(holder).computing
        {
            self.schedule_check(holder, now);
        }
        let seen = self.gil.switch_number();
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
        let took = self.gil.take(lane, now);
        if let Some(Event { at_us, kind }) = took.handoff {
            self.rec.event(at_us, kind);
            if let Some(dropper) = self.switch_waiter.take() {
                self.switched(dropper, now)?;
            }
        }
        let t = self.thread(lane);
        self.rec.add(t.record.span(State::GilWait, t.asked, now))?;
        if let Some(at) = t.stale_at {
            self.lost_us += self.cpu_done - at;
        }
        self.set(lane, |t| {
            t.phase = Phase::Holding;
            t.record.run_from(now);
            t.stale_at = None;
        });
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
                if self.gil.drop_requested() {
                    self.schedule_check(lane, now);
                }
                return Ok(());
            }
            let Some(item) = self.jobs.next(lane, now) else {
                self.release(lane, now, Release::Final)?;
                self.set(lane, |t| t.phase = Phase::Done);
                return Ok(());
            };
            // A new item: the open running span ends here.
            self.close_running(lane, now)?;
            self.set(lane, |t| {
                t.record.set_task(Some(item.task));
                t.remaining = item.cpu_us;
                t.wait = item.wait_us;
            });
            if self.jobs.waits(lane, &item, self.gil.drop_requested()) {
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
            .then_some(self.cpu_done + (now - t.record.running_since_us()));
        self.set(lane, |t| {
            t.remaining = (t.compute_end - now).max(0.0);
            t.computing = false;
            t.stale_at = stale;
        });
        self.release(lane, now, Release::Forced)
    }

    fn close_running(&mut self, lane: u32, now: f64) -> Result<(), SimError> {
        let mut record = self.thread(lane).record;
        let span = record.close_running(now);
        self.cpu_done += span.map_or(0.0, |s| s.end_us - s.start_us);
        self.set(lane, |t| t.record = record);
        self.rec.add(span)
    }

    fn release(&mut self, lane: u32, now: f64, how: Release) -> Result<(), SimError> {
        self.close_running(lane, now)?;
        let dropped = self.gil.drop(lane, now, how);
        self.rec
            .add(gil_lane_span(self.gil_lane, &dropped.holding))?;
        let reserved = self.gil.reserve();
        if let Some(waiter) = reserved {
            self.set(waiter, |t| t.phase = Phase::Woken);
            let latency = self.handoff * (0.5 + self.overheads.unit());
            self.schedule(waiter, now + latency, Due::Take);
        }
        if let Some(Event { at_us, kind }) = dropped.forced {
            self.rec.event(at_us, kind);
        }
        let await_switch = dropped.await_switch && reserved.is_some();
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

//! The GIL's semantics on real OS threads: one holder at a time, forced
//! hand-over within about one switch interval, I/O releases the lock, and the
//! twins' answer.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Barrier, Mutex, PoisonError};
use std::time::Duration;

use lanes_trace::{
    Event, EventKind, Lane, LaneKind, Meta, Mode, Model, Scenario, Span, State, Trace, Workload,
};
use lanes_workloads::{Job, PrimeCount, count_primes_in};

use super::*;
use crate::testing::{alone, peak, pool};
use crate::{Cancel, MonotonicClock, RunError};

fn interval_ms(ms: f64) -> SwitchInterval {
    SwitchInterval::from_ms(ms).unwrap_or_else(|e| panic!("{e}"))
}

fn run_on(
    pool: &rayon::ThreadPool,
    job: &dyn GilJob,
    k: u32,
    interval: SwitchInterval,
) -> GilRecorded {
    let clock = MonotonicClock::new();
    pool.install(|| run_gil(job, k, interval, &clock, &Cancel::new()))
        .unwrap_or_else(|e| panic!("k={k}: {e}"))
}

fn of_state(spans: &[Span], state: State) -> Vec<Span> {
    spans.iter().filter(|s| s.state == state).copied().collect()
}

fn overlap_us(a: &Span, b: &Span) -> f64 {
    (a.end_us.min(b.end_us) - a.start_us.max(b.start_us)).max(0.0)
}

fn assert_lanes_are_sequential(spans: &[Span]) {
    for pair in spans.windows(2) {
        if pair[0].lane == pair[1].lane {
            assert!(
                pair[0].end_us <= pair[1].start_us,
                "a lane overlaps itself: {pair:?}"
            );
        }
    }
}

fn count(events: &[Event], pick: impl Fn(&EventKind) -> bool) -> usize {
    events.iter().filter(|e| pick(&e.kind)).count()
}

/// Counts primes and notes whenever two threads compute at once, which the
/// GIL must never let happen.
struct Guarded {
    job: PrimeCount,
    inside: AtomicU32,
    clashes: AtomicU32,
}

impl Guarded {
    fn new(job: PrimeCount) -> Self {
        Self {
            job,
            inside: AtomicU32::new(0),
            clashes: AtomicU32::new(0),
        }
    }

    fn enter(&self) {
        if self.inside.fetch_add(1, Ordering::SeqCst) != 0 {
            self.clashes.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn leave(&self) {
        self.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

impl GilJob for Guarded {
    fn tasks(&self) -> u32 {
        self.job.tasks()
    }

    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64 {
        self.enter();
        let n = count_primes_checked(self.job.task_range(task), 200, &mut || {
            self.leave();
            let go_on = gil.check();
            self.enter();
            go_on
        });
        self.leave();
        n
    }

    fn sequential_twin(&self) -> u64 {
        self.job.sequential_twin()
    }
}

/// CPU-bound items that each compute until their thread has held the GIL
/// for `running_us` during the item, in blocks of 100 numbers (well under a
/// millisecond, even unoptimised) with a check after each; whatever the
/// machine's speed, each item needs that much time. Notes when each block
/// ended, by lane.
struct Busy {
    tasks: u32,
    running_us: f64,
    blocks: Mutex<Vec<(u32, f64)>>,
}

impl Busy {
    fn new(tasks: u32, running_us: f64) -> Self {
        Self {
            tasks,
            running_us,
            blocks: Mutex::new(Vec::new()),
        }
    }
}

impl GilJob for Busy {
    fn tasks(&self) -> u32 {
        self.tasks
    }

    fn run_task(&self, _task: u32, gil: &mut GilThread<'_>) -> u64 {
        let start = gil.running_us();
        let mut found = 0;
        let mut from = 1_000_000;
        while gil.running_us() - start < self.running_us {
            found += count_primes_in(from..from + 100);
            from += 100;
            let done = (gil.lane(), gil.now_us());
            self.blocks
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(done);
            gil.check();
        }
        found
    }

    fn sequential_twin(&self) -> u64 {
        0
    }
}

/// Items that each wait for I/O: a sleep of `io_ms`.
struct Requests {
    tasks: u32,
    io_ms: u64,
}

impl GilJob for Requests {
    fn tasks(&self) -> u32 {
        self.tasks
    }

    fn run_task(&self, _task: u32, gil: &mut GilThread<'_>) -> u64 {
        gil.io_wait(|| std::thread::sleep(Duration::from_millis(self.io_ms)));
        0
    }

    fn sequential_twin(&self) -> u64 {
        0
    }
}

#[test]
fn no_two_threads_ever_run_at_once() {
    let _alone = alone();
    let pool = pool();
    let job = Guarded::new(PrimeCount::new(1_000_000, 24));
    let twin = job.sequential_twin();
    for k in [2, 4, 8] {
        let rec = run_on(&pool, &job, k, interval_ms(0.2));
        assert_eq!(job.clashes.load(Ordering::SeqCst), 0, "k={k}");
        assert_eq!(rec.result, twin, "k={k}");
        let mut running = of_state(&rec.spans, State::Running);
        running.sort_by(|a, b| a.start_us.total_cmp(&b.start_us));
        for pair in running.windows(2) {
            assert!(
                pair[0].end_us <= pair[1].start_us,
                "k={k}: two threads ran at once: {pair:?}"
            );
        }
        assert_lanes_are_sequential(&rec.spans);
        assert!(
            count(&rec.events, |e| matches!(e, EventKind::Handoff { .. })) >= k as usize,
            "k={k}: every thread took the lock at least once"
        );
        assert!(
            count(&rec.events, |e| matches!(e, EventKind::ForcedSwitch { .. })) >= 1,
            "k={k}: threads were made to switch"
        );

        // As one trace: k thread lanes and a GIL lane.
        let mut lanes: Vec<Lane> = (1..=k)
            .map(|i| Lane::thread(format!("Thread {i}")))
            .collect();
        lanes.push(Lane {
            kind: LaneKind::Gil,
            name: "GIL".to_owned(),
        });
        let gil = rec.gil_spans(k);
        assert!(gil.windows(2).all(|w| w[0].end_us <= w[1].start_us));
        let held: f64 = gil.iter().map(Span::duration_us).sum();
        let ran: f64 = running.iter().map(Span::duration_us).sum();
        assert!((held - ran).abs() < 1e-6 * ran.max(1.0), "k={k}");
        let meta = Meta {
            scenario: Scenario {
                model: Model::Gil,
                workload: Workload::Primes,
                k,
                size: 1_000_000,
                tasks: 24,
                interval_us: 200,
                latency_us: Scenario::DEFAULT_LATENCY_US,
            },
            mode: Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "native".to_owned(),
            result: Some(rec.result),
            seed: None,
        };
        let spans = rec.spans.iter().copied().chain(gil).collect();
        let trace = Trace::new(meta, lanes, spans).with_events(rec.events.clone());
        trace.validate().unwrap_or_else(|e| panic!("k={k}: {e}"));
    }
}

/// How the forced switches of a two-thread run of [`Busy`] went.
struct Switching {
    /// For each forced switch, how long the holder had held the lock while
    /// the other thread waited, sorted.
    waited_us: Vec<f64>,
    /// The same, counting only the holder's work: the blocks it finished in
    /// that time, times the usual length of a block. Time in which the OS
    /// had taken the holder off its core does not count.
    worked_us: Vec<f64>,
}

impl Switching {
    /// Checks what holds whatever the machine's load, and measures the rest.
    fn of(rec: &GilRecorded, interval: SwitchInterval, blocks: &[(u32, f64)]) -> Self {
        let mut blocks = blocks.to_vec();
        blocks.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut gaps: Vec<f64> = blocks
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| w[1].1 - w[0].1)
            .collect();
        gaps.sort_by(f64::total_cmp);
        let block_us = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);

        let held = rec.gil_spans(2);
        let waits = of_state(&rec.spans, State::GilWait);
        let (mut waited_us, mut worked_us) = (Vec::new(), Vec::new());
        for (i, e) in rec.events.iter().enumerate() {
            let EventKind::ForcedSwitch { lane } = e.kind else {
                continue;
            };
            // FORCE_SWITCHING: the lock goes to the other thread, not back.
            let next = rec.events[i + 1..]
                .iter()
                .find(|n| matches!(n.kind, EventKind::Handoff { .. }));
            assert!(
                matches!(next.map(|n| &n.kind), Some(EventKind::Handoff { from, to })
                    if *from == Some(lane) && *to != lane),
                "forced switch of lane {lane} at {} µs was not a hand-over",
                e.at_us
            );
            let hold = held
                .iter()
                .find(|h| h.holder == Some(lane) && h.end_us == e.at_us)
                .unwrap_or_else(|| panic!("no holding interval ends at {e:?}"));
            let waiter = waits
                .iter()
                .filter(|w| w.lane != lane)
                .max_by(|a, b| overlap_us(hold, a).total_cmp(&overlap_us(hold, b)))
                .unwrap_or_else(|| panic!("nobody waited for the lock at {e:?}"));
            let waited = overlap_us(hold, waiter);
            // A waiter lets the holder run a full interval before it asks.
            assert!(
                waited >= 0.95 * interval.as_us(),
                "lane {lane} was made to switch after {waited} µs"
            );
            let from = hold.start_us.max(waiter.start_us);
            let done = blocks
                .iter()
                .filter(|b| b.0 == lane && from < b.1 && b.1 <= hold.end_us)
                .count();
            waited_us.push(waited);
            worked_us.push(block_us * done as f64);
        }
        waited_us.sort_by(f64::total_cmp);
        worked_us.sort_by(f64::total_cmp);
        Self {
            waited_us,
            worked_us,
        }
    }
}

#[test]
fn a_cpu_bound_holder_is_made_to_hand_over() {
    let _alone = alone();
    let pool = pool();
    let interval = SwitchInterval::default();
    // Two threads that each need 60 ms, switched every 5 ms: about 20 forced
    // switches, each about one interval after the waiter arrived, as the
    // holder drops the lock at its next check. On a loaded machine the OS
    // also pauses the holder (measured: holds of 20-30 ms with 6 busy
    // processes on 2 cores), so the bound is on the holder's work while
    // another thread waited, and the best of three runs has to meet it;
    // what does not depend on load is checked in every run.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let job = Busy::new(2, 60_000.0);
        let rec = run_on(&pool, &job, 2, interval);
        let blocks = job
            .blocks
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let run = Switching::of(&rec, interval, &blocks);
        let longest = run.worked_us.last().copied().unwrap_or(f64::INFINITY);
        let good = run.worked_us.len() >= 3 && longest <= 4.0 * interval.as_us();
        runs.push(run);
        if good {
            return;
        }
    }
    let runs: Vec<String> = runs
        .iter()
        .map(|r| format!("held {:?} µs, worked {:?} µs", r.waited_us, r.worked_us))
        .collect();
    panic!(
        "no run switched at least 3 times, each within 4 intervals of the holder's work \
         while another thread waited: {runs:#?}"
    );
}

#[test]
fn an_io_wait_releases_the_gil() {
    let _alone = alone();
    let pool = pool();
    let clock = MonotonicClock::new();
    let gil = Gil::new(SwitchInterval::default(), &clock);
    // Thread 0 takes the lock, then thread 1 queues for it; thread 0 sleeps
    // 50 ms as I/O while thread 1 computes for 30 ms.
    let holding = Barrier::new(2);
    let (mut io_thread, mut cpu_thread) = (None, None);
    pool.install(|| {
        rayon::join(
            || {
                let mut t = gil.thread(0);
                t.acquire();
                holding.wait();
                // Give thread 1 time to start waiting.
                std::thread::sleep(Duration::from_millis(2));
                t.io_wait(|| std::thread::sleep(Duration::from_millis(50)));
                io_thread = Some(t.finish());
            },
            || {
                holding.wait();
                let mut t = gil.thread(1);
                t.acquire();
                Busy::new(1, 30_000.0).run_task(0, &mut t);
                cpu_thread = Some(t.finish());
            },
        )
    });
    let (io_spans, _) = io_thread.unwrap_or_default();
    let (cpu_spans, events) = cpu_thread.unwrap_or_default();
    let io = of_state(&io_spans, State::IoWait);
    assert_eq!(io.len(), 1, "{io_spans:?}");
    assert!(io[0].duration_us() >= 50_000.0);
    // Thread 1 took the lock while thread 0 was in I/O, and computed then.
    let took = events
        .iter()
        .find(|e| {
            e.kind
                == EventKind::Handoff {
                    from: Some(0),
                    to: 1,
                }
        })
        .unwrap_or_else(|| panic!("no hand-off to thread 1: {events:?}"));
    assert!(
        io[0].start_us <= took.at_us && took.at_us < io[0].end_us,
        "thread 1 took the lock at {} µs, not during the I/O wait {:?}",
        took.at_us,
        io[0]
    );
    let computed_meanwhile: f64 = of_state(&cpu_spans, State::Running)
        .iter()
        .map(|r| overlap_us(r, &io[0]))
        .sum();
    assert!(computed_meanwhile > 0.0);
}

#[test]
fn io_bound_threads_wait_at_the_same_time() {
    let _alone = alone();
    let pool = pool();
    // Eight threads each wait 50 ms: the waits overlap, so the run takes
    // far less than 8 × 50 ms.
    let job = Requests {
        tasks: 8,
        io_ms: 50,
    };
    let rec = run_on(&pool, &job, 8, SwitchInterval::default());
    let io = of_state(&rec.spans, State::IoWait);
    assert_eq!(io.len(), 8);
    let mut lanes: Vec<u32> = io.iter().map(|s| s.lane).collect();
    lanes.dedup();
    assert_eq!(lanes, (0..8).collect::<Vec<_>>());
    assert!(peak(&io) >= 4, "at most {} waits at once", peak(&io));
    let first = rec
        .spans
        .iter()
        .map(|s| s.start_us)
        .fold(f64::MAX, f64::min);
    let last = rec.spans.iter().map(|s| s.end_us).fold(0.0, f64::max);
    assert!(last - first < 200_000.0, "took {} µs", last - first);
}

#[test]
fn every_k_gets_k_threads_and_the_twins_answer() {
    let _alone = alone();
    let pool = pool();
    let job = PrimesUnderGil::new(PrimeCount::new(100_000, 32));
    let twin = job.sequential_twin();
    assert_eq!(twin, 9_592);
    for k in [1, 2, 3, 8, 16] {
        let rec = run_on(&pool, &job, k, interval_ms(1.0));
        assert_eq!(rec.result, twin, "k={k}");
        let mut threads: Vec<_> = rec
            .threads
            .iter()
            .map(|t| t.unwrap_or(usize::MAX))
            .collect();
        threads.sort_unstable();
        threads.dedup();
        assert_eq!(threads.len(), k as usize, "k={k} ran on {:?}", rec.threads);
        let mut tasks: Vec<_> = of_state(&rec.spans, State::Running)
            .iter()
            .filter_map(|s| s.task)
            .collect();
        tasks.sort_unstable();
        tasks.dedup();
        assert_eq!(tasks, (0..32).collect::<Vec<_>>(), "k={k}");
        assert_lanes_are_sequential(&rec.spans);
    }
}

#[test]
fn refuses_bad_thread_counts_and_small_pools() {
    let clock = MonotonicClock::new();
    let job = PrimesUnderGil::new(PrimeCount::new(1000, 16));
    let interval = SwitchInterval::default();
    for k in [0, 17] {
        assert_eq!(
            run_gil(&job, k, interval, &clock, &Cancel::new()).map(|r| r.result),
            Err(RunError::ThreadCount(k))
        );
    }
    let small = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err =
        small.install(|| run_gil(&job, 3, interval, &clock, &Cancel::new()).map(|r| r.result));
    assert_eq!(err, Err(RunError::PoolTooSmall { need: 3, have: 2 }));
}

/// Counts primes, and raises `cancel` in item `at`.
struct CancelAt<'a> {
    job: PrimesUnderGil,
    at: u32,
    cancel: &'a Cancel,
}

impl GilJob for CancelAt<'_> {
    fn tasks(&self) -> u32 {
        self.job.tasks()
    }

    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64 {
        if task == self.at {
            self.cancel.cancel();
        }
        self.job.run_task(task, gil)
    }

    fn sequential_twin(&self) -> u64 {
        self.job.sequential_twin()
    }
}

#[test]
fn a_cancelled_run_stops() {
    let _alone = alone();
    let pool = pool();
    let clock = MonotonicClock::new();
    let job = PrimesUnderGil::new(PrimeCount::new(10_000_000, 1000));
    let cancel = Cancel::new();
    cancel.cancel();
    let out = pool.install(|| run_gil(&job, 4, SwitchInterval::default(), &clock, &cancel));
    assert_eq!(out.map(|r| r.result), Err(RunError::Cancelled));

    // Cancelled while threads hold and wait for the lock: all of them stop.
    let cancel = Cancel::new();
    let job = CancelAt {
        job,
        at: 5,
        cancel: &cancel,
    };
    let out = pool.install(|| run_gil(&job, 4, interval_ms(0.1), &clock, &cancel));
    assert_eq!(out.map(|r| r.result), Err(RunError::Cancelled));
}

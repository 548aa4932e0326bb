//! What each model does with each workload, proved from the recorded spans
//! of real runs on OS threads. Sizes are small and bounds loose: the tests
//! share a small, busy machine.

use std::sync::{Mutex, PoisonError};
use std::thread::ThreadId;

use lanes_trace::{LaneKind, State};

use super::*;
use crate::testing::{alone, assert_one_at_a_time, native, of_state, peak, pool};
use crate::{MonotonicClock, lost_updates, run_share, sequential_twin};

/// Runs `scenario` on `pool` with the real clock and sleeps; the trace must
/// be valid.
fn run_on(pool: &rayon::ThreadPool, scenario: &Scenario) -> Trace {
    let clock = MonotonicClock::new();
    let trace = pool
        .install(|| run(scenario, &clock, &native(), &Cancel::new()))
        .unwrap_or_else(|e| panic!("{scenario:?}: {e}"));
    trace
        .validate()
        .unwrap_or_else(|e| panic!("{scenario:?}: {e}"));
    trace
}

fn lane_names(trace: &Trace) -> Vec<&str> {
    trace.lanes.iter().map(|l| l.name.as_str()).collect()
}

/// A clock that notes every thread that reads it.
struct Watching {
    clock: MonotonicClock,
    threads: Mutex<Vec<ThreadId>>,
}

impl Clock for Watching {
    fn now_us(&self) -> f64 {
        let me = std::thread::current().id();
        let mut seen = self.threads.lock().unwrap_or_else(PoisonError::into_inner);
        if !seen.contains(&me) {
            seen.push(me);
        }
        self.clock.now_us()
    }
}

#[test]
fn free_threads_overlap_and_sequential_does_not() {
    let _alone = alone();
    let pool = pool();
    let free = run_on(
        &pool,
        &Scenario::new(Model::Free, Workload::Primes, 2, 2_000_000, 32),
    );
    assert_eq!(free.lanes.len(), 2);
    assert_eq!(free.meta().unwrap().result.unwrap(), 148_933);
    // Both lanes ran work, at the same time as each other.
    assert!(free.lane_use().iter().all(|u| u.running_us > 0.0));
    assert_eq!(free.concurrency().peak, 2);

    let seq = run_on(
        &pool,
        &Scenario::new(Model::Sequential, Workload::Primes, 8, 200_000, 32),
    );
    assert_eq!(lane_names(&seq), ["Main thread"]);
    assert_eq!(seq.concurrency().peak, 1);
    assert_eq!(seq.meta().unwrap().result.unwrap(), 17_984);
}

#[test]
fn under_the_gil_one_thread_runs_at_a_time_and_the_gil_lane_shows_who() {
    let _alone = alone();
    let pool = pool();
    let s = Scenario {
        interval_us: 500,
        ..Scenario::new(Model::Gil, Workload::Primes, 4, 300_000, 16)
    };
    let t = run_on(&pool, &s);
    assert_eq!(
        lane_names(&t),
        ["Thread 1", "Thread 2", "Thread 3", "Thread 4", "GIL"]
    );
    assert_eq!(t.lanes[4].kind, LaneKind::Gil);
    assert_eq!(t.meta().unwrap().result.unwrap(), 25_997);
    assert_eq!(t.meta().unwrap().scenario.interval_us, 500);
    let running = of_state(&t, State::Running);
    assert_one_at_a_time(&running, "threads under the GIL");
    // The GIL lane holds exactly the running time, lane by lane.
    let held: f64 = t.lane_spans(4).iter().map(Span::duration_us).sum();
    let ran: f64 = running.iter().map(Span::duration_us).sum();
    assert!((held - ran).abs() <= 1e-6 * ran.max(1.0));
    assert!(t.lane_spans(4).iter().all(|s| s.holder < Some(4)));
    let handoffs = t
        .events
        .iter()
        .filter(|e| matches!(e.kind, lanes_trace::EventKind::Handoff { .. }))
        .count();
    assert!(handoffs >= 4, "{handoffs} hand-offs");
    assert!(t.state_times().get(State::GilWait) > 0.0);
}

#[test]
fn requests_wait_together_on_threads_and_one_after_another_alone() {
    let _alone = alone();
    let pool = pool();
    // Eight requests of 20 ms and a small parse each.
    let base = Scenario {
        latency_us: 20_000,
        ..Scenario::new(Model::Free, Workload::Io, 8, 8_000, 8)
    };
    let twin = sequential_twin(&base);
    assert_eq!(twin, Some(1_007));
    for model in [Model::Free, Model::Gil] {
        let t = run_on(&pool, &Scenario { model, ..base });
        assert_eq!(t.meta().unwrap().result, twin, "{model}");
        let waits = of_state(&t, State::IoWait);
        assert_eq!(waits.len(), 8, "{model}");
        assert!(waits.iter().all(|w| w.duration_us() >= 20_000.0), "{model}");
        assert!(
            peak(&waits) >= 4,
            "{model}: at most {} waits at once",
            peak(&waits)
        );
        // Eight waits of 20 ms end well before 8 × 20 ms.
        assert!(
            t.makespan_ms() < 100.0,
            "{model}: took {} ms",
            t.makespan_ms()
        );
        // Each request waits, then parses (under the GIL, a thread also
        // runs a moment before its request, holding the lock).
        for lane in 0..8 {
            let states: Vec<_> = t
                .lane_spans(lane)
                .iter()
                .filter(|s| s.state != State::GilWait)
                .map(|s| s.state)
                .collect();
            assert!(
                states.ends_with(&[State::IoWait, State::Running]),
                "{model} lane {lane}: {states:?}"
            );
        }
        if model == Model::Gil {
            assert_one_at_a_time(&of_state(&t, State::Running), "parses under the GIL");
            assert_eq!(t.lanes.last().map(|l| l.kind), Some(LaneKind::Gil));
        }
    }
    let seq = run_on(
        &pool,
        &Scenario {
            model: Model::Sequential,
            latency_us: 5_000,
            ..base
        },
    );
    assert_eq!(seq.meta().unwrap().result, twin);
    assert_eq!(peak(&of_state(&seq, State::IoWait)), 1);
    assert!(seq.makespan_us() >= 8.0 * 5_000.0);
}

#[test]
fn the_sleeper_is_injected() {
    let pool = pool();
    let clock = MonotonicClock::new();
    let asked = Mutex::new(Vec::new());
    let sleeper = |us: f64| asked.lock().unwrap().push(us);
    let s = Scenario {
        latency_us: 3_000_000,
        ..Scenario::new(Model::Free, Workload::Io, 3, 1_000, 5)
    };
    let t = pool
        .install(|| run_with(&s, &clock, &sleeper, &native(), &Cancel::new()))
        .unwrap();
    assert_eq!(t.meta().unwrap().result.unwrap(), 168);
    // Five waits of 3 s, slept in slices of at most 10 ms so that a Cancel
    // is seen within 10 ms.
    let asked = asked.lock().unwrap();
    assert!(asked.iter().all(|us| *us <= 10_000.0), "{:?}", &asked[..3]);
    assert!((asked.iter().sum::<f64>() - 5.0 * 3e6).abs() < 1.0);
    // No real wait happened.
    assert!(t.makespan_ms() < 1_000.0);
}

#[test]
fn a_cancel_stops_items_in_progress_and_long_waits() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let pool = pool();
    let clock = MonotonicClock::new();
    // A cancel raised from inside the first wait: the long waits end at once.
    let cancel = Cancel::new();
    let slices = AtomicU32::new(0);
    let sleeper = |_: f64| {
        if slices.fetch_add(1, Ordering::Relaxed) == 0 {
            cancel.cancel();
        }
    };
    let s = Scenario {
        latency_us: 10_000_000,
        ..Scenario::new(Model::Free, Workload::Io, 2, 1_000, 4)
    };
    let out = pool.install(|| run_with(&s, &clock, &sleeper, &native(), &cancel));
    assert!(matches!(out, Err(RunError::Cancelled)));
    assert!(
        slices.load(Ordering::Relaxed) <= 4,
        "slices after cancel: {}",
        slices.load(Ordering::Relaxed)
    );
    // A CPU item of several seconds stops within a check of a cancel, on
    // free threads and under the GIL.
    for model in [Model::Sequential, Model::Free, Model::Gil] {
        let cancel = Cancel::new();
        let s = Scenario::new(model, Workload::Primes, 2, 100_000_000, 2);
        let started = clock.now_us();
        let out = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(std::time::Duration::from_millis(30));
                cancel.cancel();
            });
            pool.install(|| run(&s, &clock, &native(), &cancel))
        });
        let took_ms = (clock.now_us() - started) / 1000.0;
        assert!(matches!(out, Err(RunError::Cancelled)), "{model:?}");
        // Uncancelled, each item would take seconds even in release builds.
        assert!(took_ms < 2_000.0, "{model:?} took {took_ms} ms to stop");
    }
}

#[test]
fn a_counter_without_a_lock_loses_updates_and_with_one_does_not() {
    let _alone = alone();
    let pool = pool();
    // Two threads of 500 000 updates each: on two cores they interleave.
    let racy = Scenario::new(Model::Free, Workload::Counter, 2, 1_000_000, 2);
    let mut lost = Vec::new();
    for _ in 0..5 {
        let t = run_on(&pool, &racy);
        let n = lost_updates(&t).unwrap();
        assert_eq!(n, 1_000_000 - t.meta().unwrap().result.unwrap());
        lost.push(n);
        if n > 0 {
            break;
        }
    }
    assert!(lost.iter().any(|&n| n > 0), "no update was lost: {lost:?}");

    let locked = Scenario::new(Model::Free, Workload::CounterLocked, 4, 200_000, 8);
    for model in [Model::Free, Model::Gil, Model::Sequential] {
        let t = run_on(&pool, &Scenario { model, ..locked });
        assert_eq!(t.meta().unwrap().result.unwrap(), 200_000, "{model}");
        assert_eq!(lost_updates(&t), Some(0), "{model}");
    }
    let exact = run_on(
        &pool,
        &Scenario::new(Model::Sequential, Workload::Counter, 4, 200_000, 8),
    );
    assert_eq!(exact.meta().unwrap().result.unwrap(), 200_000);
    let primes = run_on(
        &pool,
        &Scenario::new(Model::Free, Workload::Primes, 2, 100, 2),
    );
    assert_eq!(lost_updates(&primes), None);
}

#[test]
fn the_gil_does_not_make_a_counter_safe() {
    let _alone = alone();
    let pool = pool();
    // A switch between the load and the store loses the other thread's
    // updates meanwhile, as `counter += 1` can in CPython.
    let racy = Scenario {
        interval_us: 100,
        ..Scenario::new(Model::Gil, Workload::Counter, 2, 1_000_000, 2)
    };
    let mut lost = Vec::new();
    for _ in 0..4 {
        let t = run_on(&pool, &racy);
        assert_one_at_a_time(&of_state(&t, State::Running), "counter under the GIL");
        let n = lost_updates(&t).unwrap();
        lost.push(n);
        if n > 0 {
            break;
        }
    }
    assert!(lost.iter().any(|&n| n > 0), "no update was lost: {lost:?}");
}

#[test]
fn the_event_loop_runs_on_one_thread_and_its_awaits_overlap() {
    let _alone = alone();
    let pool = pool();
    let clock = Watching {
        clock: MonotonicClock::new(),
        threads: Mutex::new(Vec::new()),
    };
    // Eight coroutines, sixteen requests of 20 ms: two rounds of waits.
    let s = Scenario {
        latency_us: 20_000,
        ..Scenario::new(Model::Asyncio, Workload::Io, 8, 16_000, 16)
    };
    let t = pool
        .install(|| run(&s, &clock, &native(), &Cancel::new()))
        .unwrap_or_else(|e| panic!("{e}"));
    t.validate().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(clock.threads.lock().unwrap().len(), 1, "one thread");
    assert_eq!(t.lanes.len(), 8);
    assert_eq!(t.lanes[0].name, "Task 1");
    assert_eq!(t.meta().unwrap().result, sequential_twin(&s));
    assert_one_at_a_time(&of_state(&t, State::Running), "coroutines");
    let awaits = of_state(&t, State::Awaiting);
    assert_eq!(awaits.len(), 16);
    assert!(awaits.iter().all(|a| a.duration_us() >= 20_000.0));
    assert!(
        peak(&awaits) >= 6,
        "at most {} awaits at once",
        peak(&awaits)
    );
    assert!(t.makespan_ms() < 160.0, "took {} ms", t.makespan_ms());

    // Computing only: the coroutines take turns, one item each.
    let cpu = run_on(
        &pool,
        &Scenario::new(Model::Asyncio, Workload::Primes, 3, 100_000, 9),
    );
    assert_eq!(cpu.meta().unwrap().result.unwrap(), 9_592);
    let running = of_state(&cpu, State::Running);
    assert_one_at_a_time(&running, "coroutines");
    let mut order = running.clone();
    order.sort_by(|a, b| a.start_us.total_cmp(&b.start_us));
    let lanes: Vec<_> = order.iter().map(|s| s.lane).collect();
    assert_eq!(lanes, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
}

#[test]
fn computing_blocks_the_event_loop_and_its_timers_fire_late() {
    let _alone = alone();
    let pool = pool();
    let clock = MonotonicClock::new();
    // A CPU coroutine of 20 items beside an I/O coroutine of 20 waits of 1 ms.
    let s = Scenario {
        latency_us: 1_000,
        ..Scenario::new(Model::Asyncio, Workload::Mixed, 8, 1_000_000, 20)
    };
    let c = pool
        .install(|| convoy(&s, &clock, &ThreadSleeper, &native(), &Cancel::new()))
        .unwrap_or_else(|e| panic!("{e}"));
    let t = &c.beside;
    t.validate().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lane_names(t), ["CPU task", "I/O task"]);
    assert_eq!(lane_names(&c.alone), ["I/O task"]);
    assert_eq!(t.meta().unwrap().result, sequential_twin(&s));
    assert_one_at_a_time(&of_state(t, State::Running), "coroutines");
    // The I/O task's timers fell due while the CPU task computed, and it
    // resumed only when that item ended: its awaits lasted far past 1 ms,
    // with an item of the CPU task starting and ending within them.
    let cpu = t.lane_spans(0);
    let late: Vec<_> = t
        .lane_spans(1)
        .iter()
        .filter(|a| a.state == State::Awaiting && a.duration_us() > 1_000.0 + 2_000.0)
        .filter(|a| {
            cpu.iter().any(|r| {
                r.state == State::Running
                    && a.start_us <= r.start_us
                    && r.end_us <= a.end_us
                    && r.end_us > a.start_us + 1_000.0
            })
        })
        .collect();
    assert!(
        late.len() >= 5,
        "only {} awaits were late: {t:?}",
        late.len()
    );
    assert!(c.slowdown() > 1.5, "slowdown {}", c.slowdown());
}

#[test]
fn the_convoy_effect_slows_io_beside_cpu_under_the_gil_only() {
    let _alone = alone();
    let pool = pool();
    let clock = MonotonicClock::new();
    // 20 waits of 1 ms, each followed by a little computing, beside a CPU
    // thread that computes for longer than that. Under the GIL each wait
    // ends with a wait of up to 5 ms for the lock.
    let base = Scenario {
        latency_us: 1_000,
        ..Scenario::new(Model::Gil, Workload::Mixed, 8, 2_000_000, 20)
    };
    let mut slowdowns = Vec::new();
    for model in [Model::Gil, Model::Free] {
        let s = Scenario { model, ..base };
        let c = pool
            .install(|| convoy(&s, &clock, &ThreadSleeper, &native(), &Cancel::new()))
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        let t = &c.beside;
        t.validate().unwrap_or_else(|e| panic!("{model}: {e}"));
        assert_eq!(t.meta().unwrap().result, sequential_twin(&s), "{model}");
        assert_eq!(&lane_names(t)[..2], ["CPU thread", "I/O thread"], "{model}");
        // Twenty waits on the I/O thread, alone and beside.
        for trace in [&c.alone, t] {
            let io: Vec<_> = of_state(trace, State::IoWait);
            assert_eq!(io.len(), 20, "{model}");
        }
        if model == Model::Gil {
            assert_eq!(lane_names(t).len(), 3);
            assert_one_at_a_time(&of_state(t, State::Running), "mixed under the GIL");
            // After its waits the I/O thread waited for the lock.
            let waited: f64 = t
                .lane_spans(1)
                .iter()
                .filter(|s| s.state == State::GilWait)
                .map(Span::duration_us)
                .sum();
            assert!(
                waited > 10_000.0,
                "the I/O thread waited {waited} µs for the GIL"
            );
        }
        slowdowns.push(c.slowdown());
    }
    let (gil, free) = (slowdowns[0], slowdowns[1]);
    assert!(gil > free, "under the GIL {gil}×, free {free}×");
    assert!(gil > 1.5, "under the GIL only {gil}×");
}

#[test]
fn every_model_gives_the_sequential_twins_answer() {
    let _alone = alone();
    let pool = pool();
    let cases = [
        (Workload::Primes, 50_000),
        (Workload::Mandelbrot, 64),
        (Workload::Audio, 2),
        (Workload::Io, 20_000),
        (Workload::Mixed, 20_000),
        (Workload::CounterLocked, 20_000),
        (Workload::Counter, 20_000),
    ];
    for (workload, size) in cases {
        let base = Scenario {
            latency_us: 500,
            interval_us: 1_000,
            ..Scenario::new(Model::Sequential, workload, 3, size, 6)
        };
        let twin = sequential_twin(&base);
        assert!(twin.is_some(), "{workload}");
        for model in [Model::Sequential, Model::Gil, Model::Free, Model::Asyncio] {
            let s = Scenario { model, ..base };
            // Racy counters lose updates, and the event loop has no counter.
            if workload == Workload::Counter && model != Model::Sequential
                || model == Model::Asyncio && workload == Workload::CounterLocked
            {
                continue;
            }
            let t = run_on(&pool, &s);
            assert_eq!(t.meta().unwrap().result, twin, "{model} {workload}");
            assert_eq!(t.meta().unwrap().scenario, s);
        }
        // Processes: their shares add up (processes/tests.rs).
    }
}

#[test]
fn what_cannot_run_here_says_so_in_words() {
    let pool = pool();
    let clock = MonotonicClock::new();
    let err = |s: Scenario| {
        pool.install(|| run(&s, &clock, &native(), &Cancel::new()))
            .map(|t| t.meta().unwrap().result.unwrap())
    };
    let procs = Scenario::new(Model::Processes, Workload::Primes, 4, 1000, 8);
    assert_eq!(
        err(procs),
        Err(RunError::Unsupported {
            model: Model::Processes,
            workload: Workload::Primes
        })
    );
    assert_eq!(
        err(procs).unwrap_err().to_string(),
        "Processes cannot run “count primes” here: each process runs in a worker of its own, \
         which the page starts"
    );
    assert_eq!(
        err(Scenario::new(Model::Free, Workload::Ui, 2, 1000, 8))
            .unwrap_err()
            .to_string(),
        "Free threads cannot run “UI responsiveness” here: the page runs that one on its own \
         main thread"
    );
    assert_eq!(
        err(Scenario::new(Model::Asyncio, Workload::Counter, 2, 1000, 8))
            .unwrap_err()
            .to_string(),
        "Event loop cannot run “shared counter” here: the two do not go together"
    );
    let gil = Scenario::new(Model::Gil, Workload::Primes, 2, 1000, 8);
    assert_eq!(
        err(Scenario {
            interval_us: 50,
            ..gil
        })
        .unwrap_err()
        .to_string(),
        "the switch interval must be between 0.1 ms and 100 ms, not 0.05 ms"
    );
    assert_eq!(
        err(Scenario {
            latency_us: 20_000_000,
            workload: Workload::Io,
            ..gil
        })
        .unwrap_err()
        .to_string(),
        "an I/O wait may last at most 10 s, not 20 s"
    );
    assert_eq!(
        err(Scenario::new(Model::Asyncio, Workload::Io, 17, 1000, 8)),
        Err(RunError::ThreadCount(17))
    );
    assert_eq!(
        err(Scenario::new(Model::Free, Workload::Primes, 0, 1000, 8)),
        Err(RunError::ThreadCount(0))
    );
    let share = |share, shares, workload| {
        run_share(
            &Scenario::new(Model::Processes, workload, shares, 1000, 8),
            share,
            shares,
            &clock,
            &ThreadSleeper,
            &Cancel::new(),
        )
        .map(|s| s.result)
    };
    assert_eq!(
        share(3, 3, Workload::Primes),
        Err(RunError::Share {
            share: 3,
            shares: 3
        })
    );
    assert_eq!(share(0, 0, Workload::Primes), Err(RunError::ThreadCount(0)));
    assert_eq!(
        share(0, 2, Workload::Mixed),
        Err(RunError::Unsupported {
            model: Model::Processes,
            workload: Workload::Mixed
        })
    );
    assert_eq!(
        share(3, 3, Workload::Primes).unwrap_err().to_string(),
        "there is no process 3 in a run of 3 processes"
    );
}

#[test]
fn processes_deal_items_round_robin_and_own_their_counters() {
    // The deal itself is lanes-model's (its lib.rs tests it).
    // A clock on the page's axis: its readings come back untouched.
    struct Late;
    impl Clock for Late {
        fn now_us(&self) -> f64 {
            1e9
        }
    }
    let s = Scenario::new(Model::Processes, Workload::Counter, 2, 1_001, 4);
    let a = run_share(&s, 0, 2, &Late, &ThreadSleeper, &Cancel::new()).unwrap();
    let b = run_share(&s, 1, 2, &Late, &ThreadSleeper, &Cancel::new()).unwrap();
    assert_eq!((a.result, b.result), (500, 501));
    assert!(
        a.spans
            .iter()
            .all(|s| s.start_us == 1e9 && s.state == State::Running)
    );
}

#[test]
fn a_cancelled_run_stops() {
    let pool = pool();
    let clock = MonotonicClock::new();
    let cancel = Cancel::new();
    cancel.cancel();
    for (model, workload) in [
        (Model::Free, Workload::Primes),
        (Model::Gil, Workload::Io),
        (Model::Asyncio, Workload::Io),
        (Model::Free, Workload::Mixed),
        (Model::Gil, Workload::Mixed),
        (Model::Sequential, Workload::Counter),
    ] {
        let out = pool.install(|| {
            run(
                &Scenario::new(model, workload, 4, 10_000_000, 32),
                &clock,
                &native(),
                &cancel,
            )
        });
        assert_eq!(
            out.map(|t| t.spans().len()),
            Err(RunError::Cancelled),
            "{model} {workload}"
        );
    }
    let share = run_share(
        &Scenario::new(Model::Processes, Workload::Primes, 2, 10_000_000, 32),
        0,
        2,
        &clock,
        &ThreadSleeper,
        &cancel,
    );
    assert_eq!(share.map(|s| s.result), Err(RunError::Cancelled));
}

//! run_solo against the live runner: the same answers, lanes and tasks;
//! what it refuses; Cancel; no thread pool. The GIL's behaviour in time is
//! in [`timing`].

mod fake_time;
mod timing;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use lanes_trace::{LaneKind, Meta, Model, Scenario, State, Trace, Workload};

use super::*;
use crate::testing::{alone, native, of_state, pool};
use crate::{MAX_LATENCY_US, MonotonicClock, ThreadSleeper, run, sequential_twin};

/// Runs `scenario` alone on this thread with the real clock and sleeps.
fn try_solo(scenario: &Scenario) -> Result<Trace, RunError> {
    let clock = MonotonicClock::new();
    run_solo(scenario, &clock, &ThreadSleeper, &native(), &Cancel::new())
}

/// As [`try_solo`]; the run must succeed and its trace be valid.
fn solo(scenario: &Scenario) -> Trace {
    let trace = try_solo(scenario).unwrap_or_else(|e| panic!("{scenario:?}: {e}"));
    trace
        .validate()
        .unwrap_or_else(|e| panic!("{scenario:?}: {e}"));
    trace
}

/// The work items a trace's thread lanes name, each once, in order.
fn tasks(trace: &Trace) -> Vec<u32> {
    let mut tasks: Vec<u32> = trace
        .spans()
        .iter()
        .filter(|s| trace.lanes[s.lane as usize].kind == LaneKind::Thread)
        .filter_map(|s| s.task)
        .collect();
    tasks.sort_unstable();
    tasks.dedup();
    tasks
}

#[test]
fn every_model_and_workload_gives_the_twins_answer_and_the_live_runners_lanes() {
    let _alone = alone();
    let pool = pool();
    let workloads = [
        (Workload::Primes, 200_000, 16),
        (Workload::Mandelbrot, 96, 8),
        (Workload::Audio, 2, 2),
        (Workload::Io, 20_000, 8),
        (Workload::Mixed, 100_000, 4),
        (Workload::Counter, 50_000, 8),
        (Workload::CounterLocked, 50_000, 8),
    ];
    for model in [Model::Sequential, Model::Gil, Model::Asyncio] {
        for (workload, size, tasks_asked) in workloads {
            let s = Scenario {
                latency_us: 2_000,
                interval_us: 500,
                ..Scenario::new(model, workload, 4, size, tasks_asked)
            };
            let what = format!("{model} {workload}");
            let clock = MonotonicClock::new();
            let live = pool.install(|| run(&s, &clock, &native(), &Cancel::new()));
            let got = try_solo(&s);
            if model == Model::Asyncio
                && matches!(workload, Workload::Counter | Workload::CounterLocked)
            {
                assert!(matches!(got, Err(RunError::Unsupported { .. })), "{what}");
                assert_eq!(got, live, "{what}");
                continue;
            }
            let live = live.unwrap_or_else(|e| panic!("{what}: {e}"));
            let got = solo(&s);
            if (model, workload) == (Model::Gil, Workload::Counter) {
                assert!(got.meta().unwrap().result.unwrap() <= size, "{what}");
            } else {
                assert_eq!(got.meta().unwrap().result, sequential_twin(&s), "{what}");
            }
            assert_eq!(got.lanes, live.lanes, "{what}");
            let unresulted = |meta: &Meta| Meta {
                result: None,
                ..meta.clone()
            };
            assert_eq!(
                unresulted(got.meta().unwrap()),
                unresulted(live.meta().unwrap()),
                "{what}"
            );
            assert_eq!(tasks(&got), tasks(&live), "{what}");
            // The same kinds of span on the same kinds of lane.
            let states = |t: &Trace| {
                let mut states: Vec<_> = t
                    .spans()
                    .iter()
                    .filter(|s| s.state != State::GilWait)
                    .map(|s| (t.lanes[s.lane as usize].kind, s.state))
                    .collect();
                states.sort_by_key(|(kind, state)| (kind.as_str(), state.as_str()));
                states.dedup();
                states
            };
            assert_eq!(states(&got), states(&live), "{what}");
            assert_eq!(got.events.is_empty(), model != Model::Gil, "{what}");
        }
    }
}

#[test]
fn refuses_what_the_live_runner_refuses_and_free_threads_in_words() {
    let pool = pool();
    let bad = [
        Scenario::new(Model::Processes, Workload::Primes, 4, 1000, 4),
        Scenario::new(Model::Gil, Workload::Ui, 4, 1000, 4),
        Scenario::new(Model::Sequential, Workload::Ui, 1, 1000, 4),
        Scenario::new(Model::Asyncio, Workload::Counter, 4, 1000, 4),
        Scenario::new(Model::Gil, Workload::Primes, 0, 1000, 4),
        Scenario::new(Model::Gil, Workload::CounterLocked, 17, 1000, 4),
        Scenario::new(Model::Asyncio, Workload::Io, 17, 1000, 4),
        Scenario {
            interval_us: 50,
            ..Scenario::new(Model::Gil, Workload::Audio, 2, 1, 1)
        },
        Scenario {
            latency_us: MAX_LATENCY_US + 1,
            ..Scenario::new(Model::Gil, Workload::Io, 2, 1000, 4)
        },
        Scenario {
            latency_us: MAX_LATENCY_US + 1,
            ..Scenario::new(Model::Sequential, Workload::Mixed, 2, 1000, 4)
        },
    ];
    for s in bad {
        let clock = MonotonicClock::new();
        let live = pool.install(|| run(&s, &clock, &native(), &Cancel::new()));
        assert!(live.is_err(), "{s:?}");
        assert_eq!(try_solo(&s), live, "{s:?}");
    }
    for workload in [Workload::Primes, Workload::Io, Workload::Counter] {
        let s = Scenario::new(Model::Free, workload, 2, 1000, 4);
        let err = try_solo(&s).map(|_| ()).unwrap_err();
        assert_eq!(
            err,
            RunError::Unsupported {
                model: Model::Free,
                workload
            }
        );
        assert!(err.to_string().contains("cross-origin isolated"), "{err}");
    }
}

#[test]
fn a_cancel_stops_a_long_run_promptly() {
    let _alone = alone();
    let long = |model, workload, latency_us| Scenario {
        latency_us,
        ..Scenario::new(model, workload, 4, 50_000_000, 16)
    };
    let runs = [
        long(Model::Gil, Workload::Primes, 0),
        long(Model::Gil, Workload::Io, MAX_LATENCY_US),
        long(Model::Gil, Workload::Mixed, MAX_LATENCY_US),
        long(Model::Sequential, Workload::Mandelbrot, 0),
        long(Model::Sequential, Workload::Io, MAX_LATENCY_US),
        long(Model::Asyncio, Workload::Io, MAX_LATENCY_US),
    ];
    for s in runs {
        let cancel = Cancel::new();
        let clock = MonotonicClock::new();
        let (got, stopped_in) = std::thread::scope(|scope| {
            let cancelled = scope.spawn(|| {
                std::thread::sleep(Duration::from_millis(50));
                cancel.cancel();
                Instant::now()
            });
            let got = run_solo(&s, &clock, &ThreadSleeper, &native(), &cancel);
            let done = Instant::now();
            let at = cancelled.join().unwrap_or_else(|_| panic!("the canceller"));
            (got, done.saturating_duration_since(at))
        });
        assert_eq!(got.map(|_| ()), Err(RunError::Cancelled), "{s:?}");
        // Far below the 10 s a wait may last, far above what a loaded
        // machine may add: the real latencies are figures of `make bench`.
        assert!(stopped_in < Duration::from_secs(5), "{s:?}: {stopped_in:?}");
    }
}

/// A clock that fails the test when read inside a rayon pool.
struct OutsidePools(MonotonicClock);

impl Clock for OutsidePools {
    fn now_us(&self) -> f64 {
        assert_eq!(rayon::current_thread_index(), None, "read in a pool");
        self.0.now_us()
    }
}

#[test]
fn no_pool_is_used_and_the_sources_name_none() {
    let sources = [
        include_str!("../solo.rs"),
        include_str!("../asyncio.rs"),
        include_str!("scheduler.rs"),
        include_str!("sequential.rs"),
        include_str!("../gil/threads.rs"),
        include_str!("../steps.rs"),
        include_str!("../steps/counter.rs"),
        include_str!("../steps/io.rs"),
        include_str!("../steps/kernels.rs"),
        include_str!("../steps/roles.rs"),
    ];
    for source in sources {
        assert!(!source.contains(concat!("ray", "on::")));
    }
    // Outside any pool; the answers are the first test's.
    std::thread::spawn(|| {
        let clock = OutsidePools(MonotonicClock::new());
        for (model, workload) in [
            (Model::Gil, Workload::Primes),
            (Model::Gil, Workload::Mixed),
            (Model::Sequential, Workload::Io),
            (Model::Asyncio, Workload::Io),
        ] {
            let s = Scenario {
                latency_us: 1_000,
                ..Scenario::new(model, workload, 4, 20_000, 4)
            };
            run_solo(&s, &clock, &ThreadSleeper, &native(), &Cancel::new())
                .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        }
    })
    .join()
    .unwrap_or_else(|_| panic!("a run panicked"));
}

//! Properties of simulated runs over random scenarios, costs, cores and
//! seeds.

#![expect(clippy::panic, reason = "test helpers report a failure by panicking")]

use lanes_model::{Runner, unsupported};
use lanes_sim::{CostModel, Options, simulate, task_costs};
use lanes_trace::{Model, Scenario, Span, State, Trace, Workload};
use proptest::prelude::*;

/// The workloads the simulator runs under `model`: lanes-model's table.
fn workload_for(model: Model) -> impl Strategy<Value = Workload> {
    let ok: Vec<Workload> = Workload::ALL
        .into_iter()
        .filter(|&w| unsupported(Runner::Simulator, model, w).is_none())
        .collect();
    proptest::sample::select(ok)
}

fn size_for(workload: Workload) -> impl Strategy<Value = u64> {
    match workload {
        Workload::Mandelbrot => 16_u64..300,
        Workload::Audio => 1_u64..40,
        Workload::Counter | Workload::CounterLocked => 1_u64..2_000_000,
        _ => 1_000_u64..1_000_000,
    }
}

fn scenario() -> impl Strategy<Value = Scenario> {
    proptest::sample::select(Model::ALL.to_vec())
        .prop_flat_map(|model| (Just(model), workload_for(model)))
        .prop_flat_map(|(model, workload)| {
            (
                Just(model),
                Just(workload),
                1_u32..=20,
                size_for(workload),
                1_u32..=48,
                100_u32..=100_000,
                0_u32..=40_000,
            )
        })
        .prop_map(
            |(model, workload, k, size, tasks, interval_us, latency_us)| Scenario {
                model,
                workload,
                k,
                size,
                tasks,
                interval_us,
                latency_us,
            },
        )
}

fn costs() -> impl Strategy<Value = CostModel> {
    (
        0.25_f64..4.0,
        0.0_f64..0.1,
        0.0_f64..500.0,
        0.0_f64..100_000.0,
    )
        .prop_map(|(speed, jitter, handoff, startup)| {
            let r = CostModel::reference();
            CostModel {
                primes_us_per_unit: r.primes_us_per_unit * speed,
                mandelbrot_us_per_unit: r.mandelbrot_us_per_unit * speed,
                audio_us_per_clip: r.audio_us_per_clip * speed,
                parse_us_per_unit: r.parse_us_per_unit * speed,
                counter_update_us: r.counter_update_us * speed,
                counter_locked_update_us: r.counter_locked_update_us * speed,
                gil_handoff_us: handoff,
                process_startup_us: startup,
                jitter,
                ..r
            }
        })
}

fn options() -> impl Strategy<Value = Options> {
    (1_u32..=64, any::<u64>()).prop_map(|(cores, seed)| Options { cores, seed })
}

fn run(s: &Scenario, c: &CostModel, o: &Options) -> Trace {
    simulate(s, c, o).unwrap_or_else(|e| panic!("{s:?} on {o:?}: {e}"))
}

/// Running spans of thread lanes, by start.
fn running(t: &Trace) -> Vec<Span> {
    let mut spans: Vec<Span> = t
        .spans()
        .iter()
        .filter(|s| {
            s.state == State::Running
                && t.lanes[s.lane as usize].kind == lanes_trace::LaneKind::Thread
        })
        .copied()
        .collect();
    spans.sort_by(|a, b| a.start_us.total_cmp(&b.start_us));
    spans
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_same_inputs_give_the_same_trace_and_it_is_sound(
        s in scenario(), c in costs(), o in options(),
    ) {
        let a = run(&s, &c, &o);
        let b = run(&s, &c, &o);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(
            lanes_trace::to_chrome_json(&a),
            lanes_trace::to_chrome_json(&b)
        );
        prop_assert_eq!(a.validate(), Ok(()));
        prop_assert!(a.makespan_us() > 0.0);
        prop_assert_eq!(a.meta().unwrap().scenario, s);
        prop_assert_eq!(a.meta().unwrap().cores, o.cores);
    }

    #[test]
    fn under_the_gil_running_spans_never_overlap(
        s in scenario(), c in costs(), o in options(),
    ) {
        let s = Scenario { model: Model::Gil, ..s };
        let t = run(&s, &c, &o);
        for pair in running(&t).windows(2) {
            prop_assert!(pair[1].start_us >= pair[0].end_us, "{:?}", pair);
        }
    }

    #[test]
    fn free_threads_are_no_faster_than_the_cores_and_the_longest_item_allow(
        workload in proptest::sample::select(vec![Workload::Primes, Workload::Mandelbrot, Workload::Audio]),
        k in 1_u32..=24, tasks in 1_u32..=64, c in costs(), o in options(),
    ) {
        let size = match workload {
            Workload::Mandelbrot => 200,
            Workload::Audio => 30,
            _ => 500_000,
        };
        let s = Scenario::new(Model::Free, workload, k, size, tasks);
        let t = run(&s, &c, &o);
        let per_unit = match workload {
            Workload::Mandelbrot => c.mandelbrot_us_per_unit,
            Workload::Audio => c.audio_us_per_clip,
            _ => c.primes_us_per_unit,
        };
        let low = 1.0 - c.jitter;
        let units = task_costs(&s);
        let work: f64 = units.iter().sum::<f64>() * per_unit * low;
        let longest = units.iter().copied().fold(0.0, f64::max) * per_unit * low;
        let span = t.makespan_us() - c.thread_start_us;
        let bound = work / f64::from(k.min(o.cores));
        prop_assert!(span >= bound * (1.0 - 1e-9), "{span} < {bound}");
        prop_assert!(span >= longest * (1.0 - 1e-9), "{span} < {longest}");
    }

    #[test]
    fn processes_start_and_copy_in_before_they_run(
        s in scenario(), c in costs(), o in options(),
    ) {
        prop_assume!(s.workload != Workload::Mixed);
        // A playback run's processes are sent nothing to copy in and report
        // nothing back: the producer's blocks go to the shared ring as it
        // makes them, and the neighbours only count. They start all the
        // same (the playback tests check it).
        prop_assume!(s.workload != Workload::Playback);
        let s = Scenario { model: Model::Processes, ..s };
        let t = run(&s, &c, &o);
        for lane in 1..t.lanes.len() as u32 {
            let spans = t.lane_spans(lane);
            let states: Vec<State> = spans.iter().map(|x| x.state).collect();
            prop_assert_eq!(&states[..2], &[State::Startup, State::CopyIn]);
            let copied = spans[1].end_us;
            prop_assert!(spans.iter().filter(|x| matches!(x.state, State::Running | State::IoWait)).all(|x| x.start_us >= copied));
            prop_assert_eq!(states.last(), Some(&State::CopyOut));
        }
    }
}

/// k processes on enough cores: start-up is the serial part, the work the
/// parallel part, and the speedup follows Amdahl's law.
#[test]
fn speedup_follows_amdahl() {
    let costs = CostModel {
        process_startup_us: 50_000.0,
        copy_bytes_per_us: 1e12,
        message_latency_us: 0.0,
        jitter: 0.0,
        ..CostModel::reference()
    };
    let options = Options { cores: 64, seed: 3 };
    let time = |k| {
        let s = Scenario::new(Model::Processes, Workload::Audio, k, 1024, 256);
        run(&s, &costs, &options).makespan_us()
    };
    let t1 = time(1);
    let serial = costs.process_startup_us / t1;
    for k in [2, 4, 8, 16] {
        let amdahl = 1.0 / (serial + (1.0 - serial) / f64::from(k));
        let speedup = t1 / time(k);
        assert!(
            (speedup / amdahl - 1.0).abs() < 0.05,
            "k={k}: speedup {speedup:.2}, Amdahl {amdahl:.2} (serial {serial:.3})"
        );
    }
}

/// Threads waiting on I/O drop the GIL: their waits overlap.
#[test]
fn io_bound_threads_under_the_gil_overlap_their_waits() {
    let costs = CostModel::reference();
    let options = Options { cores: 2, seed: 5 };
    let s = |model, k| Scenario::new(model, Workload::Io, k, 20_000, 64);
    let sequential = run(&s(Model::Sequential, 1), &costs, &options).makespan_us();
    let gil = run(&s(Model::Gil, 8), &costs, &options).makespan_us();
    let ideal = 20_000.0 * 64.0 / 8.0;
    assert!(gil < 1.2 * ideal, "{gil} vs {ideal}");
    assert!(gil < sequential / 6.0, "{gil} vs {sequential}");
}

/// The I/O thread of a mixed run must take the GIL back after every wait:
/// beside a CPU thread it takes clearly longer than beside none.
#[test]
fn the_convoy_effect() {
    let costs = CostModel::reference();
    let options = Options { cores: 2, seed: 11 };
    let io_time = |t: &Trace| {
        let rounds = t.spans().iter().filter(|s| s.task.is_some_and(|x| x >= 32));
        let (a, b) = rounds.fold((f64::INFINITY, 0.0_f64), |(a, b), s| {
            (a.min(s.start_us), b.max(s.end_us))
        });
        b - a
    };
    // Enough CPU work to outlast the I/O thread's 32 rounds of 20 ms.
    let s = |model| Scenario::new(model, Workload::Mixed, 2, 20_000_000, 32);
    let beside = io_time(&run(&s(Model::Gil), &costs, &options));
    let alone = io_time(&run(&s(Model::Free), &costs, &options));
    assert!(beside > 1.15 * alone, "beside {beside} vs alone {alone}");
}

/// A process's copy-in ends where its first item starts, to the bit: CI
/// once found these inputs, where `now + (end - now)` rounded below `end`
/// and the item overlapped its copy-in.
#[test]
fn a_process_runs_exactly_when_its_input_is_in() {
    let costs = CostModel {
        process_startup_us: 56.036_706_989_673_68,
        gil_handoff_us: 202.307_228_557_238_3,
        jitter: 0.011_765_183_182_784_602,
        ..CostModel::reference()
    };
    let options = Options {
        cores: 48,
        seed: 4_431_037_866_026_879_467,
    };
    for (k, tasks, interval_us, latency_us) in [(7, 12, 100, 0), (9, 19, 2852, 22_117)] {
        let s = Scenario {
            interval_us,
            latency_us,
            ..Scenario::new(Model::Processes, Workload::Mandelbrot, k, 16, tasks)
        };
        let t = run(&s, &costs, &options);
        assert_eq!(t.validate(), Ok(()), "{s:?}");
        for lane in 1..t.lanes.len() as u32 {
            let spans = t.lane_spans(lane);
            assert_eq!(spans[1].state, State::CopyIn);
            assert_eq!(spans[2].start_us, spans[1].end_us, "{s:?} lane {lane}");
        }
    }
}

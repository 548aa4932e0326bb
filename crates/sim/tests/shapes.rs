//! Simulated traces look like live ones: lane names, states, events.

#![expect(clippy::panic, reason = "test helpers report a failure by panicking")]

use lanes_model::lanes;
use lanes_sim::{CostModel, Options, SimError, simulate};
use lanes_trace::{EventKind, Mode, Model, Scenario, State, Trace, Workload};

fn sim(model: Model, workload: Workload, k: u32, size: u64, tasks: u32) -> Trace {
    let scenario = Scenario::new(model, workload, k, size, tasks);
    let trace = simulate(
        &scenario,
        &CostModel::reference(),
        &Options { cores: 2, seed: 7 },
    )
    .unwrap_or_else(|e| panic!("{model} {workload}: {e}"));
    trace
        .validate()
        .unwrap_or_else(|e| panic!("{model} {workload}: {e}"));
    trace
}

#[test]
fn lanes_are_the_live_runs_lanes_and_the_meta_says_simulated() {
    let seq = sim(Model::Sequential, Workload::Primes, 4, 100_000, 8);
    assert_eq!(seq.meta().unwrap().mode, Mode::Simulated);
    assert_eq!(seq.meta().unwrap().seed, Some(7));
    assert_eq!(seq.meta().unwrap().environment, "simulator");
    // Their names and kinds are lanes-model's (lanes.rs tests them).
    for (model, workload) in [
        (Model::Sequential, Workload::Primes),
        (Model::Free, Workload::Primes),
        (Model::Gil, Workload::Primes),
        (Model::Gil, Workload::Mixed),
        (Model::Asyncio, Workload::Io),
        (Model::Asyncio, Workload::Mixed),
        (Model::Processes, Workload::Primes),
    ] {
        let t = sim(model, workload, 3, 100_000, 8);
        let scenario = t.meta().unwrap().scenario;
        assert_eq!(t.lanes, lanes::of_run(&scenario), "{model} {workload}");
    }
}

#[test]
fn every_item_runs_once_with_its_task_number() {
    for model in [
        Model::Sequential,
        Model::Free,
        Model::Gil,
        Model::Asyncio,
        Model::Processes,
    ] {
        let t = sim(model, Workload::Io, 3, 50_000, 12);
        let mut tasks: Vec<u32> = t
            .spans()
            .iter()
            .filter(|s| s.state == State::IoWait || s.state == State::Awaiting)
            .filter_map(|s| s.task)
            .collect();
        tasks.sort_unstable();
        tasks.dedup();
        assert_eq!(tasks, (0..12).collect::<Vec<_>>(), "{model}");
    }
}

#[test]
fn the_gil_shows_hand_offs_forced_switches_and_who_held_it() {
    let t = sim(Model::Gil, Workload::Primes, 2, 2_000_000, 4);
    let handoffs = t
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Handoff { .. }))
        .count();
    let forced = t
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ForcedSwitch { .. }))
        .count();
    assert!(handoffs > 5 && forced > 5, "{handoffs} {forced}");
    assert_eq!(t.events[0].kind, EventKind::Handoff { from: None, to: 0 });
    let gil = t.lane_spans(2);
    assert!(gil.iter().all(|s| matches!(s.holder, Some(0 | 1))));
    let held: f64 = gil.iter().map(|s| s.duration_us()).sum();
    let ran: f64 = t
        .spans()
        .iter()
        .filter(|s| s.lane < 2 && s.state == State::Running)
        .map(|s| s.duration_us())
        .sum();
    assert!((held - ran).abs() < 1e-6 * ran);
    assert!(t.spans().iter().any(|s| s.state == State::GilWait));
}

#[test]
fn processes_start_copy_run_and_copy_out_with_messages() {
    let t = sim(Model::Processes, Workload::Primes, 2, 1_000_000, 8);
    // Start-up, copy-in first and copy-out last: properties.rs.
    for lane in [1, 2] {
        let running = t
            .lane_spans(lane)
            .iter()
            .filter(|s| s.state == State::Running);
        assert_eq!(running.count(), 4);
    }
    let sends = t
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Send { .. }))
        .count();
    assert_eq!(sends, 4);
    let copy_in = t
        .spans()
        .iter()
        .position(|s| s.lane == 1 && s.state == State::CopyIn)
        .and_then(|i| t.span_label(i));
    assert_eq!(
        copy_in,
        Some("2.0 MB in: 500\u{2009}000 numbers of 4 ranges")
    );
}

#[test]
fn counters_give_their_count_and_refusals_are_in_words() {
    let locked = sim(Model::Free, Workload::CounterLocked, 4, 100_000, 8);
    assert_eq!(locked.meta().unwrap().result.unwrap(), 100_000);
    let racy = sim(Model::Free, Workload::Counter, 4, 100_000, 8);
    assert!(
        racy.meta().unwrap().result.unwrap() < 100_000
            && racy.meta().unwrap().result.unwrap() >= 25_000
    );
    let gil = sim(Model::Gil, Workload::Counter, 4, 10_000_000, 8);
    assert!(
        gil.meta().unwrap().result.unwrap() < 10_000_000,
        "{}",
        gil.meta().unwrap().result.unwrap()
    );
    assert_eq!(
        sim(Model::Sequential, Workload::Counter, 1, 5000, 8)
            .meta()
            .unwrap()
            .result,
        Some(5000)
    );
    assert_eq!(
        sim(Model::Processes, Workload::Counter, 4, 5000, 8)
            .meta()
            .unwrap()
            .result,
        Some(5000)
    );
    let refuse = |model, workload, k, cores| {
        let mut s = Scenario::new(model, workload, k, 1000, 8);
        s.interval_us = 50;
        simulate(&s, &CostModel::reference(), &Options { cores, seed: 0 })
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        refuse(Model::Free, Workload::Primes, 2, 0),
        Err("the simulated machine needs between 1 and 64 cores, not 0".to_owned())
    );
    assert_eq!(
        refuse(Model::Free, Workload::Primes, 65, 2),
        Err(
            "a simulated run needs between 1 and 64 threads, processes or tasks, not 65".to_owned()
        )
    );
    assert_eq!(
        refuse(Model::Gil, Workload::Primes, 2, 2),
        Err("the switch interval must be between 0.1 ms and 100 ms, not 0.05 ms".to_owned())
    );
    assert!(refuse(Model::Asyncio, Workload::Counter, 2, 2).is_err());
    assert!(refuse(Model::Processes, Workload::Mixed, 2, 2).is_err());
    assert!(refuse(Model::Free, Workload::Ui, 2, 2).is_err());
    let mut slow = Scenario::new(Model::Free, Workload::Io, 2, 1000, 8);
    slow.latency_us = 10_000_001;
    assert_eq!(
        simulate(
            &slow,
            &CostModel::reference(),
            &Options { cores: 2, seed: 0 }
        ),
        Err(SimError::Latency { us: 10_000_001 })
    );
    let huge = Scenario::new(Model::Free, Workload::Primes, 2, 1000, 6_000_000);
    assert_eq!(
        simulate(
            &huge,
            &CostModel::reference(),
            &Options { cores: 2, seed: 0 }
        ),
        Err(SimError::TooManySpans)
    );
}

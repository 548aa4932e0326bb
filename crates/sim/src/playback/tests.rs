use lanes_model::playback::{SIM_DEVICE_BURST_FRAMES, SIM_SAMPLE_RATE, block_count, block_frames};
use lanes_trace::{Audio, LaneKind, Trace, Workload};

use super::*;
use crate::simulate;

/// A playback run with the reference costs on 2 cores, seed 17: four
/// notes (2 s), `k` neighbours, blocks of `block` frames.
fn play(model: Model, k: u32, block: u64, interval_us: u32) -> Trace {
    let scenario = Scenario {
        interval_us,
        ..Scenario::new(model, Workload::Playback, k, block, 4)
    };
    let options = Options { cores: 2, seed: 17 };
    simulate(&scenario, &CostModel::reference(), &options).unwrap()
}

fn audio(trace: &Trace) -> &Audio {
    trace.audio.as_ref().unwrap()
}

/// What the audio track must be whatever the model: every block once, in
/// play order, its lateness what it waited past its deadline, the stream
/// slipping by each lateness; the fill in time order within the capacity.
fn assert_sound(trace: &Trace) {
    assert_eq!(trace.validate(), Ok(()));
    let a = audio(trace);
    let meta = trace.meta().unwrap();
    let block = u64::from(a.block_frames);
    assert_eq!(a.block_frames, block_frames(meta.scenario.size));
    assert_eq!(a.sample_rate, SIM_SAMPLE_RATE);
    assert_eq!(a.producer, producer_lane(meta.scenario.model));
    let blocks = block_count(meta.scenario.tasks, SIM_SAMPLE_RATE, a.block_frames);
    assert_eq!(a.blocks.len(), blocks as usize);
    let period = f64::from(SIM_DEVICE_BURST_FRAMES) * 1e6 / f64::from(SIM_SAMPLE_RATE);
    let mut slip = 0.0;
    let first = a.blocks[0].due_us;
    for (i, b) in (0_u64..).zip(&a.blocks) {
        let ready = b.ready_us.unwrap();
        assert!(
            (b.late_us - (ready - b.due_us).max(0.0)).abs() < 1e-6,
            "{i}: {b:?}"
        );
        // Due at its burst, plus the silence so far.
        let burst = (i * block / u64::from(SIM_DEVICE_BURST_FRAMES)) as f64;
        assert!(
            (b.due_us - (first + burst * period + slip)).abs() < 1e-3,
            "{i}: {b:?}"
        );
        slip += b.late_us;
    }
    assert!(a.blocks.windows(2).all(|w| w[0].due_us <= w[1].due_us));
    assert!(a.fill.windows(2).all(|w| w[0].at_us <= w[1].at_us));
    assert!(a.fill.iter().all(|f| f.frames <= a.capacity_frames));
    // The producer's running spans are its blocks, once each, in order.
    let computed: Vec<u32> = trace
        .lane_spans(a.producer)
        .iter()
        .filter(|s| s.state == State::Running)
        .filter_map(|s| s.task)
        .collect();
    let mut distinct = computed.clone();
    distinct.dedup();
    assert_eq!(distinct, (0..blocks).collect::<Vec<_>>());
}

#[test]
fn under_the_gil_small_blocks_beside_cpu_threads_click() {
    let t = play(Model::Gil, 3, 128, 5_000);
    assert_sound(&t);
    let a = audio(&t);
    println!(
        "gil k=3 128: {} underruns of {}, worst {:.0} µs",
        a.underruns(),
        a.blocks.len(),
        a.worst_late_us()
    );
    // After each burst the producer waits for the GIL: a switch interval,
    // or two when a neighbour that waited longer takes it first; with
    // three neighbours that is often longer than the ring's slack (about
    // one burst period, 10.7 ms), and blocks come late. (With two, the
    // wait is two intervals and a hand-off, 10.2 ms: just in time in the
    // model; live runs, whose hand-offs vary, miss a few per cent.)
    assert!(
        a.underruns() >= a.blocks.len() / 10,
        "{} underruns",
        a.underruns()
    );
    assert!(a.worst_late_us() > 1_000.0, "{}", a.worst_late_us());
    // The GIL lane comes out as in other GIL runs; the producer waits for
    // the GIL about once a burst (four blocks).
    assert_eq!(t.lanes.last().map(|l| l.kind), Some(LaneKind::Gil));
    let gil_waits = t
        .lane_spans(0)
        .iter()
        .filter(|s| s.state == State::GilWait)
        .count();
    assert!(gil_waits >= a.blocks.len() / 10, "{gil_waits}");
    assert!(
        t.events
            .iter()
            .any(|e| matches!(e.kind, lanes_trace::EventKind::Handoff { .. }))
    );
}

#[test]
fn under_the_gil_large_blocks_hold_out() {
    let t = play(Model::Gil, 2, 4096, 5_000);
    assert_sound(&t);
    let a = audio(&t);
    println!(
        "gil k=2 4096: {} underruns of {}",
        a.underruns(),
        a.blocks.len()
    );
    assert_eq!(a.underruns(), 0);
    // A block lasts 85 ms: the producer has the ring full and waits for
    // room, said in words on its lane.
    let waits = t.lane_spans(0).iter().filter(|s| s.state == State::IoWait);
    assert!(waits.count() >= a.blocks.len() / 2);
    assert!(t.labels.texts().iter().any(|l| l == WAITING_FOR_ROOM));
}

#[test]
fn free_threads_and_processes_play_clean() {
    for model in [Model::Free, Model::Processes] {
        let t = play(model, 2, 128, 5_000);
        assert_sound(&t);
        let a = audio(&t);
        println!(
            "{model:?} k=2 128: {} underruns of {}",
            a.underruns(),
            a.blocks.len()
        );
        assert_eq!(a.underruns(), 0, "{model:?}");
        // The neighbours counted all along.
        let neighbour = producer_lane(model) + 1;
        let counted = t
            .lane_spans(neighbour)
            .iter()
            .filter(|s| s.state == State::Running);
        assert!(counted.count() > 100, "{model:?}");
    }
    // Each process starts before it works; the melody starts once the
    // producer's process has filled the ring.
    let t = play(Model::Processes, 2, 128, 5_000);
    for lane in 1..t.lanes.len() as u32 {
        assert_eq!(t.lane_spans(lane)[0].state, State::Startup);
    }
    let started = t.lane_spans(1)[0].end_us;
    assert!(audio(&t).blocks[0].due_us > started);
}

#[test]
fn on_the_main_thread_the_page_s_tasks_starve_the_player() {
    let t = play(Model::Sequential, 1, 128, 5_000);
    assert_sound(&t);
    let a = audio(&t);
    println!(
        "sequential 128: {} underruns of {}, worst {:.0} µs",
        a.underruns(),
        a.blocks.len(),
        a.worst_late_us()
    );
    assert!(a.underruns() >= 5, "{}", a.underruns());
    // A page task of 100 ms outlasts the ring's 16 ms by far.
    assert!(a.worst_late_us() > 50_000.0, "{}", a.worst_late_us());
    let page_tasks = t
        .lane_spans(0)
        .iter()
        .filter(|s| s.task.is_none() && s.state == State::Running)
        .count();
    assert!(page_tasks >= 5, "{page_tasks}");
    // Without page work the producer keeps up.
    let alone = play(Model::Sequential, 0, 128, 5_000);
    assert_sound(&alone);
    assert_eq!(audio(&alone).underruns(), 0);
}

#[test]
fn the_same_seed_gives_the_same_run() {
    for model in [Model::Sequential, Model::Gil, Model::Free, Model::Processes] {
        let a = play(model, 2, 256, 2_000);
        let b = play(model, 2, 256, 2_000);
        assert_eq!(a, b, "{model:?}");
        assert_sound(&a);
    }
}

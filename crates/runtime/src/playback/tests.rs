use std::thread;
use std::time::{Duration, Instant};

use lanes_model::playback::{SIM_DEVICE_BURST_FRAMES, capacity_frames, lanes};
use lanes_trace::{LaneKind, Model, Scenario, State, Trace, Workload};

use super::*;
use crate::MonotonicClock;
use crate::testing::{alone, native};

const RATE: u32 = 44_100;

/// What the fake player heard.
#[derive(Debug, Default)]
struct Heard {
    /// Bursts at which it found a block it needed missing and played
    /// silence until it came: the clicks.
    silences: u32,
    /// Blocks that were not in the ring when first needed: the underruns.
    late_blocks: u32,
    /// The longest silence.
    worst: Duration,
    /// Frames it played (the melody's and the last block's padding).
    frames: u64,
}

/// A player that takes `burst` frames every `burst / RATE` s, as an audio
/// device asks for them, from `ring` until `total` frames have been
/// played, by the semantics of `lanes_trace::Audio`: a block is due when
/// the player first needs one of its frames; if the whole block is not in
/// the ring then, it plays silence until it is, and the stream slips. It
/// starts once the first burst's blocks are there.
fn play(ring: &AudioRing, total: u64, burst: u32) -> Heard {
    let block = u64::from(ring.block());
    let period = Duration::from_secs_f64(f64::from(burst) / f64::from(RATE));
    let needed = |read: u64| ((read + u64::from(burst)).div_ceil(block) * block).min(total);
    let mut heard = Heard::default();
    let mut out = vec![0.0; burst as usize];
    let there = |need: u64| u64::from(ring.written()) >= need || ring.done();
    while !there(needed(0)) {
        thread::sleep(Duration::from_micros(100));
    }
    let mut due = Instant::now();
    while heard.frames < total {
        if let Some(left) = due.checked_duration_since(Instant::now()) {
            thread::sleep(left);
        }
        let need = needed(heard.frames);
        let written = u64::from(ring.written());
        if written < need {
            // The blocks first needed now that are not all there.
            let first_new = heard.frames.div_ceil(block);
            let complete = written / block;
            heard.silences += 1;
            heard.late_blocks += u32::try_from(need / block - first_new.max(complete)).unwrap();
            let silent = Instant::now();
            while !there(need) {
                thread::sleep(Duration::from_micros(100));
            }
            let waited = silent.elapsed();
            heard.worst = heard.worst.max(waited);
            due += waited;
        }
        let want = (total - heard.frames).min(u64::from(burst)) as usize;
        let took = ring.take(&mut out[..want]);
        if took == 0 && ring.done() {
            break;
        }
        heard.frames += u64::from(took);
        due += period;
    }
    heard
}

fn scenario(model: Model, k: u32, block: u64, notes: u32) -> Scenario {
    Scenario::new(model, Workload::Playback, k, block, notes)
}

/// Runs `scenario` on a pool of k + 2 threads beside the fake player.
fn run_beside_player(scenario: &Scenario) -> (Produced, Heard) {
    let maker = BlockMaker::new(scenario, RATE);
    let block = maker.block_frames();
    let total = u64::from(maker.blocks()) * u64::from(block);
    let ring = AudioRing::new(capacity_frames(block, SIM_DEVICE_BURST_FRAMES), block);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(scenario.k as usize + 2)
        .build()
        .unwrap();
    let clock = MonotonicClock::new();
    thread::scope(|s| {
        let player = s.spawn(|| play(&ring, total, SIM_DEVICE_BURST_FRAMES));
        let produced = pool
            .install(|| run_playback(scenario, &ring, RATE, &clock, &Cancel::new()))
            .unwrap();
        let heard = player.join().unwrap();
        assert!(ring.done());
        assert_eq!(heard.frames, total, "{scenario:?}");
        assert_eq!(produced.ready_us.len(), maker.blocks() as usize);
        assert!(produced.ready_us.windows(2).all(|w| w[0] <= w[1]));
        assert!(produced.result > 0, "the neighbours counted primes");
        let meta = native().live_meta(*scenario, Some(produced.result));
        let trace = Trace::new(meta, lanes(scenario), produced.spans.clone())
            .with_events(produced.events.clone());
        trace.validate().unwrap_or_else(|e| panic!("{e}"));
        (produced, heard)
    })
}

/// Spans of `state` on the producer's lane.
fn producer_spans(p: &Produced, state: State) -> Vec<Span> {
    p.spans
        .iter()
        .filter(|s| s.lane == 0 && s.state == state)
        .copied()
        .collect()
}

#[test]
fn under_the_gil_small_blocks_run_dry() {
    let _alone = alone();
    // A neighbour keeps the lock a switch interval before the producer may
    // have it back. At 20 ms that outlasts what the ring holds once the
    // player has taken a burst (768 - 512 frames, 5.8 ms, and the 11.6 ms
    // until the next burst), so every such turn runs it dry. At CPython's
    // 5 ms it ran dry only when the machine was busy.
    let s = Scenario {
        interval_us: 20_000,
        ..scenario(Model::Gil, 2, 128, 2)
    };
    let (produced, heard) = run_beside_player(&s);
    assert_eq!(lanes(&s).len(), 4);
    assert_eq!(lanes(&s)[3].kind, LaneKind::Gil);
    assert!(produced.spans.iter().any(|s| s.lane == 3), "a GIL lane");
    let gil_waits = producer_spans(&produced, State::GilWait);
    // Each block drops the lock to wait for room and needs it back: it
    // waits for it again and again, about a switch interval each time.
    assert!(gil_waits.len() >= 20, "{} GIL waits", gil_waits.len());
    let waited: f64 = gil_waits.iter().map(Span::duration_us).sum();
    assert!(waited > 100_000.0, "waited {waited} µs for the GIL");
    assert!(!producer_spans(&produced, State::IoWait).is_empty());
    assert!(heard.silences >= 1, "{heard:?}");
    assert!(heard.late_blocks >= heard.silences);
}

#[test]
fn free_threads_keep_up() {
    let _alone = alone();
    let s = scenario(Model::Free, 2, 128, 1);
    let (produced, heard) = run_beside_player(&s);
    assert_eq!(lanes(&s).len(), 3);
    assert!(producer_spans(&produced, State::GilWait).is_empty());
    assert!(produced.events.is_empty());
    // Every block is a running span of its own on the producer's lane.
    let running = producer_spans(&produced, State::Running);
    let mut blocks: Vec<u32> = running.iter().filter_map(|s| s.task).collect();
    blocks.dedup();
    assert_eq!(blocks.len(), produced.ready_us.len());
    // Nothing holds the producer up: nine blocks in ten take it well
    // under a millisecond to compute, far less than a block lasts (2.9 ms).
    let mut took: Vec<f64> = running.iter().map(Span::duration_us).collect();
    took.sort_by(f64::total_cmp);
    let p90 = took[took.len() * 9 / 10];
    assert!(p90 < 1000.0, "p90 {p90} µs");
    // It keeps up: on an idle machine no block is late; on this shared
    // one the OS may leave a thread off the cores for tens of ms, so allow
    // a few (the GIL makes dozens late here).
    let blocks = produced.ready_us.len() as u32;
    assert!(heard.late_blocks * 20 <= blocks, "{heard:?} of {blocks}");
}

#[test]
fn under_the_gil_big_blocks_have_time_to_spare() {
    let _alone = alone();
    let s = scenario(Model::Gil, 2, 4096, 1);
    let (_, heard) = run_beside_player(&s);
    assert_eq!(heard.silences, 0, "{heard:?}");
}

#[test]
fn a_producer_alone_keeps_up_on_its_process_lane() {
    let _alone = alone();
    let s = scenario(Model::Processes, 2, 128, 1);
    let maker = BlockMaker::new(&s, RATE);
    let total = u64::from(maker.blocks()) * 128;
    let ring = AudioRing::new(capacity_frames(128, SIM_DEVICE_BURST_FRAMES), 128);
    let clock = MonotonicClock::new();
    let (spans, ready, heard) = thread::scope(|s2| {
        let player = s2.spawn(|| play(&ring, total, SIM_DEVICE_BURST_FRAMES));
        let (spans, ready) = produce_alone(&ring, &s, RATE, &clock, &Cancel::new());
        (spans, ready, player.join().unwrap())
    });
    assert_eq!(ready.len(), maker.blocks() as usize);
    assert!(
        spans.iter().all(|s| s.lane == 1),
        "the producer's process lane"
    );
    assert!(spans.iter().any(|s| s.state == State::IoWait));
    assert!(spans.windows(2).all(|w| w[0].end_us <= w[1].start_us));
    assert!(heard.silences <= 1, "{heard:?}");
}

#[test]
fn a_cancel_ends_a_producer_that_nobody_plays() {
    let _alone = alone();
    for model in [Model::Gil, Model::Free] {
        let s = scenario(model, 1, 128, 2);
        let ring = AudioRing::new(capacity_frames(128, SIM_DEVICE_BURST_FRAMES), 128);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let clock = MonotonicClock::new();
        let cancel = Cancel::new();
        thread::scope(|t| {
            t.spawn(|| {
                // The ring fills and stays full: the producer waits.
                while ring.room() > 0 {
                    thread::sleep(Duration::from_millis(1));
                }
                thread::sleep(Duration::from_millis(20));
                cancel.cancel();
            });
            let out = pool.install(|| run_playback(&s, &ring, RATE, &clock, &cancel));
            assert_eq!(out, Err(RunError::Cancelled), "{model:?}");
        });
        assert!(ring.done(), "{model:?}");
        let (spans, ready) = produce_alone(&ring, &s, RATE, &clock, &cancel);
        assert!(spans.is_empty() && ready.is_empty());
    }
}

#[test]
fn other_models_and_workloads_are_refused() {
    let ring = AudioRing::new(768, 128);
    let clock = MonotonicClock::new();
    for (model, workload) in [
        (Model::Sequential, Workload::Playback),
        (Model::Asyncio, Workload::Playback),
        (Model::Processes, Workload::Playback),
        (Model::Gil, Workload::Primes),
    ] {
        let s = Scenario::new(model, workload, 2, 128, 1);
        let out = run_playback(&s, &ring, RATE, &clock, &Cancel::new());
        assert_eq!(out, Err(RunError::Unsupported { model, workload }));
    }
    let s = scenario(Model::Free, MAX_THREADS, 128, 1);
    let out = run_playback(&s, &ring, RATE, &clock, &Cancel::new());
    assert_eq!(out, Err(RunError::ThreadCount(MAX_THREADS)));
    assert_eq!(ring.written(), 0);
}

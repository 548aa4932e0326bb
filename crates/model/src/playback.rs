//! What a playback run's producer, player and neighbours are, one
//! definition for the live run and the simulator.
//!
//! A producer computes a melody in blocks of `block` frames (the scenario's
//! `size`, 128 to 4096) into a ring buffer; a player takes frames out at the
//! sample rate, in bursts of what the audio device asks for at once. The
//! producer writes a block whenever the ring has room for one; the ring
//! holds two blocks (double buffering) plus one burst, so a producer that
//! answers at once never starves the player, and one that is held up for
//! longer than about one block's time plus a burst's does: an underrun.
//!
//! Beside the producer run `k` CPU-bound neighbours (counting primes, item
//! after item, until the melody ends): threads under the GIL or free
//! threads, processes, or on the page's main thread its own work in long
//! tasks of [`MAIN_THREAD_TASK_MS`].

use lanes_trace::{Lane, LaneKind, Model, Scenario};

/// Smallest and largest block, frames: a multiple of the audio callback's
/// 128-frame render quantum.
pub const BLOCK_FRAMES: (u32, u32) = (128, 4096);
/// The quantum every block size is a multiple of.
pub const QUANTUM_FRAMES: u32 = 128;
/// One note of the melody, ms; a run's `tasks` is its number of notes.
/// The melody's own figure.
pub const NOTE_MS: u32 = lanes_workloads::Melody::NOTE_MS;
/// The sample rate the simulator plays at (a live run uses its audio
/// context's).
pub const SIM_SAMPLE_RATE: u32 = 48_000;
/// What the simulator's audio device takes at once, frames: about 10 ms, as
/// Chromium's and Firefox's audio output asks on Linux (a live run measures
/// its own).
pub const SIM_DEVICE_BURST_FRAMES: u32 = 512;
/// On the page's main thread, its own work runs in tasks this long, ms,
/// between which the producer's turn can come.
pub const MAIN_THREAD_TASK_MS: u32 = 100;
/// Numbers a neighbour counts primes over per item (about a millisecond of
/// work), from `item × NEIGHBOUR_ITEM_NUMBERS` on.
pub const NEIGHBOUR_ITEM_NUMBERS: u64 = 2_000;

/// The numbers a neighbour's item `item` counts primes over.
pub fn neighbour_numbers(item: u32) -> std::ops::Range<u64> {
    let from = u64::from(item) * NEIGHBOUR_ITEM_NUMBERS;
    from..from + NEIGHBOUR_ITEM_NUMBERS
}

/// `frames` as a block size: a multiple of the quantum within
/// [`BLOCK_FRAMES`], rounded to the nearest.
pub fn block_frames(frames: u64) -> u32 {
    let q = u64::from(QUANTUM_FRAMES);
    let rounded = (frames.saturating_add(q / 2) / q).saturating_mul(q);
    let (lo, hi) = BLOCK_FRAMES;
    u32::try_from(rounded.clamp(u64::from(lo), u64::from(hi))).unwrap_or(hi)
}

/// Frames the ring holds for blocks of `block` frames and a device that
/// takes `burst` frames at once: two blocks and the burst, rounded up to
/// whole quanta.
pub fn capacity_frames(block: u32, burst: u32) -> u32 {
    let q = QUANTUM_FRAMES;
    2 * block + burst.div_ceil(q) * q
}

/// Blocks in a melody of `notes` notes at `sample_rate`, of `block` frames
/// each (the last one padded with silence).
pub fn block_count(notes: u32, sample_rate: u32, block: u32) -> u32 {
    let frames = u64::from(notes.max(1)) * u64::from(NOTE_MS) * u64::from(sample_rate) / 1000;
    u32::try_from(frames.div_ceil(u64::from(block.max(1)))).unwrap_or(u32::MAX)
}

/// A playback run's lanes: the producer first, then the neighbours (none on
/// the main thread, whose own work shares the producer's lane), then the
/// GIL's lane under the GIL. Processes: the page ("Main process"), the
/// producer's process, then the neighbours' processes.
pub fn lanes(scenario: &Scenario) -> Vec<Lane> {
    let k = scenario.k;
    let thread = |name: String| Lane::thread(name);
    let process = |name: String| Lane {
        kind: LaneKind::Process,
        name,
    };
    match scenario.model {
        Model::Sequential => vec![Lane {
            kind: LaneKind::Ui,
            name: "Main thread: audio producer and the page's work".to_owned(),
        }],
        Model::Processes => {
            let mut lanes = vec![Lane {
                kind: LaneKind::Ui,
                name: "Main process".to_owned(),
            }];
            lanes.push(process("Audio producer process".to_owned()));
            lanes.extend((1..=k).map(|i| process(format!("CPU process {i}"))));
            lanes
        }
        Model::Gil | Model::Free | Model::Asyncio => {
            let mut lanes = vec![thread("Audio producer".to_owned())];
            lanes.extend((1..=k).map(|i| thread(format!("CPU thread {i}"))));
            if scenario.model == Model::Gil {
                lanes.push(crate::lanes::gil());
            }
            lanes
        }
    }
}

/// The producer's lane in [`lanes`].
pub fn producer_lane(model: Model) -> u32 {
    u32::from(model == Model::Processes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_trace::Workload;

    #[test]
    fn blocks_are_whole_quanta_within_range() {
        assert_eq!(block_frames(0), 128);
        assert_eq!(block_frames(200), 256);
        assert_eq!(block_frames(300), 256);
        assert_eq!(block_frames(1000), 1024);
        assert_eq!(block_frames(1_000_000), 4096);
        assert_eq!(capacity_frames(128, 441), 256 + 512);
        assert_eq!(capacity_frames(4096, 0), 8192);
        // Four notes, 2 s at 44.1 kHz: 88 200 frames.
        assert_eq!(block_count(4, 44_100, 128), 690);
        assert_eq!(block_count(4, 44_100, 4096), 22);
        assert_eq!(neighbour_numbers(3), 6_000..8_000);
    }

    #[test]
    fn the_producer_comes_first_after_the_page() {
        for model in [Model::Sequential, Model::Gil, Model::Free, Model::Processes] {
            let s = Scenario::new(model, Workload::Playback, 2, 128, 4);
            let lanes = lanes(&s);
            let producer = &lanes[producer_lane(model) as usize];
            assert!(producer.name.contains("producer"), "{model:?}: {lanes:?}");
            let expected = match model {
                Model::Sequential => 1,
                Model::Gil => 4,
                Model::Free => 3,
                _ => 4,
            };
            assert_eq!(lanes.len(), expected, "{model:?}");
        }
    }
}

//! The producer's work: the melody, cut into blocks, each computed in
//! chunks of one render quantum, and the block as a work item (wait for
//! room, compute, publish) that every runner drives its own way.

use std::sync::{Mutex, PoisonError};

use lanes_model::playback::{QUANTUM_FRAMES, block_count, block_frames};
use lanes_trace::Scenario;
use lanes_workloads::Melody;

use super::AudioRing;
use crate::steps::{Item, Step};
use crate::{Cancel, Clock, Sleeper};

/// The producer's state: which block comes next, and how to compute one.
///
/// The page's main thread, which may not block, calls
/// [`next_block`](Self::next_block) while the ring has room for a block and
/// publishes it itself; threads and processes run the same blocks as work
/// items that wait for room first.
#[derive(Clone, Debug)]
pub struct BlockMaker {
    melody: Melody,
    block_frames: u32,
    blocks: u32,
    next: u32,
}

impl BlockMaker {
    /// The blocks of `scenario`'s melody (`tasks` notes) at `sample_rate`,
    /// of its `size` frames (a whole number of quanta in 128..=4096).
    pub fn new(scenario: &Scenario, sample_rate: u32) -> Self {
        let notes = scenario.tasks.max(1);
        let block = block_frames(scenario.size);
        Self {
            melody: Melody::new(notes, sample_rate),
            block_frames: block,
            blocks: block_count(notes, sample_rate, block),
            next: 0,
        }
    }

    /// How many blocks the melody makes (the last padded with silence).
    pub fn blocks(&self) -> u32 {
        self.blocks
    }

    /// Frames in one block.
    pub fn block_frames(&self) -> u32 {
        self.block_frames
    }

    /// The melody it plays.
    pub fn melody(&self) -> &Melody {
        &self.melody
    }

    /// Computes the next block into `out` (replacing what it held) and
    /// returns its number, or `None` once every block was made.
    pub fn next_block(&mut self, out: &mut Vec<f32>) -> Option<u32> {
        let block = self.claim()?;
        out.clear();
        while self.render_chunk(block, out) {}
        Some(block)
    }

    /// The next block's number, now taken, if any is left.
    fn claim(&mut self) -> Option<u32> {
        let block = self.next;
        (block < self.blocks).then(|| {
            self.next += 1;
            block
        })
    }

    /// Appends the next quantum of block `block` to `out`, which holds the
    /// block's first frames; returns whether more remain.
    fn render_chunk(&self, block: u32, out: &mut Vec<f32>) -> bool {
        let size = self.block_frames as usize;
        let done = out.len().min(size);
        let end = (done + QUANTUM_FRAMES as usize).min(size);
        out.resize(end, 0.0);
        let first = u64::from(block) * u64::from(self.block_frames) + done as u64;
        if let Some(chunk) = out.get_mut(done..end) {
            self.melody.render(first, chunk);
        }
        end < size
    }
}

/// The producer shared by the threads of a run: the blocks, the ring they
/// go to, and when each was ready.
pub(super) struct Producer<'a> {
    maker: Mutex<BlockMaker>,
    block_frames: u32,
    ring: &'a AudioRing,
    clock: &'a dyn Clock,
    origin_us: f64,
    ready_us: Mutex<Vec<f64>>,
}

impl<'a> Producer<'a> {
    /// The producer of `maker`'s blocks into `ring`, stamping with `clock`
    /// in µs since `origin_us`.
    pub(super) fn new(
        maker: BlockMaker,
        ring: &'a AudioRing,
        clock: &'a dyn Clock,
        origin_us: f64,
    ) -> Self {
        Self {
            block_frames: maker.block_frames(),
            maker: Mutex::new(maker),
            ring,
            clock,
            origin_us,
            ready_us: Mutex::new(Vec::new()),
        }
    }

    /// The next block as a work item with its number; `None` once every
    /// block was made.
    pub(super) fn next_item(&'a self) -> Option<(u32, Box<dyn Item + 'a>)> {
        let block = self.maker().claim()?;
        let item = MakeBlock {
            producer: self,
            block,
            waited: false,
            samples: Vec::new(),
        };
        Some((block, Box::new(item)))
    }

    /// The ring the blocks go to.
    pub(super) fn ring(&self) -> &'a AudioRing {
        self.ring
    }

    /// The producer's only I/O, as a sleeper for the runners: waiting until
    /// the ring has room for a block, or `cancel`.
    pub(super) fn room_wait<'b>(&'b self, cancel: &'b Cancel) -> RoomWait<'b> {
        RoomWait {
            ring: self.ring,
            frames: self.block_frames,
            cancel,
        }
    }

    /// When each block was in the ring, µs since the origin, in order.
    pub(super) fn into_ready_us(self) -> Vec<f64> {
        self.ready_us
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn maker(&self) -> std::sync::MutexGuard<'_, BlockMaker> {
        self.maker.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Waits until the ring has room for a block (the duration [`Step::Io`]
/// asks for is unknown in advance and ignored).
pub(super) struct RoomWait<'a> {
    ring: &'a AudioRing,
    frames: u32,
    cancel: &'a Cancel,
}

impl Sleeper for RoomWait<'_> {
    fn sleep_us(&self, _us: f64) {
        self.ring.wait_for_room(self.frames, self.cancel);
    }
}

/// One block's making: the write of the block before it, a blocking call
/// that waits for room in the ring ([`Step::Io`], which the run's sleeper, a
/// [`RoomWait`], turns into [`AudioRing::wait_for_room`]; as
/// `sounddevice`'s or PyAudio's `stream.write` does, it releases the GIL
/// whether or not it has to wait, so the producer must take the GIL back
/// for every block), then a quantum a step, then the publication, which
/// ends the item (with 0: it counts no primes). The simulator models the
/// same (`lanes_sim`'s playback).
struct MakeBlock<'a> {
    producer: &'a Producer<'a>,
    block: u32,
    waited: bool,
    samples: Vec<f32>,
}

impl Item for MakeBlock<'_> {
    fn step(&mut self) -> Step {
        let p = self.producer;
        if !self.waited {
            self.waited = true;
            return Step::Io(0.0);
        }
        if p.maker().render_chunk(self.block, &mut self.samples) {
            return Step::Ran;
        }
        p.ring.publish(&self.samples);
        let ready = p.clock.now_us() - p.origin_us;
        p.ready_us
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(ready);
        Step::Done(0)
    }
}

#[cfg(test)]
mod tests {
    use lanes_trace::{Model, Workload};

    use super::*;
    use crate::MonotonicClock;

    fn scenario(block: u64, notes: u32) -> Scenario {
        Scenario::new(Model::Gil, Workload::Playback, 2, block, notes)
    }

    #[test]
    fn the_melody_and_the_model_agree_on_blocks() {
        for rate in [22_050, 44_100, 48_000, 96_000] {
            for block in [128, 384, 4096] {
                let maker = BlockMaker::new(&scenario(block, 3), rate);
                let frames = maker.melody().frames();
                assert_eq!(
                    u64::from(maker.blocks()),
                    frames.div_ceil(block),
                    "{rate} Hz, {block}"
                );
            }
        }
    }

    #[test]
    fn blocks_are_the_melody_in_order_then_none() {
        let mut maker = BlockMaker::new(&scenario(300, 1), 44_100);
        assert_eq!((maker.block_frames(), maker.blocks()), (256, 87));
        let melody = *maker.melody();
        let mut whole = vec![0.0; 87 * 256];
        melody.render(0, &mut whole);
        let mut out = vec![9.0; 3];
        for block in 0..87 {
            assert_eq!(maker.next_block(&mut out), Some(block));
            let at = block as usize * 256;
            assert_eq!(out[..], whole[at..at + 256], "block {block}");
        }
        assert_eq!(maker.next_block(&mut out), None);
    }

    #[test]
    fn a_block_item_waits_then_computes_a_quantum_a_step_then_publishes() {
        let clock = MonotonicClock::new();
        let ring = AudioRing::new(1024, 512);
        let producer = Producer::new(
            BlockMaker::new(&scenario(512, 1), 48_000),
            &ring,
            &clock,
            0.0,
        );
        let (block, mut item) = producer.next_item().unwrap();
        assert_eq!(block, 0);
        // Room for the block: the write still releases the GIL first.
        assert_eq!(item.step(), Step::Io(0.0));
        assert_eq!(item.step(), Step::Ran);
        drop(item);
        ring.publish(&[0.0; 1024]);
        let (block, mut item) = producer.next_item().unwrap();
        assert_eq!(block, 1);
        assert_eq!(item.step(), Step::Io(0.0));
        ring.take(&mut [0.0; 512]);
        for _ in 0..3 {
            assert_eq!(item.step(), Step::Ran);
            assert_eq!(ring.written(), 1024);
        }
        assert_eq!(item.step(), Step::Done(0));
        assert_eq!(ring.written(), 1536);
        drop(item);
        assert_eq!(producer.next_item().map(|(b, _)| b), Some(2));
        assert_eq!(producer.into_ready_us().len(), 1);
    }
}

//! The simulated audio device and the ring buffer it plays from.
//!
//! The player starts when the producer has first filled the ring, then
//! takes [`SIM_DEVICE_BURST_FRAMES`] frames every burst period. A block is
//! due when a burst first needs one of its frames; if it is not all in the
//! ring then, the player plays silence until it is, and every later burst
//! comes that much later (the stream slips). What the player does depends
//! only on when blocks were published, so it runs ahead as far as the
//! published blocks allow, and says when the ring will have room for the
//! next block.

use lanes_model::playback::{
    SIM_DEVICE_BURST_FRAMES, SIM_SAMPLE_RATE, block_count, block_frames, capacity_frames,
};
use lanes_trace::{Audio, AudioBlock, FillSample, Scenario};

/// The player and the ring of one playback run.
#[derive(Clone, Debug)]
pub(crate) struct Player {
    block: u32,
    capacity: u32,
    blocks: u32,
    /// µs between two bursts, before slips.
    period_us: f64,
    /// When each published block was whole in the ring, in play order.
    ready: Vec<f64>,
    /// The blocks the player has needed so far.
    played: Vec<AudioBlock>,
    /// When each burst was taken.
    taken: Vec<f64>,
    /// The silence played so far, µs: how far the stream has slipped.
    slip_us: f64,
    /// When the player started: when the ring was first full.
    start_us: Option<f64>,
}

impl Player {
    /// The player of `scenario`: blocks of its size, its melody's blocks.
    pub(crate) fn new(scenario: &Scenario) -> Self {
        let block = block_frames(scenario.size);
        let blocks = block_count(scenario.tasks, SIM_SAMPLE_RATE, block);
        Self {
            block,
            capacity: capacity_frames(block, SIM_DEVICE_BURST_FRAMES),
            blocks,
            period_us: f64::from(SIM_DEVICE_BURST_FRAMES) * 1e6 / f64::from(SIM_SAMPLE_RATE),
            ready: Vec::with_capacity(blocks as usize),
            played: Vec::with_capacity(blocks as usize),
            taken: Vec::new(),
            slip_us: 0.0,
            start_us: None,
        }
    }

    /// Frames in one block.
    pub(crate) fn block_frames(&self) -> u32 {
        self.block
    }

    /// How many blocks the melody has.
    pub(crate) fn blocks(&self) -> u32 {
        self.blocks
    }

    /// How many blocks the producer has published.
    pub(crate) fn published(&self) -> u32 {
        u32::try_from(self.ready.len()).unwrap_or(u32::MAX)
    }

    /// Whether the producer has published every block.
    pub(crate) fn all_published(&self) -> bool {
        self.published() >= self.blocks
    }

    /// The frames of the whole melody, its last block padded.
    fn total_frames(&self) -> u64 {
        u64::from(self.blocks) * u64::from(self.block)
    }

    /// The blocks that fill the ring: as many as fit, or the whole melody.
    fn prefill_blocks(&self) -> u32 {
        (self.capacity / self.block).clamp(1, self.blocks.max(1))
    }

    /// The producer put the next block in the ring at `at_us`.
    pub(crate) fn publish(&mut self, at_us: f64) {
        self.ready.push(at_us);
        if self.start_us.is_none() && self.published() >= self.prefill_blocks() {
            self.start_us = Some(at_us);
        }
        self.advance();
    }

    /// When the ring has room for the next block: `None` if it has room
    /// before the player starts (while the producer fills it). Always
    /// known: the bursts that make room need only blocks already published.
    pub(crate) fn room_at(&self) -> Option<f64> {
        let next = u64::from(self.published()) + 1;
        let needed = (next * u64::from(self.block)).checked_sub(u64::from(self.capacity))?;
        if needed == 0 {
            return None;
        }
        // The burst after which the player has taken `needed` frames.
        let bursts = needed.div_ceil(u64::from(SIM_DEVICE_BURST_FRAMES));
        let index = usize::try_from(bursts - 1).unwrap_or(usize::MAX);
        self.taken.get(index).copied()
    }

    /// Plays bursts as far as the published blocks allow.
    fn advance(&mut self) {
        let Some(start) = self.start_us else {
            return;
        };
        let burst = u64::from(SIM_DEVICE_BURST_FRAMES);
        let block = u64::from(self.block);
        loop {
            let index = self.taken.len() as u64;
            if index * burst >= self.total_frames() {
                return;
            }
            let mut now = start + index as f64 * self.period_us + self.slip_us;
            // The blocks whose first frame this burst takes.
            loop {
                let next = self.played.len();
                let first = next as u64 * block;
                if next as u64 >= u64::from(self.blocks) || first >= (index + 1) * burst {
                    break;
                }
                let Some(&ready) = self.ready.get(next) else {
                    // Not published yet: the player waits for it.
                    return;
                };
                let late_us = (ready - now).max(0.0);
                self.played.push(AudioBlock {
                    due_us: now,
                    ready_us: Some(ready),
                    late_us,
                });
                now += late_us;
                self.slip_us += late_us;
            }
            self.taken.push(now);
        }
    }

    /// What the run heard, with the producer on lane `producer`: every
    /// block and the fill level at each burst (before and after it) and
    /// at each publish, in time order.
    pub(crate) fn finish(mut self, producer: u32) -> Audio {
        self.advance();
        let block = u64::from(self.block);
        let burst = u64::from(SIM_DEVICE_BURST_FRAMES);
        let total = self.total_frames();
        let published_by = |at: f64| self.ready.partition_point(|&r| r <= at) as u64 * block;
        let consumed_before =
            |at: f64| (self.taken.partition_point(|&t| t < at) as u64 * burst).min(total);
        let level = |published: u64, consumed: u64| {
            u32::try_from(published.saturating_sub(consumed))
                .unwrap_or(u32::MAX)
                .min(self.capacity)
        };
        // At one instant: publishes, then a burst's level before, after.
        let mut fill: Vec<(f64, u8, u32)> =
            Vec::with_capacity(self.ready.len() + 2 * self.taken.len());
        for &at in &self.ready {
            fill.push((at, 0, level(published_by(at), consumed_before(at))));
        }
        for (index, &at) in (0_u64..).zip(&self.taken) {
            let before = (index * burst).min(total);
            let after = ((index + 1) * burst).min(total);
            fill.push((at, 1, level(published_by(at), before)));
            fill.push((at, 2, level(published_by(at), after)));
        }
        fill.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Audio {
            producer,
            sample_rate: SIM_SAMPLE_RATE,
            block_frames: self.block,
            capacity_frames: self.capacity,
            audible: false,
            blocks: self.played,
            fill: fill
                .into_iter()
                .map(|(at_us, _, frames)| FillSample { at_us, frames })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use lanes_trace::{Model, Workload};

    use super::*;

    fn player(block: u64, notes: u32) -> Player {
        Player::new(&Scenario::new(
            Model::Free,
            Workload::Playback,
            1,
            block,
            notes,
        ))
    }

    #[test]
    fn a_producer_that_answers_at_once_is_never_late() {
        let mut p = player(128, 1);
        // 24 000 frames: 188 blocks of 128 (the last padded); the ring holds 6.
        assert_eq!(p.blocks(), 188);
        let mut now = 0.0;
        while !p.all_published() {
            now = p.room_at().map_or(now, |room: f64| room.max(now)) + 1.0;
            p.publish(now);
        }
        let audio = p.finish(0);
        assert_eq!(audio.blocks.len(), 188);
        assert_eq!(audio.underruns(), 0);
        assert!(audio.fill.windows(2).all(|w| w[0].at_us <= w[1].at_us));
        assert!(audio.fill.iter().all(|f| f.frames <= audio.capacity_frames));
        // Four blocks a burst, a burst every 10.67 ms.
        let b = &audio.blocks;
        assert_eq!(b[0].due_us, b[3].due_us);
        assert!((b[4].due_us - b[0].due_us - 10_666.67).abs() < 0.01);
    }

    #[test]
    fn a_late_block_is_heard_as_silence_and_the_stream_slips() {
        let mut p = player(512, 1);
        // The ring holds two blocks and a burst: three of 512.
        for at in [0.0, 0.0, 100.0] {
            p.publish(at);
        }
        // The player started at 100 µs and took block 0; block 3 has room
        // once it has.
        assert_eq!(p.room_at(), Some(100.0));
        p.publish(100.0);
        // Block 4 has room after the second burst (10.77 ms), but comes
        // 8 ms after the fifth burst wanted it (42.77 ms).
        let room = p.room_at().unwrap();
        assert!((room - 10_766.67).abs() < 0.01, "{room}");
        p.publish(room + 40_000.0);
        let audio = p.finish(0);
        assert_eq!(audio.underruns(), 1);
        let late = audio.blocks[4];
        assert!(
            (late.due_us - (100.0 + 4.0 * (512.0e6 / 48_000.0))).abs() < 1e-6,
            "{late:?}"
        );
        assert!((late.late_us - 8_000.0).abs() < 0.01, "{late:?}");
        assert!((late.ready_us.unwrap() - late.due_us - late.late_us).abs() < 1e-6);
        // Block 5 was never published: the run was cut short, it is not heard.
        assert_eq!(audio.blocks.len(), 5);
    }
}

//! What a playback run heard: each block's deadline, met or missed, and the
//! buffer's fill level over time.
//!
//! A producer computes the sound in blocks of [`Audio::block_frames`]
//! frames into a ring buffer of [`Audio::capacity_frames`]; a player (an
//! AudioWorklet live, the simulator's model of one) takes frames out at the
//! sample rate, in bursts as the audio device asks for them. A block is
//! *due* when the player first needs one of its frames. If the whole block
//! is not in the buffer then, the player plays silence until it is: an
//! underrun, heard as a click, and the block is *late* by that silence.
//! Later blocks are due that much later (the stream slips; nothing is
//! skipped), as with a real audio device whose callback returned late.

use serde::{Deserialize, Serialize};

/// One block of the sound, in play order.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AudioBlock {
    /// When the player first needed one of its frames, µs since the run
    /// started.
    pub due_us: f64,
    /// When the producer had put the whole block in the buffer, µs since the
    /// run started; `None` if it never did (the run was cut short).
    pub ready_us: Option<f64>,
    /// The silence the player played waiting for it, µs: 0 when the block
    /// was there in time, more than 0 for an underrun.
    pub late_us: f64,
}

impl AudioBlock {
    /// Whether the player had to wait for it: an underrun.
    pub fn missed(&self) -> bool {
        self.late_us > 0.0
    }
}

/// How full the buffer was at one instant, as the player saw it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FillSample {
    /// When, µs since the run started.
    pub at_us: f64,
    /// Frames in the buffer, from 0 to [`Audio::capacity_frames`].
    pub frames: u32,
}

/// The playback of one run: its blocks and the buffer's fill level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Audio {
    /// The lane that computed the blocks.
    pub producer: u32,
    /// Frames per second.
    pub sample_rate: u32,
    /// Frames in one block: the buffer size a learner picks (128 to 4096).
    pub block_frames: u32,
    /// Frames the ring buffer holds: two blocks and what the audio device
    /// takes at once.
    pub capacity_frames: u32,
    /// Whether it was played aloud (it is measured the same way silent).
    #[serde(default)]
    pub audible: bool,
    /// Every block, in play order (so by `due_us`).
    pub blocks: Vec<AudioBlock>,
    /// The fill level, in time order.
    pub fill: Vec<FillSample>,
}

impl Audio {
    /// The most blocks, and the most fill samples, a track may hold: a run
    /// of 128-frame blocks at 48 kHz makes 375 a second, so this is some 44
    /// minutes of sound, far more than a lesson plays. A track with more is
    /// refused ([`Trace::validate`](crate::Trace::validate)) rather than
    /// drawn or stored.
    pub const MAX_ITEMS: usize = 1_000_000;

    /// How many blocks were late: the underruns.
    pub fn underruns(&self) -> usize {
        self.blocks.iter().filter(|b| b.missed()).count()
    }

    /// The longest silence the player waited for a block, µs (0 when none
    /// was late).
    pub fn worst_late_us(&self) -> f64 {
        self.blocks.iter().map(|b| b.late_us).fold(0.0, f64::max)
    }

    /// One block's length in µs.
    pub fn block_us(&self) -> f64 {
        f64::from(self.block_frames) * 1e6 / f64::from(self.sample_rate.max(1))
    }
}

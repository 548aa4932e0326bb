//! A playback's audio track in Chrome Trace Event JSON, out and in.
//!
//! Out, on the producer lane's thread, in category `lanes.audio`:
//! - a counter (`C`) named `audio buffer` per fill sample, `args.frames`
//!   the frames in the buffer, so Perfetto draws the fill level as a track;
//! - an instant (`i`, scope `t`) named `block due` per block at its due
//!   time, with `args.block` (its index), `args.late_ms` and, when it was
//!   ready, `args.ready_ms` for a reader's eye, and `args.late_us` and
//!   `args.ready_us`, the same times in µs exactly as the trace holds them;
//! - an instant named `underrun` at the due time of each late block, with
//!   `args.block` and `args.silence_ms`;
//! - the track's constants in `metadata.audio` ([`AudioFacts`]).
//!
//! In: only a file Lanes wrote whose `metadata.audio` can be read gets its
//! track back (the `underrun` instants are then left out: the blocks say
//! it). In any other file these events are read as every other file's are:
//! the counters are skipped and the instants kept as marks.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Audio, AudioBlock, FillSample};

/// The category of every audio event.
pub(super) const CAT_AUDIO: &str = "lanes.audio";
/// The fill level's counter.
pub(super) const AUDIO_BUFFER: &str = "audio buffer";
/// A block's deadline.
pub(super) const BLOCK_DUE: &str = "block due";
/// A block that came late.
pub(super) const UNDERRUN: &str = "underrun";

/// `metadata.audio`: what the track holds besides its blocks and samples.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct AudioFacts {
    pub(super) producer: u32,
    pub(super) sample_rate: u32,
    pub(super) block_frames: u32,
    pub(super) capacity_frames: u32,
    #[serde(default)]
    pub(super) audible: bool,
}

impl AudioFacts {
    pub(super) fn of(audio: &Audio) -> Self {
        Self {
            producer: audio.producer,
            sample_rate: audio.sample_rate,
            block_frames: audio.block_frames,
            capacity_frames: audio.capacity_frames,
            audible: audio.audible,
        }
    }
}

/// What one audio event of a file said, as the import read it.
#[derive(Debug)]
pub(super) enum AudioMark {
    /// An `audio buffer` counter.
    Fill(FillSample),
    /// A `block due` or `underrun` instant (or another instant of the
    /// category), on a thread of the file; `block` is a `block due`'s block
    /// when its args could be read.
    Instant {
        at: f64,
        thread: Option<u32>,
        name: String,
        block: Option<(u64, AudioBlock)>,
    },
}

/// The track of a file Lanes wrote: `metadata.audio` and the marks read.
/// `None` when the metadata holds no track; `Err` with why, when it holds
/// one that cannot be read. Blocks come in the order of `args.block`;
/// `block due` instants whose args could not be read are counted in the
/// second value.
pub(super) fn track(
    metadata: Option<&Value>,
    marks: &[AudioMark],
) -> Option<Result<(Audio, usize), String>> {
    let facts = metadata?.get("audio")?;
    let facts = match AudioFacts::deserialize(facts) {
        Ok(facts) => facts,
        Err(e) => return Some(Err(e.to_string())),
    };
    let mut blocks: Vec<(u64, AudioBlock)> = Vec::new();
    let mut fill = Vec::new();
    let mut unreadable = 0;
    for mark in marks {
        match mark {
            AudioMark::Fill(sample) => fill.push(*sample),
            AudioMark::Instant { block: Some(b), .. } => blocks.push(*b),
            AudioMark::Instant { name, .. } if name == BLOCK_DUE => unreadable += 1,
            AudioMark::Instant { .. } => {}
        }
    }
    blocks.sort_by_key(|&(i, _)| i);
    Some(Ok((
        Audio {
            producer: facts.producer,
            sample_rate: facts.sample_rate,
            block_frames: facts.block_frames,
            capacity_frames: facts.capacity_frames,
            audible: facts.audible,
            blocks: blocks.into_iter().map(|(_, b)| b).collect(),
            fill,
        },
        unreadable,
    )))
}

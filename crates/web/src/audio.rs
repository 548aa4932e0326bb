//! The audio lesson live: an AudioWorklet plays what a producer computes
//! into a ring buffer in shared memory, and says when each block was due
//! and how late it came.

mod player;
mod processes;
mod run;

pub use player::{audio_unavailable, live_underruns, set_gain};
pub use run::{Sound, run_playback_live};

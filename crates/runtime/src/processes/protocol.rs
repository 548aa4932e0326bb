//! What the page and a process worker tell each other, besides the few
//! fields `www/process-worker.js` adds itself (see that file for the whole
//! message protocol).
//!
//! Both halves are JSON strings: a [`Job`] goes in with the payload bytes
//! beside it, a [`Report`] comes back.

use lanes_trace::{Scenario, Span};
use serde::{Deserialize, Serialize};

/// Everything a process is told to do: its share of the scenario and a
/// description of the payload bytes sent with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The run it is part of.
    pub scenario: Scenario,
    /// Which process it is, from 0.
    pub share: u32,
    /// How many processes the run has.
    pub shares: u32,
    /// What the payload holds.
    pub input: Input,
}

/// What the payload bytes sent with a [`Job`] hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Input {
    /// Prime counting: for each range in turn, every number in it as a
    /// little-endian `u32`. The process tests the numbers it was sent.
    Numbers {
        /// The process's work items, in the order their numbers come.
        ranges: Vec<NumberRange>,
    },
    /// Audio features: for each run in turn, each clip's `clip_samples`
    /// samples as little-endian `f32`. The process analyses the samples it
    /// was sent instead of synthesizing them.
    Samples {
        /// Samples in each clip.
        clip_samples: u32,
        /// The process's work items, in the order their clips come.
        runs: Vec<ClipRun>,
    },
    /// No payload: the work items alone, which the process derives its
    /// input from (a Mandelbrot row's pixels, a request, a counter's
    /// increments), as the runtime's `run_share` does.
    Items {
        /// The process's work items, in order.
        tasks: Vec<u32>,
    },
}

impl Input {
    /// How many payload bytes go with it.
    pub fn payload_bytes(&self) -> usize {
        match self {
            Self::Numbers { ranges } => 4 * ranges.iter().map(|r| r.len()).sum::<usize>(),
            Self::Samples { clip_samples, runs } => {
                4 * *clip_samples as usize * runs.iter().map(|r| r.len()).sum::<usize>()
            }
            Self::Items { .. } => 0,
        }
    }
}

/// The numbers `start..end` of work item `task`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberRange {
    /// The work item.
    pub task: u32,
    /// Its first number.
    pub start: u32,
    /// One past its last number.
    pub end: u32,
}

impl NumberRange {
    /// How many numbers it holds.
    pub(crate) fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }
}

/// The clips `first..end` of work item `task`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipRun {
    /// The work item.
    pub task: u32,
    /// Its first clip.
    pub first: u32,
    /// One past its last clip.
    pub end: u32,
}

impl ClipRun {
    /// How many clips it holds.
    pub(crate) fn len(self) -> usize {
        self.end.saturating_sub(self.first) as usize
    }
}

/// What a process sends back: its spans and answer, when the input was in
/// its own memory and when it began to copy this report out, and how big
/// its memory had grown. Times are page-clock µs (absolute).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// When the input was in the process's wasm memory, ready to use.
    pub unpacked_us: f64,
    /// Its running (and I/O wait) spans, on lane `share`, in time order.
    pub spans: Vec<Span>,
    /// The sum of its items' results.
    pub result: u64,
    /// Its wasm memory (`memory.buffer.byteLength`) after the run.
    pub memory_bytes: u64,
    /// When it began to write this report.
    pub copy_out_us: f64,
}

/// What the audio lesson's producer process is told (`{type: 'playback',
/// job}`): make a ring of `capacity` frames for blocks of `block` frames in
/// its own memory, tell the page where it is, and produce the melody into
/// it at `sample_rate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaybackJob {
    /// The run (workload playback, model processes).
    pub scenario: Scenario,
    /// The audio context's sample rate.
    pub sample_rate: u32,
    /// The ring's frames.
    pub capacity: u32,
    /// A block's frames.
    pub block: u32,
}

/// What a process of the audio lesson did: its spans on one lane (lane 0),
/// times in µs on the page clock (not since a start: the page puts them on
/// the run's axis); the producer's ready times per block, on the same clock;
/// a neighbour's primes counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaneReport {
    /// Its spans, in time order.
    pub spans: Vec<Span>,
    /// When each block was in the ring (the producer only).
    #[serde(default)]
    pub ready_us: Vec<f64>,
    /// Primes counted (a neighbour only).
    #[serde(default)]
    pub result: u64,
}

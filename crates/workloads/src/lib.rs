#![doc = include_str!("../README.md")]

mod audio;
mod mandelbrot;
mod melody;
mod primes;

pub use audio::{
    AudioFeatures, Clip, ClipDigest, FRAME, FrameAnalyzer, FrameFeatures, HOP, MEL_BANDS,
    MelFilterBank, SAMPLE_RATE, hann_window, hz_to_mel, mel_to_hz,
};
pub use mandelbrot::{Mandelbrot, escape_time};
pub use melody::Melody;
pub use primes::{PrimeCount, count_primes_in, is_prime};

/// Work that can be cut into numbered items and run in any order on any
/// thread; the results of all items combine by addition.
pub trait Job: Sync {
    /// How many work items there are.
    fn tasks(&self) -> u32;

    /// Runs one item and returns its partial result.
    fn run_task(&self, task: u32) -> u64;

    /// The same answer, computed in one plain sequential pass.
    fn sequential_twin(&self) -> u64;
}

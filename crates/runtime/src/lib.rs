#![doc = include_str!("../README.md")]

mod clock;
mod run;

pub use clock::Clock;
#[cfg(not(target_arch = "wasm32"))]
pub use clock::MonotonicClock;
pub use run::{Cancel, Environment, MAX_THREADS, RunError, run};

#![doc = include_str!("../README.md")]

// On the web, threads exist only with shared memory: a wasm32 build without
// atomics would compile and then hang or trap at the first run.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
compile_error!(
    "lanes-runtime needs shared memory on wasm32: build with `-C target-feature=+atomics,+bulk-memory` \
     and the linker flags in .cargo/config.toml (`make build` does)."
);

mod clock;
mod gil;
mod run;

pub use clock::Clock;
#[cfg(not(target_arch = "wasm32"))]
pub use clock::MonotonicClock;
pub use gil::{
    Gil, GilError, GilJob, GilRecorded, GilThread, PrimesUnderGil, SwitchInterval,
    count_primes_checked, gil_lane_spans, run_gil,
};
pub use run::{Cancel, Environment, MAX_THREADS, RunError, run};

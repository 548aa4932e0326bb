#![doc = include_str!("../README.md")]

// On the web, threads exist only with shared memory: a wasm32 build without
// atomics would compile and then hang or trap at the first run.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
compile_error!(
    "lanes-runtime needs shared memory on wasm32: build with `-C target-feature=+atomics,+bulk-memory` \
     and the linker flags in .cargo/config.toml (`make build` does)."
);

mod asyncio;
mod clock;
mod counter;
mod cpu;
mod event_loop;
mod gil;
mod io;
mod mixed;
pub mod playback;
pub mod processes;
mod record;
mod run;
mod sleeper;
mod solo;
mod steps;
#[cfg(test)]
mod testing;
mod threads;
mod twin;
mod untraced;
mod warm_up;

pub use clock::Clock;
#[cfg(not(target_arch = "wasm32"))]
pub use clock::MonotonicClock;
pub use counter::lost_updates;
pub use gil::{Gil, GilError, GilThread, SwitchInterval};
pub use lanes_model::share_tasks;
pub use mixed::{Convoy, io_time_us};
pub use playback::{AudioRing, BlockMaker, Produced, produce_alone, run_playback};
pub use processes::{Share, run_share};
pub use run::{Cancel, Environment, MAX_LATENCY_US, MAX_THREADS, RunError, convoy, run, run_with};
pub use sleeper::{Sleeper, ThreadSleeper};
pub use solo::{SoloJob, run_solo};
pub use twin::sequential_twin;
pub use untraced::run_untraced;
pub use warm_up::warm_up_scenario;

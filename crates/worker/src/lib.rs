#![doc = include_str!("../README.md")]
// Browser code only: on other targets the crate is empty.
#![cfg(target_arch = "wasm32")]

mod import;
mod playback;
mod process;
mod simulate;
mod solo;

pub use import::lanes_import;
pub use playback::{lanes_neighbour, lanes_playback};
pub use process::lanes_process_run;
pub use simulate::lanes_simulate;
pub use solo::lanes_solo_run;

use wasm_bindgen::prelude::*;

/// Traps this worker's wasm instance: a `{type: 'trap'}` message to
/// `www/process-worker.js` calls it, for an injected fault only
/// (`window.lanes.injectFault`).
#[wasm_bindgen]
pub fn lanes_trap() {
    core::arch::wasm32::unreachable()
}

#![doc = include_str!("../README.md")]

pub mod format;
pub mod replay;
pub mod state;
pub mod url;
pub mod viewport;

#[cfg(target_arch = "wasm32")]
mod ui;

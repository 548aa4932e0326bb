#![doc = include_str!("../README.md")]

pub mod format;
pub mod lessons;
pub mod replay;
pub mod state;
pub mod url;

#[cfg(target_arch = "wasm32")]
mod ui;

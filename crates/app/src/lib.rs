#![doc = include_str!("../README.md")]

pub mod agreement;
pub mod budget;
pub mod format;
pub mod lessons;
pub mod process_memory;
pub mod replay;
pub mod state;
#[cfg(test)]
mod testing;
pub mod timeline_view;
pub mod url;

#[cfg(target_arch = "wasm32")]
mod ui;

/// Counts the page's heap for `window.lanes.memory()` (and each process
/// worker's, in its own instance).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: lanes_web::CountingAlloc = lanes_web::CountingAlloc;

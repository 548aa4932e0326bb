#![doc = include_str!("../README.md")]

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
compile_error!(
    "Lanes needs shared memory: build wasm32 with `-C target-feature=+atomics,+bulk-memory` \
     and the linker flags in .cargo/config.toml (use `make build`)."
);

#[cfg(target_arch = "wasm32")]
mod automation;
#[cfg(target_arch = "wasm32")]
mod bench;
#[cfg(target_arch = "wasm32")]
mod canvas;
#[cfg(target_arch = "wasm32")]
mod clock;
#[cfg(target_arch = "wasm32")]
mod error;
#[cfg(target_arch = "wasm32")]
mod faults;
#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod frames;
#[cfg(target_arch = "wasm32")]
mod heap;
#[cfg(target_arch = "wasm32")]
mod live;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod pool;
#[cfg(target_arch = "wasm32")]
mod processes;
#[cfg(target_arch = "wasm32")]
mod solo;
#[cfg(target_arch = "wasm32")]
mod warm_up;

#[cfg(target_arch = "wasm32")]
pub use {
    automation::{
        install_automation, publish_cancel_done, publish_cancel_requested, publish_process_memory,
        publish_run_state, publish_traces,
    },
    canvas::{draw_speedup_chart, draw_timeline, draw_timeline_fit, pixel_ratio, timeline_svg},
    clock::PageClock,
    error::WebError,
    faults::{Fault, lanes_trap},
    files::{MAX_FILE_BYTES, download_canvas_png, download_text, read_file_text},
    frames::{FrameLoop, LONG_FRAME_MS, long_frames, run_ui_lesson},
    heap::{CountingAlloc, heap_live_bytes, heap_peak_bytes, reset_heap_peak},
    live::{LiveRun, run_live},
    page::{NoThreads, cross_origin_isolated, environment, threads_possible},
    pool::{POOL_THREAD_DIED, POOL_THREADS, pool_died, pool_threads, start_pool, without_pool},
    processes::{
        MAX_COPY_BYTES, MAX_IDLE_PROCESSES, ProcessMemory, end_idle_processes, idle_processes,
        lanes_process_run, run_processes,
    },
    solo::{lanes_solo_run, prewarm_solo_worker, run_in_worker, solo_worker_alive},
};

#![doc = include_str!("../README.md")]
// Browser code only: on other targets the crate is empty.
#![cfg(target_arch = "wasm32")]

#[cfg(not(target_feature = "atomics"))]
compile_error!(
    "Lanes needs shared memory: build wasm32 with `-C target-feature=+atomics,+bulk-memory` \
     and the linker flags in .cargo/config.toml (use `make build`)."
);

mod audio;
mod automation;
mod bench;
mod canvas;
mod error;
mod faults;
mod files;
mod frames;
mod heap;
mod import;
mod live;
mod page;
mod pool;
mod processes;
mod simulate;
mod solo;
mod warm_up;
mod worker_module;

pub use lanes_clock::PageClock;
pub use {
    audio::{Sound, audio_unavailable, live_underruns, run_playback_live, set_gain},
    automation::{
        install_automation, publish_cancel_done, publish_cancel_requested, publish_process_memory,
        publish_run_state, publish_traces,
    },
    canvas::{draw_speedup_chart, draw_timeline, draw_timeline_fit, pixel_ratio, timeline_svg},
    error::WebError,
    faults::Fault,
    files::{MAX_FILE_BYTES, download_canvas_png, download_text, read_file_bytes},
    frames::{FrameLoop, LONG_FRAME_MS, long_frames, run_ui_lesson},
    heap::{CountingAlloc, heap_live_bytes, heap_peak_bytes, reset_heap_peak},
    import::{ImportStep, ImportedFile, import_bytes, import_file},
    live::{LiveRun, run_live},
    page::{
        NoThreads, RUN_ENABLED_MARK, after_ms, cross_origin_isolated, environment, mark_once,
        next_turn, threads_possible,
    },
    pool::{POOL_THREAD_DIED, POOL_THREADS, pool_died, pool_threads, start_pool, without_pool},
    processes::{
        MAX_COPY_BYTES, MAX_IDLE_PROCESSES, ProcessMemory, end_idle_processes, idle_processes,
        run_processes,
    },
    simulate::simulate_off_main,
    solo::{prewarm_solo_worker, run_in_worker, solo_worker_alive},
    worker_module::prefetch_worker_module,
};

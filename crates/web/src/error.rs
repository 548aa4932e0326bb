//! What can go wrong at the browser edge, in words for the page.

use lanes_runtime::RunError;
use lanes_trace::Workload;

use crate::page::NoThreads;

impl WebError {
    /// A few words for a one-line bar (embed mode) on why the page has no
    /// pool of threads, where this error says so.
    pub fn headline(&self) -> &'static str {
        match self {
            Self::NoThreads(NoThreads::NotIsolated) => "Not cross-origin isolated",
            Self::NoThreads(NoThreads::NoSharedMemory) => {
                "This browser cannot share memory with worker threads"
            }
            Self::PoolDied => "A worker thread died",
            _ => "The worker threads could not start",
        }
    }
}

/// A failure at the browser edge, worded for the person at the page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// What the page needs for a pool of threads is missing here (feature-detected).
    #[error("{0}")]
    NoThreads(#[from] NoThreads),
    /// The worker threads did not start, though nothing known was missing.
    #[error(
        "the worker threads could not start (the browser said: {0}), so threads that run at once \
         in one memory are not possible here"
    )]
    PoolFailed(String),
    /// Free threads were asked for where there is no pool (the page plans
    /// them as simulated there; this is the edge's own refusal).
    #[error("free threads need worker threads that run at once, which this page does not have")]
    NoPool,
    /// A thread of the pool died; the page runs without the pool until it is
    /// reloaded.
    #[error(
        "a worker thread died, so the page no longer uses its threads (they share its memory): \
         reload the page to start new ones"
    )]
    PoolDied,
    /// The audio lesson cannot play live here (feature-detected), in words.
    #[error("the sound cannot play live here: {0}")]
    NoAudio(&'static str),
    /// The audio player failed.
    #[error("the audio player failed: {0}")]
    Audio(String),
    /// A run was asked for before the threads were up.
    #[error("the worker threads are not ready yet")]
    PoolNotReady,
    /// The run itself failed.
    #[error("{0}")]
    Run(#[from] RunError),
    /// A process worker failed: its script did not load, its job failed or
    /// it trapped. Every worker of the run has been terminated.
    #[error("process {process} failed: {why}")]
    Process {
        /// The process, from 1, as its lane is named.
        process: u32,
        /// What went wrong, in words.
        why: String,
    },
    /// A process worker's wasm trapped, which kills its instance. Every
    /// worker of the run has been terminated; the next run starts new ones.
    #[error(
        "process {process} died: its WebAssembly trapped ({why}). Its worker was ended, and the \
         next run starts a new one"
    )]
    ProcessDied {
        /// The process, from 1, as its lane is named.
        process: u32,
        /// The trap, in the browser's words.
        why: String,
    },
    /// A workload that is, by design, threads of one process.
    #[error("Processes cannot run “{}”: {why}", .workload.title())]
    NotForProcesses {
        /// The workload asked for.
        workload: Workload,
        /// Why, in words.
        why: &'static str,
    },
    /// The process workers could not be started at all.
    #[error("the processes could not start: {0}")]
    ProcessStart(String),
    /// The worker that runs scenarios without a thread pool failed.
    #[error("the worker running this scenario failed: {0}")]
    Solo(String),
    /// The solo worker's wasm trapped, which kills its instance. It has been
    /// terminated; the next run starts a new one.
    #[error(
        "the worker running this scenario died: its WebAssembly trapped ({0}). It was ended, and \
         the next run starts a new one"
    )]
    SoloDied(String),
    /// The worker running the job went away without an answer.
    #[error("the worker running this job stopped without an answer")]
    WorkerLost,
    /// The simulator refused the scenario (its words).
    #[error("{0}")]
    Simulation(String),
    /// A file could not be read or offered for download.
    #[error("{0}")]
    File(String),
    /// Drawing on the canvas failed.
    #[error("the timeline could not be drawn: {0}")]
    Canvas(String),
}

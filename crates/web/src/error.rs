//! What can go wrong at the browser edge, in words for the page.

use lanes_runtime::RunError;

/// A failure at the browser edge, worded for the person at the page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Shared memory is off because the page lacks COOP/COEP headers.
    #[error(
        "this page is not cross-origin isolated, so the browser gives it no shared memory for \
         threads; serve it with the headers Cross-Origin-Opener-Policy: same-origin and \
         Cross-Origin-Embedder-Policy: require-corp"
    )]
    NotIsolated,
    /// The worker threads did not start.
    #[error("the worker threads could not start: {0}")]
    PoolFailed(String),
    /// A run was asked for before the threads were up.
    #[error("the worker threads are not ready yet")]
    PoolNotReady,
    /// The run itself failed.
    #[error("{0}")]
    Run(#[from] RunError),
    /// The worker running the job went away without an answer.
    #[error("the worker running this job stopped without an answer")]
    WorkerLost,
    /// A file could not be read or offered for download.
    #[error("{0}")]
    File(String),
    /// Drawing on the canvas failed.
    #[error("the timeline could not be drawn: {0}")]
    Canvas(String),
}

//! Live runs, started from the main thread and run entirely on the pool.

use std::sync::Arc;

use lanes_runtime::{Cancel, run};
use lanes_trace::{Scenario, Trace};

use crate::{PageClock, WebError, environment, pool_threads};

/// Runs `scenario` on the pool's threads and resolves with its trace. The
/// main thread only awaits a channel, so the page stays responsive; raising
/// `cancel` stops the run after the work items in progress.
pub async fn run_live(scenario: Scenario, cancel: Arc<Cancel>) -> Result<Trace, WebError> {
    if pool_threads().is_none() {
        return Err(WebError::PoolNotReady);
    }
    let env = environment();
    let (done, answer) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        // The receiver may be gone if the page moved on; nothing to tell then.
        let _ = done.send(run(&scenario, &PageClock, &env, &cancel));
    });
    answer
        .await
        .map_err(|_| WebError::WorkerLost)?
        .map_err(WebError::from)
}

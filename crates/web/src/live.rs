//! Live runs, started from the main thread: threads run entirely on the
//! pool; processes in workers of their own; without the pool (a page that
//! is not cross-origin isolated) everything but free threads runs in one
//! worker of its own ([`crate::run_in_worker`]).

use std::sync::Arc;

use lanes_runtime::{Cancel, run};
use lanes_trace::{Model, Scenario, Trace};

use crate::faults::{self, Fault};
use crate::processes::remember_process_memory;
use crate::{
    PageClock, WebError, cross_origin_isolated, environment, pool_died, pool_threads,
    run_in_worker, run_processes,
};

/// Runs `scenario` live and resolves with its trace. The main thread only
/// awaits, so the page stays responsive; raising `cancel` stops the run
/// after the work items in progress (threads) or at once (processes).
///
/// [`Model::Processes`] goes to [`run_processes`], which needs no pool; its
/// memory figures are then kept for [`crate::last_process_memory`]. Every
/// other model runs on the pool's threads; on a page that is not
/// cross-origin isolated, where there is no pool, or whose pool lost a
/// thread ([`crate::pool_died`]), sequential, GIL threads and the event
/// loop run in one worker instead ([`run_in_worker`]), and free threads,
/// which need real parallel threads, are refused with
/// [`WebError::NotIsolated`] or [`WebError::PoolDied`] (the page simulates
/// them).
pub async fn run_live(scenario: Scenario, cancel: Arc<Cancel>) -> Result<Trace, WebError> {
    if scenario.model == Model::Processes {
        remember_process_memory(None);
        let run = run_processes(scenario, cancel).await?;
        remember_process_memory(Some(run.memory()));
        return Ok(run.trace);
    }
    if pool_threads().is_none() {
        // A pool whose thread died is as good as none: the solo worker has
        // a memory of its own.
        let without_pool = !cross_origin_isolated() || pool_died();
        return match (without_pool, scenario.model) {
            (false, _) => Err(WebError::PoolNotReady),
            (true, Model::Free) if pool_died() => Err(WebError::PoolDied),
            (true, Model::Free) => Err(WebError::NotIsolated),
            (true, _) => run_in_worker(scenario, cancel).await,
        };
    }
    if faults::take(Fault::ThreadTrap) {
        rayon::spawn(crate::lanes_trap);
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

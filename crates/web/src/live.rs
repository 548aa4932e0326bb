//! Live runs, started from the main thread: threads run entirely on the
//! pool; processes in workers of their own; without the pool (a page that
//! is not cross-origin isolated) everything but free threads runs in one
//! worker of its own ([`crate::run_in_worker`]).

use std::sync::Arc;

use lanes_runtime::{Cancel, Environment, RunError, run};
use lanes_trace::{Model, Scenario, Trace};

use crate::faults::{self, Fault};
use crate::warm_up::{Place, needs_warm_up, warm_in_worker, warm_on_pool};
use crate::{
    PageClock, ProcessMemory, WebError, environment, pool_died, pool_threads, run_in_worker,
    run_processes, without_pool,
};

/// A finished live run: its trace and, for a processes run, the memory
/// figures it measured (`None` for every other model).
#[derive(Clone, Debug, PartialEq)]
pub struct LiveRun {
    /// What happened.
    pub trace: Trace,
    /// Each process's memory against the page's, for a processes run.
    pub memory: Option<ProcessMemory>,
}

/// Runs `scenario` live and resolves with its trace (and a processes run's
/// memory figures). The main thread only awaits, so the page stays
/// responsive; raising `cancel` stops the run after the work items in
/// progress (threads) or at once (processes).
///
/// The first live run of each model and workload on a page is preceded by
/// a short, unrecorded warm-up of its kernel where it will run
/// ([`crate::warm_up`]), so no figure depends on which run went first.
///
/// [`Model::Processes`] goes to [`run_processes`], which needs no pool and
/// keeps its workers for the next run with `warm_processes`. Every other
/// model runs on the pool's threads; where there is no pool (the page is
/// not cross-origin isolated, or the engine cannot share memory with its
/// workers: [`crate::without_pool`]) or the pool lost a thread
/// ([`crate::pool_died`]), sequential, GIL threads and the event loop run in
/// one worker instead ([`run_in_worker`]), and free threads, which need real
/// parallel threads, are refused with [`WebError::NoPool`] or
/// [`WebError::PoolDied`] (the page simulates them).
pub async fn run_live(
    scenario: Scenario,
    cancel: Arc<Cancel>,
    warm_processes: bool,
) -> Result<LiveRun, WebError> {
    if scenario.model == Model::Processes {
        // Processes share the module's compiled code: warm its sequential
        // kernel where the pool can.
        if pool_threads().is_some()
            && let Some(warm) = needs_warm_up(Place::Pool, &scenario)
        {
            on_pool(move |env, cancel| warm_on_pool(&warm, env, cancel), &cancel).await?;
        }
        return run_processes(scenario, cancel, warm_processes).await;
    }
    let trace = if pool_threads().is_none() {
        // A pool that could not start, or whose thread died, is as good as
        // none: the solo worker has a memory of its own.
        match (without_pool(), scenario.model) {
            (false, _) => Err(WebError::PoolNotReady),
            (true, Model::Free) if pool_died() => Err(WebError::PoolDied),
            (true, Model::Free) => Err(WebError::NoPool),
            (true, _) => {
                if let Some(warm) = needs_warm_up(Place::Solo, &scenario) {
                    warm_in_worker(&warm, &cancel).await?;
                }
                run_in_worker(scenario, cancel).await
            }
        }?
    } else {
        if faults::take(Fault::ThreadTrap) {
            rayon::spawn(faults::trap);
        }
        if let Some(warm) = needs_warm_up(Place::Pool, &scenario) {
            on_pool(move |env, cancel| warm_on_pool(&warm, env, cancel), &cancel).await?;
        }
        on_pool(
            move |env, cancel| run(&scenario, &PageClock, env, cancel),
            &cancel,
        )
        .await?
    };
    Ok(LiveRun {
        trace,
        memory: None,
    })
}

/// Runs `job` on the pool with the page's environment and `cancel`, and
/// resolves with its answer; the main thread only awaits.
pub(crate) async fn on_pool<T: Send + 'static>(
    job: impl FnOnce(&Environment, &Cancel) -> Result<T, RunError> + Send + 'static,
    cancel: &Arc<Cancel>,
) -> Result<T, WebError> {
    let env = environment();
    let cancel = Arc::clone(cancel);
    let (done, answer) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        // The receiver may be gone if the page moved on; nothing to tell then.
        let _ = done.send(job(&env, &cancel));
    });
    answer
        .await
        .map_err(|_| WebError::WorkerLost)?
        .map_err(WebError::from)
}

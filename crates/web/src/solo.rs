//! Live runs without a thread pool: a page that is not cross-origin
//! isolated has no shared memory between workers, so it runs sequential,
//! GIL-threads and event-loop scenarios in one dedicated worker with a wasm
//! instance of its own, where [`lanes_runtime::run_solo`] interleaves the
//! GIL's threads for real on that worker's one thread (under a GIL only one
//! thread runs at a time anyway).
//!
//! The worker is `process-worker.js` with the worker module, sent `{type:
//! 'solo', job}` instead of a process's `run`; it answers with the same
//! `result` message, whose report is the whole trace as
//! [`lanes_trace::encode`] bytes (decoded here in a few ms, where JSON
//! would take a long task for a big run). It is kept between runs, so its
//! compiled code is warm as the pool's threads are; a cancelled or failed
//! run ends it and the next run starts a fresh one. Nothing here waits on
//! the pool, so nothing can hang where the pool could not start.

use std::cell::RefCell;
use std::sync::Arc;

use lanes_model::{Runner, unsupported};
use lanes_runtime::{Cancel, RunError, SoloJob};
use lanes_sim::SimJob;
use lanes_trace::{Model, Scenario, Trace, Workload};
use wasm_bindgen::prelude::*;
use web_sys::Worker;

use crate::faults::{self, Fault};
use crate::processes::workers::{Note, ProcessWorkers, message, set};
use crate::worker_module::{traces_from, worker_module};
use crate::{WebError, environment};

thread_local! {
    /// The worker, idle between runs.
    static IDLE: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Runs `scenario` live in the page's solo worker (started on first use)
/// and resolves with its trace. Raising `cancel` terminates the worker at
/// once (within a few tens of ms: the page looks at the flag that often),
/// which gives [`RunError::Cancelled`]; so does any failure.
///
/// Call it on the page's main thread. What the table refuses to run here
/// ([`lanes_model::table`], [`Runner::Solo`]: free threads, processes)
/// fails at once, as the worker's [`run_solo`] would fail.
pub async fn run_in_worker(scenario: Scenario, cancel: Arc<Cancel>) -> Result<Trace, WebError> {
    let (model, workload) = (scenario.model, scenario.workload);
    if unsupported(Runner::Solo, model, workload).is_some() {
        let refused = RunError::Unsupported { model, workload };
        return Err(WebError::Solo(refused.to_string()));
    }
    let job = serde_json::to_string(&SoloJob::new(scenario, environment()))
        .map_err(|e| WebError::ProcessStart(format!("the run could not be described: {e}")))?;
    on_solo_worker("solo", &job, &cancel).await
}

/// Simulates `job` in the solo worker (started on first use), for a page
/// without a pool: the simulator never runs on the page's main thread.
/// Raising `cancel` ends the worker, as for a live run.
pub async fn simulate_in_worker(job: &SimJob, cancel: &Cancel) -> Result<Trace, WebError> {
    let job = serde_json::to_string(job).map_err(|e| {
        WebError::ProcessStart(format!("the simulation could not be described: {e}"))
    })?;
    on_solo_worker("simulate", &job, cancel).await
}

/// Sends `{type: kind, job}` to the solo worker and resolves with the trace
/// it answers.
async fn on_solo_worker(kind: &str, job: &str, cancel: &Cancel) -> Result<Trace, WebError> {
    let mut worker = ProcessWorkers::new()?;
    match IDLE.with(|idle| idle.borrow_mut().take()) {
        Some(idle) => worker.adopt(idle),
        None => worker.spawn(&worker_module().await?)?,
    }
    loop {
        let Some(note) = worker.next(cancel).await else {
            return Err(RunError::Cancelled.into());
        };
        match note {
            Note::Ready { .. } => {
                let run = message(kind)?;
                set(&run, "job", &JsValue::from_str(job))?;
                if faults::take(Fault::SoloTrap) {
                    worker.post(0, &message("trap")?.into())?;
                }
                worker.post(0, &run)?;
            }
            Note::Done { report, .. } => {
                let trace = traces_from(report)
                    .map_err(WebError::Solo)?
                    .into_iter()
                    .next()
                    .ok_or_else(|| WebError::Solo("the run's trace is missing".to_owned()))?;
                // Kept for the next run; on any error above, dropping
                // `worker` terminates it instead.
                park(worker.release());
                return Ok(trace);
            }
            Note::Progress { .. } | Note::Ring { .. } => {}
            Note::Failed { why, trapped, .. } if trapped => return Err(WebError::SoloDied(why)),
            Note::Failed { why, .. } => return Err(WebError::Solo(why)),
        }
    }
}

/// Whether the solo worker is alive and idle, waiting for the next run.
pub fn solo_worker_alive() -> bool {
    IDLE.with_borrow(Option::is_some)
}

/// Keeps one of `workers` idle for the next run and ends the others (two
/// runs may overlap: the warm-up and the first real run).
fn park(workers: Vec<Worker>) {
    IDLE.with(|slot| {
        let mut slot = slot.borrow_mut();
        for worker in workers {
            if slot.is_none() {
                *slot = Some(worker);
            } else {
                worker.terminate();
            }
        }
    });
}

/// Starts the solo worker now and runs a little work there, so that the
/// first run a person starts neither waits for the worker nor runs in code
/// the browser has not optimised yet (which would make a sequential run
/// look slower than the threads that follow it). For a page without a
/// pool; resolves when the worker is warm and idle. Failures are left for
/// the real run to report.
pub async fn prewarm_solo_worker() {
    let scenario = Scenario::new(Model::Sequential, Workload::Primes, 1, 300_000, 8);
    let _ = run_in_worker(scenario, Arc::new(Cancel::new())).await;
}

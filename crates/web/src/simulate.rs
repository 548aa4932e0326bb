//! Simulated runs off the main thread, so that a big simulation (a million
//! spans takes a few hundred ms in wasm) never freezes the page: on a pool
//! thread where there is a pool, else in the solo worker.

use std::sync::Arc;

use lanes_runtime::{Cancel, RunError};
use lanes_sim::{CostModel, Options, SimJob, simulate};
use lanes_trace::{Scenario, Trace};

use crate::{WebError, pool_threads};

/// Simulates `scenario` with `costs` on `options`' virtual cores: on a pool
/// thread when the pool is up, else in the solo worker (the worker module
/// has the simulator too); the main thread only awaits. A raised `cancel`
/// gives [`RunError::Cancelled`].
pub async fn simulate_off_main(
    scenario: Scenario,
    costs: CostModel,
    options: Options,
    cancel: Arc<Cancel>,
) -> Result<Trace, WebError> {
    let simulated = if pool_threads().is_some() {
        let (done, answer) = futures_channel::oneshot::channel();
        rayon::spawn(move || {
            let _ = done.send(simulate(&scenario, &costs, &options).map_err(|e| e.to_string()));
        });
        answer.await.map_err(|_| WebError::WorkerLost)?
    } else {
        let job = SimJob {
            scenario,
            costs,
            options,
        };
        return crate::solo::simulate_in_worker(&job, &cancel).await;
    };
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled.into());
    }
    simulated.map_err(WebError::Simulation)
}

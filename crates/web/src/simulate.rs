//! Simulated runs off the main thread: on a pool thread where there is a
//! pool, so that a big simulation (a million spans takes a few hundred ms
//! in wasm) never freezes the page.

use std::sync::Arc;

use lanes_runtime::{Cancel, RunError};
use lanes_sim::{CostModel, Options, simulate};
use lanes_trace::{Scenario, Trace};

use crate::{WebError, pool_threads};

/// Simulates `scenario` with `costs` on `options`' virtual cores: on a pool
/// thread when the pool is up (the main thread only awaits), else here (a
/// page without a pool, whose simulations are its free-thread runs, at the
/// sizes it can afford). A raised `cancel` gives [`RunError::Cancelled`]
/// once the simulation returns.
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
        simulate(&scenario, &costs, &options).map_err(|e| e.to_string())
    };
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled.into());
    }
    simulated.map_err(WebError::Simulation)
}

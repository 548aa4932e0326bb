#![doc = include_str!("../README.md")]

mod calibrate;
mod check;
mod costs;
mod counter;
mod error;
mod event_loop;
mod footprint;
mod gil;
mod items;
mod jitter;
mod parcel;
mod plain;
mod playback;
mod processes;
mod python_start;
mod queue;
mod record;
mod shared;
mod work;

use lanes_trace::{Lane, Meta, Mode, Model, Scenario, Trace, Workload};

pub use calibrate::{Calibration, Learned};
pub use costs::{COST_FIGURES, CostModel};
pub use error::SimError;
pub use footprint::{Footprint, RUN_MEMORY_CAP, SPAN_BYTES, footprint, largest_fitting_size};
pub use python_start::{StartMethod, python_start_note};
pub use work::{prime_step_density, task_costs};

/// The most virtual cores a simulated machine may have.
pub const MAX_CORES: u32 = 64;
/// The most threads, processes or event-loop tasks a simulated run may have.
pub const MAX_WORKERS: u32 = 64;
/// The most spans a simulated trace may hold.
pub const MAX_SPANS: usize = 5_000_000;

/// The machine a run is simulated on.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// Virtual cores, 1 to [`MAX_CORES`].
    pub cores: u32,
    /// Drives the small noise on costs and waits: the same seed gives the
    /// same trace.
    pub seed: u64,
}

/// A simulation to run elsewhere (a page without a thread pool sends it to
/// a worker): what [`simulate`] takes. It travels as JSON.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimJob {
    /// What to simulate.
    pub scenario: Scenario,
    /// With which costs.
    pub costs: CostModel,
    /// On which machine.
    pub options: Options,
}

impl SimJob {
    /// [`simulate`] of the job.
    pub fn run(&self) -> Result<Trace, SimError> {
        simulate(&self.scenario, &self.costs, &self.options)
    }
}

/// Simulates `scenario` on `options.cores` virtual cores with `costs`, and
/// returns its trace: the lanes, spans and events a live run of the same
/// scenario records, computed instead of measured.
///
/// The same scenario, costs and options give the same trace, bit for bit.
/// Its metadata says it was simulated, with the cores and seed; its
/// environment is "simulator" (the page may overwrite it). Its result is
/// the workload's answer only where that is cheap and exact: counters (the
/// count after lost updates, see the crate docs); for every other workload
/// it is absent (`None`): the simulator does not compute it. A playback
/// run's trace carries what its player heard (`audio`), as a live one's.
pub fn simulate(
    scenario: &Scenario,
    costs: &CostModel,
    options: &Options,
) -> Result<Trace, SimError> {
    check::check(scenario, options)?;
    costs.check()?;
    let mut gil_lost_us = 0.0;
    let mut audio = None;
    let (lanes, rec): (Vec<Lane>, _) = if scenario.workload == Workload::Playback {
        let run = playback::simulate(scenario, costs, options)?;
        audio = Some(run.audio);
        (run.lanes, run.rec)
    } else {
        let items = items::items(scenario, costs, options);
        match scenario.model {
            Model::Sequential | Model::Free => plain::simulate(scenario, &items, costs, options)?,
            Model::Gil => {
                let run = gil::simulate(scenario, &items, costs, options)?;
                gil_lost_us = run.lost_us;
                (run.lanes, run.rec)
            }
            Model::Asyncio => event_loop::simulate(scenario, &items)?,
            Model::Processes => processes::simulate(scenario, &items, costs, options)?,
        }
    };
    let update_us = costs.counter_update_us;
    let result = counter::result(scenario, options, gil_lost_us, update_us);
    let meta = Meta {
        scenario: *scenario,
        mode: Mode::Simulated,
        cores: options.cores,
        cross_origin_isolated: false,
        environment: "simulator".to_owned(),
        result,
        seed: Some(options.seed),
    };
    let mut trace = rec.finish(meta, lanes);
    trace.audio = audio.map(Box::new);
    Ok(trace)
}

//! What the page sends the solo worker: the scenario, and where it runs.

use lanes_trace::{Scenario, Trace};
use serde::{Deserialize, Serialize};

use crate::{Cancel, Clock, Environment, RunError, Sleeper, run_solo};

/// A scenario for the solo worker, with the page's words for where it runs
/// (the worker's own `navigator` would say the same, but the page's words
/// are the ones its other runs carry). It travels as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoloJob {
    /// What to run.
    pub scenario: Scenario,
    /// The machine's logical cores, as the page reads them.
    pub cores: u32,
    /// Whether the page is cross-origin isolated.
    pub cross_origin_isolated: bool,
    /// The browser, in the page's words.
    pub environment: String,
}

impl SoloJob {
    /// The job of running `scenario` where `environment` says.
    pub fn new(scenario: Scenario, environment: Environment) -> Self {
        Self {
            scenario,
            cores: environment.cores,
            cross_origin_isolated: environment.cross_origin_isolated,
            environment: environment.name,
        }
    }

    /// Runs it with [`run_solo`] on the calling thread. The page cancels by
    /// ending the worker, so nothing raises the flag.
    pub fn run(self, clock: &dyn Clock, sleeper: &dyn Sleeper) -> Result<Trace, RunError> {
        let environment = Environment {
            cores: self.cores,
            cross_origin_isolated: self.cross_origin_isolated,
            name: self.environment,
        };
        run_solo(&self.scenario, clock, sleeper, &environment, &Cancel::new())
    }
}

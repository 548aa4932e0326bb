//! A scenario's work items with their times on the simulated machine.

use lanes_trace::{Scenario, Workload};

use crate::jitter::{Rng, stream};
use crate::work::task_costs;
use crate::{CostModel, Options};

/// One work item: an optional wait (a request's I/O), then computing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Item {
    /// Its task number, as live traces number it.
    pub(crate) task: u32,
    /// µs of I/O wait before it computes (0: none).
    pub(crate) wait_us: f64,
    /// µs of computing at full speed on one core.
    pub(crate) cpu_us: f64,
}

/// Every item of `scenario`, by task number, with the seed's noise: each
/// cost within ± `costs.jitter`, each wait up to half that longer, plus the
/// I/O overhead. Items that wait: every request (io) and the I/O thread's
/// rounds (mixed, tasks `tasks..2·tasks`).
pub(crate) fn items(scenario: &Scenario, costs: &CostModel, options: &Options) -> Vec<Item> {
    let mut cpu = Rng::new(options.seed, stream::CPU);
    let mut io = Rng::new(options.seed, stream::IO);
    let latency_us = f64::from(scenario.latency_us);
    let tasks = scenario.tasks.max(1);
    task_costs(scenario)
        .into_iter()
        .zip(0_u32..)
        .map(|(units, task)| {
            let waits = match scenario.workload {
                Workload::Io => true,
                Workload::Mixed => task >= tasks,
                _ => false,
            };
            let wait_us = if waits {
                latency_us * (1.0 + 0.5 * costs.jitter * io.unit()) + costs.io_overhead_us
            } else {
                0.0
            };
            let noise = 1.0 + costs.jitter * cpu.signed();
            Item {
                task,
                wait_us,
                cpu_us: units * costs.us_per_unit(scenario, task) * noise,
            }
        })
        .collect()
}

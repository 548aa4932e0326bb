//! The same CPU-bound run with nothing recorded: the baseline that shows
//! what tracing costs (`make bench`, target: a traced run within 2 % of it).

use std::sync::atomic::{AtomicU32, Ordering};

use lanes_trace::{Model, Scenario};

use crate::cpu::Kernel;
use crate::threads::on_threads;
use crate::{Cancel, RunError};

/// Runs a CPU-bound scenario under the sequential or free-threads model as
/// [`crate::run`] does — k distinct threads of the current pool pulling
/// items from one queue, a Cancel seen inside items — but reads no clock and
/// records no span. Returns the workload's answer.
pub fn run_untraced(scenario: &Scenario, cancel: &Cancel) -> Result<u64, RunError> {
    let kernel = Kernel::of(scenario).ok_or(RunError::Unsupported {
        model: scenario.model,
        workload: scenario.workload,
    })?;
    let threads = match scenario.model {
        Model::Sequential => 1,
        Model::Free => scenario.k,
        model => {
            return Err(RunError::Unsupported {
                model,
                workload: scenario.workload,
            });
        }
    };
    let next = AtomicU32::new(0);
    let tasks = kernel.job().tasks();
    let sums = on_threads(threads, |_| {
        let mut sum = 0_u64;
        while !cancel.is_cancelled() {
            let task = next.fetch_add(1, Ordering::Relaxed);
            if task >= tasks {
                break;
            }
            sum = sum.wrapping_add(kernel.run_checked(task, &mut || !cancel.is_cancelled()));
        }
        sum
    })?;
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    Ok(sums
        .iter()
        .fold(0_u64, |sum, (part, _)| sum.wrapping_add(*part)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Environment, MonotonicClock, run};
    use lanes_trace::Workload;

    #[test]
    fn gives_the_traced_runs_answer() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        for model in [Model::Sequential, Model::Free] {
            let s = Scenario::new(model, Workload::Primes, 3, 300_000, 16);
            let untraced = pool.install(|| run_untraced(&s, &Cancel::new())).unwrap();
            let env = Environment {
                cores: 2,
                cross_origin_isolated: true,
                name: "native".to_owned(),
            };
            let traced = pool
                .install(|| run(&s, &MonotonicClock::new(), &env, &Cancel::new()))
                .unwrap();
            assert_eq!(
                untraced,
                traced.meta().unwrap().result.unwrap(),
                "{model:?}"
            );
        }
        let gil = Scenario::new(Model::Gil, Workload::Primes, 2, 1000, 16);
        assert!(matches!(
            pool.install(|| run_untraced(&gil, &Cancel::new())),
            Err(RunError::Unsupported { .. })
        ));
    }
}

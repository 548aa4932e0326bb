//! The answer of a counter run: updates lost when threads interleave
//! between the load and the store of `counter += 1`.

use lanes_trace::{Model, Scenario, Workload};

use crate::Options;
use crate::jitter::{Rng, stream};

/// The final count of a counter scenario, or `None` for other workloads.
///
/// - With the lock, on one thread, in processes (each counts on a counter
///   of its own) or in an event loop, nothing is lost: `size`.
/// - Under the GIL, a thread switched out inside an update stores a stale
///   value when it resumes: the updates the others made meanwhile are lost
///   (`gil_lost_us` of their computing, from the GIL simulation).
/// - Free threads on p = min(k, cores) cores race on every update: a
///   seeded share between 30 % and 70 % of (1 − 1/p) of the updates is
///   lost; on one core only the rare preemption inside an update loses any.
pub(crate) fn result(
    scenario: &Scenario,
    options: &Options,
    gil_lost_us: f64,
    update_us: f64,
) -> Option<u64> {
    let size = scenario.size;
    match scenario.workload {
        Workload::Counter => {}
        Workload::CounterLocked => return Some(size),
        _ => return None,
    }
    let k = scenario.k.max(1);
    let lost = match scenario.model {
        _ if k == 1 => 0.0,
        Model::Gil => gil_lost_us / update_us,
        Model::Free => {
            let q = 0.3 + 0.4 * Rng::new(options.seed, stream::COUNTER).unit();
            let p = f64::from(k.min(options.cores).max(1));
            if p > 1.0 {
                size as f64 * (1.0 - 1.0 / p) * q
            } else {
                size as f64 * q * 1e-3
            }
        }
        Model::Sequential | Model::Processes | Model::Asyncio => 0.0,
    };
    // Every thread's own last store survives: at least one share is kept.
    let most = size - size.div_ceil(u64::from(k));
    let lost = (lost.max(0.0).round() as u64).min(most);
    Some(size - lost)
}

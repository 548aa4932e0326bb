//! Warming the kernels before the first measured run of each model and
//! workload, so that no ratio on screen depends on which run of a batch
//! went first.
//!
//! Every engine starts WebAssembly in a quick baseline tier and compiles
//! hot functions again, optimised, while they run (V8's Liftoff then
//! TurboFan, SpiderMonkey's baseline then Ion, JavaScriptCore's BBQ then
//! OMG). The first run of a kernel on a page therefore pays for that: in
//! Firefox a first sequential count of primes once took 180 ms against
//! 125 ms later, and the table said the GIL made the work faster. So
//! before the first live run of a (model, workload) on a page, where it
//! will run (the pool's threads, or the solo worker without a pool), the
//! same model runs the same kernel on a small size, unrecorded, for about
//! [`WARM_UP_MS`]: [`lanes_runtime::warm_up_scenario`] says what to run.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use lanes_runtime::{Cancel, Clock, Environment, RunError, run, warm_up_scenario};
use lanes_trace::{Model, Scenario, Workload};

use crate::{PageClock, WebError};

/// How long one warm-up runs its kernel, at least: the time decides, not
/// the rounds (a small run's rounds take a fraction of a millisecond).
pub const WARM_UP_MS: f64 = 100.0;
/// The most rounds of a warm-up: only a bound in case a round takes no
/// measurable time; [`WARM_UP_MS`] ends it long before.
const MAX_ROUNDS: u32 = 10_000;

/// Where a warm-up runs: the code is shared, but each place has its own
/// compiled instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    /// The pool's threads (and processes, which share the module).
    Pool,
    /// The solo worker of a page without a pool.
    Solo,
}

thread_local! {
    /// What has been warmed on this page.
    static WARMED: RefCell<BTreeSet<(Place, Model, Workload)>> = const { RefCell::new(BTreeSet::new()) };
}

/// Whether `scenario` still needs warming at `place` (and marks it warmed).
pub(crate) fn needs_warm_up(place: Place, scenario: &Scenario) -> Option<Scenario> {
    let warm = warm_up_scenario(scenario)?;
    WARMED
        .with(|w| w.borrow_mut().insert((place, warm.model, warm.workload)))
        .then_some(warm)
}

/// Runs `warm` on the pool again and again for about [`WARM_UP_MS`]; call
/// it from inside the pool. A failure is no failure of the run to come
/// (it will meet the same and say so), except a cancel.
pub(crate) fn warm_on_pool(
    warm: &Scenario,
    env: &Environment,
    cancel: &Cancel,
) -> Result<(), RunError> {
    let start = PageClock.now_us();
    for _ in 0..MAX_ROUNDS {
        match run(warm, &PageClock, env, cancel) {
            Err(RunError::Cancelled) => return Err(RunError::Cancelled),
            Err(_) => return Ok(()),
            Ok(_) => {}
        }
        if PageClock.now_us() - start >= WARM_UP_MS * 1000.0 {
            break;
        }
    }
    Ok(())
}

/// Runs `warm` in the solo worker again and again for about [`WARM_UP_MS`].
pub(crate) async fn warm_in_worker(warm: &Scenario, cancel: &Arc<Cancel>) -> Result<(), WebError> {
    let start = PageClock.now_us();
    for _ in 0..MAX_ROUNDS {
        match crate::run_in_worker(*warm, Arc::clone(cancel)).await {
            Err(WebError::Run(RunError::Cancelled)) => return Err(RunError::Cancelled.into()),
            Err(_) => return Ok(()),
            Ok(_) => {}
        }
        if PageClock.now_us() - start >= WARM_UP_MS * 1000.0 {
            break;
        }
    }
    Ok(())
}

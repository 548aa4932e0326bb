//! Step 1, "Why bother?": one thread against free threads on the same work.

use lanes_trace::{LaneKind, State, Trace};

use super::measure::{at_once, times_faster, took, usable_cores};
use super::{Claim, Outcome};
use crate::format::ratio;
use crate::lessons::content::ids::why as id;

/// Below this speedup the threads were no faster.
const NO_FASTER_BELOW: f64 = 1.25;
/// From this share of the usable cores on, the threads got one × per core.
const PER_CORE_FROM: f64 = 0.8;
/// A speedup may pass the usable cores by this much (timing noise) and
/// still count as within them.
const NOISE: f64 = 1.1;

/// Reads `[sequential, free]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[seq, free] = runs else {
        return None;
    };
    let speedup = times_faster(free, seq);
    let p = usable_cores(free);
    let k = free.meta()?.scenario.k;
    let answer = answer(speedup, p);
    let (peak, _) = at_once(free, LaneKind::Thread, State::Running);
    let claims = vec![
        Claim::new(
            speedup > 1.0,
            format!(
                "{k} threads finished {} faster than one thread ({} against {}).",
                ratio(speedup),
                took(free),
                took(seq)
            ),
        ),
        Claim::new(
            peak >= 2,
            format!("The threads computed at the same time: up to {peak} at once."),
        ),
        Claim::new(
            speedup <= f64::from(p) * NOISE,
            format!(
                "The speedup, {}, is no more than the {p} cores the {k} threads could share.",
                ratio(speedup)
            ),
        ),
    ];
    Some(Outcome {
        answer,
        summary: format!(
            "{k} free threads finished {} faster than one thread ({} against {}), with {p} cores to use.",
            ratio(speedup),
            took(free),
            took(seq)
        ),
        claims,
    })
}

/// The choice a speedup bears out, with `p` usable cores.
pub(super) fn answer(speedup: f64, p: u32) -> &'static str {
    if speedup >= PER_CORE_FROM * f64::from(p) {
        id::PER_CORE
    } else if speedup >= NO_FASTER_BELOW {
        id::SOME
    } else {
        id::NO_FASTER
    }
}

//! Step 8, "Audio programming": a producer beside two CPU-bound threads,
//! under the GIL and as free threads; did the sound stay clean?

use lanes_trace::{Audio, State, Trace};

use super::{Claim, Outcome};
use crate::format::duration_ms;
use crate::lessons::content::ids::audio as id;

/// Sound is clean when at most this share of its blocks came late (and at
/// least one may, on a busy machine).
const CLEAN_SHARE: f64 = 0.01;

/// Reads `[gil, free]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[gil, free] = runs else {
        return None;
    };
    let (a, b) = (gil.audio.as_ref()?, free.audio.as_ref()?);
    let answer = match (clean(a), clean(b)) {
        (true, true) => id::CLEAN_BOTH,
        (false, true) => id::GIL_CLICKS,
        _ => id::CLICKS_BOTH,
    };
    let waited_us: f64 = gil
        .lane_spans(a.producer)
        .iter()
        .filter(|s| s.state == State::GilWait)
        .map(|s| s.duration_us())
        .sum();
    let claims = vec![
        Claim::new(
            waited_us > 0.0,
            format!(
                "Under the GIL the producer waited for the GIL {} in all before it could compute its blocks.",
                duration_ms(waited_us / 1000.0)
            ),
        ),
        Claim::new(!clean(a), format!("Under the GIL {}: clicks.", late(a))),
        Claim::new(clean(b), format!("With free threads {}.", late(b))),
    ];
    Some(Outcome {
        answer,
        summary: format!("Under the GIL {}; with free threads {}.", late(a), late(b)),
        claims,
    })
}

/// Whether at most [`CLEAN_SHARE`] of the blocks (and at least one may)
/// came late.
fn clean(a: &Audio) -> bool {
    let allowed = (a.blocks.len() as f64 * CLEAN_SHARE).max(1.0);
    a.underruns() as f64 <= allowed
}

/// "12 of 1 378 blocks came late (the worst by 8.1 ms)".
fn late(a: &Audio) -> String {
    let n = a.underruns();
    let of = crate::format::count(a.blocks.len() as u64);
    match n {
        0 => format!("no block of {of} came late"),
        _ => format!(
            "{} of {of} blocks came late (the worst by {})",
            crate::format::count(n as u64),
            duration_ms(a.worst_late_us() / 1000.0)
        ),
    }
}

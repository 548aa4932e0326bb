//! Step 4, "The GIL": one thread, threads under the GIL and free threads
//! on the same CPU-bound work.

use lanes_trace::{LaneKind, State, Trace};

use super::measure::{at_once, handoff_gaps, handoffs, median, percent, times_faster, took, us};
use super::{Claim, Outcome};
use crate::format::ratio;
use crate::lessons::content::ids::gil as id;

/// Below this speedup the GIL made threads slower than one thread.
const SLOWER_BELOW: f64 = 0.85;
/// From this speedup on, the threads were faster.
const FASTER_FROM: f64 = 1.25;
/// The GIL changes hands "about every switch interval" when the median
/// gap is at least this share of it...
const GAP_LOW: f64 = 0.5;
/// ...and at most this many intervals plus [`GAP_SLACK_US`] (hand-off
/// latency and the holder's next check come on top).
const GAP_HIGH: f64 = 2.0;
/// See [`GAP_HIGH`].
const GAP_SLACK_US: f64 = 1000.0;
/// The threads waited for the GIL "most of the time" when their share of
/// waiting was at least this share of the (k − 1) / k a strict turn-taking
/// gives.
const WAIT_FROM: f64 = 0.8;

/// Reads `[sequential, gil, free]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[seq, gil, free] = runs else {
        return None;
    };
    let speedup = times_faster(gil, seq);
    let free_speedup = times_faster(free, seq);
    let k = gil.meta()?.scenario.k;
    let (gil_peak, gil_overlap) = at_once(gil, LaneKind::Thread, State::Running);
    let (free_peak, _) = at_once(free, LaneKind::Thread, State::Running);
    let gaps = handoff_gaps(gil);
    let changes = handoffs(gil).len();
    let interval = f64::from(gil.meta()?.scenario.interval_us);
    let gap = median(gaps).unwrap_or(0.0);
    let every =
        changes > 0 && gap >= GAP_LOW * interval && gap <= GAP_HIGH * interval + GAP_SLACK_US;
    let wait = gil.gil_wait_share();
    let strict = 1.0 - 1.0 / f64::from(k.max(1));
    let claims = vec![
        Claim::new(
            gil_peak <= 1,
            if gil_peak <= 1 {
                "Under the GIL no two threads were running at the same moment.".to_owned()
            } else {
                format!(
                    "Under the GIL, up to {gil_peak} threads were running at the same moment ({} in all).",
                    us(gil_overlap)
                )
            },
        ),
        Claim::new(
            every,
            format!(
                "The GIL changed hands {changes} times, about every {} (the switch interval is {}).",
                us(gap),
                us(interval)
            ),
        ),
        Claim::new(
            wait >= WAIT_FROM * strict,
            format!(
                "Under the GIL the {k} threads spent {} of the time they wanted to compute waiting for it.",
                percent(wait)
            ),
        ),
        Claim::new(
            free_peak >= 2 && free_speedup > 1.0,
            format!(
                "Free threads ran at the same time, up to {free_peak} at once, and finished {} faster than one thread.",
                ratio(free_speedup)
            ),
        ),
    ];
    Some(Outcome {
        answer: answer(speedup),
        summary: format!(
            "Under the GIL {k} threads took {} against {} for one thread ({} the speed); {} free threads took {}.",
            took(gil),
            took(seq),
            ratio(speedup),
            free.meta()?.scenario.k,
            took(free)
        ),
        claims,
    })
}

/// The choice the GIL threads' speedup bears out.
pub(super) fn answer(speedup: f64) -> &'static str {
    if speedup < SLOWER_BELOW {
        id::SLOWER
    } else if speedup < FASTER_FROM {
        id::SAME
    } else {
        id::FASTER
    }
}

//! Step 3, "What's a thread?": threads sharing one counter, without and
//! with a lock.

use lanes_runtime::lost_updates;
use lanes_trace::{LaneKind, State, Trace};

use super::measure::{at_once, percent};
use super::{Claim, Outcome};
use crate::format::count;
use crate::lessons::content::ids::thread as id;

/// From this share of lost updates on, "many" were lost.
const MANY_FROM: f64 = 0.01;

/// Reads `[counter, counter-locked]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[racy, locked] = runs else {
        return None;
    };
    let (size, lost) = (racy.meta()?.scenario.size, lost_updates(racy)?);
    let (locked_size, locked_lost) = (locked.meta()?.scenario.size, lost_updates(locked)?);
    let share = share(lost, size);
    let k = racy.meta()?.scenario.k;
    let (peak, _) = at_once(racy, LaneKind::Thread, State::Running);
    let claims = vec![
        Claim::new(
            lost > 0,
            format!(
                "Without a lock, {} of {} updates were lost ({}): the counter read {}.",
                count(lost),
                count(size),
                percent(share),
                count(racy.meta()?.result?)
            ),
        ),
        Claim::new(
            locked_lost == 0,
            format!(
                "With a lock, {} were lost: the counter read {} of {}.",
                if locked_lost == 0 {
                    "none".to_owned()
                } else {
                    count(locked_lost)
                },
                count(locked.meta()?.result?),
                count(locked_size)
            ),
        ),
        Claim::new(
            peak >= 2,
            format!(
                "The {k} threads updated the one counter at the same time: up to {peak} at once."
            ),
        ),
    ];
    Some(Outcome {
        answer: answer(lost, size),
        summary: format!(
            "Without a lock the counter read {} of {}: {} updates ({}) lost. With a lock it read {}.",
            count(racy.meta()?.result?),
            count(size),
            count(lost),
            percent(share),
            count(locked.meta()?.result?)
        ),
        claims,
    })
}

fn share(lost: u64, size: u64) -> f64 {
    if size > 0 {
        lost as f64 / size as f64
    } else {
        0.0
    }
}

/// The choice `lost` updates of `size` bear out.
pub(super) fn answer(lost: u64, size: u64) -> &'static str {
    if lost == 0 {
        id::NONE
    } else if share(lost, size) < MANY_FROM {
        id::FEW
    } else {
        id::MANY
    }
}

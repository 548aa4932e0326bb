//! Step 6, "Pros and cons": what processes cost as their data grows, what
//! threads cost to start, and the race that sharing memory invites.

use lanes_runtime::lost_updates;
use lanes_trace::Trace;

use super::measure::{copy_in_us, startups, thread_start_us, took, us};
use super::{Claim, Outcome};
use crate::format::{count, ratio};
use crate::lessons::content::ids::pros_cons as id;

/// Copying stayed flat below this growth.
const FLAT_BELOW: f64 = 1.5;
/// Copying grew "in step" with the data from this share of the data's
/// growth...
const IN_STEP_FROM: f64 = 0.6;
/// ...up to this share of it.
const IN_STEP_TO: f64 = 1.6;

/// Reads `[processes ×3 on growing sizes, free threads, counter]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[small, middle, large, free, counter] = runs else {
        return None;
    };
    let sweep = [small, middle, large];
    let copies = sweep.map(copy_in_us);
    let starts = sweep.map(|t| startups(t).2);
    let all_cold = sweep.iter().all(|t| {
        let (cold, lanes, _) = startups(t);
        lanes > 0 && cold == lanes
    });
    let data = large.meta()?.scenario.size as f64 / small.meta()?.scenario.size.max(1) as f64;
    let growth = if copies[0] > 0.0 {
        copies[2] / copies[0]
    } else {
        f64::INFINITY
    };
    let sizes = sweep.map(|t| count(t.meta().map_or(0, |m| m.scenario.size)));
    let thread_start = thread_start_us(free).unwrap_or(f64::INFINITY);
    let k = free.meta()?.scenario.k;
    let lost = lost_updates(counter)?;
    let size = counter.meta()?.scenario.size;
    let claims = vec![
        Claim::new(
            all_cold && startup_flat(starts, data),
            format!(
                "Starting a process did not grow with the data: {}, {} and {} each on average.",
                us(starts[0]),
                us(starts[1]),
                us(starts[2])
            ),
        ),
        Claim::new(
            copies[0] < copies[1] && copies[1] < copies[2],
            format!(
                "Copying in grew with the data: {} for {}, {} for {} and {} for {} numbers.",
                us(copies[0]),
                sizes[0],
                us(copies[1]),
                sizes[1],
                us(copies[2]),
                sizes[2]
            ),
        ),
        Claim::new(
            thread_start < starts[2] && free.makespan_us() < large.makespan_us(),
            format!(
                "Threads were at work {} after the start, where a process needed {} to start up; on the same {} numbers {k} free threads took {} against {} for {} processes.",
                us(thread_start),
                us(starts[2]),
                sizes[2],
                took(free),
                took(large),
                large.meta()?.scenario.k
            ),
        ),
        Claim::new(
            lost > 0,
            format!(
                "Sharing has its price: {} threads with no lock lost {} of {} updates.",
                counter.meta()?.scenario.k,
                count(lost),
                count(size)
            ),
        ),
    ];
    Some(Outcome {
        answer: answer(growth, data),
        summary: format!(
            "Copying in took {} for {} numbers and {} for {}: {} for {} the data.",
            us(copies[0]),
            sizes[0],
            us(copies[2]),
            sizes[2],
            ratio(growth),
            ratio(data)
        ),
        claims,
    })
}

/// Whether the mean start-ups of the sweep's three runs, smallest data first,
/// did not grow with the data, which grew `data` times: the largest run's
/// start-up stayed under the square root of that growth times the smallest
/// run's, nearer flat than in step on a log scale. Start-ups of a few
/// milliseconds move by half between runs on a busy machine, so the runs
/// between are not compared: only a growth with the data fails this.
pub(super) fn startup_flat(starts: [f64; 3], data: f64) -> bool {
    starts.iter().all(|&s| s > 0.0) && starts[2] < data.max(1.0).sqrt() * starts[0]
}

/// The choice the copy-in time's `growth` bears out when the data grew
/// `data` times.
pub(super) fn answer(growth: f64, data: f64) -> &'static str {
    if growth < FLAT_BELOW {
        id::FLAT
    } else if growth < IN_STEP_FROM * data {
        id::SLOWER
    } else if growth <= IN_STEP_TO * data {
        id::IN_STEP
    } else {
        id::FASTER
    }
}

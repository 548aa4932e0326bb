//! Step 2, "What's a process?": one thread against k processes, each
//! started, copied its input and copying its result out.

use lanes_trace::{LaneKind, State, Trace};

use super::measure::{
    at_once, bytes, bytes_to_processes, every_process_has, percent, startups, times_faster, took,
    us, usable_cores,
};
use super::{Claim, Outcome};
use crate::format::ratio;
use crate::lessons::content::ids::process as id;

/// From this share of the usable cores on, the processes got one × per core.
const FULL_FROM: f64 = 0.9;

/// Reads `[sequential, processes]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[seq, procs] = runs else {
        return None;
    };
    let speedup = times_faster(procs, seq);
    let answer = answer(speedup, usable_cores(procs));
    let (cold, lanes, mean_startup) = startups(procs);
    let copied = bytes_to_processes(procs);
    let copied = if copied > 0 {
        format!(" ({} in all)", bytes(copied))
    } else {
        String::new()
    };
    let copies =
        every_process_has(procs, State::CopyIn) && every_process_has(procs, State::CopyOut);
    let (peak, _) = at_once(procs, LaneKind::Process, State::Running);
    let claims = vec![
        Claim::new(
            lanes > 0 && cold == lanes,
            match cold {
                0 => format!(
                    "None of the {lanes} processes started up: they were kept warm from an earlier run."
                ),
                _ if cold == lanes => format!(
                    "All {lanes} processes started up before running, in {} each on average.",
                    us(mean_startup)
                ),
                _ => format!(
                    "{cold} of the {lanes} processes started up before running (in {} each on average); the others were kept warm.",
                    us(mean_startup)
                ),
            },
        ),
        Claim::new(
            copies,
            format!(
                "{} process was copied its input{copied} and copied its result out.",
                if copies { "Each" } else { "Not every" }
            ),
        ),
        Claim::new(
            peak >= 2,
            format!("The processes ran in parallel: up to {peak} at once."),
        ),
    ];
    Some(Outcome {
        answer,
        summary: format!(
            "{lanes} processes took {} against {} for one thread ({} the speed); start-up and copying were {} of their busy time.",
            took(procs),
            took(seq),
            ratio(speedup),
            percent(procs.overhead_share())
        ),
        claims,
    })
}

/// The choice a speedup bears out, with `p` usable cores.
pub(super) fn answer(speedup: f64, p: u32) -> &'static str {
    if speedup < 1.0 {
        id::THREAD
    } else if speedup >= FULL_FROM * f64::from(p) {
        id::FULL
    } else {
        id::SHORT
    }
}

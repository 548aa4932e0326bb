//! Step 5, "Processes against threads": the same CPU-bound work in threads
//! under the GIL and in processes.

use lanes_trace::{LaneKind, State, Trace};

use super::measure::{at_once, times_faster, took, us};
use super::{Claim, Outcome};
use crate::format;
use crate::lessons::content::ids::versus as id;

/// One is "faster by a quarter or more" from this ratio on.
const CLEAR: f64 = 1.25;

/// Reads `[gil, processes]`.
pub(super) fn outcome(runs: &[&Trace]) -> Option<Outcome> {
    let &[gil, procs] = runs else {
        return None;
    };
    let ratio = times_faster(procs, gil);
    let (proc_peak, _) = at_once(procs, LaneKind::Process, State::Running);
    let (gil_peak, _) = at_once(gil, LaneKind::Thread, State::Running);
    let overhead = procs.state_times().overhead_us();
    let thread_overhead = gil.state_times().overhead_us();
    let faster = if ratio > 1.0 {
        format!(
            "The processes finished {} faster than the threads under the GIL ({} against {}).",
            format::ratio(ratio),
            took(procs),
            took(gil)
        )
    } else {
        format!(
            "The threads under the GIL finished {} faster than the processes ({} against {}).",
            format::ratio(1.0 / ratio),
            took(gil),
            took(procs)
        )
    };
    let claims = vec![
        Claim::new(ratio > 1.0, faster),
        Claim::new(
            proc_peak >= 2 && gil_peak <= 1,
            format!(
                "The processes ran up to {proc_peak} at once; under the GIL the threads ran {}.",
                if gil_peak <= 1 {
                    "one at a time".to_owned()
                } else {
                    format!("up to {gil_peak} at once")
                }
            ),
        ),
        Claim::new(
            overhead > 0.0 && thread_overhead == 0.0,
            format!(
                "The processes spent {} starting up and copying data; the threads {}.",
                us(overhead),
                if thread_overhead == 0.0 {
                    "nothing".to_owned()
                } else {
                    us(thread_overhead)
                }
            ),
        ),
    ];
    Some(Outcome {
        answer: answer(ratio),
        summary: format!(
            "{} processes took {} and {} threads under the GIL {}: the processes ran at {} the threads' speed.",
            procs.meta()?.scenario.k,
            took(procs),
            gil.meta()?.scenario.k,
            took(gil),
            format::ratio(ratio)
        ),
        claims,
    })
}

/// The choice the processes' speed against the threads' bears out.
pub(super) fn answer(ratio: f64) -> &'static str {
    if ratio >= CLEAR {
        id::PROCESSES
    } else if ratio * CLEAR <= 1.0 {
        id::THREADS
    } else {
        id::TIE
    }
}

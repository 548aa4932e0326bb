//! Whether a step's prediction held: the step's claims checked against the
//! traces of its batch, and the figures that decide its question.
//!
//! Each step has a module of its own that reads its runs (in plan order)
//! and bins the measured figures into one of its choices. The bins compare
//! like with like (a speedup with the cores the run could use, a loss with
//! the count it should have reached), so they make sense on any machine,
//! live or simulated.

mod audio;
mod gil;
mod measure;
mod process;
mod pros_cons;
mod thread;
mod use_cases;
mod versus;
mod why;

#[cfg(test)]
mod tests;

use lanes_trace::Trace;

use super::{Lesson, Run, batch_runs};
use crate::url::parse_query;

/// What a step's runs showed.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The id of the [`super::Choice`] the runs bore out.
    pub answer: &'static str,
    /// The measured figures in one sentence, e.g. "Free threads finished
    /// 1.93× faster than sequential (172 ms against 332 ms)."
    pub summary: String,
    /// The step's claims, each checked against the traces.
    pub claims: Vec<Claim>,
}

/// One thing the step's text says, and whether the runs on screen show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The claim in words, e.g. "Under the GIL no two threads ran at once."
    pub text: String,
    /// Whether the traces bear it out.
    pub holds: bool,
}

impl Claim {
    /// A claim that holds when `holds` is true.
    pub(super) fn new(holds: bool, text: String) -> Self {
        Self { text, holds }
    }
}

/// Checks `lesson` against `runs`, the finished traces of its batch in plan
/// order; `None` while they are not all there (or are not the step's runs).
/// Runs of models the step does not use (ticked besides its own) are passed
/// over.
pub fn evaluate(lesson: &Lesson, runs: &[&Trace]) -> Option<Outcome> {
    let runs = own_runs(lesson, runs)?;
    match lesson.number {
        1 => why::outcome(&runs),
        2 => process::outcome(&runs),
        3 => thread::outcome(&runs),
        4 => gil::outcome(&runs),
        5 => versus::outcome(&runs),
        6 => pros_cons::outcome(&runs),
        7 => use_cases::outcome(&runs),
        8 => audio::outcome(&runs),
        _ => None,
    }
}

/// The step's own runs among `runs`, in the order [`batch_runs`] gives
/// them on the step's own query: each model, workload and (when the step
/// fixes it) size, measured by Lanes. `None` when one is missing or out of
/// order, or another run of one of the step's models is there.
fn own_runs<'a>(lesson: &Lesson, runs: &[&'a Trace]) -> Option<Vec<&'a Trace>> {
    let own = batch_runs(Some(lesson), &parse_query(lesson.query).0);
    let mut wanted = own.iter().peekable();
    let mut found = Vec::with_capacity(own.len());
    // What CPython recorded stands beside the step's runs (see
    // `super::python`): it is none of them, and takes none's place.
    for &t in runs.iter().filter(|t| !super::python::recorded(t)) {
        // An imported trace (no metadata) is none of the step's runs.
        let s = t.meta().map(|m| &m.scenario);
        let is = |r: &Run| {
            s.is_some_and(|s| {
                s.model == r.model
                    && s.workload == r.workload
                    && r.size.is_none_or(|size| size == s.size)
            }) && t.makespan_us() > 0.0
        };
        if wanted.next_if(|r| is(r)).is_some() {
            found.push(t);
        } else if s.is_some_and(|s| own.iter().any(|r| r.model == s.model)) {
            return None;
        }
    }
    wanted.peek().is_none().then_some(found)
}

//! Whether a step's prediction held: the step's claims checked against the
//! traces of its batch, and the figures that decide its question.
//!
//! Each step has a module of its own that reads its runs (in plan order)
//! and bins the measured figures into one of its choices. The bins compare
//! like with like (a speedup with the cores the run could use, a loss with
//! the count it should have reached), so they make sense on any machine,
//! live or simulated.

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

use lanes_trace::{Model, Trace, Workload};

use super::{Lesson, Runs};
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
pub fn evaluate(lesson: &Lesson, runs: &[&Trace]) -> Option<Outcome> {
    let plan = planned(lesson);
    let matches = runs.len() == plan.len()
        && runs.iter().zip(&plan).all(|(t, &(model, workload, size))| {
            t.meta().is_some_and(|m| {
                let s = &m.scenario;
                s.model == model && s.workload == workload && size.is_none_or(|size| size == s.size)
            }) && t.makespan_us() > 0.0
        });
    if !matches {
        return None;
    }
    match lesson.number {
        1 => why::outcome(runs),
        2 => process::outcome(runs),
        3 => thread::outcome(runs),
        4 => gil::outcome(runs),
        5 => versus::outcome(runs),
        6 => pros_cons::outcome(runs),
        7 => use_cases::outcome(runs),
        _ => None,
    }
}

/// The runs a step's batch holds: model, workload and, when the step fixes
/// it, size. A step that runs the form's models takes them, and the
/// workload, from its own query.
fn planned(lesson: &Lesson) -> Vec<(Model, Workload, Option<u64>)> {
    match lesson.runs {
        Runs::List(list) => list.iter().map(|r| (r.model, r.workload, r.size)).collect(),
        Runs::Models => {
            let (form, _) = parse_query(lesson.query);
            form.models
                .iter()
                .map(|&m| (m, form.workload, None))
                .collect()
        }
    }
}

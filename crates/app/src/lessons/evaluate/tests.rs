//! The tour's content and checks: every step is there in order with a
//! scenario the URL reads without a notice, and each step's batch, simulated
//! on a laptop, bears out every claim its text makes.

mod bins;
mod content;
mod honest;
mod simulated;

use lanes_sim::{CostModel, Options, simulate};
use lanes_trace::{Scenario, Trace};

use super::{Outcome, evaluate};
use crate::lessons::Lesson;
use crate::state::scenarios;
use crate::testing::hand_built;
use crate::url::parse_query;

/// The scenarios of `step`'s batch as the page plans them on the step's
/// own query.
fn plan(step: &Lesson) -> Vec<Scenario> {
    let (form, notices) = parse_query(step.query);
    assert_eq!(notices, Vec::<String>::new(), "step {}", step.number);
    scenarios(Some(step), &form)
}

/// `step`'s batch simulated with the reference laptop's costs.
fn simulated(step: &Lesson, cores: u32, seed: u64) -> Vec<Trace> {
    plan(step)
        .iter()
        .map(|s| simulate(s, &CostModel::reference(), &Options { cores, seed }).unwrap())
        .collect()
}

fn outcome_of(step: &Lesson, traces: &[Trace]) -> Option<Outcome> {
    let runs: Vec<&Trace> = traces.iter().collect();
    evaluate(step, &runs)
}

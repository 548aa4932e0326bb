//! The tour's content and checks: every step is there in order with a
//! scenario the URL reads without a notice, and each step's batch, simulated
//! on a laptop, bears out every claim its text makes.

mod bins;
mod content;
mod honest;
mod simulated;

use lanes_sim::{CostModel, Options, simulate};
use lanes_trace::{Lane, LaneKind, Meta, Mode, Model, Scenario, Span, State, Trace, Workload};

use super::{Outcome, evaluate};
use crate::lessons::{Lesson, Runs};
use crate::url::{TASKS, parse_query, size_rule};

/// The scenarios of `step`'s batch as the page plans them: the step's runs
/// (or its query's models) with k, the switch interval and the latency of
/// its query.
fn plan(step: &Lesson) -> Vec<Scenario> {
    let (form, notices) = parse_query(step.query);
    assert_eq!(notices, Vec::<String>::new(), "step {}", step.number);
    let runs: Vec<(Model, Workload, u64)> = match step.runs {
        Runs::List(list) => list
            .iter()
            .map(|r| {
                let size = r.size.unwrap_or(if r.workload == form.workload {
                    form.size
                } else {
                    size_rule(r.workload).default
                });
                (r.model, r.workload, size)
            })
            .collect(),
        Runs::Models => form
            .models
            .iter()
            .map(|&m| (m, form.workload, form.size))
            .collect(),
    };
    runs.into_iter()
        .map(|(model, workload, size)| {
            let k = if model == Model::Sequential {
                1
            } else {
                form.k
            };
            Scenario {
                interval_us: (form.interval_ms * 1000.0).round() as u32,
                latency_us: (form.latency_ms * 1000.0).round() as u32,
                ..Scenario::new(model, workload, k, size, TASKS)
            }
        })
        .collect()
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

/// A live-looking trace of `lanes` lanes of `kind` with spans
/// `(lane, state, start µs, end µs)`.
fn hand_built(
    scenario: Scenario,
    cores: u32,
    result: u64,
    lanes: &[LaneKind],
    spans: &[(u32, State, f64, f64)],
) -> Trace {
    let meta = Meta {
        scenario,
        mode: Mode::Live,
        cores,
        cross_origin_isolated: true,
        environment: "test".to_owned(),
        result: Some(result),
        seed: None,
    };
    let lanes = lanes
        .iter()
        .enumerate()
        .map(|(i, &kind)| Lane {
            kind,
            name: format!("Lane {i}"),
        })
        .collect();
    let spans = spans
        .iter()
        .map(|&(lane, state, start_us, end_us)| Span {
            lane,
            state,
            start_us,
            end_us,
            task: None,
        })
        .collect();
    Trace::new(meta, lanes, spans)
}

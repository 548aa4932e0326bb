//! Each step's batch, simulated with the reference laptop's costs, bears
//! out its claims and gives the answer a laptop would.

use lanes_sim::{CostModel, Options, simulate};
use lanes_trace::{Model, Scenario, Trace};

use super::{evaluate, outcome_of, plan, simulated};
use crate::lessons::LESSONS;
use crate::lessons::content::ids;

/// The answer each step's batch bears out, simulated on 4 virtual cores.
const ANSWERS_ON_4_CORES: [&str; 7] = [
    ids::why::PER_CORE,
    ids::process::SHORT,
    ids::thread::MANY,
    ids::gil::SAME,
    ids::versus::PROCESSES,
    ids::pros_cons::IN_STEP,
    ids::use_cases::PROCESSES_THEN_THREADS,
];

#[test]
fn simulated_batches_bear_out_every_claim() {
    for cores in [2, 4, 8] {
        for seed in 1..=4 {
            for l in &LESSONS {
                let n = l.number;
                let o = outcome_of(l, &simulated(l, cores, seed))
                    .unwrap_or_else(|| panic!("step {n}: no outcome"));
                assert!(
                    l.choices.iter().any(|c| c.id == o.answer),
                    "step {n}: {} is one of its choices",
                    o.answer
                );
                assert!(
                    (2..=4).contains(&o.claims.len()),
                    "step {n}: {:?}",
                    o.claims
                );
                for c in &o.claims {
                    assert!(c.holds, "step {n}, {cores} cores, seed {seed}: {}", c.text);
                }
                assert!(!o.summary.is_empty());
            }
        }
    }
}

#[test]
fn simulated_batches_on_four_cores_give_the_expected_answers() {
    for (l, want) in LESSONS.iter().zip(ANSWERS_ON_4_CORES) {
        let o = outcome_of(l, &simulated(l, 4, 1)).unwrap();
        assert_eq!(o.answer, want, "step {}: {}", l.number, o.summary);
    }
}

#[test]
fn a_two_core_laptop_gets_one_times_per_core_from_threads_but_not_processes() {
    let o = outcome_of(&LESSONS[0], &simulated(&LESSONS[0], 2, 1)).unwrap();
    assert_eq!(o.answer, ids::why::PER_CORE, "{}", o.summary);
    assert!(o.summary.contains("with 2 cores to use"), "{}", o.summary);
    let o = outcome_of(&LESSONS[1], &simulated(&LESSONS[1], 2, 1)).unwrap();
    assert_eq!(o.answer, ids::process::SHORT, "{}", o.summary);
}

#[test]
fn claims_state_the_measured_figures() {
    let step4 = &LESSONS[3];
    let o = outcome_of(step4, &simulated(step4, 4, 1)).unwrap();
    assert_eq!(
        o.claims[0].text,
        "Under the GIL no two threads were running at the same moment."
    );
    assert!(
        o.claims[1].text.starts_with("The GIL changed hands ")
            && o.claims[1]
                .text
                .contains("(the switch interval is 5.00 ms)"),
        "{}",
        o.claims[1].text
    );
    let step7 = &LESSONS[6];
    let o = outcome_of(step7, &simulated(step7, 4, 1)).unwrap();
    assert!(
        o.claims[1].text.contains("at least k/2 = 2"),
        "{}",
        o.claims[1].text
    );
}

#[test]
fn the_switch_interval_knob_moves_the_hand_offs_and_the_claim_follows() {
    let step4 = &LESSONS[3];
    for interval_us in [1_000, 20_000] {
        let traces: Vec<Trace> = plan(step4)
            .iter()
            .map(|s| {
                let s = Scenario { interval_us, ..*s };
                simulate(&s, &CostModel::reference(), &Options { cores: 4, seed: 1 }).unwrap()
            })
            .collect();
        let o = outcome_of(step4, &traces).unwrap();
        assert!(
            o.claims.iter().all(|c| c.holds),
            "{interval_us} µs: {:?}",
            o.claims
        );
        assert_eq!(o.answer, ids::gil::SAME);
    }
}

#[test]
fn incomplete_or_other_batches_have_no_outcome() {
    for l in &LESSONS {
        let traces = simulated(l, 4, 1);
        let runs: Vec<&Trace> = traces.iter().collect();
        assert!(evaluate(l, &[]).is_none(), "step {}", l.number);
        assert!(
            evaluate(l, &runs[..runs.len() - 1]).is_none(),
            "step {}",
            l.number
        );
        let mut swapped = runs.clone();
        swapped.reverse();
        assert!(
            evaluate(l, &swapped).is_none(),
            "step {}: out of order",
            l.number
        );
        let mut more = runs.clone();
        more.push(runs[0]);
        assert!(
            evaluate(l, &more).is_none(),
            "step {}: one too many",
            l.number
        );
    }
    // Another step's runs, or the same runs imported from a file.
    let step1 = simulated(&LESSONS[0], 4, 1);
    assert!(outcome_of(&LESSONS[3], &step1).is_none());
    let imported: Vec<Trace> = step1
        .into_iter()
        .map(|t| t.with_source(lanes_trace::Source::Imported(Default::default())))
        .collect();
    assert!(outcome_of(&LESSONS[0], &imported).is_none());
}

#[test]
fn a_step_that_fixes_its_sizes_wants_those_sizes() {
    let step6 = &LESSONS[5];
    let mut traces = simulated(step6, 4, 1);
    let s = Scenario {
        size: 3_000_000,
        ..traces[1].meta().unwrap().scenario
    };
    traces[1] = simulate(&s, &CostModel::reference(), &Options { cores: 4, seed: 1 }).unwrap();
    assert!(outcome_of(step6, &traces).is_none());
}

#[test]
fn io_bound_threads_beat_one_thread_by_at_least_half_of_k_whatever_k() {
    let step7 = &LESSONS[6];
    for k in [2, 8, 16] {
        let traces: Vec<Trace> = plan(step7)
            .iter()
            .map(|s| {
                let k = if s.model == Model::Sequential { 1 } else { k };
                let s = Scenario { k, ..*s };
                simulate(&s, &CostModel::reference(), &Options { cores: 2, seed: 3 }).unwrap()
            })
            .collect();
        let o = outcome_of(step7, &traces).unwrap();
        assert!(
            o.claims[1].holds
                && o.claims[1]
                    .text
                    .contains(&format!("at least k/2 = {}", f64::from(k) / 2.0)),
            "k={k}: {}",
            o.claims[1].text
        );
        assert!(o.claims.iter().all(|c| c.holds), "k={k}: {:?}", o.claims);
    }
}

#[test]
fn a_model_ticked_besides_the_steps_own_keeps_the_step_checked() {
    // The page plans with the one rule for a batch; the check reads the
    // step's own runs from it and passes over the extra one.
    let step1 = &LESSONS[0];
    let (mut form, _) = crate::url::parse_query(step1.query);
    form.models = vec![Model::Sequential, Model::Gil, Model::Free];
    let traces: Vec<Trace> = crate::state::scenarios(Some(step1), &form)
        .iter()
        .map(|s| simulate(s, &CostModel::reference(), &Options { cores: 4, seed: 1 }).unwrap())
        .collect();
    assert_eq!(traces.len(), 3);
    let own = [traces[0].clone(), traces[2].clone()];
    assert_eq!(outcome_of(step1, &traces), outcome_of(step1, &own));
    assert!(outcome_of(step1, &traces).is_some());
}

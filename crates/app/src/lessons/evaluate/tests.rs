//! The tour's content and checks: every step is there in order with a
//! scenario the URL reads without a notice, and each step's batch, simulated
//! on a laptop, bears out every claim its text makes.

use lanes_sim::{CostModel, Options, simulate};
use lanes_trace::{Lane, LaneKind, Meta, Mode, Model, Scenario, Span, State, Trace, Workload};

use super::{Outcome, evaluate};
use crate::lessons::content::ids;
use crate::lessons::{LESSONS, Lesson, Runs, lesson};
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

#[test]
fn seven_steps_in_the_course_order() {
    let numbers: Vec<u32> = LESSONS.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
    for n in 1..=7 {
        assert_eq!(lesson(n).map(|l| l.number), Some(n));
    }
    assert!(lesson(0).is_none() && lesson(8).is_none());
    let slides: Vec<&str> = LESSONS.iter().map(|l| l.slide).collect();
    assert_eq!(
        slides,
        [
            "Why bothering with threading / multiprocessing?",
            "What's a process?",
            "What's a thread?",
            "Global Interpreter Lock (GIL)",
            "Multiprocessing vs threads",
            "Multiprocessing pros and cons",
            "Use cases",
        ]
    );
}

#[test]
fn every_step_has_its_parts() {
    for l in &LESSONS {
        let n = l.number;
        assert!(!l.title.is_empty() && !l.question.is_empty(), "step {n}");
        assert!(
            (2..=3).contains(&l.text.len()),
            "step {n}: {} paragraphs",
            l.text.len()
        );
        assert!((3..=4).contains(&l.choices.len()), "step {n}");
        assert!(!l.notice.is_empty(), "step {n}");
        let mut ids: Vec<&str> = l.choices.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            l.choices.len(),
            "step {n}: choice ids are unique"
        );
        for c in l.choices {
            assert!(
                !c.id.is_empty() && c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "step {n}: {:?} is a stable name",
                c.id
            );
            assert!(!c.label.is_empty(), "step {n}");
        }
        for p in l.text.iter().chain(l.notice) {
            assert!(!p.contains('<'), "step {n}: no HTML in {p:?}");
        }
    }
}

#[test]
fn queries_read_without_notices_and_batches_are_small() {
    for l in &LESSONS {
        let (form, notices) = parse_query(l.query);
        assert_eq!(
            notices,
            Vec::<String>::new(),
            "step {}: {}",
            l.number,
            l.query
        );
        assert!(
            !form.run && !form.sim,
            "step {}: a step neither runs nor simulates by itself",
            l.number
        );
        let runs = plan(l).len();
        assert!((1..=5).contains(&runs), "step {}: {runs} runs", l.number);
    }
}

#[test]
fn every_batch_takes_a_second_or_two_on_a_two_core_laptop() {
    for l in &LESSONS {
        let total_ms: f64 = simulated(l, 2, 1).iter().map(Trace::makespan_ms).sum();
        assert!(total_ms < 2_000.0, "step {}: {total_ms:.0} ms", l.number);
    }
}

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
        .map(|t| t.with_origin(lanes_trace::Origin::Imported { tool: None }))
        .collect();
    assert!(outcome_of(&LESSONS[0], &imported).is_none());
}

#[test]
fn a_step_that_fixes_its_sizes_wants_those_sizes() {
    let step6 = &LESSONS[5];
    let mut traces = simulated(step6, 4, 1);
    let s = Scenario {
        size: 3_000_000,
        ..traces[1].meta.scenario
    };
    traces[1] = simulate(&s, &CostModel::reference(), &Options { cores: 4, seed: 1 }).unwrap();
    assert!(outcome_of(step6, &traces).is_none());
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
        result,
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

#[test]
fn a_noisy_machine_gets_honest_claims() {
    use LaneKind::{Gil, Thread};
    use State::{GilWait, Running};
    let scenario = |model, k| Scenario::new(model, Workload::Primes, k, 5_000_000, TASKS);
    let seq = hand_built(
        scenario(Model::Sequential, 1),
        2,
        0,
        &[Thread],
        &[(0, Running, 0.0, 340_000.0)],
    );
    // Two "GIL" threads that overlapped for 1 ms: the claim must not hold,
    // and must say so with the figure.
    let gil = hand_built(
        scenario(Model::Gil, 2),
        2,
        0,
        &[Thread, Thread, Gil],
        &[
            (0, Running, 0.0, 171_000.0),
            (1, GilWait, 0.0, 170_000.0),
            (1, Running, 170_000.0, 345_000.0),
            (2, Running, 0.0, 345_000.0),
        ],
    );
    // Free threads that never overlapped: no faster than one.
    let free = hand_built(
        scenario(Model::Free, 2),
        2,
        0,
        &[Thread, Thread],
        &[
            (0, Running, 0.0, 170_000.0),
            (1, Running, 170_000.0, 340_000.0),
        ],
    );
    let o = evaluate(&LESSONS[3], &[&seq, &gil, &free]).unwrap();
    assert_eq!(o.answer, ids::gil::SAME);
    assert!(!o.claims[0].holds);
    assert_eq!(
        o.claims[0].text,
        "Under the GIL, up to 2 threads were running at the same moment (1.00 ms in all)."
    );
    assert!(
        !o.claims[1].holds,
        "no hand-offs recorded: {}",
        o.claims[1].text
    );
    assert!(!o.claims[3].holds, "{}", o.claims[3].text);
    // The same free threads in step 1: no faster, and no overlap.
    let o = evaluate(&LESSONS[0], &[&seq, &free]).unwrap();
    assert_eq!(o.answer, ids::why::NO_FASTER);
    assert_eq!(
        o.claims.iter().filter(|c| c.holds).count(),
        1,
        "{:?}",
        o.claims
    );
}

#[test]
fn a_counter_that_lost_nothing_says_so() {
    let counter = |workload, result| {
        hand_built(
            Scenario::new(Model::Free, workload, 4, 1_000_000, TASKS),
            1,
            result,
            &[LaneKind::Thread],
            &[(0, State::Running, 0.0, 2_000.0)],
        )
    };
    let (racy, locked) = (
        counter(Workload::Counter, 1_000_000),
        counter(Workload::CounterLocked, 1_000_000),
    );
    let o = evaluate(&LESSONS[2], &[&racy, &locked]).unwrap();
    assert_eq!(o.answer, ids::thread::NONE);
    assert!(!o.claims[0].holds);
    assert!(
        o.claims[0].text.starts_with("Without a lock, 0 of 1"),
        "{}",
        o.claims[0].text
    );
    assert!(o.claims[1].holds);
    let racy = counter(Workload::Counter, 999_990);
    let o = evaluate(&LESSONS[2], &[&racy, &locked]).unwrap();
    assert_eq!(o.answer, ids::thread::FEW);
    assert!(o.claims[0].holds, "{}", o.claims[0].text);
}

#[test]
fn predictions_are_binned_against_the_machine() {
    use super::{gil, process, pros_cons, thread, use_cases, versus, why};
    // Step 1: the speedup against the cores the threads could use.
    assert_eq!(why::answer(1.0, 2), ids::why::NO_FASTER);
    assert_eq!(why::answer(1.4, 2), ids::why::SOME);
    assert_eq!(why::answer(1.85, 2), ids::why::PER_CORE);
    assert_eq!(why::answer(1.85, 4), ids::why::SOME);
    assert_eq!(why::answer(3.8, 4), ids::why::PER_CORE);
    assert_eq!(
        why::answer(0.98, 1),
        ids::why::PER_CORE,
        "one core: 1× is all there is"
    );
    // Step 2: processes against one thread.
    assert_eq!(process::answer(0.7, 4), ids::process::THREAD);
    assert_eq!(process::answer(1.5, 2), ids::process::SHORT);
    assert_eq!(process::answer(1.9, 2), ids::process::FULL);
    // Step 3: the share of lost updates.
    assert_eq!(thread::answer(0, 1_000_000), ids::thread::NONE);
    assert_eq!(thread::answer(9_999, 1_000_000), ids::thread::FEW);
    assert_eq!(thread::answer(10_000, 1_000_000), ids::thread::MANY);
    // Step 4: the GIL threads' speedup.
    assert_eq!(gil::answer(0.5), ids::gil::SLOWER);
    assert_eq!(gil::answer(0.97), ids::gil::SAME);
    assert_eq!(gil::answer(1.9), ids::gil::FASTER);
    // Step 5: processes against GIL threads.
    assert_eq!(versus::answer(0.7), ids::versus::THREADS);
    assert_eq!(versus::answer(1.1), ids::versus::TIE);
    assert_eq!(versus::answer(0.85), ids::versus::TIE);
    assert_eq!(versus::answer(1.5), ids::versus::PROCESSES);
    // Step 6: the copy-in time's growth for 4× the data.
    assert_eq!(pros_cons::answer(1.1, 4.0), ids::pros_cons::FLAT);
    assert_eq!(pros_cons::answer(2.0, 4.0), ids::pros_cons::SLOWER);
    assert_eq!(pros_cons::answer(3.9, 4.0), ids::pros_cons::IN_STEP);
    assert_eq!(pros_cons::answer(8.0, 4.0), ids::pros_cons::FASTER);
    // Step 7: which wins where.
    assert_eq!(
        use_cases::answer(1.6, 3.9),
        ids::use_cases::PROCESSES_THEN_THREADS
    );
    assert_eq!(use_cases::answer(0.9, 3.9), ids::use_cases::THREADS_BOTH);
    assert_eq!(use_cases::answer(1.6, 1.0), ids::use_cases::PROCESSES_ONLY);
    assert_eq!(use_cases::answer(0.9, 1.0), ids::use_cases::THREADS_ONLY);
}

#[test]
fn every_bin_is_a_choice_of_its_step() {
    let bins: [&[&str]; 7] = [
        &[ids::why::NO_FASTER, ids::why::SOME, ids::why::PER_CORE],
        &[
            ids::process::THREAD,
            ids::process::SHORT,
            ids::process::FULL,
        ],
        &[ids::thread::NONE, ids::thread::FEW, ids::thread::MANY],
        &[ids::gil::SLOWER, ids::gil::SAME, ids::gil::FASTER],
        &[
            ids::versus::THREADS,
            ids::versus::TIE,
            ids::versus::PROCESSES,
        ],
        &[
            ids::pros_cons::FLAT,
            ids::pros_cons::SLOWER,
            ids::pros_cons::IN_STEP,
            ids::pros_cons::FASTER,
        ],
        &[
            ids::use_cases::PROCESSES_THEN_THREADS,
            ids::use_cases::THREADS_BOTH,
            ids::use_cases::PROCESSES_ONLY,
            ids::use_cases::THREADS_ONLY,
        ],
    ];
    for (l, bins) in LESSONS.iter().zip(bins) {
        let ids: Vec<&str> = l.choices.iter().map(|c| c.id).collect();
        assert_eq!(ids, bins, "step {}", l.number);
    }
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
fn warm_processes_do_not_claim_a_start_up() {
    use LaneKind::{Process, Thread, Ui};
    use State::{CopyIn, CopyOut, Running};
    let scenario = |model, k| Scenario::new(model, Workload::Primes, k, 5_000_000, TASKS);
    let seq = hand_built(
        scenario(Model::Sequential, 1),
        2,
        0,
        &[Thread],
        &[(0, Running, 0.0, 340_000.0)],
    );
    let warm = hand_built(
        scenario(Model::Processes, 2),
        2,
        0,
        &[Ui, Process, Process],
        &[
            (1, CopyIn, 0.0, 15_000.0),
            (1, Running, 15_000.0, 185_000.0),
            (1, CopyOut, 185_000.0, 186_000.0),
            (2, CopyIn, 15_000.0, 30_000.0),
            (2, Running, 30_000.0, 200_000.0),
            (2, CopyOut, 200_000.0, 201_000.0),
        ],
    );
    let o = evaluate(&LESSONS[1], &[&seq, &warm]).unwrap();
    assert_eq!(o.answer, ids::process::SHORT, "{}", o.summary);
    assert!(!o.claims[0].holds);
    assert_eq!(
        o.claims[0].text,
        "None of the 2 processes started up: they were kept warm from an earlier run."
    );
    assert!(o.claims[1].holds && o.claims[2].holds, "{:?}", o.claims);
}

//! Runs that do not show what the text says get claims that say what they
//! do show, and do not hold.

use lanes_trace::{LaneKind, Model, Scenario, State, Trace, Workload};

use super::{evaluate, hand_built};
use crate::lessons::LESSONS;
use crate::lessons::content::ids;
use crate::url::TASKS;

fn primes(model: Model, k: u32) -> Scenario {
    Scenario::new(model, Workload::Primes, k, 5_000_000, TASKS)
}

/// One thread counting primes for 340 ms.
fn sequential() -> Trace {
    let runs = [(0, State::Running, 0.0, 340_000.0)];
    hand_built(
        primes(Model::Sequential, 1),
        2,
        0,
        &[LaneKind::Thread],
        &runs,
    )
}

#[test]
fn a_noisy_machine_gets_honest_claims() {
    use LaneKind::{Gil, Thread};
    use State::{GilWait, Running};

    let seq = sequential();
    // Two "GIL" threads that overlapped for 1 ms: the claim must not hold,
    // and must say so with the figure.
    let gil = hand_built(
        primes(Model::Gil, 2),
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
        primes(Model::Free, 2),
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
fn warm_processes_do_not_claim_a_start_up() {
    use LaneKind::{Process, Ui};
    use State::{CopyIn, CopyOut, Running};

    let seq = sequential();
    let warm = hand_built(
        primes(Model::Processes, 2),
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

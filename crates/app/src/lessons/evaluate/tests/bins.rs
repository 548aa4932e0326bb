//! The bins that turn measured figures into a step's answer.

use crate::lessons::LESSONS;
use crate::lessons::content::ids;

#[test]
fn predictions_are_binned_against_the_machine() {
    use super::super::{gil, process, pros_cons, thread, use_cases, versus, why};
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
    // Step 6: start-up, flat against 4× the data. Firefox's noise in one CI
    // run (9.33, 12.2 and 6.12 ms) is flat; start-up in step with it is not.
    assert!(pros_cons::startup_flat([9_330.0, 12_200.0, 6_120.0], 4.0));
    assert!(pros_cons::startup_flat([10_000.0, 14_000.0, 19_000.0], 4.0));
    assert!(!pros_cons::startup_flat(
        [10_000.0, 20_000.0, 40_000.0],
        4.0
    ));
    assert!(!pros_cons::startup_flat([0.0, 10_000.0, 10_000.0], 4.0));
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

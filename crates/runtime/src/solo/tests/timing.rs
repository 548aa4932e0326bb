//! The GIL interleaved on one thread, in real time: turns about every
//! switch interval, I/O waits that overlap, the convoy effect and lost
//! updates. Bounds are loose: the tests share a small, busy machine.

use lanes_trace::EventKind;

use super::*;
use crate::mixed::Role;
use crate::testing::{assert_one_at_a_time, peak};
use crate::{io_time_us, lost_updates};

#[test]
fn cpu_bound_threads_change_hands_about_every_interval() {
    let _alone = alone();
    let s = Scenario {
        interval_us: 1_000,
        ..Scenario::new(Model::Gil, Workload::Primes, 4, 400_000, 16)
    };
    let t = solo(&s);
    assert_eq!(t.meta().unwrap().result, sequential_twin(&s));
    assert_one_at_a_time(&of_state(&t, State::Running), "running spans under the GIL");
    // Every thread waited for the GIL, and got it.
    for lane in 0..4 {
        let spans = t.lane_spans(lane);
        assert!(spans.iter().any(|s| s.state == State::GilWait), "{lane}");
        assert!(spans.iter().any(|s| s.state == State::Running), "{lane}");
    }
    let mut last_switch_us = 0.0;
    let (mut handoffs, mut forced) = (0, 0);
    for pair in t.events.windows(2) {
        if let (EventKind::ForcedSwitch { .. }, EventKind::Handoff { .. }) =
            (&pair[0].kind, &pair[1].kind)
        {
            forced += 1;
            // A waiter asks after one interval; the holder drops it at its
            // next step, well under a few ms later even unoptimised.
            let waited = pair[1].at_us - last_switch_us;
            assert!(
                (1_000.0..=30_000.0).contains(&waited),
                "handed over {waited} µs after the last change of hands"
            );
        }
        if let EventKind::Handoff { .. } = pair[1].kind {
            handoffs += 1;
            last_switch_us = pair[1].at_us;
        }
    }
    assert!(forced >= 4, "{forced} forced switches");
    assert!(handoffs >= 4, "{handoffs} hand-offs");
}

#[test]
fn requests_wait_together_under_the_gil() {
    let _alone = alone();
    // Eight requests of 20 ms and a small parse each.
    let base = Scenario {
        latency_us: 20_000,
        ..Scenario::new(Model::Gil, Workload::Io, 4, 4_000, 8)
    };
    let four = solo(&base);
    let one = solo(&Scenario { k: 1, ..base });
    for t in [&four, &one] {
        assert_eq!(t.meta().unwrap().result, sequential_twin(&base));
        assert_one_at_a_time(&of_state(t, State::Running), "running spans under the GIL");
        let waits = of_state(t, State::IoWait);
        assert_eq!(waits.len(), 8);
        assert!(waits.iter().all(|w| w.duration_us() >= 20_000.0));
    }
    let waits = of_state(&four, State::IoWait);
    assert!(peak(&waits) >= 2, "at most {} waits at once", peak(&waits));
    let overlapping = waits.iter().any(|a| {
        waits.iter().any(|b| {
            a.lane != b.lane && a.end_us.min(b.end_us) - a.start_us.max(b.start_us) > 10_000.0
        })
    });
    assert!(overlapping, "no two threads waited together");
    assert!(
        four.makespan_us() < 0.6 * one.makespan_us(),
        "4 threads took {} ms, 1 thread {} ms",
        four.makespan_ms(),
        one.makespan_ms()
    );
}

#[test]
fn the_io_thread_is_slower_beside_the_cpu_thread() {
    let _alone = alone();
    let s = Scenario {
        latency_us: 1_000,
        interval_us: 5_000,
        ..Scenario::new(Model::Gil, Workload::Mixed, 2, 1_000_000, 8)
    };
    let clock = MonotonicClock::new();
    let cancel = Cancel::new();
    let alone = run_python_threads(&s, &[Role::Io], &ThreadSleeper, &|threads, interval| {
        scheduler::run_interleaved(threads, interval, &clock, &ThreadSleeper, &cancel)
    })
    .unwrap()
    .into_trace(&s, &native());
    alone.validate().unwrap();
    let beside = solo(&s);
    assert_eq!(
        beside
            .lanes
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["CPU thread", "I/O thread", "GIL"]
    );
    let (alone_us, beside_us) = (io_time_us(&alone).unwrap(), io_time_us(&beside).unwrap());
    assert!(
        beside_us > 1.5 * alone_us,
        "the I/O thread took {beside_us} µs beside, {alone_us} µs alone"
    );
    // It waited for the GIL after its waits.
    assert!(
        beside
            .lane_spans(1)
            .iter()
            .any(|s| s.state == State::GilWait && s.duration_us() >= 1_000.0)
    );
}

#[test]
fn the_racy_counter_loses_updates_and_the_locked_one_none() {
    let _alone = alone();
    let counter = |workload| Scenario {
        interval_us: 100,
        ..Scenario::new(Model::Gil, workload, 4, 400_000, 4)
    };
    let racy = counter(Workload::Counter);
    let lost: Vec<u64> = (0..5)
        .map(|_| lost_updates(&solo(&racy)).unwrap())
        .take_while(|&lost| lost == 0)
        .collect();
    assert!(lost.len() < 5, "no update was lost in 5 runs");
    let locked = counter(Workload::CounterLocked);
    for _ in 0..3 {
        let t = solo(&locked);
        assert_eq!(lost_updates(&t), Some(0));
        assert!(t.events.len() > 4, "the threads took turns");
    }
}

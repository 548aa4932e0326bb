//! With clocks the test moves, the scheduler's choices are exact and
//! repeatable.

use std::sync::atomic::{AtomicU64, Ordering};

use lanes_trace::EventKind;

use super::*;

/// A clock that moves only when told to: by a sleep, or by `tick_us` at
/// every read.
#[derive(Debug, Default)]
struct FakeTime {
    bits: AtomicU64,
    tick_us: f64,
}

impl FakeTime {
    fn ticking(tick_us: f64) -> Self {
        Self {
            bits: AtomicU64::default(),
            tick_us,
        }
    }

    fn advance(&self, us: f64) -> f64 {
        let now = f64::from_bits(self.bits.load(Ordering::SeqCst));
        let later = now + us.max(0.0);
        self.bits.store(later.to_bits(), Ordering::SeqCst);
        now
    }
}

impl Clock for FakeTime {
    fn now_us(&self) -> f64 {
        self.advance(self.tick_us)
    }
}

#[test]
fn waits_overlap_and_the_scheduler_sleeps_to_the_earliest_wake_up() {
    let time = FakeTime::default();
    let slept = Mutex::new(Vec::new());
    let sleeper = |us: f64| {
        slept.lock().unwrap().push(us);
        time.advance(us);
    };
    // Two threads, four requests of 10 ms and a small parse: two rounds.
    let s = Scenario {
        latency_us: 10_000,
        ..Scenario::new(Model::Gil, Workload::Io, 2, 3_000, 4)
    };
    let t = run_solo(&s, &time, &sleeper, &native(), &Cancel::new()).unwrap();
    t.validate().unwrap();
    assert_eq!(t.meta().unwrap().result, sequential_twin(&s));
    assert_eq!(*slept.lock().unwrap(), [10_000.0, 10_000.0]);
    let waits: Vec<_> = of_state(&t, State::IoWait)
        .iter()
        .map(|s| (s.lane, s.task, s.start_us, s.end_us))
        .collect();
    assert_eq!(
        waits,
        [
            (0, Some(0), 0.0, 10_000.0),
            (0, Some(2), 10_000.0, 20_000.0),
            (1, Some(1), 0.0, 10_000.0),
            (1, Some(3), 10_000.0, 20_000.0),
        ]
    );
    // Each wake-up hands the GIL over; none is forced.
    let handoffs: Vec<_> = t.events.iter().map(|e| (e.at_us, e.kind.clone())).collect();
    let handoff = |from, to| EventKind::Handoff { from, to };
    assert_eq!(
        handoffs,
        [
            (0.0, handoff(None, 0)),
            (0.0, handoff(Some(0), 1)),
            (10_000.0, handoff(Some(1), 0)),
            (10_000.0, handoff(Some(0), 1)),
            (20_000.0, handoff(Some(1), 0)),
            (20_000.0, handoff(Some(0), 1)),
        ]
    );
}

/// When lane `lane` began the GIL wait it is in just before `at_us`.
fn waiting_since(t: &Trace, lane: u32, at_us: f64) -> Option<f64> {
    t.lane_spans(lane)
        .iter()
        .find(|s| s.state == State::GilWait && s.start_us < at_us && s.end_us >= at_us)
        .map(|s| s.start_us)
}

#[test]
fn with_a_ticking_clock_threads_take_turns_the_same_way_every_time() {
    let s = Scenario {
        interval_us: 200,
        ..Scenario::new(Model::Gil, Workload::Primes, 3, 60_000, 6)
    };
    let never = |_: f64| panic!("nothing waits");
    let trace = || {
        let time = FakeTime::ticking(25.0);
        run_solo(&s, &time, &never, &native(), &Cancel::new()).unwrap()
    };
    let t = trace();
    t.validate().unwrap();
    assert_eq!(t, trace());
    assert_eq!(t.meta().unwrap().result, sequential_twin(&s));
    // Turns in order: each forced switch goes to the thread that waited
    // longest, a switch interval after the last change of hands.
    let mut last_switch_us = 0.0;
    let mut forced = 0;
    for pair in t.events.windows(2) {
        if let (
            EventKind::ForcedSwitch { lane },
            EventKind::Handoff {
                from: Some(from),
                to,
            },
        ) = (&pair[0].kind, &pair[1].kind)
        {
            let (lane, from, to) = (*lane, *from, *to);
            forced += 1;
            assert_eq!(from, lane);
            let at_us = pair[1].at_us;
            let chosen = waiting_since(&t, to, at_us).unwrap();
            for other in (0..3).filter(|&o| o != to) {
                if let Some(since) = waiting_since(&t, other, at_us) {
                    assert!(since >= chosen, "{other} waited longer than {to}");
                }
            }
            let waited = at_us - last_switch_us;
            assert!((200.0..=300.0).contains(&waited), "{waited} µs");
        }
        if let EventKind::Handoff { .. } = pair[1].kind {
            last_switch_us = pair[1].at_us;
        }
    }
    assert!(forced >= 5, "{forced} forced switches");
}

//! The policy against what `Python/ceval_gil.c` does.

use proptest::prelude::*;

use super::*;
use lanes_trace::Span;

fn kinds(events: &[Option<Event>]) -> Vec<EventKind> {
    events.iter().flatten().map(|e| e.kind.clone()).collect()
}

#[test]
fn a_waiter_asks_after_a_slice_without_a_switch_and_the_holder_hands_over() {
    let mut gil = GilState::new(Handoff::LongestWaiter);
    let first = gil.take(0, 0.0);
    assert_eq!(
        first.handoff.map(|e| e.kind.clone()),
        Some(EventKind::Handoff { from: None, to: 0 })
    );
    assert_eq!(first.waited_since_us, None);
    // Thread 1 queues at 1 and waits one interval: no switch, so it asks.
    gil.want(1, 1.0, 1.0);
    assert!(!gil.may_take(1));
    let seen = gil.switch_number();
    assert!(gil.slice_ended(seen));
    assert!(!gil.slice_ended(seen), "asked once");
    // The holder sees the request at its next check and must await a switch.
    let dropped = gil.drop(0, 7.0, Release::Forced);
    assert!(dropped.await_switch && !gil.drop_requested());
    assert_eq!(
        dropped.holding,
        Holding {
            holder: 0,
            start_us: 0.0,
            end_us: 7.0
        }
    );
    assert!(!gil.switched_from(0));
    assert_eq!(gil.next_taker(), Some(1));
    let took = gil.take(1, 7.0);
    assert_eq!(took.waited_since_us, Some(1.0));
    assert!(gil.switched_from(0));
    assert_eq!(
        kinds(&[dropped.forced.clone(), took.handoff.clone()]),
        [
            EventKind::ForcedSwitch { lane: 0 },
            EventKind::Handoff {
                from: Some(0),
                to: 1
            }
        ]
    );
    assert_eq!(gil.switch_number(), 2);
}

#[test]
fn a_switch_during_the_slice_means_no_request() {
    let mut gil = GilState::new(Handoff::FirstAwake);
    gil.take(0, 0.0);
    gil.want(1, 0.0, 0.0);
    gil.want(2, 0.0, 0.0);
    let seen = gil.switch_number();
    gil.drop(0, 1.0, Release::Voluntary);
    assert_eq!(gil.next_taker(), None, "the OS picks");
    gil.take(2, 1.0);
    assert!(!gil.slice_ended(seen), "the lock changed hands meanwhile");
    assert!(gil.slice_ended(gil.switch_number()));
}

#[test]
fn voluntary_and_final_releases_record_no_forced_switch() {
    let mut gil = GilState::new(Handoff::LongestWaiter);
    gil.take(0, 0.0);
    gil.want(1, 0.0, 0.0);
    assert!(gil.slice_ended(gil.switch_number()));
    // Dropping for I/O while asked: no forced switch, but await the switch.
    let io = gil.drop(0, 2.0, Release::Voluntary);
    assert_eq!((io.forced, io.await_switch), (None, true));
    gil.take(1, 2.0);
    gil.want(0, 3.0, 3.0);
    assert!(gil.slice_ended(gil.switch_number()));
    let last = gil.drop(1, 4.0, Release::Final);
    assert_eq!((last.forced, last.await_switch), (None, false));
    // Retaking after one's own drop is no hand-off; a take answers requests.
    let mut alone = GilState::new(Handoff::LongestWaiter);
    alone.take(3, 0.0);
    alone.drop(3, 1.0, Release::Voluntary);
    assert_eq!(alone.take(3, 2.0).handoff, None);
    assert_eq!(
        gil_lane_span(
            9,
            &Holding {
                holder: 3,
                start_us: 1.0,
                end_us: 1.0
            }
        ),
        None
    );
}

#[test]
fn takes_never_go_back_before_the_last_drop_and_reservations_hold() {
    let mut gil = GilState::new(Handoff::LongestWaiter);
    gil.take(0, 0.0);
    gil.want(2, 3.0, 3.0);
    gil.want(1, 1.0, 1.0);
    gil.drop(0, 10.0, Release::Voluntary);
    assert_eq!(gil.reserve(), Some(1), "longest waiter first");
    assert!(!gil.may_take(2) && gil.may_take(1));
    assert_eq!(gil.take(1, 9.0).at_us, 10.0, "a clock a little behind");
    // A due waiter raises the request without timers.
    assert!(!gil.request_if_due(14.0, 5.0));
    assert!(gil.request_if_due(15.0, 5.0));
}

/// One move of a randomly driven GIL of `threads` threads.
#[derive(Clone, Debug)]
enum Move {
    /// Time passes.
    Wait(f64),
    /// The holder checks the eval breaker.
    Check,
    /// The holder goes to I/O (and wants the lock back at once).
    Io,
    /// A waiter's slice ends.
    Slice(u32),
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    prop::collection::vec(
        prop_oneof![
            (0.0_f64..5.0).prop_map(Move::Wait),
            Just(Move::Check),
            Just(Move::Io),
            (0_u32..4).prop_map(Move::Slice),
        ],
        1..200,
    )
}

proptest! {
    #[test]
    fn one_holder_holdings_apart_and_switches_only_when_asked(threads in 1_u32..5, moves in moves()) {
        let mut gil = GilState::new(Handoff::LongestWaiter);
        let mut now = 0.0;
        let mut holdings: Vec<Holding> = Vec::new();
        let mut asked = false;
        // The slice each waiter is in: the switch number when it began.
        let mut seen = vec![0_u64; threads as usize];
        for lane in 0..threads {
            gil.want(lane, 0.0, 0.0);
        }
        let mut awaiting: Option<u32> = None;
        let next = |gil: &mut GilState, now: f64, awaiting: &mut Option<u32>, seen: &mut [u64]| {
            if gil.holder().is_none() && let Some(lane) = gil.next_taker() {
                prop_assert!(gil.may_take(lane));
                let took = gil.take(lane, now);
                if let Some(dropper) = awaiting.take() {
                    prop_assert_ne!(dropper, lane, "a dropper never retakes before someone else");
                    gil.want(dropper, now, now);
                }
                for s in seen.iter_mut() {
                    *s = gil.switch_number();
                }
                prop_assert!(took.at_us >= now);
            }
            Ok(())
        };
        next(&mut gil, now, &mut awaiting, &mut seen)?;
        for m in moves {
            match m {
                Move::Wait(dt) => now += dt,
                Move::Slice(lane) if lane < threads && gil.holder() != Some(lane) => {
                    asked |= gil.slice_ended(seen[lane as usize]);
                    seen[lane as usize] = gil.switch_number();
                }
                Move::Check | Move::Io => {
                    let Some(holder) = gil.holder() else { continue };
                    let forced = matches!(m, Move::Check);
                    if forced && !gil.drop_requested() {
                        continue;
                    }
                    let how = if forced { Release::Forced } else { Release::Voluntary };
                    let d = gil.drop(holder, now, how);
                    prop_assert!(!forced || asked, "forced only after a slice without a switch");
                    prop_assert_eq!(d.forced.is_some(), forced);
                    asked = false;
                    holdings.push(d.holding);
                    if d.await_switch && gil.has_waiters() {
                        awaiting = Some(holder);
                    } else {
                        gil.want(holder, now, now);
                    }
                }
                Move::Slice(_) => {}
            }
            next(&mut gil, now, &mut awaiting, &mut seen)?;
        }
        for pair in holdings.windows(2) {
            prop_assert!(pair[0].end_us <= pair[1].start_us, "holdings overlap: {pair:?}");
        }
        let lane: Vec<Span> = holdings.iter().filter_map(|h| gil_lane_span(threads, h)).collect();
        prop_assert!(lane.iter().all(|s| s.lane == threads && s.task.is_none() && s.holder.is_some_and(|t| t < threads)));
    }
}

//! Who held the GIL, inferred from a trace of calls.
//!
//! The evidence: a Python-level event (a call's start or end) fires only
//! while its thread holds the GIL. So between two events next to each other
//! in time (no event of any thread between them):
//! - both of one thread A, which was running (not in a blocking call)
//!   between them: A held the GIL all along;
//! - of two threads A then B, both running between them: the GIL passed
//!   from A to B somewhere in the gap; the trace cannot say where, so the
//!   gap is split at its midpoint;
//! - A then B, only A running (B was blocked until its event, which fires
//!   once it has taken the GIL back): A held it all the gap; only B running
//!   (A blocked at its event and let the GIL go): B held it all the gap;
//! - neither running: the holder left no event at the edges (a long loop
//!   without calls, or a C function): it is the running thread seen most
//!   recently (its latest event is the latest), if any thread runs; else
//!   nobody held it.
//!
//! A gap longer than two switch intervals in which several threads run
//! leaves no evidence of who held the GIL inside it, only of its ends; there
//! the running threads take turns, one switch interval each, as CPython's
//! forced switch makes them: the first turn goes to the thread that held
//! the GIL at the gap's start (A, or the one seen most recently), the last
//! to B when B runs.
//!
//! A thread running where it is not the holder is waiting for the GIL
//! ([`super::gil::split_running`]).

use std::collections::BTreeSet;

use super::gil::exclusive;
use crate::Holding;

/// What a trace says of one thread of a process.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ThreadEvidence<'a> {
    /// Its lane.
    pub(crate) lane: u32,
    /// The times of its Python-level events, sorted.
    pub(crate) events: &'a [f64],
    /// Where it was running (in a call that does not block), sorted and never
    /// overlapping, as `(start, end)`. Their ends count as events too.
    pub(crate) running: &'a [(f64, f64)],
}

/// The holdings of the GIL of one process, sorted and never overlapping,
/// each within a running stretch of its holder.
pub(crate) fn infer_holdings(threads: &[ThreadEvidence<'_>], interval_us: f64) -> Vec<Holding> {
    // Each thread's events, with the ends of its running stretches.
    let mut all: Vec<(f64, usize)> = Vec::new();
    for (i, t) in threads.iter().enumerate() {
        all.extend(t.events.iter().map(|&at| (at, i)));
        all.extend(t.running.iter().flat_map(|&(s, e)| [(s, i), (e, i)]));
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.dedup();

    let mut next_stretch = vec![0_usize; threads.len()];
    let mut running = vec![false; threads.len()];
    let mut last_seen = vec![0_usize; threads.len()];
    // The running threads, by when each was last seen.
    let mut runners: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut holdings = Vec::new();
    for (k, &(at, i)) in all.iter().enumerate() {
        let stretches = threads[i].running;
        let p = &mut next_stretch[i];
        while stretches.get(*p).is_some_and(|&(_, end)| end <= at) {
            *p += 1;
        }
        runners.remove(&(last_seen[i], i));
        running[i] = stretches.get(*p).is_some_and(|&(start, _)| start <= at);
        last_seen[i] = k;
        if running[i] {
            runners.insert((k, i));
        }
        let Some(&(until, j)) = all.get(k + 1) else {
            break;
        };
        if until <= at {
            continue;
        }
        let mut hold = |who: usize, from: f64, to: f64| {
            holdings.push(Holding {
                holder: threads[who].lane,
                start_us: from,
                end_us: to,
            });
        };
        let first = if running[i] {
            Some(i)
        } else {
            runners.last().map(|&(_, who)| who)
        };
        let last = (i != j && running[j]).then_some(j);
        let long = until - at > 2.0 * interval_us && interval_us > 0.0;
        if long && runners.len() > 1 {
            // Turns, first to `first`, then the other runners (most recently
            // seen first), the last turn to `last`.
            let mut order: Vec<usize> = first.into_iter().collect();
            order.extend(
                runners
                    .iter()
                    .rev()
                    .map(|&(_, who)| who)
                    .filter(|w| Some(*w) != first),
            );
            let turns = ((until - at) / interval_us).ceil().max(1.0) as usize;
            for turn in 0..turns {
                let from = at + interval_us * turn as f64;
                let to = if turn + 1 == turns {
                    until
                } else {
                    (from + interval_us).min(until)
                };
                let who = match last {
                    Some(b) if turn + 1 == turns => b,
                    _ => order[turn % order.len()],
                };
                hold(who, from, to);
            }
            continue;
        }
        match (running[i], last) {
            (true, Some(b)) => {
                let mid = at + (until - at) / 2.0;
                hold(i, at, mid);
                hold(b, mid, until);
            }
            (true, None) => hold(i, at, until),
            (false, Some(b)) => hold(b, at, until),
            (false, None) => {
                if let Some(who) = first {
                    hold(who, at, until);
                }
            }
        }
    }
    exclusive(holdings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::gil::split_running;
    use crate::{Span, State};
    use proptest::prelude::*;

    fn evidence<'a>(lane: u32, events: &'a [f64], running: &'a [(f64, f64)]) -> ThreadEvidence<'a> {
        ThreadEvidence {
            lane,
            events,
            running,
        }
    }

    #[test]
    fn in_a_long_gap_without_events_the_runners_take_turns() {
        // Both compute from 0 to 20 with no call in between.
        let holdings = infer_holdings(
            &[
                evidence(0, &[0.0, 20.0], &[(0.0, 20.0)]),
                evidence(1, &[1.0, 20.0], &[(0.0, 20.0)]),
            ],
            5.0,
        );
        let got: Vec<_> = holdings
            .iter()
            .map(|h| (h.holder, h.start_us, h.end_us))
            .collect();
        // Thread 1 holds it between its events at 0 and 1; then four turns
        // from 1 to 20, the first to 1, the last to 0 (whose event ends the gap).
        assert_eq!(
            got,
            [
                (1, 0.0, 6.0),
                (0, 6.0, 11.0),
                (1, 11.0, 16.0),
                (0, 16.0, 20.0)
            ]
        );
    }

    #[test]
    fn two_computing_threads_take_turns_and_a_sleeper_lets_go() {
        // Threads 0 and 1 compute from 0 to 100 and call a function now and
        // then; thread 2 sleeps from 10 to 50 and computes after.
        let a = [0.0, 5.0, 30.0, 35.0, 100.0];
        let b = [0.0, 20.0, 25.0, 60.0, 100.0];
        let c = [0.0, 10.0, 50.0, 55.0];
        let holdings = infer_holdings(
            &[
                evidence(0, &a, &[(0.0, 100.0)]),
                evidence(1, &b, &[(0.0, 100.0)]),
                evidence(2, &c, &[(0.0, 10.0), (50.0, 55.0)]),
            ],
            100.0,
        );
        let got: Vec<_> = holdings
            .iter()
            .map(|h| (h.holder, h.start_us, h.end_us))
            .collect();
        assert_eq!(
            got,
            [
                (2, 0.0, 2.5),
                (0, 2.5, 7.5),
                (2, 7.5, 10.0),
                // Thread 2 sleeps: thread 1, waiting, takes over at once.
                (1, 10.0, 27.5),
                (0, 27.5, 50.0),
                (2, 50.0, 55.0),
                (1, 55.0, 80.0),
                (0, 80.0, 100.0),
            ]
        );
    }

    /// A thread's event times and running stretches.
    type Evidence = (Vec<f64>, Vec<(f64, f64)>);

    fn stretches(raw: &[(u32, u32)]) -> Vec<(f64, f64)> {
        let mut at = 0_u32;
        raw.iter()
            .map(|&(gap, len)| {
                let start = at + gap + 1;
                at = start + len + 1;
                (f64::from(start), f64::from(start + len + 1))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn one_holder_at_a_time_and_only_while_running(
            raw in prop::collection::vec(
                (prop::collection::vec((0_u32..20, 0_u32..30), 0..6),
                 prop::collection::vec(0_u32..300, 0..12)),
                1..5,
            ),
            interval in prop_oneof![Just(1000_u32), 1_u32..40],
        ) {
            let threads: Vec<Evidence> = raw
                .iter()
                .map(|(runs, events)| {
                    let mut events: Vec<f64> = events.iter().map(|&e| f64::from(e)).collect();
                    events.sort_by(f64::total_cmp);
                    (events, stretches(runs))
                })
                .collect();
            let evidence: Vec<_> = threads
                .iter()
                .enumerate()
                .map(|(i, (e, r))| evidence(u32::try_from(i).unwrap(), e, r))
                .collect();
            let holdings = infer_holdings(&evidence, f64::from(interval));
            for pair in holdings.windows(2) {
                prop_assert!(pair[0].end_us <= pair[1].start_us, "{:?}", pair);
            }
            for h in &holdings {
                prop_assert!(h.start_us < h.end_us);
                let (_, runs) = &threads[h.holder as usize];
                prop_assert!(
                    runs.iter().any(|&(s, e)| s <= h.start_us && h.end_us <= e),
                    "{:?} outside {:?}", h, runs
                );
            }
            // Between two events of one running thread with no other event
            // between them, that thread holds the GIL (when no turns are
            // taken there).
            let mut all: Vec<(f64, usize)> = Vec::new();
            for (i, (e, r)) in threads.iter().enumerate() {
                all.extend(e.iter().map(|&t| (t, i)));
                all.extend(r.iter().flat_map(|&(s, e)| [(s, i), (e, i)]));
            }
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            all.dedup();
            for pair in all.windows(2) {
                let ((t1, a), (t2, b)) = (pair[0], pair[1]);
                let runs = &threads[a].1;
                let turns = t2 - t1 > 2.0 * f64::from(interval) && threads.iter().enumerate()
                    .filter(|(k, _)| *k != a)
                    .any(|(_, (_, r))| r.iter().any(|&(s, e)| s <= t1 && t2 <= e));
                if a == b && !turns && t2 > t1 && runs.iter().any(|&(s, e)| s <= t1 && t2 <= e) {
                    prop_assert!(
                        holdings.iter().any(|h| h.holder as usize == a
                            && h.start_us <= t1 && t2 <= h.end_us),
                        "thread {} between {} and {}", a, t1, t2
                    );
                }
            }
            // Running and waiting for the GIL cover exactly the running stretches.
            for (i, (_, runs)) in threads.iter().enumerate() {
                let spans: Vec<Span> = runs.iter().map(|&(s, e)| Span {
                    lane: u32::try_from(i).unwrap(),
                    state: State::Running,
                    start_us: s,
                    end_us: e,
                    task: None,
                    holder: None,
                }).collect();
                let own: Vec<Holding> = holdings
                    .iter()
                    .filter(|h| h.holder as usize == i)
                    .copied()
                    .collect();
                let pieces = split_running(&spans, &own);
                let total: f64 = pieces.iter().map(|(p, _)| p.duration_us()).sum();
                let want: f64 = runs.iter().map(|&(s, e)| e - s).sum();
                prop_assert!((total - want).abs() < 1e-9);
                for pair in pieces.windows(2) {
                    prop_assert!(pair[0].0.end_us <= pair[1].0.start_us);
                }
                let held: f64 = pieces
                    .iter()
                    .filter(|(p, _)| p.state == State::Running)
                    .map(|(p, _)| p.duration_us())
                    .sum();
                let own_total: f64 = own.iter().map(|h| h.end_us - h.start_us).sum();
                prop_assert!((held - own_total).abs() < 1e-9);
            }
        }
    }
}

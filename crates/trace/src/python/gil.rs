//! A GIL lane from what each thread of one process did: who held the lock,
//! when, and which running time was really a wait for it. The inference
//! ([`super::infer`]), per4m's traced holdings and the recorder's measured
//! states all end here.

use crate::{Holding, Span, State};

/// Holdings that never overlap, from holdings that may (two measured
/// running spans of two threads can overlap by a clock's error, two traced
/// holdings by a probe's): sorted by start, a holding that starts before
/// the previous one ends starts at that end instead, and one left with no
/// length is dropped. Touching holdings of one holder are joined.
pub(crate) fn exclusive(mut holdings: Vec<Holding>) -> Vec<Holding> {
    holdings.sort_by(|a, b| {
        a.start_us
            .total_cmp(&b.start_us)
            .then(a.end_us.total_cmp(&b.end_us))
            .then(a.holder.cmp(&b.holder))
    });
    let mut out: Vec<Holding> = Vec::with_capacity(holdings.len());
    for mut h in holdings {
        if let Some(last) = out.last_mut() {
            h.start_us = h.start_us.max(last.end_us);
            if h.end_us <= h.start_us {
                continue;
            }
            if last.holder == h.holder && last.end_us == h.start_us {
                last.end_us = h.end_us;
                continue;
            }
        } else if h.end_us <= h.start_us {
            continue;
        }
        out.push(h);
    }
    out
}

/// Splits a thread's running spans (sorted, never overlapping) by its own
/// holdings (sorted, never overlapping): running where it held the GIL,
/// waiting for it ([`State::GilWait`]) where it did not. Each piece keeps
/// the index of the span it came from. Spans of other states pass through.
pub(crate) fn split_running(spans: &[Span], held: &[Holding]) -> Vec<(Span, usize)> {
    let mut out = Vec::with_capacity(spans.len());
    let mut h = 0;
    for (index, s) in spans.iter().enumerate() {
        if s.state != State::Running {
            out.push((*s, index));
            continue;
        }
        while held.get(h).is_some_and(|x| x.end_us <= s.start_us) {
            h += 1;
        }
        let mut cursor = s.start_us;
        let mut k = h;
        while let Some(x) = held.get(k)
            && x.start_us < s.end_us
        {
            let (from, to) = (x.start_us.max(s.start_us), x.end_us.min(s.end_us));
            if from > cursor {
                out.push((piece(s, State::GilWait, cursor, from), index));
            }
            if to > from {
                out.push((piece(s, State::Running, from, to), index));
            }
            cursor = cursor.max(to);
            if x.end_us > s.end_us {
                break;
            }
            k += 1;
        }
        if s.end_us > cursor {
            out.push((piece(s, State::GilWait, cursor, s.end_us), index));
        }
        h = k;
    }
    out
}

fn piece(s: &Span, state: State, start_us: f64, end_us: f64) -> Span {
    Span {
        state,
        start_us,
        end_us,
        ..*s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(holder: u32, start_us: f64, end_us: f64) -> Holding {
        Holding {
            holder,
            start_us,
            end_us,
        }
    }

    fn span(state: State, start_us: f64, end_us: f64) -> Span {
        Span {
            lane: 0,
            state,
            start_us,
            end_us,
            task: None,
            holder: None,
        }
    }

    #[test]
    fn overlapping_holdings_are_cut_and_touching_ones_joined() {
        let got = exclusive(vec![
            held(1, 5.0, 12.0),
            held(0, 0.0, 10.0),
            held(0, 12.0, 15.0),
            held(0, 15.0, 16.0),
            held(2, 1.0, 9.0),
        ]);
        assert_eq!(
            got,
            [held(0, 0.0, 10.0), held(1, 10.0, 12.0), held(0, 12.0, 16.0)]
        );
        let spans: Vec<Span> = got
            .iter()
            .filter_map(|h| crate::gil_lane_span(3, h))
            .collect();
        assert!(spans.iter().all(|s| s.lane == 3 && s.task.is_none()));
        assert_eq!(spans[1].holder, Some(1));
    }

    #[test]
    fn running_splits_into_running_and_waiting_for_the_gil() {
        let spans = [
            span(State::Running, 0.0, 10.0),
            span(State::IoWait, 10.0, 20.0),
            span(State::Running, 20.0, 30.0),
        ];
        let held = [held(0, 2.0, 4.0), held(0, 6.0, 12.0), held(0, 25.0, 40.0)];
        let got: Vec<_> = split_running(&spans, &held)
            .into_iter()
            .map(|(s, i)| (s.state, s.start_us, s.end_us, i))
            .collect();
        assert_eq!(
            got,
            [
                (State::GilWait, 0.0, 2.0, 0),
                (State::Running, 2.0, 4.0, 0),
                (State::GilWait, 4.0, 6.0, 0),
                (State::Running, 6.0, 10.0, 0),
                (State::IoWait, 10.0, 20.0, 1),
                (State::GilWait, 20.0, 25.0, 2),
                (State::Running, 25.0, 30.0, 2),
            ]
        );
    }
}

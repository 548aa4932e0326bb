//! From the slices of one thread to its call stack (each slice a [`Call`]
//! with its depth) and to the states its calls imply: running, or waiting
//! where the innermost call blocks (see [`super::blocking`]).

use crate::{Call, State};

/// A slice of one thread, before its depth is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Slice {
    pub(crate) start_us: f64,
    pub(crate) end_us: f64,
    /// Index into the names of the calls.
    pub(crate) name: u32,
}

/// A stretch of one state that the calls imply, inside one outermost call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Stretch {
    pub(crate) state: State,
    pub(crate) start_us: f64,
    pub(crate) end_us: f64,
    /// The name of the outermost call it lies in.
    pub(crate) root: u32,
    /// Which outermost call of the thread that is (1 for the first).
    pub(crate) root_serial: usize,
}

/// What [`nest`] made of one thread's slices.
#[derive(Debug, Default)]
pub(crate) struct Nested {
    /// The calls, in the order of their start.
    pub(crate) calls: Vec<Call>,
    /// The states the calls imply, in time order, never overlapping.
    pub(crate) stretches: Vec<Stretch>,
    /// Slices that ended after the slice they started in, cut at its end.
    pub(crate) clipped: usize,
    /// Slices nested deeper than a depth row can count, left out.
    pub(crate) too_deep: usize,
}

impl Nested {
    /// Adds the stretch from `from` to `to`, or lengthens the last one when
    /// it is of the same state and outermost call and ends at `from`.
    fn emit(&mut self, state: State, from: f64, to: f64, root: (u32, usize)) {
        if to <= from {
            return;
        }
        if let Some(last) = self.stretches.last_mut()
            && last.state == state
            && last.end_us == from
            && last.root_serial == root.1
        {
            last.end_us = to;
            return;
        }
        self.stretches.push(Stretch {
            state,
            start_us: from,
            end_us: to,
            root: root.0,
            root_serial: root.1,
        });
    }
}

/// Nests the slices of one thread (lane `lane`) as a stack: sorted by start
/// (the longer first among equal starts), each slice is a call inside the
/// latest call still open at its start, one level deeper. A slice that ends
/// after that call is cut at the call's end (and counted): a thread's stack
/// cannot hold a call that outlives its caller.
///
/// At each instant the innermost open call gives the state: `wait_of(name)`
/// when it blocks, [`State::Running`] otherwise; where no call is open there
/// is no stretch. Stretches are as long as they can be but never cross from
/// one outermost call into the next.
pub(crate) fn nest(
    lane: u32,
    slices: &mut [Slice],
    wait_of: &impl Fn(u32) -> Option<State>,
) -> Nested {
    slices.sort_by(|a, b| {
        a.start_us
            .total_cmp(&b.start_us)
            .then(b.end_us.total_cmp(&a.end_us))
    });
    let mut out = Nested {
        calls: Vec::with_capacity(slices.len()),
        ..Nested::default()
    };
    // The open calls: their end and the state while each is innermost.
    let mut open: Vec<(f64, State)> = Vec::new();
    let mut root = (0_u32, 0_usize);
    let mut cursor = f64::NEG_INFINITY;
    for s in slices.iter() {
        while let Some(&(end, state)) = open.last()
            && end <= s.start_us
        {
            out.emit(state, cursor, end, root);
            cursor = end;
            open.pop();
        }
        if let Some(&(_, state)) = open.last() {
            out.emit(state, cursor, s.start_us, root);
        }
        cursor = s.start_us;
        let Ok(depth) = u16::try_from(open.len()) else {
            out.too_deep += 1;
            continue;
        };
        let mut end = s.end_us;
        if let Some(&(parent_end, _)) = open.last()
            && end > parent_end
        {
            end = parent_end;
            out.clipped += 1;
        }
        if depth == 0 {
            root = (s.name, root.1 + 1);
        }
        out.calls.push(Call {
            lane,
            depth,
            start_us: s.start_us,
            end_us: end,
            name: s.name,
        });
        open.push((end, wait_of(s.name).unwrap_or(State::Running)));
    }
    while let Some((end, state)) = open.pop() {
        out.emit(state, cursor, end, root);
        cursor = cursor.max(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slice(start_us: f64, end_us: f64, name: u32) -> Slice {
        Slice {
            start_us,
            end_us,
            name,
        }
    }

    /// Name 9 blocks on I/O, name 8 on a lock; the others compute.
    fn wait_of(name: u32) -> Option<State> {
        match name {
            9 => Some(State::IoWait),
            8 => Some(State::LockWait),
            _ => None,
        }
    }

    #[test]
    fn nests_clips_and_reads_the_states() {
        let mut slices = [
            slice(0.0, 100.0, 0),
            slice(10.0, 20.0, 9),
            slice(30.0, 40.0, 1),
            slice(32.0, 38.0, 8),
            slice(90.0, 110.0, 2),
            slice(100.0, 105.0, 3),
            slice(105.0, 105.0, 4),
        ];
        let n = nest(7, &mut slices, &wait_of);
        let calls: Vec<_> = n
            .calls
            .iter()
            .map(|c| (c.depth, c.start_us, c.end_us, c.name))
            .collect();
        assert_eq!(
            calls,
            [
                (0, 0.0, 100.0, 0),
                (1, 10.0, 20.0, 9),
                (1, 30.0, 40.0, 1),
                (2, 32.0, 38.0, 8),
                (1, 90.0, 100.0, 2),
                (0, 100.0, 105.0, 3),
                (0, 105.0, 105.0, 4),
            ]
        );
        assert!(n.calls.iter().all(|c| c.lane == 7));
        assert_eq!(n.clipped, 1);
        let stretches: Vec<_> = n
            .stretches
            .iter()
            .map(|s| (s.state, s.start_us, s.end_us, s.root))
            .collect();
        assert_eq!(
            stretches,
            [
                (State::Running, 0.0, 10.0, 0),
                (State::IoWait, 10.0, 20.0, 0),
                (State::Running, 20.0, 32.0, 0),
                (State::LockWait, 32.0, 38.0, 0),
                (State::Running, 38.0, 100.0, 0),
                (State::Running, 100.0, 105.0, 3),
            ]
        );
    }

    proptest! {
        #[test]
        fn calls_nest_and_stretches_cover_exactly_the_calls(
            raw in prop::collection::vec((0_u32..200, 0_u32..60, 0_u32..10), 0..60)
        ) {
            let mut slices: Vec<Slice> = raw
                .iter()
                .map(|&(s, d, n)| slice(f64::from(s), f64::from(s + d), n))
                .collect();
            let n = nest(0, &mut slices, &wait_of);
            prop_assert_eq!(n.calls.len(), slices.len());
            // Each row is free of overlaps, and each call lies in a call one
            // row up.
            let mut rows = n.calls.clone();
            rows.sort_by(crate::calls::call_order);
            for pair in rows.windows(2) {
                if pair[0].depth == pair[1].depth {
                    prop_assert!(pair[0].end_us <= pair[1].start_us, "{:?}", pair);
                }
            }
            for c in &n.calls {
                prop_assert!(c.start_us <= c.end_us);
                if c.depth > 0 {
                    prop_assert!(rows.iter().any(|p| p.depth + 1 == c.depth
                        && p.start_us <= c.start_us && c.end_us <= p.end_us));
                }
            }
            // The stretches never overlap and cover the outermost calls.
            for pair in n.stretches.windows(2) {
                prop_assert!(pair[0].end_us <= pair[1].start_us);
            }
            let covered: f64 = n.stretches.iter().map(|s| s.end_us - s.start_us).sum();
            let outer: f64 = n.calls.iter().filter(|c| c.depth == 0)
                .map(Call::duration_us).sum();
            prop_assert!((covered - outer).abs() < 1e-9, "{} {}", covered, outer);
        }
    }
}

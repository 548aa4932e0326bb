//! The GIL lane: whose colour each of its spans takes.

use lanes_trace::{Lane, LaneKind, Span, State, Trace};

use crate::lod::Fill;

/// Whether a span is drawn in its holder's colour: a running span on a GIL
/// lane whose task names the lane of the thread holding the lock.
pub(crate) fn is_holder_span(kind: LaneKind, span: &Span) -> bool {
    kind == LaneKind::Gil && span.state == State::Running && span.task.is_some()
}

/// The holder palette index of every lane: its rank among the lanes that
/// are not GIL lanes, so Thread 1, 2, 3… take the first colours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Holders(Vec<usize>);

impl Holders {
    pub fn new(lanes: &[Lane]) -> Self {
        let mut rank = 0;
        Self(
            lanes
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if l.kind == LaneKind::Gil {
                        i
                    } else {
                        rank += 1;
                        rank - 1
                    }
                })
                .collect(),
        )
    }

    /// The palette index of lane `holder`.
    pub fn index(&self, holder: u32) -> usize {
        let holder = holder as usize;
        self.0.get(holder).copied().unwrap_or(holder)
    }

    /// How a span of a lane of `kind` is filled.
    pub fn fill(&self, kind: LaneKind, span: &Span) -> Fill {
        match span.task {
            Some(holder) if is_holder_span(kind, span) => Fill::Holder(self.index(holder)),
            _ => Fill::State(span.state),
        }
    }
}

/// Whether some GIL lane of `trace` shows who held the lock.
pub(crate) fn has_holders(trace: &Trace) -> bool {
    (0_u32..).zip(&trace.lanes).any(|(i, l)| {
        l.kind == LaneKind::Gil
            && trace
                .lane_spans(i)
                .iter()
                .any(|s| is_holder_span(l.kind, s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_take_colours_in_order_around_the_gil() {
        let lanes = vec![
            Lane {
                kind: LaneKind::Gil,
                name: "GIL".to_owned(),
            },
            Lane::thread("Thread 1"),
            Lane::thread("Thread 2"),
        ];
        let holders = Holders::new(&lanes);
        assert_eq!(holders.index(1), 0);
        assert_eq!(holders.index(2), 1);
        assert_eq!(holders.index(0), 0);
        assert_eq!(holders.index(7), 7);
        let held = Span {
            lane: 0,
            state: State::Running,
            start_us: 0.0,
            end_us: 1.0,
            task: Some(2),
        };
        assert_eq!(holders.fill(LaneKind::Gil, &held), Fill::Holder(1));
        assert_eq!(
            holders.fill(LaneKind::Thread, &held),
            Fill::State(State::Running)
        );
    }
}

//! The GIL lane: whose colour each of its spans takes, and how the trace
//! knew who held the lock.

use lanes_trace::{Lane, LaneKind, Span, State, Trace};

use crate::lod::Fill;

/// The lane whose holder colour a span is drawn in: the thread holding the
/// lock, for a running span on a GIL lane.
pub(crate) fn held_by(span: &Span) -> Option<u32> {
    span.holder.filter(|_| span.state == State::Running)
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

    /// How a span is filled.
    pub fn fill(&self, span: &Span) -> Fill {
        held_by(span).map_or(Fill::State(span.state), |h| Fill::Holder(self.index(h)))
    }
}

/// The name lane `lane` of `trace` goes by on the canvas: its own, with a
/// tag for a GIL lane that was not Lanes' own lock, e.g. "GIL (inferred)".
pub(crate) fn lane_label(trace: &Trace, lane: &Lane) -> String {
    match trace.gil_evidence {
        Some(evidence) if lane.kind == LaneKind::Gil => {
            format!("{} ({})", lane.name, evidence.as_str())
        }
        _ => lane.name.clone(),
    }
}

/// Whether some GIL lane of `trace` shows who held the lock.
pub(crate) fn has_holders(trace: &Trace) -> bool {
    (0_u32..).zip(&trace.lanes).any(|(i, l)| {
        l.kind == LaneKind::Gil && trace.lane_spans(i).iter().any(|s| held_by(s).is_some())
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
            task: None,
            holder: Some(2),
        };
        assert_eq!(holders.fill(&held), Fill::Holder(1));
        let worked = Span {
            task: Some(2),
            holder: None,
            ..held
        };
        assert_eq!(holders.fill(&worked), Fill::State(State::Running));
    }
}

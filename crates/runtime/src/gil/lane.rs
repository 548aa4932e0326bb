//! The GIL lane: who held the lock, when.

use lanes_trace::{Span, State};

/// One running span on lane `gil_lane` per interval in which one thread held
/// the GIL, with `holder` set to the holder's lane, in time order.
///
/// Under the GIL only the holder runs, so the running spans of the thread
/// lanes are the holding intervals; a holder's touching spans (split at its
/// work items) merge into one.
pub fn gil_lane_spans(thread_spans: &[Span], gil_lane: u32) -> Vec<Span> {
    let mut running: Vec<&Span> = thread_spans
        .iter()
        .filter(|s| s.state == State::Running)
        .collect();
    running.sort_by(|a, b| {
        a.start_us
            .total_cmp(&b.start_us)
            .then(a.end_us.total_cmp(&b.end_us))
            .then(a.lane.cmp(&b.lane))
    });
    let mut held: Vec<Span> = Vec::new();
    for s in running {
        if let Some(last) = held.last_mut()
            && last.holder == Some(s.lane)
            && s.start_us <= last.end_us
        {
            last.end_us = last.end_us.max(s.end_us);
            continue;
        }
        held.push(Span {
            lane: gil_lane,
            state: State::Running,
            start_us: s.start_us,
            end_us: s.end_us,
            task: None,
            holder: Some(s.lane),
        });
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(lane: u32, state: State, start_us: f64, end_us: f64) -> Span {
        Span {
            lane,
            state,
            start_us,
            end_us,
            task: Some(9),
            holder: None,
        }
    }

    #[test]
    fn merges_a_holders_touching_spans_and_keeps_gaps() {
        let spans = [
            span(1, State::Running, 5.0, 8.0),
            span(0, State::Running, 0.0, 2.0),
            span(0, State::Running, 2.0, 5.0),
            span(1, State::GilWait, 0.0, 5.0),
            span(0, State::GilWait, 5.0, 8.0),
            span(0, State::Running, 8.0, 9.0),
            span(0, State::IoWait, 9.0, 12.0),
            span(0, State::Running, 12.0, 13.0),
        ];
        let gil = gil_lane_spans(&spans, 4);
        let got: Vec<_> = gil
            .iter()
            .map(|s| (s.lane, s.state, s.start_us, s.end_us, s.holder))
            .collect();
        assert_eq!(
            got,
            [
                (4, State::Running, 0.0, 5.0, Some(0)),
                (4, State::Running, 5.0, 8.0, Some(1)),
                (4, State::Running, 8.0, 9.0, Some(0)),
                (4, State::Running, 12.0, 13.0, Some(0)),
            ]
        );
    }
}

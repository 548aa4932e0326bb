//! Level of detail: turns the spans of one lane into at most about one
//! rectangle per pixel column, whatever the number of spans.

use lanes_trace::{Span, State};

/// Spans narrower than this many pixels merge with a touching neighbour of
/// the same state instead of getting their own outline.
const MIN_DISTINCT_PX: f64 = 4.0;

/// One rectangle to draw, in pixels from the left end of the time axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Segment {
    pub x0: f64,
    pub x1: f64,
    pub state: State,
    /// The task of a span drawn alone; `None` once spans were merged.
    pub task: Option<u32>,
}

impl Segment {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
}

/// The segments for `spans` (one lane's spans, in start order) on an axis
/// `width_px` pixels wide that shows `max_us` microseconds.
///
/// Spans narrower than a pixel are pooled per pixel column, and the column
/// takes the state that filled most of it; touching segments of one state
/// merge when either is too narrow to tell apart. The result holds at most
/// about two segments per pixel column.
pub(crate) fn segments(spans: &[Span], max_us: f64, width_px: f64) -> Vec<Segment> {
    let mut out = Vec::new();
    if !(max_us > 0.0 && width_px > 0.0) {
        return out;
    }
    let px_per_us = width_px / max_us;
    let mut column = Column::default();
    for span in spans {
        if !(span.start_us.is_finite() && span.end_us.is_finite()) {
            continue;
        }
        let x0 = (span.start_us * px_per_us).clamp(0.0, width_px);
        let x1 = (span.end_us * px_per_us).clamp(0.0, width_px);
        if x1 <= x0 {
            continue;
        }
        if x1 - x0 >= 1.0 {
            column.flush(&mut out);
            push(
                &mut out,
                Segment {
                    x0,
                    x1,
                    state: span.state,
                    task: span.task,
                },
            );
        } else {
            let index = x0.floor();
            if column.index != Some(index) {
                column.flush(&mut out);
                column.index = Some(index);
                column.x0 = x0;
            }
            column.x1 = column.x1.max(x1);
            column.time[state_index(span.state)] += x1 - x0;
        }
    }
    column.flush(&mut out);
    out
}

/// The narrow spans that started in one pixel column.
#[derive(Debug, Default)]
struct Column {
    index: Option<f64>,
    x0: f64,
    x1: f64,
    /// Pixels covered per state, in [`State::ALL`] order.
    time: [f64; State::ALL.len()],
}

impl Column {
    fn flush(&mut self, out: &mut Vec<Segment>) {
        if self.index.take().is_none() {
            return;
        }
        // The state that filled most of the column; ties go to the earlier
        // state in legend order, so the output does not depend on chance.
        let mut best = 0;
        for (i, &t) in self.time.iter().enumerate() {
            if t > self.time[best] {
                best = i;
            }
        }
        push(
            out,
            Segment {
                x0: self.x0,
                x1: self.x1,
                state: State::ALL[best],
                task: None,
            },
        );
        *self = Self::default();
    }
}

fn state_index(state: State) -> usize {
    State::ALL.iter().position(|&s| s == state).unwrap_or(0)
}

/// Appends `seg`, merging it into the last segment when both have the same
/// state, touch, and one of them is too narrow to be told apart.
fn push(out: &mut Vec<Segment>, seg: Segment) {
    if let Some(last) = out.last_mut()
        && last.state == seg.state
        && seg.x0 - last.x1 < 1.0
        && (last.width() < MIN_DISTINCT_PX || seg.width() < MIN_DISTINCT_PX)
    {
        last.x1 = last.x1.max(seg.x1);
        last.task = None;
        return;
    }
    out.push(seg);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(state: State, start_us: f64, end_us: f64, task: u32) -> Span {
        Span {
            lane: 0,
            state,
            start_us,
            end_us,
            task: Some(task),
        }
    }

    #[test]
    fn wide_spans_stay_apart_with_their_tasks() {
        let spans = [
            span(State::Running, 0.0, 50.0, 0),
            span(State::Running, 50.0, 100.0, 1),
        ];
        let segs = segments(&spans, 100.0, 100.0);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].task, Some(0));
        assert_eq!(segs[1].x0, 50.0);
    }

    #[test]
    fn many_tiny_spans_become_one_rectangle() {
        let spans: Vec<_> = (0..100_000)
            .map(|i| span(State::Running, f64::from(i), f64::from(i + 1), i))
            .collect();
        let segs = segments(&spans, 100_000.0, 1000.0);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].task, None);
        assert!((segs[0].x1 - 1000.0).abs() < 1e-6);
    }

    #[test]
    fn alternating_tiny_spans_stay_within_the_pixel_budget() {
        let spans: Vec<_> = (0..100_000)
            .map(|i| {
                let state = if i % 3 == 0 {
                    State::GilWait
                } else {
                    State::Running
                };
                span(state, f64::from(i), f64::from(i + 1), i)
            })
            .collect();
        let segs = segments(&spans, 100_000.0, 1000.0);
        assert!(segs.len() <= 1000, "{}", segs.len());
        // Running fills two thirds of every column, so it wins everywhere.
        assert!(segs.iter().all(|s| s.state == State::Running));
    }

    #[test]
    fn narrow_spans_merge_but_different_states_do_not() {
        let spans = [
            span(State::Running, 0.0, 2.0, 0),
            span(State::Running, 2.0, 4.0, 1),
            span(State::GilWait, 4.0, 6.0, 2),
        ];
        let segs = segments(&spans, 100.0, 100.0);
        assert_eq!(segs.len(), 2);
        assert_eq!((segs[0].x0, segs[0].x1, segs[0].task), (0.0, 4.0, None));
        assert_eq!(segs[1].state, State::GilWait);
    }

    #[test]
    fn broken_spans_and_ranges_are_skipped() {
        let spans = [
            span(State::Running, f64::NAN, 2.0, 0),
            span(State::Running, 5.0, 3.0, 1),
            span(State::Running, -10.0, 1000.0, 2),
        ];
        let segs = segments(&spans, 100.0, 100.0);
        assert_eq!(segs.len(), 1);
        assert_eq!((segs[0].x0, segs[0].x1), (0.0, 100.0));
        assert!(segments(&spans, 0.0, 100.0).is_empty());
    }
}

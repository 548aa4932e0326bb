//! Level of detail: turns the spans of one lane, or the calls of one row of
//! its stack, into at most about one rectangle per pixel column, whatever
//! their number, looking only at those inside the visible window.

use lanes_trace::{Call, Span, State};

use crate::palette::{CALL_TINTS, HOLDER_COLOURS};

/// Something drawn on a row of the timeline: a time interval. The items of
/// one row come in start order and never overlap.
pub(crate) trait Timed {
    fn start_us(&self) -> f64;
    fn end_us(&self) -> f64;
}

impl Timed for Span {
    fn start_us(&self) -> f64 {
        self.start_us
    }
    fn end_us(&self) -> f64 {
        self.end_us
    }
}

impl Timed for Call {
    fn start_us(&self) -> f64 {
        self.start_us
    }
    fn end_us(&self) -> f64 {
        self.end_us
    }
}

/// Spans narrower than this many pixels merge with a touching neighbour of
/// the same fill instead of getting their own outline.
const MIN_DISTINCT_PX: f64 = 4.0;

/// How a segment is filled: with the colour of a state or, on a GIL lane,
/// with the colour of the thread that held the lock; a call with the
/// neutral tint of its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fill {
    State(State),
    /// An index into the holder palette.
    Holder(usize),
    /// An index into the theme's call tints.
    Call(usize),
}

impl Fill {
    /// How many fills there are.
    const COUNT: usize = State::ALL.len() + HOLDER_COLOURS + CALL_TINTS;

    fn index(self) -> usize {
        match self {
            Self::State(s) => State::ALL.iter().position(|&x| x == s).unwrap_or(0),
            Self::Holder(i) => State::ALL.len() + i % HOLDER_COLOURS,
            Self::Call(i) => State::ALL.len() + HOLDER_COLOURS + i % CALL_TINTS,
        }
    }

    fn from_index(i: usize) -> Self {
        let holders = State::ALL.len() + HOLDER_COLOURS;
        match State::ALL.get(i) {
            Some(&s) => Self::State(s),
            None if i < holders => Self::Holder(i - State::ALL.len()),
            None => Self::Call(i - holders),
        }
    }
}

/// Where times go on the plot: pixels from its left end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    /// The time at the left end of the plot.
    pub start_us: f64,
    /// The time at its right end (above `start_us`).
    pub end_us: f64,
    /// Nothing after this is drawn: the end of the window, or the playhead
    /// when it comes first.
    pub until_us: f64,
    /// The plot's width in pixels.
    pub width_px: f64,
}

impl Scale {
    pub fn px_per_us(&self) -> f64 {
        self.width_px / (self.end_us - self.start_us)
    }

    /// The x of time `us`, kept on the plot.
    pub fn x(&self, us: f64) -> f64 {
        ((us - self.start_us) * self.px_per_us()).clamp(0.0, self.width_px.max(0.0))
    }

    /// The time at `x` pixels from the left end.
    pub fn time(&self, x: f64) -> f64 {
        self.start_us + x / self.px_per_us()
    }

    /// Whether anything can be drawn at all.
    pub fn is_drawable(&self) -> bool {
        let ppu = self.px_per_us();
        ppu.is_finite() && ppu > 0.0 && self.until_us > self.start_us
    }
}

/// One rectangle to draw, in pixels from the left end of the time axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Segment {
    pub x0: f64,
    pub x1: f64,
    pub fill: Fill,
    /// The index (in the slice given to [`segments`]) of the one item drawn
    /// alone; `None` once items were merged.
    pub item: Option<usize>,
}

impl Segment {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
}

/// Where the items of `items` (one row's, in start order) that overlap
/// `from_us..to_us` begin and end, found by binary search.
///
/// On lanes whose spans overlap (a thread lane's never do) a long span that
/// starts well before `from_us` can be missed.
fn visible_range<T: Timed>(items: &[T], from_us: f64, to_us: f64) -> (usize, usize) {
    let mut lo = items.partition_point(|s| s.start_us() < from_us);
    while lo > 0 && items[lo - 1].end_us() > from_us {
        lo -= 1;
    }
    let hi = items.partition_point(|s| s.start_us() < to_us).max(lo);
    (lo, hi)
}

/// The items of `items` (one row's, in start order) that overlap
/// `from_us..to_us`, found by binary search.
///
/// On lanes whose spans overlap (a thread lane's never do) a long span that
/// starts well before `from_us` can be missed.
pub(crate) fn visible<T: Timed>(items: &[T], from_us: f64, to_us: f64) -> &[T] {
    let (lo, hi) = visible_range(items, from_us, to_us);
    &items[lo..hi]
}

/// The segments for `items` (one lane's spans, or one row of its calls, in
/// start order) on `scale`, each item filled as `fill` says.
///
/// Only the items inside the window are looked at, and each is cut at the
/// end of the window or the playhead. Items narrower than a pixel are
/// pooled per pixel column, and the column takes the fill that covered
/// most of it; touching segments of one fill merge when either is too
/// narrow to tell apart. The result holds at most about two segments per
/// pixel column.
pub(crate) fn segments<T: Timed>(
    items: &[T],
    scale: &Scale,
    fill: impl Fn(&T) -> Fill,
) -> Vec<Segment> {
    let mut out = Vec::new();
    if !scale.is_drawable() {
        return out;
    }
    let mut column = Column::default();
    let (lo, hi) = visible_range(items, scale.start_us, scale.until_us);
    for (i, item) in items[lo..hi].iter().enumerate() {
        let (start_us, end_us) = (item.start_us(), item.end_us());
        if !(start_us.is_finite() && end_us.is_finite()) {
            continue;
        }
        let x0 = scale.x(start_us);
        let x1 = scale.x(end_us.min(scale.until_us));
        if x1 <= x0 {
            continue;
        }
        let f = fill(item);
        if x1 - x0 >= 1.0 {
            column.flush(&mut out);
            push(
                &mut out,
                Segment {
                    x0,
                    x1,
                    fill: f,
                    item: Some(lo + i),
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
            column.time[f.index()] += x1 - x0;
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
    /// Pixels covered per fill, in [`Fill::index`] order.
    time: [f64; Fill::COUNT],
}

impl Column {
    fn flush(&mut self, out: &mut Vec<Segment>) {
        if self.index.take().is_none() {
            return;
        }
        // The fill that covered most of the column; ties go to the earlier
        // fill (states in legend order first), so the output does not
        // depend on chance.
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
                fill: Fill::from_index(best),
                item: None,
            },
        );
        *self = Self::default();
    }
}

/// Appends `seg`, merging it into the last segment when both have the same
/// fill, touch, and one of them is too narrow to be told apart.
fn push(out: &mut Vec<Segment>, seg: Segment) {
    if let Some(last) = out.last_mut()
        && last.fill == seg.fill
        && seg.x0 - last.x1 < 1.0
        && (last.width() < MIN_DISTINCT_PX || seg.width() < MIN_DISTINCT_PX)
    {
        last.x1 = last.x1.max(seg.x1);
        last.item = None;
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
            holder: None,
        }
    }

    /// The whole of `0..max_us` on `width_px` pixels.
    fn full(max_us: f64, width_px: f64) -> Scale {
        Scale {
            start_us: 0.0,
            end_us: max_us,
            until_us: max_us,
            width_px,
        }
    }

    fn by_state(s: &Span) -> Fill {
        Fill::State(s.state)
    }

    /// The task of the one span a segment draws, if it draws one alone.
    fn task(spans: &[Span], seg: &Segment) -> Option<u32> {
        seg.item.and_then(|i| spans[i].task)
    }

    #[test]
    fn wide_spans_stay_apart_with_their_tasks() {
        let spans = [
            span(State::Running, 0.0, 50.0, 0),
            span(State::Running, 50.0, 100.0, 1),
        ];
        let segs = segments(&spans, &full(100.0, 100.0), by_state);
        assert_eq!(segs.len(), 2);
        assert_eq!(task(&spans, &segs[0]), Some(0));
        assert_eq!(segs[1].x0, 50.0);
    }

    #[test]
    fn many_tiny_spans_become_one_rectangle() {
        let spans: Vec<_> = (0..100_000)
            .map(|i| span(State::Running, f64::from(i), f64::from(i + 1), i))
            .collect();
        let segs = segments(&spans, &full(100_000.0, 1000.0), by_state);
        assert_eq!(segs.len(), 1);
        assert_eq!(task(&spans, &segs[0]), None);
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
        let segs = segments(&spans, &full(100_000.0, 1000.0), by_state);
        assert!(segs.len() <= 1000, "{}", segs.len());
        // Running fills two thirds of every column, so it wins everywhere.
        assert!(segs.iter().all(|s| s.fill == Fill::State(State::Running)));
    }

    #[test]
    fn narrow_spans_merge_but_different_states_do_not() {
        let spans = [
            span(State::Running, 0.0, 2.0, 0),
            span(State::Running, 2.0, 4.0, 1),
            span(State::GilWait, 4.0, 6.0, 2),
        ];
        let segs = segments(&spans, &full(100.0, 100.0), by_state);
        assert_eq!(segs.len(), 2);
        assert_eq!(
            (segs[0].x0, segs[0].x1, task(&spans, &segs[0])),
            (0.0, 4.0, None)
        );
        assert_eq!(segs[1].fill, Fill::State(State::GilWait));
    }

    #[test]
    fn broken_spans_and_ranges_are_skipped() {
        let spans = [
            span(State::Running, -10.0, 1000.0, 2),
            span(State::Running, 5.0, 3.0, 1),
            span(State::Running, f64::NAN, 2.0, 0),
        ];
        let segs = segments(&spans, &full(100.0, 100.0), by_state);
        assert_eq!(segs.len(), 1);
        assert_eq!((segs[0].x0, segs[0].x1), (0.0, 100.0));
        assert!(segments(&spans, &full(0.0, 100.0), by_state).is_empty());
        assert!(segments(&spans, &full(100.0, 0.0), by_state).is_empty());
    }

    #[test]
    fn only_spans_in_the_window_are_looked_at() {
        let spans: Vec<_> = (0..1000)
            .map(|i| span(State::Running, f64::from(i), f64::from(i + 1), i))
            .collect();
        let v = visible(&spans, 100.5, 110.0);
        assert_eq!(v.first().map(|s| s.task), Some(Some(100)));
        assert_eq!(v.last().map(|s| s.task), Some(Some(109)));
        assert!(visible(&spans, 2000.0, 3000.0).is_empty());
        assert_eq!(visible(&spans, -5.0, 0.5).len(), 1);

        // 100 µs shown on 1000 pixels: each span is 10 pixels wide and
        // keeps its task; the window's edges cut the outer ones.
        let scale = Scale {
            start_us: 100.5,
            end_us: 200.5,
            until_us: 200.5,
            width_px: 1000.0,
        };
        let segs = segments(&spans, &scale, by_state);
        assert_eq!(segs.len(), 101);
        assert_eq!(
            (segs[0].x0, segs[0].x1, task(&spans, &segs[0])),
            (0.0, 5.0, Some(100))
        );
        assert_eq!(task(&spans, &segs[1]), Some(101));
        assert!((segs[100].x1 - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn the_playhead_cuts_and_hides() {
        let spans = [
            span(State::Running, 0.0, 40.0, 0),
            span(State::IoWait, 40.0, 60.0, 1),
            span(State::Running, 60.0, 100.0, 2),
        ];
        let scale = Scale {
            until_us: 50.0,
            ..full(100.0, 100.0)
        };
        let segs = segments(&spans, &scale, by_state);
        assert_eq!(segs.len(), 2);
        assert_eq!((segs[1].x0, segs[1].x1), (40.0, 50.0));
    }

    #[test]
    fn a_call_row_thins_to_the_pixels_its_calls_cover() {
        // 3 µs calls every 10 µs, none from 500 ms to 600 ms, over one
        // second on 1000 pixels: a hundred calls per pixel column.
        let calls: Vec<Call> = (0..100_000_u32)
            .map(|i| f64::from(i) * 10.0)
            .filter(|&t| !(500_000.0..600_000.0).contains(&t))
            .enumerate()
            .map(|(i, t)| Call {
                lane: 0,
                depth: 2,
                start_us: t,
                end_us: t + 3.0,
                name: (i % 3) as u32,
            })
            .collect();
        let tint = |c: &Call| Fill::Call(c.name as usize);
        let segs = segments(&calls, &full(1_000_000.0, 1000.0), tint);
        assert!(segs.len() <= 2 * 1000, "{}", segs.len());
        // Every column with calls is covered, and the gap is left empty.
        let covered = |x: f64| segs.iter().any(|s| s.x0 <= x && x < s.x1.max(s.x0 + 1.0));
        for column in 0..1000 {
            let x = f64::from(column) + 0.5;
            let with_calls = !(500..600).contains(&column);
            assert_eq!(covered(x), with_calls, "column {column}");
        }
        assert!(
            segs.iter().all(|s| s.item.is_none()),
            "merged calls draw no name"
        );
        // Zoomed in, each call is its own box with its own name.
        let zoomed = Scale {
            start_us: 0.0,
            end_us: 100.0,
            until_us: 100.0,
            width_px: 1000.0,
        };
        let segs = segments(&calls, &zoomed, tint);
        assert_eq!(segs.len(), 10);
        assert_eq!(segs[3].item, Some(3));
        assert_eq!(segs[3].fill, Fill::Call(0));
        assert_eq!((segs[3].x0, segs[3].x1), (300.0, 330.0));
    }

    #[test]
    fn holders_pool_like_states() {
        let spans: Vec<_> = (0..1000)
            .map(|i| span(State::Running, f64::from(i), f64::from(i + 1), i % 4))
            .collect();
        let holder = |s: &Span| Fill::Holder(usize::from(s.task == Some(0)));
        let segs = segments(&spans, &full(1000.0, 10.0), holder);
        // Three in four spans of every column belong to holder colour 0.
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].fill, Fill::Holder(0));
    }
}

//! Instants on the timeline: GIL hand-offs and forced switches, and
//! messages between lanes. A kind of mark too dense to read in the window
//! is left out, with a note to zoom in; the others are never closer than a
//! few pixels on one pair of lanes, so never more than one per pixel
//! column.

use std::collections::BTreeMap;

use lanes_trace::{Event, EventKind, LaneKind, Trace};
use plotters::prelude::DrawingBackend;

use crate::RenderError;
use crate::draw::bar_rows;
use crate::layout::{Layout, RunBox, TICK_SIZE, px, text_width};
use crate::lod::Scale;
use crate::palette::Theme;
use crate::pen::{Font, Pen, Stroke};

/// How arrows look.
pub(crate) fn stroke(theme: &Theme, font: f64) -> Stroke {
    Stroke::new(theme.text, (0.11 * font).max(1.0)).alpha(0.9)
}

/// A forced-switch marker: a light triangle with a dark edge, pointing down
/// with its tip at `tip`.
pub(crate) fn forced_marker<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    tip: (f64, f64),
    size: f64,
) -> Result<(), RenderError> {
    let edge = size * 0.22;
    pen.triangle_down(
        (tip.0, tip.1 + edge * 0.6),
        size + 2.0 * edge,
        pen.theme.text,
    )?;
    pen.triangle_down(tip, size, pen.theme.background)
}

/// Marks of one kind closer than this on average over the window, in base
/// font sizes, are not drawn: a fence of arrows reads as nothing. Nor are
/// two marks of one kind on one pair of lanes closer than this.
const MIN_GAP: f64 = 0.75;

/// What kind of mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Handoff,
    FirstHolder,
    Forced,
    Message,
}

/// A kind of mark on a pair of lanes (the same lane twice for markers).
type Key = (Mark, u32, u32);

/// Which marks get drawn: none of a kind too dense in the window, and of
/// the others none closer than the gap to the one before on the same pair
/// of lanes (so never two in one pixel column).
#[derive(Debug)]
struct Spacing {
    /// The least distance between marks, in pixels.
    gap: f64,
    /// The plot's width in pixels.
    room: f64,
    /// Marks of each kind in the window.
    counts: BTreeMap<Mark, usize>,
    /// Where the last mark of each key went.
    last: BTreeMap<Key, f64>,
}

impl Spacing {
    fn new(gap: f64, room: f64) -> Self {
        Self {
            gap: gap.max(1.0),
            room,
            counts: BTreeMap::new(),
            last: BTreeMap::new(),
        }
    }

    fn count(&mut self, mark: Mark) {
        *self.counts.entry(mark).or_insert(0) += 1;
    }

    fn is_dense(&self, mark: Mark) -> bool {
        self.counts
            .get(&mark)
            .is_some_and(|&n| n as f64 * self.gap > self.room)
    }

    /// Whether a mark of `key` at `x` is drawn.
    fn claim(&mut self, key: Key, x: f64) -> bool {
        if self.is_dense(key.0) || self.last.get(&key).is_some_and(|l| x - l < self.gap) {
            return false;
        }
        self.last.insert(key, x);
        true
    }

    /// The kinds of marks left out because they were too dense.
    fn dense(&self) -> Vec<Mark> {
        self.counts
            .keys()
            .copied()
            .filter(|&m| self.is_dense(m))
            .collect()
    }
}

/// "zoom in for hand-offs and forced switches", when `dense` is not empty.
fn zoom_note(dense: &[Mark]) -> Option<String> {
    let mut names: Vec<&str> = dense
        .iter()
        .map(|m| match m {
            Mark::Handoff | Mark::FirstHolder => "hand-offs",
            Mark::Forced => "forced switches",
            Mark::Message => "messages",
        })
        .collect();
    names.dedup();
    match names[..] {
        [] => None,
        [one] => Some(format!("zoom in for {one}")),
        [ref first @ .., last] => Some(format!("zoom in for {} and {last}", first.join(", "))),
    }
}

/// Where one run's lanes are.
struct Lanes<'a> {
    layout: &'a Layout,
    b: &'a RunBox,
    scale: &'a Scale,
    count: u32,
}

impl Lanes<'_> {
    fn has(&self, lane: u32) -> bool {
        lane < self.count
    }

    /// The centre of lane `lane`'s spans.
    fn centre(&self, lane: u32) -> f64 {
        let (y0, y1) = bar_rows(self.b, lane as usize);
        f64::from(y0 + y1) / 2.0
    }

    /// Where an arrow coming from lane `from` meets lane `to`: the edge of
    /// its spans that faces `from`.
    fn edge(&self, to: u32, from: u32) -> f64 {
        let (y0, y1) = bar_rows(self.b, to as usize);
        f64::from(if to > from { y0 } else { y1 })
    }

    fn x(&self, us: f64) -> f64 {
        f64::from(self.layout.plot_px().0) + self.scale.x(us)
    }
}

/// The mark an event makes, if any: its kind and lanes, and the event and
/// its partner for messages.
fn mark_of<'a>(
    e: &'a Event,
    lanes: &Lanes<'_>,
    gil: Option<u32>,
    messages: &Messages<'a>,
) -> Option<(Key, Option<(&'a Event, &'a Event)>)> {
    match e.kind {
        EventKind::Handoff {
            from: Some(from),
            to,
        } if lanes.has(from) && lanes.has(to) && from != to => {
            Some(((Mark::Handoff, from, to), None))
        }
        EventKind::Handoff { from: None, to } if lanes.has(to) => {
            let lane = gil.unwrap_or(to);
            Some(((Mark::FirstHolder, lane, lane), None))
        }
        EventKind::ForcedSwitch { lane } if lanes.has(lane) => {
            Some(((Mark::Forced, lane, lane), None))
        }
        EventKind::Send { from, to, id, .. } if lanes.has(from) && lanes.has(to) && from != to => {
            let pair = messages.pair(id)?;
            Some(((Mark::Message, from, to), Some(pair)))
        }
        EventKind::Receive { from, to, id, .. }
            if lanes.has(from) && lanes.has(to) && from != to =>
        {
            // Messages sent before the window are drawn from here.
            let pair = messages.pair(id)?;
            (pair.0.at_us < lanes.scale.start_us).then_some(((Mark::Message, from, to), Some(pair)))
        }
        _ => None,
    }
}

/// Draws the events of `trace` that fall in the window, before the
/// playhead, and a note in the header row, right of `header_end`, when
/// some were too dense to draw.
pub(crate) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    layout: &Layout,
    trace: &Trace,
    b: &RunBox,
    scale: &Scale,
    header_end: f64,
) -> Result<(), RenderError> {
    if trace.events.is_empty() || !scale.is_drawable() {
        return Ok(());
    }
    let lanes = Lanes {
        layout,
        b,
        scale,
        count: u32::try_from(b.lanes()).unwrap_or(u32::MAX),
    };
    let f = layout.font;
    let stroke = stroke(&pen.theme, f);
    let head = 0.5 * f;
    let gil = (0_u32..)
        .zip(&trace.lanes)
        .find(|(_, l)| l.kind == LaneKind::Gil)
        .map(|(i, _)| i);
    let messages = Messages::new(&trace.events);

    // Events are sorted by time: look at the window's only, once to count
    // them and once to draw them.
    let (from_us, to_us) = (scale.start_us, scale.until_us);
    let lo = trace.events.partition_point(|e| e.at_us < from_us);
    let hi = trace.events.partition_point(|e| e.at_us <= to_us).max(lo);
    let events = &trace.events[lo..hi];
    let mut spacing = Spacing::new(MIN_GAP * f, scale.width_px);
    for e in events {
        if let Some(((mark, _, _), _)) = mark_of(e, &lanes, gil, &messages) {
            spacing.count(mark);
        }
    }
    for e in events {
        let Some((key, pair)) = mark_of(e, &lanes, gil, &messages) else {
            continue;
        };
        let x = lanes.x(e.at_us);
        match key {
            (Mark::Handoff, from, to) => {
                if spacing.claim(key, x) {
                    let start = (x, lanes.centre(from));
                    pen.arrow(start, (x, lanes.edge(to, from)), head, stroke)?;
                }
            }
            (Mark::FirstHolder, lane, _) => {
                // Nobody held the lock: a short arrow into the GIL lane.
                if spacing.claim(key, x) {
                    let (y0, y1) = bar_rows(b, lane as usize);
                    let top = b.lane_top(lane as usize);
                    let end = f64::from(y0) + 0.35 * f64::from(y1 - y0);
                    pen.arrow((x, top), (x, end), head, stroke)?;
                }
            }
            (Mark::Forced, lane, _) => {
                if spacing.claim(key, x) {
                    let (y0, _) = bar_rows(b, lane as usize);
                    let size = 0.55 * f;
                    forced_marker(pen, (x, f64::from(y0) + size), size)?;
                }
            }
            (Mark::Message, _, _) => {
                if let Some((send, receive)) = pair {
                    message(pen, &lanes, &mut spacing, key, send, receive, stroke, head)?;
                }
            }
        }
    }
    if let Some(note) = zoom_note(&spacing.dense()) {
        let size = TICK_SIZE * f;
        if header_end + f + text_width(&note, size) <= layout.plot_x1 {
            pen.text(
                &note,
                (layout.plot_x1, b.header_y),
                Font::new(size, pen.theme.muted).right(),
            )?;
        }
    }
    Ok(())
}

/// An arrow from a message's sender to its receiver, cut at the window and
/// the playhead, with a head only once it arrived.
#[expect(clippy::too_many_arguments, reason = "one arrow's worth of context")]
fn message<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    lanes: &Lanes<'_>,
    spacing: &mut Spacing,
    key: Key,
    send: &Event,
    receive: &Event,
    stroke: Stroke,
    head: f64,
) -> Result<(), RenderError> {
    let (_, from, to) = key;
    let (ts, tr) = (send.at_us, receive.at_us);
    let scale = lanes.scale;
    let (a, z) = (ts.max(scale.start_us), tr.min(scale.until_us));
    if !(a <= z && tr >= ts) {
        return Ok(());
    }
    let (y_from, y_to) = (lanes.centre(from), lanes.edge(to, from));
    let y_at = |t: f64| {
        if tr > ts {
            y_from + (y_to - y_from) * (t - ts) / (tr - ts)
        } else {
            y_to
        }
    };
    let start = (lanes.x(a), y_at(a));
    let end = (lanes.x(z), y_at(z));
    if !spacing.claim(key, start.0) {
        return Ok(());
    }
    if z >= tr {
        pen.arrow(start, end, head, stroke)
    } else {
        pen.path(
            vec![(px(start.0), px(start.1)), (px(end.0), px(end.1))],
            stroke,
        )
    }
}

/// Sends and receives paired by id.
struct Messages<'a> {
    /// `(id, send, receive)`, sorted by id.
    pairs: Vec<(u64, &'a Event, &'a Event)>,
}

impl<'a> Messages<'a> {
    fn new(events: &'a [Event]) -> Self {
        let mut sends = Vec::new();
        let mut receives = Vec::new();
        for (i, e) in events.iter().enumerate() {
            match e.kind {
                EventKind::Send { id, .. } => sends.push((id, i, e)),
                EventKind::Receive { id, .. } => receives.push((id, i, e)),
                _ => {}
            }
        }
        // By id, then time order: the first send of an id pairs with its
        // first receive.
        sends.sort_by_key(|&(id, i, _)| (id, i));
        receives.sort_by_key(|&(id, i, _)| (id, i));
        let mut pairs = Vec::with_capacity(sends.len());
        for &(id, _, send) in &sends {
            if pairs.last().is_some_and(|&(last, _, _)| last == id) {
                continue;
            }
            let r = receives.partition_point(|&(rid, _, _)| rid < id);
            if let Some(&(rid, _, receive)) = receives.get(r)
                && rid == id
            {
                pairs.push((id, send, receive));
            }
        }
        Self { pairs }
    }

    fn pair(&self, id: u64) -> Option<(&'a Event, &'a Event)> {
        let i = self.pairs.partition_point(|&(pid, _, _)| pid < id);
        match self.pairs.get(i) {
            Some(&(pid, send, receive)) if pid == id => Some((send, receive)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_kinds_are_named_once() {
        assert_eq!(zoom_note(&[]), None);
        assert_eq!(
            zoom_note(&[Mark::Handoff, Mark::FirstHolder]).as_deref(),
            Some("zoom in for hand-offs")
        );
        assert_eq!(
            zoom_note(&[Mark::Handoff, Mark::Forced, Mark::Message]).as_deref(),
            Some("zoom in for hand-offs, forced switches and messages")
        );
    }

    #[test]
    fn marks_keep_their_distance() {
        let mut s = Spacing::new(10.0, 100.0);
        let key = (Mark::Handoff, 0, 1);
        for _ in 0..5 {
            s.count(Mark::Handoff);
        }
        assert!(s.claim(key, 0.0));
        assert!(!s.claim(key, 5.0));
        assert!(s.claim(key, 10.0));
        assert!(s.claim((Mark::Handoff, 1, 0), 10.0));
        assert!(s.dense().is_empty());
        for _ in 0..10 {
            s.count(Mark::Handoff);
        }
        assert!(!s.claim(key, 50.0));
        assert_eq!(s.dense(), [Mark::Handoff]);
    }
}

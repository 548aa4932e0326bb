//! What the legend names, and where its entries go.

use std::borrow::Cow;

use lanes_trace::{EventKind, GilEvidence, LaneKind, State};

use crate::RunView;
use crate::gil::held_by;
use crate::layout::{LEGEND_SIZE, text_width};

// Sizes in multiples of the base font size.
pub(crate) const LEGEND_ROW: f64 = 1.6;
const LEGEND_ITEM_GAP: f64 = 1.3;
pub(crate) const SWATCH: f64 = 0.9;
const SWATCH_GAP: f64 = 0.4;
const MARGIN: f64 = crate::layout::MARGIN;

/// Something the legend explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LegendKey {
    /// Spans in this state.
    State(State),
    /// The GIL lane's colours: one per thread holding it.
    GilHolder,
    /// An arrow from the thread that dropped the GIL to the one that took it.
    Handoff,
    /// A thread asked to drop the GIL.
    ForcedSwitch,
    /// An arrow from a message's sender to its receiver.
    Message,
    /// The grey boxes of call-stack rows.
    Calls,
    /// How a run's GIL lane was known, when it is not Lanes' own lock.
    GilEvidence(GilEvidence),
    /// An audio block ready in time: a short tick.
    DeadlineMet,
    /// An audio block late: a tall red mark over the silence played.
    Underrun,
    /// The audio buffer's fill level.
    BufferFill,
}

impl LegendKey {
    pub fn label(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::State(s) => s.label(),
            Self::GilHolder => "GIL holder",
            Self::Handoff => "hand-off",
            Self::ForcedSwitch => "forced switch",
            Self::Message => "message",
            Self::Calls => "function call",
            Self::DeadlineMet => "deadline met",
            Self::Underrun => "underrun (silence)",
            Self::BufferFill => "buffer fill",
            Self::GilEvidence(e) => return Cow::Owned(format!("GIL: {}", e.label())),
        })
    }

    /// Whether the entry has a swatch before its words (a note on the GIL's
    /// evidence has none).
    pub fn has_swatch(self) -> bool {
        !matches!(self, Self::GilEvidence(_))
    }
}

/// One legend entry: a swatch whose left edge is at `x`, centred on `y`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LegendItem {
    pub key: LegendKey,
    pub x: f64,
    pub y: f64,
}

/// What occurs in any run, in legend order: states, then the GIL's colours,
/// then events, then calls, then how GIL lanes were known, then the audio
/// row's marks.
pub(crate) fn keys_present(runs: &[RunView<'_>]) -> Vec<LegendKey> {
    let mut seen = [false; State::ALL.len()];
    let (mut holder, mut handoff, mut forced, mut message) = (false, false, false, false);
    let mut calls = false;
    let (mut met, mut underrun, mut fill) = (false, false, false);
    let mut evidence: Vec<GilEvidence> = Vec::new();
    for run in runs {
        let trace = run.trace;
        calls |= !trace.calls.is_empty();
        if let Some(audio) = &trace.audio {
            met |= audio.blocks.iter().any(|b| !b.missed());
            underrun |= audio.blocks.iter().any(lanes_trace::AudioBlock::missed);
            fill |= !audio.fill.is_empty();
        }
        let has_gil = trace.lanes.iter().any(|l| l.kind == LaneKind::Gil);
        if let Some(e) = trace.gil_evidence
            && has_gil
            && !evidence.contains(&e)
        {
            evidence.push(e);
        }
        for span in trace.spans() {
            if held_by(span).is_some() {
                holder = true;
            } else if let Some(i) = State::ALL.iter().position(|&s| s == span.state) {
                seen[i] = true;
            }
        }
        for e in &trace.events {
            match e.kind {
                EventKind::Handoff { .. } => handoff = true,
                EventKind::ForcedSwitch { .. } => forced = true,
                EventKind::Send { .. } | EventKind::Receive { .. } => message = true,
                EventKind::Instant { .. } => {}
            }
        }
    }
    let mut keys: Vec<LegendKey> = State::ALL
        .into_iter()
        .zip(seen)
        .filter_map(|(s, seen)| seen.then_some(LegendKey::State(s)))
        .collect();
    for (present, key) in [
        (holder, LegendKey::GilHolder),
        (handoff, LegendKey::Handoff),
        (forced, LegendKey::ForcedSwitch),
        (message, LegendKey::Message),
        (calls, LegendKey::Calls),
    ] {
        if present {
            keys.push(key);
        }
    }
    keys.extend(evidence.into_iter().map(LegendKey::GilEvidence));
    for (present, key) in [
        (met, LegendKey::DeadlineMet),
        (underrun, LegendKey::Underrun),
        (fill, LegendKey::BufferFill),
    ] {
        if present {
            keys.push(key);
        }
    }
    keys
}

/// Legend entries flowed into right-aligned rows starting at `top`, and
/// the number of rows.
pub(crate) fn legend_items(
    keys: &[LegendKey],
    width: f64,
    font: f64,
    top: f64,
) -> (Vec<LegendItem>, usize) {
    let item_width = |k: LegendKey| {
        let swatch = if k.has_swatch() {
            (SWATCH + SWATCH_GAP) * font
        } else {
            0.0
        };
        swatch + text_width(&k.label(), LEGEND_SIZE * font)
    };
    let gap = LEGEND_ITEM_GAP * font;
    let available = width - 2.0 * MARGIN * font;
    let mut rows: Vec<Vec<LegendKey>> = Vec::new();
    let mut row_width = 0.0;
    for &k in keys {
        let w = item_width(k);
        match rows.last_mut() {
            Some(row) if row_width + gap + w <= available => {
                row.push(k);
                row_width += gap + w;
            }
            _ => {
                rows.push(vec![k]);
                row_width = w;
            }
        }
    }
    let right = width - MARGIN * font;
    let mut items = Vec::with_capacity(keys.len());
    for (i, row) in rows.iter().enumerate() {
        let total: f64 =
            row.iter().map(|&k| item_width(k)).sum::<f64>() + gap * (row.len() as f64 - 1.0);
        let mut x = (right - total).max(MARGIN * font);
        let y = top + (i as f64 + 0.5) * LEGEND_ROW * font;
        for &key in row {
            items.push(LegendItem { key, x, y });
            x += item_width(key) + gap;
        }
    }
    (items, rows.len())
}

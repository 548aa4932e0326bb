//! The audio row of a playback run: the buffer's fill level and each
//! block's deadline, met or missed, as the run's last row (under its
//! lanes, over the concurrency strip).
//!
//! What it draws, thinned per pixel column like spans so that its cost
//! follows the width and not the number of blocks:
//! - the fill level as an area from the baseline (empty) to the top
//!   (full): in each column a light area up to the highest level there
//!   and a stronger one up to the lowest, so that neither a dip nor a
//!   peak narrower than a pixel is lost;
//! - each block's deadline under the baseline: a short grey tick when
//!   the block was there in time, a tall red mark across the row when it
//!   was late (a column with any late block is red, whatever else is in
//!   it), and a see-through red band over the silence the player played
//!   while it waited (`due_us .. due_us + late_us`).

use lanes_trace::words::duration_ms;
use lanes_trace::{Audio, Trace};
use plotters::prelude::DrawingBackend;

use crate::RenderError;
use crate::layout::{AudioBox, LABEL_SIZE, Layout, fit_text, px};
use crate::lod::Scale;
use crate::palette::mix;
use crate::pen::{Font, Pen};

/// The row's name, which says how many blocks came late: "Audio: no
/// underruns", "Audio: 1 underrun", "Audio: 12 underruns".
pub(crate) fn row_label(audio: &Audio) -> String {
    match audio.underruns() {
        0 => "Audio: no underruns".to_owned(),
        1 => "Audio: 1 underrun".to_owned(),
        n => format!("Audio: {n} underruns"),
    }
}

/// What a pixel column shows of the deadlines in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tick {
    /// No block was due in it.
    None,
    /// Every block due in it was there in time.
    Met,
    /// Some block due in it was late.
    Missed,
}

/// The audio track thinned to the pixel columns of a scale (relative to
/// the plot's left end), up to the playhead.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Columns {
    /// The lowest and highest fill level in each column, frames; `None`
    /// before the first sample.
    pub fill: Vec<Option<(u32, u32)>>,
    /// The deadlines in each column.
    pub ticks: Vec<Tick>,
    /// The silences, as runs of columns `from..to`, merged where they
    /// touch.
    pub silences: Vec<(usize, usize)>,
}

/// Thins `audio` to the columns of `scale`. Costs one step per column and
/// per block and sample in the window. A silence is looked for in the
/// window's blocks and the one block before it: a block's silence ends
/// before the next block is due (the player waits for one block at a
/// time).
pub(crate) fn columns(audio: &Audio, scale: &Scale) -> Columns {
    let width = scale.width_px.max(0.0) as usize;
    let known = if scale.is_drawable() {
        (scale.x(scale.until_us).ceil().max(0.0) as usize).min(width)
    } else {
        0
    };
    let mut out = Columns {
        fill: vec![None; known],
        ticks: vec![Tick::None; known],
        silences: Vec::new(),
    };
    if known == 0 {
        return out;
    }
    let last = known - 1;
    let end_us = scale.until_us.min(scale.end_us);
    let column = |us: f64| (scale.x(us).floor().max(0.0) as usize).min(last);

    // The fill level: the level in force at each column's start, and every
    // sample inside it.
    let first = audio.fill.partition_point(|f| f.at_us <= scale.start_us);
    let mut level = first
        .checked_sub(1)
        .and_then(|i| audio.fill.get(i))
        .map(|f| f.frames);
    let mut note = |c: usize, level: Option<u32>| {
        if let (Some(v), Some(slot)) = (level, out.fill.get_mut(c)) {
            *slot = Some(slot.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        }
    };
    let mut at = 0;
    for f in audio.fill.get(first..).unwrap_or_default() {
        if f.at_us > end_us {
            break;
        }
        let c = column(f.at_us);
        while at < c {
            note(at, level);
            at += 1;
        }
        note(c, level);
        level = Some(f.frames);
        note(c, level);
    }
    while at < known {
        note(at, level);
        at += 1;
    }

    // The deadlines, a late one winning its column.
    let from = audio.blocks.partition_point(|b| b.due_us < scale.start_us);
    let to = audio.blocks.partition_point(|b| b.due_us <= end_us);
    for b in audio.blocks.get(from..to).unwrap_or_default() {
        let tick = if b.missed() { Tick::Missed } else { Tick::Met };
        let c = column(b.due_us);
        out.ticks[c] = out.ticks[c].max(tick);
    }
    for b in audio
        .blocks
        .get(from.saturating_sub(1)..to)
        .unwrap_or_default()
    {
        if !b.missed() {
            continue;
        }
        let (x0, x1) = (
            scale.x(b.due_us),
            scale.x((b.due_us + b.late_us).min(end_us)),
        );
        if !(x1 > 0.0 && x0 < known as f64) {
            continue;
        }
        let c0 = (x0.floor().max(0.0) as usize).min(last);
        let c1 = (x1.ceil().max(0.0) as usize).clamp(c0 + 1, known);
        match out.silences.last_mut() {
            Some((_, end)) if c0 <= *end => *end = (*end).max(c1),
            _ => out.silences.push((c0, c1)),
        }
    }
    out
}

/// Where the parts of the row go, top to bottom, in pixels.
struct Rows {
    /// Top and bottom of the marks of late blocks and their silences.
    top: f64,
    bottom: f64,
    /// The baseline of the fill (an empty buffer); a full buffer reaches
    /// `top`.
    base: f64,
}

impl Rows {
    fn of(row: AudioBox) -> Self {
        let pad = (row.height * 0.1).round().max(1.0);
        let (top, bottom) = (row.top + pad, row.top + row.height - pad);
        // The lowest quarter holds the deadlines' ticks.
        let base = bottom - 0.25 * (bottom - top);
        Self { top, bottom, base }
    }

    /// The height of `frames` in a buffer of `capacity` frames.
    fn y_of(&self, frames: u32, capacity: u32) -> f64 {
        let share = f64::from(frames.min(capacity)) / f64::from(capacity.max(1));
        self.base - share * (self.base - self.top)
    }
}

/// Draws `trace`'s audio row in `row`, when it has an audio track.
pub(crate) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    layout: &Layout,
    trace: &Trace,
    row: AudioBox,
    scale: &Scale,
) -> Result<(), RenderError> {
    let Some(audio) = &trace.audio else {
        return Ok(());
    };
    let f = layout.font;
    let colours = pen.theme.audio;
    let (x0, x1) = layout.plot_px();
    pen.rect(
        (px(layout.margin), px(row.top)),
        (x1, px(row.top + row.height)),
        pen.theme.stripe,
    )?;
    let size = (LABEL_SIZE * f).min(0.45 * row.height);
    let room = layout.plot_x0 - layout.margin - 0.6 * f;
    pen.text(
        &fit_text(&row_label(audio), size, room),
        (layout.margin + 0.4 * f, row.top + row.height / 2.0),
        Font::new(size, pen.theme.text),
    )?;
    for (t, _) in &layout.axis.ticks {
        let x = px(layout.x_of(*t));
        pen.rect(
            (x, px(row.top)),
            (x + 1, px(row.top + row.height)),
            pen.theme.grid,
        )?;
    }
    let rows = Rows::of(row);
    let cols = columns(audio, scale);
    let at = |c: usize| x0 + i32::try_from(c).unwrap_or(i32::MAX);

    let band = mix(colours.missed, pen.theme.stripe, 0.7);
    for &(c0, c1) in &cols.silences {
        pen.rect((at(c0), px(rows.top)), (at(c1), px(rows.bottom)), band)?;
    }

    // The fill: up to the highest level of each column, then the lowest.
    let capacity = audio.capacity_frames;
    for (pick, alpha) in [(1, 0.35), (0, 0.7)] {
        let level = |c: usize| {
            cols.fill[c].map(|(lo, hi)| px(rows.y_of(if pick == 0 { lo } else { hi }, capacity)))
        };
        for run in runs_of(cols.fill.len(), |c| cols.fill[c].is_some()) {
            let mut points = vec![(at(run.0), px(rows.base))];
            let mut last = None;
            for c in run.0..run.1 {
                let y = level(c);
                if y != last {
                    if let Some(prev) = last {
                        points.push((at(c), prev));
                    }
                    if let Some(y) = y {
                        points.push((at(c), y));
                    }
                    last = y;
                }
            }
            if let Some(prev) = last {
                points.push((at(run.1), prev));
            }
            points.push((at(run.1), px(rows.base)));
            pen.polygon(points, colours.fill, alpha)?;
        }
    }
    pen.rect((x0, px(rows.base)), (x1, px(rows.base) + 1), pen.theme.axis)?;

    // Deadlines: met ones as short ticks under the baseline, runs of
    // neighbouring columns drawn at once; late ones as tall marks.
    let tick_top = px(rows.base) + 2;
    for (c0, c1) in runs_of(cols.ticks.len(), |c| cols.ticks[c] == Tick::Met) {
        pen.rect((at(c0), tick_top), (at(c1), px(rows.bottom)), colours.met)?;
    }
    let w = px((0.16 * f).max(2.0));
    for (c, _) in cols
        .ticks
        .iter()
        .enumerate()
        .filter(|(_, t)| **t == Tick::Missed)
    {
        let left = at(c) - w / 2;
        pen.rect(
            (left, px(rows.top)),
            (left + w, px(rows.bottom)),
            colours.missed,
        )?;
    }
    Ok(())
}

/// The runs `from..to` of neighbouring indices below `n` for which `keep`
/// holds.
fn runs_of(n: usize, keep: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for c in (0..n).filter(|&c| keep(c)) {
        match out.last_mut() {
            Some((_, end)) if *end == c => *end = c + 1,
            _ => out.push((c, c + 1)),
        }
    }
    out
}

/// The block whose deadline is nearest `t_us` among those due by
/// `until_us`, if any.
pub(crate) fn nearest_block(audio: &Audio, t_us: f64, until_us: f64) -> Option<usize> {
    let due = audio.blocks.partition_point(|b| b.due_us <= until_us);
    let blocks = audio.blocks.get(..due)?;
    let after = blocks.partition_point(|b| b.due_us < t_us);
    [after.checked_sub(1), Some(after)]
        .into_iter()
        .flatten()
        .filter_map(|i| Some((i, (blocks.get(i)?.due_us - t_us).abs())))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The frames in the buffer at `t_us`: the last sample at or before it.
pub(crate) fn fill_at(audio: &Audio, t_us: f64) -> Option<u32> {
    let i = audio.fill.partition_point(|f| f.at_us <= t_us);
    i.checked_sub(1)
        .and_then(|i| audio.fill.get(i))
        .map(|f| f.frames)
}

/// A time in milliseconds with one decimal: "412.3 ms".
fn ms(us: f64) -> String {
    format!("{:.1} ms", us / 1000.0)
}

/// A duration to three figures: "5.80 ms", "0.03 ms".
fn lasting(us: f64) -> String {
    duration_ms(us / 1000.0)
}

/// Block `block` and the buffer at `t_us` in words, for a tooltip:
/// "block 37 due at 412.3 ms: late by 5.80 ms (silence) · buffer 640 / 768
/// frames", or "…: met, ready 2.10 ms early · …".
pub(crate) fn describe(audio: &Audio, block: Option<usize>, t_us: f64) -> Option<String> {
    let mut parts = Vec::new();
    if let Some((i, b)) = block.and_then(|i| Some((i, audio.blocks.get(i)?))) {
        let how = match b.ready_us {
            _ if b.missed() => format!("late by {} (silence)", lasting(b.late_us)),
            Some(ready) => format!("met, ready {} early", lasting((b.due_us - ready).max(0.0))),
            None => "not ready when the run ended".to_owned(),
        };
        parts.push(format!("block {i} due at {}: {how}", ms(b.due_us)));
    }
    if let Some(frames) = fill_at(audio, t_us) {
        parts.push(format!(
            "buffer {frames} / {} frames",
            audio.capacity_frames
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use lanes_trace::{AudioBlock, FillSample};

    use super::*;

    fn block(due_us: f64, late_us: f64) -> AudioBlock {
        AudioBlock {
            due_us,
            ready_us: Some(due_us - 100.0),
            late_us,
        }
    }

    /// Blocks every 10 µs from 0 to 990 µs; the one due at 500 µs late by
    /// 30 µs; the buffer full, then empty from 500 µs, full again from
    /// 530 µs.
    fn audio() -> Audio {
        Audio {
            producer: 0,
            sample_rate: 48_000,
            block_frames: 128,
            capacity_frames: 768,
            audible: false,
            blocks: (0..100)
                .map(|i| {
                    let due = f64::from(i) * 10.0;
                    block(due, if i == 50 { 30.0 } else { 0.0 })
                })
                .collect(),
            fill: vec![
                FillSample {
                    at_us: 0.0,
                    frames: 768,
                },
                FillSample {
                    at_us: 500.0,
                    frames: 0,
                },
                FillSample {
                    at_us: 530.0,
                    frames: 768,
                },
            ],
        }
    }

    fn scale(width_px: f64, until_us: f64) -> Scale {
        Scale {
            start_us: 0.0,
            end_us: 1000.0,
            until_us,
            width_px,
        }
    }

    #[test]
    fn a_late_block_keeps_its_column_however_thin() {
        // Ten blocks per column: the late one's column is red all the same.
        let c = columns(&audio(), &scale(10.0, f64::INFINITY));
        assert_eq!(c.ticks.len(), 10);
        assert_eq!(c.ticks[5], Tick::Missed);
        assert!(
            c.ticks
                .iter()
                .enumerate()
                .all(|(i, &t)| i == 5 || t == Tick::Met)
        );
        assert_eq!(c.silences, [(5, 6)]);
        // The empty buffer in column 5 shows as its lowest level.
        assert_eq!(c.fill[5], Some((0, 768)));
        assert_eq!(c.fill[4], Some((768, 768)));
    }

    #[test]
    fn wide_columns_place_marks_and_silences_at_their_times() {
        let c = columns(&audio(), &scale(1000.0, f64::INFINITY));
        assert_eq!(c.ticks[500], Tick::Missed);
        assert_eq!(c.ticks[510], Tick::Met);
        assert_eq!(c.ticks[505], Tick::None);
        assert_eq!(c.silences, [(500, 530)]);
        assert_eq!(c.fill[510], Some((0, 0)));
    }

    #[test]
    fn nothing_after_the_playhead_and_a_silence_from_before_the_window() {
        let c = columns(&audio(), &scale(1000.0, 505.0));
        assert_eq!(c.ticks.len(), 505);
        assert_eq!(c.silences, [(500, 505)]);
        // A window that starts inside the silence still shows it.
        let inside = Scale {
            start_us: 510.0,
            end_us: 610.0,
            until_us: f64::INFINITY,
            width_px: 100.0,
        };
        let c = columns(&audio(), &inside);
        assert_eq!(c.silences, [(0, 20)]);
        assert_eq!(c.fill[0], Some((0, 0)));
    }

    #[test]
    fn names_the_row_and_the_block_under_a_pointer() {
        let a = audio();
        assert_eq!(row_label(&a), "Audio: 1 underrun");
        let mut none = a.clone();
        none.blocks[50].late_us = 0.0;
        assert_eq!(row_label(&none), "Audio: no underruns");
        assert_eq!(nearest_block(&a, 503.0, f64::INFINITY), Some(50));
        assert_eq!(nearest_block(&a, 507.0, f64::INFINITY), Some(51));
        assert_eq!(nearest_block(&a, 507.0, 505.0), Some(50));
        assert_eq!(
            describe(&a, Some(50), 510.0).as_deref(),
            Some("block 50 due at 0.5 ms: late by 0.03 ms (silence) · buffer 0 / 768 frames")
        );
        assert_eq!(
            describe(&a, Some(20), 200.0).as_deref(),
            Some("block 20 due at 0.2 ms: met, ready 0.10 ms early · buffer 768 / 768 frames")
        );
    }
}

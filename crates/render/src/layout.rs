//! Where everything goes: font size, rows, columns and the time axis,
//! computed from the runs and the pixel size alone, without a backend.

use lanes_trace::State;

use crate::axis::TimeAxis;
use crate::{RunView, TimelineStyle};

// Sizes in multiples of the base font size.
const MARGIN: f64 = 0.75;
const LEGEND_ROW: f64 = 1.6;
const LEGEND_GAP: f64 = 0.4;
const LEGEND_ITEM_GAP: f64 = 1.3;
const SWATCH: f64 = 0.9;
const SWATCH_GAP: f64 = 0.4;
const HEADER_ROW: f64 = 1.9;
const RUN_GAP: f64 = 0.9;
const LANE: f64 = 2.0;
const LANE_MIN: f64 = 1.4;
const LANE_MAX: f64 = 2.6;
const AXIS_ROWS: f64 = 2.1;
const LABEL_GAP: f64 = 1.0;
const RIGHT_PAD: f64 = 1.1;
const TICK_SPACING: f64 = 5.5;

// Text sizes in multiples of the base font size.
pub(crate) const LABEL_SIZE: f64 = 1.0;
pub(crate) const HEADER_SIZE: f64 = 1.05;
pub(crate) const LEGEND_SIZE: f64 = 0.95;
pub(crate) const TICK_SIZE: f64 = 0.9;
pub(crate) const TASK_SIZE: f64 = 0.875;
pub(crate) const EMPTY_SIZE: f64 = 1.25;

/// Smallest and largest height [`crate::timeline_height`] asks for.
const MIN_HEIGHT_FONTS: f64 = 10.0;
const MAX_HEIGHT_PX: f64 = 4096.0;

/// The base font size for a canvas `width` pixels wide.
///
/// The width counts `width / scale` logical pixels; 1280 of them give 16 px
/// text, and the size stays between 14 and 20 logical pixels.
pub(crate) fn base_font(width: f64, style: &TimelineStyle) -> f64 {
    let scale = style.scale_or_default();
    scale * (width / scale / 80.0).clamp(14.0, 20.0)
}

/// A rough width of `text` drawn at `size` px in a common sans-serif face,
/// erring on the wide side so that text sized by it does not overflow.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '/' | '-' | '·' => 0.36,
            'm' | 'w' | 'M' | 'W' => 0.92,
            '0'..='9' | '#' | '=' | '×' => 0.64,
            c if c.is_uppercase() => 0.72,
            _ => 0.58,
        })
        .sum();
    ems * size
}

/// `text`, cut short with an ellipsis when wider than `max_width` at `size`.
pub(crate) fn fit_text(text: &str, size: f64, max_width: f64) -> String {
    if text_width(text, size) <= max_width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, size) + text_width("…", size) > max_width {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// One legend entry: a swatch whose left edge is at `x`, centred on `y`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LegendItem {
    pub state: State,
    pub x: f64,
    pub y: f64,
}

/// The rows of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct RunBox {
    /// Vertical centre of the header line.
    pub header_y: f64,
    /// Top of the first lane.
    pub lanes_top: f64,
    pub lane_height: f64,
    pub lanes: usize,
}

impl RunBox {
    pub fn lanes_bottom(&self) -> f64 {
        self.lanes_top + self.lane_height * self.lanes as f64
    }
}

/// The geometry of a whole timeline.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Layout {
    /// Base font size in px.
    pub font: f64,
    pub width: f64,
    /// The height everything needs (at most the height it was given).
    pub height: f64,
    pub margin: f64,
    /// Left and right ends of the time axis.
    pub plot_x0: f64,
    pub plot_x1: f64,
    pub legend: Vec<LegendItem>,
    pub swatch: f64,
    pub runs: Vec<RunBox>,
    /// The y of the axis line, just below the last run.
    pub axis_y: f64,
    pub axis: TimeAxis,
}

impl Layout {
    /// Lays out `runs` (at least one) on `width` pixels; with a `height`,
    /// lanes and then text shrink or lanes grow to fit it.
    pub fn new(
        runs: &[RunView<'_>],
        width: f64,
        height: Option<f64>,
        style: &TimelineStyle,
    ) -> Self {
        let states = states_present(runs);
        let lanes: usize = runs.iter().map(|r| r.trace.lanes.len()).sum();
        let lanes_f = lanes as f64;
        let mut font = base_font(width, style);
        let fixed = fixed_height(runs.len(), &states, width, font);
        let mut lane_height = LANE * font;
        if let Some(height) = height {
            if fixed + lanes_f * LANE_MIN * font > height {
                // Not even the thinnest lanes fit: shrink everything.
                let needed = fixed + lanes_f * LANE_MIN * font;
                font = (font * height / needed).max(1.0);
                lane_height = LANE_MIN * font;
            } else if lanes > 0 {
                lane_height = ((height - fixed) / lanes_f).clamp(LANE_MIN * font, LANE_MAX * font);
            }
        }

        let margin = MARGIN * font;
        let label_width = runs
            .iter()
            .flat_map(|r| r.trace.lanes.iter())
            .map(|l| text_width(&l.name, LABEL_SIZE * font))
            .fold(text_width("time (ms)", TICK_SIZE * font), f64::max);
        let plot_x0 = margin + (label_width + LABEL_GAP * font).min(0.3 * width);
        let plot_x1 = (width - margin - RIGHT_PAD * font).max(plot_x0 + 1.0);

        let mut y = margin;
        let (legend, rows) = legend_items(&states, width, font, y);
        if rows > 0 {
            y += rows as f64 * LEGEND_ROW * font + LEGEND_GAP * font;
        }
        let mut boxes = Vec::with_capacity(runs.len());
        for (i, run) in runs.iter().enumerate() {
            if i > 0 {
                y += RUN_GAP * font;
            }
            let header_y = y + 0.55 * HEADER_ROW * font;
            y += HEADER_ROW * font;
            let b = RunBox {
                header_y,
                lanes_top: y,
                lane_height,
                lanes: run.trace.lanes.len(),
            };
            y = b.lanes_bottom();
            boxes.push(b);
        }
        let axis_y = y;
        y += AXIS_ROWS * font + margin;

        let max_us = runs
            .iter()
            .map(|r| r.trace.makespan_us())
            .fold(0.0, f64::max);
        let axis = time_axis(max_us, plot_x1 - plot_x0, font);
        Self {
            font,
            width,
            height: y,
            margin,
            plot_x0,
            plot_x1,
            legend,
            swatch: SWATCH * font,
            runs: boxes,
            axis_y,
            axis,
        }
    }

    /// The x of time `us` on the axis.
    pub fn x_of(&self, us: f64) -> f64 {
        self.plot_x0 + us / self.axis.max_us * (self.plot_x1 - self.plot_x0)
    }

    /// The centre of the row of tick labels.
    pub fn tick_label_y(&self) -> f64 {
        self.axis_y + 0.35 * self.font + 0.5 * (AXIS_ROWS - 0.35) * self.font
    }

    /// The length of axis ticks.
    pub fn tick_length(&self) -> f64 {
        0.35 * self.font
    }
}

/// The pixel height the timeline of `runs` wants on a canvas `width` wide.
pub(crate) fn natural_height(runs: &[RunView<'_>], width: f64, style: &TimelineStyle) -> f64 {
    let font = base_font(width, style);
    let height = if runs.is_empty() {
        0.0
    } else {
        Layout::new(runs, width, None, style).height
    };
    height.clamp(
        MIN_HEIGHT_FONTS * font,
        MAX_HEIGHT_PX.max(MIN_HEIGHT_FONTS * font),
    )
}

/// Height of everything but the lanes.
fn fixed_height(runs: usize, states: &[State], width: f64, font: f64) -> f64 {
    let (_, rows) = legend_items(states, width, font, 0.0);
    let legend = if rows > 0 {
        rows as f64 * LEGEND_ROW + LEGEND_GAP
    } else {
        0.0
    };
    let runs_f = runs as f64;
    font * (2.0 * MARGIN
        + legend
        + runs_f * HEADER_ROW
        + (runs_f - 1.0).max(0.0) * RUN_GAP
        + AXIS_ROWS)
}

/// The states that occur in any run, in legend order.
fn states_present(runs: &[RunView<'_>]) -> Vec<State> {
    let mut seen = [false; State::ALL.len()];
    for run in runs {
        for span in &run.trace.spans {
            if let Some(i) = State::ALL.iter().position(|&s| s == span.state) {
                seen[i] = true;
            }
        }
    }
    State::ALL
        .into_iter()
        .zip(seen)
        .filter_map(|(s, seen)| seen.then_some(s))
        .collect()
}

/// Legend entries flowed into right-aligned rows starting at `top`, and
/// the number of rows.
fn legend_items(states: &[State], width: f64, font: f64, top: f64) -> (Vec<LegendItem>, usize) {
    let item_width =
        |s: State| (SWATCH + SWATCH_GAP) * font + text_width(s.label(), LEGEND_SIZE * font);
    let gap = LEGEND_ITEM_GAP * font;
    let available = width - 2.0 * MARGIN * font;
    let mut rows: Vec<Vec<State>> = Vec::new();
    let mut row_width = 0.0;
    for &s in states {
        let w = item_width(s);
        match rows.last_mut() {
            Some(row) if row_width + gap + w <= available => {
                row.push(s);
                row_width += gap + w;
            }
            _ => {
                rows.push(vec![s]);
                row_width = w;
            }
        }
    }
    let right = width - MARGIN * font;
    let mut items = Vec::with_capacity(states.len());
    for (i, row) in rows.iter().enumerate() {
        let total: f64 =
            row.iter().map(|&s| item_width(s)).sum::<f64>() + gap * (row.len() as f64 - 1.0);
        let mut x = (right - total).max(MARGIN * font);
        let y = top + (i as f64 + 0.5) * LEGEND_ROW * font;
        for &state in row {
            items.push(LegendItem { state, x, y });
            x += item_width(state) + gap;
        }
    }
    (items, rows.len())
}

/// Ticks spaced so that their labels never touch.
fn time_axis(max_us: f64, plot_width: f64, font: f64) -> TimeAxis {
    let mut spacing = TICK_SPACING * font;
    let mut axis = TimeAxis::new(max_us, intervals(plot_width, spacing));
    for _ in 0..4 {
        let widest = axis
            .ticks
            .iter()
            .map(|(_, l)| text_width(l, TICK_SIZE * font))
            .fold(0.0, f64::max);
        let step_px = match axis.ticks.get(1) {
            Some((t, _)) => t / axis.max_us * plot_width,
            None => break,
        };
        if widest + font <= step_px {
            break;
        }
        spacing = spacing.max(widest + font) * 1.5;
        axis = TimeAxis::new(max_us, intervals(plot_width, spacing));
    }
    axis
}

fn intervals(plot_width: f64, spacing: f64) -> usize {
    let n = (plot_width / spacing).floor();
    if n.is_finite() && n >= 1.0 {
        n as usize
    } else {
        1
    }
}

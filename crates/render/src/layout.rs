//! Where everything goes: font size, rows, columns and the time axis,
//! computed from the runs and the pixel size alone, without a backend.

use lanes_trace::LaneKind;

use crate::axis::TimeAxis;
use crate::gil::{has_holders, lane_label};
use crate::legend::{LEGEND_ROW, LegendItem, SWATCH, keys_present, legend_items};
use crate::lod::Scale;
use crate::stack::{StackRows, rows_of};
use crate::{RunView, TimelineStyle};

// Sizes in multiples of the base font size.
pub(crate) const MARGIN: f64 = 0.75;
const LEGEND_GAP: f64 = 0.4;
const HEADER_ROW: f64 = 1.9;
const RUN_GAP: f64 = 0.9;
const LANE: f64 = 2.0;
const LANE_MIN: f64 = 1.4;
const LANE_MAX: f64 = 2.6;
/// A call-stack row's height, as a share of a lane's.
const STACK_ROW: f64 = 0.6;
/// The audio row's height, as a share of a lane's.
pub(crate) const AUDIO_ROW: f64 = 1.5;
/// Room left of a lane's name for the triangle that shows or hides its
/// stack.
pub(crate) const DISCLOSURE: f64 = 1.0;
const AXIS_ROWS: f64 = 2.1;
const LABEL_GAP: f64 = 1.0;
const RIGHT_PAD: f64 = 1.1;
const TICK_SPACING: f64 = 5.5;
/// Room between lane names and the plot for the GIL holder chips.
const CHIP_ROOM: f64 = 0.9;
pub(crate) const CHIP: f64 = 0.6;
const STRIP_GAP: f64 = 0.3;
const STRIP: f64 = 2.8;
/// The two lines that name the strip, left of it.
pub(crate) const STRIP_LABEL: [&str; 2] = ["running", "at once"];

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

/// The rows of one run: each lane's own row, then the rows of its call
/// stack that are shown.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RunBox {
    /// Vertical centre of the header line.
    pub header_y: f64,
    /// Top of the first lane.
    pub lanes_top: f64,
    /// The height of a lane's own row.
    pub lane_height: f64,
    /// The height of one row of a call stack.
    pub row_height: f64,
    /// Per lane: the stack rows shown, of how many.
    pub stacks: Vec<StackRows>,
    /// Per lane, and once more at the end: the stack rows shown above it,
    /// all lanes before it together.
    rows_before: Vec<u32>,
    /// Whether some lane has a stack, so names leave room for the triangle
    /// that shows or hides it.
    pub disclosure: bool,
    /// Whether thread lanes get a chip of their GIL holder colour.
    pub chips: bool,
    /// A playback's audio row, the run's last row, under its lanes.
    pub audio: Option<AudioBox>,
    /// The strip charting how many lanes ran at once, under the lanes.
    pub strip: Option<StripBox>,
}

/// Where a run's audio row goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AudioBox {
    pub top: f64,
    pub height: f64,
}

impl AudioBox {
    /// Whether height `y` is in the row.
    pub fn contains(&self, y: f64) -> bool {
        y >= self.top && y < self.top + self.height
    }
}

/// Where a run's concurrency strip goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StripBox {
    pub top: f64,
    pub height: f64,
}

impl RunBox {
    /// How many lanes the run has.
    pub fn lanes(&self) -> usize {
        self.stacks.len()
    }

    /// The stack rows shown above lane `i`, all lanes before it together.
    fn rows_before(&self, i: usize) -> f64 {
        let at = i.min(self.rows_before.len().saturating_sub(1));
        f64::from(self.rows_before.get(at).copied().unwrap_or(0))
    }

    pub fn lanes_bottom(&self) -> f64 {
        self.lane_top(self.lanes())
    }

    /// The top of lane `i`'s own row (for `i` the number of lanes: the
    /// bottom of the last lane's stack).
    pub fn lane_top(&self, i: usize) -> f64 {
        self.lanes_top + self.lane_height * i as f64 + self.row_height * self.rows_before(i)
    }

    /// The bottom of lane `i`'s last stack row shown (of its own row when
    /// none is).
    pub fn slot_bottom(&self, i: usize) -> f64 {
        let shown = self.stacks.get(i).map_or(0, |s| s.shown);
        self.lane_top(i) + self.lane_height + self.row_height * f64::from(shown)
    }

    /// The top of row `depth` of lane `i`'s stack.
    pub fn row_top(&self, i: usize, depth: u16) -> f64 {
        self.lane_top(i) + self.lane_height + self.row_height * f64::from(depth)
    }

    /// The lane at height `y`, if any, and the stack row there (`None` on
    /// the lane's own row).
    pub fn row_at(&self, y: f64) -> Option<(usize, Option<u16>)> {
        if !(y >= self.lanes_top && y < self.lanes_bottom()) {
            return None;
        }
        let mut top = self.lanes_top;
        for (i, s) in self.stacks.iter().enumerate() {
            let own = top + self.lane_height;
            let bottom = own + self.row_height * f64::from(s.shown);
            if y < own {
                return Some((i, None));
            }
            if y < bottom {
                let depth = ((y - own) / self.row_height).floor();
                // Within the lane's rows, so below `shown`.
                return Some((i, Some((depth as u16).min(s.shown.saturating_sub(1)))));
            }
            top = bottom;
        }
        None
    }

    /// The lane at height `y` (its own row or its stack's), if any.
    pub fn lane_at(&self, y: f64) -> Option<usize> {
        self.row_at(y).map(|(i, _)| i)
    }

    /// The bottom of the run's rows: its lanes', or its audio row's.
    pub fn rows_bottom(&self) -> f64 {
        self.audio
            .map_or_else(|| self.lanes_bottom(), |a| a.top + a.height)
    }

    /// The bottom of everything the run draws.
    pub fn bottom(&self) -> f64 {
        self.strip
            .map_or_else(|| self.rows_bottom(), |s| s.top + s.height)
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
    /// lanes and then text shrink or lanes grow to fit it. The time axis
    /// shows `window` (start and end in µs, end above start).
    pub fn new(
        runs: &[RunView<'_>],
        width: f64,
        height: Option<f64>,
        style: &TimelineStyle,
        window: (f64, f64),
    ) -> Self {
        let keys = keys_present(runs);
        let strips: Vec<bool> = runs
            .iter()
            .map(|r| style.strip && strip_lanes(r) > 0)
            .collect();
        let chips: Vec<bool> = runs.iter().map(|r| has_holders(r.trace)).collect();
        let mut stacks: Vec<Vec<StackRows>> = runs.iter().map(rows_of).collect();
        let lanes: usize = runs.iter().map(|r| r.trace.lanes.len()).sum();
        let rows: u32 = stacks.iter().flatten().map(|s| u32::from(s.shown)).sum();
        let audio: Vec<Option<String>> = runs
            .iter()
            .map(|r| r.trace.audio.as_deref().map(crate::audio::row_label))
            .collect();
        let audio_rows = audio.iter().flatten().count();
        // Every lane's height in lanes: its own row, and its stack rows;
        // and the audio rows.
        let units = lanes as f64 + STACK_ROW * f64::from(rows) + AUDIO_ROW * audio_rows as f64;
        let mut font = base_font(width, style);
        let fixed = fixed_height(runs.len(), &keys, &strips, width, font);
        let mut lane_height = LANE * font;
        if let Some(height) = height {
            if fixed + units * LANE_MIN * font > height {
                // Not even the thinnest lanes fit: shrink everything.
                let needed = fixed + units * LANE_MIN * font;
                font = (font * height / needed).max(1.0);
                lane_height = LANE_MIN * font;
            } else if units > 0.0 {
                lane_height = ((height - fixed) / units).clamp(LANE_MIN * font, LANE_MAX * font);
            }
        }

        let margin = MARGIN * font;
        let disclosure = stacks.iter().flatten().any(|s| s.depth > 0);
        let name_room = if disclosure { DISCLOSURE * font } else { 0.0 };
        let mut label_width = runs
            .iter()
            .flat_map(|r| r.trace.lanes.iter().map(|l| lane_label(r.trace, l)))
            .map(|l| text_width(&l, LABEL_SIZE * font) + name_room)
            .chain(
                audio
                    .iter()
                    .flatten()
                    .map(|l| text_width(l, LABEL_SIZE * font)),
            )
            .fold(text_width("time (ms)", TICK_SIZE * font), f64::max);
        if strips.contains(&true) {
            label_width = STRIP_LABEL
                .iter()
                .map(|l| text_width(l, TICK_SIZE * font))
                .fold(label_width, f64::max);
        }
        let chip_room = if chips.contains(&true) {
            CHIP_ROOM * font
        } else {
            0.0
        };
        let plot_x0 = margin + (label_width + LABEL_GAP * font + chip_room).min(0.3 * width);
        let plot_x1 = (width - margin - RIGHT_PAD * font).max(plot_x0 + 1.0);

        let mut y = margin;
        let (legend, rows) = legend_items(&keys, width, font, y);
        if rows > 0 {
            y += rows as f64 * LEGEND_ROW * font + LEGEND_GAP * font;
        }
        let mut boxes = Vec::with_capacity(runs.len());
        for i in 0..runs.len() {
            if i > 0 {
                y += RUN_GAP * font;
            }
            let header_y = y + 0.55 * HEADER_ROW * font;
            y += HEADER_ROW * font;
            let mut b = RunBox {
                header_y,
                lanes_top: y,
                lane_height,
                row_height: STACK_ROW * lane_height,
                disclosure: stacks[i].iter().any(|s| s.depth > 0),
                rows_before: std::iter::once(0)
                    .chain(stacks[i].iter().scan(0_u32, |sum, s| {
                        *sum += u32::from(s.shown);
                        Some(*sum)
                    }))
                    .collect(),
                stacks: std::mem::take(&mut stacks[i]),
                chips: chips[i],
                audio: None,
                strip: None,
            };
            if audio[i].is_some() {
                b.audio = Some(AudioBox {
                    top: b.lanes_bottom(),
                    height: AUDIO_ROW * lane_height,
                });
            }
            if strips[i] {
                b.strip = Some(StripBox {
                    top: b.rows_bottom() + STRIP_GAP * font,
                    height: STRIP * font,
                });
            }
            y = b.bottom();
            boxes.push(b);
        }
        let axis_y = y;
        y += AXIS_ROWS * font + margin;

        let axis = time_axis(window, plot_x1 - plot_x0, font);
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
        self.plot_x0
            + (us - self.axis.start_us) / self.axis.span_us() * (self.plot_x1 - self.plot_x0)
    }

    /// The left and right ends of the plot, in whole pixels: spans are
    /// drawn, and pointers read, on these.
    pub fn plot_px(&self) -> (i32, i32) {
        (px(self.plot_x0), px(self.plot_x1))
    }

    /// Where times go on the plot's whole pixels, drawing nothing after
    /// `until_us`.
    pub fn scale(&self, until_us: f64) -> Scale {
        let (x0, x1) = self.plot_px();
        Scale {
            start_us: self.axis.start_us,
            end_us: self.axis.end_us,
            until_us: until_us.min(self.axis.end_us),
            width_px: f64::from(x1 - x0),
        }
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
        // The window does not change heights.
        Layout::new(runs, width, None, style, (0.0, 1.0)).height
    };
    height.clamp(
        MIN_HEIGHT_FONTS * font,
        MAX_HEIGHT_PX.max(MIN_HEIGHT_FONTS * font),
    )
}

/// A pixel coordinate.
pub(crate) fn px(v: f64) -> i32 {
    // Layouts stay within a few thousand pixels; clamp anything wilder.
    v.round().clamp(-1e6, 1e6) as i32
}

/// How many lanes a run's strip counts: all but GIL lanes.
pub(crate) fn strip_lanes(run: &RunView<'_>) -> usize {
    run.trace
        .lanes
        .iter()
        .filter(|l| l.kind != LaneKind::Gil)
        .count()
}

/// Height of everything but the lanes.
fn fixed_height(
    runs: usize,
    keys: &[crate::legend::LegendKey],
    strips: &[bool],
    width: f64,
    font: f64,
) -> f64 {
    let (_, rows) = legend_items(keys, width, font, 0.0);
    let legend = if rows > 0 {
        rows as f64 * LEGEND_ROW + LEGEND_GAP
    } else {
        0.0
    };
    let runs_f = runs as f64;
    let strips_f = strips.iter().filter(|&&s| s).count() as f64;
    font * (2.0 * MARGIN
        + legend
        + runs_f * HEADER_ROW
        + (runs_f - 1.0).max(0.0) * RUN_GAP
        + strips_f * (STRIP_GAP + STRIP)
        + AXIS_ROWS)
}

/// Ticks spaced so that their labels never touch.
fn time_axis((start_us, end_us): (f64, f64), plot_width: f64, font: f64) -> TimeAxis {
    let mut spacing = TICK_SPACING * font;
    let mut axis = TimeAxis::new(start_us, end_us, intervals(plot_width, spacing));
    for _ in 0..4 {
        let widest = axis
            .ticks
            .iter()
            .map(|(_, l)| text_width(l, TICK_SIZE * font))
            .fold(0.0, f64::max);
        let step_px = match (axis.ticks.first(), axis.ticks.get(1)) {
            (Some((a, _)), Some((b, _))) => (b - a) / axis.span_us() * plot_width,
            _ => break,
        };
        if widest + font <= step_px {
            break;
        }
        spacing = spacing.max(widest + font) * 1.5;
        axis = TimeAxis::new(start_us, end_us, intervals(plot_width, spacing));
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

#[cfg(test)]
mod tests {
    use lanes_trace::{Call, Calls, Lane, Meta, Mode, Model, Scenario, Trace, Workload};

    use super::*;
    use crate::Stack;

    /// Two thread lanes; the first has a stack `depth` calls deep.
    fn trace(depth: u16) -> Trace {
        let meta = Meta {
            scenario: Scenario::new(Model::Gil, Workload::Primes, 2, 1000, 4),
            mode: Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "native".to_owned(),
            result: None,
            seed: None,
        };
        let mut t = Trace::new(
            meta,
            vec![
                Lane::thread("Worker thread 1"),
                Lane::thread("Worker thread 2"),
            ],
            Vec::new(),
        );
        let calls = (0..depth)
            .map(|d| Call {
                lane: 0,
                depth: d,
                start_us: 0.0,
                end_us: 10.0,
                name: 0,
            })
            .collect();
        t.calls = Calls::new(calls, vec!["f".to_owned()]);
        t
    }

    fn run(trace: &Trace, stacks: &'static [Stack]) -> Layout {
        let runs = [RunView {
            trace,
            speedup: None,
            stacks,
        }];
        Layout::new(&runs, 1280.0, None, &TimelineStyle::default(), (0.0, 10.0))
    }

    #[test]
    fn stack_rows_sit_between_their_lane_and_the_next() {
        let t = trace(3);
        let layout = run(&t, &[]);
        let b = &layout.runs[0];
        assert_eq!(b.stacks[0].shown, 3);
        assert!(b.row_height < b.lane_height);
        let second = b.lanes_top + b.lane_height + 3.0 * b.row_height;
        assert!((b.lane_top(1) - second).abs() < 1e-9);
        assert!((b.lanes_bottom() - (second + b.lane_height)).abs() < 1e-9);
        assert!((b.slot_bottom(0) - second).abs() < 1e-9);
        // Every height finds its lane and row.
        let mid = |top: f64, h: f64| top + h / 2.0;
        assert_eq!(b.row_at(mid(b.lane_top(0), b.lane_height)), Some((0, None)));
        for d in 0..3 {
            assert_eq!(
                b.row_at(mid(b.row_top(0, d), b.row_height)),
                Some((0, Some(d)))
            );
        }
        assert_eq!(b.row_at(mid(b.lane_top(1), b.lane_height)), Some((1, None)));
        assert_eq!(b.row_at(b.lanes_bottom() + 1.0), None);
        assert_eq!(b.row_at(b.lanes_top - 1.0), None);
        assert!(b.disclosure);
    }

    #[test]
    fn hidden_rows_give_back_their_room() {
        let t = trace(3);
        let open = run(&t, &[]);
        let closed = run(&t, &[Stack::Hidden]);
        let row = open.runs[0].row_height;
        assert!((open.height - closed.height - 3.0 * row).abs() < 1e-6);
        assert_eq!(closed.runs[0].stacks[0].shown, 0);
        assert_eq!(
            closed.runs[0].lane_at(closed.runs[0].lane_top(1) + 1.0),
            Some(1)
        );
        // Without calls: no triangle, and the names keep their place.
        let bare = run(&trace(0), &[]);
        assert!(!bare.runs[0].disclosure);
        assert!(bare.plot_x0 < open.plot_x0);
    }

    #[test]
    fn a_given_height_shrinks_stack_rows_with_the_lanes() {
        let t = trace(4);
        let runs = [RunView {
            trace: &t,
            speedup: None,
            stacks: &[],
        }];
        let style = TimelineStyle::default();
        let tight = Layout::new(&runs, 1280.0, Some(300.0), &style, (0.0, 10.0));
        assert!(tight.height <= 300.0 + 1e-6, "{}", tight.height);
        let b = &tight.runs[0];
        assert!((b.row_height / b.lane_height - STACK_ROW).abs() < 1e-9);
    }
}

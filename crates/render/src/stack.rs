//! Call stacks under their lanes: how many depth rows each lane shows, the
//! stack at a time in words, and drawing the rows as a flame chart.

use lanes_trace::{Call, Calls, Trace};
use plotters::prelude::DrawingBackend;

use crate::layout::{Layout, RunBox, TASK_SIZE, TICK_SIZE, fit_text, px, text_width};
use crate::lod::{Fill, Scale, segments};
use crate::palette::{call_tint, fill_colour, text_on};
use crate::pen::{Font, Pen};
use crate::{RenderError, RunView};

/// Rows a shown stack opens with; deeper rows wait behind "+ n more".
pub const STACK_ROWS: u16 = 4;
/// A run with more lanes with calls than this starts with its stacks
/// hidden, so that its lanes stay readable.
pub const STACK_LANES: usize = 8;
/// The most rows a whole stack shows, however deep it is.
pub const MAX_STACK_ROWS: u16 = 32;
/// Stacks deeper than this are described with their middle left out.
const DESCRIBED_CALLS: usize = 12;

/// How much of one lane's call stack a timeline shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stack {
    /// [`Stack::Shown`] on a run with at most [`STACK_LANES`] lanes with
    /// calls, [`Stack::Hidden`] on a run with more.
    #[default]
    Auto,
    /// The lane's own row alone.
    Hidden,
    /// The first [`STACK_ROWS`] rows; the rest behind "+ n more".
    Shown,
    /// Every row, up to [`MAX_STACK_ROWS`].
    Whole,
}

/// How many stack rows a lane shows, of how many it has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackRows {
    /// Rows drawn under the lane.
    pub shown: u16,
    /// Rows its stack has ([`Calls::depth_of`]); 0 for a lane without calls.
    pub depth: u16,
}

impl StackRows {
    /// Rows the stack has that are not drawn.
    pub fn hidden(&self) -> u16 {
        self.depth - self.shown
    }
}

/// How many stack rows lane `lane` of `run` shows, and how deep its stack
/// is, as [`RunView::stacks`] asks.
pub fn stack_rows(run: &RunView<'_>, lane: u32) -> StackRows {
    let auto = auto_stack(run.trace);
    rows(run, lane, auto)
}

/// [`stack_rows`] of every lane of `run`, in lane order.
pub(crate) fn rows_of(run: &RunView<'_>) -> Vec<StackRows> {
    let auto = auto_stack(run.trace);
    (0_u32..)
        .take(run.trace.lanes.len())
        .map(|lane| rows(run, lane, auto))
        .collect()
}

/// What [`Stack::Auto`] means for `trace`.
fn auto_stack(trace: &Trace) -> Stack {
    let with_calls = (0_u32..)
        .take(trace.lanes.len())
        .filter(|&l| trace.calls.depth_of(l) > 0)
        .count();
    if with_calls > STACK_LANES {
        Stack::Hidden
    } else {
        Stack::Shown
    }
}

fn rows(run: &RunView<'_>, lane: u32, auto: Stack) -> StackRows {
    let depth = run.trace.calls.depth_of(lane);
    let choice = match run.stacks.get(lane as usize).copied().unwrap_or_default() {
        Stack::Auto => auto,
        other => other,
    };
    let shown = match choice {
        Stack::Auto | Stack::Hidden => 0,
        Stack::Shown => STACK_ROWS,
        Stack::Whole => MAX_STACK_ROWS,
    };
    StackRows {
        shown: shown.min(depth),
        depth,
    }
}

/// The index in [`Calls::all`] of the innermost call of `lane`'s stack at
/// `at_us`, if it was in a call then.
pub(crate) fn innermost_at(calls: &Calls, lane: u32, at_us: f64) -> Option<usize> {
    let innermost = calls.stack_at(lane, at_us).pop()?;
    calls.index_of(innermost)
}

/// The stack that call `index` of `calls` ends, outermost first: the calls
/// around its middle down to it.
pub(crate) fn stack_of(calls: &Calls, index: usize) -> Vec<&Call> {
    let Some(call) = calls.all().get(index) else {
        return Vec::new();
    };
    let middle = (call.start_us + call.end_us) / 2.0;
    let mut stack: Vec<&Call> = calls
        .stack_at(call.lane, middle)
        .into_iter()
        .filter(|c| c.depth < call.depth)
        .collect();
    stack.push(call);
    stack
}

/// The stack that call `index` of `trace` ends, in words, outermost first,
/// each call with its duration: ["main (120.00 ms)", "work (50.00 ms)"]. A
/// stack deeper than a dozen calls keeps its outermost and innermost calls
/// and says how many it leaves out between them ("… 19 more calls …").
pub(crate) fn stack_words(trace: &Trace, index: usize) -> Vec<String> {
    let stack = stack_of(&trace.calls, index);
    let word = |c: &&Call| {
        format!(
            "{} ({})",
            trace.calls.name(c),
            crate::axis::format_precise(c.duration_us())
        )
    };
    if stack.len() > DESCRIBED_CALLS {
        let (outer, inner) = (3, DESCRIBED_CALLS - 4);
        let left_out = stack.len() - outer - inner;
        stack[..outer]
            .iter()
            .map(word)
            .chain(std::iter::once(format!("… {left_out} more calls …")))
            .chain(stack[stack.len() - inner..].iter().map(word))
            .collect()
    } else {
        stack.iter().map(word).collect()
    }
}

/// The pixel rows of the boxes in stack row `depth` of lane `lane`.
pub(crate) fn box_rows(b: &RunBox, lane: usize, depth: u16) -> (i32, i32) {
    let top = b.row_top(lane, depth);
    let gap = (0.08 * b.row_height).round().max(1.0);
    (px(top + gap), px(top + b.row_height))
}

/// Draws the stack rows of every lane of `run` in `b`: each row's calls
/// thinned like spans, tinted by name, named where the name fits; "+ n
/// more" beside the last row shown when rows are left out.
pub(crate) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    layout: &Layout,
    run: &RunView<'_>,
    b: &RunBox,
    scale: &Scale,
) -> Result<(), RenderError> {
    let f = layout.font;
    let calls = &run.trace.calls;
    let tints: Vec<usize> = calls.names().iter().map(|n| call_tint(n)).collect();
    let tint = |c: &Call| Fill::Call(tints.get(c.name as usize).copied().unwrap_or(0));
    let (plot_x0, _) = layout.plot_px();
    for (i, rows) in b.stacks.iter().enumerate() {
        let lane = u32::try_from(i).unwrap_or(u32::MAX);
        for depth in 0..rows.shown {
            let (y0, y1) = box_rows(b, i, depth);
            let size = (TASK_SIZE * f).min(0.78 * f64::from(y1 - y0));
            let row = calls.row(lane, depth);
            for seg in segments(row, scale, tint) {
                let x0 = plot_x0 + px(seg.x0);
                let x1 = (plot_x0 + px(seg.x1)).max(x0 + 1);
                let colour = fill_colour(seg.fill, &pen.theme);
                // Boxes wide enough to tell apart keep a pixel of gap.
                let right = if x1 - x0 >= 4 { x1 - 1 } else { x1 };
                pen.rect((x0, y0), (right, y1), colour)?;
                let Some(call) = seg.item.and_then(|k| row.get(k)) else {
                    continue;
                };
                let room = f64::from(right - x0) - 0.4 * f;
                if room < text_width("ab", size) {
                    continue;
                }
                // The whole name, or at least three letters of it.
                let name = calls.name(call);
                let label = fit_text(name, size, room);
                if label == name || label.chars().count() > 3 {
                    pen.text(
                        &label,
                        (f64::from(x0) + 0.2 * f, f64::from(y0 + y1) / 2.0),
                        Font::new(size, text_on(colour)),
                    )?;
                }
            }
        }
        if rows.shown > 0 && rows.hidden() > 0 {
            let last = b.row_top(i, rows.shown - 1) + b.row_height / 2.0;
            let size = (TICK_SIZE * f).min(0.8 * b.row_height);
            let label = more_label(*rows);
            let room = layout.plot_x0 - layout.margin - 1.0 * f;
            pen.text(
                &fit_text(&label, size, room),
                (layout.plot_x0 - 0.5 * f, last),
                Font::new(size, pen.theme.muted).right(),
            )?;
        }
    }
    Ok(())
}

/// "+ 3 more": the rows of a stack left out.
pub(crate) fn more_label(rows: StackRows) -> String {
    format!("+ {} more", rows.hidden())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_trace::{Lane, Meta, Mode, Model, Scenario, Workload};

    fn trace(lanes: u32, depth: u16) -> Trace {
        let meta = Meta {
            scenario: Scenario::new(Model::Gil, Workload::Primes, lanes, 1000, 4),
            mode: Mode::Recorded,
            cores: 2,
            cross_origin_isolated: true,
            environment: "native".to_owned(),
            result: None,
            seed: None,
        };
        let mut t = Trace::new(
            meta,
            (1..=lanes).map(|i| Lane::thread(format!("T{i}"))).collect(),
            Vec::new(),
        );
        let calls = (0..lanes)
            .flat_map(|lane| {
                (0..depth).map(move |d| Call {
                    lane,
                    depth: d,
                    start_us: f64::from(d),
                    end_us: 100.0 - f64::from(d),
                    name: u32::from(d),
                })
            })
            .collect();
        let names = (0..depth).map(|d| format!("f{d}")).collect();
        t.calls = Calls::new(calls, names);
        t
    }

    fn view(trace: &Trace) -> RunView<'_> {
        RunView {
            trace,
            speedup: None,
            stacks: &[],
        }
    }

    #[test]
    fn a_few_lanes_open_their_first_rows_and_many_lanes_start_closed() {
        let few = trace(3, 6);
        assert_eq!(
            stack_rows(&view(&few), 0),
            StackRows {
                shown: STACK_ROWS,
                depth: 6
            }
        );
        let many = trace(STACK_LANES as u32 + 1, 2);
        assert_eq!(stack_rows(&view(&many), 0).shown, 0);
        // A lane past the trace's has nothing to show.
        assert_eq!(stack_rows(&view(&few), 9), StackRows::default());
    }

    #[test]
    fn each_lane_follows_its_own_choice() {
        let t = trace(3, 40);
        let choices = [Stack::Hidden, Stack::Whole];
        let run = RunView {
            stacks: &choices,
            ..view(&t)
        };
        let rows = rows_of(&run);
        assert_eq!(rows[0].shown, 0);
        assert_eq!(rows[1].shown, MAX_STACK_ROWS);
        assert_eq!(rows[1].hidden(), 40 - MAX_STACK_ROWS);
        assert_eq!(rows[2].shown, STACK_ROWS, "past the choices: Auto");
        assert_eq!(more_label(rows[2]), "+ 36 more");
    }

    /// [`stack_words`] on one line, `None` when empty.
    fn describe_stack(trace: &Trace, index: usize) -> Option<String> {
        let words = stack_words(trace, index);
        (!words.is_empty()).then(|| words.join(" › "))
    }

    #[test]
    fn the_stack_of_a_call_names_it_and_its_callers() {
        let t = trace(1, 3);
        let innermost = innermost_at(&t.calls, 0, 50.0).expect("in a call");
        assert_eq!(t.calls.all()[innermost].depth, 2);
        assert_eq!(
            describe_stack(&t, innermost).as_deref(),
            Some("f0 (100 µs) › f1 (98 µs) › f2 (96 µs)")
        );
        assert_eq!(innermost_at(&t.calls, 0, 500.0), None);
        assert_eq!(describe_stack(&t, 99), None);
    }

    #[test]
    fn a_deep_stack_is_described_with_its_middle_left_out() {
        let t = trace(1, 30);
        let innermost = innermost_at(&t.calls, 0, 50.0).expect("in a call");
        let text = describe_stack(&t, innermost).unwrap_or_default();
        assert!(text.starts_with("f0 ("), "{text}");
        assert!(text.contains("… 19 more calls …"), "{text}");
        assert!(text.ends_with("f29 (42 µs)"), "{text}");
        // Three outermost calls, the gap, eight innermost.
        assert_eq!(text.matches(" › ").count(), DESCRIBED_CALLS - 1);
    }
}

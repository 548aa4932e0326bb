//! From pointer pixels back to times, spans, calls, lane names and audio
//! blocks, on the same layout that drawing uses: for zoom, pan, hover
//! details and showing or hiding stacks in the page.

use lanes_trace::{LaneKind, Trace};

use crate::axis::format_precise;
use crate::gil::held_by;
use crate::layout::Layout;
use crate::lod::Scale;
use crate::stack::{innermost_at, stack_words};
use crate::{RunView, TimelineStyle, View};

/// How far from a span, in multiples of the base font size, a pointer
/// still hits it: enough for spans a pixel wide.
const SLOP: f64 = 0.15;

/// A span found under a pointer, and the call stack there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index into the runs drawn.
    pub run: usize,
    /// The span's lane.
    pub lane: u32,
    /// Index into the run's `trace.spans`.
    pub span: usize,
    /// Index into the run's `trace.calls.all()` of the innermost call of
    /// the lane's stack at the pointer (at the span's middle, for
    /// [`Hit::of_span`]); `None` when the lane was in no call then.
    pub call: Option<usize>,
}

impl Hit {
    /// The hit on span `span` of `trace` (run `run` of those drawn), with
    /// the stack at the span's middle; `None` when there is no such span.
    pub fn of_span(trace: &Trace, run: usize, span: usize) -> Option<Self> {
        let s = trace.spans().get(span)?;
        let middle = (s.start_us + s.end_us) / 2.0;
        Some(Self {
            run,
            lane: s.lane,
            span,
            call: innermost_at(&trace.calls, s.lane, middle),
        })
    }
}

/// A lane's name (or the label column beside its stack rows) under a
/// pointer: a click there shows or hides the lane's stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelHit {
    /// Index into the runs drawn.
    pub run: usize,
    /// The lane.
    pub lane: u32,
    /// On the "+ n more" beside the last stack row shown: a click there
    /// shows the rest.
    pub more: bool,
}

/// A point of a run's audio row under a pointer: the block due nearest it
/// and the time there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AudioHit {
    /// Index into the runs drawn.
    pub run: usize,
    /// Index into the run's `trace.audio` blocks of the block due nearest
    /// the pointer (among those due by the playhead); `None` when none is.
    pub block: Option<usize>,
    /// The time at the pointer, µs.
    pub at_us: f64,
}

fn layout(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
    view: &View,
) -> Layout {
    Layout::new(
        runs,
        f64::from(width),
        Some(f64::from(height)),
        style,
        view.range(runs),
    )
}

/// The layout and scale of the timeline that [`crate::draw_timeline_view`]
/// draws with the same arguments, and the time at pixel column `x`, when
/// `(x, y)` is a point inside its time axis and something is drawn.
fn pointed(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
    view: &View,
    x: f64,
    y: f64,
) -> Option<(Layout, Scale, f64)> {
    if runs.is_empty() || !(x.is_finite() && y.is_finite()) {
        return None;
    }
    let layout = layout(runs, width, height, style, view);
    let (x0, x1) = layout.plot_px();
    if x < f64::from(x0) || x > f64::from(x1) {
        return None;
    }
    let scale = layout.scale(view.until_us());
    if !scale.is_drawable() {
        return None;
    }
    let t = scale.time(x - f64::from(x0));
    Some((layout, scale, t))
}

/// The left and right pixel of the time axis on a timeline `width` ×
/// `height` pixels drawn in `style`: pointers between them point at times.
///
/// The window does not move them.
pub fn plot_x_range(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
) -> (f64, f64) {
    let (x0, x1) = layout(runs, width, height, style, &View::default()).plot_px();
    (f64::from(x0), f64::from(x1))
}

/// The time in µs at pixel column `x` of the timeline that
/// [`crate::draw_timeline_view`] draws with the same arguments; `None`
/// outside the time axis or when there are no runs.
///
/// Ignores the playhead, so that zooming can anchor anywhere.
pub fn time_at(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
    view: &View,
    x: f64,
) -> Option<f64> {
    if runs.is_empty() || !x.is_finite() {
        return None;
    }
    let layout = layout(runs, width, height, style, view);
    let (x0, x1) = layout.plot_px();
    if x < f64::from(x0) || x > f64::from(x1) {
        return None;
    }
    Some(layout.scale(f64::INFINITY).time(x - f64::from(x0)))
}

/// The span drawn at pixel `(x, y)` of the timeline that
/// [`crate::draw_timeline_view`] draws with the same arguments, if any.
///
/// Anywhere in a lane's row counts, and a span a pixel or two away still
/// hits, so that thin spans can be pointed at; spans hidden by the window
/// or the playhead do not.
pub fn hit_test(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
    view: &View,
    x: f64,
    y: f64,
) -> Option<Hit> {
    let (layout, scale, t) = pointed(runs, width, height, style, view, x, y)?;
    let slop = SLOP * layout.font / scale.px_per_us();
    if t > scale.until_us + slop {
        return None;
    }
    let (run, i) = layout
        .runs
        .iter()
        .enumerate()
        .find_map(|(r, b)| b.lane_at(y).map(|i| (r, i)))?;
    let trace = runs.get(run)?.trace;
    let lane = u32::try_from(i).ok()?;
    let call = if t <= scale.until_us {
        innermost_at(&trace.calls, lane, t)
    } else {
        None
    };
    let offset = trace.spans().partition_point(|s| s.lane < lane);
    let spans = trace.lane_spans(lane);
    // Spans are in start order: walk back from the last that starts close
    // enough, until they end too early.
    let mut best: Option<(f64, usize)> = None;
    let end = spans.partition_point(|s| s.start_us <= t + slop);
    for (j, s) in spans[..end].iter().enumerate().rev() {
        if s.end_us < t - slop {
            break;
        }
        if s.start_us >= scale.until_us || s.end_us <= s.start_us {
            continue;
        }
        let distance = if t < s.start_us {
            s.start_us - t
        } else if t > s.end_us {
            t - s.end_us
        } else {
            0.0
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, j));
        }
    }
    let (_, j) = best?;
    Some(Hit {
        run,
        lane,
        span: offset + j,
        call,
    })
}

/// The point of an audio row at pixel `(x, y)` of the timeline that
/// [`crate::draw_timeline_view`] draws with the same arguments, if the
/// pointer is on a run's audio row, inside the time axis and not past the
/// playhead. [`describe_audio`] words it.
pub fn audio_at(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
    view: &View,
    x: f64,
    y: f64,
) -> Option<AudioHit> {
    let (layout, scale, at_us) = pointed(runs, width, height, style, view, x, y)?;
    if at_us > scale.until_us {
        return None;
    }
    let run = layout
        .runs
        .iter()
        .position(|b| b.audio.is_some_and(|a| a.contains(y)))?;
    let audio = runs.get(run)?.trace.audio.as_ref()?;
    Some(AudioHit {
        run,
        block: crate::audio::nearest_block(audio, at_us, scale.until_us),
        at_us,
    })
}

/// The audio row's point `hit` in words, for a tooltip: the block due
/// nearest it and the buffer there: "block 37 due at 412.3 ms: late by
/// 5.80 ms (silence) · buffer 640 / 768 frames", or "block 38 due at
/// 415.0 ms: met, ready 2.10 ms early · buffer 768 / 768 frames".
pub fn describe_audio(runs: &[RunView<'_>], hit: AudioHit) -> Option<String> {
    let audio = runs.get(hit.run)?.trace.audio.as_ref()?;
    crate::audio::describe(audio, hit.block, hit.at_us)
}

/// The lane whose name, or whose stack rows' label column, is at pixel
/// `(x, y)` of the timeline that [`crate::draw_timeline_view`] draws with
/// the same arguments, when that lane has a call stack to show or hide.
pub fn label_at(
    runs: &[RunView<'_>],
    width: u32,
    height: u32,
    style: &TimelineStyle,
    view: &View,
    x: f64,
    y: f64,
) -> Option<LabelHit> {
    if runs.is_empty() || !(x.is_finite() && y.is_finite()) {
        return None;
    }
    let layout = layout(runs, width, height, style, view);
    if x < layout.margin || x >= layout.plot_x0 {
        return None;
    }
    let (run, (i, row)) = layout
        .runs
        .iter()
        .enumerate()
        .find_map(|(r, b)| b.row_at(y).map(|at| (r, at)))?;
    let rows = *layout.runs.get(run)?.stacks.get(i)?;
    if rows.depth == 0 {
        return None;
    }
    let more = rows.hidden() > 0 && row.is_some_and(|d| d + 1 == rows.shown);
    Some(LabelHit {
        run,
        lane: u32::try_from(i).ok()?,
        more,
    })
}

/// A one-line description of the span `hit` points at, for a tooltip:
/// [`describe_span`], then the stack there, outermost call first, each
/// with its duration ("· stack: main (1.200 s) › count (40.00 ms)").
pub fn describe_hit(runs: &[RunView<'_>], hit: Hit) -> Option<String> {
    let mut text = describe_span(runs, hit)?;
    let stack = hit_stack(runs, hit);
    if !stack.is_empty() {
        text.push_str(&format!(" · stack: {}", stack.join(" › ")));
    }
    Some(text)
}

/// The call stack `hit` carries, outermost first, each call in words with
/// its duration: "main (1.200 s)", "count (40.00 ms)"; a stack deeper than
/// a dozen calls says how many it leaves out of its middle. Empty when
/// the hit is in no call.
pub fn hit_stack(runs: &[RunView<'_>], hit: Hit) -> Vec<String> {
    let Some(trace) = runs.get(hit.run).map(|r| r.trace) else {
        return Vec::new();
    };
    hit.call
        .filter(|&c| trace.calls.all().get(c).is_some_and(|c| c.lane == hit.lane))
        .map(|c| stack_words(trace, c))
        .unwrap_or_default()
}

/// A one-line description of the span `hit` points at, without its stack:
/// "Thread 2 · running · task #5 · 12.30 ms to 18.90 ms (6.60 ms)", and on
/// a GIL lane that is not Lanes' own lock how it was known ("· GIL
/// inferred from the calls").
pub fn describe_span(runs: &[RunView<'_>], hit: Hit) -> Option<String> {
    let trace = runs.get(hit.run)?.trace;
    let span = trace.spans().get(hit.span)?;
    let lane = trace.lanes.get(span.lane as usize)?;
    let what = match (held_by(span), span.task) {
        (Some(holder), _) => {
            let name = trace
                .lanes
                .get(holder as usize)
                .map_or_else(|| format!("lane {holder}"), |l| l.name.clone());
            format!("held by {name}")
        }
        (None, Some(task)) => {
            format!("{} · task #{task}", span.state.label())
        }
        _ => span.state.label().to_owned(),
    };
    // Imported slices keep their own names, e.g. "load_dataset".
    let what = match trace.span_label(hit.span) {
        Some(label) => format!("{label} ({what})"),
        None => what,
    };
    let mut text = format!(
        "{} · {what} · {} to {} ({})",
        lane.name,
        format_precise(span.start_us),
        format_precise(span.end_us),
        format_precise(span.duration_us()),
    );
    if let Some(evidence) = trace.gil_evidence.filter(|_| lane.kind == LaneKind::Gil) {
        text.push_str(&format!(" · GIL {}", evidence.label()));
    }
    Some(text)
}

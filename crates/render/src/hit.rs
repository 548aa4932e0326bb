//! From pointer pixels back to times and spans, on the same layout that
//! drawing uses: for zoom, pan and hover details in the page.

use crate::axis::format_precise;
use crate::gil::held_by;
use crate::layout::Layout;
use crate::{RunView, TimelineStyle, View};

/// How far from a span, in multiples of the base font size, a pointer
/// still hits it: enough for spans a pixel wide.
const SLOP: f64 = 0.15;

/// A span found under a pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index into the runs drawn.
    pub run: usize,
    /// The span's lane.
    pub lane: u32,
    /// Index into the run's `trace.spans`.
    pub span: usize,
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
    })
}

/// A one-line description of the span `hit` points at, for a tooltip:
/// "Thread 2 · running · task #5 · 12.30 ms to 18.90 ms (6.60 ms)".
pub fn describe_hit(runs: &[RunView<'_>], hit: Hit) -> Option<String> {
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
    Some(format!(
        "{} · {what} · {} to {} ({})",
        lane.name,
        format_precise(span.start_us),
        format_precise(span.end_us),
        format_precise(span.duration_us()),
    ))
}

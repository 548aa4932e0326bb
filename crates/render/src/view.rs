//! What part of a timeline to show: the time window, the replay playhead
//! and the highlighted span, with the zoom and pan arithmetic over them.

use crate::{Hit, RunView};

/// The narrowest window [`View::zoomed`] goes down to, in µs.
const MIN_WINDOW_US: f64 = 1.0;

/// Which part of the timeline to show, and how.
///
/// `View::default()` shows every run whole, with no playhead and nothing
/// highlighted: what [`crate::draw_timeline`] draws.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct View {
    /// The visible time range in µs, start then end; `None` (or a range
    /// that is not a finite start before a finite end) shows 0 to the
    /// longest makespan.
    pub window: Option<(f64, f64)>,
    /// Replay: draw only what happened before this time, in µs, and a
    /// playhead line there.
    pub playhead_us: Option<f64>,
    /// The span under the pointer or the keyboard focus, drawn with a strong
    /// outline.
    pub highlight: Option<Hit>,
}

impl View {
    /// The time range shown, in µs: the window when it is sensible, or else
    /// 0 to the longest makespan of `runs` (1 ms when that is 0).
    pub fn range(&self, runs: &[RunView<'_>]) -> (f64, f64) {
        match self.window {
            Some((start, end)) if start.is_finite() && end.is_finite() && end > start => {
                (start, end)
            }
            _ => full_range(runs),
        }
    }

    /// The playhead, when it is a finite time.
    pub(crate) fn playhead(&self) -> Option<f64> {
        self.playhead_us.filter(|t| t.is_finite())
    }

    /// Nothing later than this is drawn: the playhead, or else never.
    pub(crate) fn until_us(&self) -> f64 {
        self.playhead().unwrap_or(f64::INFINITY)
    }

    /// This view zoomed in by `factor` (above 1 zooms in, below 1 out),
    /// keeping time `at_us` where it is on screen.
    ///
    /// The window stays inside the runs' whole range and no narrower than
    /// 1 µs; once it covers the whole range it becomes `None`.
    #[must_use]
    pub fn zoomed(self, runs: &[RunView<'_>], factor: f64, at_us: f64) -> Self {
        let (start, end) = self.range(runs);
        if !(factor.is_finite() && factor > 0.0) {
            return self;
        }
        let at = if at_us.is_finite() {
            at_us.clamp(start, end)
        } else {
            (start + end) / 2.0
        };
        let (full_start, full_end) = full_range(runs);
        let full = full_end - full_start;
        let width = ((end - start) / factor).clamp(MIN_WINDOW_US.min(full), full);
        let share = (at - start) / (end - start);
        self.with_window(runs, at - share * width, width)
    }

    /// This view moved later by `delta_us` (earlier when negative), kept
    /// inside the runs' whole range.
    #[must_use]
    pub fn panned(self, runs: &[RunView<'_>], delta_us: f64) -> Self {
        let (start, end) = self.range(runs);
        if !delta_us.is_finite() {
            return self;
        }
        self.with_window(runs, start + delta_us, end - start)
    }

    /// This view showing `width` µs from `start`, moved to fit the whole
    /// range; `None` when it covers all of it.
    fn with_window(self, runs: &[RunView<'_>], start: f64, width: f64) -> Self {
        let (full_start, full_end) = full_range(runs);
        let window = if width >= full_end - full_start {
            None
        } else {
            let start = start.clamp(full_start, full_end - width);
            Some((start, start + width))
        };
        Self { window, ..self }
    }
}

/// 0 to the longest makespan of `runs` (or the end of an audio track, when
/// later), or 0 to 1 ms when that is 0.
fn full_range(runs: &[RunView<'_>]) -> (f64, f64) {
    let max = runs
        .iter()
        .map(|r| r.trace.makespan_us().max(audio_end_us(r.trace)))
        .fold(0.0, f64::max);
    if max.is_finite() && max > 0.0 {
        (0.0, max)
    } else {
        (0.0, 1000.0)
    }
}

/// When a run's audio track ends: its last block's silence, or its last
/// fill sample (0 without a track).
fn audio_end_us(trace: &lanes_trace::Trace) -> f64 {
    trace.audio.as_ref().map_or(0.0, |a| {
        let blocks = a.blocks.last().map_or(0.0, |b| b.due_us + b.late_us);
        let fill = a.fill.last().map_or(0.0, |f| f.at_us);
        blocks.max(fill)
    })
}

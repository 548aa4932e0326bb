#![doc = include_str!("../README.md")]

mod amdahl;
mod audio;
mod axis;
mod draw;
mod events;
mod gil;
mod hit;
mod layout;
mod legend;
mod lod;
mod palette;
mod pen;
mod speedup;
mod stack;
mod strip;
mod view;

pub use amdahl::{amdahl_fit, amdahl_speedup};
pub use draw::{draw_timeline, draw_timeline_view};
pub use hit::{
    AudioHit, Hit, LabelHit, audio_at, describe_audio, describe_hit, describe_span, hit_stack,
    hit_test, label_at, plot_x_range, time_at,
};
pub use palette::state_colour;
pub use speedup::{SpeedupSeries, draw_speedup};
pub use stack::{MAX_STACK_ROWS, STACK_LANES, STACK_ROWS, Stack, StackRows, stack_rows};
pub use view::View;

/// One run to draw: its trace, how it compares with the sequential run,
/// and how much of each lane's call stack to show.
#[derive(Clone, Copy, Debug)]
pub struct RunView<'a> {
    /// What the run did.
    pub trace: &'a lanes_trace::Trace,
    /// How many times faster than the sequential run it was, when known;
    /// computed by the caller (e.g. with `Trace::speedup_against`).
    pub speedup: Option<f64>,
    /// How much of each lane's call stack to show, by lane index; lanes
    /// past its end (all of them, for `&[]`) take [`Stack::Auto`].
    pub stacks: &'a [Stack],
}

/// How a timeline looks, beyond what its runs say.
///
/// Build it with `..TimelineStyle::default()` so that new options keep
/// their defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimelineStyle {
    /// Multiplies every text and size (1.0 by default): for example the
    /// device pixel ratio, when the canvas counts physical pixels. Widths
    /// are read as `width / scale` logical pixels.
    pub scale: f64,
    /// Light text on a dark background.
    pub dark: bool,
    /// Under each run's lanes, a strip charting how many lanes were running
    /// at once (off by default). [`timeline_height`] makes room for it.
    pub strip: bool,
}

impl Default for TimelineStyle {
    fn default() -> Self {
        Self {
            scale: 1.0,
            dark: false,
            strip: false,
        }
    }
}

impl TimelineStyle {
    /// `scale`, or 1 when it is not a sensible positive number.
    pub(crate) fn scale_or_default(&self) -> f64 {
        if self.scale.is_finite() && self.scale > 0.0 {
            self.scale.clamp(0.1, 16.0)
        } else {
            1.0
        }
    }
}

/// Why a timeline could not be drawn.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The drawing backend refused an operation.
    #[error("drawing failed: {0}")]
    Backend(String),
}

/// The pixel height to give a canvas `width` pixels wide so that every lane
/// of `runs` stays readable: about two lines of text per lane and a little
/// more than one per call-stack row shown, plus the legend, one header per
/// run, the strips when `style` asks for them, and the time axis.
///
/// The answer grows with the number of lanes but stays between ten lines
/// of text and 4096 pixels; [`draw_timeline`] makes lanes thinner, and
/// then text smaller, when it gets less.
pub fn timeline_height(runs: &[RunView<'_>], width: u32, style: &TimelineStyle) -> u32 {
    let h = layout::natural_height(runs, f64::from(width), style).ceil();
    // `natural_height` is clamped to a few thousand pixels.
    h.clamp(1.0, f64::from(u32::MAX)) as u32
}

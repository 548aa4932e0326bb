//! The timeline's own view state: zoom window, hover and focus, replay.

use std::rc::Rc;

use lanes_render::Hit;
use yew::prelude::*;

use crate::replay::Speed;

/// A span under the pointer, and where the pointer is (CSS px in the canvas).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Hover {
    pub hit: Hit,
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub(super) struct View {
    /// The zoom window in µs; `None` shows whole runs.
    pub window: Option<(f64, f64)>,
    /// The span under the pointer.
    pub hover: Option<Hover>,
    /// The span chosen with the keyboard.
    pub focus: Option<Hit>,
    /// The replay playhead, µs; `None` shows the finished run.
    pub playhead: Option<f64>,
    /// Whether the playhead moves.
    pub playing: bool,
    /// How fast it moves.
    pub speed: Speed,
}

pub(super) enum ViewAction {
    /// New runs: back to the whole picture.
    Reset,
    /// Show this window (`None`: whole runs).
    Window(Option<(f64, f64)>),
    Hover(Option<Hover>),
    Focus(Option<Hit>),
    Play {
        max_us: f64,
    },
    Pause,
    Speed(Speed),
    Seek(f64),
    /// The replay moved on by this much wall time (ms).
    Tick {
        wall_ms: f64,
        max_us: f64,
    },
    StopReplay,
}

impl Reducible for View {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let mut v = Rc::unwrap_or_clone(self);
        match action {
            ViewAction::Reset => v = Self::default(),
            ViewAction::Window(w) => v.window = w,
            ViewAction::Hover(h) => v.hover = h,
            ViewAction::Focus(f) => v.focus = f,
            ViewAction::Play { max_us } => {
                let at = v.playhead.unwrap_or(0.0);
                v.playhead = Some(if at >= max_us { 0.0 } else { at });
                v.playing = true;
            }
            ViewAction::Pause => v.playing = false,
            ViewAction::Speed(s) => v.speed = s,
            ViewAction::Seek(t) => {
                v.playhead = Some(t.max(0.0));
                v.playing = false;
            }
            ViewAction::Tick { wall_ms, max_us } => {
                if v.playing {
                    let at = crate::replay::advance(v.playhead.unwrap_or(0.0), wall_ms, v.speed);
                    if at >= max_us {
                        v.playhead = Some(max_us);
                        v.playing = false;
                    } else {
                        v.playhead = Some(at);
                    }
                }
            }
            ViewAction::StopReplay => {
                v.playhead = None;
                v.playing = false;
            }
        }
        Rc::new(v)
    }
}

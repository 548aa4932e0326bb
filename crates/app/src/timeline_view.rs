//! The timeline's own view state (zoom window, hover and focus, replay) as
//! a plain struct changed by [`View::apply`], and the pure questions the
//! timeline asks of its runs. The Yew reducer in `ui::timeline` is a thin
//! adapter over it, so this logic is tested natively.

use std::rc::Rc;

use lanes_render::{Hit, RunView};
use lanes_trace::Trace;

use crate::replay::{Speed, advance, moments, next_moment, previous_moment};

/// A span under the pointer, and where the pointer is (CSS px in the canvas).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hover {
    /// The span.
    pub hit: Hit,
    /// The pointer's x.
    pub x: f64,
    /// The pointer's y.
    pub y: f64,
}

/// What the timeline shows of its runs.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct View {
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

/// Something that changes the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ViewAction {
    /// New runs: back to the whole picture.
    Reset,
    /// Show this window (`None`: whole runs).
    Window(Option<(f64, f64)>),
    /// The pointer moved over a span, or off every span.
    Hover(Option<Hover>),
    /// The keyboard chose a span, or none.
    Focus(Option<Hit>),
    /// Play the replay, from the start once it reached `max_us`.
    Play {
        /// Where the runs end, µs.
        max_us: f64,
    },
    /// Stop the playhead where it is.
    Pause,
    /// Replay at this speed.
    Speed(Speed),
    /// Put the playhead here (µs) and stop it.
    Seek(f64),
    /// The replay moved on by this much wall time (ms).
    Tick {
        /// Wall time since the last tick, ms.
        wall_ms: f64,
        /// Where the runs end, µs: the playhead stops there.
        max_us: f64,
    },
    /// Back to the finished runs, without a playhead.
    StopReplay,
}

impl View {
    /// Applies one action.
    pub fn apply(&mut self, action: ViewAction) {
        match action {
            ViewAction::Reset => *self = Self::default(),
            ViewAction::Window(w) => self.window = w,
            ViewAction::Hover(h) => self.hover = h,
            ViewAction::Focus(f) => self.focus = f,
            ViewAction::Play { max_us } => {
                let at = self.playhead.unwrap_or(0.0);
                self.playhead = Some(if at >= max_us { 0.0 } else { at });
                self.playing = true;
            }
            ViewAction::Pause => self.playing = false,
            ViewAction::Speed(s) => self.speed = s,
            ViewAction::Seek(t) => {
                self.playhead = Some(t.max(0.0));
                self.playing = false;
            }
            ViewAction::Tick { wall_ms, max_us } => {
                if self.playing {
                    let at = advance(self.playhead.unwrap_or(0.0), wall_ms, self.speed);
                    self.playhead = Some(at.min(max_us));
                    self.playing = at < max_us;
                }
            }
            ViewAction::StopReplay => {
                self.playhead = None;
                self.playing = false;
            }
        }
    }

    /// What the renderer draws of it: the window, the playhead, and the
    /// focused span, or else the hovered one, highlighted.
    pub fn shown(&self) -> lanes_render::View {
        lanes_render::View {
            window: self.window,
            playhead_us: self.playhead,
            highlight: self.focus.or(self.hover.map(|h| h.hit)),
        }
    }
}

/// Keyboard and button zoom step (above 1 zooms in).
const KEY_ZOOM: f64 = 1.25;
/// Keyboard pan step, as a share of the window.
const KEY_PAN: f64 = 0.1;

/// What the event handlers need to map pixels and keys to the view;
/// refreshed each render.
#[derive(Clone, Debug, Default)]
pub struct Geometry {
    /// The runs drawn, with their speedups.
    pub runs: Vec<(Rc<Trace>, Option<f64>)>,
    /// The view they are drawn with.
    pub view: View,
    /// Light on dark.
    pub dark: bool,
    /// The scale the canvas was last drawn at (CSS pixels).
    pub scale: f64,
}

impl Geometry {
    /// The runs as the renderer takes them.
    pub fn views(&self) -> Vec<RunView<'_>> {
        views(&self.runs)
    }

    /// What the renderer draws of the view.
    pub fn shown(&self) -> lanes_render::View {
        self.view.shown()
    }

    /// The window after zooming by `factor` around `at_us`.
    pub fn zoomed(&self, factor: f64, at_us: f64) -> ViewAction {
        ViewAction::Window(self.shown().zoomed(&self.views(), factor, at_us).window)
    }

    /// The window after panning by `delta_us`.
    pub fn panned(&self, delta_us: f64) -> ViewAction {
        ViewAction::Window(self.shown().panned(&self.views(), delta_us).window)
    }

    /// The middle and the width of what is shown, µs.
    pub fn centre_and_width(&self) -> (f64, f64) {
        let (a, b) = self.shown().range(&self.views());
        ((a + b) / 2.0, b - a)
    }

    /// What a key asks of the focused timeline: + and − zoom, 0 (or Home)
    /// shows whole runs, ← and → pan, ] and [ step through the spans, space
    /// (or k) plays and pauses the replay, . and , step it from moment to
    /// moment, Escape ends it.
    pub fn key_action(&self, key: &str) -> Option<ViewAction> {
        if self.runs.is_empty() {
            return None;
        }
        let (centre, width) = self.centre_and_width();
        let max_us = max_us(&self.runs);
        let moments = || moments(self.runs.iter().map(|(t, _)| t.as_ref()));
        let at = self.view.playhead;
        Some(match key {
            "+" | "=" => self.zoomed(KEY_ZOOM, centre),
            "-" | "_" => self.zoomed(1.0 / KEY_ZOOM, centre),
            "0" | "Home" => ViewAction::Window(None),
            "ArrowLeft" => self.panned(-KEY_PAN * width),
            "ArrowRight" => self.panned(KEY_PAN * width),
            "]" => ViewAction::Focus(step_focus(&self.runs, self.view.focus, true)),
            "[" => ViewAction::Focus(step_focus(&self.runs, self.view.focus, false)),
            " " | "k" if self.view.playing => ViewAction::Pause,
            " " | "k" => ViewAction::Play { max_us },
            "." => ViewAction::Seek(next_moment(&moments(), at.unwrap_or(-1.0)).unwrap_or(max_us)),
            "," => {
                ViewAction::Seek(previous_moment(&moments(), at.unwrap_or(max_us)).unwrap_or(0.0))
            }
            "Escape" => ViewAction::StopReplay,
            _ => return None,
        })
    }
}

/// `runs` as the renderer takes them.
pub fn views(runs: &[(Rc<Trace>, Option<f64>)]) -> Vec<RunView<'_>> {
    runs.iter()
        .map(|(trace, speedup)| RunView {
            trace,
            speedup: *speedup,
        })
        .collect()
}

/// Where the runs end, µs: their longest makespan or latest event.
pub fn max_us(runs: &[(Rc<Trace>, Option<f64>)]) -> f64 {
    runs.iter()
        .map(|(t, _)| {
            let last_event = t.events.iter().map(|e| e.at_us).fold(0.0, f64::max);
            t.makespan_us().max(last_event)
        })
        .fold(0.0, f64::max)
}

/// The playhead's time for the replay bar: to the microsecond below a
/// second ("0.012 ms"), since replay steps from one span's edge to the
/// next and those may lie microseconds apart; in seconds above.
pub fn replay_time(us: f64) -> String {
    let ms = us / 1000.0;
    if ms < 999.5 {
        format!("{ms:.3} ms")
    } else {
        crate::format::duration_ms(ms)
    }
}

/// The span after (or before) `from` in reading order: run, lane, time.
fn step_focus(runs: &[(Rc<Trace>, Option<f64>)], from: Option<Hit>, forward: bool) -> Option<Hit> {
    let all: Vec<Hit> = runs
        .iter()
        .enumerate()
        .flat_map(|(run, (t, _))| {
            t.spans().iter().enumerate().map(move |(span, s)| Hit {
                run,
                lane: s.lane,
                span,
            })
        })
        .collect();
    let at = from.and_then(|f| all.iter().position(|h| *h == f));
    let next = match (at, forward) {
        (None, true) => Some(0),
        (None, false) => all.len().checked_sub(1),
        (Some(i), true) => Some((i + 1).min(all.len().saturating_sub(1))),
        (Some(i), false) => Some(i.saturating_sub(1)),
    };
    next.and_then(|i| all.get(i).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_time_tells_moments_microseconds_apart() {
        assert_eq!(replay_time(8.0), "0.008 ms");
        assert_eq!(replay_time(12.0), "0.012 ms");
        assert_eq!(replay_time(420_500.0), "420.500 ms");
        assert_eq!(replay_time(1_420_000.0), "1.42 s");
    }
    use lanes_sim::{CostModel, Options, simulate};
    use lanes_trace::{Model, Scenario, Workload};

    fn runs() -> Vec<(Rc<Trace>, Option<f64>)> {
        let scenario = Scenario::new(Model::Free, Workload::Primes, 2, 100_000, 4);
        let trace = simulate(
            &scenario,
            &CostModel::reference(),
            &Options { cores: 2, seed: 1 },
        )
        .unwrap();
        vec![(Rc::new(trace), None)]
    }

    #[test]
    fn the_replay_plays_to_the_end_and_stops_there() {
        let mut v = View::default();
        v.apply(ViewAction::Play { max_us: 1_000.0 });
        assert_eq!((v.playhead, v.playing), (Some(0.0), true));
        v.apply(ViewAction::Tick {
            wall_ms: 0.4,
            max_us: 1_000.0,
        });
        assert_eq!((v.playhead, v.playing), (Some(400.0), true));
        v.apply(ViewAction::Tick {
            wall_ms: 5.0,
            max_us: 1_000.0,
        });
        assert_eq!((v.playhead, v.playing), (Some(1_000.0), false));
        v.apply(ViewAction::Play { max_us: 1_000.0 });
        assert_eq!(v.playhead, Some(0.0), "at the end, Play starts again");
        v.apply(ViewAction::Seek(-5.0));
        assert_eq!((v.playhead, v.playing), (Some(0.0), false));
        v.apply(ViewAction::Tick {
            wall_ms: 1.0,
            max_us: 1_000.0,
        });
        assert_eq!(v.playhead, Some(0.0), "a paused playhead stays");
        v.apply(ViewAction::StopReplay);
        assert_eq!(v.playhead, None);
    }

    #[test]
    fn focus_wins_over_hover_and_reset_clears_everything() {
        let hit = |span| Hit {
            run: 0,
            lane: 0,
            span,
        };
        let mut v = View::default();
        v.apply(ViewAction::Window(Some((1.0, 2.0))));
        v.apply(ViewAction::Hover(Some(Hover {
            hit: hit(1),
            x: 3.0,
            y: 4.0,
        })));
        assert_eq!(v.shown().highlight, Some(hit(1)));
        v.apply(ViewAction::Focus(Some(hit(2))));
        assert_eq!(v.shown().highlight, Some(hit(2)));
        assert_eq!(v.shown().window, Some((1.0, 2.0)));
        v.apply(ViewAction::Speed(Speed::Tenth));
        v.apply(ViewAction::Reset);
        assert_eq!(v, View::default());
    }

    #[test]
    fn focus_steps_through_every_span_and_stops_at_the_ends() {
        let runs = runs();
        let n = runs[0].0.spans().len();
        let first = step_focus(&runs, None, true).expect("a span");
        assert_eq!(first.span, 0);
        assert_eq!(step_focus(&runs, Some(first), false), Some(first));
        let last = step_focus(&runs, None, false).expect("a span");
        assert_eq!(last.span, n - 1);
        assert_eq!(step_focus(&runs, Some(last), true), Some(last));
        assert_eq!(
            step_focus(&runs, Some(first), true).map(|h| h.span),
            Some(1)
        );
        assert_eq!(step_focus(&[], None, true), None);
        assert!(max_us(&runs) >= runs[0].0.makespan_us());
        assert_eq!(max_us(&[]), 0.0);
    }

    #[test]
    fn keys_zoom_pan_step_and_replay() {
        let g = Geometry {
            runs: runs(),
            ..Geometry::default()
        };
        let Some(ViewAction::Window(Some((a, b)))) = g.key_action("+") else {
            panic!("+ zooms in");
        };
        let whole = max_us(&g.runs);
        assert!(b - a < whole, "{a}..{b} of {whole}");
        assert_eq!(g.key_action("0"), Some(ViewAction::Window(None)));
        assert_eq!(g.key_action("k"), Some(ViewAction::Play { max_us: whole }));
        assert!(matches!(g.key_action(","), Some(ViewAction::Seek(t)) if t < whole));
        assert!(matches!(g.key_action("."), Some(ViewAction::Seek(t)) if t > 0.0));
        assert!(matches!(
            g.key_action("]"),
            Some(ViewAction::Focus(Some(_)))
        ));
        assert_eq!(g.key_action("x"), None);
        assert_eq!(Geometry::default().key_action("+"), None, "nothing to zoom");
    }
}

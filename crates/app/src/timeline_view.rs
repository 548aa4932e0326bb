//! The timeline's own view state (zoom window, hover and focus, replay,
//! which call stacks are open) as a plain struct changed by
//! [`View::apply`], and the pure questions the timeline asks of its runs.
//! The Yew reducer in `ui::timeline` is a thin adapter over it, so this
//! logic is tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use lanes_render::{Hit, LabelHit, RunView, Stack, stack_rows};
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
    /// How much of each lane's call stack is shown, by (run, lane), where
    /// it was chosen; other lanes take `every`.
    pub stacks: BTreeMap<(usize, u32), Stack>,
    /// How much of the stack every lane shows unless chosen on its own
    /// ([`Stack::Auto`]: the renderer's default).
    pub every: Stack,
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
    /// Show this much of one lane's call stack.
    Stack {
        /// Index into the runs drawn.
        run: usize,
        /// The lane.
        lane: u32,
        /// How much to show.
        stack: Stack,
    },
    /// Show this much of every lane's call stack.
    Stacks(Stack),
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
            ViewAction::Stack { run, lane, stack } => {
                self.stacks.insert((run, lane), stack);
            }
            ViewAction::Stacks(stack) => {
                self.stacks.clear();
                self.every = stack;
            }
        }
    }

    /// What each lane of each of `runs` shows of its stack, as
    /// [`RunView::stacks`] takes it.
    pub fn stack_choices(&self, runs: &[(Rc<Trace>, Option<f64>)]) -> Vec<Vec<Stack>> {
        runs.iter()
            .enumerate()
            .map(|(run, (trace, _))| {
                (0_u32..)
                    .take(trace.lanes.len())
                    .map(|lane| self.stacks.get(&(run, lane)).copied().unwrap_or(self.every))
                    .collect()
            })
            .collect()
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
    /// What each lane of each run shows of its stack ([`View::stack_choices`]).
    stacks: Vec<Vec<Stack>>,
}

impl Geometry {
    /// The geometry of `runs` drawn with `view`.
    pub fn new(runs: Vec<(Rc<Trace>, Option<f64>)>, view: View, dark: bool, scale: f64) -> Self {
        let stacks = view.stack_choices(&runs);
        Self {
            runs,
            view,
            dark,
            scale,
            stacks,
        }
    }

    /// What each lane of each run shows of its stack.
    pub fn stacks(&self) -> &[Vec<Stack>] {
        &self.stacks
    }

    /// The runs as the renderer takes them.
    pub fn views(&self) -> Vec<RunView<'_>> {
        views(&self.runs, &self.stacks)
    }

    /// What a click on a lane's name (or its "+ n more") asks: hide an
    /// open stack or open a hidden one; show the rest, or only the first
    /// rows again.
    pub fn label_action(&self, hit: LabelHit) -> Option<ViewAction> {
        let views = self.views();
        let rows = stack_rows(views.get(hit.run)?, hit.lane);
        let stack = if hit.more {
            if rows.hidden() > 0 && rows.shown < lanes_render::MAX_STACK_ROWS {
                Stack::Whole
            } else {
                Stack::Shown
            }
        } else if rows.shown > 0 {
            Stack::Hidden
        } else {
            Stack::Shown
        };
        Some(ViewAction::Stack {
            run: hit.run,
            lane: hit.lane,
            stack,
        })
    }

    /// What s (`whole` false) or S (`whole` true) asks: on the focused
    /// span's lane, s shows or hides the stack and S shows all of it or
    /// only its first rows; with nothing focused, the same for every lane.
    fn stack_key(&self, whole: bool) -> Option<ViewAction> {
        let views = self.views();
        if let Some(focus) = self.view.focus {
            let rows = stack_rows(views.get(focus.run)?, focus.lane);
            if rows.depth == 0 {
                return None;
            }
            let stack = match (whole, rows.shown) {
                (false, 0) => Stack::Shown,
                (false, _) => Stack::Hidden,
                (true, _)
                    if self.view.stacks.get(&(focus.run, focus.lane)) == Some(&Stack::Whole) =>
                {
                    Stack::Shown
                }
                (true, _) => Stack::Whole,
            };
            return Some(ViewAction::Stack {
                run: focus.run,
                lane: focus.lane,
                stack,
            });
        }
        let lanes = || {
            views.iter().flat_map(|v| {
                (0_u32..)
                    .take(v.trace.lanes.len())
                    .map(move |lane| stack_rows(v, lane))
            })
        };
        if lanes().all(|r| r.depth == 0) {
            return None;
        }
        let stack = match (whole, lanes().any(|r| r.shown > 0)) {
            (false, true) => Stack::Hidden,
            (false, false) => Stack::Shown,
            (true, _) if self.view.every == Stack::Whole => Stack::Shown,
            (true, _) => Stack::Whole,
        };
        Some(ViewAction::Stacks(stack))
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
    /// moment, Escape ends it, s shows or hides call stacks and S shows
    /// them whole: on the focused span's lane, or on every lane when none is.
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
            "s" => return self.stack_key(false),
            "S" => return self.stack_key(true),
            _ => return None,
        })
    }
}

/// `runs` as the renderer takes them, each lane showing as much of its
/// call stack as `stacks` says (run by run, lane by lane; missing: the
/// renderer's default).
pub fn views<'a>(
    runs: &'a [(Rc<Trace>, Option<f64>)],
    stacks: &'a [Vec<Stack>],
) -> Vec<RunView<'a>> {
    runs.iter()
        .enumerate()
        .map(|(i, (trace, speedup))| RunView {
            trace,
            speedup: *speedup,
            stacks: stacks.get(i).map_or(&[], Vec::as_slice),
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

/// The span after (or before) `from` in reading order (run, lane, time),
/// with the call stack at its middle.
fn step_focus(runs: &[(Rc<Trace>, Option<f64>)], from: Option<Hit>, forward: bool) -> Option<Hit> {
    let all: Vec<(usize, usize)> = runs
        .iter()
        .enumerate()
        .flat_map(|(run, (t, _))| (0..t.spans().len()).map(move |span| (run, span)))
        .collect();
    let at = from.and_then(|f| all.iter().position(|&(r, s)| (r, s) == (f.run, f.span)));
    let next = match (at, forward) {
        (None, true) => Some(0),
        (None, false) => all.len().checked_sub(1),
        (Some(i), true) => Some((i + 1).min(all.len().saturating_sub(1))),
        (Some(i), false) => Some(i.saturating_sub(1)),
    };
    let (run, span) = next.and_then(|i| all.get(i).copied())?;
    Hit::of_span(&runs.get(run)?.0, run, span)
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

    use super::LabelHit;

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
            call: None,
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
        // No run has call stacks: s and S have nothing to show.
        assert_eq!(g.key_action("s"), None);
        assert_eq!(g.key_action("S"), None);
    }

    /// A run of two threads, the first with a stack six calls deep (each
    /// call inside the one before), the second with none.
    fn stacked() -> Vec<(Rc<Trace>, Option<f64>)> {
        use lanes_trace::{Call, Calls, Lane, Span, State};
        let scenario = Scenario::new(Model::Gil, Workload::Primes, 2, 1000, 4);
        let meta = lanes_trace::Meta {
            scenario,
            mode: lanes_trace::Mode::Recorded,
            cores: 2,
            cross_origin_isolated: true,
            environment: "native".to_owned(),
            result: None,
            seed: None,
        };
        let spans = (0..2)
            .map(|lane| Span {
                lane,
                state: State::Running,
                start_us: 0.0,
                end_us: 100.0,
                task: None,
                holder: None,
            })
            .collect();
        let mut trace = Trace::new(
            meta,
            vec![Lane::thread("Thread 1"), Lane::thread("Thread 2")],
            spans,
        );
        let calls = (0..6_u16)
            .map(|depth| Call {
                lane: 0,
                depth,
                start_us: f64::from(depth),
                end_us: 100.0 - f64::from(depth),
                name: u32::from(depth),
            })
            .collect();
        trace.calls = Calls::new(calls, (0..6).map(|d| format!("f{d}")).collect());
        vec![(Rc::new(trace), None)]
    }

    /// The rows lane `lane` of run 0 shows in `g`.
    fn shown(g: &Geometry, lane: u32) -> u16 {
        stack_rows(&g.views()[0], lane).shown
    }

    #[test]
    fn stacks_open_and_close_lane_by_lane_and_all_at_once() {
        let runs = stacked();
        let mut v = View::default();
        assert_eq!(v.stack_choices(&runs), vec![vec![Stack::Auto; 2]]);
        v.apply(ViewAction::Stack {
            run: 0,
            lane: 0,
            stack: Stack::Whole,
        });
        assert_eq!(
            v.stack_choices(&runs),
            vec![vec![Stack::Whole, Stack::Auto]]
        );
        v.apply(ViewAction::Stacks(Stack::Hidden));
        assert_eq!(v.stack_choices(&runs), vec![vec![Stack::Hidden; 2]]);
        v.apply(ViewAction::Stack {
            run: 0,
            lane: 1,
            stack: Stack::Shown,
        });
        assert_eq!(
            v.stack_choices(&runs),
            vec![vec![Stack::Hidden, Stack::Shown]]
        );
        v.apply(ViewAction::Reset);
        assert_eq!(v.stack_choices(&runs), vec![vec![Stack::Auto; 2]]);
        assert_eq!(v.stack_choices(&[]), Vec::<Vec<Stack>>::new());
    }

    #[test]
    fn clicks_on_a_lane_name_hide_show_and_show_more() {
        let mut v = View::default();
        let runs = stacked();
        let g = |v: &View| Geometry::new(runs.clone(), v.clone(), false, 1.0);
        // Opened by default, four rows of six.
        assert_eq!(shown(&g(&v), 0), lanes_render::STACK_ROWS);
        let name = LabelHit {
            run: 0,
            lane: 0,
            more: false,
        };
        let more = LabelHit { more: true, ..name };
        for (click, rows) in [(name, 0), (name, 4), (more, 6), (more, 4)] {
            let action = g(&v).label_action(click).expect("an action");
            v.apply(action);
            assert_eq!(shown(&g(&v), 0), rows, "after {click:?}");
        }
        assert_eq!(g(&v).label_action(LabelHit { run: 3, ..name }), None);
    }

    #[test]
    fn s_toggles_the_focused_lane_or_every_lane() {
        let runs = stacked();
        let mut v = View::default();
        let g = |v: &View| Geometry::new(runs.clone(), v.clone(), false, 1.0);
        // Nothing focused: s hides every stack, then shows them again.
        v.apply(g(&v).key_action("s").expect("s"));
        assert_eq!(v.every, Stack::Hidden);
        assert_eq!(shown(&g(&v), 0), 0);
        v.apply(g(&v).key_action("s").expect("s"));
        assert_eq!(shown(&g(&v), 0), 4);
        // S shows them whole, and again only their first rows.
        v.apply(g(&v).key_action("S").expect("S"));
        assert_eq!(shown(&g(&v), 0), 6);
        v.apply(g(&v).key_action("S").expect("S"));
        assert_eq!(shown(&g(&v), 0), 4);
        // ] focuses the first span, on Thread 1, whose stack it carries.
        v.apply(g(&v).key_action("]").expect("]"));
        let focus = v.focus.expect("a focus");
        assert_eq!(focus.lane, 0);
        let depth = focus.call.map(|c| runs[0].0.calls.all()[c].depth);
        assert_eq!(depth, Some(5), "the innermost call at the span's middle");
        // s now acts on that lane alone.
        v.apply(g(&v).key_action("s").expect("s"));
        assert_eq!(shown(&g(&v), 0), 0);
        v.apply(g(&v).key_action("S").expect("S"));
        assert_eq!(shown(&g(&v), 0), 6);
        // Thread 2 has no stack: s on it does nothing.
        v.apply(g(&v).key_action("]").expect("]"));
        assert_eq!(v.focus.map(|f| f.lane), Some(1));
        assert_eq!(g(&v).key_action("s"), None);
    }
}

//! The timeline: the canvas, zoom and pan (wheel, pinch, drag, keys), call
//! stacks shown or hidden (a click on a lane's name, s and S), a
//! hover/focus tooltip with the stack there, replay with a playhead, and
//! export as PNG or SVG.

mod frames;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use lanes_render::{Hit, LabelHit, TimelineStyle};
use lanes_trace::Trace;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, WheelEvent};
use yew::prelude::*;

use super::Runs;
use super::listener::listen_on;
use crate::format;
use crate::replay::Speed;
use crate::timeline_view::{Geometry, Hover, View, ViewAction, max_us, replay_time, views};

/// The Yew reducer: a thin adapter over [`View::apply`].
impl Reducible for View {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let mut view = Rc::unwrap_or_clone(self);
        view.apply(action);
        Rc::new(view)
    }
}

/// Wheel zoom per pixel of scroll.
const WHEEL_ZOOM: f64 = 0.0015;

#[derive(Properties, PartialEq)]
pub(super) struct TimelineProps {
    pub runs: Runs,
    /// Draw light on dark.
    pub dark: bool,
    /// Type and drawing size (1 = normal).
    #[prop_or(1.0)]
    pub scale: f64,
    /// Fit the timeline into the window's height (embed mode), shrinking
    /// the scale if need be.
    #[prop_or_default]
    pub fit: bool,
    /// Reports a problem worth a notice (e.g. an export that failed).
    pub on_error: Callback<String>,
}

/// The canvas's CSS width.
fn css_width(canvas: &HtmlCanvasElement) -> u32 {
    u32::try_from(canvas.client_width()).unwrap_or(0)
}

/// How the canvas was drawn: device pixels, at the screen's pixel ratio.
/// Pointer positions (CSS pixels) are scaled into the same space.
fn drawn(canvas: &HtmlCanvasElement, g: &Geometry) -> (u32, u32, TimelineStyle, f64) {
    let ratio = lanes_web::pixel_ratio();
    let scale = if g.scale > 0.0 { g.scale } else { 1.0 };
    let style = TimelineStyle {
        scale: ratio * scale,
        ..timeline_style(false)
    };
    (canvas.width(), canvas.height(), style, ratio)
}

fn hit_at(canvas: &HtmlCanvasElement, g: &Geometry, x: f64, y: f64) -> Option<Hit> {
    let (w, h, style, ratio) = drawn(canvas, g);
    lanes_render::hit_test(&g.views(), w, h, &style, &g.shown(), x * ratio, y * ratio)
}

/// The audio row's block and fill level at `(x, y)`, in words.
fn audio_at(canvas: &HtmlCanvasElement, g: &Geometry, x: f64, y: f64) -> Option<String> {
    let (w, h, style, ratio) = drawn(canvas, g);
    let views = g.views();
    let hit = lanes_render::audio_at(&views, w, h, &style, &g.shown(), x * ratio, y * ratio)?;
    lanes_render::describe_audio(&views, hit)
}

fn label_at(canvas: &HtmlCanvasElement, g: &Geometry, x: f64, y: f64) -> Option<LabelHit> {
    let (w, h, style, ratio) = drawn(canvas, g);
    lanes_render::label_at(&g.views(), w, h, &style, &g.shown(), x * ratio, y * ratio)
}

fn time_at(canvas: &HtmlCanvasElement, g: &Geometry, x: f64) -> Option<f64> {
    let (w, h, style, ratio) = drawn(canvas, g);
    lanes_render::time_at(&g.views(), w, h, &style, &g.shown(), x * ratio)
}

/// µs per CSS pixel in the current window.
fn us_per_px(canvas: &HtmlCanvasElement, g: &Geometry) -> f64 {
    let (w, h, style, ratio) = drawn(canvas, g);
    let (x0, x1) = lanes_render::plot_x_range(&g.views(), w, h, &style);
    if x1 > x0 {
        g.centre_and_width().1 * ratio / (x1 - x0)
    } else {
        0.0
    }
}

/// The page's timeline style: the concurrency strip on, light or dark.
fn timeline_style(dark: bool) -> TimelineStyle {
    TimelineStyle {
        dark,
        strip: true,
        ..TimelineStyle::default()
    }
}

/// A one-line description of a span and the stack there, for the details
/// line (which screen readers announce).
fn describe(runs: &[(Rc<Trace>, Option<f64>)], hit: Hit) -> Option<String> {
    let (trace, _) = runs.get(hit.run)?;
    let detail = lanes_render::describe_hit(&views(runs, &[]), hit)?;
    Some(format!("{} · {detail}", trace.name()))
}

/// The tooltip's words: the span on one line, then the stack there, one
/// call a line, outermost first.
fn tooltip_text(runs: &[(Rc<Trace>, Option<f64>)], hit: Hit) -> Option<(String, Vec<String>)> {
    let (trace, _) = runs.get(hit.run)?;
    let views = views(runs, &[]);
    let span = lanes_render::describe_span(&views, hit)?;
    Some((
        format!("{} · {span}", trace.name()),
        lanes_render::hit_stack(&views, hit),
    ))
}

#[function_component]
pub(super) fn Timeline(props: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let view = use_reducer(View::default);
    let draw_error = use_state(|| None::<String>);
    let tick = frames::use_resize_tick();
    let geometry = use_mut_ref(Geometry::default);
    let dark = props.dark;
    let drawn_scale = geometry.borrow().scale;
    *geometry.borrow_mut() =
        Geometry::new(props.runs.0.clone(), (*view).clone(), dark, drawn_scale);
    let max = max_us(&props.runs.0);

    // New runs: show them whole.
    {
        let view = view.dispatcher();
        use_effect_with(props.runs.clone(), move |_| {
            view.dispatch(ViewAction::Reset);
        });
    }

    // Draw whenever what is shown changes. New runs are drawn on the next
    // turn of the event loop, so that the page's render of them (the
    // results, the table) and the drawing are two tasks, not one long one;
    // a zoom, a pan or a key is drawn at once. `drawing` numbers the
    // draws: a deferred one that a later one overtook is dropped.
    let drawing = use_mut_ref(|| (0_u64, None::<Runs>));
    {
        let canvas = canvas.clone();
        let draw_error = draw_error.clone();
        let shown = view.shown();
        let stacks = geometry.borrow().stacks().to_vec();
        let geometry = Rc::clone(&geometry);
        let drawing = Rc::clone(&drawing);
        let (scale, fit) = (props.scale, props.fit);
        use_effect_with(
            (
                props.runs.clone(),
                shown,
                stacks,
                tick,
                dark,
                (scale * 100.0).round() as i64,
                fit,
            ),
            move |(runs, shown, stacks, _, dark, _, fit)| {
                let (runs, shown, stacks, dark, fit) =
                    (runs.clone(), *shown, stacks.clone(), *dark, *fit);
                let generation = {
                    let mut d = drawing.borrow_mut();
                    d.0 += 1;
                    d.0
                };
                let new_runs = drawing.borrow().1.as_ref() != Some(&runs);
                let draw = move || {
                    if drawing.borrow().0 != generation {
                        return;
                    }
                    drawing.borrow_mut().1 = Some(runs.clone());
                    let Some(canvas) = canvas.cast::<HtmlCanvasElement>() else {
                        return;
                    };
                    let style = TimelineStyle {
                        scale,
                        ..timeline_style(dark)
                    };
                    let runs = views(&runs.0, &stacks);
                    let outcome = if fit {
                        let top = canvas.get_bounding_client_rect().top();
                        let height = web_sys::window()
                            .and_then(|w| w.inner_height().ok())
                            .and_then(|h| h.as_f64())
                            .unwrap_or(540.0);
                        let room = (height - top - 8.0).max(120.0) as u32;
                        lanes_web::draw_timeline_fit(&canvas, &runs, &style, &shown, room)
                    } else {
                        lanes_web::draw_timeline(&canvas, &runs, &style, &shown).map(|()| scale)
                    };
                    if let Ok(drawn) = &outcome {
                        geometry.borrow_mut().scale = *drawn;
                    }
                    let message = outcome.err().map(|e| e.to_string());
                    if *draw_error != message {
                        draw_error.set(message);
                    }
                };
                if new_runs {
                    wasm_bindgen_futures::spawn_local(async move {
                        lanes_web::next_turn().await;
                        draw();
                    });
                } else {
                    draw();
                }
            },
        );
    }

    // The wheel zooms (and pinches on touchpads); it must be able to stop
    // the page from scrolling, so it is not a passive listener.
    {
        let canvas = canvas.clone();
        let geometry = Rc::clone(&geometry);
        let dispatch = view.dispatcher();
        use_effect_with((), move |()| {
            let element = canvas.cast::<HtmlCanvasElement>();
            let target = element.clone();
            let listener = element.map(|el| {
                listen_on(el.into(), "wheel", move |e| {
                    let (Some(canvas), Some(e)) = (target.as_ref(), e.dyn_ref::<WheelEvent>())
                    else {
                        return;
                    };
                    let g = geometry.borrow();
                    if g.runs.is_empty() {
                        return;
                    }
                    let horizontal = e.shift_key() || e.delta_x().abs() > e.delta_y().abs();
                    if horizontal {
                        let delta = if e.shift_key() {
                            e.delta_y()
                        } else {
                            e.delta_x()
                        };
                        if g.view.window.is_some() {
                            e.prevent_default();
                            dispatch.dispatch(g.panned(delta * us_per_px(canvas, &g)));
                        }
                        return;
                    }
                    let Some(anchor_us) = time_at(canvas, &g, f64::from(e.offset_x())) else {
                        return;
                    };
                    e.prevent_default();
                    dispatch.dispatch(g.zoomed((-e.delta_y() * WHEEL_ZOOM).exp(), anchor_us));
                })
            });
            move || drop(listener)
        });
    }

    // Replay: move the playhead each animation frame while playing.
    {
        let dispatch = view.dispatcher();
        frames::use_animation_frames(
            view.playing,
            Callback::from(move |wall_ms: f64| {
                dispatch.dispatch(ViewAction::Tick {
                    wall_ms,
                    max_us: max,
                });
            }),
        );
    }

    // The audio row under a playback's lanes: its block and fill level at
    // the pointer, in words, and where the pointer was.
    let audio_hover = use_state(|| None::<(f64, f64, String)>);
    // Pointers: hover shows details, one pointer drags, two pointers pinch.
    let pointers: Rc<RefCell<BTreeMap<i32, (f64, f64)>>> = use_mut_ref(BTreeMap::new);
    let on_pointer_down = {
        let pointers = Rc::clone(&pointers);
        let canvas = canvas.clone();
        Callback::from(move |e: PointerEvent| {
            pointers.borrow_mut().insert(
                e.pointer_id(),
                (f64::from(e.offset_x()), f64::from(e.offset_y())),
            );
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                // Keep receiving moves while dragging outside the canvas.
                let _ = c.set_pointer_capture(e.pointer_id());
            }
        })
    };
    let on_pointer_move = {
        let pointers = Rc::clone(&pointers);
        let canvas = canvas.clone();
        let geometry = Rc::clone(&geometry);
        let audio_hover = audio_hover.clone();
        let dispatch = view.dispatcher();
        Callback::from(move |e: PointerEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            let g = geometry.borrow();
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let mut down = pointers.borrow_mut();
            let before: Vec<(f64, f64)> = down.values().copied().collect();
            if let Some(p) = down.get_mut(&e.pointer_id()) {
                let (px, _) = *p;
                *p = (x, y);
                let after: Vec<(f64, f64)> = down.values().copied().collect();
                match (before.as_slice(), after.as_slice()) {
                    ([a, b], [c2, d]) => {
                        // Pinch: the change in finger distance zooms around their middle.
                        let (d0, d1) = ((a.0 - b.0).abs(), (c2.0 - d.0).abs());
                        if d0 > 4.0
                            && d1 > 4.0
                            && let Some(anchor_us) = time_at(&c, &g, (c2.0 + d.0) / 2.0)
                        {
                            dispatch.dispatch(g.zoomed(d1 / d0, anchor_us));
                        }
                    }
                    ([_], [_]) if g.view.window.is_some() => {
                        dispatch.dispatch(g.panned((px - x) * us_per_px(&c, &g)));
                    }
                    _ => {}
                }
                return;
            }
            let hover = hit_at(&c, &g, x, y).map(|hit| Hover { hit, x, y });
            let audio = if hover.is_none() {
                audio_at(&c, &g, x, y).map(|text| (x, y, text))
            } else {
                None
            };
            if audio.as_ref().map(|a| &a.2) != audio_hover.as_ref().map(|a| &a.2) {
                audio_hover.set(audio);
            }
            // A lane's name that shows or hides a stack takes clicks.
            let clickable = hover.is_none() && label_at(&c, &g, x, y).is_some();
            let _ = c
                .style()
                .set_property("cursor", if clickable { "pointer" } else { "" });
            if hover != g.view.hover {
                dispatch.dispatch(ViewAction::Hover(hover));
            }
        })
    };
    let on_pointer_up = {
        let pointers = Rc::clone(&pointers);
        Callback::from(move |e: PointerEvent| {
            pointers.borrow_mut().remove(&e.pointer_id());
        })
    };
    // A click on a lane's name shows or hides its stack; on "+ n more",
    // the rest of it.
    let on_click = {
        let canvas = canvas.clone();
        let geometry = Rc::clone(&geometry);
        let dispatch = view.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            let g = geometry.borrow();
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            if let Some(action) = label_at(&c, &g, x, y).and_then(|hit| g.label_action(hit)) {
                dispatch.dispatch(action);
            }
        })
    };
    let on_pointer_leave = {
        let dispatch = view.dispatcher();
        let pointers = Rc::clone(&pointers);
        let audio_hover = audio_hover.clone();
        Callback::from(move |_: PointerEvent| {
            if pointers.borrow().is_empty() {
                dispatch.dispatch(ViewAction::Hover(None));
                audio_hover.set(None);
            }
        })
    };

    // Keys on the focused canvas: zoom, pan, step through spans, replay.
    let on_key = {
        let dispatch = view.dispatcher();
        let geometry = Rc::clone(&geometry);
        Callback::from(move |e: KeyboardEvent| {
            if let Some(a) = geometry.borrow().key_action(&e.key()) {
                e.prevent_default();
                dispatch.dispatch(a);
            }
        })
    };

    let toolbar = toolbar(props, &view, &canvas, &geometry, max);
    let shown = view.focus.or(view.hover.map(|h| h.hit));
    let details = shown
        .and_then(|h| describe(&props.runs.0, h))
        .or_else(|| audio_hover.as_ref().map(|a| a.2.clone()));
    let tooltip = view
        .hover
        .and_then(|h| tooltip_text(&props.runs.0, h.hit).map(|text| (h, text)));
    html! {
        <figure class="timeline">
            { toolbar }
            <div class="stage">
                <canvas id="timeline" ref={canvas} tabindex="0" role="img"
                    aria-label={summary(&props.runs)}
                    aria-describedby="span-details"
                    onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                    onpointerup={on_pointer_up.clone()} onpointercancel={on_pointer_up}
                    onpointerleave={on_pointer_leave} onkeydown={on_key}
                    onclick={on_click}></canvas>
                if let Some((h, (text, stack))) = tooltip {
                    <Tooltip x={h.x + 14.0} y={h.y + 14.0} {text} {stack} />
                } else if let Some((x, y, text)) = (*audio_hover).clone() {
                    <Tooltip x={x + 14.0} y={y + 14.0} {text} stack={Vec::new()} />
                }
            </div>
            <p class="span-details" id="span-details" aria-live="polite">
                { details.unwrap_or_else(|| hint(&props.runs)) }
            </p>
            if let Some(message) = &*draw_error {
                <figcaption class="error" role="alert">{ message }</figcaption>
            }
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct TooltipProps {
    /// Left edge, CSS pixels from the stage's.
    x: f64,
    /// Top edge, CSS pixels from the stage's.
    y: f64,
    text: String,
    /// The call stack there, outermost first (empty: none).
    stack: Vec<String>,
}

/// The hover tooltip, placed through the CSSOM.
#[function_component]
fn Tooltip(props: &TooltipProps) -> Html {
    let node = use_node_ref();
    super::cssom::use_style(
        &node,
        vec![
            ("left", format!("{:.0}px", props.x)),
            ("top", format!("{:.0}px", props.y)),
        ],
    );
    html! {
        <div class="tooltip" id="tooltip" role="tooltip" ref={node}>
            { &props.text }
            if !props.stack.is_empty() {
                <ol class="stack" aria-label="Call stack, outermost first">
                    { for props.stack.iter().map(|call| html! { <li>{ call }</li> }) }
                </ol>
            }
        </div>
    }
}

const HINT: &str = "Hover a span, or focus the timeline and press ] and [, to see its details. \
     Zoom with the wheel, a pinch or + and −; pan by dragging or with ← and →; 0 fits all.";

/// Said after [`HINT`] when some run has call stacks.
const STACK_HINT: &str =
    " Click a lane's name, or press s, to show or hide its call stack; S shows it whole.";

/// The hint under the timeline, with the stack keys when some run has
/// call stacks.
fn hint(runs: &Runs) -> String {
    let mut hint = HINT.to_owned();
    if runs.0.iter().any(|(t, _)| !t.calls.is_empty()) {
        hint.push_str(STACK_HINT);
    }
    hint
}

fn summary(runs: &Runs) -> String {
    if runs.0.is_empty() {
        return "Timeline: no runs yet.".to_owned();
    }
    let parts: Vec<String> = runs
        .0
        .iter()
        .map(|(t, speedup)| {
            let mut s = format!(
                "{} with {} lane{}, {}",
                t.name(),
                t.lanes.len(),
                if t.lanes.len() == 1 { "" } else { "s" },
                format::duration_ms(t.makespan_ms())
            );
            if t.meta()
                .is_some_and(|m| m.mode == lanes_trace::Mode::Recorded)
            {
                s.push_str(", recorded in CPython");
            }
            if let Some(evidence) = t.gil_evidence {
                s.push_str(&format!(", its GIL {}", evidence.label()));
            }
            if let Some(x) = speedup {
                s.push_str(&format!(", {} faster than sequential", format::ratio(*x)));
            }
            s
        })
        .collect();
    format!(
        "Timeline: {}. The table below has the figures.",
        parts.join("; ")
    )
}

fn toolbar(
    props: &TimelineProps,
    view: &UseReducerHandle<View>,
    canvas: &NodeRef,
    geometry: &Rc<RefCell<Geometry>>,
    max: f64,
) -> Html {
    let empty = props.runs.0.is_empty();
    let d = view.dispatcher();
    // The replay's buttons do what their keys do.
    let key = |key: &'static str| {
        let d = d.clone();
        let geometry = Rc::clone(geometry);
        Callback::from(move |_: MouseEvent| {
            if let Some(action) = geometry.borrow().key_action(key) {
                d.dispatch(action);
            }
        })
    };
    let play = key(" ");
    let step = |forward: bool| key(if forward { "." } else { "," });
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            if let Some(s) = Speed::parse(&value) {
                d.dispatch(ViewAction::Speed(s));
            }
        })
    };
    let on_seek = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value_as_number())
                .unwrap_or(f64::NAN);
            if value.is_finite() {
                d.dispatch(ViewAction::Seek(value));
            }
        })
    };
    let (show_all, fit) = (key("Escape"), key("0"));
    let export_png = {
        let canvas = canvas.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>()
                && let Err(e) = lanes_web::download_canvas_png(&c, "lanes-timeline.png")
            {
                on_error.emit(format!("The PNG could not be saved: {e}."));
            }
        })
    };
    let export_svg = {
        let canvas = canvas.clone();
        let geometry = Rc::clone(geometry);
        let on_error = props.on_error.clone();
        Callback::from(move |_: MouseEvent| {
            let g = geometry.borrow();
            let width = canvas
                .cast::<HtmlCanvasElement>()
                .map_or(1280, |c| css_width(&c));
            let style = timeline_style(g.dark);
            let saved =
                lanes_web::timeline_svg(&g.views(), width, &style, &g.shown()).and_then(|svg| {
                    lanes_web::download_text("lanes-timeline.svg", "image/svg+xml", &svg)
                });
            if let Err(e) = saved {
                on_error.emit(format!("The SVG could not be saved: {e}."));
            }
        })
    };
    let playhead = view.playhead.unwrap_or(max);
    html! {
        <div class="toolbar" role="toolbar" aria-label="Timeline tools">
            <div class="group" role="group" aria-label="Replay">
                <button type="button" id="replay-play" onclick={play} disabled={empty}
                    aria-pressed={view.playing.to_string()}>
                    { if view.playing { "Pause" } else { "▶ Replay" } }
                </button>
                <button type="button" id="replay-back" onclick={step(false)} disabled={empty}
                    title="Back to the previous moment (,)">{ "Back" }</button>
                <button type="button" id="replay-step" onclick={step(true)} disabled={empty}
                    title="On to the next moment: a span starts or ends, or an event (.)">{ "Step" }</button>
                <label class="speed" for="replay-speed">
                    <span class="visually-hidden">{ "Replay speed" }</span>
                    <select id="replay-speed" onchange={on_speed} disabled={empty}>
                        { for Speed::ALL.iter().map(|s| html! {
                            <option value={s.as_str()} selected={*s == view.speed}>{ s.label() }</option>
                        }) }
                    </select>
                </label>
                <input type="range" id="replay-position" aria-label="Playhead" min="0"
                    max={format!("{max}")} step="any" value={format!("{playhead}")}
                    oninput={on_seek} disabled={empty} />
                <output id="replay-time" for="replay-position">
                    { if view.playhead.is_some() { replay_time(playhead) } else { "end".to_owned() } }
                </output>
                if view.playhead.is_some() {
                    <button type="button" id="replay-stop" onclick={show_all}>{ "Show all" }</button>
                }
            </div>
            <div class="group" role="group" aria-label="Zoom">
                <button type="button" id="zoom-out" onclick={key("-")} disabled={empty}
                    aria-label="Zoom out">{ "−" }</button>
                <button type="button" id="zoom-in" onclick={key("+")} disabled={empty}
                    aria-label="Zoom in">{ "+" }</button>
                <button type="button" id="zoom-fit" onclick={fit}
                    disabled={empty || view.window.is_none()}>{ "Fit" }</button>
            </div>
            <div class="group" role="group" aria-label="Export">
                <button type="button" id="export-png" onclick={export_png} disabled={empty}>{ "PNG" }</button>
                <button type="button" id="export-svg" onclick={export_svg} disabled={empty}>{ "SVG" }</button>
            </div>
        </div>
    }
}

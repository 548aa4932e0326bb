//! Embed mode (`embed=1`): the scenario in a slide's iframe. A one-line bar
//! (Run, Reset, the step arrows, the type size, a link to the full page)
//! over the timeline, which fills the rest of the frame; the keyboard
//! (space runs, r resets, ← and → step through the tour) and a postMessage
//! surface for slide tools:
//!
//! | from the slide to the frame | does |
//! |---|---|
//! | `{type: 'lanes:run'}` | presses Run |
//! | `{type: 'lanes:reset'}` | clears the picture, keeps the scenario |
//! | `{type: 'lanes:step', step: 'next' \| 'prev' \| n}` | opens a step of the tour |
//!
//! | from the frame to the slide | when |
//! |---|---|
//! | `{type: 'lanes:ready'}` | once, when the page can run |
//! | `{type: 'lanes:state', state, lesson, runs}` | every change of `data-run-state` |

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{KeyboardEvent, MessageEvent};
use yew::prelude::*;

use super::Store;
use super::listener::{Listener, listen};
use crate::lessons::LESSONS;
use crate::state::Action;
use crate::url::{SCALE_RANGE, UrlState};

#[derive(Properties, PartialEq)]
pub(super) struct EmbedBarProps {
    pub form: UrlState,
    pub running: bool,
    pub can_run: bool,
    /// What the bar says besides the title (the run's status).
    pub status: String,
    pub on_action: Callback<Action>,
    pub on_cancel: Callback<()>,
}

#[function_component]
pub(super) fn EmbedBar(props: &EmbedBarProps) -> Html {
    let form = &props.form;
    let run = props.on_action.reform(|_: MouseEvent| Action::Start);
    let reset = props.on_action.reform(|_: MouseEvent| Action::Reset);
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let scale_by = |factor: f64| {
        let next = (form.scale * factor).clamp(SCALE_RANGE.0, SCALE_RANGE.1);
        props
            .on_action
            .reform(move |_: MouseEvent| Action::Set("scale", format!("{next:.2}")))
    };
    let step = |delta: i32| {
        let to = crate::lessons::step_on(form.lesson, delta);
        (
            to.is_none() || props.running,
            props
                .on_action
                .reform(move |_: MouseEvent| Action::GoToLesson(to)),
        )
    };
    let (prev_off, prev) = step(-1);
    let (next_off, next) = step(1);
    let href = format!("?{}", form.full_page_query());
    html! {
        <header class="embed-bar">
            if props.running {
                <button type="button" id="cancel-button" onclick={cancel}>{ "Cancel" }</button>
            } else {
                <button type="button" id="run-button" class="primary" disabled={!props.can_run}
                    onclick={run} title="Run (space)">{ "Run" }</button>
            }
            <button type="button" id="reset-button" disabled={props.running} onclick={reset}
                title="Clear the picture (r)">{ "Reset" }</button>
            if form.lesson.is_some() {
                <button type="button" id="step-prev" disabled={prev_off} onclick={prev}
                    aria-label="Previous step (←)">{ "◀" }</button>
                <button type="button" id="step-next" disabled={next_off} onclick={next}
                    aria-label="Next step (→)">{ "▶" }</button>
            }
            // The frame's one heading: the step or the scenario.
            <div class="embed-title"><h1>{ form.title() }</h1>{ " " }
                <span class="embed-status">{ &props.status }</span></div>
            // A spoken name begins with the text on show (WCAG 2.5.3), so
            // "A−" can be said to a voice control.
            <button type="button" id="scale-down" onclick={scale_by(1.0 / 1.2)}
                disabled={form.scale <= SCALE_RANGE.0} aria-label="A− smaller type">{ "A−" }</button>
            <button type="button" id="scale-up" onclick={scale_by(1.2)}
                disabled={form.scale >= SCALE_RANGE.1} aria-label="A+ larger type">{ "A+" }</button>
            <a id="open-full" href={href} target="_blank" rel="noopener">{ "Open in Lanes ↗" }</a>
        </header>
    }
}

/// Whether a key press belongs to a control that uses it itself.
fn typing_into(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "select" | "textarea" | "button" | "canvas" | "a"
            )
        })
}

/// The keyboard and the postMessage surface of embed mode, and the reports
/// to the embedding page. Does nothing outside embed mode.
#[hook]
pub(super) fn use_embed_control(store: &UseReducerHandle<Store>) {
    let state = &store.0;
    let embed = state.form.embed;
    {
        let dispatcher = store.dispatcher();
        use_effect_with(embed, move |&embed| {
            let listeners: Vec<Listener> = if embed {
                let keys = {
                    let dispatcher = dispatcher.clone();
                    listen("keydown", move |event| {
                        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        if typing_into(key) || key.ctrl_key() || key.meta_key() || key.alt_key() {
                            return;
                        }
                        let action = match key.key().as_str() {
                            " " => Some(Action::Start),
                            "r" | "R" => Some(Action::Reset),
                            "ArrowRight" => Some(Action::StepLesson(1)),
                            "ArrowLeft" => Some(Action::StepLesson(-1)),
                            _ => None,
                        };
                        if let Some(action) = action {
                            key.prevent_default();
                            dispatcher.dispatch(action);
                        }
                    })
                };
                let messages = listen("message", move |event| {
                    let Some(message) = event.dyn_ref::<MessageEvent>() else {
                        return;
                    };
                    // Only the embedding page steers the frame.
                    let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
                    let from_parent = match (message.source(), parent) {
                        (Some(source), Some(parent)) => {
                            JsValue::from(source) == JsValue::from(parent)
                        }
                        _ => false,
                    };
                    if !from_parent {
                        return;
                    }
                    if let Some(action) = read_message(&message.data()) {
                        dispatcher.dispatch(action);
                    }
                });
                keys.into_iter().chain(messages).collect()
            } else {
                Vec::new()
            };
            move || drop(listeners)
        });
    }
    // Ready first, then where the run stands (the effects run in order).
    let ready = embed && state.can_run();
    use_effect_with(ready, |&ready| {
        if ready {
            post_to_parent("lanes:ready", &[]);
        }
    });
    // Tell the embedding page where the run stands.
    let report = (
        embed,
        state.status.as_data(),
        state.form.lesson,
        state.batch.len(),
        state.can_run(),
    );
    use_effect_with(report, |&(embed, run_state, lesson, runs, can_run)| {
        if embed && can_run {
            post_to_parent(
                "lanes:state",
                &[
                    ("state", JsValue::from_str(run_state)),
                    ("lesson", lesson.map_or(JsValue::NULL, JsValue::from)),
                    ("runs", JsValue::from(runs as u32)),
                ],
            );
        }
    });
}

/// The action a slide tool's message asks for, if it is one of ours.
fn read_message(data: &JsValue) -> Option<Action> {
    let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
    match field("type")?.as_string()?.as_str() {
        "lanes:run" => Some(Action::Start),
        "lanes:reset" => Some(Action::Reset),
        "lanes:step" => {
            let step = field("step")?;
            match step.as_string().as_deref() {
                Some("next") => Some(Action::StepLesson(1)),
                Some("prev") => Some(Action::StepLesson(-1)),
                _ => {
                    let n = step.as_f64()?;
                    (n.fract() == 0.0 && n >= 1.0 && n <= LESSONS.len() as f64)
                        .then_some(Action::GoToLesson(Some(n as u32)))
                }
            }
        }
        _ => None,
    }
}

/// Posts `{type: kind, ...fields}` to the embedding page, if there is one.
fn post_to_parent(kind: &str, fields: &[(&str, JsValue)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if JsValue::from(parent.clone()) == JsValue::from(window) {
        return;
    }
    let message = Object::new();
    let _ = Reflect::set(
        &message,
        &JsValue::from_str("type"),
        &JsValue::from_str(kind),
    );
    for (name, value) in fields {
        let _ = Reflect::set(&message, &JsValue::from_str(name), value);
    }
    // Nothing secret is in it: any embedding page may hear it.
    let _ = parent.post_message(&message, "*");
}

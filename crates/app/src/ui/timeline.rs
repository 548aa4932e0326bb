//! The timeline canvas: redrawn when the runs, the width or the theme change.

use lanes_render::{RunView, TimelineStyle};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::Runs;
use crate::format;

#[derive(Properties, PartialEq)]
pub(super) struct TimelineProps {
    pub runs: Runs,
}

/// Bumps a counter whenever the window is resized, so the canvas redraws.
#[hook]
fn use_resize_tick() -> u32 {
    let tick = use_state(|| 0_u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |()| {
            let window = web_sys::window();
            let listener = Closure::<dyn Fn()>::new(move || tick.set(tick.wrapping_add(1)));
            if let Some(w) = &window {
                // Without the listener the canvas just keeps its size: no harm.
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    *tick
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn describe(runs: &Runs) -> String {
    if runs.0.is_empty() {
        return "Timeline: no runs yet.".to_owned();
    }
    let parts: Vec<String> = runs
        .0
        .iter()
        .map(|(t, speedup)| {
            let mut s = format!(
                "{} with {} lane{}, {}",
                t.meta.scenario.model.title(),
                t.lanes.len(),
                if t.lanes.len() == 1 { "" } else { "s" },
                format::duration_ms(t.makespan_ms())
            );
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

#[function_component]
pub(super) fn Timeline(props: &TimelineProps) -> Html {
    let canvas = use_node_ref();
    let error = use_state(|| None::<String>);
    let tick = use_resize_tick();
    {
        let canvas = canvas.clone();
        let error = error.clone();
        use_effect_with((props.runs.clone(), tick), move |(runs, _)| {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                let views: Vec<RunView<'_>> = runs
                    .0
                    .iter()
                    .map(|(trace, speedup)| RunView {
                        trace,
                        speedup: *speedup,
                    })
                    .collect();
                let style = TimelineStyle {
                    dark: prefers_dark(),
                    ..TimelineStyle::default()
                };
                let outcome = lanes_web::draw_timeline(&canvas, &views, &style);
                let message = outcome.err().map(|e| e.to_string());
                if *error != message {
                    error.set(message);
                }
            }
        });
    }
    html! {
        <figure class="timeline">
            <canvas id="timeline" ref={canvas} role="img" aria-label={describe(&props.runs)}></canvas>
            if let Some(message) = &*error {
                <figcaption class="error" role="alert">{ message }</figcaption>
            }
        </figure>
    }
}

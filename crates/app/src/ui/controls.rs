//! The control panel: models, k, size, warm processes, Run and Cancel, and
//! a link to the scenario.

use lanes_trace::Model;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::Action;
use crate::url::{
    CORES_RANGE, INTERVAL_RANGE, LATENCY_RANGE, NOTES_LABEL, NOTES_RANGE, UrlState, VOLUME_RANGE,
    k_label, offered_models, offered_workloads, size_rule, to_query,
};
use lanes_trace::Workload;
use web_sys::HtmlSelectElement;

#[derive(Properties, PartialEq)]
pub(super) struct ControlsProps {
    pub form: UrlState,
    pub running: bool,
    pub can_run: bool,
    pub on_action: Callback<Action>,
    pub on_cancel: Callback<()>,
    /// Why the audio lesson cannot play live here, if it cannot.
    pub no_live_audio: Option<&'static str>,
}

/// How a number field steps: whole numbers, or any value.
#[derive(Clone, Copy)]
enum Step {
    Whole,
    Any,
}

/// A labelled number input whose id, name and query key are all `key`.
struct NumberField {
    key: &'static str,
    label: &'static str,
    min: String,
    max: Option<String>,
    step: Step,
    value: String,
    title: Option<&'static str>,
}

/// A number field for values in `range`, both ends included.
fn number<T: ToString + Copy>(
    key: &'static str,
    label: &'static str,
    (min, max): (T, T),
    step: Step,
    value: T,
) -> NumberField {
    NumberField {
        max: Some(max.to_string()),
        ..at_least(key, label, min.to_string(), step, value.to_string())
    }
}

/// A number field for values from `min` up.
fn at_least(
    key: &'static str,
    label: &'static str,
    min: String,
    step: Step,
    value: String,
) -> NumberField {
    NumberField {
        key,
        label,
        min,
        max: None,
        step,
        value,
        title: None,
    }
}

impl NumberField {
    /// The same field, with a tooltip.
    fn titled(self, title: &'static str) -> Self {
        Self {
            title: Some(title),
            ..self
        }
    }

    fn view(self, disabled: bool, onchange: Callback<Event>) -> Html {
        let step = match self.step {
            Step::Whole => "1",
            Step::Any => "any",
        };
        html! {
            <label class="field" for={self.key} title={self.title}>
                <span>{ self.label }</span>
                <input type="number" id={self.key} name={self.key} min={self.min} max={self.max}
                    {step} value={self.value} {disabled} {onchange} />
            </label>
        }
    }
}

fn input_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The value chosen in the menu an event came from.
pub(super) fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn input_checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

#[function_component]
pub(super) fn Controls(props: &ControlsProps) -> Html {
    let form = &props.form;
    let models = offered_models().map(|m| {
        let onchange = props
            .on_action
            .reform(move |e: Event| Action::ToggleModel(m, input_checked(&e)));
        let id = format!("model-{}", m.as_str());
        html! {
            <label class="check" for={id.clone()}>
                <input type="checkbox" id={id} name="model" value={m.as_str()}
                    checked={form.models.contains(&m)} disabled={props.running} {onchange} />
                { m.title() }
            </label>
        }
    });
    let set = |name: &'static str| {
        props
            .on_action
            .reform(move |e: Event| Action::Set(name, input_value(&e)))
    };
    let tick = |name: &'static str| {
        props.on_action.reform(move |e: Event| {
            Action::Set(name, if input_checked(&e) { "1" } else { "0" }.to_owned())
        })
    };
    let (on_warm, on_sim, on_calibrated) = (tick("warm"), tick("sim"), tick("calibrated"));
    let (on_sound, on_volume) = (tick("sound"), set("volume"));
    let field = |f: NumberField| {
        let onchange = set(f.key);
        f.view(props.running, onchange)
    };
    let playback = form.workload == Workload::Playback;
    let on_workload = props
        .on_action
        .reform(|e: Event| Action::Set("workload", select_value(&e)));
    let rule = size_rule(form.workload);
    let uses_latency = matches!(form.workload, Workload::Io | Workload::Mixed);
    let uses_interval = form.models.contains(&Model::Gil);
    let uses_processes = form.models.contains(&Model::Processes);
    let k_range = form.k_range();
    let on_submit = props.on_action.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::Start
    });
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let on_sweep = props.on_action.reform(|_: MouseEvent| Action::Sweep);
    let sweep_top = if form.sim {
        form.k_range().1
    } else {
        crate::url::K_RANGE.1
    };
    let link = format!(
        "?{}",
        to_query(&UrlState {
            run: true,
            ..form.clone()
        })
    );
    html! {
        <form class="controls" id="controls" novalidate=true onsubmit={on_submit}>
            <fieldset class="models">
                <legend>{ "Models" }</legend>
                { for models }
            </fieldset>
            <label class="field" for="workload">
                <span>{ "Workload" }</span>
                <select id="workload" name="workload" disabled={props.running} onchange={on_workload}>
                    { for offered_workloads().map(|w| html! {
                        <option value={w.as_str()} selected={w == form.workload}>{ w.title() }</option>
                    }) }
                </select>
            </label>
            { field(number("k", k_label(form.workload), k_range, Step::Whole, form.k)) }
            { field(number("size", rule.label, rule.range, Step::Whole, form.size)) }
            if uses_interval {
                { field(number("interval", "Switch interval (ms)", INTERVAL_RANGE, Step::Any, form.interval_ms)) }
            }
            if uses_latency {
                { field(number("latency", "I/O latency (ms)", LATENCY_RANGE, Step::Any, form.latency_ms)) }
            }
            if playback {
                { field(number("notes", NOTES_LABEL, NOTES_RANGE, Step::Whole, form.notes)
                    .titled("The melody's length, in notes of half a second")) }
            }
            if playback {
                <fieldset class="sound" id="sound-controls">
                    <legend>{ "Sound" }</legend>
                    <label class="check" for="sound"
                        title="Off: the silent mode, for classrooms and tests. The deadlines are the same; nothing is heard">
                        <input type="checkbox" id="sound" name="sound" checked={form.sound}
                            onchange={on_sound} />
                        { "Play it aloud" }
                    </label>
                    <label class="field" for="volume">
                        <span>{ "Volume" }</span>
                        <input type="range" id="volume" name="volume" min={VOLUME_RANGE.0.to_string()}
                            max={VOLUME_RANGE.1.to_string()} step="1" value={form.volume.to_string()}
                            disabled={!form.sound} onchange={on_volume} />
                    </label>
                    if let Some(why) = props.no_live_audio {
                        <p class="note" id="audio-note" role="note">
                            { format!("The sound cannot play live here: {why}. The runs are simulated: the same deadlines, from the model.") }
                        </p>
                    }
                </fieldset>
            }
            if uses_processes {
                <label class="check" for="warm"
                    title="Reuse the processes of the previous run, as a multiprocessing.Pool kept alive: no start-up">
                    <input type="checkbox" id="warm" name="warm" checked={form.warm}
                        disabled={props.running} onchange={on_warm} />
                    { "Keep processes warm" }
                </label>
            }
            <fieldset class="simulation">
                <legend>{ "Simulation" }</legend>
                <label class="check" for="sim"
                    title="Lecture mode: every run computed by the simulator, the same picture every time for the same seed">
                    <input type="checkbox" id="sim" name="sim" checked={form.sim}
                        disabled={props.running} onchange={on_sim} />
                    { "Simulate (lecture mode)" }
                </label>
                if form.sim {
                    { field(number("cores", "Virtual cores", CORES_RANGE, Step::Whole, form.cores)) }
                    { field(at_least("seed", "Seed", "0".to_owned(), Step::Whole, form.seed.to_string())) }
                    <label class="check" for="calibrated"
                        title="Predict this machine: costs learned from the live runs on this page, not a reference laptop's">
                        <input type="checkbox" id="calibrated" name="calibrated" checked={form.calibrated}
                            disabled={props.running} onchange={on_calibrated} />
                        { "Costs measured here" }
                    </label>
                }
            </fieldset>
            <div class="actions">
                <button type="submit" id="run-button" class="primary" disabled={props.running || !props.can_run}>
                    { "Run" }
                </button>
                <button type="button" id="sweep-button" disabled={props.running || !props.can_run}
                    onclick={on_sweep}
                    title="Run the sequential baseline, then every k for each threaded model ticked, for the speedup chart">
                    { format!("Sweep k = 1…{sweep_top}") }
                </button>
                <button type="button" id="cancel-button" disabled={!props.running} onclick={on_cancel}>
                    { "Cancel" }
                </button>
                <a class="permalink" href={link}>{ "Link to this run" }</a>
                <super::import::ImportButton on_action={props.on_action.clone()} disabled={props.running} />
            </div>
        </form>
    }
}

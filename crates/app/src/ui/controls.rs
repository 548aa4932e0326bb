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
    let (on_k, on_size, on_interval, on_latency) =
        (set("k"), set("size"), set("interval"), set("latency"));
    let (on_cores, on_seed) = (set("cores"), set("seed"));
    let (on_warm, on_sim, on_calibrated) = (tick("warm"), tick("sim"), tick("calibrated"));
    let (on_sound, on_volume, on_notes) = (tick("sound"), set("volume"), set("notes"));
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
            <label class="field" for="k">
                <span>{ k_label(form.workload) }</span>
                <input type="number" id="k" name="k" min={k_range.0.to_string()} max={k_range.1.to_string()}
                    step="1" value={form.k.to_string()} disabled={props.running} onchange={on_k} />
            </label>
            <label class="field" for="size">
                <span>{ rule.label }</span>
                <input type="number" id="size" name="size" min={rule.range.0.to_string()}
                    max={rule.range.1.to_string()} step="1" value={form.size.to_string()}
                    disabled={props.running} onchange={on_size} />
            </label>
            if uses_interval {
                <label class="field" for="interval">
                    <span>{ "Switch interval (ms)" }</span>
                    <input type="number" id="interval" name="interval" min={INTERVAL_RANGE.0.to_string()}
                        max={INTERVAL_RANGE.1.to_string()} step="any" value={form.interval_ms.to_string()}
                        disabled={props.running} onchange={on_interval} />
                </label>
            }
            if uses_latency {
                <label class="field" for="latency">
                    <span>{ "I/O latency (ms)" }</span>
                    <input type="number" id="latency" name="latency" min={LATENCY_RANGE.0.to_string()}
                        max={LATENCY_RANGE.1.to_string()} step="any" value={form.latency_ms.to_string()}
                        disabled={props.running} onchange={on_latency} />
                </label>
            }
            if playback {
                <label class="field" for="notes"
                    title="The melody's length, in notes of half a second">
                    <span>{ NOTES_LABEL }</span>
                    <input type="number" id="notes" name="notes" min={NOTES_RANGE.0.to_string()}
                        max={NOTES_RANGE.1.to_string()} step="1" value={form.notes.to_string()}
                        disabled={props.running} onchange={on_notes} />
                </label>
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
                    <label class="field" for="cores">
                        <span>{ "Virtual cores" }</span>
                        <input type="number" id="cores" name="cores" min={CORES_RANGE.0.to_string()}
                            max={CORES_RANGE.1.to_string()} step="1" value={form.cores.to_string()}
                            disabled={props.running} onchange={on_cores} />
                    </label>
                    <label class="field" for="seed">
                        <span>{ "Seed" }</span>
                        <input type="number" id="seed" name="seed" min="0" step="1"
                            value={form.seed.to_string()} disabled={props.running} onchange={on_seed} />
                    </label>
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

//! Opening a trace file: a file picker, and dropping a file on the page.

use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

use crate::state::Action;

/// Reads `file`, parses it as a Chrome trace, and reports the outcome as an
/// action. Nothing shown changes unless the whole file is good. The trace
/// joins `window.lanes.traces()` only once the page shows it (see the
/// page's effect on [`crate::state::RunStatus::Imported`]): a file dropped
/// during a run is refused, and must not appear there either.
pub(super) fn open_file(file: File, on_action: Callback<Action>) {
    wasm_bindgen_futures::spawn_local(async move {
        // A right-to-left override in a file name must not turn the
        // notices and the status line around.
        let name = lanes_trace::words::visible(&file.name()).into_owned();
        let action = match lanes_web::read_file_text(&file).await {
            Err(e) => Action::ImportFailed {
                file: name,
                why: e.to_string(),
            },
            Ok(text) => match lanes_trace::from_chrome_json(&text) {
                Ok(imported) => Action::Imported {
                    file: name,
                    summary: imported.report.to_string(),
                    traces: imported.traces,
                },
                Err(e) => Action::ImportFailed {
                    file: name,
                    why: e.to_string(),
                },
            },
        };
        on_action.emit(action);
    });
}

/// The first file of a drop, if any.
pub(super) fn dropped_file(e: &DragEvent) -> Option<File> {
    e.data_transfer()?.files()?.get(0)
}

#[derive(Properties, PartialEq)]
pub(super) struct ImportButtonProps {
    pub on_action: Callback<Action>,
    pub disabled: bool,
}

/// "Open trace…": a labelled file input that accepts Chrome trace JSON.
#[function_component]
pub(super) fn ImportButton(props: &ImportButtonProps) -> Html {
    let on_change = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                open_file(file, on_action.clone());
            }
            // Let the same file be chosen again later.
            input.set_value("");
        })
    };
    html! {
        <label class={classes!("file-button", props.disabled.then_some("disabled"))} for="import-file"
            title="Open a Chrome Trace Event JSON file: one Lanes saved, or one from Perfetto, viztracer or any tool that writes the format. You can also drop it on the page.">
            { "Open trace…" }
            <input type="file" id="import-file" class="visually-hidden"
                accept=".json,application/json" disabled={props.disabled} onchange={on_change} />
        </label>
    }
}

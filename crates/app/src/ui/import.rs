//! Opening a trace file: a file picker, dropping a file on the page, and
//! the progress bar (with Cancel) while a big file is read off the main
//! thread (`lanes_web::import_file`).

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use lanes_runtime::Cancel;
use lanes_web::{ImportStep, WebError};
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

use crate::state::Action;

/// A trace file being read, as its progress bar shows it.
#[derive(Clone, Debug, PartialEq)]
struct Importing {
    /// Its name.
    file: String,
    /// How far along, 0 to 1.
    fraction: f64,
    /// What is happening, in words.
    words: &'static str,
}

/// Files from this size up (4 MB) show a progress bar and Cancel while they
/// are read; smaller ones are read before a bar could be seen.
const BAR_FROM_BYTES: f64 = 4_000_000.0;

thread_local! {
    /// The Cancel flag of the import in progress, if any.
    static CURRENT: RefCell<Option<Arc<Cancel>>> = const { RefCell::new(None) };
    /// Where the progress goes: the progress bar, while it is on the page.
    /// Only the bar redraws as a file is read, not the whole page.
    static PROGRESS: RefCell<Option<Callback<Option<Importing>>>> = const { RefCell::new(None) };
}

/// Tells the progress bar, if there is one.
fn show_progress(importing: Option<Importing>) {
    if let Some(show) = PROGRESS.with_borrow(Clone::clone) {
        show.emit(importing);
    }
}

/// Cancels the import in progress, if any: its worker ends at once.
pub(super) fn cancel_import() {
    if let Some(cancel) = CURRENT.with_borrow_mut(Option::take) {
        cancel.cancel();
    }
}

/// Reads `file` in a worker, parses it as a Chrome trace, and reports the
/// outcome as an action; a big file's progress goes to the progress bar.
/// Nothing shown changes unless the whole file is good. A file opened while
/// another is being read takes its place (the first is cancelled). The
/// trace joins `window.lanes.traces()` only once the page shows it (see the
/// page's effect on [`crate::state::RunStatus::Imported`]): a file dropped
/// during a run is refused, and must not appear there either.
pub(super) fn open_file(file: File, on_action: Callback<Action>) {
    cancel_import();
    let cancel = Arc::new(Cancel::new());
    CURRENT.set(Some(Arc::clone(&cancel)));
    wasm_bindgen_futures::spawn_local(async move {
        // A right-to-left override in a file name must not turn the
        // notices and the status line around.
        let name = lanes_trace::words::visible(&file.name()).into_owned();
        let big = file.size() >= BAR_FROM_BYTES;
        let last = Cell::new(-1.0_f64);
        let on_step = {
            let name = name.clone();
            move |step: ImportStep| {
                // A whole percent at a time: each is a redraw of the bar.
                let fraction = (step.fraction() * 100.0).floor() / 100.0;
                if !big || last.replace(fraction) == fraction {
                    return;
                }
                show_progress(Some(Importing {
                    file: name.clone(),
                    fraction,
                    words: step.words(),
                }));
            }
        };
        let outcome = lanes_web::import_file(&file, Arc::clone(&cancel), &on_step).await;
        // A later file took over: its own outcome and progress will be shown.
        let superseded =
            CURRENT.with_borrow(|c| c.as_ref().is_some_and(|c| !Arc::ptr_eq(c, &cancel)));
        if superseded {
            return;
        }
        CURRENT.set(None);
        show_progress(None);
        on_action.emit(match outcome {
            Ok(imported) => Action::Imported {
                file: name,
                summary: imported.summary,
                traces: imported.traces,
            },
            Err(WebError::Run(lanes_runtime::RunError::Cancelled)) => {
                Action::ImportCancelled { file: name }
            }
            Err(e) => Action::ImportFailed {
                file: name,
                why: e.to_string(),
            },
        });
    });
}

/// The progress of a big file being read, with Cancel; nothing otherwise.
#[function_component]
pub(super) fn ImportProgress() -> Html {
    let importing = use_state(|| None::<Importing>);
    {
        let importing = importing.clone();
        use_effect_with((), move |()| {
            PROGRESS.set(Some(Callback::from(move |i| importing.set(i))));
            || PROGRESS.set(None)
        });
    }
    let Some(importing) = importing.as_ref() else {
        return html! {};
    };
    let percent = (importing.fraction * 100.0).round();
    html! {
        <p class="import-progress" role="status">
            <label for="import-progress">
                { format!("Opening {}: {}…", importing.file, importing.words) }
            </label>
            <progress id="import-progress" max="100" value={percent.to_string()}></progress>
            <button type="button" id="import-cancel" onclick={Callback::from(|_| cancel_import())}>
                { "Cancel" }
            </button>
        </p>
    }
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

//! Opening a trace file without freezing the page: the file is read as
//! bytes, handed (transferred, not copied) to a worker of its own running
//! the worker module's `lanes_import`, and the traces come back as
//! `lanes_trace::encode` bytes, decoded here in a few milliseconds. The
//! worker reports its progress; Cancel ends it at once.

use std::sync::Arc;

use js_sys::{Array, ArrayBuffer};
use lanes_runtime::{Cancel, RunError};
use lanes_trace::Trace;
use wasm_bindgen::JsValue;
use web_sys::File;

use crate::processes::workers::{Note, ProcessWorkers, message, set};
use crate::worker_module::{traces_from, worker_module};
use crate::{WebError, read_file_bytes};

/// Where an import is, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ImportStep {
    /// The browser is reading the file, or the worker is starting.
    Opening,
    /// The worker is reading the file's events: `done` of about `total`.
    Reading {
        /// Events read so far.
        done: f64,
        /// Events in the file (from a quick count).
        total: f64,
    },
    /// The worker is building lanes, stacks and the GIL from the events.
    Building {
        /// Steps done.
        done: f64,
        /// Steps in all.
        total: f64,
    },
    /// The traces are back and being decoded on the page.
    Finishing,
}

impl ImportStep {
    /// How far along, from 0 to 1, for a progress bar: reading the events
    /// is most of an import, so it takes 0.05–0.8.
    pub fn fraction(self) -> f64 {
        let part = |done: f64, total: f64| {
            if total > 0.0 {
                (done / total).clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        match self {
            Self::Opening => 0.02,
            Self::Reading { done, total } => 0.05 + 0.75 * part(done, total),
            Self::Building { done, total } => 0.8 + 0.15 * part(done, total),
            Self::Finishing => 0.97,
        }
    }

    /// What is happening, in words.
    pub fn words(self) -> &'static str {
        match self {
            Self::Opening => "Opening the file",
            Self::Reading { .. } => "Reading its events",
            Self::Building { .. } => "Building lanes, call stacks and the GIL",
            Self::Finishing => "Drawing",
        }
    }
}

/// What an import gave: the traces (never empty) and its report in words.
#[derive(Debug)]
pub struct ImportedFile {
    /// One per run of a recorded lesson; one for any other file.
    pub traces: Vec<Trace>,
    /// What was read, skipped and noticed.
    pub summary: String,
}

/// Reads `file` as a Chrome trace in a worker, calling `on_step` as it
/// goes. Raising `cancel` ends the worker within a few tens of ms and
/// gives [`RunError::Cancelled`]. A file over the import's limit is refused
/// before it is read; one that is not a readable trace gives the import's
/// message; a worker that runs out of memory reading it says so.
pub async fn import_file(
    file: &File,
    cancel: Arc<Cancel>,
    on_step: &dyn Fn(ImportStep),
) -> Result<ImportedFile, WebError> {
    on_step(ImportStep::Opening);
    let bytes = read_file_bytes(file).await?;
    import_bytes(bytes, &cancel, on_step).await
}

/// [`import_file`] of a file already read: `bytes` is moved to the worker
/// (empty here afterwards).
pub async fn import_bytes(
    bytes: ArrayBuffer,
    cancel: &Cancel,
    on_step: &dyn Fn(ImportStep),
) -> Result<ImportedFile, WebError> {
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled.into());
    }
    let mut worker = ProcessWorkers::new()?;
    worker.spawn(&worker_module().await?)?;
    let mut bytes = Some(bytes);
    loop {
        let Some(note) = worker.next(cancel).await else {
            return Err(RunError::Cancelled.into());
        };
        match note {
            Note::Ready { .. } => {
                let Some(bytes) = bytes.take() else {
                    continue;
                };
                let job = message("import")?;
                set(&job, "bytes", &bytes)?;
                worker.post_transferring(0, &job, &Array::of1(&bytes))?;
            }
            Note::Progress { phase, done, total } => on_step(match phase.as_str() {
                "building" => ImportStep::Building { done, total },
                _ => ImportStep::Reading { done, total },
            }),
            Note::Done { report, .. } => {
                on_step(ImportStep::Finishing);
                let imported = read_result(&report);
                // Decoding was one task; showing the traces is the next.
                crate::next_turn().await;
                return imported;
            }
            Note::Failed { why, trapped, .. } if trapped => {
                return Err(WebError::File(format!(
                    "the file could not be read: its reader ran out of memory or failed ({why}). \
                     Nothing you had was lost"
                )));
            }
            Note::Failed { why, .. } => return Err(WebError::File(why)),
            Note::Ring { .. } => {}
        }
    }
}

/// The worker's `{traces, summary}`, decoded.
fn read_result(report: &JsValue) -> Result<ImportedFile, WebError> {
    let field = |name: &str| js_sys::Reflect::get(report, &JsValue::from_str(name)).ok();
    let lost = || WebError::File("the import's answer could not be read".to_owned());
    let summary = field("summary")
        .and_then(|s| s.as_string())
        .ok_or_else(lost)?;
    let traces = traces_from(field("traces").ok_or_else(lost)?).map_err(WebError::File)?;
    Ok(ImportedFile { traces, summary })
}

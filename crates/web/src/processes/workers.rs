//! The process workers as the page sees them: start them, post to them,
//! hear from them, end them. Every worker is terminated when the
//! [`ProcessWorkers`] is dropped, whatever happened, unless it was
//! [released](ProcessWorkers::release) to be kept warm.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use js_sys::{Object, Reflect};
use lanes_runtime::{Cancel, Clock};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, Event, MessageEvent, Window, Worker};

use crate::worker_module::{WorkerModule, start_worker};
use crate::{PageClock, WebError};

/// How often a waiting run looks at its Cancel flag, in ms.
const CANCEL_CHECK_MS: i32 = 20;

/// What a process worker said, in the order it arrived.
#[derive(Debug)]
pub(crate) enum Note {
    /// Its instance is up (`at_us`, stamped by the worker).
    Ready {
        /// The process, from 0.
        process: usize,
        /// When, on the page clock.
        at_us: f64,
    },
    /// It ran its job.
    Done {
        /// The process, from 0.
        process: usize,
        /// When its input message arrived there, stamped by the worker.
        received_us: f64,
        /// When this message arrived on the page.
        arrived_us: f64,
        /// What its job gave back: a process's
        /// [`lanes_runtime::processes::protocol::Report`] as a JSON
        /// string, the solo worker's trace as `lanes_trace::encode` bytes
        /// (a `Uint8Array`).
        report: JsValue,
    },
    /// The audio lesson's producer made its ring: in `buffer` (its wasm
    /// memory) at byte addresses `header` and `data`.
    Ring {
        /// Its memory, a `SharedArrayBuffer`.
        buffer: JsValue,
        /// The ring's header.
        header: u32,
        /// The ring's samples.
        data: u32,
    },
    /// How far its job is (a trace import says so now and then).
    Progress {
        /// What it is doing ("reading", "building").
        phase: String,
        /// Units done.
        done: f64,
        /// Units in all.
        total: f64,
    },
    /// It failed: a job error, a trap, or a script that did not load.
    Failed {
        /// The process, from 0.
        process: usize,
        /// Why, in words.
        why: String,
        /// Whether its wasm trapped, so that its instance is dead.
        trapped: bool,
    },
}

impl Note {
    /// A failure that is not a trap: its instance may still be alive.
    fn failed(process: usize, why: String) -> Self {
        Self::Failed {
            process,
            why,
            trapped: false,
        }
    }
}

#[derive(Debug, Default)]
struct Mailbox {
    notes: VecDeque<Note>,
    waker: Option<Waker>,
}

type Shared = Rc<RefCell<Mailbox>>;

fn deliver(mailbox: &Shared, note: Note) {
    let waker = {
        let mut m = mailbox.borrow_mut();
        m.notes.push_back(note);
        m.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

fn nudge(mailbox: &Shared) {
    let waker = mailbox.borrow_mut().waker.take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The workers of one run, with the handlers that feed their mailbox.
pub(crate) struct ProcessWorkers {
    window: Window,
    workers: Vec<Worker>,
    handlers: Vec<Closure<dyn FnMut(Event)>>,
    mailbox: Shared,
    ticker: Option<(i32, Closure<dyn FnMut()>)>,
}

impl std::fmt::Debug for ProcessWorkers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessWorkers")
            .field("workers", &self.workers.len())
            .finish_non_exhaustive()
    }
}

impl ProcessWorkers {
    /// No workers yet. Needs the page's window (the main thread).
    pub(crate) fn new() -> Result<Self, WebError> {
        let window = web_sys::window().ok_or_else(|| {
            WebError::ProcessStart("processes are started from the page's main thread".to_owned())
        })?;
        let mailbox = Shared::default();
        // Cancel is a flag, not an event: look at it now and then.
        let ticker = {
            let mailbox = Rc::clone(&mailbox);
            Closure::<dyn FnMut()>::new(move || nudge(&mailbox))
        };
        let id = window
            .set_interval_with_callback_and_timeout_and_arguments_0(
                ticker.as_ref().unchecked_ref(),
                CANCEL_CHECK_MS,
            )
            .map_err(|e| WebError::ProcessStart(words(&e)))?;
        Ok(Self {
            window,
            workers: Vec::new(),
            handlers: Vec::new(),
            mailbox,
            ticker: Some((id, ticker)),
        })
    }

    /// Starts the next process: a worker from `process-worker.js`, sent
    /// the worker module (compiled once by the page) to instantiate with a
    /// memory of its own.
    pub(crate) fn spawn(&mut self, from: &WorkerModule) -> Result<(), WebError> {
        let process = self.workers.len();
        let name = format!("Lanes process {}", process + 1);
        let worker = start_worker(&from.script, &name).map_err(|why| {
            WebError::ProcessStart(format!("process {} did not start: {why}", process + 1))
        })?;
        self.attach(process, &worker);
        let init = message("init")?;
        set(&init, "module", &from.module)?;
        self.workers.push(worker);
        self.post(process, &init)
    }

    /// Takes on `worker`, a process kept warm from an earlier run (its
    /// instance is up and it is idle), as the next process. It is ready at
    /// once: its [`Note::Ready`] is the moment it was taken on.
    pub(crate) fn adopt(&mut self, worker: Worker) {
        let process = self.workers.len();
        self.attach(process, &worker);
        self.workers.push(worker);
        let at_us = PageClock.now_us();
        deliver(&self.mailbox, Note::Ready { process, at_us });
    }

    /// Hands every worker back alive, idle and without this run's
    /// handlers, for a later run to [`adopt`](Self::adopt); none is left
    /// to terminate. Call it when every process has sent its report.
    pub(crate) fn release(&mut self) -> Vec<Worker> {
        let workers = std::mem::take(&mut self.workers);
        for worker in &workers {
            detach(worker);
        }
        workers
    }

    /// Feeds what `worker`, as process `process`, says into the mailbox.
    fn attach(&mut self, process: usize, worker: &Worker) {
        let mailbox = Rc::clone(&self.mailbox);
        let on_message = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let arrived_us = PageClock.now_us();
            let data = event
                .dyn_ref::<MessageEvent>()
                .map_or(JsValue::UNDEFINED, MessageEvent::data);
            deliver(&mailbox, read(process, &data, arrived_us));
        });
        let mailbox = Rc::clone(&self.mailbox);
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            // Reported here, once, in words: keep it from the page's console.
            event.prevent_default();
            let why = match event.dyn_ref::<ErrorEvent>() {
                Some(e) if !e.message().is_empty() => e.message(),
                _ => "its script (process-worker.js) or the worker module could not be loaded"
                    .to_owned(),
            };
            deliver(&mailbox, Note::failed(process, why));
        });
        let mailbox = Rc::clone(&self.mailbox);
        let on_message_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let why = "a message from it could not be read".to_owned();
            deliver(&mailbox, Note::failed(process, why));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        self.handlers
            .extend([on_message, on_error, on_message_error]);
    }

    /// Posts `message` to `process`. Everything in it is copied (structured
    /// clone); nothing is transferred.
    pub(crate) fn post(&self, process: usize, message: &JsValue) -> Result<(), WebError> {
        self.post_transferring(process, message, &js_sys::Array::new())
    }

    /// Posts `message` to `process`, moving the buffers in `transfer` to
    /// it instead of copying them (they are empty here afterwards).
    pub(crate) fn post_transferring(
        &self,
        process: usize,
        message: &JsValue,
        transfer: &js_sys::Array,
    ) -> Result<(), WebError> {
        let worker = self.workers.get(process).ok_or_else(|| WebError::Process {
            process: process as u32 + 1,
            why: "it was never started".to_owned(),
        })?;
        worker
            .post_message_with_transfer(message, transfer)
            .map_err(|e| WebError::Process {
                process: process as u32 + 1,
                why: format!("its input could not be sent: {}", words(&e)),
            })
    }

    /// Ends `process` (its job is done): its memory goes back at once.
    pub(crate) fn end(&self, process: usize) {
        if let Some(worker) = self.workers.get(process) {
            worker.terminate();
        }
    }

    /// The next note from any worker, or `None` as soon as `cancel` is
    /// raised.
    pub(crate) async fn next(&self, cancel: &Cancel) -> Option<Note> {
        std::future::poll_fn(|cx| {
            if cancel.is_cancelled() {
                return Poll::Ready(None);
            }
            let mut mailbox = self.mailbox.borrow_mut();
            match mailbox.notes.pop_front() {
                Some(note) => Poll::Ready(Some(note)),
                None => {
                    mailbox.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

impl Drop for ProcessWorkers {
    fn drop(&mut self) {
        for worker in &self.workers {
            worker.terminate();
            detach(worker);
        }
        if let Some((id, _)) = self.ticker.take() {
            self.window.clear_interval_with_handle(id);
        }
    }
}

/// Removes a worker's handlers, which die with their [`ProcessWorkers`].
fn detach(worker: &Worker) {
    worker.set_onmessage(None);
    worker.set_onerror(None);
    worker.set_onmessageerror(None);
}

/// A message from process `process`, as a note.
fn read(process: usize, data: &JsValue, arrived_us: f64) -> Note {
    let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
    let number = |name: &str| field(name).and_then(|v| v.as_f64());
    let text = |name: &str| field(name).and_then(|v| v.as_string());
    match text("type").as_deref() {
        Some("ready") => match number("at_us") {
            Some(at_us) => Note::Ready { process, at_us },
            None => malformed(process, "ready"),
        },
        Some("result") => match (number("received_us"), field("report")) {
            (Some(received_us), Some(report)) if !report.is_undefined() => Note::Done {
                process,
                received_us,
                arrived_us,
                report,
            },
            _ => malformed(process, "result"),
        },
        Some("ring") => match (field("buffer"), number("header"), number("data")) {
            (Some(buffer), Some(header), Some(data)) => Note::Ring {
                buffer,
                header: header as u32,
                data: data as u32,
            },
            _ => malformed(process, "ring"),
        },
        Some("progress") => match (text("phase"), number("done"), number("total")) {
            (Some(phase), Some(done), Some(total)) => Note::Progress { phase, done, total },
            _ => malformed(process, "progress"),
        },
        Some("failed") => Note::Failed {
            process,
            why: text("message").unwrap_or_else(|| "it gave no reason".to_owned()),
            trapped: field("trapped").and_then(|v| v.as_bool()) == Some(true),
        },
        other => Note::failed(
            process,
            format!("it sent a message of unknown type {other:?}"),
        ),
    }
}

fn malformed(process: usize, kind: &str) -> Note {
    Note::failed(process, format!("its {kind} message lacks a field"))
}

/// `{type: kind}`, to add fields to.
pub(crate) fn message(kind: &str) -> Result<Object, WebError> {
    let m = Object::new();
    set(&m, "type", &JsValue::from_str(kind))?;
    Ok(m)
}

/// Sets `object[key] = value`.
pub(crate) fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), WebError> {
    Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|e| WebError::ProcessStart(words(&e)))
}

/// A thrown JavaScript value, in words.
pub(crate) fn words(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

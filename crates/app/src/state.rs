//! The page's state as a plain struct, changed only by [`AppState::apply`].
//! The Yew reducer is a thin adapter over it, so this logic is tested natively.
//!
//! Each fact has one owner here, and each job a file: the form's edits
//! ([`form`]), the plan of a batch ([`plan`]), the batch as it runs and its
//! status ([`batch`], [`status`]), the kept runs ([`history`]) and their
//! speedups ([`views`]), the worker threads ([`pool`]) and the costs
//! learned from live runs ([`learned`]). lanes-web holds none of these: the
//! page tells it what `window.lanes` answers.

mod batch;
mod form;
mod history;
mod learned;
mod plan;
mod pool;
mod status;
mod views;

use std::rc::Rc;

use lanes_trace::{Model, Trace};

use crate::lessons::{self, Lesson, Outcome};
use crate::process_memory::ProcessMemory;
use crate::url::{Notice, UrlState, parse_query};

pub use history::{HISTORY, HISTORY_SPANS};
pub use learned::LearnedCosts;
pub use plan::{How, Planned, scenarios};
pub use pool::PoolStatus;
pub use status::{Progress, RunStatus, underruns_so_far};
pub use views::describe_series;

/// Something that happened: a user's edit or a run's progress.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(
        clippy::large_enum_variant,
        reason = "one action per run or edit, moved once: its size costs nothing (under the \
                  lint's bound on wasm32's 4-byte pointers)"
    )
)]
pub enum Action {
    /// A model checkbox changed.
    ToggleModel(Model, bool),
    /// A control changed: the address parameter it sets (`k`, `size`,
    /// `workload`, `interval`, `latency`, `warm`, `sim`, `cores`, `seed`,
    /// `calibrated`, `theme`, `scale`) and its raw value, read by the
    /// address's own rules ([`crate::url::set_param`]).
    Set(&'static str, String),
    /// A step of the tour (or, with `None`, the playground) was opened:
    /// the form takes that step's scenario.
    GoToLesson(Option<u32>),
    /// The learner answered the step's question (a choice id).
    Predict(&'static str),
    /// The address changed under the page (back or forward): the form
    /// takes the new query; finished runs stay.
    Navigate(String),
    /// Reset (embed mode's r): the picture is cleared, the scenario kept.
    Reset,
    /// The next (1) or previous (−1) step of the tour, if there is one.
    StepLesson(i32),
    /// "Sweep k" was pressed: every k from 1 to the most allowed, for each
    /// threaded model ticked, after one sequential baseline.
    Sweep,
    /// The pool started with this many threads.
    PoolReady(usize),
    /// The pool cannot start: what is missing in a few words, and why.
    PoolUnavailable {
        /// A few words.
        headline: String,
        /// A sentence.
        why: String,
    },
    /// A thread of the pool died, with the browser's words for why.
    PoolDied(String),
    /// Run was pressed (or `run=1` asked for it).
    Start,
    /// The current run finished, with its memory figures if it was a live
    /// processes run.
    Finished(Trace, Option<ProcessMemory>),
    /// The current run failed.
    Failed(String),
    /// The current batch was cancelled.
    Cancelled,
    /// Reading a trace file was cancelled; what was shown stays.
    ImportCancelled {
        /// Its name.
        file: String,
    },
    /// A trace file was read.
    Imported {
        /// Its name.
        file: String,
        /// The runs it held: one, or each run of a lesson CPython recorded.
        traces: Vec<Trace>,
        /// What was read and skipped, in words.
        summary: String,
    },
    /// A trace file could not be read; what was shown stays.
    ImportFailed {
        /// Its name.
        file: String,
        /// Why, in words.
        why: String,
    },
    /// Something the person should know (e.g. an export that failed).
    Notice(String),
    /// The notices were read and closed.
    DismissNotices,
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The scenario as the controls (and the URL) describe it.
    pub form: UrlState,
    /// Messages about input that could not be used as given.
    pub notices: Vec<Notice>,
    /// The worker threads, as lanes-web reported them.
    pub pool: PoolStatus,
    /// The current batch.
    pub status: RunStatus,
    /// The runs of the current batch, in run order; the run in progress is
    /// the one after the finished ones ([`AppState::progress`]).
    pub plan: Vec<Planned>,
    /// The finished runs of the current batch, drawn on one time axis.
    pub batch: Vec<Rc<Trace>>,
    /// The batch shown before the current one started, with whether it was
    /// a sweep: shown again if the new one fails or is cancelled before any
    /// run finishes, so a failure never costs what was on the page.
    pub previous: Option<(Vec<Rc<Trace>>, bool)>,
    /// Every finished run, oldest first, at most [`HISTORY`] holding at most
    /// [`HISTORY_SPANS`] spans (but always the latest): also what
    /// `window.lanes.traces()` answers.
    pub history: Vec<Rc<Trace>>,
    /// The simulator's costs, learned from every live run that finishes here.
    pub learned: LearnedCosts,
    /// The latest live processes run with its memory figures; `None` before
    /// one finished, and while a batch with one runs.
    pub process_memory: Option<(Rc<Trace>, ProcessMemory)>,
    /// This machine's logical cores (`navigator.hardwareConcurrency`): the
    /// virtual cores of free threads simulated for want of a pool.
    pub machine_cores: u32,
    /// The answer the learner chose to the current step's question.
    pub prediction: Option<&'static str>,
    /// Whether the current batch is a sweep over k.
    pub sweep: bool,
    /// Why this page cannot play the audio lesson live (no AudioWorklet, no
    /// shared memory), in words; `None` when it can. Its runs are then
    /// simulated, and the page says why.
    pub no_live_audio: Option<&'static str>,
}

impl AppState {
    /// The state a page opened at `query` starts in.
    pub fn from_query(query: &str) -> Self {
        let (form, notices) = parse_query(query);
        Self {
            form,
            notices,
            pool: PoolStatus::Starting,
            status: RunStatus::Idle,
            plan: Vec::new(),
            batch: Vec::new(),
            previous: None,
            history: Vec::new(),
            learned: LearnedCosts::default(),
            process_memory: None,
            machine_cores: 1,
            prediction: None,
            sweep: false,
            no_live_audio: None,
        }
    }

    /// The same state on a page that cannot play the audio lesson live, for
    /// the reason given (`None`: it can).
    #[must_use]
    pub fn without_live_audio(mut self, why: Option<&'static str>) -> Self {
        self.no_live_audio = why;
        self
    }

    /// The same state on a machine with `cores` logical cores.
    #[must_use]
    pub fn on_machine(mut self, cores: u32) -> Self {
        self.machine_cores = cores.max(1);
        self
    }

    /// The step of the tour on show, if any.
    pub fn lesson(&self) -> Option<&'static Lesson> {
        self.form.lesson.and_then(lessons::lesson)
    }

    /// What the current step's runs showed, once its batch is done.
    pub fn outcome(&self) -> Option<Outcome> {
        let lesson = self.lesson()?;
        // A recording opened beside the step's runs keeps their outcome.
        let shown = matches!(self.status, RunStatus::Done | RunStatus::Imported { .. });
        if !shown || self.sweep {
            return None;
        }
        let runs: Vec<&Trace> = self.batch.iter().map(|t| t.as_ref()).collect();
        lessons::evaluate(lesson, &runs)
    }

    /// For a step CPython can run too: the command that records it, and
    /// the batch's runs, Lanes' beside CPython's (none until a recording
    /// is open).
    pub fn real_python(&self) -> Option<(String, Vec<lessons::python::Row>)> {
        let command = lessons::python::command(self.lesson()?, &self.form)?;
        let runs: Vec<&Trace> = self.batch.iter().map(|t| t.as_ref()).collect();
        Some((command, lessons::python::compare(&runs)))
    }

    /// Whether a step's batch is done but is not the step's own, so there
    /// is nothing to check it against (the form was changed).
    pub fn unchecked(&self) -> bool {
        self.lesson().is_some()
            && self.status == RunStatus::Done
            && !self.sweep
            && !self.batch.is_empty()
            && self.outcome().is_none()
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            edit @ (Action::ToggleModel(..) | Action::Set(..)) => {
                self.notices.extend(form::edit(&mut self.form, edit));
            }
            Action::GoToLesson(step) => {
                if !self.busy("wait for it or cancel it before changing step.") {
                    let (form, notices) = form::for_step(step, &self.form);
                    self.notices.extend(notices);
                    self.form = form;
                    self.leave_batch();
                }
            }
            Action::Predict(choice) => {
                let known = self
                    .lesson()
                    .is_some_and(|l| l.choices.iter().any(|c| c.id == choice));
                if known {
                    self.prediction = Some(choice);
                }
            }
            // During a run the form stays with the batch that runs; the page
            // puts the address back to it (its URL effect follows the notices
            // too), so the two never disagree.
            Action::Navigate(query) => {
                if !self.busy(
                    "the address was put back. Wait for the run or cancel it before going \
                     back or forward.",
                ) {
                    let (form, notices) = parse_query(&query);
                    if form.lesson != self.form.lesson {
                        self.leave_batch();
                    }
                    self.form = UrlState { run: false, ..form };
                    self.notices.extend(notices);
                }
            }
            Action::Sweep => self.start_with(true),
            Action::Reset => {
                if !self.busy("cancel it before resetting.") {
                    self.leave_batch();
                }
            }
            Action::StepLesson(delta) => {
                if let Some(to) = lessons::step_on(self.form.lesson, delta) {
                    self.apply(Action::GoToLesson(Some(to)));
                }
            }
            Action::PoolReady(threads) => self.pool = PoolStatus::Ready(threads),
            Action::PoolUnavailable { headline, why } => {
                self.pool = PoolStatus::Unavailable { headline, why };
            }
            Action::PoolDied(why) => {
                self.end_batch(RunStatus::Failed(format!(
                    "a worker thread died during the run ({why}); see the banner above"
                )));
                self.pool = PoolStatus::Died(why);
            }
            Action::Start => self.start_with(false),
            Action::Finished(trace, memory) => self.finish(trace, memory),
            Action::Failed(why) => self.end_batch(RunStatus::Failed(why)),
            Action::Cancelled => self.end_batch(RunStatus::Cancelled),
            Action::ImportCancelled { file } => {
                self.notices.push(format!(
                    "Opening {file} was cancelled. What was shown before is kept."
                ));
            }
            Action::Imported {
                file,
                traces,
                summary,
            } => {
                if self.running() {
                    self.notices.push(format!(
                        "{file} was not opened: a run is in progress; wait for it or cancel it."
                    ));
                    return;
                }
                let traces: Vec<Rc<Trace>> = traces.into_iter().map(Rc::new).collect();
                for trace in &traces {
                    history::remember(&mut self.history, Rc::clone(trace));
                }
                // Runs CPython recorded join Lanes' runs on show, in place of
                // any recording before them: the same work, side by side.
                let beside = traces.iter().all(|t| lessons::python::recorded(t));
                if beside {
                    self.batch.retain(|t| !lessons::python::recorded(t));
                    self.batch.extend(traces);
                } else {
                    self.batch = traces;
                }
                self.plan.clear();
                self.status = RunStatus::Imported { file, summary };
            }
            Action::ImportFailed { file, why } => self.notices.push(format!(
                "{file} could not be opened: {why}. What was shown before is kept."
            )),
            Action::Notice(text) => self.notices.push(text),
            Action::DismissNotices => self.notices.clear(),
        }
    }

    /// Whether a batch runs; if so, says that `what` must wait (a notice
    /// that opens "A run is in progress: ").
    fn busy(&mut self, what: &str) -> bool {
        let busy = self.running();
        if busy {
            self.notices.push(format!("A run is in progress: {what}"));
        }
        busy
    }
}

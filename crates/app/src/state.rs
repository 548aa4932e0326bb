//! The page's state as a plain struct, changed only by [`AppState::apply`].
//! The Yew reducer is a thin adapter over it, so this logic is tested natively.

use std::rc::Rc;

use lanes_sim::CostModel;
use lanes_trace::{Mode, Model, Scenario, Trace, Workload};

use crate::lessons::{self, Lesson, Outcome, Runs};
use crate::url::{
    Notice, TASKS, UrlState, parse_cores, parse_interval, parse_k_in, parse_latency, parse_query,
    parse_seed, parse_size, parse_workload, size_rule,
};

/// Finished runs kept for speedups and `window.lanes.traces()`.
pub const HISTORY: usize = 64;
/// The most spans the kept runs may hold together (about 100 MB): the
/// oldest go first, the latest always stays. With the memory cap on one
/// run, it keeps a page that runs big scenarios all day within its memory.
pub const HISTORY_SPANS: usize = 2_000_000;

/// Whether the worker threads are up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolStatus {
    /// Still starting.
    Starting,
    /// Ready, with this many threads.
    Ready(usize),
    /// They cannot start here: what is missing in a few words (for embed
    /// mode's one-line bar), and why in a sentence.
    Unavailable {
        /// A few words, e.g. "Not cross-origin isolated".
        headline: String,
        /// Why, in a sentence a learner understands.
        why: String,
    },
    /// One of them died (its wasm trapped, in the browser's words): the
    /// page runs as it does without a pool until it is reloaded.
    Died(String),
}

impl PoolStatus {
    /// Whether the page runs without the pool: it could not start, or a
    /// thread of it died.
    pub fn without_pool(&self) -> bool {
        matches!(self, Self::Unavailable { .. } | Self::Died(_))
    }
}

/// How a planned run happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Measured on this machine.
    Live,
    /// Computed by the simulator.
    Simulated {
        /// Virtual cores.
        cores: u32,
        /// The simulator's seed.
        seed: u64,
        /// With the cost model calibrated from this page's live runs (it
        /// predicts this machine), not the reference one (the same picture
        /// everywhere).
        calibrated: bool,
    },
}

/// One run of a batch: what runs, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planned {
    /// What runs.
    pub scenario: Scenario,
    /// Live or simulated.
    pub how: How,
}

/// Where the current batch of runs stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Nothing run yet.
    Idle,
    /// Run `index` (from 0) of `total` is in progress.
    Running {
        /// Which run of the batch.
        index: usize,
        /// How many runs the batch has.
        total: usize,
        /// The model now running.
        model: Model,
    },
    /// Every run of the batch finished.
    Done,
    /// A run failed, and why.
    Failed(String),
    /// Somebody pressed Cancel.
    Cancelled,
    /// A trace file is shown.
    Imported {
        /// Its file name.
        file: String,
        /// What the import read and skipped, in words.
        summary: String,
    },
}

impl RunStatus {
    /// The value of the page's `data-run-state` attribute.
    pub fn as_data(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Running { .. } => "running",
            Self::Done => "done",
            Self::Failed(_) => "error",
            Self::Cancelled => "cancelled",
            Self::Imported { .. } => "imported",
        }
    }
}

/// Something that happened: a user's edit or a run's progress.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A model checkbox changed.
    ToggleModel(Model, bool),
    /// The k field changed (raw text).
    SetK(String),
    /// The size field changed (raw text).
    SetSize(String),
    /// The workload menu changed (its name).
    SetWorkload(String),
    /// The switch interval field changed (raw text, ms).
    SetInterval(String),
    /// The latency field changed (raw text, ms).
    SetLatency(String),
    /// "Keep processes warm" was ticked or unticked.
    SetWarm(bool),
    /// "Simulate" (lecture mode) was ticked or unticked.
    SetSim(bool),
    /// The virtual cores field changed (raw text).
    SetCores(String),
    /// The seed field changed (raw text).
    SetSeed(String),
    /// "Costs measured here" was ticked or unticked.
    SetCalibrated(bool),
    /// A step of the tour (or, with `None`, the playground) was opened:
    /// the form takes that step's scenario.
    GoToLesson(Option<u32>),
    /// The learner answered the step's question (a choice id).
    Predict(&'static str),
    /// The address changed under the page (back or forward): the form
    /// takes the new query; finished runs stay.
    Navigate(String),
    /// The theme menu changed (its value).
    SetTheme(String),
    /// Reset (embed mode's r): the picture is cleared, the scenario kept.
    Reset,
    /// The next (1) or previous (−1) step of the tour, if there is one.
    StepLesson(i32),
    /// The embed scale changed (raw text).
    SetScale(String),
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
    /// The current run finished.
    Finished(Trace),
    /// The current run failed.
    Failed(String),
    /// The current batch was cancelled.
    Cancelled,
    /// A trace file was read.
    Imported {
        /// Its name.
        file: String,
        /// The trace it held.
        trace: Trace,
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
    /// The worker threads.
    pub pool: PoolStatus,
    /// The current batch.
    pub status: RunStatus,
    /// The runs of the current batch, in run order.
    pub plan: Vec<Planned>,
    /// The finished runs of the current batch, drawn on one time axis.
    pub batch: Vec<Rc<Trace>>,
    /// The batch shown before the current one started, with whether it was
    /// a sweep: shown again if the new one fails or is cancelled before any
    /// run finishes, so a failure never costs what was on the page.
    pub previous: Option<(Vec<Rc<Trace>>, bool)>,
    /// Every finished run, oldest first, at most [`HISTORY`] holding at most
    /// [`HISTORY_SPANS`] spans (but always the latest).
    pub history: Vec<Rc<Trace>>,
    /// The simulator's cost model, calibrated by every live run that
    /// finishes here.
    pub costs: CostModel,
    /// This machine's logical cores (`navigator.hardwareConcurrency`): the
    /// virtual cores of free threads simulated for want of a pool.
    pub machine_cores: u32,
    /// The answer the learner chose to the current step's question.
    pub prediction: Option<&'static str>,
    /// Whether the current batch is a sweep over k.
    pub sweep: bool,
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
            costs: CostModel::reference(),
            machine_cores: 1,
            prediction: None,
            sweep: false,
        }
    }

    /// The step of the tour on show, if any.
    pub fn lesson(&self) -> Option<&'static Lesson> {
        self.form.lesson.and_then(lessons::lesson)
    }

    /// What the current step's runs showed, once its batch is done.
    pub fn outcome(&self) -> Option<Outcome> {
        let lesson = self.lesson()?;
        if self.status != RunStatus::Done || self.sweep {
            return None;
        }
        let runs: Vec<&Trace> = self.batch.iter().map(|t| t.as_ref()).collect();
        lessons::evaluate(lesson, &runs)
    }

    /// The runs a press of Run starts: the step's own list, or the form's
    /// models on the form's workload.
    pub fn batch_plan(&self) -> Vec<Planned> {
        let runs: Vec<(Model, Workload, u64)> = match self.lesson().map(|l| &l.runs) {
            Some(Runs::List(list)) => list
                .iter()
                .map(|r| {
                    let size = r.size.unwrap_or(if r.workload == self.form.workload {
                        self.form.size
                    } else {
                        size_rule(r.workload).default
                    });
                    (r.model, r.workload, size)
                })
                .collect(),
            _ => self
                .form
                .models
                .iter()
                .map(|&m| (m, self.form.workload, self.form.size))
                .collect(),
        };
        runs.into_iter()
            .map(|(model, workload, size)| Planned {
                scenario: self.scenario_of(model, workload, size, self.form.k),
                how: self.how_for(model, workload),
            })
            .collect()
    }

    /// The runs of a sweep: one sequential baseline, then every k from 1 to
    /// the most allowed for each threaded model ticked (processes stop at
    /// 16, the most a page starts), on the form's workload.
    pub fn sweep_plan(&self) -> Vec<Planned> {
        let workload = self.form.workload;
        let size = self.form.size;
        let mut plan = vec![Planned {
            scenario: self.scenario_of(Model::Sequential, workload, size, 1),
            how: self.how_for(Model::Sequential, workload),
        }];
        for &model in self.form.models.iter().filter(|m| **m != Model::Sequential) {
            let most = match (model, self.how_for(model, workload)) {
                (_, How::Simulated { .. }) => self.form.k_range().1,
                _ => crate::url::K_RANGE.1,
            };
            for k in 1..=most {
                plan.push(Planned {
                    scenario: self.scenario_of(model, workload, size, k),
                    how: self.how_for(model, workload),
                });
            }
        }
        plan
    }

    /// The same state on a machine with `cores` logical cores.
    #[must_use]
    pub fn on_machine(mut self, cores: u32) -> Self {
        self.machine_cores = cores.max(1);
        self
    }

    /// Whether runs can start: the pool is up, or it is known that it
    /// cannot start (then free threads are simulated and the rest runs in
    /// one worker).
    pub fn can_run(&self) -> bool {
        !matches!(self.pool, PoolStatus::Starting)
    }

    /// How a run of `model` happens now: simulated in lecture mode and for
    /// free threads without a pool, else live. The UI lesson measures this
    /// page's own frames, so it is always live (without a pool its "free
    /// threads" work runs in one worker: off the main thread all the same).
    pub fn how(&self, model: Model) -> How {
        self.how_for(model, self.form.workload)
    }

    fn how_for(&self, model: Model, workload: Workload) -> How {
        if self.form.sim && workload != Workload::Ui {
            How::Simulated {
                cores: self.form.cores,
                seed: self.form.seed,
                calibrated: self.form.calibrated,
            }
        } else if model == Model::Free && self.pool.without_pool() && workload != Workload::Ui {
            How::Simulated {
                cores: self.machine_cores,
                seed: self.form.seed,
                calibrated: true,
            }
        } else {
            How::Live
        }
    }

    /// The cost model a simulated run uses.
    pub fn costs_for(&self, how: How) -> CostModel {
        match how {
            How::Simulated {
                calibrated: true, ..
            } => self.costs.clone(),
            _ => CostModel::reference(),
        }
    }

    /// Why `planned` may not run (its timeline would not fit in the memory
    /// cap), or `None`. A live run is judged with what this page has learnt
    /// of this machine's speed (the reference laptop's until then).
    fn memory_refusal(&self, planned: &Planned) -> Option<String> {
        let costs = match planned.how {
            How::Live => self.costs.clone(),
            how => self.costs_for(how),
        };
        crate::budget::refusal(&planned.scenario, &costs)
    }

    /// Whether a batch is in progress.
    pub fn running(&self) -> bool {
        matches!(self.status, RunStatus::Running { .. })
    }

    /// Whether processes runs keep their workers for the next run: the
    /// form's `warm`, when the processes model is ticked. The app hands it
    /// to `lanes_web::set_warm_processes`, which ends idle workers when it
    /// turns false.
    pub fn warm_processes(&self) -> bool {
        self.form.warm && self.form.models.contains(&Model::Processes)
    }

    /// The scenario the form describes for `model`.
    pub fn scenario(&self, model: Model) -> Scenario {
        self.scenario_of(model, self.form.workload, self.form.size, self.form.k)
    }

    /// A scenario with the form's switch interval and latency.
    fn scenario_of(&self, model: Model, workload: Workload, size: u64, k: u32) -> Scenario {
        let k = match (model, workload) {
            (Model::Sequential, _) => 1,
            // One CPU-bound and one I/O-bound thread, whatever k says.
            (_, Workload::Mixed) => 2,
            _ => k,
        };
        let micros = |ms: f64| (ms * 1000.0).round() as u32;
        Scenario {
            interval_us: micros(self.form.interval_ms),
            latency_us: micros(self.form.latency_ms),
            ..Scenario::new(model, workload, k, size, TASKS)
        }
    }

    /// How much faster `trace` ran than the latest sequential run of the same
    /// workload and size; `None` for sequential runs or with no baseline.
    pub fn speedup_of(&self, trace: &Trace) -> Option<f64> {
        let s = &trace.meta()?.scenario;
        // The UI lesson's makespan includes calm time on purpose: no speedup.
        if s.model == Model::Sequential || s.workload == Workload::Ui {
            return None;
        }
        let same = |t: &&Rc<Trace>| {
            t.meta().is_some_and(|m| {
                m.scenario.model == Model::Sequential
                    && m.scenario.workload == s.workload
                    && m.scenario.size == s.size
            })
        };
        let baseline = self
            .batch
            .iter()
            .rev()
            .find(same)
            .or_else(|| self.history.iter().rev().find(same))?;
        trace.speedup_against(baseline)
    }

    /// The runs of the current batch with their speedups, for drawing. A
    /// sweep shows its baseline and, for each model, its run at the largest
    /// k so far (the speedup chart shows every k).
    pub fn views(&self) -> Vec<(Rc<Trace>, Option<f64>)> {
        let model = |t: &Rc<Trace>| t.meta().map(|m| m.scenario.model);
        let shown = |i: usize, t: &Rc<Trace>| {
            !self.sweep
                || model(t) == Some(Model::Sequential)
                || !self.batch[i + 1..]
                    .iter()
                    .any(|later| model(later) == model(t))
        };
        self.batch
            .iter()
            .enumerate()
            .filter(|(i, t)| shown(*i, t))
            .map(|(_, t)| (Rc::clone(t), self.speedup_of(t)))
            .collect()
    }

    /// Measured speedups for the speedup chart: for each threaded model, the
    /// latest run at each k of the workload and size of the latest batch,
    /// against the latest sequential run of the same work. Empty without a
    /// baseline.
    pub fn speedup_series(&self) -> Vec<(Model, Vec<(u32, f64)>)> {
        let Some(latest) = self
            .batch
            .last()
            .and_then(|t| t.meta())
            .filter(|m| m.scenario.workload != Workload::Ui)
        else {
            return Vec::new();
        };
        // The scenario of a run of the same work as the latest, if it is one.
        let same_work = |t: &Rc<Trace>| {
            t.meta().map(|m| m.scenario).filter(|s| {
                s.workload == latest.scenario.workload && s.size == latest.scenario.size
            })
        };
        let Some(baseline) = self
            .history
            .iter()
            .rev()
            .find(|t| same_work(t).is_some_and(|s| s.model == Model::Sequential))
        else {
            return Vec::new();
        };
        Model::ALL
            .into_iter()
            .filter(|m| *m != Model::Sequential)
            .filter_map(|model| {
                let mut by_k: Vec<(u32, f64)> = Vec::new();
                for (t, s) in self
                    .history
                    .iter()
                    .rev()
                    .filter_map(|t| Some((t, same_work(t)?)))
                    .filter(|(_, s)| s.model == model)
                {
                    let k = s.k;
                    if !by_k.iter().any(|(seen, _)| *seen == k) {
                        by_k.extend(t.speedup_against(baseline).map(|x| (k, x)));
                    }
                }
                by_k.sort_by_key(|(k, _)| *k);
                (!by_k.is_empty()).then_some((model, by_k))
            })
            .collect()
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::ToggleModel(model, on) => {
                let mut models: Vec<Model> = Model::ALL
                    .into_iter()
                    .filter(|m| {
                        if *m == model {
                            on
                        } else {
                            self.form.models.contains(m)
                        }
                    })
                    .collect();
                if models.is_empty() {
                    self.notices
                        .push("Pick at least one model to run.".to_owned());
                    models = self.form.models.clone();
                }
                self.form.models = models;
                self.form.run = false;
            }
            Action::SetK(text) => {
                let range = self.form.k_range();
                self.notices
                    .extend(parse_k_in(&text, range).apply(&mut self.form.k));
                self.form.run = false;
            }
            Action::SetSize(text) => {
                let parsed = parse_size(self.form.workload, &text);
                self.notices.extend(parsed.apply(&mut self.form.size));
                self.form.run = false;
            }
            Action::SetWorkload(name) => {
                let before = self.form.workload;
                self.notices
                    .extend(parse_workload(&name).apply(&mut self.form.workload));
                if self.form.workload != before {
                    // A size means something else for another workload.
                    self.form.size = size_rule(self.form.workload).default;
                }
                self.form.run = false;
            }
            Action::SetInterval(text) => {
                self.notices
                    .extend(parse_interval(&text).apply(&mut self.form.interval_ms));
                self.form.run = false;
            }
            Action::SetLatency(text) => {
                self.notices
                    .extend(parse_latency(&text).apply(&mut self.form.latency_ms));
                self.form.run = false;
            }
            Action::SetWarm(on) => {
                self.form.warm = on;
                self.form.run = false;
            }
            Action::SetSim(on) => {
                self.form.sim = on;
                let (_, most) = self.form.k_range();
                if self.form.k > most {
                    self.notices.push(format!(
                        "A live run has at most {most} threads: k is now {most} (simulated runs may have up to {}).",
                        crate::url::SIM_K_RANGE.1
                    ));
                    self.form.k = most;
                }
                self.form.run = false;
            }
            Action::SetCores(text) => {
                self.notices
                    .extend(parse_cores(&text).apply(&mut self.form.cores));
                self.form.run = false;
            }
            Action::SetSeed(text) => {
                self.notices
                    .extend(parse_seed(&text).apply(&mut self.form.seed));
                self.form.run = false;
            }
            Action::SetCalibrated(on) => {
                self.form.calibrated = on;
                self.form.run = false;
            }
            Action::GoToLesson(step) => {
                if self.running() {
                    self.notices.push(
                        "A run is in progress: wait for it or cancel it before changing step."
                            .to_owned(),
                    );
                    return;
                }
                let query = step.map_or_else(String::new, |n| format!("lesson={n}"));
                let (mut form, notices) = parse_query(&query);
                // Display and simulation choices carry over from step to step.
                form.theme = self.form.theme;
                form.sim = self.form.sim;
                form.cores = self.form.cores;
                form.seed = self.form.seed;
                form.calibrated = self.form.calibrated;
                form.embed = self.form.embed;
                form.scale = self.form.scale;
                self.notices.extend(notices);
                self.form = form;
                self.prediction = None;
                self.leave_batch();
            }
            Action::Predict(choice) => {
                let known = self
                    .lesson()
                    .is_some_and(|l| l.choices.iter().any(|c| c.id == choice));
                if known {
                    self.prediction = Some(choice);
                }
            }
            Action::Navigate(query) => {
                if self.running() {
                    // The form stays with the batch that runs; the page puts
                    // the address back to it (its URL effect follows the
                    // notices too), so the two never disagree.
                    self.notices.push(
                        "A run is in progress: the address was put back. Wait for the run or \
                         cancel it before going back or forward."
                            .to_owned(),
                    );
                    return;
                }
                let (form, notices) = parse_query(&query);
                if form.lesson != self.form.lesson {
                    self.prediction = None;
                    self.leave_batch();
                }
                self.form = UrlState { run: false, ..form };
                self.notices.extend(notices);
            }
            Action::SetTheme(name) => {
                self.notices
                    .extend(crate::url::parse_theme(&name).apply(&mut self.form.theme));
            }
            Action::Sweep => self.start_with(true),
            Action::Reset => {
                if self.running() {
                    self.notices
                        .push("A run is in progress: cancel it before resetting.".to_owned());
                    return;
                }
                self.prediction = None;
                self.leave_batch();
            }
            Action::StepLesson(delta) => {
                let to = self
                    .form
                    .lesson
                    .and_then(|n| u32::try_from(i64::from(n) + i64::from(delta)).ok())
                    .filter(|n| (1..=lessons::LESSONS.len() as u32).contains(n));
                if to.is_some() {
                    self.apply(Action::GoToLesson(to));
                }
            }
            Action::SetScale(text) => {
                self.notices
                    .extend(crate::url::parse_scale(&text).apply(&mut self.form.scale));
            }
            Action::PoolReady(threads) => self.pool = PoolStatus::Ready(threads),
            Action::PoolUnavailable { headline, why } => {
                self.pool = PoolStatus::Unavailable { headline, why };
            }
            Action::PoolDied(why) => {
                if self.running() {
                    self.status = RunStatus::Failed(format!(
                        "a worker thread died during the run ({why}); see the banner above"
                    ));
                    self.show_previous_if_nothing_ran();
                }
                self.pool = PoolStatus::Died(why);
            }
            Action::Start => self.start_with(false),
            Action::Finished(trace) => self.finish(trace),
            Action::Failed(why) => {
                if self.running() {
                    self.status = RunStatus::Failed(why);
                    self.show_previous_if_nothing_ran();
                }
            }
            Action::Cancelled => {
                if self.running() {
                    self.status = RunStatus::Cancelled;
                    self.show_previous_if_nothing_ran();
                }
            }
            Action::Imported {
                file,
                trace,
                summary,
            } => {
                if self.running() {
                    self.notices.push(format!(
                        "{file} was not opened: a run is in progress; wait for it or cancel it."
                    ));
                    return;
                }
                let trace = Rc::new(trace);
                self.remember(Rc::clone(&trace));
                self.batch = vec![trace];
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

    fn remember(&mut self, trace: Rc<Trace>) {
        self.history.push(trace);
        let mut spans: usize = self.history.iter().map(|t| t.spans().len()).sum();
        while self.history.len() > HISTORY || (self.history.len() > 1 && spans > HISTORY_SPANS) {
            spans -= self.history.remove(0).spans().len();
        }
    }

    /// Clears the picture of a finished batch (a new step has its own).
    fn leave_batch(&mut self) {
        self.batch.clear();
        self.previous = None;
        self.plan.clear();
        self.sweep = false;
        if !matches!(self.status, RunStatus::Running { .. }) {
            self.status = RunStatus::Idle;
        }
    }

    fn start_with(&mut self, sweep: bool) {
        if self.running() {
            self.notices
                .push("A run is already in progress: wait for it or cancel it.".to_owned());
            return;
        }
        if !self.can_run() {
            self.notices.push(
                "The worker threads are still starting: press Run again in a moment.".to_owned(),
            );
            return;
        }
        if self.form.sim && self.form.workload == Workload::Ui {
            self.notices.push(
                "The UI lesson measures this page's own frames, so it runs live even in simulation mode."
                    .to_owned(),
            );
        }
        let plan = if sweep {
            self.sweep_plan()
        } else {
            self.batch_plan()
        };
        // Refused before anything starts or is cleared: the page keeps
        // what it shows.
        if let Some(why) = plan.iter().find_map(|p| self.memory_refusal(p)) {
            self.notices.push(why);
            return;
        }
        self.previous = Some((std::mem::take(&mut self.batch), self.sweep));
        self.sweep = sweep;
        self.plan = plan;
        self.status = match self.plan.first() {
            Some(first) => RunStatus::Running {
                index: 0,
                total: self.plan.len(),
                model: first.scenario.model,
            },
            None => RunStatus::Idle,
        };
    }

    /// A batch that ended before any of its runs finished shows the one
    /// before it again.
    fn show_previous_if_nothing_ran(&mut self) {
        if let Some((batch, sweep)) = self.previous.take()
            && self.batch.is_empty()
        {
            self.batch = batch;
            self.sweep = sweep;
        }
    }

    fn finish(&mut self, trace: Trace) {
        let RunStatus::Running { index, total, .. } = self.status else {
            return;
        };
        self.previous = None;
        if trace.meta().is_some_and(|m| m.mode == Mode::Live) {
            // What it teaches about this machine; a run it cannot read
            // (cancelled, too short) teaches nothing and changes nothing.
            let _ = self.costs.calibrate(&trace);
        }
        let trace = Rc::new(trace);
        self.remember(Rc::clone(&trace));
        self.batch.push(trace);
        let next = index + 1;
        self.status = match self.plan.get(next) {
            Some(p) if next < total => RunStatus::Running {
                index: next,
                total,
                model: p.scenario.model,
            },
            _ => RunStatus::Done,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::to_query;
    use lanes_trace::{Lane, Meta, Mode, Span, State};

    fn trace(s: Scenario, makespan_us: f64) -> Trace {
        let meta = Meta {
            scenario: s,
            mode: Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "test".to_owned(),
            result: Some(0),
            seed: None,
        };
        let span = Span {
            lane: 0,
            state: State::Running,
            start_us: 0.0,
            end_us: makespan_us,
            task: Some(0),
        };
        Trace::new(meta, vec![Lane::thread("Thread 1")], vec![span])
    }

    fn ready(query: &str) -> AppState {
        let mut s = AppState::from_query(query);
        s.apply(Action::PoolReady(16));
        s
    }

    #[test]
    fn a_batch_runs_each_model_in_order_then_is_done() {
        let mut s = ready("model=sequential,free&k=8");
        s.apply(Action::Start);
        assert_eq!(s.plan.len(), 2);
        assert_eq!(s.plan[0].scenario.k, 1, "sequential runs on one thread");
        assert_eq!(s.plan[1].scenario.k, 8);
        assert_eq!(s.status.as_data(), "running");
        let (seq, free) = (s.plan[0].scenario, s.plan[1].scenario);
        s.apply(Action::Finished(trace(seq, 400.0)));
        assert_eq!(
            s.status,
            RunStatus::Running {
                index: 1,
                total: 2,
                model: Model::Free
            }
        );
        s.apply(Action::Finished(trace(free, 200.0)));
        assert_eq!(s.status.as_data(), "done");
        assert_eq!(s.batch.len(), 2);
        assert_eq!(s.speedup_of(&s.batch[1]), Some(2.0));
        assert_eq!(s.speedup_of(&s.batch[0]), None);
    }

    #[test]
    fn speedup_uses_an_earlier_sequential_run_of_the_same_size() {
        let mut s = ready("model=sequential");
        s.apply(Action::Start);
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 300.0)));
        s.apply(Action::ToggleModel(Model::Free, true));
        s.apply(Action::ToggleModel(Model::Sequential, false));
        s.apply(Action::Start);
        let free = s.plan[0].scenario;
        s.apply(Action::Finished(trace(free, 100.0)));
        assert_eq!(s.batch.len(), 1);
        assert_eq!(s.speedup_of(&s.batch[0]), Some(3.0));
        // A different size has no baseline.
        let other = Scenario {
            size: free.size + 1,
            ..free
        };
        assert_eq!(s.speedup_of(&trace(other, 100.0)), None);
    }

    #[test]
    fn a_second_start_while_running_is_refused_with_a_notice() {
        let mut s = ready("");
        s.apply(Action::Start);
        let before = s.clone();
        s.apply(Action::Start);
        assert_eq!(s.plan, before.plan);
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn back_or_forward_during_a_run_keeps_the_form_and_says_so() {
        let mut s = ready("model=sequential&k=4");
        s.apply(Action::Start);
        let before = s.clone();
        s.apply(Action::Navigate("model=free&k=3".to_owned()));
        assert_eq!(
            (&s.form, &s.plan, &s.status),
            (&before.form, &before.plan, &before.status)
        );
        let why = s.notices.last().expect("a notice");
        assert!(why.contains("address was put back"), "{why}");
    }

    #[test]
    fn a_run_over_the_memory_cap_is_refused_and_the_last_batch_kept() {
        let mut s = ready("model=sequential");
        s.apply(Action::Start);
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 300.0)));
        s.apply(Action::Navigate(
            "model=sequential,gil&workload=mandelbrot&size=16384&interval=0.1".to_owned(),
        ));
        let before = (s.batch.clone(), s.status.clone(), s.history.len());
        s.apply(Action::Start);
        assert_eq!((s.batch.clone(), s.status.clone(), s.history.len()), before);
        let why = s.notices.last().expect("a notice");
        assert!(why.contains("Threads + GIL run was not started"), "{why}");
        assert!(why.contains(" or less"), "{why}");
    }

    #[test]
    fn a_batch_that_fails_or_is_cancelled_before_a_run_ends_shows_the_last_one_again() {
        let mut s = ready("model=sequential");
        s.apply(Action::Start);
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 300.0)));
        let shown = s.batch.clone();
        s.apply(Action::Start);
        assert!(
            s.batch.is_empty(),
            "a new batch starts with a clean picture"
        );
        s.apply(Action::Failed("process 1 died".to_owned()));
        assert_eq!(s.batch, shown);
        assert_eq!(s.status, RunStatus::Failed("process 1 died".to_owned()));
        s.apply(Action::Start);
        s.apply(Action::Cancelled);
        assert_eq!(s.batch, shown);
        // A batch that got somewhere keeps its own runs.
        s.apply(Action::ToggleModel(Model::Free, true));
        s.apply(Action::Start);
        s.apply(Action::Finished(trace(seq, 200.0)));
        s.apply(Action::Cancelled);
        assert_eq!(s.batch.len(), 1);
        assert_ne!(s.batch, shown);
    }

    #[test]
    fn a_dead_pool_thread_fails_the_run_and_free_threads_are_simulated_after() {
        let mut s = ready("model=sequential,free");
        assert_eq!(s.how(Model::Free), How::Live);
        s.apply(Action::Start);
        s.apply(Action::PoolDied("unreachable".to_owned()));
        assert_eq!(s.status.as_data(), "error");
        assert_eq!(s.pool, PoolStatus::Died("unreachable".to_owned()));
        assert!(s.can_run());
        assert!(matches!(s.how(Model::Free), How::Simulated { .. }));
        assert_eq!(s.how(Model::Sequential), How::Live);
        s.apply(Action::Start);
        assert_eq!(s.status.as_data(), "running");
    }

    #[test]
    fn bad_edits_keep_a_valid_form_and_say_why() {
        let mut s = ready("k=4");
        s.apply(Action::SetK("abc".to_owned()));
        assert_eq!(s.form.k, 4);
        s.apply(Action::SetK("40".to_owned()));
        assert_eq!(s.form.k, 16);
        s.apply(Action::SetSize("-1".to_owned()));
        assert_eq!(s.form.size, size_rule(Workload::Primes).range.0);
        assert_eq!(s.notices.len(), 3);
        s.apply(Action::DismissNotices);
        assert!(s.notices.is_empty());
    }

    #[test]
    fn a_bad_edit_says_the_field_is_unchanged_not_that_it_took_the_default() {
        let mut s = ready("k=8&sim=1&seed=42");
        s.apply(Action::SetK(String::new()));
        s.apply(Action::SetSeed("-1".to_owned()));
        assert_eq!((s.form.k, s.form.seed), (8, 42));
        assert_eq!(
            s.notices,
            [
                "k=“” is not a whole number: k is unchanged (k goes from 1 to 64).",
                "seed=“-1” is not a whole number from 0 to 18446744073709551615: the seed is unchanged."
            ]
        );
    }

    #[test]
    fn the_scenario_carries_every_knob() {
        let mut s = ready("model=sequential,gil,free&workload=io&k=8&interval=2&latency=30");
        s.apply(Action::Start);
        let ks: Vec<u32> = s.plan.iter().map(|p| p.scenario.k).collect();
        assert_eq!(ks, [1, 8, 8]);
        assert!(
            s.plan
                .iter()
                .all(|p| p.scenario.interval_us == 2_000 && p.scenario.latency_us == 30_000)
        );
        let mut m = ready("model=gil&workload=mixed&k=8");
        m.apply(Action::Start);
        assert_eq!(
            m.plan[0].scenario.k, 2,
            "mixed is one CPU and one I/O thread"
        );
    }

    #[test]
    fn processes_are_warm_only_when_asked_and_ticked() {
        let mut s = ready("model=sequential,processes&warm=1");
        assert!(s.warm_processes());
        s.apply(Action::ToggleModel(Model::Processes, false));
        assert!(!s.warm_processes(), "no processes, nothing to keep warm");
        assert!(
            s.form.warm,
            "the form keeps the flag for when they come back"
        );
        s.apply(Action::ToggleModel(Model::Processes, true));
        s.apply(Action::SetWarm(false));
        assert!(!s.warm_processes());
        assert!(!to_query(&s.form).contains("warm"));
        s.apply(Action::SetWarm(true));
        assert!(s.warm_processes());
        assert!(to_query(&s.form).contains("&warm=1"));
    }

    #[test]
    fn a_new_workload_brings_its_own_default_size() {
        let mut s = ready("size=1234567");
        s.apply(Action::SetWorkload("mandelbrot".to_owned()));
        assert_eq!(s.form.size, size_rule(Workload::Mandelbrot).default);
        s.apply(Action::SetWorkload("nonsense".to_owned()));
        assert_eq!(s.form.workload, Workload::Mandelbrot);
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn the_last_model_cannot_be_unticked() {
        let mut s = ready("model=free");
        s.apply(Action::ToggleModel(Model::Free, false));
        assert_eq!(s.form.models, [Model::Free]);
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::ToggleModel(Model::Sequential, true));
        assert_eq!(
            s.form.models,
            [Model::Sequential, Model::Free],
            "course order"
        );
    }

    #[test]
    fn failures_and_cancels_end_the_batch_and_keep_finished_runs() {
        let mut s = ready("");
        s.apply(Action::Start);
        let first = s.plan[0].scenario;
        s.apply(Action::Finished(trace(first, 10.0)));
        s.apply(Action::Cancelled);
        assert_eq!(s.status.as_data(), "cancelled");
        assert_eq!(s.batch.len(), 1);
        s.apply(Action::Finished(trace(first, 10.0)));
        assert_eq!(s.batch.len(), 1, "a late answer after cancel is dropped");
        s.apply(Action::Start);
        s.apply(Action::Failed("boom".to_owned()));
        assert_eq!(s.status, RunStatus::Failed("boom".to_owned()));
    }

    #[test]
    fn without_a_pool_free_threads_are_simulated_and_the_rest_runs_live() {
        let mut s = AppState::from_query("model=sequential,gil,free,processes,asyncio&seed=9")
            .on_machine(2);
        s.apply(Action::Start);
        assert!(!s.running(), "nothing starts while the pool is starting");
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::PoolUnavailable {
            headline: "Not cross-origin isolated".to_owned(),
            why: "not isolated".to_owned(),
        });
        s.apply(Action::Start);
        assert!(s.running());
        let hows: Vec<How> = s.plan.iter().map(|p| p.how).collect();
        let fallback = How::Simulated {
            cores: 2,
            seed: 9,
            calibrated: true,
        };
        assert_eq!(hows, [How::Live, How::Live, fallback, How::Live, How::Live]);
    }

    #[test]
    fn lecture_mode_simulates_every_model_but_the_ui_lesson() {
        let mut s = ready("model=sequential,free&sim=1&cores=64&k=48&seed=3");
        s.apply(Action::Start);
        let lecture = How::Simulated {
            cores: 64,
            seed: 3,
            calibrated: false,
        };
        assert!(s.plan.iter().all(|p| p.how == lecture), "{:?}", s.plan);
        assert_eq!(s.plan[1].scenario.k, 48);
        assert_eq!(s.costs_for(lecture), CostModel::reference());
        let mut ui = ready("workload=ui&model=sequential&sim=1");
        ui.apply(Action::Start);
        assert_eq!(ui.plan[0].how, How::Live);
        assert_eq!(ui.notices.len(), 1, "{:?}", ui.notices);
    }

    #[test]
    fn leaving_lecture_mode_brings_k_back_into_the_live_range() {
        let mut s = ready("sim=1&k=40");
        s.apply(Action::SetK("64".to_owned()));
        assert_eq!(s.form.k, 64);
        s.apply(Action::SetSim(false));
        assert_eq!(s.form.k, 16);
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::SetCores("100".to_owned()));
        s.apply(Action::SetSeed("x".to_owned()));
        assert_eq!((s.form.cores, s.form.seed), (64, 1));
        assert_eq!(s.notices.len(), 3);
    }

    #[test]
    fn an_import_replaces_the_picture_and_a_failed_one_keeps_it() {
        let mut s = ready("model=free");
        s.apply(Action::Start);
        let p = s.plan[0].scenario;
        s.apply(Action::Finished(trace(p, 5.0)));
        let before = s.batch.clone();
        s.apply(Action::ImportFailed {
            file: "x.json".to_owned(),
            why: "the file is not valid JSON".to_owned(),
        });
        assert_eq!(s.batch, before);
        assert_eq!(s.status.as_data(), "done");
        assert!(s.notices[0].contains("x.json could not be opened"));
        let imported = trace(p, 9.0).with_source(lanes_trace::Source::Imported(Default::default()));
        s.apply(Action::Imported {
            file: "y.json".to_owned(),
            trace: imported,
            summary: "Read 3 events.".to_owned(),
        });
        assert_eq!(s.batch.len(), 1);
        assert_eq!(s.status.as_data(), "imported");
        assert_eq!(
            s.speedup_of(&s.batch[0]),
            None,
            "foreign traces have no speedup"
        );
        assert_eq!(s.history.len(), 2);
    }

    #[test]
    fn an_import_waits_for_a_run_to_end() {
        let mut s = ready("");
        s.apply(Action::Start);
        let p = s.plan[0].scenario;
        s.apply(Action::Imported {
            file: "y.json".to_owned(),
            trace: trace(p, 1.0),
            summary: String::new(),
        });
        assert!(s.running());
        assert!(s.batch.is_empty());
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn speedup_series_take_the_latest_run_at_each_k() {
        let mut s = ready("model=sequential");
        let run = |s: &mut AppState, query: &str, ms: f64| {
            let (form, _) = parse_query(query);
            s.form = form;
            s.apply(Action::Start);
            let p = s.plan[0].scenario;
            s.apply(Action::Finished(trace(p, ms * 1000.0)));
        };
        assert!(s.speedup_series().is_empty(), "no runs");
        run(&mut s, "model=free&k=2", 60.0);
        assert!(s.speedup_series().is_empty(), "no baseline yet");
        run(&mut s, "model=sequential", 100.0);
        run(&mut s, "model=free&k=2", 50.0);
        run(&mut s, "model=free&k=4", 40.0);
        run(&mut s, "model=free&k=2", 55.0);
        let series = s.speedup_series();
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].0, Model::Free);
        let points: Vec<(u32, String)> = series[0]
            .1
            .iter()
            .map(|(k, x)| (*k, format!("{x:.2}")))
            .collect();
        assert_eq!(points, [(2, "1.82".to_owned()), (4, "2.50".to_owned())]);
        // Another size has its own baseline, so nothing yet.
        run(&mut s, "model=free&k=2&size=1000", 1.0);
        assert!(s.speedup_series().is_empty());
    }

    #[test]
    fn a_sweep_runs_a_baseline_then_every_k_and_shows_the_largest() {
        let mut s = ready("model=sequential,gil,free");
        s.apply(Action::Sweep);
        assert!(s.sweep && s.running());
        let shape: Vec<(Model, u32)> = s
            .plan
            .iter()
            .map(|p| (p.scenario.model, p.scenario.k))
            .collect();
        assert_eq!(shape.len(), 1 + 2 * 16);
        assert_eq!(shape[0], (Model::Sequential, 1));
        assert_eq!(shape[1], (Model::Gil, 1));
        assert_eq!(shape[16], (Model::Gil, 16));
        assert_eq!(shape[32], (Model::Free, 16));
        let plan = s.plan.clone();
        for (i, p) in plan.iter().enumerate() {
            s.apply(Action::Finished(trace(
                p.scenario,
                1000.0 / (i as f64 + 1.0),
            )));
        }
        assert_eq!(s.status.as_data(), "done");
        let shown: Vec<(Model, u32)> = s
            .views()
            .iter()
            .map(|(t, _)| {
                (
                    t.meta().unwrap().scenario.model,
                    t.meta().unwrap().scenario.k,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [(Model::Sequential, 1), (Model::Gil, 16), (Model::Free, 16)]
        );
        let series = s.speedup_series();
        assert_eq!(series.len(), 2);
        assert!(series.iter().all(|(_, points)| points.len() == 16));
        // A simulated sweep goes as far as simulation allows.
        let mut sim = ready("model=free&sim=1");
        sim.apply(Action::Sweep);
        assert_eq!(sim.plan.len(), 1 + 64);
        // A plain run afterwards is no sweep.
        s.apply(Action::Start);
        assert!(!s.sweep);
    }

    #[test]
    fn the_theme_is_kept_in_the_url_and_bad_ones_say_so() {
        let mut s = ready("theme=dark");
        assert_eq!(s.form.theme, crate::url::Theme::Dark);
        assert!(to_query(&s.form).ends_with("&theme=dark"));
        s.apply(Action::SetTheme("neon".to_owned()));
        assert_eq!(s.form.theme, crate::url::Theme::Dark);
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::SetTheme("auto".to_owned()));
        assert!(!to_query(&s.form).contains("theme"));
    }

    #[test]
    fn reset_clears_the_picture_and_keeps_the_scenario() {
        let mut s = ready("lesson=4&embed=1");
        s.apply(Action::Predict("gil-same"));
        s.apply(Action::Start);
        let p = s.plan[0].scenario;
        s.apply(Action::Reset);
        assert_eq!(s.notices.len(), 1, "not while running");
        s.apply(Action::Cancelled);
        s.apply(Action::Finished(trace(p, 1.0)));
        s.apply(Action::Reset);
        assert!(s.batch.is_empty() && s.prediction.is_none());
        assert_eq!(s.status.as_data(), "idle");
        assert_eq!(s.form.lesson, Some(4));
        s.apply(Action::SetScale("2".to_owned()));
        assert_eq!(s.form.scale, 2.0);
    }

    #[test]
    fn history_is_bounded() {
        let mut s = ready("model=free");
        for _ in 0..HISTORY + 5 {
            s.apply(Action::Start);
            let p = s.plan[0].scenario;
            s.apply(Action::Finished(trace(p, 1.0)));
        }
        assert_eq!(s.history.len(), HISTORY);
    }

    #[test]
    fn history_keeps_its_spans_bounded_but_always_the_latest_run() {
        let mut s = ready("model=free");
        let big = |p: Scenario, spans: usize| {
            let t = trace(p, 1.0);
            let spans = (0..spans)
                .map(|i| Span {
                    start_us: i as f64,
                    end_us: i as f64 + 1.0,
                    ..t.spans()[0]
                })
                .collect();
            Trace::new(t.meta().unwrap().clone(), t.lanes.clone(), spans)
        };
        for spans in [HISTORY_SPANS / 2, HISTORY_SPANS / 2, 10, HISTORY_SPANS + 1] {
            s.apply(Action::Start);
            let p = s.plan[0].scenario;
            s.apply(Action::Finished(big(p, spans)));
        }
        assert_eq!(s.history.len(), 1, "only the latest, over the bound alone");
        assert_eq!(s.history[0].spans().len(), HISTORY_SPANS + 1);
    }
}

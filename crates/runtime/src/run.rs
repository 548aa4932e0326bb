//! Runs a scenario live: picks what runs for each model and workload (what
//! runs where is `lanes_model::table`, [`Runner::Pool`] here), and turns
//! what the threads recorded into a [`Trace`].

use std::sync::atomic::{AtomicBool, Ordering};

use lanes_model::{Runner, lanes, unsupported as refused};
use lanes_trace::{Event, Lane, Meta, Mode, Model, Scenario, Span, Trace, Workload};
use lanes_workloads::PrimeCount;

use crate::asyncio::run_asyncio;
use crate::counter::SharedCounter;
use crate::cpu::{Cancellable, Kernel};
use crate::gil::{run_gil, run_python_threads};
use crate::io::Requests;
use crate::mixed::{self, Convoy, Mixed, Role};
use crate::sleeper::Interruptible;
use crate::threads::{Recorded, Work, run_queue};
use crate::{Clock, GilError, Sleeper, SwitchInterval, ThreadSleeper};

/// The most threads a run may ask for.
pub const MAX_THREADS: u32 = 16;

/// The longest I/O wait a run may ask for, in µs (10 s).
pub const MAX_LATENCY_US: u32 = 10_000_000;

/// Where a run happens, for its metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// Logical cores of the machine.
    pub cores: u32,
    /// Whether the page had shared memory (always true natively).
    pub cross_origin_isolated: bool,
    /// A user agent, or "native".
    pub name: String,
}

impl Environment {
    /// The metadata of a live run of `scenario` here, with its answer.
    pub fn live_meta(&self, scenario: Scenario, result: Option<u64>) -> Meta {
        Meta {
            scenario,
            mode: Mode::Live,
            cores: self.cores,
            cross_origin_isolated: self.cross_origin_isolated,
            environment: self.name.clone(),
            result,
            seed: None,
        }
    }
}

/// A flag any thread may raise to stop a run between work items.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    /// A flag that is not raised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the run to stop after the items in progress.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a run could not finish.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// k is outside 1..=16.
    #[error("a run needs between 1 and {MAX_THREADS} threads, not {0}")]
    ThreadCount(u32),
    /// The pool cannot give every lane a thread of its own.
    #[error("the thread pool has {have} threads, but this run needs {need}")]
    PoolTooSmall {
        /// Threads the run needs.
        need: u32,
        /// Threads the pool has.
        have: usize,
    },
    /// Somebody pressed Cancel.
    #[error("the run was cancelled")]
    Cancelled,
    /// This runner cannot run the workload under the model.
    #[error("{} cannot run “{}” here: {}", model.title(), workload.title(), unsupported_words(*model, *workload))]
    Unsupported {
        /// The model asked for.
        model: Model,
        /// The workload asked for.
        workload: Workload,
    },
    /// The GIL's switch interval is outside 0.1..=100 ms.
    #[error("{}", GilError::Interval { ms: f64::from(*us) / 1000.0 })]
    Interval {
        /// The interval asked for, in µs.
        us: u32,
    },
    /// The I/O latency is longer than [`MAX_LATENCY_US`].
    #[error(
        "an I/O wait may last at most {} s, not {} s",
        MAX_LATENCY_US / 1_000_000,
        f64::from(*us) / 1e6
    )]
    Latency {
        /// The latency asked for, in µs.
        us: u32,
    },
    /// A process index at or past the number of processes.
    #[error("there is no process {share} in a run of {shares} processes")]
    Share {
        /// The process asked for, from 0.
        share: u32,
        /// How many processes the run has.
        shares: u32,
    },
}

/// Why a model and workload do not run live, in words for the page: the
/// table's, for a run with a pool or (free threads) without one.
fn unsupported_words(model: Model, workload: Workload) -> &'static str {
    [Runner::Pool, Runner::Solo]
        .into_iter()
        .find_map(|runner| refused(runner, model, workload))
        .unwrap_or("the two do not go together")
}

/// Runs `scenario` live on the current rayon pool and returns its trace,
/// with I/O waits slept by [`ThreadSleeper`]. See [`run_with`].
pub fn run(
    scenario: &Scenario,
    clock: &dyn Clock,
    environment: &Environment,
    cancel: &Cancel,
) -> Result<Trace, RunError> {
    run_with(scenario, clock, &ThreadSleeper, environment, cancel)
}

/// Runs `scenario` live on the current rayon pool and returns its trace;
/// simulated I/O waits (and an idle event loop) block with `sleeper`.
///
/// Call it from inside the pool (`ThreadPool::install`, or a task spawned on
/// the global pool), never on a browser's main thread: it blocks its thread
/// until every lane has finished. What runs is the table's
/// ([`lanes_model::table`], [`Runner::Pool`]); the rest is
/// [`RunError::Unsupported`].
pub fn run_with(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    environment: &Environment,
    cancel: &Cancel,
) -> Result<Trace, RunError> {
    if refused(Runner::Pool, scenario.model, scenario.workload).is_some() {
        return Err(unsupported(scenario));
    }
    // Waits end early when the run is cancelled.
    let sleeper = &Interruptible::new(sleeper, cancel);
    let ran = run_roles(scenario, &[Role::Cpu, Role::Io], clock, sleeper, cancel)?;
    Ok(ran.into_trace(scenario, environment))
}

/// Runs `scenario` under its model; `roles` are a mixed run's threads or
/// coroutines (both, or the I/O one alone).
fn run_roles(
    scenario: &Scenario,
    roles: &[Role],
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    match (scenario.model, scenario.workload) {
        (Model::Gil, _) => run_python_threads(scenario, roles, sleeper, &|threads, interval| {
            run_gil(threads, interval, clock, sleeper, cancel)
        }),
        (Model::Asyncio, _) => run_asyncio(scenario, roles, clock, sleeper, cancel),
        (_, Workload::Mixed) => run_mixed(scenario, roles, clock, sleeper, cancel),
        _ => run_items(scenario, clock, sleeper, cancel),
    }
}

/// Runs a mixed scenario twice under its model: the I/O thread alone, then
/// beside the CPU thread (as [`run_with`] does), so that the convoy effect
/// can be measured: see [`Convoy::slowdown`].
pub fn convoy(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    environment: &Environment,
    cancel: &Cancel,
) -> Result<Convoy, RunError> {
    if scenario.workload != Workload::Mixed {
        return Err(unsupported(scenario));
    }
    let alone = run_roles(scenario, &[Role::Io], clock, sleeper, cancel)?;
    let beside = run_with(scenario, clock, sleeper, environment, cancel)?;
    Ok(Convoy {
        alone: alone.into_trace(scenario, environment),
        beside,
    })
}

/// What a run produced, before it becomes a trace.
#[derive(Debug)]
pub(crate) struct Ran {
    pub(crate) lanes: Vec<Lane>,
    pub(crate) spans: Vec<Span>,
    pub(crate) events: Vec<Event>,
    pub(crate) result: u64,
}

impl Ran {
    /// What plain threads (or one thread) recorded on `lanes`: no events.
    pub(crate) fn of(lanes: Vec<Lane>, recorded: Recorded) -> Self {
        Self {
            lanes,
            spans: recorded.spans,
            events: Vec::new(),
            result: recorded.result,
        }
    }

    pub(crate) fn into_trace(self, scenario: &Scenario, environment: &Environment) -> Trace {
        let meta = environment.live_meta(*scenario, Some(self.result));
        Trace::new(meta, self.lanes, self.spans).with_events(self.events)
    }
}

pub(crate) fn unsupported(scenario: &Scenario) -> RunError {
    RunError::Unsupported {
        model: scenario.model,
        workload: scenario.workload,
    }
}

/// Checks that the scenario's I/O latency is one a run may wait.
pub(crate) fn check_latency(scenario: &Scenario) -> Result<f64, RunError> {
    if scenario.latency_us > MAX_LATENCY_US {
        return Err(RunError::Latency {
            us: scenario.latency_us,
        });
    }
    Ok(f64::from(scenario.latency_us))
}

pub(crate) fn switch_interval(scenario: &Scenario) -> Result<SwitchInterval, RunError> {
    SwitchInterval::from_us(f64::from(scenario.interval_us)).map_err(|_| RunError::Interval {
        us: scenario.interval_us,
    })
}

/// Workloads cut into items that k plain threads take from one queue: the
/// CPU-bound ones, requests, counters.
fn run_items(
    scenario: &Scenario,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    let threads = match scenario.model {
        Model::Sequential => 1,
        _ => scenario.k,
    };
    run_plain_items(scenario, threads, sleeper, cancel, &|work| {
        run_queue(work, threads, clock, cancel)
    })
}

/// The items of a scenario without a GIL or a mixed run, run by `run` on
/// `threads` plain threads (of the pool, or one on the calling thread), on
/// lanes named for the model. A counter's result is its final value, not
/// the sum of the items.
pub(crate) fn run_plain_items(
    scenario: &Scenario,
    threads: u32,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
    run: &dyn Fn(&dyn Work) -> Result<Recorded, RunError>,
) -> Result<Ran, RunError> {
    let recorded = match (Kernel::of(scenario), scenario.workload) {
        (Some(kernel), _) => run(&Cancellable {
            kernel: &kernel,
            cancel,
        })?,
        (None, Workload::Io) => run(&Requests {
            parse: &PrimeCount::new(scenario.size, scenario.tasks),
            latency_us: check_latency(scenario)?,
            sleeper,
        })?,
        (None, Workload::Counter | Workload::CounterLocked) => {
            let counter = SharedCounter::new(scenario);
            let recorded = run(&counter)?;
            Recorded {
                result: counter.value(),
                ..recorded
            }
        }
        _ => return Err(unsupported(scenario)),
    };
    Ok(Ran::of(lanes::threads(scenario.model, threads), recorded))
}

/// A mixed scenario with the given roles: the CPU thread and the I/O thread,
/// or the I/O thread alone.
fn run_mixed(
    scenario: &Scenario,
    roles: &[Role],
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Ran, RunError> {
    check_latency(scenario)?;
    let work = Mixed::new(scenario, sleeper);
    let (lanes, recorded) = match scenario.model {
        Model::Sequential => (
            lanes::threads(Model::Sequential, 1),
            mixed::run_plain(&work, &[roles], clock, cancel)?,
        ),
        Model::Free => {
            let lanes: Vec<&[Role]> = roles.iter().map(std::slice::from_ref).collect();
            (
                lanes::roles("thread", roles),
                mixed::run_plain(&work, &lanes, clock, cancel)?,
            )
        }
        _ => return Err(unsupported(scenario)),
    };
    Ok(Ran::of(lanes, recorded))
}

#[cfg(test)]
mod tests;

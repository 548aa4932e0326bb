//! The processes model's pure half: one process's share of a run (the page
//! runs each process in a web worker of its own, with its own memory, and
//! each worker calls [`run_share`]); what the page sends each process
//! ([`input`], [`protocol`]), what a process computes from it ([`compute`]),
//! and the trace made of their stamps ([`assemble`]). The page's half, which
//! starts the workers and posts the messages, is in lanes-web.

pub mod assemble;
pub mod compute;
pub mod input;
pub mod protocol;
#[cfg(test)]
mod tests;

use lanes_trace::{Model, Scenario, Span, Workload};
use lanes_workloads::PrimeCount;

use crate::counter::SharedCounter;
use crate::cpu::{Cancellable, Kernel};
use crate::io::Requests;
use crate::record::Recorder;
use crate::run::check_latency;
use crate::threads::Work;
use crate::{Cancel, Clock, MAX_THREADS, RunError, Sleeper, share_tasks};

/// The memory figures of a processes run: k separate memories against the
/// page's one. They travel with the run's trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessMemory {
    /// Each process's wasm memory (`memory.buffer.byteLength`) after its
    /// run, by process. A warm process's memory is not reset: it is its
    /// high-water mark over every run it did.
    pub bytes_per_process: Vec<u64>,
    /// The page's own wasm memory, which its threads share, for comparison.
    pub main_bytes: u64,
}

/// What one process did.
#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    /// Its spans, all on lane `share`: running (and, for requests, I/O
    /// wait) spans, one or two per item, in time order. Times are the
    /// clock's own readings (µs), untouched: pass a clock on the page's time
    /// axis. Start-up and copy spans are the page's to add.
    pub spans: Vec<Span>,
    /// The sum of its items' results; for a counter, the final value of the
    /// process's own counter (processes share no memory, so none is lost).
    pub result: u64,
}

/// Runs process `share`'s items of `scenario` (see [`share_tasks`]) on the
/// calling thread, as one of `shares` processes: the CPU-bound workloads,
/// requests (waiting with `sleeper`), and a counter of its own for both
/// counter workloads. Mixed and UI are [`RunError::Unsupported`].
///
/// It blocks its thread: on the web, call it on a worker.
pub fn run_share(
    scenario: &Scenario,
    share: u32,
    shares: u32,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    cancel: &Cancel,
) -> Result<Share, RunError> {
    if !(1..=MAX_THREADS).contains(&shares) {
        return Err(RunError::ThreadCount(shares));
    }
    if share >= shares {
        return Err(RunError::Share { share, shares });
    }
    let run = |work: &dyn Work| run_items(work, share, shares, clock, cancel);
    if let Some(kernel) = Kernel::of(scenario) {
        return run(&Cancellable {
            kernel: &kernel,
            cancel,
        });
    }
    match scenario.workload {
        Workload::Io => {
            let primes = PrimeCount::new(scenario.size, scenario.tasks);
            check_latency(scenario)?;
            run(&Requests {
                parse: &primes,
                latency_us: f64::from(scenario.latency_us),
                sleeper,
            })
        }
        Workload::Counter | Workload::CounterLocked => {
            let counter = SharedCounter::new(scenario);
            let share = run(&counter)?;
            Ok(Share {
                result: counter.value(),
                ..share
            })
        }
        workload => Err(RunError::Unsupported {
            model: Model::Processes,
            workload,
        }),
    }
}

fn run_items(
    work: &dyn Work,
    share: u32,
    shares: u32,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<Share, RunError> {
    let mut lane = Recorder::new(clock, 0.0, share);
    let mut result = 0_u64;
    for task in share_tasks(work.tasks(), share, shares) {
        if cancel.is_cancelled() {
            return Err(RunError::Cancelled);
        }
        result = result.wrapping_add(work.run_task(task, &mut lane));
    }
    Ok(Share {
        spans: lane.finish(),
        result,
    })
}

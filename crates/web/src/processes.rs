//! The processes model: k workers, each with its own wasm instance and its
//! own memory, as `multiprocessing` runs k interpreters. Inputs are copied
//! in and results copied out with `postMessage`; start-up and both copies
//! are timed and drawn.
//!
//! By default workers are not reused: every run starts its processes cold,
//! which is what makes start-up visible. Warm (the page's `warm=1`, passed
//! with each run) a run keeps its workers
//! alive and the next run reuses them, as a `multiprocessing.Pool` kept
//! alive pays start-up once (see [`warm`]).

// What a process is sent, what it computes and the trace of their stamps
// are pure: they are lanes_runtime::processes, tested natively there.
mod prepare;
mod warm;
pub(crate) mod workers;

use std::sync::Arc;

use js_sys::Uint8Array;
use lanes_runtime::{Cancel, Clock, MAX_LATENCY_US, MAX_THREADS, RunError};
use lanes_trace::{Model, Scenario, Workload};
use wasm_bindgen::JsValue;

use crate::faults::{self, Fault};
use crate::worker_module::worker_module;
use crate::{LiveRun, PageClock, WebError, environment};
use lanes_clock::wasm_memory_bytes;
use lanes_runtime::processes::assemble::{Log, Start, assemble};
use lanes_runtime::processes::protocol::Report;
use workers::{Note, ProcessWorkers, message, set};

pub use lanes_runtime::processes::input::MAX_COPY_BYTES;
pub use warm::{MAX_IDLE_PROCESSES, end_idle_processes, idle_processes};

pub use lanes_runtime::processes::ProcessMemory;

/// Runs `scenario` as `scenario.k` processes: starts k workers from
/// `process-worker.js`, each instantiating the worker module (compiled once
/// per page) with a fresh memory of its own; sends each its share's input (copied, see the
/// crate README); and resolves with the trace and each process's memory.
///
/// With `warm` (the page's "Keep processes warm"), it first takes up to k
/// idle workers kept from earlier runs and starts only the missing ones,
/// and keeps all k alive after the run; cold, it terminates any idle worker
/// first and each process when its report is in.
///
/// Raising `cancel` terminates every worker within a few tens of ms and
/// gives [`RunError::Cancelled`]; a worker that fails (its script does not
/// load, its job fails or traps) ends the run with an error that names it.
/// Either way the idle workers are terminated too. Call it on the page's
/// main thread; it needs no thread pool.
pub async fn run_processes(
    scenario: Scenario,
    cancel: Arc<Cancel>,
    warm: bool,
) -> Result<LiveRun, WebError> {
    if !warm {
        end_idle_processes();
    }
    let run = run_in_processes(scenario, &cancel, warm).await;
    if run.is_err() {
        end_idle_processes();
    }
    run
}

async fn run_in_processes(
    scenario: Scenario,
    cancel: &Cancel,
    warm: bool,
) -> Result<LiveRun, WebError> {
    check(&scenario)?;
    // The parent's data exists before the pool starts, as a data set read
    // from disk would: making it is not part of the run's time.
    let mut parcels = prepare::prepare(&scenario, cancel).await?;
    let module = worker_module().await?;
    let env = environment();

    let origin_us = PageClock.now_us();
    let mut workers = ProcessWorkers::new()?;
    let mut created = Vec::with_capacity(parcels.len());
    let mut starts = Vec::with_capacity(parcels.len());
    if warm {
        for worker in warm::take_idle(parcels.len()) {
            created.push(PageClock.now_us());
            starts.push(Start::Warm);
            workers.adopt(worker);
        }
    }
    while created.len() < parcels.len() {
        created.push(PageClock.now_us());
        starts.push(if warm { Start::ColdKept } else { Start::Cold });
        workers.spawn(&module)?;
    }

    let mut ready = vec![0.0; parcels.len()];
    let mut sent = vec![(0.0, 0.0, 0_u64); parcels.len()];
    let mut logs: Vec<Option<Log>> = vec![None; parcels.len()];
    let mut left = parcels.len();
    while left > 0 {
        let Some(note) = workers.next(cancel).await else {
            return Err(RunError::Cancelled.into());
        };
        match note {
            Note::Ready { process, at_us } => {
                let parcel = parcels.get_mut(process).ok_or_else(|| unknown(process))?;
                ready[process] = at_us;
                let job = serde_json::to_string(&parcel.job)
                    .map_err(|e| failed(process, format!("its job could not be written: {e}")))?;
                let payload =
                    std::mem::replace(&mut parcel.payload, Uint8Array::new_with_length(0));
                let bytes = job.len() as u64 + u64::from(payload.byte_length());
                let run = message("run")?;
                set(&run, "job", &JsValue::from_str(&job))?;
                set(&run, "payload", &payload)?;
                if process == 0 && faults::take(Fault::ProcessTrap) {
                    workers.post(process, &message("trap")?.into())?;
                }
                let sent_us = PageClock.now_us();
                workers.post(process, &run)?;
                sent[process] = (sent_us, PageClock.now_us(), bytes);
            }
            Note::Done {
                process,
                received_us,
                arrived_us,
                report,
            } => {
                let parcel = parcels.get(process).ok_or_else(|| unknown(process))?;
                let reading_us = PageClock.now_us();
                let report = report.as_string().unwrap_or_default();
                let parsed: Report = serde_json::from_str(&report)
                    .map_err(|e| failed(process, format!("its report could not be read: {e}")))?;
                let read_us = PageClock.now_us();
                if !warm {
                    workers.end(process);
                }
                let (sent_us, posted_us, sent_bytes) = sent[process];
                logs[process] = Some(Log {
                    start: starts[process],
                    created_us: created[process],
                    ready_us: ready[process],
                    sent_us,
                    posted_us,
                    sent_bytes,
                    label: parcel.label.clone(),
                    received_us,
                    report: parsed,
                    report_bytes: report.len() as u64,
                    arrived_us,
                    reading_us,
                    read_us,
                });
                left -= 1;
            }
            // A process's job says nothing of its progress.
            Note::Progress { .. } | Note::Ring { .. } => {}
            Note::Failed {
                process,
                why,
                trapped,
            } => {
                return Err(if trapped {
                    WebError::ProcessDied {
                        process: u32::try_from(process + 1).unwrap_or(u32::MAX),
                        why,
                    }
                } else {
                    failed(process, why)
                });
            }
        }
    }
    if warm {
        warm::park(workers.release());
    }
    drop(workers);

    let logs: Vec<Log> = logs.into_iter().flatten().collect();
    let bytes_per_process = logs.iter().map(|l| l.report.memory_bytes).collect();
    let trace = assemble(&scenario, &env, origin_us, &logs);
    Ok(LiveRun {
        trace,
        memory: Some(ProcessMemory {
            bytes_per_process,
            main_bytes: wasm_memory_bytes(),
        }),
    })
}

/// Refuses what no process could run, before any worker starts.
fn check(scenario: &Scenario) -> Result<(), WebError> {
    if !(1..=MAX_THREADS).contains(&scenario.k) {
        return Err(RunError::ThreadCount(scenario.k).into());
    }
    match scenario.workload {
        Workload::Mixed => Err(WebError::NotForProcesses {
            workload: Workload::Mixed,
            why: "it is one CPU-bound and one I/O-bound thread of a single process by design, \
                  to show the convoy effect; run it with threads",
        }),
        Workload::Ui => Err(RunError::Unsupported {
            model: Model::Processes,
            workload: Workload::Ui,
        }
        .into()),
        Workload::Io if scenario.latency_us > MAX_LATENCY_US => Err(RunError::Latency {
            us: scenario.latency_us,
        }
        .into()),
        _ => Ok(()),
    }
}

fn failed(process: usize, why: String) -> WebError {
    WebError::Process {
        process: u32::try_from(process + 1).unwrap_or(u32::MAX),
        why,
    }
}

fn unknown(process: usize) -> WebError {
    failed(process, "no such process was started".to_owned())
}

//! What the page sends each process: a [`Job`] describing its share, and a
//! payload of real data whose size follows the workload, as
//! `multiprocessing` pickles a task's arguments.
//!
//! - Primes: the numbers of its ranges, 4 bytes each, which the process
//!   tests for primality.
//! - Audio: the samples of its clips, 4 bytes each, which the process
//!   analyses instead of synthesizing them.
//! - Above [`MAX_COPY_BYTES`] for the whole run, either sends only the
//!   ranges or clip numbers and the process makes the data itself; the
//!   copy-in span's label says so.
//! - Mandelbrot, requests and counters: the work items alone (a Mandelbrot
//!   item's input is its row numbers; a response comes from the network, not
//!   the parent; each process counts on a counter of its own).
//!
//! The payloads live in plain (unshared) `ArrayBuffer`s outside the page's
//! wasm memory, made a slice at a time, so the page's own memory does not
//! grow with them; they are copied, not transferred, when posted.

use js_sys::Uint8Array;
use lanes_model::{Sends, sends, share_tasks};
use lanes_runtime::{Cancel, RunError};
use lanes_trace::Scenario;
use lanes_trace::words::byte_size;
use lanes_workloads::{AudioFeatures, Clip, PrimeCount};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::protocol::{ClipRun, Input, Job, NumberRange};
use crate::{PageClock, WebError};

/// The most payload bytes a run copies into its processes, all of them
/// together (the simulator costs the same).
pub use lanes_model::MAX_COPY_BYTES;

/// How long the page's main thread makes payloads before it lets the page
/// breathe (draw, handle input), in µs.
const SLICE_US: f64 = 8_000.0;

/// Bytes made at a time.
const CHUNK_BYTES: usize = 1 << 18;

/// One process's input, ready to post.
#[derive(Debug)]
pub(crate) struct Parcel {
    /// What it is told.
    pub(crate) job: Job,
    /// The data it is sent (empty for [`Input::Items`]).
    pub(crate) payload: Uint8Array,
    /// What was sent, in words, for the copy-in span.
    pub(crate) label: String,
}

/// What each of the `scenario.k` processes is sent, with a label, before
/// any data is made.
pub(crate) fn plan(scenario: &Scenario) -> Vec<(Job, String)> {
    let shares = scenario.k;
    (0..shares)
        .map(|share| {
            let tasks: Vec<u32> = share_tasks(scenario.tasks, share, shares).collect();
            let (input, label) = input_of(scenario, tasks);
            let job = Job {
                scenario: *scenario,
                share,
                shares,
                input,
            };
            (job, label)
        })
        .collect()
}

fn input_of(scenario: &Scenario, tasks: Vec<u32>) -> (Input, String) {
    let (sends, label) = sends(scenario, &tasks);
    let input = match sends {
        Sends::Numbers { .. } => {
            let job = PrimeCount::new(scenario.size, scenario.tasks);
            let ranges = tasks
                .iter()
                .map(|&task| {
                    let range = job.task_range(task);
                    NumberRange {
                        task,
                        start: u32::try_from(range.start).unwrap_or(u32::MAX),
                        end: u32::try_from(range.end).unwrap_or(u32::MAX),
                    }
                })
                .collect();
            Input::Numbers { ranges }
        }
        Sends::Samples { .. } => {
            let job = AudioFeatures::from_size(scenario.size, scenario.tasks);
            let runs = tasks
                .iter()
                .map(|&task| {
                    let clips = job.task_clips(task);
                    ClipRun {
                        task,
                        first: clips.start,
                        end: clips.end,
                    }
                })
                .collect();
            Input::Samples {
                clip_samples: job.clip_samples(),
                runs,
            }
        }
        Sends::Items => Input::Items { tasks },
    };
    (input, label)
}

/// Makes every process's payload on the page's main thread, a slice at a
/// time, giving the page a turn every few milliseconds.
pub(crate) async fn prepare(scenario: &Scenario, cancel: &Cancel) -> Result<Vec<Parcel>, WebError> {
    let mut pacer = Pacer::new();
    let mut parcels = Vec::new();
    for (job, label) in plan(scenario) {
        let payload = match &job.input {
            Input::Numbers { ranges } => numbers(ranges, &mut pacer, cancel).await?,
            Input::Samples { clip_samples, runs } => {
                samples(*clip_samples, runs, &mut pacer, cancel).await?
            }
            Input::Items { .. } => Uint8Array::new_with_length(0),
        };
        parcels.push(Parcel {
            job,
            payload,
            label,
        });
    }
    Ok(parcels)
}

async fn numbers(
    ranges: &[NumberRange],
    pacer: &mut Pacer,
    cancel: &Cancel,
) -> Result<Uint8Array, WebError> {
    let total: usize = ranges.iter().map(|r| 4 * r.len()).sum();
    let payload = new_buffer(total)?;
    let mut chunk = Vec::with_capacity(CHUNK_BYTES);
    let mut at = 0;
    for range in ranges {
        let mut n = range.start;
        while n < range.end {
            let end = range.end.min(n.saturating_add((CHUNK_BYTES / 4) as u32));
            chunk.clear();
            chunk.extend((n..end).flat_map(u32::to_le_bytes));
            at = put(&payload, at, &chunk);
            n = end;
            pacer.breathe(cancel).await?;
        }
    }
    Ok(payload)
}

async fn samples(
    clip_samples: u32,
    runs: &[ClipRun],
    pacer: &mut Pacer,
    cancel: &Cancel,
) -> Result<Uint8Array, WebError> {
    let clip_bytes = 4 * clip_samples as usize;
    let total: usize = runs.iter().map(|r| clip_bytes * r.len()).sum();
    let payload = new_buffer(total)?;
    let mut clip = vec![0.0_f32; clip_samples as usize];
    let mut bytes = Vec::with_capacity(clip_bytes);
    let mut at = 0;
    for run in runs {
        for index in run.first..run.end {
            Clip::new(index).fill(0, &mut clip);
            bytes.clear();
            bytes.extend(clip.iter().flat_map(|x| x.to_le_bytes()));
            at = put(&payload, at, &bytes);
            pacer.breathe(cancel).await?;
        }
    }
    Ok(payload)
}

/// A plain `ArrayBuffer` of `bytes` bytes, outside wasm memory.
fn new_buffer(bytes: usize) -> Result<Uint8Array, WebError> {
    let length = u32::try_from(bytes).map_err(|_| {
        WebError::ProcessStart(format!(
            "an input of {} is too big",
            byte_size(bytes as u64)
        ))
    })?;
    Ok(Uint8Array::new_with_length(length))
}

/// Copies `bytes` into `payload` at `at`; returns where the next go.
fn put(payload: &Uint8Array, at: usize, bytes: &[u8]) -> usize {
    let end = at + bytes.len();
    // Offsets fit in u32: the buffer's length did.
    payload.subarray(at as u32, end as u32).copy_from(bytes);
    end
}

/// Lets the page's event loop run every [`SLICE_US`], and notices Cancel.
#[derive(Debug)]
struct Pacer {
    since_us: f64,
}

impl Pacer {
    fn new() -> Self {
        Self { since_us: now_us() }
    }

    async fn breathe(&mut self, cancel: &Cancel) -> Result<(), WebError> {
        if now_us() - self.since_us < SLICE_US {
            return Ok(());
        }
        next_turn().await;
        self.since_us = now_us();
        if cancel.is_cancelled() {
            return Err(RunError::Cancelled.into());
        }
        Ok(())
    }
}

fn now_us() -> f64 {
    use lanes_runtime::Clock;
    PageClock.now_us()
}

/// Resolves on a later turn of the page's event loop (a zero timeout), so
/// that it can draw and handle input in between.
async fn next_turn() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        // If the timer cannot be set, resolve at once.
        if window
            .set_timeout_with_callback(resolve.unchecked_ref())
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    // A timeout's promise never rejects.
    let _ = JsFuture::from(promise).await;
}

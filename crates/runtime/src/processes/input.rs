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
//! Pure, so tested natively; the page makes the payloads (see
//! `prepare.rs`).

use lanes_model::{Sends, sends, share_tasks};
use lanes_trace::Scenario;
use lanes_workloads::{AudioFeatures, Clip, PrimeCount};

use super::protocol::{ClipRun, Input, Job, NumberRange};

/// The most payload bytes a run copies into its processes, all of them
/// together (the simulator costs the same).
pub use lanes_model::MAX_COPY_BYTES;

/// Numbers made at a time (a quarter of a megabyte).
const CHUNK_NUMBERS: u32 = 1 << 16;

/// What each of the `scenario.k` processes is sent, with a label, before
/// any data is made.
pub fn plan(scenario: &Scenario) -> Vec<(Job, String)> {
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

/// The payload bytes sent with `input`, a piece at a time: at most
/// [`CHUNK_NUMBERS`] numbers, or one clip's samples (none for
/// [`Input::Items`]).
pub fn payload(input: &Input) -> impl Iterator<Item = Vec<u8>> + '_ {
    let (ranges, clip_samples, runs) = match input {
        Input::Numbers { ranges } => (ranges.as_slice(), 0, [].as_slice()),
        Input::Samples { clip_samples, runs } => ([].as_slice(), *clip_samples, runs.as_slice()),
        Input::Items { .. } => ([].as_slice(), 0, [].as_slice()),
    };
    let numbers = ranges.iter().flat_map(|range| {
        (range.start..range.end)
            .step_by(CHUNK_NUMBERS as usize)
            .map(|n| {
                let end = range.end.min(n.saturating_add(CHUNK_NUMBERS));
                (n..end).flat_map(u32::to_le_bytes).collect()
            })
    });
    let clips = runs
        .iter()
        .flat_map(|run| run.first..run.end)
        .map(move |index| {
            let mut clip = vec![0.0_f32; clip_samples as usize];
            Clip::new(index).fill(0, &mut clip);
            clip.iter().flat_map(|x| x.to_le_bytes()).collect()
        });
    numbers.chain(clips)
}

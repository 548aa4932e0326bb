//! What the page sends each process besides its job: [`sends`] is what the
//! live page's `processes::input` sends (primes their numbers, 4 bytes each,
//! audio its clips' samples, the rest their work items only; a run copies at
//! most [`MAX_COPY_BYTES`] of payload), and what the simulator costs.

use lanes_trace::words::{byte_size, thousands};
use lanes_trace::{Scenario, Workload};
use lanes_workloads::{AudioFeatures, PrimeCount};

/// The most payload bytes a run copies into its processes, all together:
/// 64 MB, so that even 16 processes, each holding its share once in
/// JavaScript and once in its wasm memory, stay within a few hundred MB.
pub const MAX_COPY_BYTES: u64 = 64_000_000;

/// What a process of a processes run is sent besides its job: the page's
/// `processes::input` sends it, the simulator costs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sends {
    /// The numbers of its prime ranges, 4 bytes each.
    Numbers {
        /// How many.
        numbers: u64,
    },
    /// The samples of its audio clips, 4 bytes each.
    Samples {
        /// How many clips.
        clips: u64,
        /// Bytes of one clip's samples.
        clip_bytes: u64,
    },
    /// Its work items alone: the workload has no data to send, or all of it
    /// together is over [`MAX_COPY_BYTES`] and the process makes its own.
    Items,
}

/// What the process given work items `tasks` of `scenario` is sent, with a
/// label in words for its copy-in span.
pub fn sends(scenario: &Scenario, tasks: &[u32]) -> (Sends, String) {
    let items = tasks.len();
    let over_cap = |what: &str, total: u64, so: &str| {
        format!(
            "{what} ({}) are over the {} a run may copy, so the process {so}",
            byte_size(total),
            byte_size(MAX_COPY_BYTES)
        )
    };
    match scenario.workload {
        Workload::Primes => {
            let job = PrimeCount::new(scenario.size, scenario.tasks);
            let total = scenario.size.saturating_mul(4);
            if total > MAX_COPY_BYTES || u32::try_from(scenario.size).is_err() {
                let why = over_cap("all the numbers", total, "makes its own");
                return (Sends::Items, format!("{items} ranges only: {why}"));
            }
            let numbers: u64 = tasks
                .iter()
                .map(|&t| {
                    let r = job.task_range(t);
                    r.end - r.start
                })
                .sum();
            let label = format!("{} numbers of {items} ranges", thousands(numbers));
            (Sends::Numbers { numbers }, label)
        }
        Workload::Audio => {
            let job = AudioFeatures::from_size(scenario.size, scenario.tasks);
            let clip_bytes = 4 * u64::from(job.clip_samples());
            let total = clip_bytes * u64::from(job.clips());
            if total > MAX_COPY_BYTES {
                let why = over_cap("the samples of all clips", total, "synthesizes its own");
                return (Sends::Items, format!("clip numbers only: {why}"));
            }
            let clips: u64 = tasks
                .iter()
                .map(|&t| {
                    let c = job.task_clips(t);
                    u64::from(c.end - c.start)
                })
                .sum();
            let label = format!("the samples of {clips} clips");
            (Sends::Samples { clips, clip_bytes }, label)
        }
        Workload::Io => (
            Sends::Items,
            format!("{items} requests: the responses come from the network, not the parent"),
        ),
        Workload::Counter | Workload::CounterLocked => (
            Sends::Items,
            format!("{items} work items: the process counts on a counter of its own"),
        ),
        Workload::Playback => (
            Sends::Items,
            format!("{items} notes: the process synthesizes the melody itself"),
        ),
        Workload::Mandelbrot | Workload::Mixed | Workload::Ui => (
            Sends::Items,
            format!("{items} work items: an item's input is its row numbers"),
        ),
    }
}

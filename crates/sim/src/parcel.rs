//! What the page sends each process and what comes back, in bytes and in
//! words, as the live page's `processes::input` makes them: primes send
//! their numbers (4 bytes each), audio its clips' samples, the rest their
//! work items only; a run copies at most 64 MB of payload.

use lanes_trace::words::{byte_size, thousands};
use lanes_trace::{Scenario, Workload};
use lanes_workloads::{AudioFeatures, PrimeCount};

/// The most payload bytes a run copies into its processes, all together.
pub(crate) const MAX_COPY_BYTES: u64 = 64_000_000;

/// A job description's bytes, besides its list of items.
const JOB_BYTES: u64 = 260;

/// What process `share` is sent: bytes in all, and a label.
pub(crate) fn input(scenario: &Scenario, tasks: &[u32]) -> (u64, String) {
    let items = tasks.len();
    let listed = |per_item: u64| JOB_BYTES + per_item * items as u64;
    match scenario.workload {
        Workload::Primes => {
            let job = PrimeCount::new(scenario.size, scenario.tasks);
            let total = scenario.size.saturating_mul(4);
            if total > MAX_COPY_BYTES || u32::try_from(scenario.size).is_err() {
                let label = format!(
                    "{items} ranges only: all the numbers ({}) are over the {} a run may copy, \
                     so the process makes its own",
                    byte_size(total),
                    byte_size(MAX_COPY_BYTES)
                );
                return (listed(4), label);
            }
            let numbers: u64 = tasks
                .iter()
                .map(|&t| {
                    let r = job.task_range(t);
                    r.end - r.start
                })
                .sum();
            let label = format!("{} numbers of {items} ranges", thousands(numbers));
            (listed(40) + 4 * numbers, label)
        }
        Workload::Audio => {
            let job = AudioFeatures::from_size(scenario.size, scenario.tasks);
            let clip_bytes = 4 * u64::from(job.clip_samples());
            let total = clip_bytes * u64::from(job.clips());
            if total > MAX_COPY_BYTES {
                let label = format!(
                    "clip numbers only: the samples of all clips ({}) are over the {} a run may \
                     copy, so the process synthesizes its own",
                    byte_size(total),
                    byte_size(MAX_COPY_BYTES)
                );
                return (listed(4), label);
            }
            let clips: u64 = tasks
                .iter()
                .map(|&t| {
                    let c = job.task_clips(t);
                    u64::from(c.end - c.start)
                })
                .sum();
            let label = format!("the samples of {clips} clips");
            (listed(35) + clip_bytes * clips, label)
        }
        Workload::Io => (
            listed(4),
            format!("{items} requests: the responses come from the network, not the parent"),
        ),
        Workload::Counter | Workload::CounterLocked => (
            listed(4),
            format!("{items} work items: the process counts on a counter of its own"),
        ),
        Workload::Mandelbrot | Workload::Mixed | Workload::Ui => (
            listed(4),
            format!("{items} work items: an item's input is its row numbers"),
        ),
    }
}

/// The bytes of a report holding `spans` spans.
pub(crate) fn report_bytes(spans: u64) -> u64 {
    120 + 90 * spans
}

#[cfg(test)]
mod tests {
    use lanes_trace::Model;

    use super::*;

    #[test]
    fn primes_send_their_numbers_and_big_runs_only_their_ranges() {
        let s = Scenario::new(Model::Processes, Workload::Primes, 2, 1_000_000, 4);
        let (bytes, label) = input(&s, &[0, 2]);
        assert!(bytes > 2_000_000 && bytes < 2_001_000, "{bytes}");
        assert_eq!(label, "500\u{2009}000 numbers of 2 ranges");
        let big = Scenario::new(Model::Processes, Workload::Primes, 2, 100_000_000, 4);
        assert!(input(&big, &[0, 2]).0 < 1000);
        assert_eq!(byte_size(650), "650 B");
        assert_eq!(byte_size(2_000_000), "2.0 MB");
    }
}

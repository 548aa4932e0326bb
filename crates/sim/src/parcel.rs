//! What the page sends each process and what comes back, in bytes: the
//! payload itself is `lanes_model::sends`, the page's rules, which the
//! simulator costs here.

use lanes_model::{Sends, sends};
use lanes_trace::Scenario;

/// A job description's bytes, besides its list of items.
const JOB_BYTES: u64 = 260;

/// What the process given `tasks` is sent: bytes in all, and a label.
pub(crate) fn input(scenario: &Scenario, tasks: &[u32]) -> (u64, String) {
    let listed = |per_item: u64| JOB_BYTES + per_item * tasks.len() as u64;
    let (sends, label) = sends(scenario, tasks);
    let bytes = match sends {
        Sends::Numbers { numbers } => listed(40) + 4 * numbers,
        Sends::Samples { clips, clip_bytes } => listed(35) + clip_bytes * clips,
        Sends::Items => listed(4),
    };
    (bytes, label)
}

/// The bytes of a report holding `spans` spans.
pub(crate) fn report_bytes(spans: u64) -> u64 {
    120 + 90 * spans
}

#[cfg(test)]
mod tests {
    use lanes_trace::words::byte_size;
    use lanes_trace::{Model, Workload};

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

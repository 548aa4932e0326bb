#![doc = include_str!("../README.md")]

pub mod gil;
pub mod lanes;
pub mod payload;
pub mod playback;
pub mod table;

use std::ops::Range;

pub use gil::{Dropped, GilState, Handoff, Holding, Release, Stamps, ThreadSpans, gil_lane_span};
pub use payload::{MAX_COPY_BYTES, Sends, sends};
pub use table::{Role, Runner, unsupported};

/// Numbers the I/O thread of a mixed run parses after each wait.
pub const PARSE_NUMBERS: u64 = 500;

/// The numbers round `round` of a mixed run's I/O thread parses.
pub fn round_range(round: u32) -> Range<u64> {
    let from = u64::from(round) * PARSE_NUMBERS;
    from..from + PARSE_NUMBERS
}

/// The items process `share` of `shares` runs: `share`, `share + shares`,
/// `share + 2·shares`, ... below `tasks`. Dealt round-robin, so that cheap
/// and dear items (later prime ranges cost more) spread evenly.
pub fn share_tasks(tasks: u32, share: u32, shares: u32) -> impl Iterator<Item = u32> {
    (share..tasks).step_by(shares.max(1) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_dealt_round_robin_and_rounds_follow_each_other() {
        assert_eq!(share_tasks(10, 1, 3).collect::<Vec<_>>(), [1, 4, 7]);
        assert_eq!(share_tasks(2, 2, 3).count(), 0);
        assert_eq!(share_tasks(3, 0, 0).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(round_range(0), 0..500);
        assert_eq!(round_range(3), 1500..2000);
    }
}

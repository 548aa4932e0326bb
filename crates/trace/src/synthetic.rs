//! Big traces made up deterministically, for benchmarks and tests: the same
//! arguments always give the same trace, with no clock and no randomness.

use crate::{Lane, Meta, Mode, Model, Scenario, Span, State, Trace, Workload};

/// A free-threads trace of `lanes` thread lanes with `spans_per_lane` spans
/// each, back to back with small gaps, of lengths from 1 µs to about 1 ms
/// with fractional microseconds. Nine spans in ten are running (each its own
/// task); the rest are I/O waits or idle.
pub fn trace(lanes: u32, spans_per_lane: u32) -> Trace {
    let capacity = usize::try_from(u64::from(lanes) * u64::from(spans_per_lane)).unwrap_or(0);
    let mut spans = Vec::with_capacity(capacity);
    let mut task = 0_u32;
    for lane in 0..lanes {
        let mut seed = u64::from(lane).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed;
        let mut at = 0.0_f64;
        for _ in 0..spans_per_lane {
            let r = next(&mut seed);
            let gap = if r.is_multiple_of(4) {
                f64::from((r >> 8) as u32 % 50) / 10.0
            } else {
                0.0
            };
            let len = 1.0 + f64::from((r >> 16) as u32 % 1_000_000) / 1000.0;
            let state = match (r >> 40) % 10 {
                0 => State::IoWait,
                1 if r.is_multiple_of(3) => State::Idle,
                _ => State::Running,
            };
            let start_us = at + gap;
            let end_us = start_us + len;
            spans.push(Span {
                lane,
                state,
                start_us,
                end_us,
                task: (state == State::Running).then(|| {
                    task = task.wrapping_add(1);
                    task - 1
                }),
                holder: None,
            });
            at = end_us;
        }
    }
    let meta = Meta {
        scenario: Scenario {
            model: if lanes > 1 {
                Model::Free
            } else {
                Model::Sequential
            },
            workload: Workload::Primes,
            k: lanes.max(1),
            size: u64::from(task),
            tasks: task,
            interval_us: Scenario::DEFAULT_INTERVAL_US,
            latency_us: Scenario::DEFAULT_LATENCY_US,
        },
        mode: Mode::Simulated,
        cores: lanes.max(1),
        cross_origin_isolated: true,
        environment: "synthetic".to_owned(),
        result: None,
        seed: None,
    };
    let names = (1..=lanes)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    Trace::new(meta, names, spans)
}

/// splitmix64: a small, fast, well-mixed sequence.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_and_sound() {
        let a = trace(4, 1000);
        assert_eq!(a, trace(4, 1000));
        assert_eq!(a.spans.len(), 4000);
        assert_eq!(a.lanes.len(), 4);
        assert_eq!(a.validate(), Ok(()));
        assert!(a.makespan_us() > 1000.0);
        let running = a.spans.iter().filter(|s| s.state == State::Running).count();
        assert!(running > 3000, "{running}");
        assert_eq!(trace(0, 10).spans.len(), 0);
    }
}

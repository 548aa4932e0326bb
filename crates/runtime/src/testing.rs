//! Helpers shared by the runtime's tests.

use std::sync::{Mutex, MutexGuard, PoisonError};

use lanes_trace::{LaneKind, Span, State, Trace};

use crate::{Environment, MAX_THREADS};

/// Tests that measure time take turns, whichever module they are in, so
/// that they do not load each other: hold this while measuring.
pub(crate) fn alone() -> MutexGuard<'static, ()> {
    static TIMED: Mutex<()> = Mutex::new(());
    TIMED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The environment the runtime's tests say they ran in.
pub(crate) fn native() -> Environment {
    Environment {
        cores: 2,
        cross_origin_isolated: true,
        name: "native".to_owned(),
    }
}

/// A pool with a thread for every lane a run may ask for, as the page has.
pub(crate) fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(MAX_THREADS as usize)
        .build()
        .unwrap_or_else(|e| panic!("cannot build a pool: {e}"))
}

/// The most spans open at one instant (touching spans do not overlap).
pub(crate) fn peak(spans: &[Span]) -> usize {
    let mut edges: Vec<(f64, i32)> = spans
        .iter()
        .flat_map(|s| [(s.start_us, 1), (s.end_us, -1)])
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut open, mut most) = (0_i32, 0_i32);
    for (_, step) in edges {
        open += step;
        most = most.max(open);
    }
    usize::try_from(most).unwrap_or(0)
}

/// The spans in `state` on thread lanes.
pub(crate) fn of_state(trace: &Trace, state: State) -> Vec<Span> {
    trace
        .spans()
        .iter()
        .filter(|s| s.state == state && trace.lanes[s.lane as usize].kind == LaneKind::Thread)
        .copied()
        .collect()
}

/// No two of `spans` overlap, whatever their lanes; `what` names them in
/// the failure.
pub(crate) fn assert_one_at_a_time(spans: &[Span], what: &str) {
    let mut spans = spans.to_vec();
    spans.sort_by(|a, b| a.start_us.total_cmp(&b.start_us));
    for pair in spans.windows(2) {
        assert!(
            pair[0].end_us <= pair[1].start_us,
            "{what}: two ran at once: {pair:?}"
        );
    }
}

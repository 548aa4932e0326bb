//! What the crate's tests share: hand-made live traces, and a page whose
//! pool is up.

use lanes_trace::{Lane, LaneKind, Meta, Mode, Scenario, Span, State, Trace};

use crate::state::{Action, AppState};

/// A live-looking trace of `lanes` lanes of `kind` with spans
/// `(lane, state, start µs, end µs)`.
pub(crate) fn hand_built(
    scenario: Scenario,
    cores: u32,
    result: u64,
    lanes: &[LaneKind],
    spans: &[(u32, State, f64, f64)],
) -> Trace {
    let meta = Meta {
        scenario,
        mode: Mode::Live,
        cores,
        cross_origin_isolated: true,
        environment: "test".to_owned(),
        result: Some(result),
        seed: None,
    };
    let lanes = lanes
        .iter()
        .enumerate()
        .map(|(i, &kind)| Lane {
            kind,
            name: format!("Lane {i}"),
        })
        .collect();
    let spans = spans
        .iter()
        .map(|&(lane, state, start_us, end_us)| Span {
            lane,
            state,
            start_us,
            end_us,
            task: None,
            holder: None,
        })
        .collect();
    Trace::new(meta, lanes, spans)
}

/// A live run of `s` with one thread busy for `makespan_us`.
pub(crate) fn trace(s: Scenario, makespan_us: f64) -> Trace {
    hand_built(
        s,
        2,
        0,
        &[LaneKind::Thread],
        &[(0, State::Running, 0.0, makespan_us)],
    )
}

/// A page opened at `query` whose pool started.
pub(crate) fn ready(query: &str) -> AppState {
    let mut s = AppState::from_query(query);
    s.apply(Action::PoolReady(16));
    s
}

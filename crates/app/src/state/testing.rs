//! What the state's tests share: a hand-made live trace and a page whose
//! pool is up.

use lanes_trace::{Lane, Meta, Mode, Scenario, Span, State, Trace};

use super::{Action, AppState};

/// A live run of `s` with one thread busy for `makespan_us`.
pub(super) fn trace(s: Scenario, makespan_us: f64) -> Trace {
    let meta = Meta {
        scenario: s,
        mode: Mode::Live,
        cores: 2,
        cross_origin_isolated: true,
        environment: "test".to_owned(),
        result: 0,
        seed: None,
    };
    let span = Span {
        lane: 0,
        state: State::Running,
        start_us: 0.0,
        end_us: makespan_us,
        task: Some(0),
    };
    Trace::new(meta, vec![Lane::thread("Thread 1")], vec![span])
}

/// A page opened at `query` whose pool started.
pub(super) fn ready(query: &str) -> AppState {
    let mut s = AppState::from_query(query);
    s.apply(Action::PoolReady(16));
    s
}

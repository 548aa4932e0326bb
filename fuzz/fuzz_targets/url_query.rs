//! Fuzzes the URL parser: any query a link can carry must give a usable
//! state (with notices for what was bad), never a panic.
//!
//! Checked for every input: each value lies in its declared range, and the
//! query the page writes back for that state reads back as the same state
//! with no notice. One exception, by design: `to_query` writes `cores`,
//! `seed` and `calibrated` only for a simulated run (they mean nothing in a
//! live one), so a live state reads back with their defaults. The property
//! checked is the strongest true one: equality up to those three fields
//! when `sim` is off, and exact equality of the written query on a second
//! round (the written form is a fixed point).

#![no_main]

use lanes_app::lessons::LESSONS;
use lanes_app::url::{
    CORES_RANGE, DEFAULT_CORES, DEFAULT_SEED, INTERVAL_RANGE, K_RANGE, LATENCY_RANGE, SCALE_RANGE,
    SIM_K_RANGE, UrlState, parse_query, size_rule, to_query,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|query: &str| {
    let (state, _notices) = parse_query(query);
    check_ranges(&state);

    let written = to_query(&state);
    let (back, notices) = parse_query(&written);
    assert!(
        notices.is_empty(),
        "the written query {written:?} gives notices: {notices:?}"
    );
    assert_eq!(
        back,
        as_written(&state),
        "{written:?} reads back differently"
    );
    assert_eq!(
        to_query(&back),
        written,
        "a second round writes another query"
    );
});

/// `state` as its written query keeps it: the simulator's settings only for
/// a simulated run.
fn as_written(state: &UrlState) -> UrlState {
    let mut state = state.clone();
    if !state.sim {
        state.cores = DEFAULT_CORES;
        state.seed = DEFAULT_SEED;
        state.calibrated = false;
    }
    state
}

fn within<T: PartialOrd + std::fmt::Debug>(name: &str, value: T, (lo, hi): (T, T)) {
    assert!(
        lo <= value && value <= hi,
        "{name} = {value:?} is outside {lo:?}..={hi:?}"
    );
}

fn check_ranges(s: &UrlState) {
    assert!(!s.models.is_empty(), "no model");
    for (i, m) in s.models.iter().enumerate() {
        assert!(!s.models[..i].contains(m), "{m:?} twice in {:?}", s.models);
    }
    within("k", s.k, if s.sim { SIM_K_RANGE } else { K_RANGE });
    within("k", s.k, s.k_range());
    within("size", s.size, size_rule(s.workload).range);
    within("interval", s.interval_ms, INTERVAL_RANGE);
    within("latency", s.latency_ms, LATENCY_RANGE);
    within("cores", s.cores, CORES_RANGE);
    within("scale", s.scale, SCALE_RANGE);
    if let Some(step) = s.lesson {
        within("lesson", step as usize, (1, LESSONS.len()));
    }
}

//! The drawing of two runs, compared with a checked-in SVG.
//!
//! Run with `UPDATE_SNAPSHOTS=1` to rewrite the file after a deliberate
//! change, then look at it.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use std::path::PathBuf;

use lanes_render::{RunView, TimelineStyle, timeline_height};
use lanes_trace::{Lane, Mode, Model, State, Trace};
use support::{meta, render, sequential, span};

/// A four-thread simulated run: start-up, uneven tasks, idle tails.
fn four_threads() -> Trace {
    let lanes = (1..=4)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    let mut spans = Vec::new();
    let mut ends = [2.0; 4];
    for lane in 0..4 {
        spans.push(span(lane, State::Startup, 0.0, 2.0, None));
    }
    let lengths = [
        31.0, 44.0, 38.0, 52.0, 29.0, 41.0, 35.0, 47.0, 33.0, 40.0, 36.0, 30.0,
    ];
    for (task, len) in (0_u32..).zip(lengths) {
        // The next task goes to the thread that frees up first.
        let (lane, _) = ends
            .iter()
            .enumerate()
            .fold(
                (0, f64::INFINITY),
                |best, (i, &e)| if e < best.1 { (i, e) } else { best },
            );
        let start = ends[lane];
        let lane_u32 = u32::try_from(lane).unwrap_or_else(|e| panic!("{e}"));
        spans.push(span(
            lane_u32,
            State::Running,
            start,
            start + len,
            Some(task),
        ));
        ends[lane] = start + len;
    }
    let end = ends.iter().copied().fold(0.0, f64::max);
    for (lane, &e) in (0_u32..).zip(&ends) {
        if e < end {
            spans.push(span(lane, State::Idle, e, end, None));
        }
    }
    Trace::new(meta(Model::Free, 4, Mode::Simulated), lanes, spans)
}

#[test]
fn two_runs_match_the_snapshot() {
    let seq = sequential(12, 38.0);
    let par = four_threads();
    let runs = [
        RunView {
            trace: &seq,
            speedup: None,
            stacks: &[],
        },
        RunView {
            trace: &par,
            speedup: par.speedup_against(&seq),
            stacks: &[],
        },
    ];
    let style = TimelineStyle::default();
    let height = timeline_height(&runs, 1280, &style);
    let svg = render(&runs, (1280, height), &style);

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/two_runs.svg");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &svg)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if svg != expected {
        let actual = path.with_extension("actual.svg");
        let _ = std::fs::write(&actual, &svg);
        panic!(
            "the drawing differs from {}; the new one is in {}. \
             If the change is intended, rerun with UPDATE_SNAPSHOTS=1",
            path.display(),
            actual.display()
        );
    }
}

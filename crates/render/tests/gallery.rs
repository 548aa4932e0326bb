//! Writes sample timelines to `target/gallery/` for people to look at:
//! `cargo test -p lanes-render --test gallery -- --ignored`.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use std::path::PathBuf;

use lanes_render::{RunView, TimelineStyle, timeline_height};
use lanes_trace::{Lane, Mode, Model, State, Trace};
use support::{free, meta, render, sequential, span};

fn write(name: &str, runs: &[RunView<'_>], width: u32, style: &TimelineStyle) {
    write_sized(
        name,
        runs,
        (width, timeline_height(runs, width, style)),
        style,
    );
}

fn write_sized(name: &str, runs: &[RunView<'_>], size: (u32, u32), style: &TimelineStyle) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/gallery");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let svg = render(runs, size, style);
    std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap_or_else(|e| panic!("{e}"));
}

/// Every state, so the legend is full.
fn every_state() -> Trace {
    let lanes = vec![
        Lane::thread("Main thread"),
        Lane::thread("Worker process 1"),
        Lane::thread("A lane with a very long name indeed"),
    ];
    let mut spans = Vec::new();
    let mut t = 0.0;
    for (task, state) in (0_u32..).zip(State::ALL) {
        spans.push(span(task % 3, state, t, t + 30.0, Some(task)));
        t += 30.0;
    }
    Trace::new(meta(Model::Free, 3, Mode::Simulated), lanes, spans)
}

/// Many tiny spans on each of `k` lanes.
fn dense(k: u32, spans_per_lane: u32) -> Trace {
    let lanes = (1..=k)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    let spans = (0..k * spans_per_lane)
        .map(|t| {
            let state = if t % 7 == 0 {
                State::GilWait
            } else {
                State::Running
            };
            let start = f64::from(t / k) * 0.05;
            span(t % k, state, start, start + 0.05, Some(t))
        })
        .collect();
    Trace::new(meta(Model::Free, k, Mode::Live), lanes, spans)
}

fn view(trace: &Trace, speedup: Option<f64>) -> RunView<'_> {
    RunView { trace, speedup }
}

#[test]
#[ignore = "writes files for people to look at"]
fn write_the_gallery() {
    let seq = sequential(16, 20.0);
    let two = free(2, 16, 20.0, Mode::Live);
    let four = free(4, 16, 20.0, Mode::Live);
    let sixteen = free(16, 16, 20.0, Mode::Simulated);
    let runs = [
        view(&seq, None),
        view(&two, two.speedup_against(&seq)),
        view(&four, four.speedup_against(&seq)),
        view(&sixteen, sixteen.speedup_against(&seq)),
    ];
    let light = TimelineStyle::default();
    let dark = TimelineStyle {
        dark: true,
        ..light
    };
    write("four_runs", &runs, 1280, &light);
    write("four_runs_dark", &runs, 1280, &dark);
    write("four_runs_narrow", &runs, 640, &light);
    write_sized("four_runs_720p", &runs, (1280, 720), &light);
    write_sized("two_runs_tall", &runs[..2], (1280, 720), &dark);
    let all = every_state();
    write("every_state", &[view(&all, Some(1.5))], 1280, &light);
    let dense = dense(4, 25_000);
    write("dense", &[view(&dense, None)], 1000, &light);
    write("empty", &[], 1280, &light);
    let seconds = sequential(4, 3000.0);
    write("seconds", &[view(&seconds, None)], 1920, &dark);
}

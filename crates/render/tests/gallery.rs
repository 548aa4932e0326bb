//! Writes sample timelines to `target/gallery/` for people to look at:
//! `cargo test -p lanes-render --test gallery -- --ignored`.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use std::path::PathBuf;

use lanes_render::{
    Hit, RunView, SpeedupSeries, TimelineStyle, View, amdahl_speedup, draw_speedup, timeline_height,
};
use lanes_trace::{Lane, Mode, Model, State, Trace};
use plotters::prelude::IntoDrawingArea;
use plotters_svg::SVGBackend;
use support::{free, gil, meta, processes, render, render_view, sequential, span};

fn write(name: &str, runs: &[RunView<'_>], width: u32, style: &TimelineStyle) {
    write_sized(
        name,
        runs,
        (width, timeline_height(runs, width, style)),
        style,
    );
}

fn write_sized(name: &str, runs: &[RunView<'_>], size: (u32, u32), style: &TimelineStyle) {
    save(name, &render(runs, size, style));
}

fn write_view(name: &str, runs: &[RunView<'_>], style: &TimelineStyle, view: &View) {
    let size = (1280, timeline_height(runs, 1280, style));
    save(name, &render_view(runs, size, style, view));
}

fn save(name: &str, svg: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/gallery");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap_or_else(|e| panic!("{e}"));
}

fn write_speedup(name: &str, series: &[SpeedupSeries], style: &TimelineStyle) {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (1280, 720)).into_drawing_area();
        draw_speedup(&area, series, style).unwrap_or_else(|e| panic!("{e}"));
    }
    save(name, &svg);
}

/// Measured-looking speedups: Amdahl with `serial`, a little noise.
fn measured(label: &str, serial: f64, ks: &[u32]) -> SpeedupSeries {
    let noise = [1.0, 0.97, 1.02, 0.96, 1.01, 0.98, 1.03];
    SpeedupSeries {
        label: label.to_owned(),
        points: ks
            .iter()
            .zip(noise.iter().cycle())
            .map(|(&k, n)| (k, amdahl_speedup(serial, f64::from(k)) * n))
            .collect(),
    }
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
    RunView {
        trace,
        speedup,
        stacks: &[],
    }
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

    // The GIL: four threads taking turns every 5 ms, forced to switch.
    let gil4 = gil(4, 24, 5.0, true);
    let gil_runs = [view(&seq, None), view(&gil4, gil4.speedup_against(&seq))];
    write("gil", &gil_runs, 1280, &light);
    write("gil_dark", &gil_runs, 1280, &dark);
    let strip = TimelineStyle {
        strip: true,
        ..light
    };
    write("gil_strip", &gil_runs, 1280, &strip);
    write("four_runs_strip", &runs[..3], 1280, &strip);
    let zoom = View {
        window: Some((38_000.0, 52_000.0)),
        highlight: Some(Hit {
            run: 1,
            lane: 4,
            span: 4 * 24 + 8,
            call: None,
        }),
        ..View::default()
    };
    write_view("gil_zoomed", &gil_runs, &light, &zoom);
    let replay = View {
        playhead_us: Some(61_500.0),
        ..View::default()
    };
    write_view("gil_replay", &gil_runs, &strip, &replay);
    let second = gil(4, 200, 5.0, true);
    write("gil_second", &[view(&second, None)], 1280, &strip);
    let fine = gil(4, 20_000, 0.05, true);
    write("gil_dense", &[view(&fine, None)], 1280, &light);
    let micro = View {
        window: Some((12_300.0, 12_600.0)),
        ..View::default()
    };
    write_view("gil_300us", &[view(&fine, None)], &light, &micro);
    let procs = processes(4);
    write("processes", &[view(&procs, None)], 1280, &light);

    write_speedup(
        "speedup",
        &[measured("Free threads", 0.07, &[1, 2, 4, 8, 16])],
        &light,
    );
    write_speedup(
        "speedup_three",
        &[
            measured("Free threads", 0.04, &[1, 2, 4, 8]),
            measured("Processes", 0.18, &[1, 2, 4, 8]),
            measured("Threads + GIL", 0.93, &[1, 2, 4, 8]),
        ],
        &dark,
    );
}

//! Traces built by hand and an SVG renderer, shared by the tests.

#![allow(dead_code, reason = "each test binary uses a different part")]

use lanes_render::{RunView, TimelineStyle, draw_timeline};
use lanes_trace::{Lane, Meta, Mode, Model, Scenario, Span, State, Trace, Workload};
use plotters::prelude::IntoDrawingArea;
use plotters_svg::SVGBackend;

pub fn meta(model: Model, k: u32, mode: Mode) -> Meta {
    Meta {
        scenario: Scenario {
            model,
            workload: Workload::Primes,
            k,
            size: 2_000_000,
            tasks: 16,
        },
        mode,
        cores: 8,
        cross_origin_isolated: true,
        environment: "native".to_owned(),
        result: 148_933,
    }
}

pub fn span(lane: u32, state: State, start_ms: f64, end_ms: f64, task: Option<u32>) -> Span {
    Span {
        lane,
        state,
        start_us: start_ms * 1000.0,
        end_us: end_ms * 1000.0,
        task,
    }
}

/// A sequential run of `tasks` equal tasks, `task_ms` each.
pub fn sequential(tasks: u32, task_ms: f64) -> Trace {
    let spans = (0..tasks)
        .map(|t| {
            let start = f64::from(t) * task_ms;
            span(0, State::Running, start, start + task_ms, Some(t))
        })
        .collect();
    Trace::new(
        meta(Model::Sequential, 1, Mode::Live),
        vec![Lane::thread("Main thread")],
        spans,
    )
}

/// A free-threaded run of `k` threads sharing `tasks` equal tasks.
pub fn free(k: u32, tasks: u32, task_ms: f64, mode: Mode) -> Trace {
    let lanes = (1..=k)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    let spans = (0..tasks)
        .map(|t| {
            let start = f64::from(t / k) * task_ms;
            span(t % k, State::Running, start, start + task_ms, Some(t))
        })
        .collect();
    Trace::new(meta(Model::Free, k, mode), lanes, spans)
}

/// The timeline of `runs` as an SVG document `width` × `height` pixels.
pub fn render(runs: &[RunView<'_>], (width, height): (u32, u32), style: &TimelineStyle) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw_timeline(&area, runs, style).unwrap_or_else(|e| panic!("cannot draw: {e}"));
    }
    svg
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The contents of every `<text>` element, in drawing order.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_owned())
        })
        .collect()
}

/// Whether some `<text>` element reads exactly `text`.
pub fn has_text(svg: &str, text: &str) -> bool {
    texts(svg).iter().any(|t| t == text)
}

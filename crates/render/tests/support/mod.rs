//! Traces built by hand and an SVG renderer, shared by the tests.

#![allow(dead_code, reason = "each test binary uses a different part")]

use lanes_render::{RunView, TimelineStyle, View, draw_timeline, draw_timeline_view};
use lanes_trace::{
    Call, Calls, Event, EventKind, Foreign, GilEvidence, Lane, LaneKind, Meta, Mode, Model,
    Scenario, Source, Span, State, Trace, Workload,
};
use plotters::prelude::IntoDrawingArea;
use plotters_svg::SVGBackend;

/// The size most tests draw at.
pub const SIZE: (u32, u32) = (1280, 720);

/// `trace` as a run to draw, without a speed-up.
pub fn view(trace: &Trace) -> RunView<'_> {
    RunView {
        trace,
        speedup: None,
        stacks: &[],
    }
}

/// The view of the times `start_us..end_us`.
pub fn window(start_us: f64, end_us: f64) -> View {
    View {
        window: Some((start_us, end_us)),
        ..View::default()
    }
}

/// The view up to a playhead at `at_us`.
pub fn playhead(at_us: f64) -> View {
    View {
        playhead_us: Some(at_us),
        ..View::default()
    }
}

/// `trace` alone at [`SIZE`] in the default style, showing `view`.
pub fn draw(trace: &Trace, view: &View) -> String {
    render_view(&[self::view(trace)], SIZE, &TimelineStyle::default(), view)
}

pub fn meta(model: Model, k: u32, mode: Mode) -> Meta {
    Meta {
        scenario: Scenario::new(model, Workload::Primes, k, 2_000_000, 16),
        mode,
        cores: 8,
        cross_origin_isolated: true,
        environment: "native".to_owned(),
        result: Some(148_933),
        seed: None,
    }
}

pub fn span(lane: u32, state: State, start_ms: f64, end_ms: f64, task: Option<u32>) -> Span {
    Span {
        lane,
        state,
        start_us: start_ms * 1000.0,
        end_us: end_ms * 1000.0,
        task,
        holder: None,
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

/// A GIL run of `k` threads taking turns in `slices` slices of `slice_ms`,
/// round robin: thread lanes first, then the GIL lane. Each turn ends in a
/// hand-off, and with `forced` a forced switch just before it.
pub fn gil(k: u32, slices: u32, slice_ms: f64, forced: bool) -> Trace {
    let mut lanes: Vec<Lane> = (1..=k)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    lanes.push(Lane {
        kind: LaneKind::Gil,
        name: "GIL".to_owned(),
    });
    let mut spans = Vec::new();
    let mut events = vec![Event {
        at_us: 0.0,
        kind: EventKind::Handoff { from: None, to: 0 },
    }];
    for j in 0..slices {
        let holder = j % k;
        let (start, end) = (f64::from(j) * slice_ms, f64::from(j + 1) * slice_ms);
        let held = span(k, State::Running, start, end, None);
        spans.push(Span {
            holder: Some(holder),
            ..held
        });
        for lane in 0..k {
            let state = if lane == holder {
                State::Running
            } else {
                State::GilWait
            };
            spans.push(span(lane, state, start, end, (lane == holder).then_some(j)));
        }
        if j > 0 {
            let at_us = start * 1000.0;
            let from = (j - 1) % k;
            if forced {
                events.push(Event {
                    at_us: at_us - 1.0,
                    kind: EventKind::ForcedSwitch { lane: from },
                });
            }
            events.push(Event {
                at_us,
                kind: EventKind::Handoff {
                    from: Some(from),
                    to: holder,
                },
            });
        }
    }
    Trace::new(meta(Model::Free, k, Mode::Simulated), lanes, spans).with_events(events)
}

/// A run of `k` worker processes fed by a main process: each gets its input
/// as a message, computes, and sends its result back.
pub fn processes(k: u32) -> Trace {
    let mut lanes = vec![Lane {
        kind: LaneKind::Process,
        name: "Main process".to_owned(),
    }];
    let mut spans = vec![span(0, State::Running, 0.0, 4.0, None)];
    let mut events = Vec::new();
    for p in 1..=k {
        lanes.push(Lane {
            kind: LaneKind::Process,
            name: format!("Process {p}"),
        });
        let sent = f64::from(p) * 0.8;
        spans.push(span(p, State::Startup, 0.0, 6.0, None));
        spans.push(span(p, State::CopyIn, 6.0, 9.0, None));
        spans.push(span(p, State::Running, 9.0, 40.0, Some(p)));
        spans.push(span(p, State::CopyOut, 40.0, 43.0, None));
        let message = |at_ms: f64, from, to, id, send| Event {
            at_us: at_ms * 1000.0,
            kind: if send {
                EventKind::Send {
                    from,
                    to,
                    bytes: 1 << 20,
                    id,
                }
            } else {
                EventKind::Receive {
                    from,
                    to,
                    bytes: 1 << 20,
                    id,
                }
            },
        };
        let id = u64::from(p);
        events.push(message(sent, 0, p, id, true));
        events.push(message(6.0, 0, p, id, false));
        events.push(message(43.0, p, 0, 100 + id, true));
        events.push(message(44.0 + f64::from(p), p, 0, 100 + id, false));
    }
    spans.push(span(0, State::Idle, 4.0, 44.0, None));
    spans.push(span(0, State::Running, 44.0, 45.0 + f64::from(k), None));
    Trace::new(meta(Model::Free, k, Mode::Simulated), lanes, spans).with_events(events)
}

/// What a tracer shows of a small Python program, 100 ms long: the main
/// thread starts two threads that count primes under the GIL and joins
/// them (waiting for a lock), each thread's stack four calls deep
/// (`<module>`/`run` › `main`/`count_primes` › `join`/`is_prime` ›
/// `_wait_for_tstate_lock`/`isqrt`), and a GIL lane whose holders were
/// inferred from the calls. Lanes: MainThread, Thread-1, Thread-2, GIL.
pub fn stacked() -> Trace {
    let names: Vec<String> = [
        "<module>",
        "main",
        "Thread.join",
        "_wait_for_tstate_lock",
        "Thread.run",
        "count_primes",
        "is_prime",
        "isqrt",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let call = |lane: u32, depth: u16, start_ms: f64, end_ms: f64, name: u32| Call {
        lane,
        depth,
        start_us: start_ms * 1000.0,
        end_us: end_ms * 1000.0,
        name,
    };
    let mut calls = vec![
        call(0, 0, 0.0, 100.0, 0),
        call(0, 1, 0.5, 99.5, 1),
        call(0, 2, 4.0, 96.0, 2),
        call(0, 3, 4.2, 95.8, 3),
    ];
    let mut spans = vec![
        span(0, State::Running, 0.0, 4.0, None),
        span(0, State::LockWait, 4.0, 96.0, None),
        span(0, State::Running, 96.0, 100.0, None),
    ];
    let mut gil = vec![Span {
        holder: Some(0),
        ..span(3, State::Running, 0.0, 4.0, None)
    }];
    for lane in [1, 2] {
        calls.push(call(lane, 0, 1.0 + f64::from(lane), 96.0, 4));
        calls.push(call(lane, 1, 1.5 + f64::from(lane), 95.5, 5));
        // is_prime every 0.5 ms, each opening with an isqrt.
        let mut t = 2.0 + f64::from(lane);
        while t + 0.45 < 95.0 {
            calls.push(call(lane, 2, t, t + 0.45, 6));
            calls.push(call(lane, 3, t + 0.05, t + 0.15, 7));
            t += 0.5;
        }
    }
    // The threads take turns with the GIL in 5 ms slices from 4 ms on.
    let mut t: f64 = 4.0;
    let mut holder = 1;
    while t < 96.0 {
        let end = (t + 5.0).min(96.0);
        let other = 3 - holder;
        spans.push(span(holder, State::Running, t, end, None));
        spans.push(span(other, State::GilWait, t, end, None));
        gil.push(Span {
            holder: Some(holder),
            ..span(3, State::Running, t, end, None)
        });
        holder = other;
        t = end;
    }
    spans.push(span(1, State::Running, 2.0, 4.0, None));
    spans.push(span(2, State::GilWait, 3.0, 4.0, None));
    gil.push(Span {
        holder: Some(0),
        ..span(3, State::Running, 96.0, 100.0, None)
    });
    spans.extend(gil);
    let lanes = vec![
        Lane::thread("MainThread"),
        Lane::thread("Thread-1"),
        Lane::thread("Thread-2"),
        Lane {
            kind: LaneKind::Gil,
            name: "GIL".to_owned(),
        },
    ];
    let source = Source::Imported(Foreign {
        tool: Some("VizTracer".to_owned()),
        processes: 1,
        ..Foreign::default()
    });
    let mut trace = Trace::from_source(source, lanes, spans);
    trace.calls = Calls::new(calls, names);
    trace.gil_evidence = Some(GilEvidence::Inferred);
    trace
}

/// [`stacked`] as `lanes_record.py` would record it: a Lanes run in
/// CPython, its GIL measured from CPU clocks.
pub fn recorded() -> Trace {
    let mut trace = stacked().with_source(Source::Lanes(meta(Model::Gil, 2, Mode::Recorded)));
    trace.gil_evidence = Some(GilEvidence::Measured);
    trace
}

/// The timeline of `runs` showing `view`, as an SVG document.
pub fn render_view(
    runs: &[RunView<'_>],
    (width, height): (u32, u32),
    style: &TimelineStyle,
    view: &View,
) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw_timeline_view(&area, runs, style, view).unwrap_or_else(|e| panic!("cannot draw: {e}"));
    }
    svg
}

/// Where each `<text>` reading exactly `text` is anchored.
pub fn text_positions(svg: &str, text: &str) -> Vec<(f64, f64)> {
    let attr = |tag: &str, name: &str| -> Option<f64> {
        let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[from..].split('"').next()?.parse().ok()
    };
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let body = rest[..rest.find("</text>")?].trim();
            (body == text).then(|| Some((attr(tag, "x")?, attr(tag, "y")?)))?
        })
        .collect()
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

//! What a drawn timeline says, read back from SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{RunView, TimelineStyle, timeline_height};
use lanes_trace::{Lane, Mode, Model, State, Trace};
use support::{SIZE, count, free, has_text, meta, render, sequential, span, view};

#[test]
fn lane_names_and_headers_appear() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Live);
    let svg = render(&[view(&seq), view(&par)], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "Main thread"), "{svg}");
    for i in 1..=4 {
        assert!(has_text(&svg, &format!("Thread {i}")));
    }
    assert!(svg.contains("Sequential · count primes · k=1 · 320 ms"));
    assert!(svg.contains("Free threads · count primes · k=4 · 80.0 ms"));
    assert!(has_text(&svg, "time (ms)"));
    assert!(has_text(&svg, "running"), "legend");
    assert!(!svg.contains("simulated"));
    assert!(!svg.contains("vs sequential"));
}

#[test]
fn speedup_and_simulation_are_stated() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Simulated);
    let runs = [
        view(&seq),
        RunView {
            trace: &par,
            speedup: Some(4.0),
            stacks: &[],
        },
    ];
    let svg = render(&runs, SIZE, &TimelineStyle::default());
    assert!(svg.contains(
        "Free threads · count primes · k=4 · 80.0 ms · 4.00× vs sequential · simulated on 8 virtual cores"
    ));
    assert_eq!(count(&svg, "vs sequential"), 1);
}

#[test]
fn long_runs_use_seconds_and_wide_spans_show_their_task() {
    let seq = sequential(4, 3000.0);
    let svg = render(&[view(&seq)], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "time (s)"));
    assert!(svg.contains("· 12.0 s"));
    assert!(has_text(&svg, "#3"));
}

#[test]
fn a_hundred_thousand_spans_cost_no_more_than_the_pixels() {
    let k = 4;
    let spans = (0..100_000_u32)
        .map(|t| {
            // Mostly running, with short waits: every state change is tiny.
            let state = if t % 5 == 0 {
                State::GilWait
            } else {
                State::Running
            };
            let start = f64::from(t / k) * 0.01;
            span(t % k, state, start, start + 0.01, Some(t))
        })
        .collect();
    let lanes = (1..=k)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    let trace = Trace::new(meta(Model::Free, k, Mode::Live), lanes, spans);
    let svg = render(&[view(&trace)], (1000, 400), &TimelineStyle::default());
    let rects = count(&svg, "<rect");
    // Four lanes of at most about one rectangle per pixel column, plus the
    // background, stripes, grid and legend.
    assert!(rects <= 4 * 1000 + 100, "{rects} rectangles");
    assert!(has_text(&svg, "Thread 4"));
}

#[test]
fn dark_mode_changes_the_background() {
    let seq = sequential(4, 10.0);
    let background = |svg: &str| {
        let rect = &svg[svg.find("<rect").unwrap_or_else(|| panic!("no rect"))..];
        let fill = &rect[rect.find("fill=\"").unwrap_or_else(|| panic!("no fill")) + 6..];
        fill[..fill.find('"').unwrap_or(0)].to_owned()
    };
    let light = render(&[view(&seq)], SIZE, &TimelineStyle::default());
    let dark = render(
        &[view(&seq)],
        SIZE,
        &TimelineStyle {
            dark: true,
            ..TimelineStyle::default()
        },
    );
    assert_eq!(background(&light), "#FFFFFF");
    assert_eq!(background(&dark), "#16191E");
    assert!(has_text(&dark, "Main thread"));
}

#[test]
fn nothing_to_draw_is_not_an_error() {
    let svg = render(&[], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "No runs yet"));

    let empty = Trace::new(
        meta(Model::Free, 2, Mode::Live),
        vec![Lane::thread("Thread 1"), Lane::thread("Thread 2")],
        Vec::new(),
    );
    let no_lanes = Trace::new(meta(Model::Free, 2, Mode::Live), Vec::new(), Vec::new());
    let svg = render(
        &[view(&empty), view(&no_lanes)],
        SIZE,
        &TimelineStyle::default(),
    );
    assert!(has_text(&svg, "Thread 2"));
    assert!(svg.contains("Free threads · count primes · k=2 · 0.00 ms"));

    // Degenerate areas and styles still draw.
    let seq = sequential(4, 10.0);
    render(&[view(&seq)], (1, 1), &TimelineStyle::default());
    render(
        &[view(&seq)],
        (300, 40),
        &TimelineStyle {
            scale: f64::NAN,
            ..TimelineStyle::default()
        },
    );
}

#[test]
fn text_is_large_enough_for_a_projector() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Live);
    let runs = [view(&seq), view(&par)];
    let height = timeline_height(&runs, 1280, &TimelineStyle::default());
    let svg = render(&runs, (1280, height), &TimelineStyle::default());
    // plotters-svg writes font sizes divided by 1.24; canvases use them as is.
    let smallest = svg
        .split("font-size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min);
    assert!(smallest * 1.24 >= 13.99, "smallest text {smallest}");
}

#[test]
fn height_grows_with_lanes_and_stays_bounded() {
    let style = TimelineStyle::default();
    let one = sequential(4, 10.0);
    let four = free(4, 8, 10.0, Mode::Live);
    let sixteen = free(16, 32, 10.0, Mode::Live);
    let small = timeline_height(&[view(&one)], 1280, &style);
    let big = timeline_height(&[view(&one), view(&four)], 1280, &style);
    assert!(big > small);
    assert!((big - small) >= 4 * 28 + 20, "{small} {big}");
    let huge: Vec<_> = (0..4).map(|_| view(&sixteen)).collect();
    let h = timeline_height(&huge, 1280, &style);
    assert!((64 * 28..=4096).contains(&h), "{h}");
    let none = timeline_height(&[], 1280, &style);
    assert!((100..=400).contains(&none), "{none}");
    let scaled = timeline_height(
        &[view(&one)],
        1280,
        &TimelineStyle {
            scale: 2.0,
            ..style
        },
    );
    assert!(scaled > small);
}

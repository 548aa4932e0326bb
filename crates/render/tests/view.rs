//! Windows, the playhead, highlights and pointers, read back from SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{
    Hit, TimelineStyle, View, describe_hit, hit_test, plot_x_range, time_at, timeline_height,
};
use lanes_trace::Mode;
use support::{
    SIZE, count, draw, free, has_text, playhead, render, render_view, sequential, text_positions,
    texts, view, window,
};

/// The one place where `text` is drawn.
fn only(svg: &str, text: &str) -> (f64, f64) {
    match text_positions(svg, text)[..] {
        [at] => at,
        ref all => panic!("{text:?} drawn at {all:?}"),
    }
}

#[test]
fn the_default_view_draws_what_draw_timeline_draws() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Live);
    let runs = [view(&seq), view(&par)];
    let style = TimelineStyle::default();
    assert_eq!(
        render(&runs, SIZE, &style),
        render_view(&runs, SIZE, &style, &View::default())
    );
}

#[test]
fn a_window_shows_only_its_spans_and_its_times() {
    // Tasks of 40 ms: #2 runs 80-120 ms, #3 120-160 ms.
    let seq = sequential(8, 40.0);
    let runs = [view(&seq)];
    let style = TimelineStyle::default();
    let svg = render_view(&runs, SIZE, &style, &window(100_000.0, 140_000.0));
    for shown in ["#2", "#3"] {
        assert!(has_text(&svg, shown), "{shown}");
    }
    for hidden in ["#0", "#1", "#4", "#7"] {
        assert!(!has_text(&svg, hidden), "{hidden}");
    }
    // The header still tells the whole run.
    assert!(svg.contains("Sequential · count primes · k=1 · 320 ms"));
    let ticks: Vec<String> = texts(&svg)
        .into_iter()
        .filter(|t| t.parse::<f64>().is_ok())
        .collect();
    assert_eq!(ticks.first().map(String::as_str), Some("100"), "{ticks:?}");
    assert_eq!(ticks.last().map(String::as_str), Some("140"), "{ticks:?}");

    // Nothing is drawn left of the plot but lane stripes and labels.
    let (x0, x1) = plot_x_range(&runs, SIZE.0, SIZE.1, &style);
    let (label_x, _) = only(&svg, "#2");
    assert!(label_x > x0 && label_x < (x0 + x1) / 2.0);
    for rect in svg.split("<rect").skip(1) {
        if rect.contains("#009E73") {
            let x: f64 = rect
                .split("x=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no x in {rect}"));
            assert!(x >= x0 && x <= x1, "span at {x} outside {x0}..{x1}");
        }
    }
}

#[test]
fn a_window_of_300_microseconds_reads_in_fractions_of_a_millisecond() {
    let seq = sequential(8, 40.0);
    let svg = draw(&seq, &window(12_300.0, 12_600.0));
    assert!(has_text(&svg, "time (ms)"));
    for label in ["12.30", "12.35", "12.45", "12.60"] {
        assert!(has_text(&svg, label), "{label}");
    }
    // Task #0 fills the whole window.
    assert!(has_text(&svg, "#0"));

    let first = draw(&seq, &window(0.0, 300.0));
    assert!(has_text(&first, "time (µs)"));
    assert!(has_text(&first, "250"));
}

#[test]
fn the_playhead_hides_the_future() {
    let seq = sequential(8, 40.0);
    let svg = draw(&seq, &playhead(100_000.0));
    for shown in ["#0", "#1", "#2"] {
        assert!(has_text(&svg, shown), "{shown}");
    }
    for hidden in ["#3", "#4", "#7"] {
        assert!(!has_text(&svg, hidden), "{hidden}");
    }
    assert!(has_text(&svg, "100.00 ms"), "the playhead's time");
    // The axis still spans the whole run.
    assert!(has_text(&svg, "300"));

    let none = draw(&seq, &playhead(-1.0));
    assert!(!has_text(&none, "#0"));
}

#[test]
fn pointers_find_the_span_under_them() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Live);
    let runs = [view(&seq), view(&par)];
    let style = TimelineStyle::default();
    let (w, h) = SIZE;
    for v in [View::default(), window(60_000.0, 100_000.0)] {
        let svg = render_view(&runs, SIZE, &style, &v);
        // Task #2 of the sequential run (drawn first), and #6 of the free
        // one, on its third lane (drawn last).
        let (x, y) = text_positions(&svg, "#2")[0];
        let hit = hit_test(&runs, w, h, &style, &v, x, y);
        assert_eq!(
            hit,
            Some(Hit {
                run: 0,
                lane: 0,
                span: 2,
                call: None,
            })
        );
        let positions = text_positions(&svg, "#6");
        let (x, y) = positions[positions.len() - 1];
        let hit = hit_test(&runs, w, h, &style, &v, x, y)
            .unwrap_or_else(|| panic!("nothing at {x}, {y}"));
        assert_eq!((hit.run, hit.lane), (1, 2));
        assert_eq!(par.spans()[hit.span].task, Some(6));
        // Outside the plot, above the lanes, below the axis: nothing.
        let (x0, x1) = plot_x_range(&runs, w, h, &style);
        assert_eq!(hit_test(&runs, w, h, &style, &v, x0 - 5.0, y), None);
        assert_eq!(hit_test(&runs, w, h, &style, &v, x1 + 5.0, y), None);
        assert_eq!(hit_test(&runs, w, h, &style, &v, x, 2.0), None);
        assert_eq!(
            hit_test(&runs, w, h, &style, &v, x, f64::from(h) - 2.0),
            None
        );
        assert_eq!(hit_test(&runs, w, h, &style, &v, f64::NAN, y), None);
    }
    assert_eq!(
        hit_test(&[], w, h, &style, &View::default(), 600.0, 300.0),
        None
    );
}

#[test]
fn nothing_after_the_playhead_can_be_pointed_at() {
    let seq = sequential(8, 40.0);
    let runs = [view(&seq)];
    let style = TimelineStyle::default();
    let (w, h) = SIZE;
    let svg = render(&runs, SIZE, &style);
    let (x, y) = only(&svg, "#5");
    let replay = View {
        playhead_us: Some(100_000.0),
        ..View::default()
    };
    assert!(hit_test(&runs, w, h, &style, &View::default(), x, y).is_some());
    assert_eq!(hit_test(&runs, w, h, &style, &replay, x, y), None);
}

#[test]
fn times_map_onto_the_plot_both_ways() {
    let seq = sequential(8, 40.0);
    let runs = [view(&seq)];
    let style = TimelineStyle::default();
    let (w, h) = SIZE;
    let (x0, x1) = plot_x_range(&runs, w, h, &style);
    assert!(x0 > 0.0 && x1 < f64::from(w) && x1 - x0 > 1000.0);
    let full = View::default();
    assert_eq!(time_at(&runs, w, h, &style, &full, x0), Some(0.0));
    let end = time_at(&runs, w, h, &style, &full, x1).unwrap_or(f64::NAN);
    assert!((end - 320_000.0).abs() < 1e-6, "{end}");
    let zoomed = window(100_000.0, 140_000.0);
    let mid = time_at(&runs, w, h, &style, &zoomed, (x0 + x1) / 2.0).unwrap_or(f64::NAN);
    assert!((mid - 120_000.0).abs() < 1e-6, "{mid}");
    assert_eq!(time_at(&runs, w, h, &style, &zoomed, x0 - 1.0), None);
    assert_eq!(time_at(&runs, w, h, &style, &zoomed, x1 + 1.0), None);
    assert_eq!(time_at(&[], w, h, &style, &zoomed, x0 + 1.0), None);
}

#[test]
fn zooming_and_panning_stay_inside_the_run() {
    let seq = sequential(8, 40.0);
    let runs = [view(&seq)];
    let full = View::default();
    assert_eq!(full.range(&runs), (0.0, 320_000.0));

    // Twice as close around 80 ms: 80 ms stays a quarter of the way in.
    let zoomed = full.zoomed(&runs, 2.0, 80_000.0);
    assert_eq!(zoomed.window, Some((40_000.0, 200_000.0)));
    let panned = zoomed.panned(&runs, -100_000.0);
    assert_eq!(panned.window, Some((0.0, 160_000.0)));
    let panned = zoomed.panned(&runs, 1e9);
    assert_eq!(panned.window, Some((160_000.0, 320_000.0)));
    // Zooming out past the whole run shows it all again.
    assert_eq!(zoomed.zoomed(&runs, 0.1, 0.0).window, None);
    // No closer than a microsecond.
    let (start, end) = full.zoomed(&runs, 1e12, 5.0).range(&runs);
    assert!((end - start - 1.0).abs() < 1e-9, "{start} {end}");
    // Nonsense leaves the view alone.
    assert_eq!(zoomed.zoomed(&runs, f64::NAN, 0.0), zoomed);
    assert_eq!(zoomed.panned(&runs, f64::INFINITY), zoomed);
    // A broken window shows everything.
    let broken = View {
        window: Some((5.0, 5.0)),
        ..View::default()
    };
    assert_eq!(broken.range(&runs), (0.0, 320_000.0));
}

#[test]
fn a_highlight_is_outlined_and_described() {
    let seq = sequential(8, 40.0);
    let runs = [view(&seq)];
    let style = TimelineStyle::default();
    let hit = Hit {
        run: 0,
        lane: 0,
        span: 3,
        call: None,
    };
    let plain = render(&runs, SIZE, &style);
    let lit = render_view(
        &runs,
        SIZE,
        &style,
        &View {
            highlight: Some(hit),
            ..View::default()
        },
    );
    // Two frames of four sides each.
    assert_eq!(count(&lit, "<rect"), count(&plain, "<rect") + 8);
    // A highlight that points nowhere draws nothing more.
    let stale = render_view(
        &runs,
        SIZE,
        &style,
        &View {
            highlight: Some(Hit { span: 99, ..hit }),
            ..View::default()
        },
    );
    assert_eq!(stale, plain);
    assert_eq!(
        describe_hit(&runs, hit).as_deref(),
        Some("Main thread · running · task #3 · 120.00 ms to 160.00 ms (40.00 ms)")
    );
    assert_eq!(describe_hit(&runs, Hit { run: 1, ..hit }), None);
}

#[test]
fn a_window_does_not_change_the_height() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Live);
    let runs = [view(&seq), view(&par)];
    let style = TimelineStyle::default();
    let h = timeline_height(&runs, 1280, &style);
    let a = render_view(&runs, (1280, h), &style, &View::default());
    let b = render_view(&runs, (1280, h), &style, &window(10_000.0, 20_000.0));
    assert_eq!(
        text_positions(&a, "Thread 4"),
        text_positions(&b, "Thread 4")
    );
}

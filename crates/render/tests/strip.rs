//! The concurrency strip, read back from SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{TimelineStyle, View, hit_test, timeline_height};
use lanes_trace::Mode;
use support::{free, gil, has_text, render, render_view, sequential, text_positions, view};

fn with_strip() -> TimelineStyle {
    TimelineStyle {
        strip: true,
        ..TimelineStyle::default()
    }
}

#[test]
fn each_run_gets_a_strip_with_its_most_lanes_at_once() {
    let seq = sequential(8, 40.0);
    let par = free(4, 8, 40.0, Mode::Live);
    let runs = [view(&seq), view(&par)];
    let style = with_strip();
    let height = timeline_height(&runs, 1280, &style);
    assert!(height > timeline_height(&runs, 1280, &TimelineStyle::default()) + 60);
    let svg = render(&runs, (1280, height), &style);
    assert_eq!(text_positions(&svg, "running at once").len(), 0);
    assert_eq!(
        text_positions(&svg, "running").len(),
        2 + 1,
        "two strips and the legend"
    );
    assert_eq!(text_positions(&svg, "at once").len(), 2);
    assert!(has_text(&svg, "max 1 of 1"));
    assert!(has_text(&svg, "max 4 of 4"));

    let plain = render(&runs, (1280, height), &TimelineStyle::default());
    assert!(!has_text(&plain, "at once"));
}

#[test]
fn the_gil_lane_is_not_counted_and_the_gil_shows() {
    // Four threads, one running at a time.
    let trace = gil(4, 40, 5.0, true);
    let svg = render(&[view(&trace)], (1280, 720), &with_strip());
    assert!(has_text(&svg, "max 1 of 4"), "{:?}", support::texts(&svg));
}

#[test]
fn the_strip_follows_the_window_and_the_playhead() {
    let par = free(4, 6, 40.0, Mode::Live);
    // Four tasks from 0 to 40 ms, two from 40 to 80 ms.
    let runs = [view(&par)];
    let style = with_strip();
    let late = View {
        window: Some((50_000.0, 80_000.0)),
        ..View::default()
    };
    let svg = render_view(&runs, (1280, 720), &style, &late);
    assert!(has_text(&svg, "max 2 of 4"));
    let early = View {
        playhead_us: Some(0.0),
        ..View::default()
    };
    let svg = render_view(&runs, (1280, 720), &style, &early);
    assert!(!svg.contains("max "));
    // The strip is not a lane: pointing at it finds nothing.
    let svg = render(&runs, (1280, 720), &style);
    let (_, y) = text_positions(&svg, "at once")[0];
    assert_eq!(
        hit_test(&runs, 1280, 720, &style, &View::default(), 640.0, y),
        None
    );
}

//! The GIL lane, hand-offs, forced switches and messages, read back from
//! SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{Hit, TimelineStyle, View, describe_hit, hit_test};
use lanes_trace::{Event, EventKind};
use support::{
    SIZE, count, draw, gil, has_text, playhead, processes, render, render_view, text_positions,
    texts, view, window,
};

#[test]
fn the_gil_lane_names_its_holders_and_the_legend_its_marks() {
    // Two threads trading the lock every 20 ms: wide enough for names.
    let trace = gil(2, 6, 20.0, true);
    let svg = render(&[view(&trace)], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "GIL"));
    // Once in the lane column, three times in the GIL lane.
    assert_eq!(text_positions(&svg, "Thread 1").len(), 4);
    assert_eq!(text_positions(&svg, "Thread 2").len(), 4);
    for entry in ["GIL holder", "hand-off", "forced switch", "running"] {
        assert!(has_text(&svg, entry), "{entry}");
    }
    assert!(has_text(&svg, "waiting for the GIL"));
    assert!(!has_text(&svg, "message"));
    // Holders take their own colours, not the running green: indigo and
    // sand for threads 1 and 2.
    assert!(svg.contains("#332288") && svg.contains("#DDCC77"));
}

#[test]
fn narrow_holders_keep_their_colour_but_lose_their_name() {
    let trace = gil(4, 400, 0.5, false);
    let svg = render(&[view(&trace)], SIZE, &TimelineStyle::default());
    assert_eq!(text_positions(&svg, "Thread 3").len(), 1);
    assert!(svg.contains("#44AA99"), "thread 3's teal");
}

#[test]
fn hand_offs_are_arrows_one_per_switch() {
    let trace = gil(2, 6, 20.0, false);
    let svg = render(&[view(&trace)], SIZE, &TimelineStyle::default());
    // One arrow head per hand-off: five between threads, one into the GIL
    // lane at the start, one in the legend.
    assert_eq!(count(&svg, "<polygon"), 5 + 1 + 1);
    assert!(!has_text(&svg, "forced switch"));

    let forced = gil(2, 6, 20.0, true);
    let svg = render(&[view(&forced)], SIZE, &TimelineStyle::default());
    // Forced switches add two triangles each, and two to the legend.
    assert_eq!(count(&svg, "<polygon"), 7 + 2 * 5 + 2);
}

#[test]
fn a_flood_of_hand_offs_is_left_for_zooming_in() {
    // 100 000 hand-offs between two threads on a 1000-pixel timeline.
    let trace = gil(2, 100_000, 0.01, true);
    let runs = [view(&trace)];
    let style = TimelineStyle::default();
    let svg = render(&runs, (1000, 500), &style);
    // The legend's three, and the first holder's arrow: no fence of arrows.
    assert_eq!(count(&svg, "<polygon"), 4);
    assert!(has_text(&svg, "zoom in for hand-offs and forced switches"));
    let rects = count(&svg, "<rect");
    assert!(rects <= 3 * 2 * 1000 + 200, "{rects} rectangles");

    // Half a millisecond of it: 50 hand-offs and forced switches, all drawn.
    let svg = render_view(
        &runs,
        (1000, 500),
        &style,
        &View {
            window: Some((500_000.0, 500_500.0)),
            ..View::default()
        },
    );
    assert!(!svg.contains("zoom in"));
    let marks = count(&svg, "<polygon");
    assert!(marks >= 50 + 2 * 50, "{marks} polygons");
}

#[test]
fn marks_in_one_pixel_column_draw_once() {
    let mut trace = gil(2, 6, 20.0, false);
    let again = trace.events[2].clone();
    assert!(matches!(
        again.kind,
        EventKind::Handoff { from: Some(1), .. }
    ));
    let mut events = trace.events.clone();
    for i in 0..10 {
        events.push(Event {
            at_us: again.at_us + f64::from(i) * 0.1,
            ..again.clone()
        });
    }
    trace = trace.with_events(events);
    let svg = render(&[view(&trace)], SIZE, &TimelineStyle::default());
    assert_eq!(count(&svg, "<polygon"), 5 + 1 + 1);
}

#[test]
fn hand_offs_outside_the_window_or_after_the_playhead_are_not_drawn() {
    let trace = gil(2, 6, 20.0, false);
    let runs = [view(&trace)];
    let style = TimelineStyle::default();
    // 30-50 ms holds the hand-off at 40 ms only.
    let svg = render_view(&runs, SIZE, &style, &window(30_000.0, 50_000.0));
    assert_eq!(count(&svg, "<polygon"), 1 + 1);
    // Before 50 ms: the first acquisition and the hand-offs at 20 and 40 ms.
    let svg = render_view(&runs, SIZE, &style, &playhead(50_000.0));
    // Plus the legend's arrow and the playhead's handle.
    assert_eq!(count(&svg, "<polygon"), 3 + 1 + 1);
}

#[test]
fn messages_are_arrows_from_sender_to_receiver() {
    let trace = processes(3);
    let svg = render(&[view(&trace)], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "message"));
    assert!(has_text(&svg, "copy in"));
    // Three inputs and three results, and the legend's.
    assert_eq!(count(&svg, "<polygon"), 6 + 1);

    // Halfway through the run no result has arrived: the inputs' arrows
    // have heads, the results' none yet.
    let svg = draw(&trace, &playhead(20_000.0));
    assert_eq!(count(&svg, "<polygon"), 3 + 1 + 1);
    // At 45.5 ms the first result arrived; the two others, in flight, draw
    // their tails but no heads.
    let svg = draw(&trace, &playhead(45_500.0));
    assert_eq!(count(&svg, "<polygon"), 3 + 1 + 1 + 1);
}

#[test]
fn unknown_lanes_and_unpaired_messages_are_ignored() {
    let trace = gil(2, 4, 20.0, false).with_events(vec![
        Event {
            at_us: 5.0,
            kind: EventKind::Handoff {
                from: Some(7),
                to: 0,
            },
        },
        Event {
            at_us: 6.0,
            kind: EventKind::ForcedSwitch { lane: 9 },
        },
        Event {
            at_us: 7.0,
            kind: EventKind::Send {
                from: 0,
                to: 1,
                bytes: 1,
                id: 1,
            },
        },
        Event {
            at_us: 8.0,
            kind: EventKind::Instant {
                lane: Some(0),
                name: "mark".to_owned(),
            },
        },
    ]);
    let svg = render(&[view(&trace)], SIZE, &TimelineStyle::default());
    // Only the legend's swatches.
    assert_eq!(count(&svg, "<polygon"), 3 + 1);
    assert!(!texts(&svg).iter().any(|t| t == "mark"));
}

#[test]
fn pointing_at_the_gil_lane_names_the_holder() {
    let trace = gil(2, 6, 20.0, true);
    let runs = [view(&trace)];
    let style = TimelineStyle::default();
    let svg = render(&runs, SIZE, &style);
    // The GIL lane's second label "Thread 2" (the first is in the lane
    // column): 20-40 ms.
    let (x, y) = text_positions(&svg, "Thread 2")[1];
    let hit = hit_test(&runs, SIZE.0, SIZE.1, &style, &View::default(), x, y);
    let Some(hit @ Hit { lane: 2, .. }) = hit else {
        panic!("{hit:?} is not on the GIL lane");
    };
    assert_eq!(
        describe_hit(&runs, hit).as_deref(),
        Some("GIL · held by Thread 2 · 20.00 ms to 40.00 ms (20.00 ms)")
    );
}

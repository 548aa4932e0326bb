//! Call stacks under their lanes, and GIL lanes that say how they were
//! known, read back from SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{
    Hit, LabelHit, MAX_STACK_ROWS, RunView, STACK_ROWS, Stack, StackRows, TimelineStyle, View,
    describe_hit, hit_test, label_at, stack_rows, timeline_height,
};
use lanes_trace::{Call, Calls, GilEvidence, State};
use support::{SIZE, has_text, recorded, render, render_view, stacked, text_positions, view};

/// The one place where `text` is drawn.
fn only(svg: &str, text: &str) -> (f64, f64) {
    match text_positions(svg, text)[..] {
        [at] => at,
        ref all => panic!("{text:?} drawn at {all:?}"),
    }
}

/// Every lane of `trace`'s run with its stack `stack`.
fn all(trace: &lanes_trace::Trace, stack: Stack) -> Vec<Stack> {
    vec![stack; trace.lanes.len()]
}

#[test]
fn a_lane_shows_its_stack_in_rows_under_it() {
    let trace = stacked();
    let style = TimelineStyle::default();
    let svg = render(&[view(&trace)], SIZE, &style);
    // Each depth of MainThread's stack has its own row, outermost on top,
    // all below the lane's name.
    let (_, name_y) = only(&svg, "MainThread");
    // (SVG writes "<" as "&lt;".)
    let depths = [
        "&lt;module&gt;",
        "main",
        "Thread.join",
        "_wait_for_tstate_lock",
    ];
    let ys: Vec<f64> = depths.iter().map(|n| only(&svg, n).1).collect();
    assert!(name_y < ys[0], "{name_y} then {ys:?}");
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
    // Rows are thinner than a lane: four of them take less room than the
    // two lanes of Thread-1 and Thread-2 with their stacks.
    let (_, t1) = only(&svg, "Thread-1");
    assert!(ys[3] - ys[0] < 3.0 * (t1 - name_y) / 4.0, "{ys:?} {t1}");
    // The long calls of the counting threads are named too.
    assert_eq!(text_positions(&svg, "count_primes").len(), 2);
    // The legend names the grey boxes; a run without calls does not.
    assert!(has_text(&svg, "function call"));
    let bare = support::sequential(4, 10.0);
    assert!(!has_text(
        &render(&[view(&bare)], SIZE, &style),
        "function call"
    ));
}

#[test]
fn hidden_stacks_take_no_room_and_draw_no_calls() {
    let trace = stacked();
    let style = TimelineStyle::default();
    let hidden = all(&trace, Stack::Hidden);
    let closed = RunView {
        stacks: &hidden,
        ..view(&trace)
    };
    let mut bare = stacked();
    bare.calls = Calls::default();
    let open_h = timeline_height(&[view(&trace)], SIZE.0, &style);
    let closed_h = timeline_height(&[closed], SIZE.0, &style);
    let bare_h = timeline_height(&[view(&bare)], SIZE.0, &style);
    assert_eq!(closed_h, bare_h);
    // Three lanes open four rows each: twelve rows, each more than a line
    // of text tall.
    assert!(
        f64::from(open_h - closed_h) > 12.0 * 16.0,
        "{open_h} {closed_h}"
    );
    let svg = render(&[closed], (SIZE.0, closed_h), &style);
    assert!(!has_text(&svg, "main"));
    assert!(has_text(&svg, "MainThread"));
}

#[test]
fn rows_keep_their_size_at_a_larger_scale() {
    let trace = stacked();
    let normal = TimelineStyle::default();
    let projector = TimelineStyle {
        scale: 2.0,
        ..normal
    };
    let runs = [view(&trace)];
    let h1 = f64::from(timeline_height(&runs, SIZE.0, &normal));
    let h2 = f64::from(timeline_height(&runs, 2 * SIZE.0, &projector));
    assert!((h2 / h1 - 2.0).abs() < 0.01, "{h1} {h2}");
}

#[test]
fn many_lanes_start_with_stacks_closed_and_deep_stacks_with_more_behind() {
    let mut trace = stacked();
    // Forty rows deep on Thread-1.
    let extra: Vec<Call> = (4..40)
        .map(|depth| Call {
            lane: 1,
            depth,
            start_us: 50_000.0 + f64::from(depth),
            end_us: 60_000.0 - f64::from(depth),
            name: 7,
        })
        .chain(trace.calls.all().iter().copied())
        .collect();
    trace.calls = Calls::new(extra, trace.calls.names().to_vec());
    let run = view(&trace);
    assert_eq!(
        stack_rows(&run, 1),
        StackRows {
            shown: STACK_ROWS,
            depth: 40
        }
    );
    let style = TimelineStyle::default();
    let h = timeline_height(&[run], SIZE.0, &style);
    let svg = render(&[run], (SIZE.0, h), &style);
    let (mx, my) = only(&svg, "+ 36 more");
    // A click there shows the rest; on the lane's name, hides the stack.
    let v = View::default();
    assert_eq!(
        label_at(&[run], SIZE.0, h, &style, &v, mx - 2.0, my),
        Some(LabelHit {
            run: 0,
            lane: 1,
            more: true
        })
    );
    let (nx, ny) = only(&svg, "Thread-1");
    assert_eq!(
        label_at(&[run], SIZE.0, h, &style, &v, nx + 2.0, ny),
        Some(LabelHit {
            run: 0,
            lane: 1,
            more: false
        })
    );
    // The GIL lane has no stack to show.
    let (gx, gy) = only(&svg, "GIL (inferred)");
    assert_eq!(label_at(&[run], SIZE.0, h, &style, &v, gx + 2.0, gy), None);
    // Whole: every row, up to the most shown.
    let whole = all(&trace, Stack::Whole);
    let run = RunView {
        stacks: &whole,
        ..view(&trace)
    };
    assert_eq!(stack_rows(&run, 1).shown, MAX_STACK_ROWS);
    assert_eq!(stack_rows(&run, 0).shown, 4);
}

#[test]
fn a_call_row_points_at_the_stack_there() {
    let trace = stacked();
    let style = TimelineStyle::default();
    let runs = [view(&trace)];
    let (w, h) = (SIZE.0, timeline_height(&runs, SIZE.0, &style));
    let v = View::default();
    let svg = render_view(&runs, (w, h), &style, &v);
    // Thread-2's count_primes row, a little way in.
    let (x, y) = text_positions(&svg, "count_primes")[1];
    let hit = hit_test(&runs, w, h, &style, &v, x + 40.0, y)
        .unwrap_or_else(|| panic!("nothing at {x}, {y}"));
    assert_eq!((hit.run, hit.lane), (0, 2));
    let call = hit
        .call
        .and_then(|c| trace.calls.all().get(c))
        .unwrap_or_else(|| panic!("no call in {hit:?}"));
    assert_eq!(call.lane, 2);
    assert!(call.depth >= 1, "the innermost call there: {call:?}");
    // The span under it is the lane's state at that time.
    let span = trace.spans()[hit.span];
    assert_eq!(span.lane, 2);
    let text = describe_hit(&runs, hit).unwrap_or_default();
    assert!(
        text.contains("stack: Thread.run (93.00 ms) › count_primes (92.00 ms)"),
        "{text}"
    );
    assert!(text.starts_with("Thread-2 · "), "{text}");
    // On the lane's own row, at the same time: the same stack.
    let (_, lane_y) = only(&svg, "Thread-2");
    let on_lane = hit_test(&runs, w, h, &style, &v, x + 40.0, lane_y);
    assert_eq!(on_lane.map(|h| h.call), Some(hit.call));
    // The highlighted call gets a frame: the drawing changes.
    let framed = render_view(
        &runs,
        (w, h),
        &style,
        &View {
            highlight: Some(hit),
            ..v
        },
    );
    let span_only = render_view(
        &runs,
        (w, h),
        &style,
        &View {
            highlight: Some(Hit { call: None, ..hit }),
            ..v
        },
    );
    assert_ne!(framed, span_only);
}

#[test]
fn the_walk_through_spans_says_the_stack_of_each() {
    let trace = stacked();
    let runs = [view(&trace)];
    let waiting = trace
        .spans()
        .iter()
        .position(|s| s.state == State::LockWait)
        .unwrap_or_else(|| panic!("a lock wait"));
    let hit = Hit::of_span(&trace, 0, waiting).unwrap_or_else(|| panic!("a hit"));
    let text = describe_hit(&runs, hit).unwrap_or_default();
    assert!(text.contains("waiting for a lock"), "{text}");
    for name in ["<module>", "main", "Thread.join", "_wait_for_tstate_lock"] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert!(
        text.find("<module>") < text.find("_wait_for_tstate_lock"),
        "outermost first: {text}"
    );
    assert_eq!(Hit::of_span(&trace, 0, 10_000), None);
}

#[test]
fn a_gil_known_from_evidence_says_how_everywhere() {
    let inferred = stacked();
    let measured = recorded();
    let style = TimelineStyle::default();
    let runs = [view(&inferred), view(&measured)];
    let h = timeline_height(&runs, SIZE.0, &style);
    let svg = render(&runs, (SIZE.0, h), &style);
    for text in [
        "GIL: inferred from the calls",
        "GIL: measured from CPU clocks",
        "GIL (inferred)",
        "GIL (measured)",
    ] {
        assert!(has_text(&svg, text), "{text}");
    }
    // The recorded run's header says where it ran.
    assert!(
        svg.contains("Threads + GIL · count primes · k=2 · 100 ms · recorded in CPython"),
        "header"
    );
    // The GIL lane's tooltip says it too.
    let gil = inferred
        .spans()
        .iter()
        .position(|s| s.lane == 3)
        .unwrap_or_else(|| panic!("a GIL span"));
    let text = describe_hit(
        &runs,
        Hit::of_span(&inferred, 0, gil).unwrap_or_else(|| panic!()),
    )
    .unwrap_or_default();
    assert!(text.contains("GIL inferred from the calls"), "{text}");
    // A thread lane's does not.
    let text = describe_hit(
        &runs,
        Hit::of_span(&inferred, 0, 0).unwrap_or_else(|| panic!()),
    )
    .unwrap_or_default();
    assert!(!text.contains("inferred"), "{text}");
    // Waiting for the GIL keeps Lanes' own colour.
    let own = support::gil(2, 4, 10.0, false);
    let own_svg = render(&[view(&own)], SIZE, &style);
    let colour = lanes_render::state_colour(State::GilWait);
    let hex = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
    assert!(svg.contains(&hex) && own_svg.contains(&hex), "{hex}");
    // Without evidence, the legend says nothing of it.
    assert!(!own_svg.contains("GIL:"));
    let mut traced = stacked();
    traced.gil_evidence = Some(GilEvidence::Traced);
    let svg = render(&[view(&traced)], (SIZE.0, h), &style);
    assert!(has_text(&svg, "GIL: traced by per4m"));
}

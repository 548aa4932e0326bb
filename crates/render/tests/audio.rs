//! The audio row of a playback run, read back from SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{
    RunView, TimelineStyle, View, audio_at, describe_audio, hit_test, plot_x_range, timeline_height,
};
use lanes_trace::{Audio, AudioBlock, FillSample, Lane, Mode, Model, State, Trace};
use support::{has_text, meta, render, render_view, span, text_positions, view};

/// The red of a late block's mark on the light and the dark theme.
const RED: &str = "#C8102E";
const RED_DARK: &str = "#FF5C5C";
/// A block of 128 frames at 48 kHz, µs.
const BLOCK_US: f64 = 128.0 * 1e6 / 48_000.0;
/// The blocks that come late, each by 5.8 ms.
const LATE: [usize; 3] = [100, 101, 900];
const LATE_US: f64 = 5800.0;

/// A 4 s playback: a producer and a neighbour busy all along, and about
/// 1 500 blocks of 128 frames, each with a fill sample; blocks 100, 101
/// and 900 late (the stream slips by their silence).
fn playback(late: &[usize]) -> Trace {
    let lanes = vec![Lane::thread("Producer"), Lane::thread("Neighbour 1")];
    let spans = vec![
        span(0, State::Running, 0.0, 4000.0, Some(0)),
        span(1, State::Running, 0.0, 4000.0, Some(1)),
    ];
    let mut t = Trace::new(meta(Model::Gil, 1, Mode::Simulated), lanes, spans);
    let mut blocks = Vec::new();
    let mut fill = Vec::new();
    let mut due = 0.0;
    for i in 0.. {
        if due + BLOCK_US + LATE_US > 3_990_000.0 {
            break;
        }
        let late_us = if late.contains(&i) { LATE_US } else { 0.0 };
        blocks.push(AudioBlock {
            due_us: due,
            ready_us: Some(if late_us > 0.0 {
                due + late_us
            } else {
                (due - 2100.0).max(0.0)
            }),
            late_us,
        });
        fill.push(FillSample {
            at_us: due,
            frames: if late_us > 0.0 { 0 } else { 640 },
        });
        due += late_us + BLOCK_US;
    }
    t.audio = Some(Box::new(Audio {
        producer: 0,
        sample_rate: 48_000,
        block_frames: 128,
        capacity_frames: 768,
        audible: false,
        blocks,
        fill,
    }));
    assert_eq!(t.validate(), Ok(()));
    t
}

/// The x and width of each `<rect>` filled with `colour`.
fn rects(svg: &str, colour: &str) -> Vec<(f64, f64, f64, f64)> {
    let attr = |tag: &str, name: &str| -> f64 {
        tag.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {tag}"))
    };
    svg.split("<rect")
        .skip(1)
        .filter_map(|r| r.split_once("/>").map(|(tag, _)| tag))
        .filter(|tag| tag.contains(&format!("fill=\"{colour}\"")))
        .map(|tag| {
            (
                attr(tag, "x"),
                attr(tag, "y"),
                attr(tag, "width"),
                attr(tag, "height"),
            )
        })
        .collect()
}

/// The tall marks of late blocks in `colour`: its rects taller than the
/// legend's swatch.
fn marks(svg: &str, colour: &str) -> Vec<(f64, f64, f64, f64)> {
    rects(svg, colour)
        .into_iter()
        .filter(|&(_, _, _, h)| h >= 20.0)
        .collect()
}

const SIZE: (u32, u32) = (1280, 720);

#[test]
fn the_row_is_the_runs_last_and_says_how_many_blocks_came_late() {
    let t = playback(&LATE);
    let svg = render(&[view(&t)], SIZE, &TimelineStyle::default());
    assert!(
        has_text(&svg, "Audio: 3 underruns"),
        "{:?}",
        support::texts(&svg)
    );
    for entry in ["deadline met", "underrun (silence)", "buffer fill"] {
        assert!(has_text(&svg, entry), "legend lacks {entry}");
    }
    // Under the lanes.
    let (_, audio_y) = text_positions(&svg, "Audio: 3 underruns")[0];
    for lane in ["Producer", "Neighbour 1"] {
        let (_, y) = text_positions(&svg, lane)[0];
        assert!(y < audio_y, "{lane} at {y}, audio at {audio_y}");
    }

    let clean = playback(&[]);
    let svg = render(&[view(&clean)], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "Audio: no underruns"));
    assert!(rects(&svg, RED).is_empty());
    assert!(!has_text(&svg, "underrun (silence)"));
    assert!(has_text(&svg, "deadline met"));

    let one = playback(&[7]);
    let svg = render(&[view(&one)], SIZE, &TimelineStyle::default());
    assert!(has_text(&svg, "Audio: 1 underrun"));
}

#[test]
fn a_late_block_draws_red_at_its_time_and_thinning_keeps_it() {
    let t = playback(&LATE);
    let runs = [view(&t)];
    let style = TimelineStyle::default();
    let svg = render(&runs, SIZE, &style);
    let (x0, x1) = plot_x_range(&runs, SIZE.0, SIZE.1, &style);
    let audio = t.audio.as_ref().unwrap_or_else(|| panic!("no audio"));
    // About 1 500 blocks on under 1 200 columns: several per column.
    assert!(
        audio.blocks.len() as f64 > 1.2 * (x1 - x0),
        "{}",
        audio.blocks.len()
    );
    let range = 4_000_000.0;
    let red = marks(&svg, RED);
    // Blocks 100 and 101 are a silence apart (5.8 ms, under 2 px): one
    // mark may stand for both; block 900 has its own.
    assert!((2..=3).contains(&red.len()), "{red:?}");
    for &i in &LATE {
        let due = audio.blocks[i].due_us;
        let x = x0 + due / range * (x1 - x0);
        assert!(
            red.iter()
                .any(|&(rx, _, w, _)| rx - 1.0 <= x && x <= rx + w + 1.0),
            "no red at x {x} for block {i}: {red:?}"
        );
    }
    // The legend shows one too, small.
    assert_eq!(rects(&svg, RED).len(), red.len() + 1);

    // However thin: at 320 px, still every late block's column is red.
    let small = (320, 480);
    let svg = render(&runs, small, &style);
    let (x0, x1) = plot_x_range(&runs, small.0, small.1, &style);
    let red = marks(&svg, RED);
    for &i in &LATE {
        let x = x0 + audio.blocks[i].due_us / range * (x1 - x0);
        assert!(
            red.iter()
                .any(|&(rx, _, w, _)| rx - 1.0 <= x && x <= rx + w + 1.0),
            "block {i} thinned away at 320 px: {red:?}"
        );
    }
    // The dark theme draws it in its own red.
    let dark = TimelineStyle {
        dark: true,
        ..TimelineStyle::default()
    };
    let svg = render(&runs, SIZE, &dark);
    assert!(rects(&svg, RED).is_empty());
    assert!(!rects(&svg, RED_DARK).is_empty());
}

#[test]
fn nothing_after_the_playhead() {
    let t = playback(&LATE);
    let audio = t.audio.as_ref().unwrap_or_else(|| panic!("no audio"));
    let before_900 = audio.blocks[900].due_us - 1000.0;
    let view_at = View {
        playhead_us: Some(before_900),
        ..View::default()
    };
    let svg = render_view(&[view(&t)], SIZE, &TimelineStyle::default(), &view_at);
    let red = marks(&svg, RED);
    let (x0, x1) = plot_x_range(&[view(&t)], SIZE.0, SIZE.1, &TimelineStyle::default());
    let x900 = x0 + audio.blocks[900].due_us / 4_000_000.0 * (x1 - x0);
    assert!(!red.is_empty());
    assert!(red.iter().all(|&(rx, _, _, _)| rx < x900 - 5.0), "{red:?}");
}

#[test]
fn no_audio_no_row() {
    let mut t = playback(&LATE);
    let with = timeline_height(&[view(&t)], 1280, &TimelineStyle::default());
    t.audio = None;
    let without = timeline_height(&[view(&t)], 1280, &TimelineStyle::default());
    // About a lane and a half (a lane is about 2 lines of 16 px text).
    let extra = f64::from(with) - f64::from(without);
    assert!((40.0..=56.0).contains(&extra), "{extra}");
    let svg = render(&[view(&t)], SIZE, &TimelineStyle::default());
    assert!(!support::texts(&svg).iter().any(|s| s.starts_with("Audio")));
    assert!(!has_text(&svg, "deadline met"));
    assert!(rects(&svg, RED).is_empty());
}

#[test]
fn hovering_the_row_names_the_nearest_block_and_the_buffer() {
    let t = playback(&LATE);
    let runs: [RunView<'_>; 1] = [view(&t)];
    let style = TimelineStyle::default();
    let (w, h) = SIZE;
    let svg = render(&runs, SIZE, &style);
    let (_, y) = text_positions(&svg, "Audio: 3 underruns")[0];
    let (x0, x1) = plot_x_range(&runs, w, h, &style);
    let audio = t.audio.as_ref().unwrap_or_else(|| panic!("no audio"));
    let at = |us: f64| x0 + us / 4_000_000.0 * (x1 - x0);

    let due = audio.blocks[900].due_us;
    let hit = audio_at(&runs, w, h, &style, &View::default(), at(due), y)
        .unwrap_or_else(|| panic!("nothing under the pointer"));
    assert_eq!(hit.block, Some(900));
    let words = describe_audio(&runs, hit).unwrap_or_default();
    assert!(
        words.starts_with(&format!(
            "block 900 due at {:.1} ms: late by 5.80 ms (silence)",
            due / 1000.0
        )),
        "{words}"
    );
    assert!(words.ends_with("buffer 0 / 768 frames"), "{words}");

    let due = audio.blocks[500].due_us;
    let hit = audio_at(&runs, w, h, &style, &View::default(), at(due), y)
        .unwrap_or_else(|| panic!("nothing under the pointer"));
    let words = describe_audio(&runs, hit).unwrap_or_default();
    assert!(words.contains(": met, ready 2.10 ms early"), "{words}");
    assert!(words.ends_with("buffer 640 / 768 frames"), "{words}");

    // The row is no lane, and the lanes are no audio row.
    assert_eq!(
        hit_test(&runs, w, h, &style, &View::default(), at(due), y),
        None
    );
    let (_, lane_y) = text_positions(&svg, "Producer")[0];
    assert_eq!(
        audio_at(&runs, w, h, &style, &View::default(), at(due), lane_y),
        None
    );
    assert!(hit_test(&runs, w, h, &style, &View::default(), at(due), lane_y).is_some());
}

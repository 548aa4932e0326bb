//! Draws a sample trace with call stacks, for people to look at: a
//! VizTracer-like trace of three threads with stacks four calls deep, a
//! main thread waiting for a lock and a GIL lane inferred from the calls,
//! beside its twin recorded in CPython with the GIL measured (and one
//! stack seven calls deep, three of them behind "+ 3 more").
//!
//! `cargo run -p lanes-render --example stacks [DIR]` writes
//! `DIR/stacks.png` (light), `DIR/stacks-dark.png` (dark, at twice the
//! scale, as on a projector's high-density screen) and `DIR/stacks-zoom.png`
//! (the recorded run from 42 to 45 ms, Thread-1's stack whole); DIR
//! defaults to `target`. Text needs a font, as for the `redraw` example.

#![expect(clippy::print_stderr, reason = "an example reports on the terminal")]

#[path = "../tests/support/mod.rs"]
#[expect(clippy::panic, reason = "the tests' fixtures fail by panicking")]
mod fixtures;
mod support;

use std::error::Error;
use std::path::{Path, PathBuf};

use lanes_render::{Hit, RunView, Stack, TimelineStyle, View, draw_timeline_view, timeline_height};
use lanes_trace::{Call, Calls, Trace};
use plotters::prelude::{BitMapBackend, IntoDrawingArea};

const WIDTH: u32 = 1280;

/// `trace` with three more calls inside Thread-1's isqrt at 43 ms, so that
/// its stack is seven rows deep and the last three wait behind "+ 3 more".
fn deeper(mut trace: Trace) -> Trace {
    let mut names = trace.calls.names().to_vec();
    let first = u32::try_from(names.len()).unwrap_or(0);
    names.extend(["int.__index__", "_check", "_fast_path"].map(String::from));
    let extra = (0..3_u16).map(|i| Call {
        lane: 1,
        depth: 4 + i,
        start_us: 43_060.0 + 10.0 * f64::from(i),
        end_us: 43_140.0 - 10.0 * f64::from(i),
        name: first + u32::from(i),
    });
    let calls = trace.calls.all().iter().copied().chain(extra).collect();
    trace.calls = Calls::new(calls, names);
    trace
}

fn main() -> Result<(), Box<dyn Error>> {
    support::register_font();
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let inferred = fixtures::stacked();
    let recorded = deeper(fixtures::recorded());
    let runs = [fixtures::view(&inferred), fixtures::view(&recorded)];
    // Highlight a span of Thread-1 and the innermost call at its middle.
    let span = inferred
        .spans()
        .iter()
        .position(|s| s.lane == 1 && s.start_us >= 40_000.0)
        .unwrap_or(0);
    let view = View {
        highlight: Hit::of_span(&inferred, 0, span),
        ..View::default()
    };
    for (name, dark, scale) in [("stacks.png", false, 1.0), ("stacks-dark.png", true, 2.0)] {
        let style = TimelineStyle {
            dark,
            scale,
            strip: true,
        };
        draw(&dir.join(name), &runs, &style, &view)?;
    }
    let whole = [Stack::Auto, Stack::Whole];
    let zoomed = [RunView {
        stacks: &whole,
        ..fixtures::view(&recorded)
    }];
    let window = View {
        window: Some((42_000.0, 45_000.0)),
        ..View::default()
    };
    draw(
        &dir.join("stacks-zoom.png"),
        &zoomed,
        &TimelineStyle::default(),
        &window,
    )
}

/// Draws `runs` as the page would, `WIDTH` × `style.scale` pixels wide, to a
/// PNG file at `path`.
fn draw(
    path: &Path,
    runs: &[RunView<'_>],
    style: &TimelineStyle,
    view: &View,
) -> Result<(), Box<dyn Error>> {
    let width = (f64::from(WIDTH) * style.scale) as u32;
    let height = timeline_height(runs, width, style);
    let mut pixels = vec![0_u8; (width * height * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw_timeline_view(&area, runs, style, view)?;
    }
    support::write_png(path, width, height, &pixels)?;
    eprintln!("wrote {} ({width} × {height})", path.display());
    Ok(())
}

//! Draws a sample trace with call stacks, for people to look at: a
//! VizTracer-like trace of three threads with stacks four calls deep, a
//! main thread waiting for a lock and a GIL lane inferred from the calls,
//! beside its twin recorded in CPython with the GIL measured.
//!
//! `cargo run -p lanes-render --example stacks [DIR]` writes
//! `DIR/stacks.png` (light) and `DIR/stacks-dark.png` (dark, at twice the
//! scale, as on a projector's high-density screen); DIR defaults to
//! `target`. Text needs a font, as for the `redraw` example.

#![expect(clippy::print_stderr, reason = "an example reports on the terminal")]

#[path = "../tests/support/mod.rs"]
#[expect(clippy::panic, reason = "the tests' fixtures fail by panicking")]
mod fixtures;
mod support;

use std::error::Error;
use std::path::PathBuf;

use lanes_render::{Hit, RunView, TimelineStyle, View, draw_timeline_view, timeline_height};
use plotters::prelude::{BitMapBackend, IntoDrawingArea};

const WIDTH: u32 = 1280;

fn main() -> Result<(), Box<dyn Error>> {
    support::register_font();
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let inferred = fixtures::stacked();
    let recorded = fixtures::recorded();
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
        let width = (f64::from(WIDTH) * scale) as u32;
        let height = timeline_height(&runs as &[RunView<'_>], width, &style);
        let mut pixels = vec![0_u8; (width * height * 3) as usize];
        {
            let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
            draw_timeline_view(&area, &runs, &style, &view)?;
        }
        let path = dir.join(name);
        support::write_png(&path, width, height, &pixels)?;
        eprintln!("wrote {} ({width} × {height})", path.display());
    }
    Ok(())
}

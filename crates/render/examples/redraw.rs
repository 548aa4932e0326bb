//! How long one full redraw of a timeline takes natively: synthetic traces
//! of 10³, 10⁵ and 10⁶ spans on 8 lanes, and of 10⁵ spans with 10⁶ calls
//! under them (stacks four rows deep on every lane, all shown), drawn onto
//! a 1280 × 720 RGB buffer with plotters' `BitMapBackend`.
//!
//! `cargo run --release -p lanes-render --example redraw` prints a JSON
//! object of median milliseconds on stdout, and the details on stderr.
//!
//! Text needs a font file: `LANES_FONT=/path/to/font.ttf`, or else the
//! first of a few common system fonts. Without one, text is skipped and the
//! figures count shapes only. Each size is also timed without text, so the
//! cost of text shows on its own. With `LANES_REDRAW_DUMP=DIR` the last
//! drawing of each size is written to `DIR/redraw_NAME.ppm` for a look.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark reports on the terminal"
)]

mod support;

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use lanes_render::{RunView, TimelineStyle, View, draw_timeline, hit_test};
use lanes_trace::{Call, Calls, Lane, Meta, Mode, Model, Scenario, Span, State, Trace, Workload};
use plotters::prelude::{BitMapBackend, IntoDrawingArea};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
const LANES: u32 = 8;
const SPAN_US: f64 = 10.0;

/// `spans` contiguous 10 µs spans on 8 lanes: mostly running, with short
/// waits for the GIL and for I/O, every span its own task.
fn synthetic(spans: u32) -> Trace {
    let meta = Meta {
        scenario: Scenario::new(
            Model::Free,
            Workload::Primes,
            LANES,
            u64::from(spans),
            spans,
        ),
        mode: Mode::Simulated,
        cores: LANES,
        cross_origin_isolated: true,
        environment: "native".to_owned(),
        result: None,
        seed: None,
    };
    let lanes = (1..=LANES)
        .map(|i| Lane::thread(format!("Thread {i}")))
        .collect();
    let spans = (0..spans)
        .map(|i| {
            let state = match i % 13 {
                3 | 9 => State::GilWait,
                6 => State::IoWait,
                _ => State::Running,
            };
            let start_us = f64::from(i / LANES) * SPAN_US;
            Span {
                lane: i % LANES,
                state,
                start_us,
                end_us: start_us + SPAN_US,
                task: Some(i),
                holder: None,
            }
        })
        .collect();
    Trace::new(meta, lanes, spans)
}

/// [`synthetic`] with `calls` calls (about; a multiple of 120) over its
/// spans: on each lane, outermost calls side by side over the whole run,
/// each holding two calls a row down, four rows deep, sixteen names.
fn with_calls(spans: u32, calls: u32) -> Trace {
    let mut trace = synthetic(spans);
    let end_us = trace.makespan_us();
    // Each outermost call holds 1 + 2 + 4 + 8 calls.
    let outer = calls / LANES / 15;
    let width = end_us / f64::from(outer);
    let mut all = Vec::with_capacity(calls as usize);
    for lane in 0..LANES {
        for depth in 0..4_u16 {
            let per = 1_u32 << depth;
            let w = width / f64::from(per);
            for i in 0..outer * per {
                let start_us = f64::from(i) * w;
                all.push(Call {
                    lane,
                    depth,
                    start_us: start_us + 0.01 * w,
                    end_us: start_us + 0.99 * w,
                    name: (i + u32::from(depth)) % 16,
                });
            }
        }
    }
    let names = (0..16).map(|i| format!("function_{i}")).collect();
    trace.calls = Calls::new(all, names);
    trace
}

/// A backend that draws everything but text.
struct NoText<B>(B);

impl<B: DrawingBackend> DrawingBackend for NoText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        _text: &str,
        _style: &TStyle,
        _pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        // Half an em per character is near enough for nothing drawn.
        let size = style.size().max(0.0);
        Ok((
            (size * 0.5 * text.chars().count() as f64) as u32,
            size as u32,
        ))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, (iw, ih), src)
    }
}

/// Median milliseconds of `repeats` redraws of `trace`, and the last
/// drawing's RGB pixels.
fn time(trace: &Trace, text: bool, repeats: usize) -> Result<(f64, Vec<u8>), Box<dyn Error>> {
    let runs = [RunView {
        trace,
        speedup: None,
        stacks: &[],
    }];
    let style = TimelineStyle::default();
    let mut buffer = vec![0_u8; (WIDTH * HEIGHT * 3) as usize];
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let backend = BitMapBackend::with_buffer(&mut buffer, (WIDTH, HEIGHT));
        let start = Instant::now();
        if text {
            draw_timeline(&backend.into_drawing_area(), &runs, &style)?;
        } else {
            draw_timeline(&NoText(backend).into_drawing_area(), &runs, &style)?;
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], buffer))
}

/// Writes RGB `pixels` as a binary PPM picture.
fn dump(path: &std::path::Path, pixels: &[u8]) -> std::io::Result<()> {
    let mut out = format!("P6\n{WIDTH} {HEIGHT}\n255\n").into_bytes();
    out.extend_from_slice(pixels);
    std::fs::write(path, out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let text = support::register_font();
    let mut figures = Vec::new();
    for (name, spans, calls, repeats) in [
        ("1e3", 1_000, 0, 9),
        ("1e5", 100_000, 0, 7),
        ("1e6", 1_000_000, 0, 5),
        ("1e6_calls", 100_000, 1_000_000, 5),
    ] {
        let trace = if calls > 0 {
            with_calls(spans, calls)
        } else {
            synthetic(spans)
        };
        let (shapes, mut pixels) = time(&trace, false, repeats)?;
        let ms = if text {
            let (ms, with_text) = time(&trace, true, repeats)?;
            pixels = with_text;
            ms
        } else {
            shapes
        };
        if let Some(dir) = std::env::var_os("LANES_REDRAW_DUMP") {
            dump(
                &PathBuf::from(dir).join(format!("redraw_{name}.ppm")),
                &pixels,
            )?;
        }
        let runs = [RunView {
            trace: &trace,
            speedup: None,
            stacks: &[],
        }];
        let start = Instant::now();
        let hit = hit_test(
            &runs,
            WIDTH,
            HEIGHT,
            &TimelineStyle::default(),
            &View::default(),
            f64::from(WIDTH) / 2.0,
            120.0,
        );
        let pointer = start.elapsed().as_secs_f64() * 1000.0;
        eprintln!(
            "{name}: {} spans, {} calls: {ms:.2} ms median of {repeats}; without text \
             {shapes:.2} ms; one hit test {pointer:.2} ms ({})",
            trace.spans().len(),
            trace.calls.len(),
            if hit.is_some() { "hit" } else { "miss" }
        );
        figures.push(format!("\"render_native_{name}_ms\": {ms:.3}"));
    }
    println!("{{{}}}", figures.join(", "));
    Ok(())
}

//! Drawing a laid-out timeline onto any plotters backend.

use lanes_trace::Mode;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

use crate::axis::format_duration;
use crate::layout::{
    self, EMPTY_SIZE, HEADER_SIZE, LABEL_SIZE, LEGEND_SIZE, Layout, RunBox, TASK_SIZE, TICK_SIZE,
    fit_text, text_width,
};
use crate::lod::{Segment, segments};
use crate::palette::{Theme, outline_colour, state_colour, text_on};
use crate::{RenderError, RunView, TimelineStyle};

/// Segments at least this wide get an outline.
const OUTLINE_MIN_PX: i32 = 4;

/// Draws `runs` stacked on one shared time axis, filling `area`.
///
/// Each run gets a header (model, k, makespan, speedup), one lane per trace
/// lane and spans coloured by [`crate::state_colour`]; a legend names the
/// states shown. Drawing costs grow with the pixel size, not the number of
/// spans. With no runs it says "No runs yet".
///
/// # Errors
///
/// [`RenderError::Backend`] when the backend fails to draw.
pub fn draw_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[RunView<'_>],
    style: &TimelineStyle,
) -> Result<(), RenderError> {
    let (w, h) = area.dim_in_pixel();
    let theme = Theme::new(style.dark);
    let pen = Pen { area, theme };
    area.fill(&theme.background).map_err(backend)?;
    if runs.is_empty() {
        let size = EMPTY_SIZE * layout::base_font(f64::from(w), style);
        pen.text(
            "No runs yet",
            (f64::from(w) / 2.0, f64::from(h) / 2.0),
            Font::new(size, theme.muted).centred(),
        )?;
        return area.present().map_err(backend);
    }
    let layout = Layout::new(runs, f64::from(w), Some(f64::from(h)), style);
    pen.legend(&layout)?;
    for (run, b) in runs.iter().zip(&layout.runs) {
        pen.run(&layout, run, b)?;
    }
    pen.axis(&layout)?;
    area.present().map_err(backend)
}

#[expect(clippy::needless_pass_by_value, reason = "the shape `map_err` wants")]
fn backend<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> RenderError {
    RenderError::Backend(e.to_string())
}

/// The header line of one run.
fn header(run: &RunView<'_>) -> String {
    let meta = &run.trace.meta;
    let mut s = format!(
        "{} · k={} · {}",
        meta.scenario.model.title(),
        meta.scenario.k,
        format_duration(run.trace.makespan_us())
    );
    if let Some(speedup) = run.speedup.filter(|s| s.is_finite() && *s > 0.0) {
        s.push_str(&format!(" · {speedup:.2}× vs sequential"));
    }
    if meta.mode == Mode::Simulated {
        s.push_str(" · simulated");
    }
    s
}

/// A pixel coordinate.
fn px(v: f64) -> i32 {
    // Layouts stay within a few thousand pixels; clamp anything wilder.
    v.round().clamp(-1e6, 1e6) as i32
}

/// How one piece of text looks.
#[derive(Clone, Copy, Debug)]
struct Font {
    size: f64,
    colour: RGBColor,
    centred: bool,
    bold: bool,
}

impl Font {
    fn new(size: f64, colour: RGBColor) -> Self {
        Self {
            size,
            colour,
            centred: false,
            bold: false,
        }
    }

    fn centred(self) -> Self {
        Self {
            centred: true,
            ..self
        }
    }

    fn bold(self) -> Self {
        Self { bold: true, ..self }
    }
}

/// Drawing primitives over one area, in one theme.
struct Pen<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    theme: Theme,
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// Fills the pixels from `(x0, y0)` up to, not including, `(x1, y1)`.
    fn rect(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        colour: RGBColor,
    ) -> Result<(), RenderError> {
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        self.area
            .draw(&plotters::element::Rectangle::new(
                [(x0, y0), (x1, y1)],
                plotters::style::ShapeStyle {
                    color: colour.into(),
                    filled: true,
                    stroke_width: 0,
                },
            ))
            .map_err(backend)
    }

    /// Draws `text` vertically centred on `at`.
    fn text(&self, text: &str, at: (f64, f64), font: Font) -> Result<(), RenderError> {
        let weight = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let h = if font.centred {
            HPos::Center
        } else {
            HPos::Left
        };
        let style = TextStyle::from(FontDesc::new(FontFamily::SansSerif, font.size, weight))
            .color(&font.colour)
            .pos(Pos::new(h, VPos::Center));
        self.area
            .draw_text(text, &style, (px(at.0), px(at.1)))
            .map_err(backend)
    }

    fn legend(&self, layout: &Layout) -> Result<(), RenderError> {
        let s = layout.swatch;
        for item in &layout.legend {
            let (x0, y0) = (px(item.x), px(item.y - s / 2.0));
            let (x1, y1) = (px(item.x + s), px(item.y + s / 2.0));
            self.rect((x0, y0), (x1, y1), outline_colour(item.state))?;
            self.rect((x0 + 1, y0 + 1), (x1 - 1, y1 - 1), state_colour(item.state))?;
            self.text(
                item.state.label(),
                (item.x + s + 0.4 * layout.font, item.y),
                Font::new(LEGEND_SIZE * layout.font, self.theme.text),
            )?;
        }
        Ok(())
    }

    fn run(&self, layout: &Layout, run: &RunView<'_>, b: &RunBox) -> Result<(), RenderError> {
        let f = layout.font;
        let title = header(run);
        let room = layout.width - 2.0 * layout.margin;
        let size = (HEADER_SIZE * f)
            .min(HEADER_SIZE * f * room / text_width(&title, HEADER_SIZE * f * 1.08));
        self.text(
            &title,
            (layout.margin, b.header_y),
            Font::new(size, self.theme.text).bold(),
        )?;

        let label_size = (LABEL_SIZE * f).min(0.62 * b.lane_height);
        let label_room = layout.plot_x0 - layout.margin - 0.6 * f;
        let (plot_x0, plot_x1) = (px(layout.plot_x0), px(layout.plot_x1));
        let plot_width = f64::from(plot_x1 - plot_x0);
        for (i, lane) in run.trace.lanes.iter().enumerate() {
            let top = b.lanes_top + b.lane_height * i as f64;
            let (y0, y1) = (px(top), px(top + b.lane_height));
            if i % 2 == 0 {
                self.rect((px(layout.margin), y0), (plot_x1, y1), self.theme.stripe)?;
            }
            self.text(
                &fit_text(&lane.name, label_size, label_room),
                (layout.margin + 0.4 * f, top + b.lane_height / 2.0),
                Font::new(label_size, self.theme.text),
            )?;
        }
        // Grid lines behind the spans.
        let (top, bottom) = (px(b.lanes_top), px(b.lanes_bottom()));
        for (t, _) in &layout.axis.ticks {
            let x = px(layout.x_of(*t));
            self.rect((x, top), (x + 1, bottom), self.theme.grid)?;
        }
        let pad = (b.lane_height * 0.14).round().max(1.0);
        for i in 0..run.trace.lanes.len() {
            let lane = u32::try_from(i).unwrap_or(u32::MAX);
            let top = b.lanes_top + b.lane_height * i as f64;
            let (y0, y1) = (px(top + pad), px(top + b.lane_height - pad));
            for seg in segments(run.trace.lane_spans(lane), layout.axis.max_us, plot_width) {
                self.segment(layout, &seg, plot_x0, (y0, y1))?;
            }
        }
        Ok(())
    }

    fn segment(
        &self,
        layout: &Layout,
        seg: &Segment,
        plot_x0: i32,
        (y0, y1): (i32, i32),
    ) -> Result<(), RenderError> {
        let x0 = plot_x0 + px(seg.x0);
        let x1 = (plot_x0 + px(seg.x1)).max(x0 + 1);
        let fill = state_colour(seg.state);
        if x1 - x0 >= OUTLINE_MIN_PX {
            self.rect((x0, y0), (x1, y1), outline_colour(seg.state))?;
            self.rect((x0 + 1, y0 + 1), (x1 - 1, y1 - 1), fill)?;
        } else {
            self.rect((x0, y0), (x1, y1), fill)?;
        }
        let Some(task) = seg.task else {
            return Ok(());
        };
        let label = format!("#{task}");
        let size = (TASK_SIZE * layout.font).min(0.8 * f64::from(y1 - y0));
        if text_width(&label, size) + 0.5 * layout.font <= f64::from(x1 - x0) {
            self.text(
                &label,
                (f64::from(x0 + x1) / 2.0, f64::from(y0 + y1) / 2.0),
                Font::new(size, text_on(fill)).centred(),
            )?;
        }
        Ok(())
    }

    fn axis(&self, layout: &Layout) -> Result<(), RenderError> {
        let f = layout.font;
        let y = px(layout.axis_y);
        let (x0, x1) = (px(layout.plot_x0), px(layout.plot_x1));
        self.rect((x0, y), (x1 + 1, y + 1), self.theme.axis)?;
        let tick = px(layout.tick_length());
        let label_y = layout.tick_label_y();
        let font = Font::new(TICK_SIZE * f, self.theme.text);
        for (t, label) in &layout.axis.ticks {
            let x = px(layout.x_of(*t));
            self.rect((x, y), (x + 1, y + tick), self.theme.axis)?;
            self.text(label, (f64::from(x), label_y), font.centred())?;
        }
        self.text(
            layout.axis.title,
            (layout.margin, label_y),
            Font::new(TICK_SIZE * f, self.theme.muted),
        )
    }
}

//! Drawing primitives over one plotters area, in whole pixels.

use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::element::{PathElement, Polygon, Rectangle};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

use crate::RenderError;
use crate::layout::px;
use crate::palette::Theme;

#[expect(clippy::needless_pass_by_value, reason = "the shape `map_err` wants")]
pub(crate) fn backend<E: std::error::Error + Send + Sync>(
    e: DrawingAreaErrorKind<E>,
) -> RenderError {
    RenderError::Backend(e.to_string())
}

/// Which side of a piece of text its anchor is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Centre,
    Right,
}

/// How one piece of text looks.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Font {
    pub size: f64,
    pub colour: RGBColor,
    pub align: Align,
    pub bold: bool,
}

impl Font {
    pub fn new(size: f64, colour: RGBColor) -> Self {
        Self {
            size,
            colour,
            align: Align::Left,
            bold: false,
        }
    }

    pub fn centred(self) -> Self {
        Self {
            align: Align::Centre,
            ..self
        }
    }

    pub fn right(self) -> Self {
        Self {
            align: Align::Right,
            ..self
        }
    }

    pub fn bold(self) -> Self {
        Self { bold: true, ..self }
    }
}

/// How a line looks.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stroke {
    pub colour: RGBColor,
    /// Opacity, 0 to 1.
    pub alpha: f64,
    pub width: u32,
}

impl Stroke {
    pub fn new(colour: RGBColor, width: f64) -> Self {
        Self {
            colour,
            alpha: 1.0,
            // Widths are a few pixels.
            width: width.round().clamp(1.0, 64.0) as u32,
        }
    }

    pub fn alpha(self, alpha: f64) -> Self {
        Self { alpha, ..self }
    }

    fn shape(self) -> ShapeStyle {
        ShapeStyle {
            color: self.colour.mix(self.alpha),
            filled: false,
            stroke_width: self.width,
        }
    }
}

/// Drawing primitives over one area, in one theme.
pub(crate) struct Pen<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    pub theme: Theme,
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// Fills the pixels from `(x0, y0)` up to, not including, `(x1, y1)`.
    pub fn rect(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        colour: RGBColor,
    ) -> Result<(), RenderError> {
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                ShapeStyle {
                    color: colour.into(),
                    filled: true,
                    stroke_width: 0,
                },
            ))
            .map_err(backend)
    }

    /// A frame `width` pixels thick just inside the pixels from `(x0, y0)`
    /// up to, not including, `(x1, y1)`.
    pub fn frame(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        width: i32,
        colour: RGBColor,
    ) -> Result<(), RenderError> {
        let w = width.min((x1 - x0) / 2).min((y1 - y0) / 2).max(1);
        self.rect((x0, y0), (x1, y0 + w), colour)?;
        self.rect((x0, y1 - w), (x1, y1), colour)?;
        self.rect((x0, y0 + w), (x0 + w, y1 - w), colour)?;
        self.rect((x1 - w, y0 + w), (x1, y1 - w), colour)
    }

    /// A line through `points`.
    pub fn path(&self, points: Vec<(i32, i32)>, stroke: Stroke) -> Result<(), RenderError> {
        if points.len() < 2 {
            return Ok(());
        }
        self.area
            .draw(&PathElement::new(points, stroke.shape()))
            .map_err(backend)
    }

    /// A dashed line from `a` to `b`: dashes `dash` pixels long, as far
    /// apart.
    pub fn dashed(
        &self,
        a: (f64, f64),
        b: (f64, f64),
        dash: f64,
        stroke: Stroke,
    ) -> Result<(), RenderError> {
        let length = (b.0 - a.0).hypot(b.1 - a.1);
        if !(length.is_finite() && dash > 0.0) {
            return Ok(());
        }
        let at = |d: f64| {
            let t = (d / length).min(1.0);
            (px(a.0 + (b.0 - a.0) * t), px(a.1 + (b.1 - a.1) * t))
        };
        let mut d = 0.0;
        // At most a few thousand pixels long: a bounded number of dashes.
        while d < length && d < 1e5 {
            self.path(vec![at(d), at(d + dash)], stroke)?;
            d += 2.0 * dash;
        }
        Ok(())
    }

    /// A filled polygon.
    pub fn polygon(
        &self,
        points: Vec<(i32, i32)>,
        colour: RGBColor,
        alpha: f64,
    ) -> Result<(), RenderError> {
        if points.len() < 3 {
            return Ok(());
        }
        self.area
            .draw(&Polygon::new(points, colour.mix(alpha).filled()))
            .map_err(backend)
    }

    /// An arrow from `from` to `to` with a head `head` pixels long.
    pub fn arrow(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        head: f64,
        stroke: Stroke,
    ) -> Result<(), RenderError> {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = dx.hypot(dy);
        if !(length.is_finite() && length > 0.0) {
            return Ok(());
        }
        let (ux, uy) = (dx / length, dy / length);
        let head = head.min(0.6 * length);
        // The shaft stops inside the head, so its end does not poke out.
        let neck = (to.0 - ux * head * 0.8, to.1 - uy * head * 0.8);
        self.path(
            vec![(px(from.0), px(from.1)), (px(neck.0), px(neck.1))],
            stroke,
        )?;
        let back = (to.0 - ux * head, to.1 - uy * head);
        let half = 0.45 * head;
        self.polygon(
            vec![
                (px(to.0), px(to.1)),
                (px(back.0 - uy * half), px(back.1 + ux * half)),
                (px(back.0 + uy * half), px(back.1 - ux * half)),
            ],
            stroke.colour,
            stroke.alpha,
        )
    }

    /// A small triangle pointing down with its tip at `tip`.
    pub fn triangle_down(
        &self,
        tip: (f64, f64),
        size: f64,
        colour: RGBColor,
    ) -> Result<(), RenderError> {
        let half = size / 2.0;
        self.polygon(
            vec![
                (px(tip.0), px(tip.1)),
                (px(tip.0 - half), px(tip.1 - size)),
                (px(tip.0 + half), px(tip.1 - size)),
            ],
            colour,
            1.0,
        )
    }

    /// Draws `text` vertically centred on `at`.
    pub fn text(&self, text: &str, at: (f64, f64), font: Font) -> Result<(), RenderError> {
        let weight = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let h = match font.align {
            Align::Left => HPos::Left,
            Align::Centre => HPos::Center,
            Align::Right => HPos::Right,
        };
        let style = TextStyle::from(FontDesc::new(FontFamily::SansSerif, font.size, weight))
            .color(&font.colour)
            .pos(Pos::new(h, VPos::Center));
        self.area
            .draw_text(text, &style, (px(at.0), px(at.1)))
            .map_err(backend)
    }
}

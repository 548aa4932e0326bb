//! The speedup chart: measured speedup against the number of workers, the
//! ideal line and an Amdahl fit per series.

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::Circle;
use plotters::prelude::DrawingBackend;
use plotters::style::{Color, ShapeStyle};

use crate::amdahl::{amdahl_fit, amdahl_speedup};
use crate::axis::{decimals_for, nice_step};
use crate::layout::{
    EMPTY_SIZE, HEADER_SIZE, LEGEND_SIZE, TICK_SIZE, base_font, fit_text, px, text_width,
};
use crate::palette::{Theme, outline_of, series_colour};
use crate::pen::{Font, Pen, Stroke, backend};
use crate::{RenderError, TimelineStyle};

/// Sizes in multiples of the base font size.
const MARGIN: f64 = 0.75;
const TITLE_ROW: f64 = 2.0;
const AXIS_ROWS: f64 = 2.4;
const LEGEND_ROW: f64 = 1.5;
const POINT: f64 = 0.32;
const LINE: f64 = 0.16;
const TICK_SPACING: f64 = 4.0;
const Y_TICK_SPACING: f64 = 3.2;

/// One measured curve: speedups of one execution model at several numbers
/// of workers.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupSeries {
    /// What was measured, e.g. "Free threads".
    pub label: String,
    /// `(workers, speedup)` pairs, in any order.
    pub points: Vec<(u32, f64)>,
}

/// "7 %" or "0.4 %".
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p >= 0.95 || p == 0.0 {
        format!("{p:.0} %")
    } else {
        format!("{p:.1} %")
    }
}

/// A linear axis from 0 to at least `max`: its end and its ticks.
fn ticks(max: f64, length: f64, spacing: f64, whole: bool) -> (f64, Vec<(f64, String)>) {
    let intervals = (length / spacing).floor().max(1.0);
    let mut step = nice_step(max / intervals);
    if whole {
        step = step.max(1.0);
    }
    let end = (max / step - 1e-9).ceil().max(1.0) * step;
    let decimals = decimals_for(step);
    let mut out = Vec::new();
    for i in 0_u32..=200 {
        let v = f64::from(i) * step;
        if v > end + step * 1e-9 {
            break;
        }
        out.push((v, format!("{v:.decimals$}")));
    }
    (end, out)
}

/// Where the plot goes and how values map onto it.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    k_max: f64,
    s_max: f64,
}

impl Frame {
    fn at(&self, k: f64, s: f64) -> (f64, f64) {
        (
            self.x0 + k / self.k_max * (self.x1 - self.x0),
            self.y1 - s / self.s_max * (self.y1 - self.y0),
        )
    }

    fn pixel(&self, k: f64, s: f64) -> (i32, i32) {
        let (x, y) = self.at(k, s);
        (px(x), px(y))
    }
}

/// Draws measured speedup against the number of workers, filling `area`.
///
/// Each series gets its points joined by a line (the mean where one number
/// of workers was measured more than once) and a dashed Amdahl curve
/// fitted to them, named in the legend with its serial share ("Amdahl fit:
/// 7 % serial"); a grey dashed line shows the ideal, speedup = workers.
/// Without any point it says so.
///
/// # Errors
///
/// [`RenderError::Backend`] when the backend fails to draw.
pub fn draw_speedup<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[SpeedupSeries],
    style: &TimelineStyle,
) -> Result<(), RenderError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let theme = Theme::new(style.dark);
    let pen = Pen { area, theme };
    area.fill(&theme.background).map_err(backend)?;
    let f = base_font(w, style);
    let usable = |&(k, s): &(u32, f64)| k > 0 && s.is_finite() && s > 0.0;
    let points: Vec<(u32, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .filter(usable)
        .collect();
    if points.is_empty() {
        pen.text(
            "No speedup measured yet",
            (w / 2.0, h / 2.0),
            Font::new(EMPTY_SIZE * f, theme.muted).centred(),
        )?;
        return area.present().map_err(backend);
    }

    let margin = MARGIN * f;
    let title = "Speedup by number of workers";
    pen.text(
        title,
        (margin, margin + 0.5 * TITLE_ROW * f),
        Font::new(HEADER_SIZE * f, theme.text).bold(),
    )?;
    let k_data = points
        .iter()
        .map(|&(k, _)| f64::from(k))
        .fold(1.0, f64::max);
    let s_data = points.iter().map(|&(_, s)| s).fold(1.0, f64::max);
    let top = margin + TITLE_ROW * f + 0.6 * f;
    let bottom = h - margin - AXIS_ROWS * f;
    let (s_max, s_ticks) = ticks(s_data.max(k_data), bottom - top, Y_TICK_SPACING * f, false);
    let label_width = s_ticks
        .iter()
        .map(|(_, l)| text_width(l, TICK_SIZE * f))
        .fold(0.0, f64::max);
    let x0 = margin + label_width + 0.8 * f;
    // Room on the right for the last points' labels.
    let x1 = (w - margin - text_width("00.0×", TICK_SIZE * f) - 0.6 * f).max(x0 + 1.0);
    let (k_max, k_ticks) = ticks(k_data, x1 - x0, TICK_SPACING * f, true);
    let frame = Frame {
        x0,
        x1,
        y0: top,
        y1: bottom.max(top + 1.0),
        k_max,
        s_max,
    };

    // Grid, axes and their labels.
    let tick_font = Font::new(TICK_SIZE * f, theme.text);
    for (s, label) in &s_ticks {
        let (_, y) = frame.pixel(0.0, *s);
        pen.rect((px(x0), y), (px(x1), y + 1), theme.grid)?;
        pen.text(label, (x0 - 0.4 * f, f64::from(y)), tick_font.right())?;
    }
    for (k, label) in &k_ticks {
        let (x, _) = frame.pixel(*k, 0.0);
        pen.rect((x, px(top)), (x + 1, px(bottom)), theme.grid)?;
        pen.text(label, (f64::from(x), bottom + 0.9 * f), tick_font.centred())?;
    }
    pen.rect(
        (px(x0), px(bottom)),
        (px(x1) + 1, px(bottom) + 1),
        theme.axis,
    )?;
    pen.rect((px(x0), px(top)), (px(x0) + 1, px(bottom)), theme.axis)?;
    let muted = Font::new(TICK_SIZE * f, theme.muted);
    pen.text("workers (k)", (x1, bottom + 1.9 * f), muted.right())?;
    pen.text("speedup (×)", (x0 + 0.4 * f, top - 0.35 * f), muted)?;

    // The ideal line, then each series over it.
    let ideal = Stroke::new(theme.muted, (0.12 * f).max(1.0));
    let dash = 0.5 * f;
    let end = k_max.min(s_max);
    pen.dashed(frame.at(0.0, 0.0), frame.at(end, end), dash, ideal)?;
    let mut legend: Vec<(Key, String)> = vec![(Key::Ideal, "ideal (speedup = k)".to_owned())];
    for (i, s) in series.iter().enumerate() {
        let colour = series_colour(i);
        let mut pts: Vec<(u32, f64)> = s.points.iter().copied().filter(usable).collect();
        if pts.is_empty() {
            continue;
        }
        pts.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        legend.push((Key::Series(colour), s.label.clone()));
        if let Some(serial) = amdahl_fit(&pts) {
            let curve: Vec<(i32, i32)> = (0..=64)
                .map(|j| {
                    let k = 1.0 + (k_max - 1.0) * f64::from(j) / 64.0;
                    frame.pixel(k, amdahl_speedup(serial, k).min(s_max))
                })
                .collect();
            dashed_curve(&pen, &curve, dash, Stroke::new(colour, (0.1 * f).max(1.0)))?;
            legend.push((
                Key::Fit(colour),
                format!("Amdahl fit: {} serial", percent(serial)),
            ));
        }
        let means = means(&pts);
        let line: Vec<(i32, i32)> = means.iter().map(|&(k, s)| frame.pixel(k, s)).collect();
        pen.path(line, Stroke::new(colour, (LINE * f).max(1.0)))?;
        for &(k, s) in &pts {
            point(&pen, frame.pixel(f64::from(k), s), POINT * f, colour)?;
        }
        if let Some(&(k, s)) = means.last() {
            let (x, y) = frame.at(k, s);
            pen.text(
                &format!("{s:.1}×"),
                (x + 0.55 * f, y - 0.55 * f),
                Font::new(TICK_SIZE * f, theme.text).bold(),
            )?;
        }
    }

    // The legend, top left, where the ideal line leaves room.
    let row = LEGEND_ROW * f;
    let swatch = 1.6 * f;
    let size = LEGEND_SIZE * f;
    let room = (x1 - x0) * 0.55;
    let widest = legend
        .iter()
        .map(|(_, l)| text_width(l, size))
        .fold(0.0, f64::max)
        .min(room);
    let (lx, ly) = (x0 + 0.8 * f, top + 0.4 * f);
    let (bw, bh) = (
        swatch + 1.4 * f + widest,
        row * legend.len() as f64 + 0.4 * f,
    );
    pen.rect(
        (px(lx - 0.4 * f), px(ly - 0.2 * f)),
        (px(lx + bw), px(ly + bh)),
        theme.grid,
    )?;
    pen.rect(
        (px(lx - 0.4 * f) + 1, px(ly - 0.2 * f) + 1),
        (px(lx + bw) - 1, px(ly + bh) - 1),
        theme.background,
    )?;
    for (j, (key, label)) in legend.iter().enumerate() {
        let y = ly + 0.2 * f + (j as f64 + 0.5) * row;
        let (a, b) = ((lx, y), (lx + swatch, y));
        match *key {
            Key::Ideal => pen.dashed(a, b, 0.35 * f, ideal)?,
            Key::Series(c) => {
                pen.path(
                    vec![(px(a.0), px(y)), (px(b.0), px(y))],
                    Stroke::new(c, (LINE * f).max(1.0)),
                )?;
                point(&pen, (px((a.0 + b.0) / 2.0), px(y)), POINT * f, c)?;
            }
            Key::Fit(c) => pen.dashed(a, b, 0.35 * f, Stroke::new(c, (0.1 * f).max(1.0)))?,
        }
        pen.text(
            &fit_text(label, size, room),
            (lx + swatch + 0.6 * f, y),
            Font::new(size, theme.text),
        )?;
    }
    area.present().map_err(backend)
}

/// What a legend row shows.
#[derive(Clone, Copy, Debug)]
enum Key {
    Ideal,
    Series(plotters::style::RGBColor),
    Fit(plotters::style::RGBColor),
}

/// The mean speedup at each number of workers of `points` (sorted by k).
fn means(points: &[(u32, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    for &(k, s) in points {
        let k = f64::from(k);
        match out.last_mut() {
            Some(last) if last.0 == k => {
                last.1 += s;
                last.2 += 1.0;
            }
            _ => out.push((k, s, 1.0)),
        }
    }
    out.into_iter().map(|(k, s, n)| (k, s / n)).collect()
}

/// A dot with a dark edge.
fn point<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    at: (i32, i32),
    radius: f64,
    colour: plotters::style::RGBColor,
) -> Result<(), RenderError> {
    let r = radius.round().max(2.0) as i32;
    pen.area
        .draw(&Circle::new(at, r + 1, outline_of(colour).filled()))
        .map_err(backend)?;
    pen.area
        .draw(&Circle::new(
            at,
            r,
            ShapeStyle {
                color: colour.to_rgba(),
                filled: true,
                stroke_width: 0,
            },
        ))
        .map_err(backend)
}

/// A dashed line through `points`.
fn dashed_curve<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    points: &[(i32, i32)],
    dash: f64,
    stroke: Stroke,
) -> Result<(), RenderError> {
    // Walk the curve, switching between dash and gap every `dash` pixels.
    let mut on = true;
    let mut left = dash;
    let mut current: Vec<(i32, i32)> = Vec::new();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (ax, ay) = (f64::from(a.0), f64::from(a.1));
        let (dx, dy) = (f64::from(b.0) - ax, f64::from(b.1) - ay);
        let length = dx.hypot(dy);
        let mut done = 0.0;
        if on && current.is_empty() {
            current.push(a);
        }
        while length - done > left {
            done += left;
            let p = (px(ax + dx * done / length), px(ay + dy * done / length));
            if on {
                current.push(p);
                pen.path(std::mem::take(&mut current), stroke)?;
            } else {
                current.push(p);
            }
            on = !on;
            left = dash;
        }
        left -= length - done;
        if on {
            current.push(b);
        }
    }
    if on {
        pen.path(current, stroke)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(percent(0.07), "7 %");
        assert_eq!(percent(0.004), "0.4 %");
        assert_eq!(percent(0.0), "0 %");
        assert_eq!(percent(1.0), "100 %");
    }

    #[test]
    fn axes_end_on_a_tick() {
        let (end, t) = ticks(7.3, 400.0, 60.0, true);
        assert_eq!(end, 8.0);
        assert_eq!(t.last().map(|(_, l)| l.as_str()), Some("8"));
        let (end, _) = ticks(16.0, 800.0, 60.0, true);
        assert_eq!(end, 16.0);
    }

    #[test]
    fn repeated_measurements_average() {
        assert_eq!(
            means(&[(1, 1.0), (2, 1.8), (2, 2.2), (4, 3.0)]),
            [(1.0, 1.0), (2.0, 2.0), (4.0, 3.0)]
        );
    }
}

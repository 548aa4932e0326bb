//! Drawing traces onto the page's canvas.

use lanes_render::{RunView, TimelineStyle, View, timeline_height};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use crate::WebError;

/// Sizes `canvas` to its CSS width and the CSS height `height_of(width)`,
/// sharp at the screen's pixel ratio, then runs `draw` on it with `style`
/// scaled to device pixels.
fn on_canvas(
    canvas: &HtmlCanvasElement,
    style: &TimelineStyle,
    height_of: impl FnOnce(u32) -> u32,
    draw: impl FnOnce(
        &DrawingArea<CanvasBackend, Shift>,
        &TimelineStyle,
    ) -> Result<(), lanes_render::RenderError>,
) -> Result<(), WebError> {
    let ratio = pixel_ratio();
    let css_width = u32::try_from(canvas.client_width()).unwrap_or(0).max(320);
    let css_height = height_of(css_width);
    canvas
        .style()
        .set_property("height", &format!("{css_height}px"))
        .map_err(|_| WebError::Canvas("cannot size the canvas".to_owned()))?;
    canvas.set_width(scaled(css_width, ratio));
    canvas.set_height(scaled(css_height, ratio));
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| WebError::Canvas("the canvas has no 2D context".to_owned()))?;
    let area = backend.into_drawing_area();
    let device = TimelineStyle {
        scale: style.scale * ratio,
        ..*style
    };
    draw(&area, &device).map_err(|e| WebError::Canvas(e.to_string()))?;
    area.present().map_err(|e| WebError::Canvas(e.to_string()))
}

/// Draws `runs` as one timeline on `canvas`, sized to its CSS width and
/// sharp at the screen's pixel ratio; sets the canvas's CSS height.
pub fn draw_timeline(
    canvas: &HtmlCanvasElement,
    runs: &[RunView<'_>],
    style: &TimelineStyle,
    view: &View,
) -> Result<(), WebError> {
    on_canvas(
        canvas,
        style,
        |width| timeline_height(runs, width, style),
        |area, device| lanes_render::draw_timeline_view(area, runs, device, view),
    )
}

/// Draws `runs` as [`draw_timeline`] does, but at most `max_css_height` CSS
/// pixels tall: when the timeline would be taller at `style.scale`, the
/// scale shrinks (to half at the least) until it fits, past which the
/// canvas is cut at that height; when it would be shorter, the scale grows
/// (to half as large again at most) to fill the room. Returns the scale it drew at, for hit
/// testing. For embed mode, where the timeline fills an iframe.
pub fn draw_timeline_fit(
    canvas: &HtmlCanvasElement,
    runs: &[RunView<'_>],
    style: &TimelineStyle,
    view: &View,
    max_css_height: u32,
) -> Result<f64, WebError> {
    let css_width = u32::try_from(canvas.client_width()).unwrap_or(0).max(320);
    let least = style.scale * 0.5;
    let most = style.scale * 1.5;
    let mut fitted = *style;
    while timeline_height(runs, css_width, &fitted) > max_css_height && fitted.scale > least {
        fitted.scale = (fitted.scale * 0.92).max(least);
    }
    // Room to spare: grow into it (up to half as large again), so a slide's
    // frame is filled rather than left with an empty band.
    loop {
        let larger = TimelineStyle {
            scale: fitted.scale * 1.04,
            ..fitted
        };
        if larger.scale > most || timeline_height(runs, css_width, &larger) > max_css_height {
            break;
        }
        fitted = larger;
    }
    on_canvas(
        canvas,
        &fitted,
        |width| timeline_height(runs, width, &fitted).min(max_css_height.max(120)),
        |area, device| lanes_render::draw_timeline_view(area, runs, device, view),
    )?;
    Ok(fitted.scale)
}

/// Device pixels per CSS pixel, as the canvas is drawn (1 to 4).
pub fn pixel_ratio() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0)
}

fn scaled(css: u32, ratio: f64) -> u32 {
    (f64::from(css) * ratio).round() as u32
}

/// The timeline of `runs` as an SVG document `width` CSS pixels wide, for
/// export: the same drawing as the canvas, as vectors.
pub fn timeline_svg(
    runs: &[RunView<'_>],
    width: u32,
    style: &TimelineStyle,
    view: &View,
) -> Result<String, WebError> {
    let width = width.max(320);
    let height = timeline_height(runs, width, style);
    let mut svg = String::new();
    {
        let area =
            plotters_svg::SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        lanes_render::draw_timeline_view(&area, runs, style, view)
            .map_err(|e| WebError::Canvas(e.to_string()))?;
        area.present()
            .map_err(|e| WebError::Canvas(e.to_string()))?;
    }
    Ok(svg)
}

/// Draws measured speedups against workers on `canvas` (the ideal line and
/// an Amdahl fit with them), sized to its CSS width at a 5:2 aspect.
pub fn draw_speedup_chart(
    canvas: &HtmlCanvasElement,
    series: &[lanes_render::SpeedupSeries],
    style: &TimelineStyle,
) -> Result<(), WebError> {
    on_canvas(
        canvas,
        style,
        |width| (width * 2 / 5).clamp(220, 440),
        |area, device| lanes_render::draw_speedup(area, series, device),
    )
}

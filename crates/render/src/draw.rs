//! Drawing a laid-out timeline onto any plotters backend.

use lanes_trace::{LaneKind, Mode, Span};
use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::prelude::DrawingBackend;

use crate::axis::format_precise;
use crate::gil::{Holders, lane_label};
use crate::layout::{
    self, CHIP, DISCLOSURE, EMPTY_SIZE, HEADER_SIZE, LABEL_SIZE, LEGEND_SIZE, Layout, RunBox,
    TASK_SIZE, TICK_SIZE, fit_text, px, text_width,
};
use crate::legend::LegendKey;
use crate::lod::{Scale, Segment, segments};
use crate::palette::{
    Theme, fill_colour, holder_colour, outline_colour, outline_of, state_colour, text_on,
};
use crate::pen::{Font, Pen, backend};
use crate::{RenderError, RunView, TimelineStyle, View, audio, events, stack, strip};
use lanes_trace::words::duration_ms;

/// Segments at least this wide get an outline.
const OUTLINE_MIN_PX: i32 = 4;

/// Draws `runs` stacked on one shared time axis, filling `area`: the whole
/// of every run, no playhead, nothing highlighted.
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
    draw_timeline_view(area, runs, style, &View::default())
}

/// Draws `runs` like [`draw_timeline`], showing the part that `view` asks
/// for: its time window, what happened before its playhead, its
/// highlighted span.
///
/// A GIL lane shows who held the lock in that thread's colour (each thread
/// lane carries a chip of its colour) and names the holder where there is
/// room; hand-offs are arrows from the thread that dropped the lock to the
/// one that took it, forced switches small triangles, messages arrows from
/// sender to receiver. At most one arrow or marker per pixel column and
/// pair of lanes is drawn, and only spans and events inside the window
/// are looked at.
///
/// # Errors
///
/// [`RenderError::Backend`] when the backend fails to draw.
pub fn draw_timeline_view<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[RunView<'_>],
    style: &TimelineStyle,
    view: &View,
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
    let layout = Layout::new(
        runs,
        f64::from(w),
        Some(f64::from(h)),
        style,
        view.range(runs),
    );
    let scale = layout.scale(view.until_us());
    pen.legend(&layout)?;
    for (run, b) in runs.iter().zip(&layout.runs) {
        let header_end = pen.run(&layout, run, b, &scale)?;
        if let Some(row) = b.audio {
            audio::draw(&pen, &layout, run.trace, row, &scale)?;
        }
        events::draw(&pen, &layout, run.trace, b, &scale, header_end)?;
        if let Some(s) = b.strip {
            strip::draw(&pen, &layout, run.trace, s, &scale)?;
        }
    }
    if let Some(hit) = view.highlight {
        pen.highlight(&layout, runs, hit, &scale)?;
    }
    let playhead = view
        .playhead()
        .and_then(|t| PlayheadMark::new(&layout, t, &scale));
    pen.axis(&layout, playhead.as_ref())?;
    if let Some(mark) = playhead {
        pen.playhead(&layout, &mark)?;
    }
    area.present().map_err(backend)
}

/// The header line of one run.
fn header(run: &RunView<'_>) -> String {
    let Some(meta) = run.trace.meta() else {
        // Another tool's file does not say what ran: say where it came from.
        let mut s = run.trace.name();
        if let Some(first) = s.get(..1) {
            s.replace_range(..1, &first.to_uppercase());
        }
        let lanes = run.trace.lanes.len();
        return format!(
            "{s} · {lanes} lane{} · {}",
            if lanes == 1 { "" } else { "s" },
            duration_ms(run.trace.makespan_ms())
        );
    };
    let mut s = format!(
        "{} · {} · k={} · {}",
        meta.scenario.model.title(),
        meta.scenario.workload.title(),
        meta.scenario.k,
        duration_ms(run.trace.makespan_ms())
    );
    if let Some(speedup) = run.speedup.filter(|s| s.is_finite() && *s > 0.0) {
        s.push_str(&format!(" · {speedup:.2}× vs sequential"));
    }
    match meta.mode {
        Mode::Simulated => {
            let cores = meta.cores;
            s.push_str(&format!(
                " · simulated on {cores} virtual core{}",
                if cores == 1 { "" } else { "s" }
            ));
        }
        Mode::Recorded => s.push_str(" · recorded in CPython"),
        Mode::Live => {}
    }
    s
}

/// The vertical padding between a lane's edge and its spans.
pub(crate) fn lane_pad(b: &RunBox) -> f64 {
    (b.lane_height * 0.14).round().max(1.0)
}

/// The top and bottom pixel rows of the spans of lane `i`.
pub(crate) fn bar_rows(b: &RunBox, i: usize) -> (i32, i32) {
    let top = b.lane_top(i);
    let pad = lane_pad(b);
    (px(top + pad), px(top + b.lane_height - pad))
}

/// The pixel columns of `span` on `scale`, relative to the plot's left end,
/// or `None` when none of it is shown.
pub(crate) fn span_columns(span: &Span, scale: &Scale) -> Option<(i32, i32)> {
    let visible = span.start_us < scale.until_us
        && span.start_us < scale.end_us
        && span.end_us > scale.start_us
        && scale.is_drawable();
    visible.then(|| {
        let x0 = px(scale.x(span.start_us));
        let x1 = px(scale.x(span.end_us.min(scale.until_us))).max(x0 + 1);
        (x0, x1)
    })
}

/// Where the playhead goes: its pixel column, and the box of its label.
#[derive(Clone, Debug, PartialEq)]
struct PlayheadMark {
    x: i32,
    left: f64,
    right: f64,
    label: String,
}

impl PlayheadMark {
    /// The playhead at `t`, when it is inside the window.
    fn new(layout: &Layout, t: f64, scale: &Scale) -> Option<Self> {
        if !(t >= scale.start_us && t <= scale.end_us) {
            return None;
        }
        let f = layout.font;
        let x = layout.plot_px().0 + px(scale.x(t));
        let label = format_precise(t);
        let half = (text_width(&label, TICK_SIZE * f) + 0.8 * f) / 2.0;
        let centre = f64::from(x).clamp(
            layout.plot_x0 + half - 0.5 * f,
            layout.width - layout.margin - half,
        );
        Some(Self {
            x,
            left: centre - half,
            right: centre + half,
            label,
        })
    }
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    fn legend(&self, layout: &Layout) -> Result<(), RenderError> {
        let s = layout.swatch;
        for item in &layout.legend {
            let text_x = if item.key.has_swatch() {
                let (x0, y0) = (px(item.x), px(item.y - s / 2.0));
                let (x1, y1) = (px(item.x + s), px(item.y + s / 2.0));
                self.swatch(item.key, (x0, y0), (x1, y1), layout.font)?;
                item.x + s + 0.4 * layout.font
            } else {
                item.x
            };
            self.text(
                &item.key.label(),
                (text_x, item.y),
                Font::new(LEGEND_SIZE * layout.font, self.theme.text),
            )?;
        }
        Ok(())
    }

    fn swatch(
        &self,
        key: LegendKey,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        font: f64,
    ) -> Result<(), RenderError> {
        let (xm, ym) = (f64::from(x0 + x1) / 2.0, f64::from(y0 + y1) / 2.0);
        let (w, h) = (f64::from(x1 - x0), f64::from(y1 - y0));
        let stroke = events::stroke(&self.theme, font);
        match key {
            LegendKey::State(state) => {
                self.rect((x0, y0), (x1, y1), outline_colour(state))?;
                self.rect((x0 + 1, y0 + 1), (x1 - 1, y1 - 1), state_colour(state))
            }
            LegendKey::GilHolder => {
                // Three threads' colours side by side.
                let third = (x1 - x0) / 3;
                for i in 0..3 {
                    let left = x0 + third * i;
                    let right = if i == 2 { x1 } else { left + third };
                    let colour = holder_colour(usize::try_from(i).unwrap_or(0));
                    self.rect((left, y0), (right, y1), outline_of(colour))?;
                    self.rect((left + 1, y0 + 1), (right - 1, y1 - 1), colour)?;
                }
                Ok(())
            }
            LegendKey::Handoff => {
                self.arrow((xm, ym - h * 0.6), (xm, ym + h * 0.6), 0.5 * font, stroke)
            }
            LegendKey::ForcedSwitch => events::forced_marker(self, (xm, ym + 0.3 * h), 0.6 * font),
            LegendKey::Calls => {
                // A call over two shorter ones, in the rows' tints.
                let mid = (y0 + y1) / 2;
                let tint = |i| fill_colour(crate::lod::Fill::Call(i), &self.theme);
                self.rect((x0, y0), (x1, mid - 1), tint(0))?;
                self.rect((x0, mid), (px(xm) - 1, y1), tint(1))?;
                self.rect((px(xm), mid), (x1 - 1, y1), tint(3))?;
                self.frame((x0, y0), (x1, y1), 1, outline_of(tint(2)))
            }
            LegendKey::GilEvidence(_) => Ok(()),
            LegendKey::DeadlineMet => {
                // A short tick hanging under the fill's baseline, as in
                // the audio row.
                let w = px((0.12 * font).max(1.0));
                let x = px(xm) - w / 2;
                self.rect((x0, px(ym) - 1), (x1, px(ym)), self.theme.axis)?;
                self.rect((x, px(ym) + 1), (x + w, y1), self.theme.audio.met)
            }
            LegendKey::Underrun => {
                // A silence band with the tall mark at its start.
                let band = crate::palette::mix(self.theme.audio.missed, self.theme.background, 0.7);
                let w = px((0.16 * font).max(2.0));
                self.rect((x0, y0), (x1, y1), band)?;
                self.rect((x0, y0), (x0 + w, y1), self.theme.audio.missed)
            }
            LegendKey::BufferFill => {
                let fill = self.theme.audio.fill;
                self.polygon(
                    vec![
                        (x0, y1),
                        (x0, px(ym)),
                        (px(xm), px(ym)),
                        (px(xm), y0),
                        (x1, y0),
                        (x1, y1),
                    ],
                    fill,
                    0.7,
                )?;
                self.rect((x0, y1 - 1), (x1, y1), self.theme.axis)
            }
            LegendKey::Message => self.arrow(
                (xm - w * 0.5, ym - h * 0.5),
                (xm + w * 0.5, ym + h * 0.5),
                0.5 * font,
                stroke,
            ),
        }
    }

    /// Draws one run's header, lanes and spans; returns where the header
    /// ends.
    fn run(
        &self,
        layout: &Layout,
        run: &RunView<'_>,
        b: &RunBox,
        scale: &Scale,
    ) -> Result<f64, RenderError> {
        let f = layout.font;
        let trace = run.trace;
        let title = header(run);
        let room = layout.width - 2.0 * layout.margin;
        let size = (HEADER_SIZE * f)
            .min(HEADER_SIZE * f * room / text_width(&title, HEADER_SIZE * f * 1.08));
        self.text(
            &title,
            (layout.margin, b.header_y),
            Font::new(size, self.theme.text).bold(),
        )?;

        let holders = Holders::new(&trace.lanes);
        let label_size = (LABEL_SIZE * f).min(0.62 * b.lane_height);
        let chip = (CHIP * f).min(0.5 * b.lane_height);
        let mut label_room = layout.plot_x0 - layout.margin - 0.6 * f;
        if b.chips {
            label_room -= chip + 0.5 * f;
        }
        let name_x = layout.margin + 0.4 * f + if b.disclosure { DISCLOSURE * f } else { 0.0 };
        if b.disclosure {
            label_room -= DISCLOSURE * f;
        }
        let (plot_x0, plot_x1) = layout.plot_px();
        for (i, lane) in trace.lanes.iter().enumerate() {
            let top = b.lane_top(i);
            let middle = top + b.lane_height / 2.0;
            if i % 2 == 0 {
                let (y0, y1) = (px(top), px(b.slot_bottom(i)));
                self.rect((px(layout.margin), y0), (plot_x1, y1), self.theme.stripe)?;
            }
            if let Some(rows) = b.stacks.get(i).filter(|s| s.depth > 0) {
                let size = (0.6 * f).min(0.4 * b.lane_height);
                let at = (layout.margin + 0.4 * f + 0.3 * f, middle);
                self.disclosure(at, size, rows.shown > 0)?;
            }
            self.text(
                &fit_text(&lane_label(trace, lane), label_size, label_room),
                (name_x, middle),
                Font::new(label_size, self.theme.text),
            )?;
            if b.chips && lane.kind != LaneKind::Gil {
                let lane_u32 = u32::try_from(i).unwrap_or(u32::MAX);
                let colour = holder_colour(holders.index(lane_u32));
                let right = layout.plot_x0 - 0.35 * f;
                let (cx0, cy0) = (px(right - chip), px(middle - chip / 2.0));
                let (cx1, cy1) = (px(right), px(middle + chip / 2.0));
                // Edged in the axis colour, so that dark chips show on a dark
                // background too.
                self.rect((cx0, cy0), (cx1, cy1), self.theme.axis)?;
                self.rect((cx0 + 1, cy0 + 1), (cx1 - 1, cy1 - 1), colour)?;
            }
        }
        // Grid lines behind the spans.
        let (top, bottom) = (px(b.lanes_top), px(b.lanes_bottom()));
        for (t, _) in &layout.axis.ticks {
            let x = px(layout.x_of(*t));
            self.rect((x, top), (x + 1, bottom), self.theme.grid)?;
        }
        for i in (0_u32..).take(trace.lanes.len()) {
            let rows = bar_rows(b, i as usize);
            let spans = trace.lane_spans(i);
            for seg in segments(spans, scale, |s| holders.fill(s)) {
                let span = seg.item.and_then(|k| spans.get(k));
                let label = match span.map(|s| (s.holder, s.task)) {
                    Some((Some(holder), _)) => {
                        trace.lanes.get(holder as usize).map(|l| l.name.clone())
                    }
                    Some((None, Some(task))) => Some(format!("#{task}")),
                    _ => None,
                };
                self.segment(layout, &seg, label.as_deref(), plot_x0, rows)?;
            }
        }
        stack::draw(self, layout, run, b, scale)?;
        Ok(layout.margin + text_width(&title, size))
    }

    /// The triangle that shows a lane's stack is open (pointing down) or
    /// closed (pointing right), centred on `at`, `size` pixels across.
    fn disclosure(&self, at: (f64, f64), size: f64, open: bool) -> Result<(), RenderError> {
        let (x, y, h) = (at.0, at.1, size / 2.0);
        let points = if open {
            vec![(x - h, y - 0.6 * h), (x + h, y - 0.6 * h), (x, y + 0.8 * h)]
        } else {
            vec![(x - 0.6 * h, y - h), (x - 0.6 * h, y + h), (x + 0.8 * h, y)]
        };
        let points = points.into_iter().map(|(x, y)| (px(x), px(y))).collect();
        self.polygon(points, self.theme.text, 1.0)
    }

    fn segment(
        &self,
        layout: &Layout,
        seg: &Segment,
        label: Option<&str>,
        plot_x0: i32,
        (y0, y1): (i32, i32),
    ) -> Result<(), RenderError> {
        let x0 = plot_x0 + px(seg.x0);
        let x1 = (plot_x0 + px(seg.x1)).max(x0 + 1);
        let fill = fill_colour(seg.fill, &self.theme);
        if x1 - x0 >= OUTLINE_MIN_PX {
            self.rect((x0, y0), (x1, y1), outline_of(fill))?;
            self.rect((x0 + 1, y0 + 1), (x1 - 1, y1 - 1), fill)?;
        } else {
            self.rect((x0, y0), (x1, y1), fill)?;
        }
        let Some(label) = label else {
            return Ok(());
        };
        let size = (TASK_SIZE * layout.font).min(0.8 * f64::from(y1 - y0));
        if text_width(label, size) + 0.5 * layout.font <= f64::from(x1 - x0) {
            self.text(
                label,
                (f64::from(x0 + x1) / 2.0, f64::from(y0 + y1) / 2.0),
                Font::new(size, text_on(fill)).centred(),
            )?;
        }
        Ok(())
    }

    /// A strong double outline around the highlighted span.
    fn highlight(
        &self,
        layout: &Layout,
        runs: &[RunView<'_>],
        hit: crate::Hit,
        scale: &Scale,
    ) -> Result<(), RenderError> {
        let (Some(run), Some(b)) = (runs.get(hit.run), layout.runs.get(hit.run)) else {
            return Ok(());
        };
        let Some(span) = run.trace.spans().get(hit.span) else {
            return Ok(());
        };
        let lane = span.lane as usize;
        if span.lane != hit.lane || lane >= b.lanes() {
            return Ok(());
        }
        self.highlight_call(layout, run, b, hit, scale)?;
        let Some((c0, c1)) = span_columns(span, scale) else {
            return Ok(());
        };
        let (plot_x0, _) = layout.plot_px();
        let (y0, y1) = bar_rows(b, lane);
        // At least a few pixels wide, so that even a sliver shows.
        let (mut x0, mut x1) = (plot_x0 + c0, plot_x0 + c1);
        if x1 - x0 < 3 {
            let mid = (x0 + x1) / 2;
            (x0, x1) = (mid - 1, mid + 2);
        }
        let w = px((0.14 * layout.font).max(2.0));
        self.frame(
            (x0 - 1 - w, y0 - 1 - w),
            (x1 + 1 + w, y1 + 1 + w),
            w,
            self.theme.text,
        )?;
        self.frame((x0 - 1, y0 - 1), (x1 + 1, y1 + 1), 1, self.theme.background)
    }

    /// A frame around the innermost call of the highlighted stack, when its
    /// row is shown.
    fn highlight_call(
        &self,
        layout: &Layout,
        run: &RunView<'_>,
        b: &RunBox,
        hit: crate::Hit,
        scale: &Scale,
    ) -> Result<(), RenderError> {
        let Some(call) = hit.call.and_then(|i| run.trace.calls.all().get(i)) else {
            return Ok(());
        };
        let lane = call.lane as usize;
        if call.lane != hit.lane || b.stacks.get(lane).is_none_or(|s| call.depth >= s.shown) {
            return Ok(());
        }
        let visible = call.start_us < scale.until_us
            && call.start_us < scale.end_us
            && call.end_us > scale.start_us
            && scale.is_drawable();
        if !visible {
            return Ok(());
        }
        let (plot_x0, _) = layout.plot_px();
        let x0 = plot_x0 + px(scale.x(call.start_us));
        let x1 = (plot_x0 + px(scale.x(call.end_us.min(scale.until_us)))).max(x0 + 3);
        let (y0, y1) = stack::box_rows(b, lane, call.depth);
        let w = px((0.1 * layout.font).max(2.0));
        self.frame((x0 - w, y0 - w), (x1 + w, y1 + w), w, self.theme.text)
    }

    /// A line at the playhead across every run, and its time in a box over
    /// the axis labels.
    fn playhead(&self, layout: &Layout, mark: &PlayheadMark) -> Result<(), RenderError> {
        let f = layout.font;
        let x = mark.x;
        let top = layout.runs.first().map_or(layout.axis_y, |b| b.lanes_top);
        let w = px((0.12 * f).max(2.0));
        let colour = self.theme.text;
        self.rect(
            (x - w / 2, px(top)),
            (x - w / 2 + w, px(layout.axis_y)),
            colour,
        )?;
        self.triangle_down((f64::from(x), top + 0.45 * f), 0.9 * f, colour)?;
        let y = layout.tick_label_y();
        self.rect(
            (px(mark.left), px(y - 0.62 * f)),
            (px(mark.right), px(y + 0.62 * f)),
            colour,
        )?;
        self.text(
            &mark.label,
            ((mark.left + mark.right) / 2.0, y),
            Font::new(TICK_SIZE * f, self.theme.background)
                .centred()
                .bold(),
        )
    }

    /// The time axis; tick labels under the playhead's box are left out.
    fn axis(&self, layout: &Layout, playhead: Option<&PlayheadMark>) -> Result<(), RenderError> {
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
            let half = text_width(label, font.size) / 2.0;
            let (left, right) = (f64::from(x) - half, f64::from(x) + half);
            if playhead.is_some_and(|p| right > p.left - 0.2 * f && left < p.right + 0.2 * f) {
                continue;
            }
            self.text(label, (f64::from(x), label_y), font.centred())?;
        }
        self.text(
            layout.axis.title,
            (layout.margin, label_y),
            Font::new(TICK_SIZE * f, self.theme.muted),
        )
    }
}

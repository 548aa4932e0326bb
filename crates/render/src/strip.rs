//! The concurrency strip under a run: how many lanes were running at once,
//! per pixel column, with the most marked.

use lanes_trace::{LaneKind, State, Trace};
use plotters::prelude::DrawingBackend;

use crate::RenderError;
use crate::layout::{Layout, STRIP_LABEL, StripBox, TICK_SIZE, px, text_width};
use crate::lod::{Scale, visible};
use crate::palette::{outline_colour, state_colour};
use crate::pen::{Font, Pen, Stroke};

/// How many lanes of `trace` were running, on average over each pixel
/// column of `scale`; GIL lanes are not counted. Costs one step per visible
/// span and per column covered.
pub(crate) fn running_per_column(trace: &Trace, scale: &Scale) -> Vec<f64> {
    let columns = scale.width_px.max(0.0) as usize;
    let mut out = vec![0.0; columns];
    if !scale.is_drawable() || columns == 0 {
        return out;
    }
    for (lane, l) in (0_u32..).zip(&trace.lanes) {
        if l.kind == LaneKind::Gil {
            continue;
        }
        for span in visible(trace.lane_spans(lane), scale.start_us, scale.until_us) {
            if span.state != State::Running {
                continue;
            }
            let x0 = scale.x(span.start_us);
            let x1 = scale.x(span.end_us.min(scale.until_us));
            if x1 <= x0 || x1.is_nan() {
                continue;
            }
            let first = x0.floor() as usize;
            let last = (x1.ceil() as usize).min(columns);
            for (c, v) in out.iter_mut().enumerate().take(last).skip(first) {
                let c = c as f64;
                *v += x1.min(c + 1.0) - x0.max(c);
            }
        }
    }
    out
}

/// "4", or "3.7" when not a whole number.
fn count(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Draws the strip of `trace` in `strip`.
pub(crate) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    layout: &Layout,
    trace: &Trace,
    strip: StripBox,
    scale: &Scale,
) -> Result<(), RenderError> {
    let lanes = trace
        .lanes
        .iter()
        .filter(|l| l.kind != LaneKind::Gil)
        .count();
    let f = layout.font;
    let (x0, x1) = layout.plot_px();
    let (top, bottom) = (strip.top, strip.top + strip.height);
    let font = Font::new(TICK_SIZE * f, pen.theme.muted);
    let line = TICK_SIZE * f * 1.1;
    let middle = top + strip.height / 2.0;
    for (i, text) in STRIP_LABEL.iter().enumerate() {
        let y = middle + (i as f64 - 0.5) * line;
        pen.text(text, (layout.margin + 0.4 * f, y), font)?;
    }
    pen.rect((x0, px(top)), (x1, px(bottom)), pen.theme.stripe)?;
    pen.rect((x0, px(top)), (x1, px(top) + 1), pen.theme.grid)?;
    if lanes == 0 {
        return Ok(());
    }
    let values = running_per_column(trace, scale);
    // Nothing is known after the playhead: the chart stops there.
    let known = (scale.x(scale.until_us).ceil() as usize).min(values.len());
    let stop = x0 + i32::try_from(known).unwrap_or(0);
    // All lanes running fills the strip.
    let y_of = |v: f64| bottom - v / lanes as f64 * strip.height;
    let mut points = vec![(x0, px(bottom))];
    let mut last = None;
    for (c, &v) in values[..known].iter().enumerate() {
        let y = px(y_of(v));
        let x = x0 + i32::try_from(c).unwrap_or(i32::MAX);
        if last != Some(y) {
            if let Some(prev) = last {
                points.push((x, prev));
            }
            points.push((x, y));
            last = Some(y);
        }
    }
    if let Some(prev) = last {
        points.push((stop, prev));
    }
    points.push((stop, px(bottom)));
    let running = state_colour(State::Running);
    pen.polygon(points.clone(), running, 0.45)?;
    // The outline without the baseline corners.
    let edge: Vec<_> = points[1..points.len() - 1].to_vec();
    pen.path(edge, Stroke::new(outline_colour(State::Running), 2.0))?;
    pen.rect((x0, px(bottom) - 1), (x1, px(bottom)), pen.theme.axis)?;

    let max = values.iter().copied().fold(0.0, f64::max);
    if max > 0.0 {
        let y = y_of(max);
        pen.dashed(
            (f64::from(x0), y),
            (f64::from(x1), y),
            0.4 * f,
            Stroke::new(pen.theme.text, 1.0),
        )?;
        let label = format!("max {} of {lanes}", count(max));
        let size = TICK_SIZE * f;
        // Above the line when there is room, else just under it.
        let label_y = if y - top >= 0.7 * size {
            y - 0.55 * size
        } else {
            y + 0.6 * size
        };
        let right = f64::from(x1) - 0.3 * f;
        let half_h = 0.5 * size;
        pen.rect(
            (
                px(right - text_width(&label, size) - 0.2 * f),
                px(label_y - half_h),
            ),
            (px(right + 0.2 * f), px(label_y + half_h)),
            pen.theme.background,
        )?;
        pen.text(
            &label,
            (right, label_y),
            Font::new(size, pen.theme.text).right(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_trace::{Lane, Meta, Mode, Model, Scenario, Span, Workload};

    fn trace(spans: Vec<Span>) -> Trace {
        let meta = Meta {
            scenario: Scenario::new(Model::Free, Workload::Primes, 2, 10, 2),
            mode: Mode::Simulated,
            cores: 2,
            cross_origin_isolated: true,
            environment: "test".to_owned(),
            result: Some(4),
            seed: None,
        };
        let lanes = vec![
            Lane::thread("Thread 1"),
            Lane::thread("Thread 2"),
            Lane {
                kind: LaneKind::Gil,
                name: "GIL".to_owned(),
            },
        ];
        Trace::new(meta, lanes, spans)
    }

    fn span(lane: u32, state: State, start_us: f64, end_us: f64) -> Span {
        Span {
            lane,
            state,
            start_us,
            end_us,
            task: Some(0),
            holder: None,
        }
    }

    #[test]
    fn counts_running_lanes_per_column_but_not_the_gil() {
        let t = trace(vec![
            span(0, State::Running, 0.0, 100.0),
            span(1, State::IoWait, 0.0, 50.0),
            span(1, State::Running, 50.0, 75.0),
            span(2, State::Running, 0.0, 100.0),
        ]);
        let scale = Scale {
            start_us: 0.0,
            end_us: 100.0,
            until_us: 100.0,
            width_px: 10.0,
        };
        let v = running_per_column(&t, &scale);
        assert_eq!(v.len(), 10);
        assert!((v[0] - 1.0).abs() < 1e-9);
        assert!((v[5] - 2.0).abs() < 1e-9);
        // Thread 2 runs for half of column 7.
        assert!((v[7] - 1.5).abs() < 1e-9);
        assert!((v[9] - 1.0).abs() < 1e-9);

        let replay = Scale {
            until_us: 55.0,
            ..scale
        };
        let v = running_per_column(&t, &replay);
        // Both threads run in the first half of column 5, then nothing.
        assert!((v[5] - 1.0).abs() < 1e-9);
        assert_eq!(v[6], 0.0);
        assert_eq!(count(2.0), "2");
        assert_eq!(count(1.96), "2");
        assert_eq!(count(1.5), "1.5");
    }
}

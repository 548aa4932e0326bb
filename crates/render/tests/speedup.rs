//! The speedup chart, read back from SVG.

#![expect(clippy::panic, reason = "a test fails by panicking")]

mod support;

use lanes_render::{SpeedupSeries, TimelineStyle, amdahl_speedup, draw_speedup};
use plotters::prelude::IntoDrawingArea;
use plotters_svg::SVGBackend;
use support::{count, has_text, texts};

fn chart(series: &[SpeedupSeries], style: &TimelineStyle) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (1280, 720)).into_drawing_area();
        draw_speedup(&area, series, style).unwrap_or_else(|e| panic!("cannot draw: {e}"));
    }
    svg
}

fn amdahl(label: &str, serial: f64) -> SpeedupSeries {
    SpeedupSeries {
        label: label.to_owned(),
        points: [1, 2, 4, 8]
            .into_iter()
            .map(|k| (k, amdahl_speedup(serial, f64::from(k))))
            .collect(),
    }
}

#[test]
fn series_ideal_line_and_fit_are_drawn_and_named() {
    let svg = chart(&[amdahl("Free threads", 0.07)], &TimelineStyle::default());
    assert!(has_text(&svg, "Speedup by number of workers"));
    assert!(has_text(&svg, "ideal (speedup = k)"));
    assert!(has_text(&svg, "Free threads"));
    assert!(
        has_text(&svg, "Amdahl fit: 7 % serial"),
        "{:?}",
        texts(&svg)
    );
    assert!(has_text(&svg, "workers (k)"));
    assert!(has_text(&svg, "speedup (×)"));
    // The last point is labelled: 1 / (0.07 + 0.93 / 8) = 5.4.
    assert!(has_text(&svg, "5.4×"));
    // Axes reach k = 8 and speedup 8, so the ideal line fits.
    assert!(has_text(&svg, "8"));
    // Four points, each a dot with an edge, and one in the legend.
    assert_eq!(count(&svg, "<circle"), 2 * (4 + 1));
    // Dashed lines are many short pieces: the ideal and the fit.
    assert!(count(&svg, "<polyline") > 20);
}

#[test]
fn several_series_each_get_a_fit() {
    let svg = chart(
        &[amdahl("Free threads", 0.05), amdahl("Processes", 0.25)],
        &TimelineStyle {
            dark: true,
            ..TimelineStyle::default()
        },
    );
    assert!(has_text(&svg, "Amdahl fit: 5 % serial"));
    assert!(has_text(&svg, "Amdahl fit: 25 % serial"));
    assert!(has_text(&svg, "Processes"));
}

#[test]
fn one_worker_count_has_no_fit_and_no_points_say_so() {
    let one = SpeedupSeries {
        label: "Sequential".to_owned(),
        points: vec![(1, 1.0)],
    };
    let svg = chart(&[one], &TimelineStyle::default());
    assert!(has_text(&svg, "Sequential"));
    assert!(!svg.contains("Amdahl fit"));

    let svg = chart(&[], &TimelineStyle::default());
    assert!(has_text(&svg, "No speedup measured yet"));
    let broken = SpeedupSeries {
        label: "broken".to_owned(),
        points: vec![(0, 1.0), (2, f64::NAN)],
    };
    let svg = chart(&[broken], &TimelineStyle::default());
    assert!(has_text(&svg, "No speedup measured yet"));
}

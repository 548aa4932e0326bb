//! The visible time window of the timeline: zoom around a point, pan, and
//! keep the window inside the run. Pure, so it is tested natively.

/// The narrowest window one can zoom to, in µs.
pub const MIN_WIDTH_US: f64 = 10.0;

/// A visible range of time, in µs since the runs started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// Left edge.
    pub from_us: f64,
    /// Right edge.
    pub to_us: f64,
}

impl Window {
    /// The whole run: 0 to `max_us`.
    pub fn full(max_us: f64) -> Self {
        Self {
            from_us: 0.0,
            to_us: max_us.max(MIN_WIDTH_US),
        }
    }

    /// Its width in µs.
    pub fn width(&self) -> f64 {
        self.to_us - self.from_us
    }

    /// Whether it shows the whole of `0..max_us`.
    pub fn is_full(&self, max_us: f64) -> bool {
        self.from_us <= 0.0 && self.to_us >= max_us
    }

    /// Zooms by `factor` (below 1 zooms in) keeping `anchor_us` where it is
    /// on screen, then keeps the window inside `0..max_us`.
    #[must_use]
    pub fn zoom(self, anchor_us: f64, factor: f64, max_us: f64) -> Self {
        let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
        let anchor = anchor_us.clamp(self.from_us, self.to_us);
        let share = if self.width() > 0.0 {
            (anchor - self.from_us) / self.width()
        } else {
            0.5
        };
        let width = (self.width() * factor).clamp(MIN_WIDTH_US, max_us.max(MIN_WIDTH_US));
        let from = anchor - share * width;
        Self {
            from_us: from,
            to_us: from + width,
        }
        .within(max_us)
    }

    /// Moves the window by `delta_us` (positive: later), inside `0..max_us`.
    #[must_use]
    pub fn pan(self, delta_us: f64, max_us: f64) -> Self {
        let delta = if delta_us.is_finite() { delta_us } else { 0.0 };
        Self {
            from_us: self.from_us + delta,
            to_us: self.to_us + delta,
        }
        .within(max_us)
    }

    /// Slides (and if needed shrinks) the window into `0..max_us`.
    fn within(self, max_us: f64) -> Self {
        let max = max_us.max(MIN_WIDTH_US);
        let width = self.width().clamp(MIN_WIDTH_US.min(max), max);
        let from = self.from_us.clamp(0.0, max - width);
        Self {
            from_us: from,
            to_us: from + width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn zooming_in_keeps_the_anchor_in_place() {
        let w = Window::full(1000.0).zoom(250.0, 0.5, 1000.0);
        assert_eq!(w, Window { from_us: 125.0, to_us: 625.0 });
        // The anchor stays at the same share of the width.
        assert!(((250.0 - w.from_us) / w.width() - 0.25).abs() < 1e-12);
    }

    #[test]
    fn zooming_out_stops_at_the_whole_run() {
        let w = Window::full(1000.0).zoom(500.0, 0.1, 1000.0).zoom(500.0, 100.0, 1000.0);
        assert_eq!(w, Window::full(1000.0));
        assert!(w.is_full(1000.0));
    }

    #[test]
    fn zooming_in_stops_at_the_narrowest_window() {
        let mut w = Window::full(1000.0);
        for _ in 0..50 {
            w = w.zoom(500.0, 0.5, 1000.0);
        }
        assert!((w.width() - MIN_WIDTH_US).abs() < 1e-9);
    }

    #[test]
    fn panning_stops_at_the_edges() {
        let w = Window { from_us: 100.0, to_us: 200.0 };
        assert_eq!(w.pan(-500.0, 1000.0), Window { from_us: 0.0, to_us: 100.0 });
        assert_eq!(w.pan(5000.0, 1000.0), Window { from_us: 900.0, to_us: 1000.0 });
        assert_eq!(w.pan(f64::NAN, 1000.0), w);
    }

    proptest! {
        #[test]
        fn windows_stay_inside_the_run(
            max in 10.0_f64..1e9,
            steps in prop::collection::vec((0.0_f64..1.0, 0.01_f64..10.0, -1e9_f64..1e9), 0..20),
        ) {
            let mut w = Window::full(max);
            for (anchor, factor, delta) in steps {
                w = w.zoom(anchor * max, factor, max).pan(delta, max);
                prop_assert!(w.from_us >= 0.0);
                prop_assert!(w.to_us <= max * (1.0 + 1e-12));
                prop_assert!(w.width() >= MIN_WIDTH_US * (1.0 - 1e-9));
            }
        }
    }
}

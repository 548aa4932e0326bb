//! The shared time axis: its range, unit and "nice" ticks, and how times
//! read.

/// The time axis shared by every run of one timeline.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TimeAxis {
    /// The time at the left end of the axis, in µs.
    pub start_us: f64,
    /// The time at the right end of the axis, in µs (always above `start_us`).
    pub end_us: f64,
    /// "time (s)", "time (ms)" or "time (µs)".
    pub title: &'static str,
    /// Tick positions in µs, with their labels, left to right.
    pub ticks: Vec<(f64, String)>,
}

impl TimeAxis {
    /// An axis from `start_us` to `end_us` with at most `max_ticks`
    /// intervals, ticks at round values in the unit that reads best.
    ///
    /// An empty or broken range becomes 0 to 1 ms so that empty runs still
    /// get an axis.
    pub fn new(start_us: f64, end_us: f64, max_ticks: usize) -> Self {
        let (start_us, end_us) = if start_us.is_finite() && end_us.is_finite() && end_us > start_us
        {
            (start_us, end_us)
        } else {
            (0.0, 1000.0)
        };
        let intervals = max_ticks.max(1) as f64;
        let step_us = nice_step((end_us - start_us) / intervals);
        let reach = start_us.abs().max(end_us.abs());
        let unit = Unit::for_axis(step_us, reach);
        let (start, end) = (start_us / unit.us, end_us / unit.us);
        let step = nice_step((end - start) / intervals);
        let decimals = decimals_for(step);
        let first = (start / step - 1e-9).ceil();
        let mut ticks = Vec::new();
        for i in 0_u32..=1000 {
            let value = (first + f64::from(i)) * step;
            if value > end + step * 1e-9 {
                break;
            }
            // No "-0" labels.
            let value = if value == 0.0 { 0.0 } else { value };
            ticks.push((value * unit.us, format!("{value:.decimals$}")));
        }
        Self {
            start_us,
            end_us,
            title: unit.title,
            ticks,
        }
    }

    /// The length of the axis in µs.
    pub fn span_us(&self) -> f64 {
        self.end_us - self.start_us
    }
}

/// The unit of an axis's labels.
#[derive(Clone, Copy, Debug)]
struct Unit {
    us: f64,
    title: &'static str,
}

impl Unit {
    const SECONDS: Self = Self {
        us: 1_000_000.0,
        title: "time (s)",
    };
    const MILLISECONDS: Self = Self {
        us: 1000.0,
        title: "time (ms)",
    };
    const MICROSECONDS: Self = Self {
        us: 1.0,
        title: "time (µs)",
    };

    /// Seconds for steps of a second, or of a tenth once the axis reaches a
    /// second; microseconds for steps under 10 µs or an axis within the
    /// first millisecond; milliseconds, the course's unit, otherwise. Labels
    /// then need at most two decimals, except below 10 µs.
    fn for_axis(step_us: f64, reach_us: f64) -> Self {
        if step_us >= 1_000_000.0 || (step_us >= 100_000.0 && reach_us >= 1_000_000.0) {
            Self::SECONDS
        } else if step_us >= 10.0 && reach_us >= 1000.0 {
            Self::MILLISECONDS
        } else {
            Self::MICROSECONDS
        }
    }
}

/// The smallest 1, 2 or 5 × 10ⁿ that is at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10_f64.powf(raw.log10().floor());
    let mantissa = raw / power;
    let nice = if mantissa <= 1.0 + 1e-9 {
        1.0
    } else if mantissa <= 2.0 + 1e-9 {
        2.0
    } else if mantissa <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// How many decimals tick labels need when ticks are `step` apart.
pub(crate) fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        // A step such as 0.05 needs two decimals; `step` is at least 1e-300.
        let d = (-step.log10() - 1e-9).ceil();
        if d.is_finite() && d > 0.0 {
            d as usize
        } else {
            0
        }
    }
}

/// A time or duration with the precision a tooltip wants: "37 µs",
/// "4.2 µs", "12.31 ms", "1.425 s".
pub(crate) fn format_precise(us: f64) -> String {
    let a = us.abs();
    if a >= 1_000_000.0 {
        format!("{:.3} s", us / 1_000_000.0)
    } else if a >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else if a >= 10.0 || a == 0.0 {
        format!("{us:.0} µs")
    } else {
        format!("{us:.1} µs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(axis: &TimeAxis) -> Vec<&str> {
        axis.ticks.iter().map(|(_, l)| l.as_str()).collect()
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(28.0), 50.0);
        assert_eq!(nice_step(60.0), 100.0);
        assert!((nice_step(0.03) - 0.05).abs() < 1e-12);
    }

    #[test]
    fn milliseconds_below_ten_seconds() {
        let axis = TimeAxis::new(0.0, 312_000.0, 8);
        assert_eq!(axis.title, "time (ms)");
        assert_eq!(
            labels(&axis),
            ["0", "50", "100", "150", "200", "250", "300"]
        );
        assert_eq!(axis.ticks[1].0, 50_000.0);
    }

    #[test]
    fn seconds_from_ten_seconds() {
        let axis = TimeAxis::new(0.0, 12_500_000.0, 7);
        assert_eq!(axis.title, "time (s)");
        assert_eq!(labels(&axis), ["0", "2", "4", "6", "8", "10", "12"]);
    }

    #[test]
    fn whole_seconds_read_in_seconds() {
        let axis = TimeAxis::new(0.0, 5_000_000.0, 5);
        assert_eq!(axis.title, "time (s)");
        assert_eq!(labels(&axis), ["0", "1", "2", "3", "4", "5"]);
        let axis = TimeAxis::new(0.0, 3_000_000.0, 6);
        assert_eq!(axis.title, "time (s)");
        assert_eq!(labels(&axis)[..3], ["0.0", "0.5", "1.0"]);
    }

    #[test]
    fn the_first_millisecond_reads_in_microseconds() {
        let axis = TimeAxis::new(0.0, 400.0, 4);
        assert_eq!(axis.title, "time (µs)");
        assert_eq!(labels(&axis), ["0", "100", "200", "300", "400"]);
        let axis = TimeAxis::new(0.0, 3.0, 6);
        assert_eq!(
            labels(&axis),
            ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]
        );
    }

    #[test]
    fn a_zoomed_window_gets_fractional_milliseconds() {
        // 300 µs of a run, 12.3 ms in.
        let axis = TimeAxis::new(12_300.0, 12_600.0, 6);
        assert_eq!(axis.title, "time (ms)");
        assert_eq!(
            labels(&axis),
            [
                "12.30", "12.35", "12.40", "12.45", "12.50", "12.55", "12.60"
            ]
        );
        assert!((axis.ticks[1].0 - 12_350.0).abs() < 1e-6);
        // Ticks start at the first round value inside the window.
        let axis = TimeAxis::new(12_310.0, 12_610.0, 6);
        assert_eq!(labels(&axis).first(), Some(&"12.35"));
        assert_eq!(labels(&axis).last(), Some(&"12.60"));
        // A few µs late in a long run: microseconds.
        let axis = TimeAxis::new(2_000_001.0, 2_000_009.0, 4);
        assert_eq!(axis.title, "time (µs)");
        assert_eq!(labels(&axis), ["2000002", "2000004", "2000006", "2000008"]);
        // Panning before the start is not an error.
        let axis = TimeAxis::new(-100.0, 200.0, 3);
        assert_eq!(labels(&axis), ["-100", "0", "100", "200"]);
    }

    #[test]
    fn empty_and_broken_ranges_get_an_axis() {
        let empty = TimeAxis::new(0.0, 0.0, 5);
        assert_eq!((empty.start_us, empty.end_us), (0.0, 1000.0));
        assert_eq!(labels(&empty).last(), Some(&"1.0"));
        assert!(TimeAxis::new(0.0, f64::NAN, 5).ticks.len() > 1);
        assert!(TimeAxis::new(5.0, 1.0, 5).ticks.len() > 1);
    }

    #[test]
    fn precise_times_read_well() {
        assert_eq!(format_precise(0.0), "0 µs");
        assert_eq!(format_precise(4.21), "4.2 µs");
        assert_eq!(format_precise(37.4), "37 µs");
        assert_eq!(format_precise(12_312.0), "12.31 ms");
        assert_eq!(format_precise(1_425_000.0), "1.425 s");
    }
}

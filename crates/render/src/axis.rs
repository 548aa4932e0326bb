//! The shared time axis: its unit, its "nice" ticks, and how times read.

/// Runs whose longest makespan reaches this many µs get an axis in seconds.
const SECONDS_FROM_US: f64 = 10_000_000.0;

/// The time axis shared by every run of one timeline.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TimeAxis {
    /// The time at the right end of the axis, in µs (always > 0).
    pub max_us: f64,
    /// "time (ms)" or "time (s)".
    pub title: &'static str,
    /// Tick positions in µs, with their labels, left to right.
    pub ticks: Vec<(f64, String)>,
}

impl TimeAxis {
    /// An axis from 0 to `max_us` with at most `max_ticks` intervals.
    ///
    /// An empty or broken range (`max_us` not above 0) becomes 0 to 1 ms so
    /// that empty runs still get an axis.
    pub fn new(max_us: f64, max_ticks: usize) -> Self {
        let max_us = if max_us.is_finite() && max_us > 0.0 {
            max_us
        } else {
            1000.0
        };
        let (unit_us, title) = if max_us >= SECONDS_FROM_US {
            (1_000_000.0, "time (s)")
        } else {
            (1000.0, "time (ms)")
        };
        let max = max_us / unit_us;
        let step = nice_step(max / max_ticks.max(1) as f64);
        let decimals = decimals_for(step);
        let mut ticks = Vec::new();
        for i in 0_u32.. {
            let value = f64::from(i) * step;
            if value > max * (1.0 + 1e-9) || ticks.len() > 1000 {
                break;
            }
            ticks.push((value * unit_us, format!("{value:.decimals$}")));
        }
        Self {
            max_us,
            title,
            ticks,
        }
    }
}

/// The smallest 1, 2 or 5 × 10ⁿ that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
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
fn decimals_for(step: f64) -> usize {
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

/// A duration for people: "0.42 ms", "42.7 ms", "312 ms", "1.42 s", "14.2 s".
pub(crate) fn format_duration(us: f64) -> String {
    let ms = us / 1000.0;
    if ms >= 999.5 {
        let s = ms / 1000.0;
        if s < 9.995 {
            format!("{s:.2} s")
        } else if s < 99.95 {
            format!("{s:.1} s")
        } else {
            format!("{s:.0} s")
        }
    } else if ms >= 99.95 {
        format!("{ms:.0} ms")
    } else if ms >= 9.995 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
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
        let axis = TimeAxis::new(312_000.0, 8);
        assert_eq!(axis.title, "time (ms)");
        assert_eq!(
            labels(&axis),
            ["0", "50", "100", "150", "200", "250", "300"]
        );
        assert_eq!(axis.ticks[1].0, 50_000.0);
    }

    #[test]
    fn seconds_from_ten_seconds() {
        let axis = TimeAxis::new(12_500_000.0, 7);
        assert_eq!(axis.title, "time (s)");
        assert_eq!(labels(&axis), ["0", "2", "4", "6", "8", "10", "12"]);
    }

    #[test]
    fn small_ranges_get_decimals_and_empty_ranges_an_axis() {
        let axis = TimeAxis::new(400.0, 4);
        assert_eq!(labels(&axis), ["0.0", "0.1", "0.2", "0.3", "0.4"]);
        let empty = TimeAxis::new(0.0, 5);
        assert_eq!(empty.max_us, 1000.0);
        assert_eq!(labels(&empty).last(), Some(&"1.0"));
        assert!(TimeAxis::new(f64::NAN, 5).ticks.len() > 1);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(format_duration(420.0), "0.42 ms");
        assert_eq!(format_duration(42_700.0), "42.7 ms");
        assert_eq!(format_duration(312_400.0), "312 ms");
        assert_eq!(format_duration(999_700.0), "1.00 s");
        assert_eq!(format_duration(1_420_000.0), "1.42 s");
        assert_eq!(format_duration(14_200_000.0), "14.2 s");
        assert_eq!(format_duration(142_000_000.0), "142 s");
    }
}

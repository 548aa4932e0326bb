//! Replaying a finished run: a playhead that moves at a chosen fraction of
//! real time and steps from one moment (a span edge or an event) to the next.

use lanes_trace::Trace;

/// How fast the playhead moves against real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Speed {
    /// As fast as the run went.
    #[default]
    Real,
    /// Ten times slower.
    Tenth,
    /// A hundred times slower: GIL hand-offs every 5 ms become visible.
    Hundredth,
}

impl Speed {
    /// Every speed, fastest first.
    pub const ALL: [Self; 3] = [Self::Real, Self::Tenth, Self::Hundredth];

    /// Run time per wall-clock time.
    pub fn factor(self) -> f64 {
        match self {
            Self::Real => 1.0,
            Self::Tenth => 0.1,
            Self::Hundredth => 0.01,
        }
    }

    /// Its label, e.g. "1/10×".
    pub fn label(self) -> &'static str {
        match self {
            Self::Real => "1×",
            Self::Tenth => "1/10×",
            Self::Hundredth => "1/100×",
        }
    }

    /// A stable name for form values.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Real => "1",
            Self::Tenth => "0.1",
            Self::Hundredth => "0.01",
        }
    }

    /// Parses [`Speed::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Every moment worth stopping at: span starts and ends and events, sorted,
/// without repeats.
pub fn moments<'a>(traces: impl IntoIterator<Item = &'a Trace>) -> Vec<f64> {
    let mut out: Vec<f64> = traces
        .into_iter()
        .flat_map(|t| {
            t.spans()
                .iter()
                .flat_map(|s| [s.start_us, s.end_us])
                .chain(t.events.iter().map(|e| e.at_us))
        })
        .filter(|t| t.is_finite())
        .collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// The first moment after `t`, if any.
pub fn next_moment(moments: &[f64], t: f64) -> Option<f64> {
    let i = moments.partition_point(|m| *m <= t);
    moments.get(i).copied()
}

/// The last moment before `t`, if any.
pub fn previous_moment(moments: &[f64], t: f64) -> Option<f64> {
    let i = moments.partition_point(|m| *m < t);
    i.checked_sub(1).and_then(|i| moments.get(i).copied())
}

/// Where the playhead is after `wall_ms` of real time at `speed`, from `t`.
pub fn advance(t_us: f64, wall_ms: f64, speed: Speed) -> f64 {
    t_us + wall_ms.max(0.0) * 1000.0 * speed.factor()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_visit_each_moment_once() {
        let m = vec![0.0, 10.0, 25.0];
        assert_eq!(next_moment(&m, -1.0), Some(0.0));
        assert_eq!(next_moment(&m, 0.0), Some(10.0));
        assert_eq!(next_moment(&m, 12.0), Some(25.0));
        assert_eq!(next_moment(&m, 25.0), None);
        assert_eq!(previous_moment(&m, 25.0), Some(10.0));
        assert_eq!(previous_moment(&m, 0.0), None);
    }

    #[test]
    fn a_hundredth_shows_five_milliseconds_in_half_a_second() {
        assert!((advance(0.0, 500.0, Speed::Hundredth) - 5000.0).abs() < 1e-9);
        assert!((advance(100.0, 16.0, Speed::Real) - 16_100.0).abs() < 1e-9);
        assert_eq!(advance(7.0, -3.0, Speed::Tenth), 7.0);
        for s in Speed::ALL {
            assert_eq!(Speed::parse(s.as_str()), Some(s));
        }
    }
}

//! Checks that a trace describes something that could have happened.

use crate::{LaneKind, Trace};

/// What is wrong with a trace, and where.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TraceError {
    /// A span's times are not finite numbers.
    #[error("span {index} has a time that is not a finite number")]
    NotFinite {
        /// Position of the span in the trace.
        index: usize,
    },
    /// A span ends before it starts.
    #[error("span {index} ends at {end_us} µs, before it starts at {start_us} µs")]
    EndsBeforeStart {
        /// Position of the span in the trace.
        index: usize,
        /// Its start.
        start_us: f64,
        /// Its end.
        end_us: f64,
    },
    /// A span names a lane the trace does not have.
    #[error("span {index} is on lane {lane}, but the trace has {lanes} lanes")]
    UnknownLane {
        /// Position of the span in the trace.
        index: usize,
        /// The lane it names.
        lane: u32,
        /// How many lanes there are.
        lanes: usize,
    },
    /// Two spans overlap on one thread or process lane.
    #[error("spans {first} and {second} overlap on lane {lane} ({name})")]
    Overlap {
        /// The lane.
        lane: u32,
        /// The lane's name.
        name: String,
        /// Position of the earlier span.
        first: usize,
        /// Position of the later span.
        second: usize,
    },
}

impl Trace {
    /// Checks every span: finite times, end not before start, a known lane, and
    /// no two spans overlapping on a thread or process lane (one thread does
    /// one thing at a time).
    pub fn validate(&self) -> Result<(), TraceError> {
        for (index, s) in self.spans.iter().enumerate() {
            if !s.start_us.is_finite() || !s.end_us.is_finite() {
                return Err(TraceError::NotFinite { index });
            }
            if s.end_us < s.start_us {
                return Err(TraceError::EndsBeforeStart {
                    index,
                    start_us: s.start_us,
                    end_us: s.end_us,
                });
            }
            if s.lane as usize >= self.lanes.len() {
                return Err(TraceError::UnknownLane {
                    index,
                    lane: s.lane,
                    lanes: self.lanes.len(),
                });
            }
        }
        // Spans are sorted by lane then start, so neighbours are enough.
        for (i, pair) in self.spans.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            let lane = &self.lanes[a.lane as usize];
            let exclusive = matches!(lane.kind, LaneKind::Thread | LaneKind::Process);
            if exclusive && a.lane == b.lane && b.start_us < a.end_us {
                return Err(TraceError::Overlap {
                    lane: a.lane,
                    name: lane.name.clone(),
                    first: i,
                    second: i + 1,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::TraceError;
    use crate::model::tests::trace_of;

    #[test]
    fn accepts_a_sound_trace() {
        assert_eq!(
            trace_of(2, &[(0, 0.0, 1.0), (0, 1.0, 2.0), (1, 0.5, 3.0)]).validate(),
            Ok(())
        );
    }

    #[test]
    fn names_each_fault() {
        assert!(matches!(
            trace_of(1, &[(0, 5.0, 1.0)]).validate(),
            Err(TraceError::EndsBeforeStart { index: 0, .. })
        ));
        assert!(matches!(
            trace_of(1, &[(3, 0.0, 1.0)]).validate(),
            Err(TraceError::UnknownLane {
                lane: 3,
                lanes: 1,
                ..
            })
        ));
        assert!(matches!(
            trace_of(1, &[(0, 0.0, 2.0), (0, 1.0, 3.0)]).validate(),
            Err(TraceError::Overlap { lane: 0, .. })
        ));
        assert!(matches!(
            trace_of(1, &[(0, f64::NAN, 1.0)]).validate(),
            Err(TraceError::NotFinite { index: 0 })
        ));
        let msg = trace_of(1, &[(0, 0.0, 2.0), (0, 1.0, 3.0)])
            .validate()
            .map_err(|e| e.to_string());
        assert_eq!(
            msg,
            Err("spans 0 and 1 overlap on lane 0 (Thread 1)".to_owned())
        );
    }
}

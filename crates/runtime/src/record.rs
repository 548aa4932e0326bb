//! One lane's spans, stamped with the run's clock as the work happens.

use lanes_model::Stamps;
use lanes_trace::{Span, State};

use crate::Clock;

/// Records the spans of one lane: µs since `origin_us` on the run's clock,
/// never going back in time, one after another.
pub(crate) struct Recorder<'c> {
    clock: &'c dyn Clock,
    time: Stamps,
    lane: u32,
    spans: Vec<Span>,
}

impl<'c> Recorder<'c> {
    /// An empty lane `lane` whose times count from `origin_us` on `clock`.
    pub(crate) fn new(clock: &'c dyn Clock, origin_us: f64, lane: u32) -> Self {
        Self {
            clock,
            time: Stamps::new(origin_us),
            lane,
            spans: Vec::new(),
        }
    }

    /// Now on the run's axis, never before the last stamp.
    pub(crate) fn now_us(&mut self) -> f64 {
        self.time.stamp(self.clock.now_us())
    }

    /// Runs `f`, recorded as one span in `state` for item `task`.
    pub(crate) fn record<R>(
        &mut self,
        state: State,
        task: Option<u32>,
        f: impl FnOnce() -> R,
    ) -> R {
        let start_us = self.now_us();
        let out = f();
        let end_us = self.now_us();
        self.push(state, task, start_us, end_us);
        out
    }

    /// Adds a span that was timed elsewhere on the same axis.
    pub(crate) fn push(&mut self, state: State, task: Option<u32>, start_us: f64, end_us: f64) {
        self.spans.push(Span {
            lane: self.lane,
            state,
            start_us,
            end_us,
            task,
            holder: None,
        });
    }

    /// The lane's spans, in time order.
    pub(crate) fn finish(self) -> Vec<Span> {
        self.spans
    }
}

impl std::fmt::Debug for Recorder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("lane", &self.lane)
            .field("spans", &self.spans.len())
            .finish_non_exhaustive()
    }
}

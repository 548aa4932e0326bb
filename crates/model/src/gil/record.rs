//! What the drivers of the policy record for each thread, made in one
//! place: the thread's spans, and a time axis that never goes back.

use lanes_trace::{Span, State};

/// One thread's spans under the GIL: running while it holds the lock
/// (split at each work item and ended by each drop), waiting for the GIL,
/// I/O wait. Each is on the thread's lane, of its current work item, and
/// none lasts no time. The live lock, the solo scheduler and the simulator
/// make every thread span here and keep them their own way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreadSpans {
    lane: u32,
    task: Option<u32>,
    /// Start of the open running span, while the thread holds the lock.
    running_since_us: f64,
}

impl ThreadSpans {
    /// A thread on lane `lane`, with no work item yet.
    pub fn new(lane: u32) -> Self {
        Self {
            lane,
            task: None,
            running_since_us: 0.0,
        }
    }

    /// The thread's lane.
    pub fn lane(&self) -> u32 {
        self.lane
    }

    /// The following spans belong to work item `task`.
    pub fn set_task(&mut self, task: Option<u32>) {
        self.task = task;
    }

    /// A span of the current item, unless it lasts no time.
    pub fn span(&self, state: State, start_us: f64, end_us: f64) -> Option<Span> {
        (end_us > start_us).then_some(Span {
            lane: self.lane,
            state,
            start_us,
            end_us,
            task: self.task,
            holder: None,
        })
    }

    /// The thread runs from `at_us` (it took the lock).
    pub fn run_from(&mut self, at_us: f64) {
        self.running_since_us = at_us;
    }

    /// When the open running span started.
    pub fn running_since_us(&self) -> f64 {
        self.running_since_us
    }

    /// The open running span, ended at `end_us` (a drop, or the next work
    /// item starts); the next one starts there.
    pub fn close_running(&mut self, end_us: f64) -> Option<Span> {
        let span = self.span(State::Running, self.running_since_us, end_us);
        self.running_since_us = end_us;
        span
    }
}

/// A run's time axis as one thread (or one scheduler) reads it: a clock's
/// readings in µs since the run's origin, never before the last one, so
/// that what it records never goes back, nor before the origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stamps {
    origin_us: f64,
    last_us: f64,
}

impl Stamps {
    /// The axis of a run that started at the clock's reading `origin_us`.
    pub fn new(origin_us: f64) -> Self {
        Self {
            origin_us,
            last_us: 0.0,
        }
    }

    /// The clock's reading `clock_us` on the run's axis.
    pub fn stamp(&mut self, clock_us: f64) -> f64 {
        self.last_us = (clock_us - self.origin_us).max(self.last_us);
        self.last_us
    }

    /// Moves on to `us` if it is later: a time the policy gave (a take is
    /// never before the last drop).
    pub fn reach(&mut self, us: f64) {
        self.last_us = self.last_us.max(us);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_spans_split_at_items_and_empty_spans_are_none() {
        let mut t = ThreadSpans::new(2);
        t.set_task(Some(7));
        t.run_from(1.0);
        let first = t.close_running(3.0);
        assert_eq!(
            first.map(|s| (s.lane, s.task, s.start_us)),
            Some((2, Some(7), 1.0))
        );
        t.set_task(Some(8));
        assert_eq!(t.close_running(3.0), None);
        assert_eq!(
            t.span(State::IoWait, 3.0, 5.0).map(|s| s.task),
            Some(Some(8))
        );
    }

    #[test]
    fn stamps_never_go_back_nor_before_the_origin() {
        let mut axis = Stamps::new(100.0);
        assert_eq!(axis.stamp(99.0), 0.0);
        assert_eq!(axis.stamp(110.0), 10.0);
        assert_eq!(axis.stamp(105.0), 10.0);
        axis.reach(12.0);
        assert_eq!(axis.stamp(111.0), 12.0);
    }
}

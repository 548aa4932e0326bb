//! Call stacks: the nested function calls of a traced program, kept beside
//! a trace's state spans.
//!
//! A lane's [`Span`](crate::Span)s say what the thread was doing (running,
//! waiting for the GIL, blocked on I/O) and never overlap. Its calls say
//! which function it was in, and nest: depth 0 is the outermost call, depth
//! 1 a call made inside it, and so on. The calls of one lane at one depth
//! never overlap, so each `(lane, depth)` row is drawn, searched and
//! thinned like a lane.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One function call on one lane. Times are µs since the run started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Call {
    /// Index into [`Trace::lanes`](crate::Trace::lanes).
    pub lane: u32,
    /// 0 for the outermost call of the lane's stack.
    pub depth: u16,
    /// When the call began.
    pub start_us: f64,
    /// When it returned.
    pub end_us: f64,
    /// Index into [`Calls::names`].
    pub name: u32,
}

impl Call {
    /// The call's length in µs.
    pub fn duration_us(&self) -> f64 {
        self.end_us - self.start_us
    }
}

/// The order of [`Calls`]: by lane, then depth, then start, then end.
pub(crate) fn call_order(a: &Call, b: &Call) -> Ordering {
    a.lane
        .cmp(&b.lane)
        .then(a.depth.cmp(&b.depth))
        .then(a.start_us.total_cmp(&b.start_us))
        .then(a.end_us.total_cmp(&b.end_us))
}

/// Every call of a trace, sorted by lane, depth and start, with their
/// names stored once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calls {
    /// Sorted by [`call_order`]; only the constructor sets them.
    calls: Vec<Call>,
    /// The distinct names, indexed by [`Call::name`].
    names: Vec<String>,
}

impl Calls {
    /// Builds the table from calls in any order and the names they index.
    pub fn new(mut calls: Vec<Call>, names: Vec<String>) -> Self {
        calls.sort_by(call_order);
        Self { calls, names }
    }

    /// The table from calls already in [`call_order`], unchecked:
    /// [`Trace::validate`](crate::Trace::validate) checks the order.
    pub(crate) fn from_sorted(calls: Vec<Call>, names: Vec<String>) -> Self {
        Self { calls, names }
    }

    /// Every call, sorted by lane, depth, then start.
    pub fn all(&self) -> &[Call] {
        &self.calls
    }

    /// The distinct names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The name of `call` ("" if its index is out of range, which
    /// validation refuses).
    pub fn name(&self, call: &Call) -> &str {
        self.names
            .get(call.name as usize)
            .map_or("", String::as_str)
    }

    /// How many calls there are.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The index in [`Calls::all`] of `call`, one of its entries (`None`
    /// for a call it does not hold).
    pub fn index_of(&self, call: &Call) -> Option<usize> {
        let at = self.calls.partition_point(|c| call_order(c, call).is_lt());
        (self.calls.get(at) == Some(call)).then_some(at)
    }

    /// The calls of one lane, sorted by depth then start.
    pub fn of_lane(&self, lane: u32) -> &[Call] {
        crate::model::of_lane(&self.calls, lane, |c| c.lane)
    }

    /// How many depth rows `lane` has (0 when it has no calls).
    pub fn depth_of(&self, lane: u32) -> u16 {
        self.of_lane(lane)
            .last()
            .map_or(0, |c| c.depth.saturating_add(1))
    }

    /// The calls of one lane at one depth: sorted by start, never
    /// overlapping.
    pub fn row(&self, lane: u32, depth: u16) -> &[Call] {
        let of_lane = self.of_lane(lane);
        let from = of_lane.partition_point(|c| c.depth < depth);
        let to = of_lane.partition_point(|c| c.depth <= depth);
        &of_lane[from..to]
    }

    /// The stack of `lane` at time `at_us`, outermost first: at each depth,
    /// the call that covers the time, until a depth has none.
    pub fn stack_at(&self, lane: u32, at_us: f64) -> Vec<&Call> {
        let mut stack = Vec::new();
        for depth in 0..self.depth_of(lane) {
            let row = self.row(lane, depth);
            let after = row.partition_point(|c| c.start_us <= at_us);
            match after.checked_sub(1).and_then(|i| row.get(i)) {
                Some(c) if c.end_us >= at_us => stack.push(c),
                _ => break,
            }
        }
        stack
    }
}

/// How a trace knows who held the GIL, when it is not Lanes' own run
/// (whose GIL lane is the lock itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GilEvidence {
    /// Measured by `lanes_record.py` from each thread's CPU clock: time
    /// off the CPU outside a blocking call is time waiting for the GIL.
    Measured,
    /// Inferred by Lanes from a trace of calls: a Python-level event fires
    /// only while its thread holds the GIL.
    Inferred,
    /// Read from GIL events the tracer recorded itself (per4m's `GIL`
    /// spans and `take`/`drop` instants).
    Traced,
}

impl GilEvidence {
    /// The name used in exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Measured => "measured",
            Self::Inferred => "inferred",
            Self::Traced => "traced",
        }
    }

    /// How the page says it, e.g. in the legend: "GIL inferred from the
    /// calls".
    pub fn label(self) -> &'static str {
        match self {
            Self::Measured => "measured from CPU clocks",
            Self::Inferred => "inferred from the calls",
            Self::Traced => "traced by per4m",
        }
    }
}

impl GilEvidence {
    /// Why the GIL lane can be read so, in a sentence's second half.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Measured => {
                "time a thread spent off the CPU outside a blocking call, while another thread of \
                 its process ran, was time waiting for the GIL"
            }
            Self::Inferred => {
                "a Python-level event fires only while its thread holds the GIL, so between two \
                 events of one thread it held it, and a running thread that did not was waiting"
            }
            Self::Traced => "the tracer recorded each take and drop of the GIL itself",
        }
    }
}

impl fmt::Display for GilEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(lane: u32, depth: u16, start_us: f64, end_us: f64) -> Call {
        Call {
            lane,
            depth,
            start_us,
            end_us,
            name: u32::from(depth),
        }
    }

    #[test]
    fn a_stack_is_read_depth_by_depth() {
        let calls = Calls::new(
            vec![
                call(0, 1, 2.0, 4.0),
                call(0, 0, 0.0, 10.0),
                call(0, 2, 3.0, 3.5),
                call(0, 1, 5.0, 9.0),
                call(1, 0, 0.0, 1.0),
            ],
            vec!["main".into(), "work".into(), "sleep".into()],
        );
        assert_eq!(calls.depth_of(0), 3);
        assert_eq!(calls.depth_of(1), 1);
        assert_eq!(calls.depth_of(2), 0);
        assert_eq!(calls.row(0, 1).len(), 2);
        let names = |at| -> Vec<&str> {
            calls
                .stack_at(0, at)
                .into_iter()
                .map(|c| calls.name(c))
                .collect()
        };
        assert_eq!(names(3.2), ["main", "work", "sleep"]);
        assert_eq!(names(4.5), ["main"]);
        assert_eq!(names(6.0), ["main", "work"]);
        assert!(names(11.0).is_empty());
        for (i, c) in calls.all().iter().enumerate() {
            assert_eq!(calls.index_of(c), Some(i));
        }
        assert_eq!(calls.index_of(&call(0, 1, 2.5, 4.0)), None);
    }
}

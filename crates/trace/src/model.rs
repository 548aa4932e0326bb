//! The types of a trace: what ran where, when, in which state.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How the work of a run was scheduled: the course's execution models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// One thread runs every task, one after another.
    Sequential,
    /// k threads share one memory and run with no global lock.
    Free,
}

impl Model {
    /// Every model, in the order the course introduces them.
    pub const ALL: [Self; 2] = [Self::Sequential, Self::Free];

    /// The name used in URLs and exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sequential => "sequential",
            Self::Free => "free",
        }
    }

    /// A short human title, for legends and headings.
    pub fn title(self) -> &'static str {
        match self {
            Self::Sequential => "Sequential",
            Self::Free => "Free threads",
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Model {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// The code a run executes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// Count the primes below `size` by trial division (CPU-bound).
    Primes,
}

impl Workload {
    /// Every workload.
    pub const ALL: [Self; 1] = [Self::Primes];

    /// The name used in URLs and exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primes => "primes",
        }
    }

    /// A short human title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Primes => "count primes",
        }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Workload {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|w| w.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A name that matches no known model or workload.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown name {0:?}")]
pub struct UnknownName(pub String);

/// Whether a run was measured or computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Measured on this machine in real time.
    Live,
    /// Computed by the simulator from a cost model.
    Simulated,
}

impl Mode {
    /// The name used in exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Simulated => "simulated",
        }
    }
}

/// What a lane stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LaneKind {
    /// A thread of one process.
    Thread,
    /// A separate process with its own memory.
    Process,
    /// The global interpreter lock: who holds it, when.
    Gil,
    /// The page's main (UI) thread.
    Ui,
}

/// One row of the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    /// What the lane stands for.
    pub kind: LaneKind,
    /// Its label, e.g. "Thread 1".
    pub name: String,
}

impl Lane {
    /// A thread lane with the given label.
    pub fn thread(name: impl Into<String>) -> Self {
        Self {
            kind: LaneKind::Thread,
            name: name.into(),
        }
    }
}

/// What a lane was doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Computing.
    Running,
    /// Ready to compute but waiting for the global lock.
    GilWait,
    /// Blocked on (simulated) input or output.
    IoWait,
    /// A process starting up.
    Startup,
    /// Inputs being copied into a process.
    CopyIn,
    /// Results being copied out of a process.
    CopyOut,
    /// Nothing to do.
    Idle,
    /// An event-loop task awaiting.
    Awaiting,
}

impl State {
    /// Every state, in legend order.
    pub const ALL: [Self; 8] = [
        Self::Running,
        Self::GilWait,
        Self::IoWait,
        Self::Startup,
        Self::CopyIn,
        Self::CopyOut,
        Self::Idle,
        Self::Awaiting,
    ];

    /// The name used as the slice name in Chrome traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::GilWait => "gil_wait",
            Self::IoWait => "io_wait",
            Self::Startup => "startup",
            Self::CopyIn => "copy_in",
            Self::CopyOut => "copy_out",
            Self::Idle => "idle",
            Self::Awaiting => "awaiting",
        }
    }

    /// A human label for legends.
    pub fn label(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::GilWait => "waiting for the GIL",
            Self::IoWait => "I/O wait",
            Self::Startup => "start-up",
            Self::CopyIn => "copy in",
            Self::CopyOut => "copy out",
            Self::Idle => "idle",
            Self::Awaiting => "awaiting",
        }
    }
}

/// One interval on one lane. Times are microseconds since the run started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Index into [`Trace::lanes`].
    pub lane: u32,
    /// What the lane was doing.
    pub state: State,
    /// Start, in µs since the run started.
    pub start_us: f64,
    /// End, in µs since the run started.
    pub end_us: f64,
    /// The work item this span belongs to, if any.
    pub task: Option<u32>,
}

impl Span {
    /// The span's length in µs.
    pub fn duration_us(&self) -> f64 {
        self.end_us - self.start_us
    }
}

/// What to run: everything a user picks before pressing Run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scenario {
    /// The execution model.
    pub model: Model,
    /// The code that runs.
    pub workload: Workload,
    /// The number of threads or processes (1 for sequential).
    pub k: u32,
    /// The workload's size parameter (for primes: the upper bound).
    pub size: u64,
    /// How many work items the workload is cut into.
    pub tasks: u32,
}

/// What a run was and where it ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// What ran.
    #[serde(flatten)]
    pub scenario: Scenario,
    /// Measured or simulated.
    pub mode: Mode,
    /// Logical cores of the machine (`navigator.hardwareConcurrency`).
    pub cores: u32,
    /// Whether the page had shared memory (`crossOriginIsolated`).
    pub cross_origin_isolated: bool,
    /// Where it ran: a user agent, or "native".
    pub environment: String,
    /// The workload's answer (for primes: how many were found).
    pub result: u64,
}

/// Something that happened at one instant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The GIL passed from one thread lane to another (`from` is `None` when
    /// nobody held it before).
    Handoff {
        /// The lane that dropped the lock.
        from: Option<u32>,
        /// The lane that took it.
        to: u32,
    },
    /// The holder was asked to drop the GIL because the switch interval
    /// passed while another thread waited.
    ForcedSwitch {
        /// The lane that was asked.
        lane: u32,
    },
    /// A message left one lane for another (e.g. postMessage to a process).
    Send {
        /// Sender lane.
        from: u32,
        /// Receiver lane.
        to: u32,
        /// Payload size.
        bytes: u64,
        /// Pairs a send with its receive.
        id: u64,
    },
    /// A message arrived.
    Receive {
        /// Sender lane.
        from: u32,
        /// Receiver lane.
        to: u32,
        /// Payload size.
        bytes: u64,
        /// Pairs a receive with its send.
        id: u64,
    },
    /// Any other named instant, e.g. from an imported trace.
    Instant {
        /// The lane it happened on, if any.
        lane: Option<u32>,
        /// Its name.
        name: String,
    },
}

/// An instant event. Times are microseconds since the run started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// When it happened.
    pub at_us: f64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Everything one run produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// What ran.
    pub meta: Meta,
    /// The rows of the timeline.
    pub lanes: Vec<Lane>,
    /// The intervals, sorted by lane then start.
    pub spans: Vec<Span>,
    /// The instants, sorted by time.
    #[serde(default)]
    pub events: Vec<Event>,
}

impl Trace {
    /// Builds a trace, sorting its spans by lane then start time.
    pub fn new(meta: Meta, lanes: Vec<Lane>, mut spans: Vec<Span>) -> Self {
        spans.sort_by(|a, b| {
            a.lane
                .cmp(&b.lane)
                .then(a.start_us.total_cmp(&b.start_us))
                .then(a.end_us.total_cmp(&b.end_us))
        });
        Self {
            meta,
            lanes,
            spans,
            events: Vec::new(),
        }
    }

    /// The same trace with `events`, sorted by time.
    #[must_use]
    pub fn with_events(mut self, mut events: Vec<Event>) -> Self {
        events.sort_by(|a, b| a.at_us.total_cmp(&b.at_us));
        self.events = events;
        self
    }

    /// The spans of one lane, in start order.
    pub fn lane_spans(&self, lane: u32) -> &[Span] {
        let from = self.spans.partition_point(|s| s.lane < lane);
        let to = self.spans.partition_point(|s| s.lane <= lane);
        &self.spans[from..to]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn meta() -> Meta {
        Meta {
            scenario: Scenario {
                model: Model::Free,
                workload: Workload::Primes,
                k: 2,
                size: 1000,
                tasks: 16,
            },
            mode: Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "native".to_owned(),
            result: 168,
        }
    }

    /// A trace of `lanes` thread lanes with running spans `(lane, start, end)`.
    pub(crate) fn trace_of(lanes: u32, spans: &[(u32, f64, f64)]) -> Trace {
        let lanes = (1..=lanes)
            .map(|i| Lane::thread(format!("Thread {i}")))
            .collect();
        let spans = spans
            .iter()
            .enumerate()
            .map(|(task, &(lane, start_us, end_us))| Span {
                lane,
                state: State::Running,
                start_us,
                end_us,
                task: u32::try_from(task).ok(),
            })
            .collect();
        Trace::new(meta(), lanes, spans)
    }

    #[test]
    fn names_round_trip() {
        for m in Model::ALL {
            assert_eq!(m.as_str().parse::<Model>(), Ok(m));
        }
        for w in Workload::ALL {
            assert_eq!(w.as_str().parse::<Workload>(), Ok(w));
        }
        assert!("nonsense".parse::<Model>().is_err());
    }

    #[test]
    fn spans_are_sorted_and_sliced_by_lane() {
        let t = trace_of(3, &[(2, 0.0, 1.0), (0, 5.0, 6.0), (0, 1.0, 2.0)]);
        assert_eq!(t.lane_spans(0).len(), 2);
        assert_eq!(t.lane_spans(0)[0].start_us, 1.0);
        assert_eq!(t.lane_spans(1).len(), 0);
        assert_eq!(t.lane_spans(2).len(), 1);
    }
}

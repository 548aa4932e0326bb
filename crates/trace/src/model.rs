//! The types of a trace: what ran where, when, in which state.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Audio, Calls, GilEvidence};

/// How the work of a run was scheduled: the course's execution models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// One thread runs every task, one after another.
    Sequential,
    /// k threads share one memory, and only the holder of one global lock
    /// (CPython's GIL) may compute.
    Gil,
    /// k threads share one memory and run with no global lock.
    Free,
    /// k processes, each with its own memory, inputs copied in and results
    /// copied out.
    Processes,
    /// One thread runs an event loop over k coroutines (`asyncio`).
    Asyncio,
}

impl Model {
    /// Every model, in the order the course introduces them.
    pub const ALL: [Self; 5] = [
        Self::Sequential,
        Self::Gil,
        Self::Free,
        Self::Processes,
        Self::Asyncio,
    ];

    /// The name used in URLs and exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sequential => "sequential",
            Self::Gil => "gil",
            Self::Free => "free",
            Self::Processes => "processes",
            Self::Asyncio => "asyncio",
        }
    }

    /// A short human title, for legends and headings.
    pub fn title(self) -> &'static str {
        match self {
            Self::Sequential => "Sequential",
            Self::Gil => "Threads + GIL",
            Self::Free => "Free threads",
            Self::Processes => "Processes",
            Self::Asyncio => "Event loop",
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
///
/// What [`Scenario::size`] means depends on the workload; see each variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workload {
    /// Count the primes below `size` by trial division (CPU-bound).
    Primes,
    /// Rows of a Mandelbrot image (CPU-bound).
    Mandelbrot,
    /// Features of synthesized audio clips: a short-time Fourier transform
    /// and more (CPU-bound, the course's "data preprocessing").
    Audio,
    /// Simulated network requests: each task waits [`Scenario::latency_us`],
    /// then parses its "response" by counting the primes in its share of
    /// the numbers below `size` (I/O-bound when `size` is small).
    Io,
    /// One CPU-bound thread (primes below `size`, in `tasks` items) beside
    /// one I/O-bound thread (`tasks` waits of [`Scenario::latency_us`], each
    /// followed by a little computing), two threads whatever k: the convoy
    /// effect.
    Mixed,
    /// Threads adding 1 to one shared counter `size` times in all, with no
    /// lock: updates are lost.
    Counter,
    /// The same, each update under a lock: none is lost, but they serialise.
    CounterLocked,
    /// The page's main thread drawing frames while work runs.
    Ui,
    /// A sound played live: a producer computes it in blocks of `size`
    /// frames (the buffer size, 128 to 4096) into a ring buffer that an
    /// audio callback plays from, beside `k` CPU-bound neighbours; `tasks`
    /// is the melody's length in notes (half a second each). See
    /// [`crate::Audio`].
    Playback,
}

impl Workload {
    /// Every workload.
    pub const ALL: [Self; 9] = [
        Self::Primes,
        Self::Mandelbrot,
        Self::Audio,
        Self::Io,
        Self::Mixed,
        Self::Counter,
        Self::CounterLocked,
        Self::Ui,
        Self::Playback,
    ];

    /// The name used in URLs and exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primes => "primes",
            Self::Mandelbrot => "mandelbrot",
            Self::Audio => "audio",
            Self::Io => "io",
            Self::Mixed => "mixed",
            Self::Counter => "counter",
            Self::CounterLocked => "counter-locked",
            Self::Ui => "ui",
            Self::Playback => "playback",
        }
    }

    /// A short human title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Primes => "count primes",
            Self::Mandelbrot => "Mandelbrot rows",
            Self::Audio => "audio features",
            Self::Io => "network requests",
            Self::Mixed => "CPU beside I/O",
            Self::Counter => "shared counter",
            Self::CounterLocked => "shared counter with a lock",
            Self::Ui => "UI responsiveness",
            Self::Playback => "audio playback",
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

/// A name that matches no known model, workload, state or lane kind.
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
    /// Measured in CPython by `lanes_record.py`, running the same scenario
    /// as Lanes' own runs (the tour's "the same in real Python").
    Recorded,
}

impl Mode {
    /// The name used in exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Simulated => "simulated",
            Self::Recorded => "recorded",
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

impl LaneKind {
    /// Every kind of lane.
    pub const ALL: [Self; 4] = [Self::Thread, Self::Process, Self::Gil, Self::Ui];

    /// The name used in exported traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Thread => "thread",
            Self::Process => "process",
            Self::Gil => "gil",
            Self::Ui => "ui",
        }
    }
}

impl FromStr for LaneKind {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// One row of the timeline.
#[derive(Clone, Debug, PartialEq)]
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
    /// Blocked on a lock, an event, a condition, a queue or a join: waiting
    /// for another thread, not for the GIL.
    LockWait,
}

impl State {
    /// Every state, in legend order.
    pub const ALL: [Self; 9] = [
        Self::Running,
        Self::GilWait,
        Self::IoWait,
        Self::Startup,
        Self::CopyIn,
        Self::CopyOut,
        Self::Idle,
        Self::Awaiting,
        Self::LockWait,
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
            Self::LockWait => "lock_wait",
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
            Self::LockWait => "waiting for a lock",
        }
    }
}

impl FromStr for State {
    type Err = UnknownName;

    /// Reads a state from its [`State::as_str`] name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
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
    /// The work item this span belongs to, if any; never on a GIL lane.
    pub task: Option<u32>,
    /// On a GIL lane only: the thread lane that held the lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<u32>,
}

impl Span {
    /// The span's length in µs.
    pub fn duration_us(&self) -> f64 {
        self.end_us - self.start_us
    }
}

/// One thread's holding of the GIL, from its take to its drop: Lanes' own
/// GIL (live, solo, simulated) and one read from a Python program's trace
/// (measured, inferred or traced) alike.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Holding {
    /// The holder's lane.
    pub holder: u32,
    /// When it took the lock.
    pub start_us: f64,
    /// When it dropped it.
    pub end_us: f64,
}

/// The GIL lane's span for one holding, on lane `gil_lane` (`None` if it
/// lasted no time), naming its holder.
pub fn gil_lane_span(gil_lane: u32, holding: &Holding) -> Option<Span> {
    (holding.end_us > holding.start_us).then_some(Span {
        lane: gil_lane,
        state: State::Running,
        start_us: holding.start_us,
        end_us: holding.end_us,
        task: None,
        holder: Some(holding.holder),
    })
}

/// What to run: everything a user picks before pressing Run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scenario {
    /// The execution model.
    pub model: Model,
    /// The code that runs.
    pub workload: Workload,
    /// The number of threads, processes or event-loop tasks (1 for
    /// sequential).
    pub k: u32,
    /// The workload's size parameter (for primes: the upper bound; see
    /// [`Workload`] for the others).
    pub size: u64,
    /// How many work items the workload is cut into.
    pub tasks: u32,
    /// The GIL's switch interval in µs (Python's `sys.setswitchinterval`;
    /// the runtime takes 100 to 100 000). Traces written before it existed
    /// read as the default.
    #[serde(default = "Scenario::default_interval_us")]
    pub interval_us: u32,
    /// How long each simulated I/O request waits, in µs. Traces written
    /// before it existed read as the default.
    #[serde(default = "Scenario::default_latency_us")]
    pub latency_us: u32,
}

impl Scenario {
    /// CPython's default switch interval: 5 ms.
    pub const DEFAULT_INTERVAL_US: u32 = 5_000;
    /// The default latency of one I/O request: 20 ms.
    pub const DEFAULT_LATENCY_US: u32 = 20_000;

    /// A scenario with the default switch interval and I/O latency.
    pub fn new(model: Model, workload: Workload, k: u32, size: u64, tasks: u32) -> Self {
        Self {
            model,
            workload,
            k,
            size,
            tasks,
            interval_us: Self::DEFAULT_INTERVAL_US,
            latency_us: Self::DEFAULT_LATENCY_US,
        }
    }

    fn default_interval_us() -> u32 {
        Self::DEFAULT_INTERVAL_US
    }

    fn default_latency_us() -> u32 {
        Self::DEFAULT_LATENCY_US
    }
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
    /// The workload's answer (for primes: how many were found), when the run
    /// computed it; a simulated run computes only the counters'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<u64>,
    /// The simulator's seed, for a simulated run (absent in live runs and in
    /// traces written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// Something that happened at one instant.
#[derive(Clone, Debug, PartialEq)]
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

impl EventKind {
    /// The lanes it names: none, one or two.
    pub fn lanes(&self) -> impl Iterator<Item = u32> {
        let named = match self {
            Self::Handoff { from, to } => [*from, Some(*to)],
            Self::ForcedSwitch { lane } => [Some(*lane), None],
            Self::Send { from, to, .. } | Self::Receive { from, to, .. } => {
                [Some(*from), Some(*to)]
            }
            Self::Instant { lane, .. } => [*lane, None],
        };
        named.into_iter().flatten()
    }

    /// A message leaving (`send`) or arriving at (`!send`) a lane.
    pub fn message(send: bool, from: u32, to: u32, bytes: u64, id: u64) -> Self {
        if send {
            Self::Send {
                from,
                to,
                bytes,
                id,
            }
        } else {
            Self::Receive {
                from,
                to,
                bytes,
                id,
            }
        }
    }
}

/// An instant event. Times are microseconds since the run started.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// When it happened.
    pub at_us: f64,
    /// What happened.
    pub kind: EventKind,
}

/// Where a trace came from, and what is known of the run it shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// Recorded or simulated by Lanes: what ran, and where.
    Lanes(Meta),
    /// Read from a Chrome trace that another tool wrote, which does not say
    /// what ran: only what the file says of itself.
    Imported(Foreign),
}

/// What a Chrome trace written by another tool says of itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Foreign {
    /// The tool, when the file names it (`metadata.source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// The file's own time of its earliest event, in µs: the trace's times
    /// count from it.
    #[serde(default)]
    pub start_us: f64,
    /// How many processes (distinct `pid`s) its lanes belong to.
    #[serde(default)]
    pub processes: u32,
    /// The other text, number and yes/no fields of the file's `metadata`,
    /// as text, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// Text labels of some spans, e.g. the function names of an imported trace.
///
/// They live beside [`Trace::spans`], not in [`Span`], so that a span stays a
/// small `Copy` value. Each label is stored once and spans refer to it by
/// position; an entry names a span by its index in [`Trace::spans`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanLabels {
    /// The distinct labels, in the order of the first span that uses each.
    texts: Vec<String>,
    /// `(span index, text index)`, sorted by span index, one per span at most.
    spans: Vec<(u32, u32)>,
}

impl SpanLabels {
    /// Builds the table from `(span index, label)` pairs in increasing span order.
    pub(crate) fn from_sorted<'a>(pairs: impl IntoIterator<Item = (u32, &'a str)>) -> Self {
        let mut index: HashMap<&'a str, u32> = HashMap::new();
        let mut labels = Self::default();
        for (span, text) in pairs {
            let next = u32::try_from(labels.texts.len()).unwrap_or(u32::MAX);
            let id = *index.entry(text).or_insert_with(|| {
                labels.texts.push(text.to_owned());
                next
            });
            labels.spans.push((span, id));
        }
        labels
    }

    /// The label of the span at `span` in [`Trace::spans`], if it has one.
    pub fn get(&self, span: usize) -> Option<&str> {
        let span = u32::try_from(span).ok()?;
        let at = self.spans.binary_search_by_key(&span, |&(s, _)| s).ok()?;
        let text = self.spans.get(at)?.1;
        self.texts.get(text as usize).map(String::as_str)
    }

    /// Every labelled span as `(span index, label)`, in span order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.spans.iter().filter_map(|&(span, text)| {
            let text = self.texts.get(text as usize)?;
            Some((span as usize, text.as_str()))
        })
    }

    /// The distinct labels, each once.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// How many spans have a label.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no span has a label.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The raw `(span index, text index)` entries, for validation.
    pub(crate) fn entries(&self) -> &[(u32, u32)] {
        &self.spans
    }

    /// The table from its parts as [`SpanLabels::texts`] and
    /// [`SpanLabels::entries`] give them, unchecked: [`Trace::validate`]
    /// checks that the entries are in span order and name known texts.
    pub(crate) fn from_parts(texts: Vec<String>, spans: Vec<(u32, u32)>) -> Self {
        Self { texts, spans }
    }
}

/// Everything one run produced. It travels as Chrome Trace Event JSON
/// ([`crate::to_chrome_json`], [`crate::from_chrome_json`]), which gives it
/// back whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Who made it, and what ran when Lanes did.
    pub source: Source,
    /// The rows of the timeline.
    pub lanes: Vec<Lane>,
    /// The intervals, sorted by lane then start: only the constructors set
    /// them, so the order always holds.
    pub(crate) spans: Vec<Span>,
    /// The instants, sorted by time.
    pub events: Vec<Event>,
    /// Text labels of some spans (none in a run Lanes recorded itself).
    pub labels: SpanLabels,
    /// The call stacks of a traced program (none in a run Lanes made).
    pub calls: Calls,
    /// How the GIL lane was known, when it is not Lanes' own lock: measured,
    /// inferred or traced.
    pub gil_evidence: Option<GilEvidence>,
    /// A playback run's blocks and buffer (none in any other run).
    pub audio: Option<Box<Audio>>,
}

/// The items of one lane in `sorted`, a list sorted by lane (spans, calls,
/// labelled spans): the run whose `lane_of` is `lane`.
pub(crate) fn of_lane<T>(sorted: &[T], lane: u32, lane_of: impl Fn(&T) -> u32) -> &[T] {
    let from = sorted.partition_point(|x| lane_of(x) < lane);
    let to = from + sorted[from..].partition_point(|x| lane_of(x) <= lane);
    &sorted[from..to]
}

/// The order of [`Trace::spans`]: by lane, then start, then end.
pub(crate) fn span_order(a: &Span, b: &Span) -> Ordering {
    a.lane
        .cmp(&b.lane)
        .then(a.start_us.total_cmp(&b.start_us))
        .then(a.end_us.total_cmp(&b.end_us))
}

impl Trace {
    /// Builds the trace of a Lanes run, sorting its spans by lane then
    /// start time.
    pub fn new(meta: Meta, lanes: Vec<Lane>, spans: Vec<Span>) -> Self {
        Self::from_source(Source::Lanes(meta), lanes, spans)
    }

    /// [`Trace::new`] for a trace from any source.
    pub fn from_source(source: Source, lanes: Vec<Lane>, mut spans: Vec<Span>) -> Self {
        spans.sort_by(span_order);
        Self {
            source,
            lanes,
            spans,
            events: Vec::new(),
            labels: SpanLabels::default(),
            calls: Calls::default(),
            gil_evidence: None,
            audio: None,
        }
    }

    /// Builds a trace whose spans may carry a text label, sorting the spans
    /// by lane then start time as [`Trace::new`] does (equal spans keep their
    /// order).
    pub fn new_labelled(
        meta: Meta,
        lanes: Vec<Lane>,
        mut spans: Vec<(Span, Option<String>)>,
    ) -> Self {
        spans.sort_by(|a, b| span_order(&a.0, &b.0));
        let labels = SpanLabels::from_sorted(
            spans
                .iter()
                .enumerate()
                .filter_map(|(i, (_, label))| Some((u32::try_from(i).ok()?, label.as_deref()?))),
        );
        let spans = spans.into_iter().map(|(span, _)| span).collect();
        Self {
            labels,
            ..Self::new(meta, lanes, spans)
        }
    }

    /// The same trace with `events`, sorted by time.
    #[must_use]
    pub fn with_events(mut self, mut events: Vec<Event>) -> Self {
        events.sort_by(|a, b| a.at_us.total_cmp(&b.at_us));
        self.events = events;
        self
    }

    /// The same trace marked as coming from `source`.
    #[must_use]
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// What ran and where, for a run Lanes made; `None` for an imported
    /// trace, whose file does not say.
    pub fn meta(&self) -> Option<&Meta> {
        match &self.source {
            Source::Lanes(meta) => Some(meta),
            Source::Imported(_) => None,
        }
    }

    /// The name of the run for the page: the model's title for a Lanes run
    /// (e.g. "Free threads"), "imported from viztracer" for another tool's.
    pub fn name(&self) -> String {
        match &self.source {
            Source::Lanes(meta) => meta.scenario.model.title().to_owned(),
            Source::Imported(Foreign {
                tool: Some(tool), ..
            }) => format!("imported from {tool}"),
            Source::Imported(Foreign { tool: None, .. }) => "imported from another tool".to_owned(),
        }
    }

    /// The intervals, sorted by lane, then start, then end.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The spans of one lane, in start order.
    pub fn lane_spans(&self, lane: u32) -> &[Span] {
        of_lane(&self.spans, lane, |s| s.lane)
    }

    /// The label of the span at `index` in [`Trace::spans`], if it has one.
    pub fn span_label(&self, index: usize) -> Option<&str> {
        self.labels.get(index)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn meta() -> Meta {
        Meta {
            scenario: Scenario::new(Model::Free, Workload::Primes, 2, 1000, 16),
            mode: Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "native".to_owned(),
            result: Some(168),
            seed: None,
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
                holder: None,
            })
            .collect();
        Trace::new(meta(), lanes, spans)
    }

    #[test]
    fn names_read_back_and_are_the_serde_names() {
        for m in Model::ALL {
            assert_eq!(m.as_str().parse::<Model>(), Ok(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
        for w in Workload::ALL {
            assert_eq!(w.as_str().parse::<Workload>(), Ok(w));
            assert_eq!(serde_json::to_value(w).unwrap(), w.as_str());
        }
        for k in LaneKind::ALL {
            assert_eq!(k.as_str().parse::<LaneKind>(), Ok(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for s in State::ALL {
            assert_eq!(s.as_str().parse::<State>(), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!("nonsense".parse::<Model>().is_err());
        assert_eq!(
            Model::ALL.map(Model::as_str),
            ["sequential", "gil", "free", "processes", "asyncio"]
        );
        assert_eq!(Workload::CounterLocked.as_str(), "counter-locked");
    }

    #[test]
    fn a_scenario_without_interval_or_latency_reads_as_the_defaults() {
        let old = serde_json::json!({
            "model": "gil", "workload": "primes", "k": 4, "size": 1000, "tasks": 8,
            "mode": "live", "cores": 2, "cross_origin_isolated": true,
            "environment": "native", "result": 168
        });
        let meta: Meta = serde_json::from_value(old).unwrap();
        assert_eq!(
            meta.scenario,
            Scenario::new(Model::Gil, Workload::Primes, 4, 1000, 8)
        );
        assert_eq!(meta.scenario.interval_us, 5_000);
        assert_eq!(meta.scenario.latency_us, 20_000);
        let custom = Scenario {
            interval_us: 100,
            latency_us: 7,
            ..meta.scenario
        };
        let json = serde_json::to_value(Meta {
            scenario: custom,
            ..meta
        })
        .unwrap();
        assert_eq!(json["interval_us"], 100);
        assert_eq!(json["latency_us"], 7);
        assert_eq!(
            serde_json::from_value::<Meta>(json).unwrap().scenario,
            custom
        );
    }

    #[test]
    fn spans_are_sorted_and_sliced_by_lane() {
        let t = trace_of(3, &[(2, 0.0, 1.0), (0, 5.0, 6.0), (0, 1.0, 2.0)]);
        assert_eq!(t.lane_spans(0).len(), 2);
        assert_eq!(t.lane_spans(0)[0].start_us, 1.0);
        assert_eq!(t.lane_spans(1).len(), 0);
        assert_eq!(t.lane_spans(2).len(), 1);
    }

    #[test]
    fn a_trace_names_its_source() {
        // How a trace travels (Chrome JSON, both sources) is tested in
        // tests/round_trip.rs.
        let t = trace_of(1, &[(0, 0.0, 1.0)]);
        let imported = t.clone().with_source(Source::Imported(Foreign {
            tool: Some("viztracer".to_owned()),
            ..Foreign::default()
        }));
        assert_eq!(imported.name(), "imported from viztracer");
        assert_eq!(imported.meta(), None);
        assert_eq!(t.name(), "Free threads");
        assert_eq!(t.meta(), Some(&meta()));
    }

    #[test]
    fn labels_are_stored_once_and_follow_the_sort() {
        let span = |start_us| Span {
            lane: 0,
            state: State::Running,
            start_us,
            end_us: start_us + 1.0,
            task: None,
            holder: None,
        };
        let t = Trace::new_labelled(
            meta(),
            vec![Lane::thread("T")],
            vec![
                (span(5.0), Some("b".to_owned())),
                (span(1.0), Some("a".to_owned())),
                (span(3.0), None),
                (span(7.0), Some("a".to_owned())),
            ],
        );
        let labels: Vec<_> = t.labels.iter().collect();
        assert_eq!(labels, [(0, "a"), (2, "b"), (3, "a")]);
        assert_eq!(t.labels.texts(), ["a", "b"]);
        assert_eq!(t.labels.len(), 3);
        assert_eq!(t.span_label(1), None);
        assert_eq!(t.span_label(99), None);
    }
}

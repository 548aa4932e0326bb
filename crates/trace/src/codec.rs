//! Traces as compact bytes, for handing them from one wasm module to another
//! (a web worker's import to the page) without a JSON parse on the way in.
//!
//! This is not a file format: both ends are the same build of Lanes, and the
//! version number only makes a mix-up an error rather than nonsense. The
//! layout, every number little-endian:
//!
//! ```text
//! "LANESBIN"  u32 version  u64 number of traces
//! then each trace:
//!   u64 header length, the header as JSON: source, lanes (kind and name),
//!       gil_evidence, the label texts, the call names, a playback's audio
//!   u64 events, each: u8 kind, f64 time, then by kind
//!       0 hand-off       u8 has-from, u32 from, u32 to
//!       1 forced switch  u32 lane
//!       2 send, 3 receive u32 from, u32 to, u64 bytes, u64 id
//!       4 instant        u8 has-lane, u32 lane, u64 name length, UTF-8 name
//!   u64 spans, 30 bytes each: u32 lane, u8 state (its place in State::ALL),
//!       u8 flags (1: has task, 2: has holder), f64 start, f64 end,
//!       u32 task, u32 holder (0 when absent)
//!   u64 calls, 26 bytes each: u32 lane, u16 depth, f64 start, f64 end, u32 name
//!   u64 labels, 8 bytes each: u32 span index, u32 text index
//! ```
//!
//! Times are copied bit for bit. Decoding reads spans and calls in the order
//! they were written (their trace's order), refuses events out of time
//! order, and validates each trace ([`Trace::validate`], which also checks
//! the order of spans and calls), so a decoded trace is as sound as a built
//! one. Every count is checked against the bytes that remain before
//! anything is reserved, so a lying count is an error, not a huge
//! allocation.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::calls::Call;
use crate::{
    Audio, Calls, Event, EventKind, Foreign, GilEvidence, Lane, LaneKind, Meta, Source, Span,
    SpanLabels, State, Trace, TraceError,
};

/// The first bytes of every encoding.
const MAGIC: &[u8; 8] = b"LANESBIN";
/// The layout's version; any change to it changes this.
const VERSION: u32 = 1;
/// The size of one span.
const SPAN_BYTES: usize = 30;
/// The size of one call.
const CALL_BYTES: usize = 26;
/// The size of one label entry.
const LABEL_BYTES: usize = 8;
/// The size of the smallest event (a forced switch).
const MIN_EVENT_BYTES: usize = 13;
/// A span's flag: it has a task.
const HAS_TASK: u8 = 1;
/// A span's flag: it has a holder.
const HAS_HOLDER: u8 = 2;

/// Why bytes could not be decoded into traces.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CodecError {
    /// The bytes do not start with the encoding's mark.
    #[error("these bytes are not traces encoded by Lanes: they do not start with its mark")]
    NotLanes,
    /// Another version of the layout wrote them.
    #[error(
        "these traces were encoded by another version of Lanes (layout {found}, not {VERSION})"
    )]
    Version {
        /// The version the bytes name.
        found: u32,
    },
    /// The bytes end before what they promise.
    #[error("the bytes end in the middle of {what}: they were cut short")]
    Truncated {
        /// What was being read.
        what: &'static str,
    },
    /// A count is larger than the bytes that remain could hold.
    #[error("the bytes claim {count} {what}, more than the {left} bytes that remain can hold")]
    TooMany {
        /// What is counted.
        what: &'static str,
        /// The count claimed.
        count: u64,
        /// How many bytes remain.
        left: usize,
    },
    /// A trace's header is not readable.
    #[error("a trace's header cannot be read: {0}")]
    Header(String),
    /// A byte that says what something is holds no known value.
    #[error("the bytes hold {value} as {what}, which means nothing")]
    Unknown {
        /// What the byte says.
        what: &'static str,
        /// The value found.
        value: u8,
    },
    /// An instant's name is not UTF-8 text.
    #[error("an instant's name is not UTF-8 text")]
    NotText,
    /// The events are not sorted by time.
    #[error("event {index} comes before the event before it: the events are out of order")]
    EventsOutOfOrder {
        /// Position of the first one out of order.
        index: usize,
    },
    /// Bytes follow the last trace.
    #[error("{extra} bytes follow the last trace")]
    Trailing {
        /// How many.
        extra: usize,
    },
    /// A decoded trace does not hold together.
    #[error("a decoded trace does not hold together: {0}")]
    Invalid(#[from] TraceError),
}

/// What a trace's header holds: everything but its numbers.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    source: SourceHeader<'a>,
    lanes: Vec<(LaneKind, Cow<'a, str>)>,
    gil_evidence: Option<GilEvidence>,
    label_texts: Cow<'a, [String]>,
    call_names: Cow<'a, [String]>,
    /// A playback's blocks and fill level: few enough to write as JSON.
    #[serde(default)]
    audio: Option<Cow<'a, Audio>>,
}

/// [`Source`], as the header writes it.
#[derive(Serialize, Deserialize)]
enum SourceHeader<'a> {
    Lanes(Cow<'a, Meta>),
    Imported(Cow<'a, Foreign>),
}

/// The bytes of `traces`, which [`decode`] gives back exactly.
pub fn encode(traces: &[Trace]) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded_size(traces));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    put_len(&mut out, traces.len());
    for trace in traces {
        put_trace(&mut out, trace);
    }
    out
}

/// The traces that [`encode`] wrote into `bytes`, each validated.
///
/// Never panics: bytes that are cut short, come from elsewhere, or hold a
/// trace that does not hold together give a [`CodecError`].
pub fn decode(bytes: &[u8]) -> Result<Vec<Trace>, CodecError> {
    let mut r = Reader { bytes };
    if r.take(MAGIC.len(), "the mark").ok() != Some(MAGIC.as_slice()) {
        return Err(CodecError::NotLanes);
    }
    let found = r.u32("the version")?;
    if found != VERSION {
        return Err(CodecError::Version { found });
    }
    // The smallest trace takes five lengths: 40 bytes.
    let n = r.count(40, "traces")?;
    let mut traces = Vec::with_capacity(n);
    for _ in 0..n {
        traces.push(trace(&mut r)?);
    }
    if !r.bytes.is_empty() {
        return Err(CodecError::Trailing {
            extra: r.bytes.len(),
        });
    }
    Ok(traces)
}

/// About how many bytes `traces` take, so that the output grows once.
fn encoded_size(traces: &[Trace]) -> usize {
    let per_trace = |t: &Trace| {
        1024 + t.spans.len() * SPAN_BYTES
            + t.calls.len() * CALL_BYTES
            + t.labels.entries().len() * LABEL_BYTES
            + t.events.len() * 32
    };
    16 + traces.iter().map(per_trace).sum::<usize>()
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_le_bytes());
}

fn put_trace(out: &mut Vec<u8>, t: &Trace) {
    let header = Header {
        source: match &t.source {
            Source::Lanes(meta) => SourceHeader::Lanes(Cow::Borrowed(meta)),
            Source::Imported(foreign) => SourceHeader::Imported(Cow::Borrowed(foreign)),
        },
        lanes: t
            .lanes
            .iter()
            .map(|l| (l.kind, Cow::Borrowed(l.name.as_str())))
            .collect(),
        gil_evidence: t.gil_evidence,
        label_texts: Cow::Borrowed(t.labels.texts()),
        call_names: Cow::Borrowed(t.calls.names()),
        audio: t.audio.as_deref().map(Cow::Borrowed),
    };
    // Writing these types to JSON cannot fail (no map has keys that are not
    // text); were it to, the header would be empty and decoding would say
    // it cannot be read.
    let header = serde_json::to_vec(&header).unwrap_or_default();
    put_len(out, header.len());
    out.extend_from_slice(&header);

    put_len(out, t.events.len());
    for e in &t.events {
        put_event(out, e);
    }

    put_len(out, t.spans.len());
    for s in &t.spans {
        let state = State::ALL.iter().position(|&x| x == s.state).unwrap_or(0);
        let flags = if s.task.is_some() { HAS_TASK } else { 0 }
            | if s.holder.is_some() { HAS_HOLDER } else { 0 };
        out.extend_from_slice(&s.lane.to_le_bytes());
        out.push(state as u8);
        out.push(flags);
        out.extend_from_slice(&s.start_us.to_le_bytes());
        out.extend_from_slice(&s.end_us.to_le_bytes());
        out.extend_from_slice(&s.task.unwrap_or(0).to_le_bytes());
        out.extend_from_slice(&s.holder.unwrap_or(0).to_le_bytes());
    }

    let calls = t.calls.all();
    put_len(out, calls.len());
    for c in calls {
        out.extend_from_slice(&c.lane.to_le_bytes());
        out.extend_from_slice(&c.depth.to_le_bytes());
        out.extend_from_slice(&c.start_us.to_le_bytes());
        out.extend_from_slice(&c.end_us.to_le_bytes());
        out.extend_from_slice(&c.name.to_le_bytes());
    }

    let labels = t.labels.entries();
    put_len(out, labels.len());
    for &(span, text) in labels {
        out.extend_from_slice(&span.to_le_bytes());
        out.extend_from_slice(&text.to_le_bytes());
    }
}

fn put_optional(out: &mut Vec<u8>, value: Option<u32>) {
    out.push(u8::from(value.is_some()));
    out.extend_from_slice(&value.unwrap_or(0).to_le_bytes());
}

fn put_event(out: &mut Vec<u8>, e: &Event) {
    let kind: u8 = match &e.kind {
        EventKind::Handoff { .. } => 0,
        EventKind::ForcedSwitch { .. } => 1,
        EventKind::Send { .. } => 2,
        EventKind::Receive { .. } => 3,
        EventKind::Instant { .. } => 4,
    };
    out.push(kind);
    out.extend_from_slice(&e.at_us.to_le_bytes());
    match &e.kind {
        EventKind::Handoff { from, to } => {
            put_optional(out, *from);
            out.extend_from_slice(&to.to_le_bytes());
        }
        EventKind::ForcedSwitch { lane } => out.extend_from_slice(&lane.to_le_bytes()),
        EventKind::Send {
            from,
            to,
            bytes,
            id,
        }
        | EventKind::Receive {
            from,
            to,
            bytes,
            id,
        } => {
            out.extend_from_slice(&from.to_le_bytes());
            out.extend_from_slice(&to.to_le_bytes());
            out.extend_from_slice(&bytes.to_le_bytes());
            out.extend_from_slice(&id.to_le_bytes());
        }
        EventKind::Instant { lane, name } => {
            put_optional(out, *lane);
            put_len(out, name.len());
            out.extend_from_slice(name.as_bytes());
        }
    }
}

/// The bytes not read yet.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], CodecError> {
        match self.bytes.split_at_checked(n) {
            Some((taken, rest)) => {
                self.bytes = rest;
                Ok(taken)
            }
            None => Err(CodecError::Truncated { what }),
        }
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], CodecError> {
        match self.bytes.split_first_chunk::<N>() {
            Some((taken, rest)) => {
                self.bytes = rest;
                Ok(*taken)
            }
            None => Err(CodecError::Truncated { what }),
        }
    }

    fn u8(&mut self, what: &'static str) -> Result<u8, CodecError> {
        self.array::<1>(what).map(|[b]| b)
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, CodecError> {
        self.array(what).map(u16::from_le_bytes)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, CodecError> {
        self.array(what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, CodecError> {
        self.array(what).map(u64::from_le_bytes)
    }

    fn f64(&mut self, what: &'static str) -> Result<f64, CodecError> {
        self.array(what).map(f64::from_le_bytes)
    }

    /// An optional number: a byte that says whether it is there, then it.
    fn optional(&mut self, what: &'static str) -> Result<Option<u32>, CodecError> {
        let has = self.u8(what)?;
        let value = self.u32(what)?;
        match has {
            0 => Ok(None),
            1 => Ok(Some(value)),
            value => Err(CodecError::Unknown { what, value }),
        }
    }

    /// A count of items of at least `size` bytes each, refused when the
    /// bytes that remain cannot hold that many.
    fn count(&mut self, size: usize, what: &'static str) -> Result<usize, CodecError> {
        let count = self.u64(what)?;
        let left = self.bytes.len();
        match usize::try_from(count) {
            Ok(n) if n.checked_mul(size).is_some_and(|total| total <= left) => Ok(n),
            _ => Err(CodecError::TooMany { what, count, left }),
        }
    }
}

fn trace(r: &mut Reader<'_>) -> Result<Trace, CodecError> {
    let header_len = r.count(1, "a header")?;
    let header: Header<'_> = serde_json::from_slice(r.take(header_len, "a header")?)
        .map_err(|e| CodecError::Header(e.to_string()))?;

    let n = r.count(MIN_EVENT_BYTES, "events")?;
    let mut events = Vec::with_capacity(n);
    for _ in 0..n {
        events.push(event(r)?);
    }
    if let Some(i) = events
        .windows(2)
        .position(|p| p[0].at_us.total_cmp(&p[1].at_us).is_gt())
    {
        return Err(CodecError::EventsOutOfOrder { index: i + 1 });
    }

    let n = r.count(SPAN_BYTES, "spans")?;
    let mut spans = Vec::with_capacity(n);
    for _ in 0..n {
        spans.push(span(r)?);
    }

    let n = r.count(CALL_BYTES, "calls")?;
    let mut calls = Vec::with_capacity(n);
    for _ in 0..n {
        calls.push(Call {
            lane: r.u32("a call")?,
            depth: r.u16("a call")?,
            start_us: r.f64("a call")?,
            end_us: r.f64("a call")?,
            name: r.u32("a call")?,
        });
    }

    let n = r.count(LABEL_BYTES, "labels")?;
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        labels.push((r.u32("a label")?, r.u32("a label")?));
    }

    let trace = Trace {
        source: match header.source {
            SourceHeader::Lanes(meta) => Source::Lanes(meta.into_owned()),
            SourceHeader::Imported(foreign) => Source::Imported(foreign.into_owned()),
        },
        lanes: header
            .lanes
            .into_iter()
            .map(|(kind, name)| Lane {
                kind,
                name: name.into_owned(),
            })
            .collect(),
        spans,
        events,
        labels: SpanLabels::from_parts(header.label_texts.into_owned(), labels),
        calls: Calls::from_sorted(calls, header.call_names.into_owned()),
        gil_evidence: header.gil_evidence,
        audio: header.audio.map(|a| Box::new(a.into_owned())),
    };
    trace.validate()?;
    Ok(trace)
}

fn span(r: &mut Reader<'_>) -> Result<Span, CodecError> {
    let lane = r.u32("a span")?;
    let state = r.u8("a span")?;
    let state = *State::ALL
        .get(usize::from(state))
        .ok_or(CodecError::Unknown {
            what: "a span's state",
            value: state,
        })?;
    let flags = r.u8("a span")?;
    if flags & !(HAS_TASK | HAS_HOLDER) != 0 {
        return Err(CodecError::Unknown {
            what: "a span's flags",
            value: flags,
        });
    }
    let start_us = r.f64("a span")?;
    let end_us = r.f64("a span")?;
    let task = r.u32("a span")?;
    let holder = r.u32("a span")?;
    Ok(Span {
        lane,
        state,
        start_us,
        end_us,
        task: (flags & HAS_TASK != 0).then_some(task),
        holder: (flags & HAS_HOLDER != 0).then_some(holder),
    })
}

fn event(r: &mut Reader<'_>) -> Result<Event, CodecError> {
    let kind = r.u8("an event")?;
    let at_us = r.f64("an event")?;
    let kind = match kind {
        0 => EventKind::Handoff {
            from: r.optional("a hand-off")?,
            to: r.u32("a hand-off")?,
        },
        1 => EventKind::ForcedSwitch {
            lane: r.u32("a forced switch")?,
        },
        2 | 3 => EventKind::message(
            kind == 2,
            r.u32("a message")?,
            r.u32("a message")?,
            r.u64("a message")?,
            r.u64("a message")?,
        ),
        4 => {
            let lane = r.optional("an instant")?;
            let len = r.count(1, "an instant's name")?;
            let name = std::str::from_utf8(r.take(len, "an instant's name")?)
                .map_err(|_| CodecError::NotText)?;
            EventKind::Instant {
                lane,
                name: name.to_owned(),
            }
        }
        value => {
            return Err(CodecError::Unknown {
                what: "an event's kind",
                value,
            });
        }
    };
    Ok(Event { at_us, kind })
}

//! Export to the Chrome Trace Event JSON format (the object form), which
//! Perfetto and `chrome://tracing` open. Times there are in microseconds.
//!
//! The layout, which [`super::import`] reads back exactly:
//! - one process (pid 1) named after the scenario; lane `i` is thread `i + 1`,
//!   named by a `thread_name` event whose args also hold the lane's `kind`,
//!   and ordered by `thread_sort_index` `i`;
//! - each span is an `X` event in category `lanes`, named by its state (so
//!   Perfetto colours by state), with `args.task` and `args.label` when set;
//!   a GIL lane's span has `args.holder`, the lane that held the lock, and
//!   the same in `args.task`, where Lanes wrote it before (kept for older
//!   readers);
//!   `dur` is chosen so that `ts + dur` gives the end bit for bit, and in the
//!   rare case where no such number exists (negative times), `args.end_us`
//!   holds the exact end;
//! - a GIL hand-off is a flow (`s` on the lane that dropped the lock, `f`
//!   on the lane that took it) named `gil_handoff` in category `lanes.gil`,
//!   or an instant on the taker when nobody held the lock; a forced switch
//!   is an instant `forced_switch` in `lanes.gil`; a message send is the
//!   start (`s`) and a receive the end (`f`) of a flow `message` in
//!   `lanes.message` whose id is the message id; any other instant is an
//!   `i` event in `lanes.instant`. Every hand-off and message carries its
//!   lanes (and bytes and id) in `args`, so each reads back on its own;
//! - each call is an `X` event in category `lanes.call` on its lane, named
//!   by the function, with `args.depth` (its row in the stack) and
//!   `args.name_id` (its index in `metadata.call_names`, the names in
//!   order, so that the table reads back as it was);
//! - `metadata` holds `source: "lanes"` and `makespan_ms`, then the run's
//!   [`Meta`] for a Lanes run (with `gil_evidence` when its GIL lane was
//!   measured, traced or inferred), or `origin` (`from: "imported"`, the
//!   [`Foreign`](crate::Foreign) facts and `gil_evidence`) for a trace
//!   imported from another tool; and `call_names` when there are calls;
//! - a playback's audio track: counters and instants in `lanes.audio` on
//!   the producer lane's thread, and `metadata.audio` (see
//!   [`super::audio`]).

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use super::audio::{AUDIO_BUFFER, AudioFacts, BLOCK_DUE, CAT_AUDIO, UNDERRUN};
use super::names;
use super::names::Origin;
use crate::{Audio, EventKind, GilEvidence, Meta, Source, Trace};

#[derive(Serialize)]
struct ChromeTrace<'a> {
    #[serde(rename = "traceEvents")]
    trace_events: Vec<Record<'a>>,
    #[serde(rename = "displayTimeUnit")]
    display_time_unit: &'static str,
    metadata: Metadata<'a>,
}

/// One trace event; absent fields are left out.
#[derive(Serialize)]
struct Record<'a> {
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cat: Option<&'static str>,
    ph: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ts: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<f64>,
    pid: u32,
    tid: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    /// Flow ends bind to the enclosing slice.
    #[serde(skip_serializing_if = "Option::is_none")]
    bp: Option<&'static str>,
    /// Instant scope: "t" thread, "g" global.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'static str>,
    #[serde(skip_serializing_if = "Args::is_empty")]
    args: Args<'a>,
}

impl<'a> Record<'a> {
    fn new(name: impl Into<Cow<'a, str>>, ph: &'static str, tid: u32) -> Self {
        Self {
            name: name.into(),
            cat: None,
            ph,
            ts: None,
            dur: None,
            pid: names::PID,
            tid,
            id: None,
            bp: None,
            s: None,
            args: Args::default(),
        }
    }
}

#[derive(Default, Serialize)]
struct Args<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    holder: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    /// `Some(None)` writes `null`: a hand-off from nobody.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lane: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    /// The exact end of a span when `ts + dur` cannot give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_us: Option<f64>,
    /// A call's row in its lane's stack.
    #[serde(skip_serializing_if = "Option::is_none")]
    depth: Option<u16>,
    /// A call's index in `metadata.call_names`.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_id: Option<u32>,
    /// An audio block's index.
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<u64>,
    /// The frames in the audio buffer.
    #[serde(skip_serializing_if = "Option::is_none")]
    frames: Option<u32>,
    /// An audio block's lateness and readiness, in ms for the eye, and in
    /// µs exactly as the trace holds them.
    #[serde(skip_serializing_if = "Option::is_none")]
    late_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ready_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    late_us: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ready_us: Option<f64>,
    /// The silence an underrun played, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    silence_ms: Option<f64>,
}

impl Args<'_> {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.kind.is_none()
            && self.sort_index.is_none()
            && self.task.is_none()
            && self.holder.is_none()
            && self.label.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.lane.is_none()
            && self.bytes.is_none()
            && self.id.is_none()
            && self.end_us.is_none()
            && self.depth.is_none()
            && self.name_id.is_none()
            && self.block.is_none()
            && self.frames.is_none()
            && self.late_ms.is_none()
            && self.ready_ms.is_none()
            && self.late_us.is_none()
            && self.ready_us.is_none()
            && self.silence_ms.is_none()
    }
}

#[derive(Serialize)]
struct Metadata<'a> {
    source: &'static str,
    #[serde(flatten)]
    meta: Option<&'a Meta>,
    makespan_ms: f64,
    /// How a Lanes run's GIL lane was known (an imported trace says it in
    /// its `origin`).
    #[serde(skip_serializing_if = "Option::is_none")]
    gil_evidence: Option<GilEvidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<Origin<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    call_names: &'a [String],
    /// A playback's audio track's constants.
    #[serde(skip_serializing_if = "Option::is_none")]
    audio: Option<AudioFacts>,
}

/// The Chrome thread id of a lane: lanes count from 1, 0 is the process.
fn tid(lane: u32) -> u32 {
    lane.saturating_add(1)
}

/// A duration `d` close to `end - start` for which `start + d == end` exactly
/// in floating point, so that a reader who adds `dur` to `ts` (Lanes, a
/// browser test, Perfetto) gets the span's end back bit for bit. For any
/// realistic times (0 to 10¹⁵ µs) there is one; at the edges of the f64
/// range (a span from -1e15 µs to 1e-100 µs, or times near 1e-307 µs) there
/// may be none within a few steps, and then `None`: the export then also
/// writes the exact end.
fn duration(start: f64, end: f64) -> Option<f64> {
    let mut d = end - start;
    for _ in 0..16 {
        let got = start + d;
        if got == end {
            return Some(d);
        }
        if !got.is_finite() {
            return None;
        }
        d = if got < end {
            d.next_up()
        } else {
            d.next_down()
        };
    }
    None
}

fn document(trace: &Trace) -> ChromeTrace<'_> {
    let mut events =
        Vec::with_capacity(1 + 2 * trace.lanes.len() + trace.spans.len() + 2 * trace.events.len());
    let process = match &trace.source {
        Source::Lanes(meta) => format!(
            "{} · {} · k={}",
            meta.scenario.model.title(),
            meta.scenario.workload.title(),
            meta.scenario.k
        ),
        Source::Imported(_) => trace.name(),
    };
    let mut named = Record::new(names::PROCESS_NAME, "M", 0);
    named.args.name = Some(Cow::Owned(process));
    events.push(named);
    for (i, lane) in trace.lanes.iter().enumerate() {
        let lane_id = u32::try_from(i).unwrap_or(u32::MAX);
        let mut named = Record::new(names::THREAD_NAME, "M", tid(lane_id));
        named.args.name = Some(Cow::Borrowed(&lane.name));
        named.args.kind = Some(lane.kind.as_str());
        events.push(named);
        let mut sorted = Record::new(names::THREAD_SORT_INDEX, "M", tid(lane_id));
        sorted.args.sort_index = Some(lane_id);
        events.push(sorted);
    }
    events.extend(trace.spans.iter().enumerate().map(|(i, s)| {
        let mut r = Record::new(s.state.as_str(), "X", tid(s.lane));
        r.cat = Some(names::CAT_SPAN);
        r.ts = Some(s.start_us);
        match duration(s.start_us, s.end_us) {
            Some(d) => r.dur = Some(d),
            None => {
                r.dur = Some(s.duration_us());
                r.args.end_us = Some(s.end_us);
            }
        }
        // A GIL lane's holder is also written as `args.task`, as before it had
        // its own field, for readers of older exports.
        r.args.task = s.task.or(s.holder);
        r.args.holder = s.holder;
        r.args.label = trace.span_label(i);
        r
    }));
    events.extend(trace.calls.all().iter().map(|c| {
        let mut r = Record::new(trace.calls.name(c), "X", tid(c.lane));
        r.cat = Some(names::CAT_CALL);
        r.ts = Some(c.start_us);
        match duration(c.start_us, c.end_us) {
            Some(d) => r.dur = Some(d),
            None => {
                r.dur = Some(c.duration_us());
                r.args.end_us = Some(c.end_us);
            }
        }
        r.args.depth = Some(c.depth);
        r.args.name_id = Some(c.name);
        r
    }));
    let mut handoffs = 0_u64;
    for e in &trace.events {
        let at = Some(e.at_us);
        match &e.kind {
            EventKind::Handoff { from, to } => {
                let mut taken = Record::new(names::GIL_HANDOFF, "i", tid(*to));
                taken.cat = Some(names::CAT_GIL);
                taken.ts = at;
                taken.args.from = Some(*from);
                taken.args.to = Some(*to);
                if let Some(from) = from {
                    let mut dropped = Record::new(names::GIL_HANDOFF, "s", tid(*from));
                    dropped.cat = Some(names::CAT_GIL);
                    dropped.ts = at;
                    dropped.id = Some(handoffs);
                    dropped.args.from = Some(Some(*from));
                    dropped.args.to = Some(*to);
                    events.push(dropped);
                    taken.ph = "f";
                    taken.bp = Some("e");
                    taken.id = Some(handoffs);
                    handoffs += 1;
                } else {
                    taken.s = Some("t");
                }
                events.push(taken);
            }
            EventKind::ForcedSwitch { lane } => {
                let mut r = Record::new(names::FORCED_SWITCH, "i", tid(*lane));
                r.cat = Some(names::CAT_GIL);
                r.ts = at;
                r.s = Some("t");
                r.args.lane = Some(*lane);
                events.push(r);
            }
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
                let send = matches!(e.kind, EventKind::Send { .. });
                let lane = if send { *from } else { *to };
                let mut r = Record::new(names::MESSAGE, if send { "s" } else { "f" }, tid(lane));
                r.cat = Some(names::CAT_MESSAGE);
                r.ts = at;
                r.id = Some(*id);
                r.bp = (!send).then_some("e");
                r.args.from = Some(Some(*from));
                r.args.to = Some(*to);
                r.args.bytes = Some(*bytes);
                r.args.id = Some(*id);
                events.push(r);
            }
            EventKind::Instant { lane, name } => {
                let mut r = Record::new(name.as_str(), "i", lane.map_or(0, tid));
                r.cat = Some(names::CAT_INSTANT);
                r.ts = at;
                r.s = Some(if lane.is_some() { "t" } else { "g" });
                events.push(r);
            }
        }
    }
    if let Some(audio) = &trace.audio {
        audio_records(audio, &mut events);
    }
    ChromeTrace {
        trace_events: events,
        display_time_unit: "ms",
        metadata: Metadata {
            source: names::SOURCE,
            meta: trace.meta(),
            makespan_ms: trace.makespan_ms(),
            gil_evidence: trace.meta().and(trace.gil_evidence),
            origin: match &trace.source {
                Source::Lanes(_) => None,
                Source::Imported(foreign) => Some(Origin::Imported {
                    foreign: Cow::Borrowed(foreign),
                    gil_evidence: trace.gil_evidence,
                }),
            },
            call_names: trace.calls.names(),
            audio: trace.audio.as_deref().map(AudioFacts::of),
        },
    }
}

/// An event of the audio track, `ph` at `ts_us` on thread `tid`; an
/// instant ("i") is the thread's own.
fn audio_record<'a>(name: &'static str, ph: &'static str, tid: u32, ts_us: f64) -> Record<'a> {
    let mut r = Record::new(name, ph, tid);
    r.cat = Some(CAT_AUDIO);
    r.ts = Some(ts_us);
    if ph == "i" {
        r.s = Some("t");
    }
    r
}

/// The audio track's events (see [`super::audio`]): the fill level as a
/// counter, each block's deadline as an instant, and each underrun as
/// another.
fn audio_records<'a>(audio: &Audio, events: &mut Vec<Record<'a>>) {
    let tid = tid(audio.producer);
    events.reserve(audio.fill.len() + audio.blocks.len() + audio.underruns());
    events.extend(audio.fill.iter().map(|f| {
        let mut r = audio_record(AUDIO_BUFFER, "C", tid, f.at_us);
        r.args.frames = Some(f.frames);
        r
    }));
    for (i, b) in (0_u64..).zip(&audio.blocks) {
        let mut r = audio_record(BLOCK_DUE, "i", tid, b.due_us);
        r.args.block = Some(i);
        r.args.late_ms = Some(b.late_us / 1000.0);
        r.args.ready_ms = b.ready_us.map(|us| us / 1000.0);
        r.args.late_us = Some(b.late_us);
        r.args.ready_us = b.ready_us;
        events.push(r);
        if b.missed() {
            let mut r = audio_record(UNDERRUN, "i", tid, b.due_us);
            r.args.block = Some(i);
            r.args.silence_ms = Some(b.late_us / 1000.0);
            events.push(r);
        }
    }
}

/// The trace as a Chrome Trace Event JSON document.
pub fn to_chrome_json(trace: &Trace) -> String {
    // Serialising plain structs of numbers and strings cannot fail.
    serde_json::to_string(&document(trace)).unwrap_or_default()
}

/// The trace as a parsed Chrome Trace Event JSON value.
pub fn to_chrome_value(trace: &Trace) -> Value {
    serde_json::to_value(document(trace)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;
    use crate::model::tests::trace_of;
    use proptest::prelude::*;

    #[test]
    fn exports_complete_events_in_microseconds() {
        let t = trace_of(2, &[(0, 0.0, 1500.0), (1, 250.0, 1000.0)]);
        let v = to_chrome_value(&t);
        let events = v["traceEvents"].as_array().cloned().unwrap_or_default();
        let complete: Vec<_> = events.iter().filter(|e| e["ph"] == "X").collect();
        assert_eq!(complete.len(), 2);
        assert_eq!(complete[1]["ts"], 250.0);
        assert_eq!(complete[1]["dur"], 750.0);
        assert_eq!(complete[1]["tid"], 2);
        assert_eq!(complete[1]["name"], "running");
        let names: Vec<_> = events
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| e["args"]["name"].clone())
            .collect();
        assert_eq!(names, ["Thread 1", "Thread 2"]);
        let kinds: Vec<_> = events
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| e["args"]["kind"].clone())
            .collect();
        assert_eq!(kinds, ["thread", "thread"]);
        let m = &v["metadata"];
        assert_eq!(m["source"], "lanes");
        assert_eq!(m["model"], "free");
        assert_eq!(m["workload"], "primes");
        assert_eq!(m["mode"], "live");
        assert_eq!(m["k"], 2);
        assert_eq!(m["makespan_ms"], 1.5);
        assert_eq!(m.get("origin"), None);
        assert_eq!(
            serde_json::from_str::<Value>(&to_chrome_json(&t)).ok(),
            Some(v)
        );
    }

    #[test]
    fn exports_handoffs_as_flows_and_switches_as_instants() {
        let t = trace_of(2, &[(0, 0.0, 5.0), (1, 5.0, 9.0)]).with_events(vec![
            Event {
                at_us: 0.0,
                kind: EventKind::Handoff { from: None, to: 0 },
            },
            Event {
                at_us: 5.0,
                kind: EventKind::Handoff {
                    from: Some(0),
                    to: 1,
                },
            },
            Event {
                at_us: 4.0,
                kind: EventKind::ForcedSwitch { lane: 0 },
            },
        ]);
        let v = to_chrome_value(&t);
        let events = v["traceEvents"].as_array().cloned().unwrap_or_default();
        let gil: Vec<_> = events.iter().filter(|e| e["cat"] == "lanes.gil").collect();
        let shape: Vec<_> = gil
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap(),
                    e["ph"].as_str().unwrap(),
                    e["tid"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("gil_handoff", "i", 1),
                ("forced_switch", "i", 1),
                ("gil_handoff", "s", 1),
                ("gil_handoff", "f", 2)
            ]
        );
        assert_eq!(gil[2]["id"], gil[3]["id"]);
        assert_eq!(gil[3]["bp"], "e");
        assert_eq!(gil[0]["s"], "t");
        assert_eq!(gil[0]["args"]["from"], Value::Null);
    }

    proptest! {
        #[test]
        fn durations_add_back_to_the_end(start in 0.0_f64..1e12, len in 0.0_f64..1e9) {
            let end = start + len;
            let d = duration(start, end);
            prop_assert_eq!(d.map(|d| start + d), Some(end));
            prop_assert!(d.is_some_and(|d| d >= 0.0));
        }

        #[test]
        fn a_duration_found_always_adds_back(a in any::<f64>(), b in any::<f64>()) {
            let (a, b) = (a.abs(), b.abs());
            prop_assume!(a.is_finite() && b.is_finite());
            let (start, end) = if a <= b { (a, b) } else { (b, a) };
            // Near the ends of the f64 range there may be none (the export
            // then writes the end itself); whatever is found must be exact.
            if let Some(d) = duration(start, end) {
                prop_assert_eq!(start + d, end);
                prop_assert!(d >= 0.0);
            }
        }

        #[test]
        fn realistic_times_always_have_an_exact_duration(
            start in 0.0_f64..1e15,
            len in prop_oneof![0.0_f64..1.0, 0.0_f64..1e6, 0.0_f64..1e15],
        ) {
            let end = start + len;
            prop_assert_eq!(duration(start, end).map(|d| start + d), Some(end));
        }
    }

    #[test]
    fn keeps_the_exact_end_when_no_duration_gives_it() {
        let mut t = trace_of(
            1,
            &[(0, -6_224_793_688_185_422.0, -3.185_947_351_705_401e-141)],
        );
        t.spans[0].end_us = -3.185_947_351_705_401e-141;
        let v = to_chrome_value(&t);
        let span = v["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ph"] == "X")
            .unwrap()
            .clone();
        assert_eq!(span["args"]["end_us"], -3.185_947_351_705_401e-141);
    }
}

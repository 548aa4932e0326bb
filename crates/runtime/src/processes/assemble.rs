//! The trace of a processes run, from what the page and each process
//! stamped on the page clock.
//!
//! Lane 0 is the page's main thread, the parent ("Main process"); lane
//! `i + 1` is process `i`, "Process i+1", or "Process i+1 (warm)" when it
//! was kept from an earlier run. A process lane shows start-up (none for a
//! warm one: it was already running), copy in, its running spans and copy
//! out; the parent's shows the moments it spent
//! posting inputs and reading reports. Messages are send/receive pairs with
//! their bytes.

use crate::Environment;
use lanes_trace::{Event, EventKind, Lane, LaneKind, Scenario, Span, State, Trace};

use super::protocol::Report;
use lanes_trace::words::byte_size;

/// The parent's lane.
pub const PARENT: u32 = 0;

/// How a process came to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// A new worker, terminated when its report is in (warm off).
    Cold,
    /// A new worker, kept alive for the next run (warm on).
    ColdKept,
    /// A worker kept from an earlier run, already up (warm on).
    Warm,
}

/// What happened to one process, in page-clock µs (absolute).
#[derive(Clone, Debug, PartialEq)]
pub struct Log {
    /// How it started.
    pub start: Start,
    /// Just before its worker was created (or, warm, taken on).
    pub created_us: f64,
    /// Its instance was up (stamped by the worker).
    pub ready_us: f64,
    /// Just before the page posted its input.
    pub sent_us: f64,
    /// When that post returned (the page's share of the copy).
    pub posted_us: f64,
    /// Bytes of the input message (job description and payload).
    pub sent_bytes: u64,
    /// What the input was, in words.
    pub label: String,
    /// The input message arrived in the worker (stamped by the worker).
    pub received_us: f64,
    /// Its report (also holds when the input was in its memory and when it
    /// began to copy the report out).
    pub report: Report,
    /// Bytes of the report.
    pub report_bytes: u64,
    /// The report arrived on the page.
    pub arrived_us: f64,
    /// The page began to read it.
    pub reading_us: f64,
    /// The page had read it.
    pub read_us: f64,
}

/// Spans of one lane, kept in order: a span never starts before the last
/// one ended, nor ends before it starts. Clocks of different workers agree
/// to within microseconds; this keeps a trace sound if they ever do not.
struct LaneSpans<'a> {
    lane: u32,
    origin_us: f64,
    last_us: f64,
    out: &'a mut Vec<(Span, Option<String>)>,
}

impl LaneSpans<'_> {
    fn push(
        &mut self,
        state: State,
        task: Option<u32>,
        from_us: f64,
        to_us: f64,
        label: Option<String>,
    ) {
        let start_us = (from_us - self.origin_us).max(self.last_us);
        let end_us = (to_us - self.origin_us).max(start_us);
        self.last_us = end_us;
        let span = Span {
            lane: self.lane,
            state,
            start_us,
            end_us,
            task,
            holder: None,
        };
        self.out.push((span, label));
    }
}

/// The trace of a run of `scenario` whose origin (time 0) is `origin_us`,
/// with one [`Log`] per process.
pub fn assemble(
    scenario: &Scenario,
    environment: &Environment,
    origin_us: f64,
    logs: &[Log],
) -> Trace {
    let mut lanes = vec![Lane {
        kind: LaneKind::Ui,
        name: "Main process".to_owned(),
    }];
    lanes.extend((1..).zip(logs).map(|(i, log)| Lane {
        kind: LaneKind::Process,
        name: match log.start {
            Start::Warm => format!("Process {i} (warm)"),
            Start::Cold | Start::ColdKept => format!("Process {i}"),
        },
    }));

    let mut spans = Vec::new();
    let mut events = Vec::new();
    let mut result = 0_u64;
    let mut parent_times = Vec::new();
    for (i, log) in logs.iter().enumerate() {
        let lane = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let number = i + 1;
        result = result.wrapping_add(log.report.result);
        let mut own = LaneSpans {
            lane,
            origin_us,
            last_us: f64::NEG_INFINITY,
            out: &mut spans,
        };
        let startup = match log.start {
            Start::Cold => Some("cold start: a new worker with its own wasm instance and memory"),
            Start::ColdKept => Some(
                "cold start: a new worker with its own wasm instance and memory, kept running \
                 for the next run (warm)",
            ),
            // Already running: no start-up to show.
            Start::Warm => None,
        };
        if let Some(label) = startup {
            own.push(
                State::Startup,
                None,
                log.created_us,
                log.ready_us,
                Some(label.to_owned()),
            );
        }
        own.push(
            State::CopyIn,
            None,
            log.sent_us,
            log.report.unpacked_us,
            Some(format!("{} in: {}", byte_size(log.sent_bytes), log.label)),
        );
        for s in &log.report.spans {
            own.push(s.state, s.task, s.start_us, s.end_us, None);
        }
        own.push(
            State::CopyOut,
            None,
            log.report.copy_out_us,
            log.arrived_us,
            Some(format!(
                "{} out: the result and {} spans",
                byte_size(log.report_bytes),
                log.report.spans.len()
            )),
        );
        parent_times.push((
            log.sent_us,
            log.posted_us,
            State::CopyIn,
            format!("posting process {number}'s input"),
        ));
        parent_times.push((
            log.reading_us,
            log.read_us,
            State::CopyOut,
            format!("reading process {number}'s report"),
        ));

        let id = 2 * i as u64;
        let message = |at_us: f64, send: bool, from: u32, to: u32, bytes: u64, id: u64| Event {
            at_us: at_us - origin_us,
            kind: EventKind::message(send, from, to, bytes, id),
        };
        events.push(message(log.sent_us, true, PARENT, lane, log.sent_bytes, id));
        events.push(message(
            log.received_us,
            false,
            PARENT,
            lane,
            log.sent_bytes,
            id,
        ));
        events.push(message(
            log.report.copy_out_us,
            true,
            lane,
            PARENT,
            log.report_bytes,
            id + 1,
        ));
        events.push(message(
            log.arrived_us,
            false,
            lane,
            PARENT,
            log.report_bytes,
            id + 1,
        ));
    }
    // The parent did these one at a time; put them in the order it did.
    parent_times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut parent = LaneSpans {
        lane: PARENT,
        origin_us,
        last_us: f64::NEG_INFINITY,
        out: &mut spans,
    };
    for (from_us, to_us, state, label) in parent_times {
        parent.push(state, None, from_us, to_us, Some(label));
    }

    let meta = environment.live_meta(*scenario, Some(result));
    Trace::new_labelled(meta, lanes, spans).with_events(events)
}

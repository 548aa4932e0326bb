//! The second half of an import: from the events read to a sound trace.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::audio::{self, AudioMark};
use super::import::{Cat, Collector, Id, Mark, Pending, SliceInfo, SpanRec};
use super::names::{self, Origin};
use super::progress::{BUILDING_STEPS, Progress};
use super::report::{ImportError, ImportReport, Imported, SkipReason, Skipped, thousands};
use super::runs;
use super::stacks::{self, GilSource, ProcessLanes};
use crate::model::span_order;
use crate::python::stacks::Slice;
use crate::{
    Audio, Call, Calls, Event, EventKind, Foreign, GilEvidence, Holding, Lane, LaneKind, Meta,
    Scenario, Source, Span, SpanLabels, State, Trace,
};

/// What a slice is (see `Collector::classify`).
enum Kind {
    State(State),
    Call,
    Held,
    Skip(SkipReason),
}

/// What a file's `metadata` says that the import acts on.
#[derive(Debug, Default)]
struct FileFacts {
    /// Written by `lanes_record.py`.
    recorder: bool,
    /// Its states were measured (`gil_evidence: "measured"`).
    measured: bool,
    /// The interpreter ran without a GIL (`gil: "disabled"`).
    gil_disabled: bool,
    /// A Lanes file's list of call names.
    call_names: Option<Vec<String>>,
    /// A Lanes file's `gil_evidence` (or its origin's).
    lanes_gil_evidence: Option<GilEvidence>,
    /// Written by a tool that traces Python programs.
    python_tool: bool,
    /// The interpreter's switch interval (`switch_interval_us`, CPython's
    /// default 5 ms when the file does not say).
    interval_us: f64,
}

impl FileFacts {
    fn read(metadata: Option<&Value>, from_lanes: bool) -> Self {
        let Some(m) = metadata else {
            return Self {
                interval_us: f64::from(Scenario::DEFAULT_INTERVAL_US),
                ..Self::default()
            };
        };
        let text = |key: &str| m.get(key).and_then(Value::as_str);
        let evidence = |v: Option<&Value>| v.and_then(|v| GilEvidence::deserialize(v).ok());
        Self {
            recorder: text("source") == Some(names::RECORDER),
            python_tool: text("source").is_some_and(|s| {
                crate::python::PYTHON_TOOLS
                    .iter()
                    .any(|tool| s.eq_ignore_ascii_case(tool))
            }) || m.get("python").is_some(),
            interval_us: m
                .get("switch_interval_us")
                .and_then(Value::as_f64)
                .filter(|us| us.is_finite() && *us > 0.0)
                .unwrap_or(f64::from(Scenario::DEFAULT_INTERVAL_US)),
            measured: text("gil_evidence") == Some("measured"),
            gil_disabled: text("gil") == Some("disabled"),
            call_names: from_lanes
                .then(|| m.get("call_names"))
                .flatten()
                .and_then(|v| Vec::<String>::deserialize(v).ok()),
            lanes_gil_evidence: from_lanes
                .then(|| {
                    evidence(m.get("gil_evidence"))
                        .or_else(|| evidence(m.get("origin").and_then(|o| o.get("gil_evidence"))))
                })
                .flatten(),
        }
    }
}

/// The most fields of another tool's `metadata` an import keeps.
const MAX_FILE_FIELDS: usize = 64;
/// The most characters of one such field it keeps.
const MAX_FIELD_CHARS: usize = 256;

impl<'a> Collector<'a> {
    /// Builds the trace (or, for a lesson the recorder ran, the trace of
    /// each run) from what was read.
    /// The traces of what was read, telling `progress` each of its
    /// [`BUILDING_STEPS`].
    pub(super) fn finish(mut self, progress: &mut Progress<'_>) -> Result<Imported, ImportError> {
        progress.built(0);
        let metadata = self.metadata.take();
        let lanes_source = self.lanes_source(metadata.as_ref());
        let from_lanes = lanes_source.is_some();
        let facts = FileFacts::read(metadata.as_ref(), from_lanes);
        let audio = self.audio_track(metadata.as_ref(), from_lanes);
        self.match_begins_and_ends();

        // Lanes, in a stable order.
        let earliest = self.earliest_of_threads();
        let pids_with_events: BTreeMap<&Id<'_>, ()> = self
            .threads
            .iter()
            .zip(&earliest)
            .filter(|(_, at)| at.is_finite())
            .map(|(t, _)| (&t.pid, ()))
            .collect();
        let several = pids_with_events.len() > 1;
        let mut order: Vec<u32> = (0..self.threads.len())
            .filter(|&i| self.threads[i].used)
            // In another tool's file of several processes, a thread that has
            // only a name (a forked child keeps its parent's names) is no lane
            // when its process has threads that did something.
            .filter(|&i| {
                from_lanes
                    || !several
                    || earliest[i].is_finite()
                    || !pids_with_events.contains_key(&self.threads[i].pid)
            })
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        let process_sort = |pid: &Id<'_>| {
            self.processes
                .get(pid)
                .and_then(|p| p.sort)
                .unwrap_or(i64::MAX)
        };
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.threads[a as usize], &self.threads[b as usize]);
            process_sort(&a.pid)
                .cmp(&process_sort(&b.pid))
                .then_with(|| a.pid.cmp(&b.pid))
                .then(a.sort.unwrap_or(i64::MAX).cmp(&b.sort.unwrap_or(i64::MAX)))
                .then_with(|| a.tid.cmp(&b.tid))
        });
        let mut lane_of = vec![None; self.threads.len()];
        for (lane, &thread) in order.iter().enumerate() {
            lane_of[thread as usize] = u32::try_from(lane).ok();
        }
        // The parent: the process of the earliest event (the first in lane
        // order among equals).
        let parent = order
            .iter()
            .map(|&i| (earliest[i as usize], &self.threads[i as usize].pid))
            .fold(None, |best: Option<(f64, &Id<'_>)>, (at, pid)| match best {
                Some((b, _)) if b <= at => best,
                _ => Some((at, pid)),
            })
            .map(|(_, pid)| pid.clone());
        let mut lanes = self.lanes(&order, from_lanes, parent.as_ref());
        progress.built(1);

        // Times: as they are for Lanes, from the earliest event otherwise.
        let offset = if from_lanes || !self.earliest.is_finite() {
            None
        } else {
            Some(self.earliest)
        };
        let shift = |t: f64| offset.map_or(t, |o| t - o);
        if let Some(earliest_us) = offset {
            // Every time is finite, but from -1e308 µs to 1e308 µs is not.
            let latest_us = self
                .spans
                .iter()
                .map(|s| s.end)
                .chain(self.events.iter().map(|&(at, _)| at))
                .fold(earliest_us, f64::max);
            if !(latest_us - earliest_us).is_finite() {
                return Err(ImportError::TimesTooFarApart {
                    earliest_us,
                    latest_us,
                });
            }
        }
        if let Some(o) = offset
            && o != 0.0
        {
            self.notes.push(format!(
                "Times were shifted so that the earliest event is at 0 µs (it was at {o} µs)."
            ));
        }

        // Each slice is a state span, a call, or one of per4m's holdings.
        let mut spans: Vec<(Span, u32)> = Vec::new();
        let mut slices: Vec<Vec<Slice>> = vec![Vec::new(); lanes.len()];
        let mut lanes_calls: Vec<Call> = Vec::new();
        let mut traced: Vec<Holding> = Vec::new();
        for s in std::mem::take(&mut self.spans) {
            let Some(lane) = lane_of.get(s.thread as usize).copied().flatten() else {
                continue;
            };
            let (start_us, end_us) = (shift(s.start), shift(s.end));
            let info = s.info;
            let name = self.labels.get(info.label as usize).map(AsRef::as_ref);
            match self.classify(&info, name, from_lanes) {
                Kind::State(state) => {
                    let gil = lanes
                        .get(lane as usize)
                        .is_some_and(|l| l.kind == LaneKind::Gil);
                    let span = Span {
                        lane,
                        state,
                        start_us,
                        end_us,
                        task: info.task.filter(|_| !gil),
                        holder: info.holder.or(info.task).filter(|_| gil),
                    };
                    spans.push((span, info.label));
                }
                Kind::Call => {
                    if let (Some(depth), true) = (info.depth, from_lanes) {
                        lanes_calls.push(Call {
                            lane,
                            depth,
                            start_us,
                            end_us,
                            name: info.name_id.unwrap_or(info.label),
                        });
                    } else if let Some(slices) = slices.get_mut(lane as usize) {
                        slices.push(Slice {
                            start_us,
                            end_us,
                            name: info.label,
                        });
                    }
                }
                Kind::Held => traced.push(Holding {
                    holder: lane,
                    start_us,
                    end_us,
                }),
                Kind::Skip(reason) => self.skip(reason),
            }
        }
        if !from_lanes {
            self.drop_nested(&mut spans);
        }
        spans.sort_by(|a, b| span_order(&a.0, &b.0));

        // The calls, and the states they imply where the file says none.
        let label_texts: Vec<&str> = self.labels.iter().map(AsRef::as_ref).collect();
        let derive = !from_lanes && !facts.recorder;
        let stacks = stacks::stacks(&mut slices, &label_texts, &spans, derive);
        if stacks.clipped > 0 {
            let (n, verb) = match stacks.clipped {
                1 => ("1 slice".to_owned(), "it was"),
                n => (format!("{} slices", thousands(n)), "each was"),
            };
            self.notes.push(format!(
                "{n} ended after the slice {} started in; {verb} cut at that slice's end, \
                 as a call cannot outlive its caller.",
                if stacks.clipped == 1 { "it" } else { "they" }
            ));
        }
        if stacks.too_deep > 0 {
            *self.skipped.entry(SkipReason::TooDeep).or_insert(0) += stacks.too_deep;
        }
        let mut calls = stacks.calls;
        calls.extend(lanes_calls);
        if !stacks.derived.is_empty() {
            spans.extend(stacks.derived);
            spans.sort_by(|a, b| span_order(&a.0, &b.0));
        }
        let (mut calls, call_names) = self.call_names(calls, facts.call_names.as_deref());
        calls.sort_by(crate::calls::call_order);
        progress.built(2);

        if facts.recorder {
            self.recorder_notes(metadata.as_ref());
        }

        // The GIL lanes.
        let gil_source = if from_lanes || facts.gil_disabled {
            GilSource::None
        } else if facts.recorder {
            GilSource::Measured
        } else if !traced.is_empty() {
            GilSource::Traced
        } else if facts.python_tool || self.viztracer || calls_names_python(&calls, &call_names) {
            GilSource::Inferred
        } else {
            // Not a Python program's trace: its threads share no GIL.
            GilSource::None
        };
        let processes = self.processes_of(&order);
        let gil = stacks::gil_lanes(
            gil_source,
            facts.interval_us,
            &processes,
            &lanes,
            spans,
            &calls,
            traced,
        );
        lanes.extend(gil.lanes);
        let spans = gil.spans;
        progress.built(3);
        let gil_evidence = if from_lanes {
            facts.lanes_gil_evidence
        } else if facts.recorder && facts.measured {
            Some(GilEvidence::Measured)
        } else {
            gil.evidence
        };

        if !from_lanes && let Some(evidence) = gil_evidence {
            self.notes.push(format!(
                "The GIL lane is {}: {}.",
                evidence.label(),
                evidence.explanation()
            ));
        }
        let labels =
            SpanLabels::from_sorted(spans.iter().enumerate().filter_map(|(i, &(_, label))| {
                let text = self.labels.get(label as usize)?;
                Some((u32::try_from(i).ok()?, text.as_ref()))
            }));
        let spans: Vec<Span> = spans.into_iter().map(|(s, _)| s).collect();

        let events: Vec<Event> = std::mem::take(&mut self.events)
            .into_iter()
            .map(|(at, pending)| Event {
                at_us: shift(at),
                kind: match pending {
                    Pending::Ready(kind) => kind,
                    Pending::Instant { thread, name } => EventKind::Instant {
                        lane: thread.and_then(|t| lane_of.get(t as usize).copied().flatten()),
                        name,
                    },
                },
            })
            .collect();

        if self.foreign_flows > 0 {
            self.notes.push(format!(
                "{} flow events (arrows) from another tool were kept as instant marks.",
                thousands(self.foreign_flows)
            ));
        }
        if !from_lanes && lanes.is_empty() && events.is_empty() {
            return Err(ImportError::Empty);
        }
        let source = lanes_source.unwrap_or_else(|| {
            // `order` keeps each process's threads together.
            let mut pids: Vec<&Id<'_>> = order
                .iter()
                .map(|&i| &self.threads[i as usize].pid)
                .collect();
            pids.dedup();
            Source::Imported(Foreign {
                // VizTracer names itself in its own `viztracer_metadata`.
                tool: metadata
                    .as_ref()
                    .and_then(|m| m.get("source"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| self.viztracer.then(|| "viztracer".to_owned())),
                start_us: offset.unwrap_or(0.0),
                processes: u32::try_from(pids.len()).unwrap_or(u32::MAX),
                metadata: file_fields(metadata.as_ref()),
            })
        });
        let mut trace = Trace::from_source(source, lanes, spans).with_events(events);
        trace.labels = labels;
        trace.calls = Calls::new(calls, call_names);
        trace.gil_evidence = gil_evidence;
        trace.audio = audio.map(Box::new);
        trace.validate()?;
        let traces = match metadata.as_ref().and_then(|m| m.get("runs")) {
            Some(runs) if !from_lanes => {
                match runs::split(&trace, runs, metadata.as_ref(), offset.unwrap_or(0.0)) {
                    Ok(traces) => {
                        // Each run cut from the sound whole is checked again.
                        for t in &traces {
                            t.validate()?;
                        }
                        traces
                    }
                    Err(why) => {
                        self.notes.push(format!(
                            "The file's list of runs could not be read ({why}); it was read \
                             as one trace."
                        ));
                        vec![trace]
                    }
                }
            }
            _ => vec![trace],
        };
        let report = ImportReport {
            from_lanes,
            events: self.seen.saturating_add(self.counted),
            skipped: self
                .skipped
                .into_iter()
                .map(|(reason, count)| Skipped { reason, count })
                .collect(),
            notes: self.notes,
        };
        progress.built(BUILDING_STEPS);
        Ok(Imported { traces, report })
    }

    /// The audio track of a file Lanes wrote with one (see
    /// [`super::audio`]). In any other file the audio category's events
    /// are read as any file's are: its counters skipped, its instants
    /// marks on their lanes.
    fn audio_track(&mut self, metadata: Option<&Value>, from_lanes: bool) -> Option<Audio> {
        let marks = std::mem::take(&mut self.audio);
        let found = if from_lanes {
            audio::track(metadata, &marks)
        } else {
            None
        };
        match found {
            Some(Ok((track, unreadable))) => {
                for _ in 0..unreadable {
                    self.skip(SkipReason::UnreadableLanesEvent);
                }
                return Some(track);
            }
            Some(Err(why)) => self.notes.push(format!(
                "The file's audio track could not be read ({why}); its events were read as \
                 marks."
            )),
            None => {}
        }
        for mark in marks {
            match mark {
                AudioMark::Fill(_) => self.skip(SkipReason::Phase("C".to_owned())),
                AudioMark::Instant {
                    at, thread, name, ..
                } => self.events.push((at, Pending::Instant { thread, name })),
            }
        }
        None
    }

    /// What `lanes_record.py` says went wrong or was left out: how the
    /// program ended (`exit`), the event cap it hit (`capped`), the runs of
    /// a lesson it could not make (`skipped`).
    fn recorder_notes(&mut self, metadata: Option<&Value>) {
        for (key, what) in [
            ("exit", "The recorded program ended so"),
            ("capped", "The recorder stopped recording events"),
            ("skipped", "The recorder left out"),
        ] {
            if let Some(text) = metadata.and_then(|m| m.get(key)).and_then(Value::as_str) {
                let text = crate::words::visible(text);
                self.notes.push(format!("{what}: {text}."));
            }
        }
    }

    /// What a slice is, by its category and name: a state span, a call,
    /// one of per4m's GIL holdings, or something left out.
    fn classify(&self, info: &SliceInfo, name: Option<&str>, from_lanes: bool) -> Kind {
        match info.cat {
            Cat::LanesCall => Kind::Call,
            Cat::Per4mGil if !from_lanes => match name {
                Some("GIL") => Kind::Held,
                _ => Kind::Skip(SkipReason::GilDetail),
            },
            Cat::Per4mSched if !from_lanes => match name {
                Some("S(GIL)") => Kind::State(State::GilWait),
                _ => Kind::Skip(SkipReason::SchedulerState),
            },
            _ if from_lanes || info.named_state => Kind::State(info.state),
            _ => Kind::Call,
        }
    }

    /// The earliest time of each thread's slices and instants (infinite
    /// for a thread that has none).
    fn earliest_of_threads(&self) -> Vec<f64> {
        let mut earliest = vec![f64::INFINITY; self.threads.len()];
        let mut note = |thread: u32, at: f64| {
            if let Some(e) = earliest.get_mut(thread as usize) {
                *e = e.min(at);
            }
        };
        for s in &self.spans {
            note(s.thread, s.start);
        }
        for (at, pending) in &self.events {
            if let Pending::Instant {
                thread: Some(t), ..
            } = pending
            {
                note(*t, *at);
            }
        }
        earliest
    }

    /// The lanes of each process, in lane order, and its name.
    fn processes_of(&self, order: &[u32]) -> Vec<ProcessLanes> {
        let mut out: Vec<ProcessLanes> = Vec::new();
        let mut last: Option<&Id<'_>> = None;
        for (lane, &i) in order.iter().enumerate() {
            let lane = u32::try_from(lane).unwrap_or(u32::MAX);
            let pid = &self.threads[i as usize].pid;
            match out.last_mut() {
                Some(p) if last == Some(pid) => p.lanes.end = lane.saturating_add(1),
                _ => out.push(ProcessLanes {
                    lanes: lane..lane.saturating_add(1),
                    name: self
                        .processes
                        .get(pid)
                        .and_then(|p| p.name.as_deref())
                        .map_or_else(|| format!("Process {pid}"), str::to_owned),
                }),
            }
            last = Some(pid);
        }
        out
    }

    /// The calls with their names: the names the calls use, each once, in
    /// the order of first use (lane by lane, in start order), or, for a file
    /// Lanes wrote, its own list (`metadata.call_names`, which the calls'
    /// `args.name_id` index).
    fn call_names(
        &self,
        mut calls: Vec<Call>,
        given: Option<&[String]>,
    ) -> (Vec<Call>, Vec<String>) {
        if let Some(given) = given
            && calls.iter().all(|c| (c.name as usize) < given.len())
        {
            return (calls, given.to_vec());
        }
        const NONE: u32 = u32::MAX;
        let mut index = vec![NONE; self.labels.len()];
        let mut names = Vec::new();
        for c in &mut calls {
            let Some(slot) = index.get_mut(c.name as usize) else {
                // A call with no name: named "".
                continue;
            };
            if *slot == NONE {
                *slot = u32::try_from(names.len()).unwrap_or(NONE);
                names.push(self.labels[c.name as usize].as_ref().to_owned());
            }
            c.name = *slot;
        }
        // Calls with no name share one "" at the end.
        if calls.iter().any(|c| c.name as usize >= names.len()) {
            let empty = u32::try_from(names.len()).unwrap_or(NONE);
            names.push(String::new());
            for c in calls
                .iter_mut()
                .filter(|c| c.name as usize >= names.len() - 1)
            {
                c.name = empty;
            }
        }
        (calls, names)
    }

    /// Where the trace came from, when Lanes wrote the file: its run's
    /// metadata, or what the file it had imported said of itself.
    fn lanes_source(&mut self, metadata: Option<&Value>) -> Option<Source> {
        let metadata = metadata?;
        if metadata.get("source").and_then(Value::as_str) != Some(names::SOURCE) {
            return None;
        }
        if let Some(Ok(Origin::Imported { foreign, .. })) =
            metadata.get("origin").map(Origin::deserialize)
        {
            return Some(Source::Imported(foreign.into_owned()));
        }
        match Meta::deserialize(metadata) {
            Ok(meta) => Some(Source::Lanes(meta)),
            Err(e) => {
                self.notes.push(format!(
                    "The metadata says Lanes wrote this file, but it could not be read ({e}); \
                     the file was read as one from another tool."
                ));
                None
            }
        }
    }

    /// Pairs `B` and `E` events per thread, in time order, as a stack.
    fn match_begins_and_ends(&mut self) {
        let mut marks = std::mem::take(&mut self.marks);
        marks.sort_by(|a, b| a.thread.cmp(&b.thread).then(a.at.total_cmp(&b.at)));
        let mut open: Vec<Mark> = Vec::new();
        let mut thread = None;
        for m in marks {
            if thread != Some(m.thread) {
                for _ in open.drain(..) {
                    self.skip(SkipReason::BeginWithoutEnd);
                }
                thread = Some(m.thread);
            }
            if m.begin {
                open.push(m);
            } else if let Some(b) = open.pop() {
                self.use_thread(b.thread);
                self.spans.push(SpanRec {
                    thread: b.thread,
                    start: b.at,
                    end: m.at,
                    info: b.info,
                });
            } else {
                self.skip(SkipReason::EndWithoutBegin);
            }
        }
        for _ in open.drain(..) {
            self.skip(SkipReason::BeginWithoutEnd);
        }
        for _ in std::mem::take(&mut self.open_async) {
            self.skip(SkipReason::BeginWithoutEnd);
        }
    }

    /// Keeps, on each lane, state slices that do not overlap: a slice inside
    /// the last slice kept is skipped (the outer one is kept), and one that
    /// starts inside it but ends after it starts at its end instead (tools
    /// that write `ts` and `dur` rounded make neighbours overlap by a
    /// fraction of a µs).
    fn drop_nested(&mut self, spans: &mut Vec<(Span, u32)>) {
        spans.sort_by(|a, b| {
            let (a, b) = (&a.0, &b.0);
            a.lane
                .cmp(&b.lane)
                .then(a.start_us.total_cmp(&b.start_us))
                .then(b.end_us.total_cmp(&a.end_us))
        });
        let mut dropped = 0;
        let mut last: Option<(u32, f64)> = None;
        spans.retain_mut(|(s, _)| {
            if let Some((lane, end)) = last
                && lane == s.lane
                && s.start_us < end
            {
                if s.end_us <= end {
                    dropped += 1;
                    return false;
                }
                s.start_us = end;
            }
            last = Some((s.lane, s.end_us));
            true
        });
        if dropped > 0 {
            *self.skipped.entry(SkipReason::Nested).or_insert(0) += dropped;
        }
    }

    /// The lanes for the threads in `order`. In another tool's file of
    /// several processes, each child process (every one but `parent`) is a
    /// process lane: its main thread (whose id is the process's) or its one
    /// thread; the parent's threads stay threads.
    fn lanes(&self, order: &[u32], from_lanes: bool, parent: Option<&Id<'a>>) -> Vec<Lane> {
        let mut threads_of: BTreeMap<&Id<'a>, usize> = BTreeMap::new();
        for &i in order {
            *threads_of.entry(&self.threads[i as usize].pid).or_insert(0) += 1;
        }
        let several = threads_of.len() > 1;
        order
            .iter()
            .map(|&i| {
                let t = &self.threads[i as usize];
                let process = self.processes.get(&t.pid).and_then(|p| p.name.as_deref());
                let thread = t.name.as_deref();
                let alone = threads_of.get(&t.pid).copied() == Some(1);
                let child = parent != Some(&t.pid);
                let kind = t.kind.unwrap_or(
                    if several && child && (alone || t.tid == t.pid) && !from_lanes {
                        LaneKind::Process
                    } else {
                        LaneKind::Thread
                    },
                );
                let name = if from_lanes || !several {
                    thread.map_or_else(|| format!("Thread {}", t.tid), str::to_owned)
                } else if kind == LaneKind::Process {
                    process
                        .or(thread)
                        .map_or_else(|| format!("Process {}", t.pid), str::to_owned)
                } else {
                    let process =
                        process.map_or_else(|| format!("Process {}", t.pid), str::to_owned);
                    let thread = thread.map_or_else(|| format!("thread {}", t.tid), str::to_owned);
                    format!("{process} · {thread}")
                };
                // Ids that are strings make names too ("thread CrRendererMain"),
                // not only the names read through `text`.
                let name = crate::words::visible(&name).into_owned();
                Lane { kind, name }
            })
            .collect()
    }
}

/// Whether some call has a name a Python tracer writes.
fn calls_names_python(calls: &[Call], names: &[String]) -> bool {
    !calls.is_empty() && names.iter().any(|n| crate::python::looks_like_python(n))
}

/// The text, number and yes/no fields of another tool's `metadata` but its
/// `source`, as text made visible (see [`crate::words::visible`]), at most
/// [`MAX_FILE_FIELDS`] of them, each cut to [`MAX_FIELD_CHARS`] characters.
fn file_fields(metadata: Option<&Value>) -> BTreeMap<String, String> {
    let Some(Value::Object(fields)) = metadata else {
        return BTreeMap::new();
    };
    let cut = |s: &str| {
        crate::words::visible(&s.chars().take(MAX_FIELD_CHARS).collect::<String>()).into_owned()
    };
    let mut kept = BTreeMap::new();
    // Inserted one by one: collecting would sort them again (more wasm).
    for (name, value) in fields.iter().filter(|(name, _)| name.as_str() != "source") {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => continue,
        };
        if kept.len() == MAX_FILE_FIELDS {
            break;
        }
        kept.insert(cut(name), cut(&text));
    }
    kept
}

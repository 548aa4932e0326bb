//! The second half of an import: from the events read to a sound trace.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::import::{Collector, Id, Mark, Pending, SpanRec};
use super::names::{self, Origin};
use super::report::{ImportError, ImportReport, Imported, SkipReason, Skipped, thousands};
use crate::model::span_order;
use crate::{Event, EventKind, Foreign, Lane, LaneKind, Meta, Source, Span, SpanLabels, Trace};

/// The most fields of another tool's `metadata` an import keeps.
const MAX_FILE_FIELDS: usize = 64;
/// The most characters of one such field it keeps.
const MAX_FIELD_CHARS: usize = 256;

impl<'a> Collector<'a> {
    /// Builds the trace from what was read.
    pub(super) fn finish(mut self) -> Result<Imported, ImportError> {
        let metadata = self.metadata.take();
        let lanes_source = self.lanes_source(metadata.as_ref());
        let from_lanes = lanes_source.is_some();
        self.match_begins_and_ends();

        // Lanes, in a stable order.
        let mut order: Vec<u32> = (0..self.threads.len())
            .filter(|&i| self.threads[i].used)
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
        let lanes = self.lanes(&order, from_lanes);

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

        let mut spans: Vec<(Span, u32)> = self
            .spans
            .iter()
            .filter_map(|s| {
                let lane = (*lane_of.get(s.thread as usize)?)?;
                let gil = lanes
                    .get(lane as usize)
                    .is_some_and(|l| l.kind == LaneKind::Gil);
                let span = Span {
                    lane,
                    state: s.state,
                    start_us: shift(s.start),
                    end_us: shift(s.end),
                    task: s.task.filter(|_| !gil),
                    holder: s.holder.or(s.task).filter(|_| gil),
                };
                Some((span, s.label))
            })
            .collect();
        if !from_lanes {
            self.drop_nested(&mut spans);
        }
        spans.sort_by(|a, b| span_order(&a.0, &b.0));
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
                tool: metadata
                    .as_ref()
                    .and_then(|m| m.get("source"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                start_us: offset.unwrap_or(0.0),
                processes: u32::try_from(pids.len()).unwrap_or(u32::MAX),
                metadata: file_fields(metadata.as_ref()),
            })
        });
        let mut trace = Trace::from_source(source, lanes, spans).with_events(events);
        trace.labels = labels;
        trace.validate()?;
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
        Ok(Imported { trace, report })
    }

    /// Where the trace came from, when Lanes wrote the file: its run's
    /// metadata, or what the file it had imported said of itself.
    fn lanes_source(&mut self, metadata: Option<&Value>) -> Option<Source> {
        let metadata = metadata?;
        if metadata.get("source").and_then(Value::as_str) != Some(names::SOURCE) {
            return None;
        }
        if let Some(Ok(Origin::Imported(foreign))) = metadata.get("origin").map(Origin::deserialize)
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
                    state: b.state,
                    label: b.label,
                    task: b.task,
                    holder: b.holder,
                });
            } else {
                self.skip(SkipReason::EndWithoutBegin);
            }
        }
        for _ in open.drain(..) {
            self.skip(SkipReason::BeginWithoutEnd);
        }
    }

    /// Keeps, on each lane, only slices that start at or after the end of
    /// the last slice kept: the outermost of nested slices.
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
        spans.retain(|(s, _)| {
            let keep = last.is_none_or(|(lane, end)| lane != s.lane || s.start_us >= end);
            if keep {
                last = Some((s.lane, s.end_us));
            } else {
                dropped += 1;
            }
            keep
        });
        if dropped > 0 {
            *self.skipped.entry(SkipReason::Nested).or_insert(0) += dropped;
        }
    }

    /// The lanes for the threads in `order`.
    fn lanes(&self, order: &[u32], from_lanes: bool) -> Vec<Lane> {
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
                let kind = t.kind.unwrap_or(if several && alone && !from_lanes {
                    LaneKind::Process
                } else {
                    LaneKind::Thread
                });
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

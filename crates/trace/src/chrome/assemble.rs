//! The second half of an import: from the events read to a sound trace.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::import::{Collector, Id, Mark, Pending, SpanRec};
use super::names;
use super::report::{ImportError, ImportReport, Imported, SkipReason, Skipped, thousands};
use crate::model::span_order;
use crate::{
    Event, EventKind, Lane, LaneKind, Meta, Mode, Model, Origin, Scenario, Span, SpanLabels, Trace,
    Workload,
};

impl<'a> Collector<'a> {
    /// Builds the trace from what was read.
    pub(super) fn finish(mut self) -> Result<Imported, ImportError> {
        let metadata = self.metadata.take();
        let lanes_meta = self.lanes_meta(metadata.as_ref());
        let from_lanes = lanes_meta.is_some();
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
                let span = Span {
                    lane,
                    state: s.state,
                    start_us: shift(s.start),
                    end_us: shift(s.end),
                    task: s.task,
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
        let (meta, origin) = match lanes_meta {
            Some((meta, origin)) => (meta, origin),
            None => (
                placeholder_meta(&lanes),
                Origin::Imported {
                    tool: metadata
                        .as_ref()
                        .and_then(|m| m.get("source"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                },
            ),
        };
        let mut trace = Trace::new(meta, lanes, spans)
            .with_events(events)
            .with_origin(origin);
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

    /// The run's metadata and origin, when Lanes wrote the file.
    fn lanes_meta(&mut self, metadata: Option<&Value>) -> Option<(Meta, Origin)> {
        let metadata = metadata?;
        if metadata.get("source").and_then(Value::as_str) != Some(names::SOURCE) {
            return None;
        }
        match Meta::deserialize(metadata) {
            Ok(meta) => {
                let origin = metadata
                    .get("origin")
                    .and_then(|o| Origin::deserialize(o).ok())
                    .unwrap_or_default();
                Some((meta, origin))
            }
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

/// The metadata of a trace another tool wrote: placeholders, since the file
/// does not say what ran (see [`from_chrome_json`]).
fn placeholder_meta(lanes: &[Lane]) -> Meta {
    let k = u32::try_from(lanes.len()).unwrap_or(u32::MAX).max(1);
    Meta {
        scenario: Scenario {
            model: if lanes.len() > 1 {
                Model::Free
            } else {
                Model::Sequential
            },
            workload: Workload::Primes,
            k,
            size: 0,
            tasks: 0,
            interval_us: Scenario::DEFAULT_INTERVAL_US,
            latency_us: Scenario::DEFAULT_LATENCY_US,
        },
        mode: Mode::Live,
        cores: 0,
        cross_origin_isolated: false,
        environment: "imported".to_owned(),
        result: 0,
        seed: None,
    }
}

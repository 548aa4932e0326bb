//! A lesson `lanes_record.py` ran (`--lesson N`): one file, several runs of
//! the same scenarios as Lanes' own, each cut out as a trace of its own.

use serde::Deserialize;
use serde_json::Value;

use crate::{Call, Calls, Event, EventKind, Lane, LaneKind, Meta, Mode, Scenario, Span, Trace};

/// One entry of `metadata.runs`: the scenario (Lanes' own field names), its
/// window on the events' clock, and its answer.
#[derive(Debug, Deserialize)]
struct Run {
    #[serde(flatten)]
    scenario: Scenario,
    start_us: f64,
    end_us: f64,
    #[serde(default)]
    result: Option<u64>,
}

/// The trace of each run in `runs` (the file's `metadata.runs`), cut from
/// the whole file's `trace`, whose times were shifted back by `offset_us`:
/// the lanes, spans, calls and events within the run's window, clipped to
/// it, with times from the run's start; lanes with nothing in it are left
/// out, and a GIL lane that only one thread held in it too. Each is a
/// [`Mode::Recorded`] run. An error says why the list cannot be read.
pub(super) fn split(
    trace: &Trace,
    runs: &Value,
    metadata: Option<&Value>,
    offset_us: f64,
) -> Result<Vec<Trace>, String> {
    let runs: Vec<Run> = Vec::deserialize(runs).map_err(|e| e.to_string())?;
    if runs.is_empty() {
        return Err("it is empty".to_owned());
    }
    let text = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Value::as_str);
    let number = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Value::as_f64);
    let cores = number("cores")
        .and_then(|c| u32::try_from(c as i64).ok())
        .unwrap_or(0);
    let environment = environment(
        text("implementation").unwrap_or("CPython"),
        text("python"),
        text("gil"),
        number("switch_interval_us"),
    );
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            let (from, to) = (run.start_us - offset_us, run.end_us - offset_us);
            if !(from.is_finite() && to.is_finite() && from <= to) {
                return Err(format!("run {} has no window of time", i + 1));
            }
            let meta = Meta {
                scenario: run.scenario,
                mode: Mode::Recorded,
                cores,
                cross_origin_isolated: false,
                environment: environment.clone(),
                result: run.result,
                seed: None,
            };
            let mut t = window(trace, from, to, meta);
            t.gil_evidence = trace.gil_evidence;
            Ok(t)
        })
        .collect()
}

/// "CPython 3.11.2, GIL, switch interval 5 ms".
fn environment(
    implementation: &str,
    version: Option<&str>,
    gil: Option<&str>,
    interval_us: Option<f64>,
) -> String {
    let mut parts = vec![match version {
        Some(v) => format!("{implementation} {v}"),
        None => implementation.to_owned(),
    }];
    match gil {
        Some("disabled") => parts.push("free-threaded".to_owned()),
        Some(_) => parts.push("GIL".to_owned()),
        None => {}
    }
    if let Some(us) = interval_us.filter(|us| us.is_finite()) {
        parts.push(format!("switch interval {} ms", us / 1000.0));
    }
    parts.join(", ")
}

/// The part of `trace` from `from` to `to`, re-based to start at 0.
fn window(trace: &Trace, from: f64, to: f64, meta: Meta) -> Trace {
    let clip = |s: f64, e: f64| -> Option<(f64, f64)> {
        let (s2, e2) = (s.max(from), e.min(to));
        (e2 > s2 || (s == e && s >= from && s <= to)).then_some((s2 - from, e2 - from))
    };
    let lanes = trace.lanes.len();
    let mut used = vec![false; lanes];
    let spans: Vec<(Span, Option<&str>)> = trace
        .spans()
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (start_us, end_us) = clip(s.start_us, s.end_us)?;
            Some((
                Span {
                    start_us,
                    end_us,
                    ..*s
                },
                trace.span_label(i),
            ))
        })
        .collect();
    let calls: Vec<Call> = trace
        .calls
        .all()
        .iter()
        .filter_map(|c| {
            let (start_us, end_us) = clip(c.start_us, c.end_us)?;
            Some(Call {
                start_us,
                end_us,
                ..*c
            })
        })
        .collect();
    let events: Vec<Event> = trace
        .events
        .iter()
        .filter(|e| e.at_us >= from && e.at_us <= to)
        .map(|e| Event {
            at_us: e.at_us - from,
            kind: e.kind.clone(),
        })
        .collect();
    for (s, _) in &spans {
        mark(&mut used, s.lane);
    }
    for c in &calls {
        mark(&mut used, c.lane);
    }
    for e in &events {
        e.kind.lanes().for_each(|l| mark(&mut used, l));
    }
    // A GIL lane that only one thread held in the window says nothing.
    for (lane, l) in trace.lanes.iter().enumerate() {
        if l.kind != LaneKind::Gil {
            continue;
        }
        let mut holders: Vec<u32> = spans
            .iter()
            .filter(|(s, _)| s.lane as usize == lane)
            .filter_map(|(s, _)| s.holder)
            .collect();
        holders.sort_unstable();
        holders.dedup();
        if holders.len() < 2 {
            used[lane] = false;
        }
    }
    let mut new_index = vec![None; lanes];
    let mut kept: Vec<Lane> = Vec::new();
    for (lane, l) in trace.lanes.iter().enumerate() {
        if used[lane] {
            new_index[lane] = u32::try_from(kept.len()).ok();
            kept.push(l.clone());
        }
    }
    let at = |lane: u32| new_index.get(lane as usize).copied().flatten();
    let spans: Vec<(Span, Option<String>)> = spans
        .into_iter()
        .filter_map(|(s, label)| {
            Some((
                Span {
                    lane: at(s.lane)?,
                    holder: s.holder.and_then(at),
                    ..s
                },
                label.map(str::to_owned),
            ))
        })
        .collect();
    let calls: Vec<Call> = calls
        .into_iter()
        .filter_map(|c| {
            Some(Call {
                lane: at(c.lane)?,
                ..c
            })
        })
        .collect();
    let events: Vec<Event> = events
        .into_iter()
        .filter_map(|e| {
            let kind = match e.kind {
                EventKind::Handoff { from, to } => EventKind::Handoff {
                    from: from.and_then(at),
                    to: at(to)?,
                },
                EventKind::ForcedSwitch { lane } => EventKind::ForcedSwitch { lane: at(lane)? },
                EventKind::Send {
                    from,
                    to,
                    bytes,
                    id,
                } => EventKind::Send {
                    from: at(from)?,
                    to: at(to)?,
                    bytes,
                    id,
                },
                EventKind::Receive {
                    from,
                    to,
                    bytes,
                    id,
                } => EventKind::Receive {
                    from: at(from)?,
                    to: at(to)?,
                    bytes,
                    id,
                },
                EventKind::Instant { lane, name } => EventKind::Instant {
                    lane: match lane {
                        Some(l) => Some(at(l)?),
                        None => None,
                    },
                    name,
                },
            };
            Some(Event {
                at_us: e.at_us,
                kind,
            })
        })
        .collect();
    let mut t = Trace::new_labelled(meta, kept, spans).with_events(events);
    t.calls = Calls::new(calls, trace.calls.names().to_vec());
    t
}

fn mark(used: &mut [bool], lane: u32) {
    if let Some(u) = used.get_mut(lane as usize) {
        *u = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_reads_as_a_sentence() {
        assert_eq!(
            environment("CPython", Some("3.11.2"), Some("enabled"), Some(5000.0)),
            "CPython 3.11.2, GIL, switch interval 5 ms"
        );
        assert_eq!(
            environment("CPython", Some("3.13.0"), Some("disabled"), Some(100.0)),
            "CPython 3.13.0, free-threaded, switch interval 0.1 ms"
        );
        assert_eq!(environment("CPython", None, None, None), "CPython");
    }
}

//! Export to the Chrome Trace Event JSON format (the object form), which
//! Perfetto and `chrome://tracing` open. Times there are in microseconds.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::{Meta, Trace};

/// The process id every lane of one run shares.
const PID: u32 = 1;

#[derive(Serialize)]
struct ChromeTrace<'a> {
    #[serde(rename = "traceEvents")]
    trace_events: Vec<Event<'a>>,
    #[serde(rename = "displayTimeUnit")]
    display_time_unit: &'static str,
    metadata: Metadata<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Event<'a> {
    Complete {
        name: &'static str,
        cat: &'static str,
        ph: &'static str,
        ts: f64,
        dur: f64,
        pid: u32,
        tid: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        args: Option<TaskArgs>,
    },
    Meta {
        name: &'static str,
        ph: &'static str,
        pid: u32,
        tid: u32,
        args: MetaArgs<'a>,
    },
}

#[derive(Serialize)]
struct TaskArgs {
    task: u32,
}

#[derive(Serialize)]
#[serde(untagged)]
enum MetaArgs<'a> {
    Name { name: Cow<'a, str> },
    Sort { sort_index: u32 },
}

#[derive(Serialize)]
struct Metadata<'a> {
    source: &'static str,
    #[serde(flatten)]
    meta: &'a Meta,
    makespan_ms: f64,
}

/// The Chrome thread id of a lane: lanes count from 1, 0 is the process.
fn tid(lane: u32) -> u32 {
    lane.saturating_add(1)
}

fn document(trace: &Trace) -> ChromeTrace<'_> {
    let mut events = Vec::with_capacity(trace.spans.len() + 2 * trace.lanes.len() + 1);
    let process = format!(
        "{} · {} · k={}",
        trace.meta.scenario.model.title(),
        trace.meta.scenario.workload.title(),
        trace.meta.scenario.k
    );
    events.push(Event::Meta {
        name: "process_name",
        ph: "M",
        pid: PID,
        tid: 0,
        args: MetaArgs::Name {
            name: Cow::Owned(process),
        },
    });
    for (i, lane) in trace.lanes.iter().enumerate() {
        let lane_id = u32::try_from(i).unwrap_or(u32::MAX);
        events.push(Event::Meta {
            name: "thread_name",
            ph: "M",
            pid: PID,
            tid: tid(lane_id),
            args: MetaArgs::Name {
                name: Cow::Borrowed(&lane.name),
            },
        });
        events.push(Event::Meta {
            name: "thread_sort_index",
            ph: "M",
            pid: PID,
            tid: tid(lane_id),
            args: MetaArgs::Sort {
                sort_index: lane_id,
            },
        });
    }
    events.extend(trace.spans.iter().map(|s| Event::Complete {
        name: s.state.as_str(),
        cat: "lanes",
        ph: "X",
        ts: s.start_us,
        dur: s.duration_us(),
        pid: PID,
        tid: tid(s.lane),
        args: s.task.map(|task| TaskArgs { task }),
    }));
    ChromeTrace {
        trace_events: events,
        display_time_unit: "ms",
        metadata: Metadata {
            source: "lanes",
            meta: &trace.meta,
            makespan_ms: trace.makespan_ms(),
        },
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
    use crate::model::tests::trace_of;

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
        let m = &v["metadata"];
        assert_eq!(m["model"], "free");
        assert_eq!(m["workload"], "primes");
        assert_eq!(m["mode"], "live");
        assert_eq!(m["k"], 2);
        assert_eq!(m["makespan_ms"], 1.5);
        assert_eq!(
            serde_json::from_str::<Value>(&to_chrome_json(&t)).ok(),
            Some(v)
        );
    }
}

//! Reading Chrome traces that other tools wrote.

use lanes_trace::{
    EventKind, Foreign, LaneKind, Model, SkipReason, Source, State, from_chrome_json,
    to_chrome_json,
};

fn skipped(report: &lanes_trace::ImportReport, reason: &SkipReason) -> usize {
    report
        .skipped
        .iter()
        .find(|s| &s.reason == reason)
        .map_or(0, |s| s.count)
}

#[test]
fn reads_a_bare_list_of_slices_names_and_instants() {
    let json = r#"[
        {"name": "thread_name", "ph": "M", "pid": 7, "tid": 12, "args": {"name": "MainThread"}},
        {"name": "thread_name", "ph": "M", "pid": 7, "tid": 13, "args": {"name": "worker"}},
        {"name": "thread_sort_index", "ph": "M", "pid": 7, "tid": 13, "args": {"sort_index": -1}},
        {"name": "fetch", "ph": "X", "ts": 1000.5, "dur": 20, "pid": 7, "tid": 12},
        {"name": "io_wait", "ph": "X", "ts": 1030, "dur": 5, "pid": 7, "tid": 12, "args": {"task": 3}},
        {"name": "parse", "ph": "B", "ts": 1001, "pid": 7, "tid": 13},
        {"ph": "E", "ts": 1009, "pid": 7, "tid": 13},
        {"ph": "E", "ts": 1010, "pid": 7, "tid": 13},
        {"name": "tick", "ph": "i", "ts": 1002, "pid": 7, "tid": 12, "s": "t"},
        {"name": "gc", "ph": "I", "ts": 1003, "pid": 7, "s": "g"},
        {"name": "mem", "ph": "C", "ts": 1004, "pid": 7, "args": {"rss": 5}},
        {"name": "mem", "ph": "C", "ts": 1005, "pid": 7, "args": {"rss": 6}}
    ]"#;
    let imported = from_chrome_json(json).unwrap();
    let t = &imported.traces[0];
    assert_eq!(t.validate(), Ok(()));
    // The sort index puts the worker first.
    let names: Vec<_> = t.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["worker", "MainThread"]);
    assert!(t.lanes.iter().all(|l| l.kind == LaneKind::Thread));
    // Times start at the earliest event.
    let main = t.lane_spans(1);
    assert_eq!(main.len(), 2);
    assert_eq!((main[0].start_us, main[0].end_us), (0.0, 20.0));
    assert_eq!(main[0].state, State::Running);
    assert_eq!(main[1].state, State::IoWait);
    assert_eq!(main[1].task, Some(3));
    let worker = t.lane_spans(0);
    assert_eq!((worker[0].start_us, worker[0].end_us), (0.5, 8.5));
    // Slices that are not named after a state keep their name as a label.
    let labels: Vec<_> = t.labels.iter().collect();
    assert_eq!(labels, [(0, "parse"), (1, "fetch")]);
    assert_eq!(t.span_label(2), None);
    // Instants: one on a thread, one global.
    let instants: Vec<_> = t.events.iter().map(|e| (e.at_us, e.kind.clone())).collect();
    assert_eq!(
        instants,
        [
            (
                1.5,
                EventKind::Instant {
                    lane: Some(1),
                    name: "tick".to_owned()
                }
            ),
            (
                2.5,
                EventKind::Instant {
                    lane: None,
                    name: "gc".to_owned()
                }
            ),
        ]
    );
    let r = &imported.report;
    assert!(!r.from_lanes);
    assert_eq!(r.events, 12);
    assert_eq!(skipped(r, &SkipReason::Phase("C".to_owned())), 2);
    assert_eq!(skipped(r, &SkipReason::EndWithoutBegin), 1);
    assert_eq!(r.skipped_total(), 3);
    // The file does not say what ran: no Lanes metadata, only its own facts.
    assert_eq!(t.meta(), None);
    assert_eq!(
        t.source,
        Source::Imported(Foreign {
            tool: None,
            start_us: 1000.5,
            processes: 1,
            metadata: Default::default(),
        })
    );
    assert_eq!(t.name(), "imported from another tool");
    let summary = r.to_string();
    assert!(
        summary.starts_with("Read 12 events. Skipped 2 counter events (\"C\");"),
        "{summary}"
    );
    assert!(summary.contains("Times were shifted"), "{summary}");
}

#[test]
fn keeps_nested_slices_as_calls_and_counts_unclosed_begins() {
    let json = r#"{"traceEvents": [
        {"name": "main", "ph": "X", "ts": 0, "dur": 100, "pid": 1, "tid": 1},
        {"name": "inner", "ph": "X", "ts": 10, "dur": 10, "pid": 1, "tid": 1},
        {"name": "straddles", "ph": "X", "ts": 90, "dur": 20, "pid": 1, "tid": 1},
        {"name": "after", "ph": "X", "ts": 100, "dur": 5, "pid": 1, "tid": 1},
        {"name": "outer", "ph": "B", "ts": 200, "pid": 1, "tid": 1},
        {"name": "open", "ph": "B", "ts": 210, "pid": 1, "tid": 1},
        {"ph": "E", "ts": 220, "pid": 1, "tid": 1}
    ], "metadata": {"source": "viztracer"}}"#;
    let imported = from_chrome_json(json).unwrap();
    let t = &imported.traces[0];
    // The lane's states: running in each outermost call.
    let kept: Vec<_> = t.spans().iter().map(|s| (s.start_us, s.end_us)).collect();
    assert_eq!(kept, [(0.0, 100.0), (100.0, 105.0), (210.0, 220.0)]);
    // Every slice is a call with its depth; the one that outlives its
    // caller is cut at the caller's end, and said so.
    let calls: Vec<_> = t
        .calls
        .all()
        .iter()
        .map(|c| (t.calls.name(c), c.depth, c.start_us, c.end_us))
        .collect();
    assert_eq!(
        calls,
        [
            ("main", 0, 0.0, 100.0),
            ("after", 0, 100.0, 105.0),
            ("open", 0, 210.0, 220.0),
            ("inner", 1, 10.0, 20.0),
            ("straddles", 1, 90.0, 100.0),
        ]
    );
    assert_eq!(skipped(&imported.report, &SkipReason::Nested), 0);
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.starts_with("1 slice ended after")),
        "{:?}",
        imported.report.notes
    );
    assert_eq!(skipped(&imported.report, &SkipReason::BeginWithoutEnd), 1);
    assert_eq!(t.meta(), None);
    let Source::Imported(foreign) = &t.source else {
        panic!("another tool's file: {:?}", t.source);
    };
    assert_eq!(foreign.tool.as_deref(), Some("viztracer"));
    assert_eq!(t.name(), "imported from viztracer");
}

#[test]
fn processes_with_one_thread_become_process_lanes() {
    let json = r#"[
        {"name": "process_name", "ph": "M", "pid": 20, "args": {"name": "worker-2"}},
        {"name": "process_name", "ph": "M", "pid": 10, "args": {"name": "parent"}},
        {"name": "thread_name", "ph": "M", "pid": 10, "tid": 2, "args": {"name": "feeder"}},
        {"name": "work", "ph": "X", "ts": 5, "dur": 1, "pid": 20, "tid": 20},
        {"name": "wait", "ph": "X", "ts": 5, "dur": 1, "pid": 10, "tid": 1},
        {"name": "feed", "ph": "X", "ts": 5, "dur": 1, "pid": 10, "tid": 2},
        {"name": "hi", "ph": "X", "ts": 5, "dur": 1, "pid": "browser", "tid": "ui"}
    ]"#;
    let t = from_chrome_json(json).unwrap().traces.remove(0);
    let lanes: Vec<_> = t.lanes.iter().map(|l| (l.kind, l.name.as_str())).collect();
    assert_eq!(
        lanes,
        [
            (LaneKind::Thread, "parent · thread 1"),
            (LaneKind::Thread, "parent · feeder"),
            (LaneKind::Process, "worker-2"),
            (LaneKind::Process, "Process browser"),
        ]
    );
}

#[test]
fn flows_from_other_tools_become_instant_marks() {
    let json = r#"[
        {"name": "job", "ph": "X", "ts": 0, "dur": 10, "pid": 1, "tid": 1},
        {"name": "job", "ph": "X", "ts": 20, "dur": 10, "pid": 1, "tid": 2},
        {"name": "post", "cat": "ipc", "ph": "s", "id": "0x1f", "ts": 5, "pid": 1, "tid": 1},
        {"name": "post", "cat": "ipc", "ph": "f", "bp": "e", "id": "0x1f", "ts": 25, "pid": 1, "tid": 2}
    ]"#;
    let imported = from_chrome_json(json).unwrap();
    let kinds: Vec<_> = imported.traces[0]
        .events
        .iter()
        .map(|e| e.kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            EventKind::Instant {
                lane: Some(0),
                name: "post".to_owned()
            },
            EventKind::Instant {
                lane: Some(1),
                name: "post".to_owned()
            },
        ]
    );
    assert!(
        imported
            .report
            .to_string()
            .contains("2 flow events (arrows)")
    );
}

#[test]
fn accepts_a_list_cut_after_an_event() {
    let whole = r#"[{"name": "a", "ph": "X", "ts": 0, "dur": 1, "pid": 1, "tid": 1}"#;
    for text in [
        whole.to_owned(),
        format!("{whole},"),
        format!("{whole},\n  "),
    ] {
        let imported = from_chrome_json(&text).unwrap();
        assert_eq!(imported.traces[0].spans().len(), 1);
        assert!(
            imported.report.notes[0].contains("no closing"),
            "{:?}",
            imported.report.notes
        );
    }
}

#[test]
fn accepts_quoted_times_and_missing_ids_and_a_byte_order_mark() {
    let json = "\u{feff}[{\"name\": \"a\", \"ph\": \"X\", \"ts\": \"12.5\", \"dur\": \"2\"}]";
    let t = from_chrome_json(json).unwrap().traces.remove(0);
    assert_eq!(t.lanes.len(), 1);
    assert_eq!(t.lanes[0].name, "Thread 0");
    assert_eq!((t.spans()[0].start_us, t.spans()[0].end_us), (0.0, 2.0));
}

#[test]
fn reads_what_the_page_published_before_lanes_had_kinds() {
    // The export as it was before lane kinds, hand-offs and labels.
    let json = r#"{"traceEvents":[
        {"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"Free threads · count primes · k=2"}},
        {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"Thread 1"}},
        {"name":"thread_sort_index","ph":"M","pid":1,"tid":1,"args":{"sort_index":0}},
        {"name":"thread_name","ph":"M","pid":1,"tid":2,"args":{"name":"Thread 2"}},
        {"name":"thread_sort_index","ph":"M","pid":1,"tid":2,"args":{"sort_index":1}},
        {"name":"running","cat":"lanes","ph":"X","ts":1700000000000.25,"dur":1500.5,"pid":1,"tid":1,"args":{"task":0}},
        {"name":"running","cat":"lanes","ph":"X","ts":1700000000100.0,"dur":900,"pid":1,"tid":2,"args":{"task":1}}
    ],"displayTimeUnit":"ms","metadata":{"source":"lanes","model":"free","workload":"primes","k":2,
      "size":1000,"tasks":2,"mode":"live","cores":8,"cross_origin_isolated":true,
      "environment":"Mozilla/5.0","result":168,"makespan_ms":1700000001.50075}}"#;
    let imported = from_chrome_json(json).unwrap();
    assert!(imported.report.from_lanes);
    let t = &imported.traces[0];
    let meta = t.meta().unwrap();
    assert_eq!(meta.scenario.model, Model::Free);
    assert_eq!(meta.result, Some(168));
    assert_eq!(meta.environment, "Mozilla/5.0");
    // Written before the switch interval and the latency were recorded.
    assert_eq!(meta.scenario.interval_us, 5_000);
    assert_eq!(meta.scenario.latency_us, 20_000);
    assert_eq!(t.lanes.len(), 2);
    assert_eq!(t.lanes[1].kind, LaneKind::Thread);
    // Lanes times are kept as they are.
    assert_eq!(t.spans()[0].start_us, 1_700_000_000_000.25);
    assert_eq!(t.spans()[0].end_us, 1_700_000_000_000.25 + 1500.5);
    assert_eq!(t.spans()[1].task, Some(1));
}

#[test]
fn lanes_files_with_unreadable_metadata_are_read_as_foreign() {
    let json = r#"{"traceEvents":[
        {"name":"running","cat":"lanes","ph":"X","ts":10,"dur":5,"pid":1,"tid":1}
    ],"metadata":{"source":"lanes","model":"gil-with-a-future-name"}}"#;
    let imported = from_chrome_json(json).unwrap();
    assert!(!imported.report.from_lanes);
    assert!(
        imported.report.notes[0].contains("could not be read"),
        "{:?}",
        imported.report.notes
    );
    assert_eq!(imported.traces[0].spans()[0].start_us, 0.0);
}

#[test]
fn an_exported_gil_run_reads_back_with_its_holders() {
    use lanes_trace::{Lane, Span, Trace};
    let base = lanes_trace::synthetic::trace(2, 3);
    let mut lanes = base.lanes.clone();
    lanes.push(Lane {
        kind: LaneKind::Gil,
        name: "GIL".to_owned(),
    });
    let (start_us, end_us, state) = (0.0, 4.0, State::Running);
    let held = Span {
        lane: 2,
        state,
        start_us,
        end_us,
        task: None,
        holder: Some(1),
    };
    let spans = [base.spans(), &[held]].concat();
    // Events of every kind round-trip in round_trip.rs's property test.
    let t = Trace::new(base.meta().unwrap().clone(), lanes, spans);
    let json = to_chrome_json(&t);
    let back = from_chrome_json(&json).unwrap();
    assert_eq!(back.traces[0], t);
    assert_eq!(back.traces[0].lanes[2].kind, LaneKind::Gil);
    // The holder is `args.holder`, and `args.task` too for older readers.
    assert!(
        json.contains(r#""tid":3,"args":{"task":1,"holder":1}}"#),
        "{json}"
    );
    // Lanes wrote it only as `args.task` before it had its own field.
    let older = json.replace(r#""task":1,"holder":1"#, r#""task":1"#);
    assert!(!older.contains("holder"));
    assert_eq!(from_chrome_json(&older).unwrap().traces[0], t);
}

#[test]
fn another_tools_file_keeps_its_own_facts_through_export_and_import() {
    let json = r#"{"traceEvents": [
        {"name": "work", "ph": "X", "ts": 500, "dur": 10, "pid": 1, "tid": 1},
        {"name": "work", "ph": "X", "ts": 505, "dur": 10, "pid": 2, "tid": 2}
    ], "metadata": {"source": "viztracer", "version": "0.16", "cpus": 8, "nested": {"a": 1}}}"#;
    let t = from_chrome_json(json).unwrap().traces.remove(0);
    let Source::Imported(foreign) = &t.source else {
        panic!("another tool's file: {:?}", t.source);
    };
    assert_eq!(foreign.start_us, 500.0);
    assert_eq!(foreign.processes, 2);
    let fields: Vec<_> = foreign
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(fields, [("cpus", "8"), ("version", "0.16")]);
    // The export says where it came from, with no made-up run.
    let exported: serde_json::Value = serde_json::from_str(&to_chrome_json(&t)).unwrap();
    let m = &exported["metadata"];
    assert_eq!(m["source"], "lanes");
    assert_eq!(m["origin"]["from"], "imported");
    assert_eq!(m["origin"]["tool"], "viztracer");
    assert_eq!(m["origin"]["metadata"]["version"], "0.16");
    for placeholder in ["model", "workload", "k", "result", "mode", "environment"] {
        assert_eq!(m.get(placeholder), None, "{placeholder}");
    }
    // It reads back as it was: round_trip.rs's property test.
}

#[test]
fn an_import_exported_before_origins_had_facts_reads_as_imported() {
    // An imported trace as the page exported it with a placeholder run.
    let json = r#"{"traceEvents":[
        {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"Thread 1","kind":"thread"}},
        {"name":"running","cat":"lanes","ph":"X","ts":0,"dur":5,"pid":1,"tid":1}
    ],"metadata":{"source":"lanes","model":"sequential","workload":"primes","k":1,"size":0,
      "tasks":0,"mode":"live","cores":0,"cross_origin_isolated":false,"environment":"imported",
      "result":0,"makespan_ms":0.005,"origin":{"from":"imported","tool":"perf"}}}"#;
    let t = from_chrome_json(json).unwrap().traces.remove(0);
    assert_eq!(t.meta(), None);
    assert_eq!(t.name(), "imported from perf");
}

#[test]
fn a_result_not_computed_is_left_out_and_reads_back_absent() {
    let mut meta = lanes_trace::synthetic::trace(1, 1).meta().unwrap().clone();
    meta.result = None;
    let t = lanes_trace::Trace::new(meta, Vec::new(), Vec::new());
    let exported: serde_json::Value = serde_json::from_str(&to_chrome_json(&t)).unwrap();
    assert_eq!(exported["metadata"].get("result"), None);
    assert_eq!(exported["metadata"]["model"], "sequential");
    let back = from_chrome_json(&to_chrome_json(&t))
        .unwrap()
        .traces
        .remove(0);
    assert_eq!(back.meta().unwrap().result, None);
}

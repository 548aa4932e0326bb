//! Export then import gives back exactly the trace that was exported.

mod arbitrary;

use arbitrary::trace;
use lanes_trace::{
    Call, Calls, EventKind, Foreign, GilEvidence, Source, from_chrome_json, to_chrome_json,
};
use proptest::prelude::*;

#[test]
fn import_makes_invisible_characters_in_names_visible() {
    let json = r#"[
        {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"Worker\u202e 1"}},
        {"ph":"X","name":"task\u200b","ts":0,"dur":5,"pid":1,"tid":1},
        {"ph":"i","name":"tick\u0007","ts":1,"pid":1,"tid":1,"s":"t"},
        {"ph":"X","name":"running","ts":0,"dur":1,"pid":1,"tid":"Cr\u007fMain"}
    ]"#;
    let imported = from_chrome_json(json).expect("imports");
    let t = &imported.traces[0];
    assert_eq!(t.lanes[0].name, "Worker[U+202E] 1");
    // A thread id that is a string names its lane too.
    assert!(
        t.lanes.iter().any(|l| l.name == "Thread Cr[U+007F]Main"),
        "{:?}",
        t.lanes
    );
    let names: Vec<String> = t
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Instant { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    assert!(names.iter().any(|n| n == "tick[U+0007]"), "{names:?}");
    let again = from_chrome_json(&to_chrome_json(t)).expect("imports again");
    assert_eq!(&again.traces[0], t, "made visible once, it stays as it is");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn export_then_import_gives_the_same_trace(t in trace()) {
        prop_assert_eq!(t.validate(), Ok(()));
        let json = to_chrome_json(&t);
        let imported = from_chrome_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(imported.report.from_lanes);
        prop_assert_eq!(&imported.report.skipped, &[]);
        prop_assert_eq!(&imported.traces[0], &t);
        // Twice is the same as once.
        prop_assert_eq!(to_chrome_json(&imported.traces[0]), json);
    }
}

#[test]
fn calls_and_the_gil_evidence_are_written_where_readers_find_them() {
    let mut t = lanes_trace::synthetic::trace(2, 2);
    t.calls = Calls::new(
        vec![
            Call {
                lane: 1,
                depth: 1,
                start_us: 1.0,
                end_us: 2.0,
                name: 1,
            },
            Call {
                lane: 1,
                depth: 0,
                start_us: 0.0,
                end_us: 3.0,
                name: 0,
            },
        ],
        vec!["main".to_owned(), "time.sleep".to_owned()],
    );
    t.gil_evidence = Some(GilEvidence::Inferred);
    let v: serde_json::Value = serde_json::from_str(&to_chrome_json(&t)).unwrap();
    assert_eq!(v["metadata"]["gil_evidence"], "inferred");
    assert_eq!(
        v["metadata"]["call_names"],
        serde_json::json!(["main", "time.sleep"])
    );
    let calls: Vec<_> = v["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["cat"] == "lanes.call")
        .map(|e| {
            (
                e["name"].clone(),
                e["tid"].clone(),
                e["args"]["depth"].clone(),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            ("main".into(), 2.into(), 0.into()),
            ("time.sleep".into(), 2.into(), 1.into())
        ]
    );
    // An imported trace says it in its origin.
    let imported = t.clone().with_source(Source::Imported(Foreign::default()));
    let v: serde_json::Value = serde_json::from_str(&to_chrome_json(&imported)).unwrap();
    assert_eq!(v["metadata"]["origin"]["gil_evidence"], "inferred");
    assert_eq!(v["metadata"].get("gil_evidence"), None);
    let back = from_chrome_json(&to_chrome_json(&imported)).unwrap();
    assert_eq!(back.traces, [imported]);
}

#[test]
fn a_synthetic_trace_round_trips() {
    let t = lanes_trace::synthetic::trace(4, 2000);
    let back = from_chrome_json(&to_chrome_json(&t)).unwrap();
    assert_eq!(back.traces[0], t);
    assert_eq!(back.report.events, 1 + 2 * 4 + 8000);
}

//! No input makes the importer panic, and whatever it accepts is a sound trace.

use lanes_trace::{from_chrome_json, to_chrome_json};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Imports `text` and checks that an accepted trace is sound and measurable.
fn check(text: &str) -> Result<(), TestCaseError> {
    if let Ok(imported) = from_chrome_json(text) {
        prop_assert_eq!(imported.traces[0].validate(), Ok(()));
        let m = imported.traces[0].metrics(Some(&imported.traces[0]));
        prop_assert!((0.0..=1.0).contains(&m.overhead_share));
        let _ = imported.report.to_string();
        let _ = to_chrome_json(&imported.traces[0]);
    }
    Ok(())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,6}".prop_map(Value::from),
        prop::sample::select(vec![
            "X",
            "B",
            "E",
            "M",
            "i",
            "s",
            "f",
            "t",
            "C",
            "lanes",
            "lanes.gil"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((".{0,4}", inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Objects that look like trace events: the known keys with odd values.
fn event_like() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "ph", "name", "cat", "ts", "dur", "pid", "tid", "id", "s", "bp", "args",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "X",
            "B",
            "E",
            "M",
            "i",
            "I",
            "n",
            "R",
            "s",
            "t",
            "f",
            "C",
            "b",
            "thread_name",
            "process_name",
            "thread_sort_index",
            "running",
            "gil_wait",
            "lanes",
            "lanes.gil",
            "lanes.message",
            "gil_handoff",
            "forced_switch",
            "message",
            "lanes.audio",
            "audio buffer",
            "block due",
            "underrun",
            "g",
            "p",
            "1e3",
            "NaN",
        ])
        .prop_map(Value::from),
        (-3_i64..5).prop_map(Value::from),
        prop_oneof![Just(-1.5), Just(0.0), Just(1e308), Just(2.5), Just(-0.0)]
            .prop_map(Value::from),
        Just(Value::Null),
        Just(
            json!({"name": "T", "kind": "gil", "sort_index": 2, "task": 1, "from": 0, "to": 1,
                    "lane": 0, "bytes": 3, "id": 4, "label": "x", "end_us": 1})
        ),
        Just(json!({"from": null, "to": 9})),
        Just(json!({"block": 0, "frames": 3, "late_us": 1, "ready_us": -2, "late_ms": 1e308})),
        Just(json!({"block": 1, "frames": 9, "late_ms": 0.5})),
        Just(json!([1, {"a": []}])),
    ];
    prop::collection::vec((key, value), 0..9)
        .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

fn metadata() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!({"source": "lanes"})),
        Just(
            json!({"source": "lanes", "model": "free", "workload": "primes", "k": 1, "size": 1,
                    "tasks": 1, "mode": "live", "cores": 1, "cross_origin_isolated": false,
                    "environment": "x", "result": 0})
        ),
        Just(json!({"source": "other"})),
        Just(
            json!({"source": "lanes", "model": "free", "workload": "playback", "k": 1, "size": 1,
                    "tasks": 1, "mode": "live", "cores": 1, "cross_origin_isolated": false,
                    "environment": "x", "audio": {"producer": 0, "sample_rate": 48000,
                    "block_frames": 2, "capacity_frames": 4}})
        ),
        Just(json!({"source": "lanes", "audio": {"producer": "x"}})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_text(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn any_json_looking_text(text in r#"[\[\]{}",:0-9a-zA-Z .\-]{0,200}"#) {
        check(&text)?;
    }

    #[test]
    fn any_json_value(value in json_value()) {
        check(&value.to_string())?;
        check(&json!({"traceEvents": value}).to_string())?;
    }

    #[test]
    fn any_list_of_event_like_objects(
        events in prop::collection::vec(event_like(), 0..24),
        meta in metadata(),
        bare in any::<bool>(),
    ) {
        let text = if bare {
            Value::Array(events).to_string()
        } else {
            json!({"traceEvents": events, "metadata": meta}).to_string()
        };
        check(&text)?;
    }

    #[test]
    fn any_cut_or_damaged_export(cut in 0.0_f64..1.0, at in 0.0_f64..1.0, byte in any::<u8>()) {
        let mut t = lanes_trace::synthetic::trace(3, 4);
        t.events.push(lanes_trace::Event {
            at_us: 1.0,
            kind: lanes_trace::EventKind::Handoff { from: Some(0), to: 1 },
        });
        t.audio = Some(Box::new(lanes_trace::Audio {
            producer: 1,
            sample_rate: 48_000,
            block_frames: 128,
            capacity_frames: 768,
            audible: false,
            blocks: (0..4)
                .map(|i| lanes_trace::AudioBlock {
                    due_us: f64::from(i) * 2666.7,
                    ready_us: (i != 3).then_some(f64::from(i) * 2000.0),
                    late_us: if i == 2 { 800.0 } else { 0.0 },
                })
                .collect(),
            fill: (0..4)
                .map(|i| lanes_trace::FillSample { at_us: f64::from(i) * 1000.0, frames: i * 100 })
                .collect(),
        }));
        let text = to_chrome_json(&t);
        let len = text.len();
        let end = (cut * len as f64) as usize;
        if let Some(prefix) = text.get(..end) {
            check(prefix)?;
        }
        let mut bytes = text.into_bytes();
        let i = ((at * len as f64) as usize).min(len - 1);
        bytes[i] = byte;
        if let Ok(damaged) = String::from_utf8(bytes) {
            check(&damaged)?;
        }
    }
}

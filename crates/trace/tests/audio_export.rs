//! A playback's audio track in the Chrome JSON export: where Perfetto and
//! other readers find it, and what the import makes of it in a Lanes file
//! and in any other.

use lanes_trace::{
    Audio, AudioBlock, EventKind, FillSample, Imported, SkipReason, Trace, from_chrome_json,
    to_chrome_json, to_chrome_value,
};
use serde_json::{Value, json};

/// How many counter events ("C") the import skipped, if it skipped any.
fn skipped_counters(back: &Imported) -> Option<usize> {
    back.report
        .skipped
        .iter()
        .find(|s| s.reason == SkipReason::Phase("C".to_owned()))
        .map(|s| s.count)
}

/// Three lanes; the producer is lane 1 (Chrome thread 2). Block 1 is late
/// by 5.8 ms; block 2 was never ready.
fn playback() -> Trace {
    let mut t = lanes_trace::synthetic::trace(3, 4);
    t.audio = Some(Box::new(Audio {
        producer: 1,
        sample_rate: 48_000,
        block_frames: 128,
        capacity_frames: 768,
        audible: true,
        blocks: vec![
            AudioBlock {
                due_us: 0.0,
                ready_us: Some(0.0),
                late_us: 0.0,
            },
            AudioBlock {
                due_us: 2666.5,
                ready_us: Some(8466.5),
                late_us: 5800.0,
            },
            AudioBlock {
                due_us: 11_133.0,
                ready_us: None,
                late_us: 0.0,
            },
        ],
        fill: vec![
            FillSample {
                at_us: 0.0,
                frames: 768,
            },
            FillSample {
                at_us: 10_000.0,
                frames: 640,
            },
        ],
    }));
    t
}

fn events(v: &Value) -> Vec<Value> {
    v["traceEvents"].as_array().cloned().unwrap_or_default()
}

#[test]
fn the_track_is_counters_and_instants_on_the_producers_thread() {
    let t = playback();
    assert_eq!(t.validate(), Ok(()));
    let v = to_chrome_value(&t);
    let all = events(&v);
    let counters: Vec<_> = all.iter().filter(|e| e["ph"] == "C").collect();
    assert_eq!(counters.len(), 2);
    for c in &counters {
        assert_eq!(c["name"], "audio buffer");
        assert_eq!((c["pid"].clone(), c["tid"].clone()), (json!(1), json!(2)));
    }
    assert_eq!(counters[1]["ts"], 10_000.0);
    assert_eq!(counters[1]["args"], json!({"frames": 640}));

    let due: Vec<_> = all.iter().filter(|e| e["name"] == "block due").collect();
    assert_eq!(due.len(), 3);
    for (i, d) in due.iter().enumerate() {
        assert_eq!((d["ph"].as_str(), d["s"].as_str()), (Some("i"), Some("t")));
        assert_eq!(d["tid"], 2);
        assert_eq!(d["args"]["block"], i);
    }
    assert_eq!(due[1]["ts"], 2666.5);
    assert_eq!(due[1]["args"]["late_ms"], 5.8);
    assert_eq!(due[1]["args"]["ready_ms"], 8.4665);
    assert_eq!(due[0]["args"]["late_ms"], 0.0);
    assert_eq!(due[2]["args"].get("ready_ms"), None, "never ready: absent");

    let underruns: Vec<_> = all.iter().filter(|e| e["name"] == "underrun").collect();
    assert_eq!(underruns.len(), 1);
    assert_eq!(underruns[0]["ts"], 2666.5);
    assert_eq!(underruns[0]["tid"], 2);
    assert_eq!(underruns[0]["args"], json!({"block": 1, "silence_ms": 5.8}));

    assert_eq!(
        v["metadata"]["audio"],
        json!({"producer": 1, "sample_rate": 48000, "block_frames": 128,
               "capacity_frames": 768, "audible": true})
    );
    // What was there before is all still there.
    assert_eq!(v["metadata"]["source"], "lanes");
    assert_eq!(v["metadata"]["workload"], "primes");
}

#[test]
fn a_lanes_file_gives_its_track_back_and_no_marks_for_it() {
    let t = playback();
    let back = from_chrome_json(&to_chrome_json(&t)).unwrap();
    assert_eq!(back.traces, std::slice::from_ref(&t));
    assert_eq!(back.report.skipped, []);
    assert!(
        !back.traces[0]
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Instant { .. }))
    );
    // A trace with no track exports none.
    let mut plain = t;
    plain.audio = None;
    let v = to_chrome_value(&plain);
    assert_eq!(v["metadata"].get("audio"), None);
    assert!(!events(&v).iter().any(|e| e["cat"] == "lanes.audio"));
}

#[test]
fn without_its_metadata_the_track_is_read_as_any_files_events() {
    let mut v = to_chrome_value(&playback());
    v["metadata"].as_object_mut().unwrap().remove("audio");
    let back = from_chrome_json(&v.to_string()).unwrap();
    let t = &back.traces[0];
    assert_eq!(t.audio, None);
    let marks: Vec<(f64, Option<u32>, &str)> = t
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Instant { lane, name } => Some((e.at_us, *lane, name.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        marks,
        [
            (0.0, Some(1), "block due"),
            (2666.5, Some(1), "block due"),
            (2666.5, Some(1), "underrun"),
            (11_133.0, Some(1), "block due"),
        ]
    );
    assert_eq!(skipped_counters(&back), Some(2));
}

#[test]
fn another_tools_counters_stay_skipped() {
    let json = r#"{"traceEvents": [
        {"ph":"X","name":"work","ts":0,"dur":5,"pid":1,"tid":1},
        {"ph":"C","name":"audio buffer","cat":"lanes.audio","ts":1,"pid":1,"tid":1,
         "args":{"frames":3}},
        {"ph":"C","name":"memory","ts":2,"pid":1,"args":{"heap":9}},
        {"ph":"i","name":"block due","cat":"lanes.audio","ts":3,"pid":1,"tid":1,"s":"t",
         "args":{"block":0,"late_us":0}}
    ], "metadata": {"source": "other", "audio": {"producer": 0, "sample_rate": 1,
         "block_frames": 1, "capacity_frames": 1}}}"#;
    let back = from_chrome_json(json).unwrap();
    let t = &back.traces[0];
    assert_eq!(t.audio, None, "only a Lanes file has an audio track");
    assert!(t.events.iter().any(
        |e| matches!(&e.kind, EventKind::Instant { name, lane: Some(0) } if name == "block due")
    ));
    assert_eq!(skipped_counters(&back), Some(2));
}

#[test]
fn an_unreadable_or_unsound_track_is_said() {
    // Metadata that cannot be read: a note, and the events as marks.
    let mut v = to_chrome_value(&playback());
    v["metadata"]["audio"] = json!({"producer": "the second lane"});
    let back = from_chrome_json(&v.to_string()).unwrap();
    assert_eq!(back.traces[0].audio, None);
    assert!(
        back.report
            .notes
            .iter()
            .any(|n| n.starts_with("The file's audio track could not be read")),
        "{:?}",
        back.report.notes
    );
    // A track that reads but is not sound: refused, in words.
    let mut v = to_chrome_value(&playback());
    v["metadata"]["audio"]["producer"] = json!(7);
    let error = from_chrome_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        error.contains("the audio track's producer is lane 7"),
        "{error}"
    );
}

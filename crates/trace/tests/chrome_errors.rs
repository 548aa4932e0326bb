//! Files that cannot be imported give an error that says what and where.

use lanes_trace::{ImportError, ImportLimits, from_chrome_json, from_chrome_json_with};

/// The error's message; an import that succeeds gives a text that no
/// assertion expects, so the test fails and shows it.
fn message(text: &str) -> String {
    match from_chrome_json(text) {
        Ok(imported) => format!("unexpectedly imported: {}", imported.report),
        Err(e) => e.to_string(),
    }
}

const SLICE: &str = r#"{"name": "a", "ph": "X", "ts": 0, "dur": 1, "pid": 1, "tid": 1}"#;

#[test]
fn refuses_files_over_the_limits() {
    let limits = ImportLimits {
        max_bytes: 100,
        max_events: 3,
    };
    let big = format!("[{}]", [SLICE; 3].join(","));
    assert_eq!(
        from_chrome_json_with(&big, &limits),
        Err(ImportError::TooLarge {
            bytes: big.len(),
            limit: 100
        })
    );
    let limits = ImportLimits {
        max_bytes: 10_000,
        max_events: 3,
    };
    let many = format!("{{\"traceEvents\": [{}]}}", [SLICE; 5].join(","));
    let err = from_chrome_json_with(&many, &limits).unwrap_err();
    assert_eq!(
        err,
        ImportError::TooManyEvents {
            events: 5,
            limit: 3
        }
    );
    assert_eq!(
        err.to_string(),
        "the file holds 5 events, more than the 3 that Lanes opens"
    );
    assert!(from_chrome_json_with(&format!("[{}]", [SLICE; 3].join(",")), &limits).is_ok());
    assert_eq!(
        ImportError::TooLarge {
            bytes: 250_000_000,
            limit: ImportLimits::DEFAULT.max_bytes
        }
        .to_string(),
        "the file is 250.0 MB, larger than the 200.0 MB that Lanes opens"
    );
    assert_eq!(
        ImportError::TooManyEvents {
            events: 6_000_000,
            limit: ImportLimits::DEFAULT.max_events
        }
        .to_string(),
        "the file holds 6,000,000 events, more than the 5,000,000 that Lanes opens"
    );
}

#[test]
fn names_where_the_json_is_broken() {
    let text = format!("[\n{SLICE},\n{{\"ph\": \"X\" \"ts\": 1}}\n]");
    assert_eq!(
        message(&text),
        "the file is not valid JSON: expected `,` or `}`, at line 3, column 12, \
         in event 1 (the 2nd)"
    );
    assert_eq!(
        message(r#"{"traceEvents": [], "metadata": {"a": tru}}"#),
        "the file is not valid JSON: expected ident, at line 1, column 42"
    );
    let cut = format!("{{\"traceEvents\": [{SLICE}, {{\"ph\": \"X\", ");
    assert_eq!(
        message(&cut),
        format!(
            "the file ends in the middle of the JSON, at line 1, column {}, in event 1 (the 2nd): \
             it may have been cut short",
            cut.len()
        )
    );
    assert_eq!(message(""), "the file is empty: it holds no JSON at all");
    assert_eq!(
        message(" \n\t "),
        "the file is empty: it holds no JSON at all"
    );
    assert_eq!(
        message("\u{feff}\r\n"),
        "the file is empty: it holds no JSON at all"
    );
    assert!(message(&format!("[{SLICE}] [")).contains("trailing characters"));
}

#[test]
fn says_when_json_nests_too_deep() {
    let deep = format!(
        "{{\"traceEvents\": [{SLICE}], \"metadata\": {}{}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let err = from_chrome_json(&deep).unwrap_err();
    assert!(
        matches!(err, ImportError::TooDeep { line: 1, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("the JSON nests lists and objects more than 128 deep")
    );
    // Deep values inside an event's args are skipped over, not refused:
    // src/chrome/import/tests.rs.
    // A top level nested deep is not a list of events.
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        message(&nested),
        "event 0 (the 1st) is a list, not an object like {\"ph\": \"X\", ...}"
    );
}

#[test]
fn says_when_the_json_is_not_a_trace() {
    assert_eq!(
        message("42"),
        "this JSON is not a trace: a trace is a list of events or an object with a \
         \"traceEvents\" list, but the file holds a number"
    );
    assert!(message("\"trace\"").ends_with("but the file holds a text"));
    assert!(message("null").ends_with("but the file holds null"));
    assert_eq!(
        message(r#"{"foo": 1}"#),
        "this JSON object is not a trace: it has no \"traceEvents\" list"
    );
    assert_eq!(
        message(r#"{"traceEvents": {"ph": "X"}}"#),
        "\"traceEvents\" should be a list of events, but it is an object"
    );
    assert_eq!(
        message(&format!("[{SLICE}, 7]")),
        "event 1 (the 2nd) is a number, not an object like {\"ph\": \"X\", ...}"
    );
    assert_eq!(
        message("[]"),
        "the file holds no slices, instants or named threads to show"
    );
    assert_eq!(
        message(r#"{"traceEvents": [{"ph": "C", "ts": 1, "name": "x"}]}"#),
        "the file holds no slices, instants or named threads to show"
    );
}

#[test]
fn names_the_event_and_the_field_at_fault() {
    assert_eq!(
        message(r#"[{"name": "a", "ts": 0}]"#),
        "event 0 (the 1st) has no \"ph\" (the event's type, such as \"X\" for a slice)"
    );
    assert_eq!(
        message(&format!(
            "[{SLICE}, {SLICE}, {{\"ph\": \"X\", \"dur\": 3}}]"
        )),
        "event 2 (the 3rd) has no \"ts\" (its start time in µs)"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": 3}]"#),
        "event 0 (the 1st) has no \"dur\" (its duration in µs)"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": true, "dur": 1}]"#),
        "event 0 (the 1st): \"ts\" should be a number of microseconds, not true"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": "soon", "dur": 1}]"#),
        "event 0 (the 1st): \"ts\" should be a number of microseconds, not the text \"soon\""
    );
    assert_eq!(
        message(r#"[{"ph": 88, "ts": 1}]"#),
        "event 0 (the 1st): \"ph\" should be a text such as \"X\", not 88"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": 1, "dur": 1, "tid": [1]}]"#),
        "event 0 (the 1st): \"tid\" should be a whole number (or a text), not a list"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": 1, "dur": 1, "pid": 1.5}]"#),
        "event 0 (the 1st): \"pid\" should be a whole number (or a text), not 1.5"
    );
}

#[test]
fn refuses_slices_that_end_before_they_start() {
    let err = from_chrome_json(r#"[{"ph": "X", "name": "a", "ts": 10, "dur": -3}]"#).unwrap_err();
    assert_eq!(
        err,
        ImportError::NegativeDuration {
            index: 0,
            dur_us: -3.0
        }
    );
    assert_eq!(
        err.to_string(),
        "event 0 (the 1st) lasts -3 µs, so it ends before it starts: a duration cannot be negative"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": "NaN", "dur": 1}]"#),
        "event 0 (the 1st): \"ts\" is not a finite number of microseconds"
    );
    assert_eq!(
        message(r#"[{"ph": "X", "ts": 1e308, "dur": 1e308}]"#),
        "event 0 (the 1st): \"dur\" is not a finite number of microseconds"
    );
    assert_eq!(
        message(r#"[{"ph": "i", "ts": "-inf"}]"#),
        "event 0 (the 1st): \"ts\" is not a finite number of microseconds"
    );
}

#[test]
fn refuses_a_lanes_file_that_does_not_hold_together() {
    let t = lanes_trace::synthetic::trace(1, 2);
    let json = lanes_trace::to_chrome_json(&t).replacen(
        &format!("\"ts\":{}", t.spans()[1].start_us),
        &format!("\"ts\":{}", t.spans()[0].start_us + 0.5),
        1,
    );
    let err = from_chrome_json(&json).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the trace does not hold together: spans 0 and 1 overlap on lane 0 (Thread 1)"
    );
    let gil = r#"{"traceEvents": [
        {"name": "thread_name", "ph": "M", "pid": 1, "tid": 1, "args": {"name": "T", "kind": "thread"}},
        {"name": "forced_switch", "cat": "lanes.gil", "ph": "i", "s": "t", "ts": 1, "pid": 1, "tid": 1, "args": {"lane": 4}}
    ], "metadata": {"source": "lanes", "model": "free", "workload": "primes", "k": 1, "size": 1,
      "tasks": 1, "mode": "live", "cores": 1, "cross_origin_isolated": false, "environment": "x", "result": 0}}"#;
    assert_eq!(
        message(gil),
        "the trace does not hold together: event 0 refers to lane 4, but the trace has 1 lanes"
    );
}

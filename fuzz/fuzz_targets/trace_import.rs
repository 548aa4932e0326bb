//! Fuzzes the trace import: any file a user opens must give either a trace
//! the page can show or an error in words, never a panic.
//!
//! The page reads a file with `File.text()`, which decodes UTF-8 and puts
//! U+FFFD for bytes that are not, so the input is decoded the same way.
//!
//! When the import succeeds, the trace must be sound (`Trace::validate`,
//! checked here field by field as well, so a weakened `validate` does not
//! hide a bad trace), measurable, and must survive the page's own export:
//! exporting it and importing that gives the same trace back, as
//! `from_chrome_json` promises for files Lanes wrote.

#![no_main]

use lanes_trace::{Trace, from_chrome_json, to_chrome_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(imported) = from_chrome_json(&text) else {
        return;
    };
    assert!(!imported.traces.is_empty(), "an import gave no trace");
    let _ = imported.report.to_string();
    for trace in &imported.traces {
        assert_eq!(trace.validate(), Ok(()));
        check_sound(trace, imported.report.from_lanes);

        let metrics = trace.metrics(Some(trace));
        assert!(
            (0.0..=1.0).contains(&metrics.overhead_share),
            "overhead share {} is not a share",
            metrics.overhead_share
        );

        let json = to_chrome_json(trace);
        let again = match from_chrome_json(&json) {
            Ok(again) => again,
            Err(e) => panic!("the export of an imported trace does not import: {e}\n{json}"),
        };
        assert!(again.report.from_lanes, "the export is not read as Lanes's");
        assert_eq!(again.traces.len(), 1, "an export is one trace");
        assert_eq!(&again.traces[0], trace, "export then import changed the trace");
        assert_eq!(
            to_chrome_json(&again.traces[0]),
            json,
            "a second export differs"
        );
    }
});

/// The invariants `validate` stands for, spelled out.
fn check_sound(trace: &Trace, from_lanes: bool) {
    let lanes = trace.lanes.len();
    assert!(
        from_lanes || lanes > 0 || !trace.events.is_empty(),
        "an import of another tool's file shows nothing"
    );
    for (i, s) in trace.spans().iter().enumerate() {
        assert!((s.lane as usize) < lanes, "span {i} is on lane {}", s.lane);
        assert!(
            s.start_us.is_finite() && s.end_us.is_finite(),
            "span {i}: {s:?}"
        );
        let d = s.duration_us();
        assert!(d.is_finite() && d >= 0.0, "span {i} lasts {d} µs: {s:?}");
        // Another tool's times are shifted to start at 0.
        assert!(from_lanes || s.start_us >= 0.0, "span {i}: {s:?}");
    }
    for pair in trace.spans().windows(2) {
        assert!(
            (pair[0].lane, pair[0].start_us) <= (pair[1].lane, pair[1].start_us),
            "spans out of order: {pair:?}"
        );
    }
    for (i, e) in trace.events.iter().enumerate() {
        assert!(e.at_us.is_finite(), "event {i}: {e:?}");
        assert!(from_lanes || e.at_us >= 0.0, "event {i}: {e:?}");
        for lane in e.kind.lanes() {
            assert!((lane as usize) < lanes, "event {i} names lane {lane}");
        }
    }
    for pair in trace.events.windows(2) {
        assert!(pair[0].at_us <= pair[1].at_us, "events out of order");
    }
    for (span, _) in trace.labels.iter() {
        assert!(span < trace.spans().len(), "a label names span {span}");
    }
    for (i, c) in trace.calls.all().iter().enumerate() {
        assert!((c.lane as usize) < lanes, "call {i} is on lane {}", c.lane);
        assert!(
            c.start_us.is_finite() && c.end_us.is_finite() && c.start_us <= c.end_us,
            "call {i}: {c:?}"
        );
        assert!((c.name as usize) < trace.calls.names().len(), "call {i}: {c:?}");
    }
}

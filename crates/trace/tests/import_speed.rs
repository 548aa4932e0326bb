//! How long importing a million spans takes. A timing, not a check, so it is
//! ignored by default; run it with
//! `cargo test --release -p lanes-trace --test import_speed -- --ignored --nocapture`.

use std::time::Instant;

use lanes_trace::{
    ImportLimits, decode, encode, from_chrome_bytes, from_chrome_json, synthetic, to_chrome_json,
};

#[test]
#[ignore = "a timing: run with --release -- --ignored --nocapture"]
fn imports_a_million_lanes_spans() {
    let t = synthetic::trace(8, 125_000);
    let started = Instant::now();
    let json = to_chrome_json(&t);
    let exported = started.elapsed();
    let started = Instant::now();
    let imported = from_chrome_json(&json).unwrap();
    let took = started.elapsed();
    println!(
        "export of {} spans: {:.0} ms; import of {:.1} MB: {:.0} ms",
        t.spans().len(),
        exported.as_secs_f64() * 1e3,
        json.len() as f64 / 1e6,
        took.as_secs_f64() * 1e3
    );
    assert_eq!(imported.traces[0], t);
}

#[test]
#[ignore = "a timing: run with --release -- --ignored --nocapture"]
fn imports_a_million_foreign_slices() {
    let json = foreign_slices();
    let started = Instant::now();
    let imported = from_chrome_json(&json).unwrap();
    let took = started.elapsed();
    println!(
        "import of 1,000,000 B/E events ({:.1} MB): {:.0} ms",
        json.len() as f64 / 1e6,
        took.as_secs_f64() * 1e3
    );
    assert_eq!(imported.traces[0].spans().len(), 500_000);
    assert_eq!(imported.traces[0].labels.texts().len(), 100);
}

#[test]
#[ignore = "a timing: run with --release -- --ignored --nocapture"]
fn imports_bytes_with_progress_and_decodes_them() {
    let json = foreign_slices();
    let mut reports = 0;
    let started = Instant::now();
    let imported = from_chrome_bytes(json.as_bytes(), &ImportLimits::DEFAULT, &mut |_| {
        reports += 1;
    })
    .unwrap();
    let took = started.elapsed();
    println!(
        "import of the bytes of 1,000,000 B/E events: {:.0} ms, {reports} progress reports",
        took.as_secs_f64() * 1e3
    );
    for traces in [imported.traces, vec![synthetic::trace(8, 125_000)]] {
        let started = Instant::now();
        let bytes = encode(&traces);
        let encoded = started.elapsed();
        let started = Instant::now();
        let back = decode(&bytes).unwrap();
        let decoded = started.elapsed();
        println!(
            "{} spans, {} calls: encoded in {:.0} ms to {:.1} MB, decoded in {:.0} ms",
            traces[0].spans().len(),
            traces[0].calls.len(),
            encoded.as_secs_f64() * 1e3,
            bytes.len() as f64 / 1e6,
            decoded.as_secs_f64() * 1e3
        );
        assert_eq!(back, traces);
    }
}

/// A Python tracer's output: a million events, named B/E pairs on 8
/// threads, times in µs since the epoch.
fn foreign_slices() -> String {
    let mut json = String::from("[");
    for i in 0..500_000_u64 {
        let tid = i % 8;
        let ts = 1_700_000_000_000_000 + i * 10;
        json.push_str(&format!(
            "{{\"name\":\"f{}\",\"ph\":\"B\",\"ts\":{ts},\"pid\":4242,\"tid\":{tid}}},\
             {{\"ph\":\"E\",\"ts\":{},\"pid\":4242,\"tid\":{tid}}},",
            i % 100,
            ts + 7
        ));
    }
    json.pop();
    json.push(']');
    json
}

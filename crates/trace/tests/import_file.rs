//! How long importing a real file takes, and what it keeps. A timing, not a
//! check, so it is ignored by default; run it with
//! `LANES_IMPORT_FILE=t.json cargo test --release -p lanes-trace --test import_file -- --ignored --nocapture`.

use std::time::Instant;

use lanes_trace::from_chrome_json;

#[test]
#[ignore = "a timing of the file named by LANES_IMPORT_FILE"]
fn imports_the_named_file() {
    let Ok(path) = std::env::var("LANES_IMPORT_FILE") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let started = Instant::now();
    let imported = from_chrome_json(&text).unwrap();
    let took = started.elapsed();
    println!(
        "import of {path} ({:.1} MB): {:.0} ms",
        text.len() as f64 / 1e6,
        took.as_secs_f64() * 1e3
    );
    println!("{}", imported.report);
    for t in &imported.traces {
        println!(
            "{}: {} lanes, {} spans, {} calls, GIL {}, GIL-wait share {:.2}",
            t.name(),
            t.lanes.len(),
            t.spans().len(),
            t.calls.len(),
            t.gil_evidence.map_or("none", |g| g.label()),
            t.gil_wait_share()
        );
    }
}

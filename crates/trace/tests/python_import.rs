//! Real Python programs' traces: VizTracer's (calls only), per4m's (with
//! GIL events) and `lanes_record.py`'s (measured states, lessons). The
//! files in `tests/data/` were written by the real tools (see
//! `tests/data/README.md` in the recorder's tests for the programs).

use lanes_trace::{
    GilEvidence, LaneKind, Mode, Model, SkipReason, Source, State, Trace, from_chrome_json,
};
use serde_json::Value;

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| format!("{name} could not be read: {e}"))
}

/// Time in `state` on lane `lane`, in ms.
fn ms_in(t: &Trace, lane: usize, state: State) -> f64 {
    t.lane_spans(u32::try_from(lane).unwrap_or(u32::MAX))
        .iter()
        .filter(|s| s.state == state)
        .map(|s| s.duration_us() / 1000.0)
        .sum()
}

fn lanes_named<'a>(t: &'a Trace, part: &'a str) -> impl Iterator<Item = usize> + 'a {
    t.lanes
        .iter()
        .enumerate()
        .filter(move |(_, l)| l.name.contains(part))
        .map(|(i, _)| i)
}

/// The GIL lanes' spans never overlap, and each names a worker lane of the
/// trace that was itself running then.
fn check_gil_lane(t: &Trace, gil: usize) {
    let spans = t.lane_spans(u32::try_from(gil).unwrap_or(u32::MAX));
    assert!(!spans.is_empty());
    for pair in spans.windows(2) {
        assert!(
            pair[0].end_us <= pair[1].start_us,
            "two holders at once: {pair:?}"
        );
    }
    for s in spans {
        assert!(s.holder.is_some(), "a holding names its holder: {s:?}");
        let holder = s.holder.unwrap_or(u32::MAX);
        let kind = t.lanes.get(holder as usize).map(|l| l.kind);
        assert!(matches!(kind, Some(LaneKind::Thread | LaneKind::Process)));
        let running = t
            .lane_spans(holder)
            .iter()
            .filter(|r| r.state == State::Running)
            .any(|r| r.start_us <= s.start_us + 1e-6 && s.end_us <= r.end_us + 1e-6);
        assert!(running, "holder {holder} not running through {s:?}");
    }
}

#[test]
fn a_viztracer_trace_keeps_its_calls_and_shows_sleeps_and_the_gil() {
    let text = data("viztracer_small.json");
    let file: Value = serde_json::from_str(&text).unwrap();
    let slices = file["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["ph"] == "X")
        .count();
    let imported = from_chrome_json(&text).unwrap();
    assert_eq!(imported.traces.len(), 1);
    let t = &imported.traces[0];
    assert_eq!(t.name(), "imported from viztracer");
    // At least 99 % of the slices are kept, as calls.
    assert!(
        t.calls.len() * 100 >= slices * 99,
        "{} calls of {slices} slices",
        t.calls.len()
    );
    assert_eq!(imported.report.skipped_total(), 0, "{}", imported.report);
    assert!(t.calls.names().iter().any(|n| n == "time.sleep"));
    // The four sleepers wait on I/O for their 50 ms, and barely run.
    let sleepers: Vec<usize> = lanes_named(t, "(sleep)").collect();
    assert_eq!(sleepers.len(), 4);
    for &lane in &sleepers {
        assert!(
            ms_in(t, lane, State::IoWait) >= 49.0,
            "{}",
            t.lanes[lane].name
        );
        assert!(
            ms_in(t, lane, State::Running) < 1.0,
            "{}",
            t.lanes[lane].name
        );
    }
    // One GIL lane, inferred, for the process whose threads ran at once.
    assert_eq!(t.gil_evidence, Some(GilEvidence::Inferred));
    let gil: Vec<usize> = (0..t.lanes.len())
        .filter(|&i| t.lanes[i].kind == LaneKind::Gil)
        .collect();
    assert_eq!(gil.len(), 1);
    assert_eq!(t.lanes[gil[0]].name, "GIL · MainProcess");
    check_gil_lane(t, gil[0]);
    // The two CPU-bound threads take turns: each waits for the GIL, and
    // their running never overlaps.
    let cpu: Vec<usize> = lanes_named(t, "(count_primes)").collect();
    assert_eq!(cpu.len(), 2);
    for &lane in &cpu {
        let (run, wait) = (
            ms_in(t, lane, State::Running),
            ms_in(t, lane, State::GilWait),
        );
        assert!(
            wait > 0.2 * (run + wait),
            "{}: {run} ms running, {wait} ms waiting",
            t.lanes[lane].name
        );
    }
    let running = |lane: usize| -> Vec<(f64, f64)> {
        t.lane_spans(u32::try_from(lane).unwrap())
            .iter()
            .filter(|s| s.state == State::Running)
            .map(|s| (s.start_us, s.end_us))
            .collect()
    };
    let both: f64 = running(cpu[0])
        .iter()
        .flat_map(|a| {
            running(cpu[1])
                .into_iter()
                .map(move |b| (a.1.min(b.1) - a.0.max(b.0)).max(0.0))
        })
        .sum();
    assert_eq!(both, 0.0);
    assert!(t.gil_wait_share() > 0.1 && t.gil_wait_share() < 0.9);
    // The pool's two workers are process lanes; the parent's threads stay threads.
    let processes: Vec<&str> = t
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Process)
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(processes, ["Process-1", "Process-2"]);
    assert!(lanes_named(t, "MainThread").all(|l| t.lanes[l].kind == LaneKind::Thread));
    // No lane only for names the children inherited from their parent.
    assert_eq!(t.lanes.len(), 7 + 2 + 1);
}

#[test]
fn a_recorder_file_gives_measured_gil_lanes_and_process_lanes() {
    let imported = from_chrome_json(&data("recorder_small.json")).unwrap();
    assert_eq!(imported.traces.len(), 1);
    let t = &imported.traces[0];
    assert_eq!(t.gil_evidence, Some(GilEvidence::Measured));
    let Source::Imported(foreign) = &t.source else {
        panic!("{:?}", t.source);
    };
    assert_eq!(foreign.tool.as_deref(), Some("lanes_record"));
    let kinds: Vec<LaneKind> = t.lanes.iter().map(|l| l.kind).collect();
    assert_eq!(kinds.iter().filter(|&&k| k == LaneKind::Process).count(), 2);
    let gil: Vec<usize> = (0..t.lanes.len())
        .filter(|&i| t.lanes[i].kind == LaneKind::Gil)
        .collect();
    assert_eq!(gil.len(), 1);
    check_gil_lane(t, gil[0]);
    // Measured: each CPU-bound thread waited 35–65 % of its time for the GIL.
    for lane in lanes_named(t, "(count_primes)") {
        let (run, wait) = (
            ms_in(t, lane, State::Running),
            ms_in(t, lane, State::GilWait),
        );
        let share = wait / (run + wait);
        assert!(
            (0.35..=0.65).contains(&share),
            "{}: {share}",
            t.lanes[lane].name
        );
    }
    for lane in lanes_named(t, "(sleep)") {
        assert!(ms_in(t, lane, State::IoWait) >= 49.0);
        assert_eq!(ms_in(t, lane, State::Running), 0.0);
    }
    // Its calls are kept too, the blocking ones among them.
    assert!(t.calls.names().iter().any(|n| n == "time.sleep"));
    assert_eq!(imported.report.skipped_total(), 0, "{}", imported.report);
}

#[test]
fn a_lesson_file_gives_one_recorded_trace_per_run() {
    let imported = from_chrome_json(&data("recorder_lesson4.json")).unwrap();
    let models: Vec<Model> = imported
        .traces
        .iter()
        .map(|t| t.meta().unwrap().scenario.model)
        .collect();
    assert_eq!(models, [Model::Sequential, Model::Gil]);
    for t in &imported.traces {
        let meta = t.meta().unwrap();
        assert_eq!(meta.mode, Mode::Recorded);
        assert_eq!(meta.cores, 2);
        assert_eq!(meta.result, Some(17984));
        assert_eq!(meta.scenario.size, 200_000);
        assert!(!meta.cross_origin_isolated);
        assert_eq!(
            meta.environment,
            "CPython 3.11.7, GIL, switch interval 5 ms"
        );
        assert_eq!(t.gil_evidence, Some(GilEvidence::Measured));
        assert_eq!(t.validate(), Ok(()));
        // Re-based to the run's start, and within its window.
        let first = t
            .spans()
            .iter()
            .map(|s| s.start_us)
            .fold(f64::INFINITY, f64::min);
        assert!((0.0..5_000.0).contains(&first), "{first}");
        assert!(t.makespan_ms() < 250.0, "{}", t.makespan_ms());
        // A Lanes export of it reads back as it is.
        let back = from_chrome_json(&lanes_trace::to_chrome_json(t)).unwrap();
        assert_eq!(&back.traces[0], t);
    }
    let (sequential, gil) = (&imported.traces[0], &imported.traces[1]);
    assert_eq!(sequential.meta().unwrap().scenario.k, 1);
    assert!(sequential.lanes.iter().all(|l| l.kind != LaneKind::Gil));
    assert_eq!(gil.meta().unwrap().scenario.k, 4);
    let lanes: Vec<usize> = (0..gil.lanes.len())
        .filter(|&i| gil.lanes[i].kind == LaneKind::Gil)
        .collect();
    assert_eq!(lanes.len(), 1);
    check_gil_lane(gil, lanes[0]);
    assert!(gil.gil_wait_share() > 0.5, "{}", gil.gil_wait_share());
}

#[test]
fn a_malformed_list_of_runs_falls_back_to_one_trace() {
    let text = data("recorder_lesson4.json").replace("\"start_us\"", "\"begin_us\"");
    let imported = from_chrome_json(&text).unwrap();
    assert_eq!(imported.traces.len(), 1);
    assert!(
        imported
            .report
            .notes
            .iter()
            .any(|n| n.contains("list of runs could not be read")),
        "{:?}",
        imported.report.notes
    );
}

/// Two threads of a VizTracer trace with per4m's GIL data merged in (its
/// `perf2trace gil` output: async `GIL` slices and `take`/`drop` instants
/// on thread ids written as texts, and a `sched` `S(GIL)` slice).
const PER4M: &str = r#"{"traceEvents": [
    {"ph": "M", "pid": 10, "tid": 11, "name": "thread_name", "args": {"name": "Thread-1"}},
    {"ph": "M", "pid": 10, "tid": 12, "name": "thread_name", "args": {"name": "Thread-2"}},
    {"ph": "X", "pid": 10, "tid": 11, "ts": 1000, "dur": 100, "name": "run (prog.py:5)", "cat": "fee"},
    {"ph": "X", "pid": 10, "tid": 12, "ts": 1000, "dur": 100, "name": "run (prog.py:5)", "cat": "fee"},
    {"ph": "i", "pid": 10, "tid": "11", "ts": 1000, "name": "take", "cat": "GIL state", "s": "t"},
    {"ph": "b", "pid": 10, "tid": "11", "ts": 1000, "id": 1, "name": "GIL", "cat": "GIL state"},
    {"ph": "e", "pid": 10, "tid": "11", "ts": 1050, "id": 1, "name": "GIL", "cat": "GIL state"},
    {"ph": "b", "pid": 10, "tid": "12", "ts": 1050, "id": 2, "name": "GIL", "cat": "GIL state"},
    {"ph": "e", "pid": 10, "tid": "12", "ts": 1100, "id": 2, "name": "GIL", "cat": "GIL state"},
    {"ph": "b", "pid": 10, "tid": "12", "ts": 1000, "id": 3, "name": "GIL(take)", "cat": "GIL state"},
    {"ph": "e", "pid": 10, "tid": "12", "ts": 1050, "id": 3, "name": "GIL(take)", "cat": "GIL state"},
    {"ph": "X", "pid": 10, "tid": 12, "ts": 1000, "dur": 50, "name": "S(GIL)", "cat": "process state"},
    {"ph": "X", "pid": 10, "tid": 11, "ts": 1050, "dur": 50, "name": "S", "cat": "process state"}
], "viztracer_metadata": {"version": "1.1.1"}}"#;

#[test]
fn per4m_gil_data_is_read_as_traced() {
    let imported = from_chrome_json(PER4M).unwrap();
    let t = &imported.traces[0];
    assert_eq!(t.gil_evidence, Some(GilEvidence::Traced));
    // Thread ids written as texts are the same threads.
    let names: Vec<&str> = t.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Thread-1", "Thread-2", "GIL"]);
    let held: Vec<(u32, f64, f64)> = t
        .lane_spans(2)
        .iter()
        .map(|s| (s.holder.unwrap(), s.start_us, s.end_us))
        .collect();
    assert_eq!(held, [(0, 0.0, 50.0), (1, 50.0, 100.0)]);
    // Thread-2 waited for the GIL until it took it; Thread-1 ran, then waited.
    let states = |lane| -> Vec<(State, f64, f64)> {
        t.lane_spans(lane)
            .iter()
            .map(|s| (s.state, s.start_us, s.end_us))
            .collect()
    };
    assert_eq!(
        states(1),
        [(State::GilWait, 0.0, 50.0), (State::Running, 50.0, 100.0)]
    );
    assert_eq!(
        states(0),
        [(State::Running, 0.0, 50.0), (State::GilWait, 50.0, 100.0)]
    );
    let skipped = |reason: SkipReason| {
        imported
            .report
            .skipped
            .iter()
            .find(|s| s.reason == reason)
            .map_or(0, |s| s.count)
    };
    assert_eq!(skipped(SkipReason::GilDetail), 1);
    assert_eq!(skipped(SkipReason::SchedulerState), 1);
}

#[test]
fn a_free_threaded_python_has_no_gil_lane() {
    let with_gil = PER4M
        .lines()
        .filter(|l| !l.contains("GIL"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            r#""name": "S", "cat": "process state"}"#,
            r#""name": "work"}"#,
        );
    // Without per4m's data, the two threads running at once share an
    // inferred GIL...
    let t = from_chrome_json(&with_gil).unwrap().traces.remove(0);
    assert_eq!(t.gil_evidence, Some(GilEvidence::Inferred));
    assert!(t.lanes.iter().any(|l| l.kind == LaneKind::Gil));
    // ...unless the file says the interpreter had none.
    let free = with_gil.replace(
        r#""viztracer_metadata": {"version": "1.1.1"}"#,
        r#""metadata": {"gil": "disabled"}"#,
    );
    let t = from_chrome_json(&free).unwrap().traces.remove(0);
    assert_eq!(t.gil_evidence, None);
    assert!(t.lanes.iter().all(|l| l.kind != LaneKind::Gil));
    assert!(t.spans().iter().all(|s| s.state == State::Running));
}

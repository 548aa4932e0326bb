//! The processes model's pure parts, natively: what each process is sent,
//! what it computes from it, and the trace made of their stamps.
//! `tests/processes.test.mjs` runs real process workers in the built page.

use crate::testing::native;
use crate::{Cancel, MonotonicClock, sequential_twin, share_tasks};
use lanes_trace::{EventKind, LaneKind, Model, Scenario, Span, State, Workload};

use super::assemble::{Log, Start, assemble};
use super::compute::{JobError, run_job};
use super::input::{MAX_COPY_BYTES, payload, plan};
use super::protocol::{Input, Report};

fn scenario(workload: Workload, k: u32, size: u64) -> Scenario {
    Scenario::new(Model::Processes, workload, k, size, 32)
}

#[test]
fn every_item_goes_to_one_process_with_data_that_follows_the_workload() {
    let s = scenario(Workload::Primes, 3, 10_000);
    let jobs = plan(&s);
    assert_eq!(jobs.len(), 3);
    let mut tasks = Vec::new();
    let mut numbers = 0;
    for (share, (job, label)) in (0..).zip(&jobs) {
        assert_eq!((job.share, job.shares), (share, 3));
        let Input::Numbers { ranges } = &job.input else {
            panic!("primes send numbers: {:?}", job.input);
        };
        let own: Vec<u32> = ranges.iter().map(|r| r.task).collect();
        assert_eq!(own, share_tasks(32, share, 3).collect::<Vec<_>>());
        tasks.extend(own);
        numbers += ranges.iter().map(|r| r.len()).sum::<usize>();
        assert!(
            label.contains("numbers of 11 ranges") || label.contains("numbers of 10 ranges"),
            "{label}"
        );
    }
    tasks.sort_unstable();
    assert_eq!(tasks, (0..32).collect::<Vec<_>>());
    assert_eq!(numbers, 10_000);

    let over = MAX_COPY_BYTES / 4 + 1;
    let (job, label) = &plan(&scenario(Workload::Primes, 2, over))[0];
    assert!(matches!(job.input, Input::Items { .. }));
    assert!(
        label.contains("ranges only") && label.contains("64.0 MB"),
        "{label}"
    );

    let (job, label) = &plan(&scenario(Workload::Audio, 4, 64))[1];
    assert!(matches!(&job.input, Input::Samples { clip_samples: 16_000, runs } if runs.len() == 8));
    assert_eq!(label, "the samples of 16 clips");
    let (job, label) = &plan(&scenario(Workload::Audio, 4, 2_000))[0];
    assert!(matches!(job.input, Input::Items { .. }), "{label}");
    assert!(label.contains("synthesizes its own"), "{label}");

    for workload in [Workload::Io, Workload::Mandelbrot, Workload::Counter] {
        let (job, _) = &plan(&scenario(workload, 5, 1_000))[4];
        assert_eq!(
            job.input,
            Input::Items {
                tasks: share_tasks(32, 4, 5).collect()
            }
        );
    }
}

#[test]
fn processes_compute_on_what_they_were_sent_and_agree_with_the_twins() {
    let cases = [
        (Workload::Primes, 30_000),
        (Workload::Audio, 5),
        (Workload::Mandelbrot, 48),
        (Workload::Io, 5_000),
        (Workload::CounterLocked, 1_000),
        (Workload::Counter, 1_000),
    ];
    for (workload, size) in cases {
        // No waiting: the test need not sleep.
        let s = Scenario {
            latency_us: 0,
            ..scenario(workload, 3, size)
        };
        let mut total = 0_u64;
        for (job, _) in plan(&s) {
            let bytes: Vec<u8> = payload(&job.input).flatten().collect();
            assert_eq!(bytes.len(), job.input.payload_bytes());
            let share = run_job(&job, &bytes, &MonotonicClock::new()).expect("runs");
            let mut tasks: Vec<u32> = share.spans.iter().filter_map(|s| s.task).collect();
            tasks.dedup();
            assert_eq!(tasks, share_tasks(32, job.share, 3).collect::<Vec<_>>());
            assert!(share.spans.iter().all(|s| s.lane == job.share));
            total = total.wrapping_add(share.result);
        }
        let twin = sequential_twin(&s).unwrap_or_else(|| {
            let seq = Scenario {
                model: Model::Sequential,
                k: 1,
                ..s
            };
            crate::run(&seq, &MonotonicClock::new(), &native(), &Cancel::new())
                .expect("the sequential run")
                .meta()
                .and_then(|m| m.result)
                .expect("its answer")
        });
        assert_eq!(total, twin, "{workload}");
    }
}

#[test]
fn a_payload_that_does_not_match_its_job_is_refused() {
    let (job, _) = plan(&scenario(Workload::Primes, 2, 1_000)).remove(0);
    let Input::Numbers { ranges } = &job.input else {
        panic!("primes send numbers: {:?}", job.input);
    };
    let bytes = 4 * ranges.iter().map(|r| r.len()).sum::<usize>();
    let short = vec![0_u8; bytes - 4];
    let refused = run_job(&job, &short, &MonotonicClock::new()).map(|s| s.result);
    assert!(
        matches!(refused, Err(JobError::Payload { expected, got }) if expected == bytes && got == bytes - 4),
        "{refused:?}"
    );
    let (mut job, _) = plan(&scenario(Workload::Counter, 2, 1_000)).remove(0);
    job.share = 1;
    let refused = run_job(&job, &[], &MonotonicClock::new()).map(|s| s.result);
    assert!(
        matches!(refused, Err(JobError::Items { .. })),
        "{refused:?}"
    );
}

fn log(offset_us: f64, task: u32) -> Log {
    let at = |us: f64| 1e12 + offset_us + us;
    Log {
        start: Start::Cold,
        created_us: at(0.0),
        // The worker's clock is a little behind: ready "before" it was made.
        ready_us: at(-5.0),
        sent_us: at(100.0),
        posted_us: at(110.0),
        sent_bytes: 4_000,
        label: "1 000 numbers of 1 ranges".to_owned(),
        received_us: at(120.0),
        report: Report {
            unpacked_us: at(130.0),
            spans: vec![Span {
                lane: 7,
                state: State::Running,
                start_us: at(140.0),
                end_us: at(400.0),
                task: Some(task),
                holder: None,
            }],
            result: 10,
            memory_bytes: 1 << 20,
            copy_out_us: at(401.0),
        },
        report_bytes: 200,
        arrived_us: at(420.0),
        reading_us: at(430.0),
        read_us: at(440.0),
    }
}

#[test]
fn the_trace_has_a_parent_lane_then_each_process_in_order() {
    let s = scenario(Workload::Primes, 2, 1_000);
    let trace = assemble(&s, &native(), 1e12, &[log(0.0, 0), log(50.0, 1)]);
    trace.validate().expect("a sound trace");
    let lanes: Vec<(LaneKind, &str)> = trace
        .lanes
        .iter()
        .map(|l| (l.kind, l.name.as_str()))
        .collect();
    assert_eq!(
        lanes,
        [
            (LaneKind::Ui, "Main process"),
            (LaneKind::Process, "Process 1"),
            (LaneKind::Process, "Process 2")
        ]
    );
    assert_eq!(trace.meta().and_then(|m| m.result), Some(20));
    let states: Vec<State> = trace.lane_spans(1).iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            State::Startup,
            State::CopyIn,
            State::Running,
            State::CopyOut
        ]
    );
    let startup = trace.lane_spans(1)[0];
    assert_eq!((startup.start_us, startup.end_us), (0.0, 0.0));
    let running = trace.lane_spans(2)[2];
    assert_eq!(
        (running.start_us, running.end_us, running.task),
        (190.0, 450.0, Some(1))
    );
    assert_eq!(trace.lane_spans(0).len(), 4, "two posts and two reads");
    let sends = trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Send { .. }))
        .count();
    assert_eq!((sends, trace.events.len()), (4, 8));
    let copy_in = trace
        .spans()
        .iter()
        .position(|s| s.lane == 1 && s.state == State::CopyIn)
        .expect("a copy in");
    assert_eq!(
        trace.span_label(copy_in),
        Some("4.0 kB in: 1 000 numbers of 1 ranges")
    );
}

#[test]
fn a_warm_process_has_no_start_up_and_says_so_in_its_name() {
    let s = scenario(Workload::Primes, 2, 1_000);
    let warm = Log {
        start: Start::Warm,
        ..log(0.0, 0)
    };
    let kept = Log {
        start: Start::ColdKept,
        ..log(50.0, 1)
    };
    let trace = assemble(&s, &native(), 1e12, &[warm, kept]);
    trace.validate().expect("a sound trace");
    let names: Vec<&str> = trace.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Main process", "Process 1 (warm)", "Process 2"]);
    let states: Vec<State> = trace.lane_spans(1).iter().map(|s| s.state).collect();
    assert_eq!(states, [State::CopyIn, State::Running, State::CopyOut]);
    let startup = trace
        .spans()
        .iter()
        .position(|s| s.lane == 2 && s.state == State::Startup)
        .expect("a new worker starts up");
    let label = trace.span_label(startup).unwrap_or_default();
    assert!(label.contains("kept running for the next run"), "{label}");
}

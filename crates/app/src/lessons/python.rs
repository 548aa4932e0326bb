//! "The same in real Python": the command that runs a step's scenario in
//! CPython under `lanes_record.py`, and the step's figures from Lanes'
//! runs beside the same figures from the runs CPython recorded.

use lanes_trace::{Mode, Model, State, Trace, Workload};

use super::Lesson;
use crate::url::{UrlState, parse_query};

/// The recorder's file name, as the page serves it.
pub const RECORDER: &str = "lanes_record.py";

/// The command that records step `lesson` in CPython with the form's k and
/// size where they differ from the step's own, e.g. `python3
/// lanes_record.py --lesson 4 -o lesson4.json`; `None` for a step with no
/// real-Python counterpart.
pub fn command(lesson: &Lesson, form: &UrlState) -> Option<String> {
    lesson.python?;
    let own = parse_query(lesson.query).0;
    let mut command = format!("python3 {RECORDER} --lesson {}", lesson.number);
    if form.k != own.k {
        command.push_str(&format!(" --k {}", form.k));
    }
    if form.size != own.size && form.workload == own.workload {
        command.push_str(&format!(" --size {}", form.size));
    }
    command.push_str(&format!(" -o lesson{}.json", lesson.number));
    Some(command)
}

/// One run of a step, in Lanes and in CPython.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// What ran, e.g. "Threads + GIL, count primes".
    pub what: String,
    /// Lanes' run, and CPython's run of the same work, when there is one.
    pub lanes: Option<Figures>,
    /// The figures of CPython's run.
    pub cpython: Option<Figures>,
}

/// A run's figures, the same for Lanes and for CPython.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figures {
    /// The model it ran under (CPython's threads are under the GIL unless
    /// its build is free-threaded).
    pub model: Model,
    /// How many times faster it was than the first run of its workload in
    /// the same group (`None` for that first run).
    pub ratio: Option<f64>,
    /// The share of the threads' wanted time spent waiting for the GIL.
    pub gil_wait: f64,
    /// The share of the busy time spent starting processes and copying.
    pub overhead: f64,
}

/// What a CPython process costs to start, said beside a batch whose live
/// processes started faster than a Python spawn: the median start-up of
/// their process lanes, against the simulator's measured spawn, forkserver
/// and fork costs ([`lanes_sim::python_start_note`]). `None` when the batch
/// has no live process that started cold.
pub fn start_note<'a>(batch: impl IntoIterator<Item = &'a Trace>) -> Option<String> {
    let mut startups: Vec<f64> = batch
        .into_iter()
        .filter(|t| {
            t.meta()
                .is_some_and(|m| m.mode == Mode::Live && m.scenario.model == Model::Processes)
        })
        .flat_map(|t| {
            t.spans()
                .iter()
                .filter(|s| s.state == State::Startup)
                .map(|s| s.duration_us())
        })
        .collect();
    if startups.is_empty() {
        return None;
    }
    startups.sort_by(f64::total_cmp);
    lanes_sim::python_start_note(startups[startups.len() / 2])
}

/// Whether `trace` is a run CPython recorded.
pub fn recorded(trace: &Trace) -> bool {
    trace.meta().is_some_and(|m| m.mode == Mode::Recorded)
}

/// The figures of each run of one group (Lanes' or CPython's), keyed by
/// model and workload, in the group's order. Ratios are against the
/// group's first run of the same workload, which the step makes the
/// baseline (sequential, or the threads in step 5).
fn figures<'a>(group: &[&'a Trace]) -> Vec<(Workload, Figures, &'a Trace)> {
    let mut out: Vec<(Workload, Figures, &Trace)> = Vec::new();
    for &t in group {
        let Some(m) = t.meta() else { continue };
        let s = m.scenario;
        let first = out.iter().find(|(w, _, _)| *w == s.workload).map(|r| r.2);
        out.push((
            s.workload,
            Figures {
                model: s.model,
                ratio: first.and_then(|f| t.speedup_against(f)),
                gil_wait: t.gil_wait_share(),
                overhead: t.overhead_share(),
            },
            t,
        ));
    }
    out
}

/// Lanes' runs of the batch beside CPython's, one row per run: each of
/// Lanes' runs with CPython's run of the same model and workload (CPython's
/// threads under the GIL stand beside Lanes' free threads when CPython has
/// no free-threaded run of them), then CPython's runs that nothing matched.
/// Empty when the batch has no recorded run.
pub fn compare(batch: &[&Trace]) -> Vec<Row> {
    let (cpython, lanes): (Vec<&Trace>, Vec<&Trace>) = batch.iter().partition(|t| recorded(t));
    if cpython.is_empty() {
        return Vec::new();
    }
    let lanes = figures(&lanes);
    let mut cpython: Vec<_> = figures(&cpython).into_iter().map(Some).collect();
    let title = |w: Workload, f: &Figures| format!("{}, {}", f.model.title(), w.title());
    let mut rows = Vec::new();
    for (w, f, _) in &lanes {
        let matches = |model: Model| {
            cpython.iter().position(|c| {
                c.as_ref()
                    .is_some_and(|(cw, cf, _)| cw == w && cf.model == model)
            })
        };
        let at = matches(f.model).or_else(|| {
            (f.model == Model::Free)
                .then(|| matches(Model::Gil))
                .flatten()
        });
        let other = at
            .and_then(|i| cpython.get_mut(i)?.take())
            .map(|(_, cf, _)| cf);
        rows.push(Row {
            what: title(*w, f),
            lanes: Some(*f),
            cpython: other,
        });
    }
    rows.extend(cpython.into_iter().flatten().map(|(w, f, _)| Row {
        what: title(w, &f),
        lanes: None,
        cpython: Some(f),
    }));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson;
    use crate::testing::trace;
    use lanes_trace::{Meta, Scenario};

    /// A processes run whose processes started in `startups_us`, in `mode`.
    fn processes(startups_us: &[f64], mode: Mode) -> Trace {
        let t = run(Model::Processes, Workload::Primes, 100.0, mode);
        let lanes = (1..=startups_us.len())
            .map(|i| lanes_trace::Lane::thread(format!("Process {i}")))
            .collect();
        let spans = startups_us
            .iter()
            .zip(0..)
            .map(|(&us, lane)| lanes_trace::Span {
                lane,
                state: State::Startup,
                start_us: 0.0,
                end_us: us,
                task: None,
                holder: None,
            })
            .collect();
        Trace::new(t.meta().cloned().unwrap(), lanes, spans)
    }

    #[test]
    fn cpython_start_costs_are_said_beside_processes_that_started_faster_than_a_spawn() {
        let live = processes(&[4_000.0, 6_000.0, 9_000.0], Mode::Live);
        let note = start_note([&live]).unwrap();
        assert!(
            note.starts_with("A process started here in 6.0 ms"),
            "{note}"
        );
        assert!(
            note.contains("39 ms by spawn") && note.contains("1.2 ms by fork"),
            "{note}"
        );
        let slow = processes(&[45_000.0], Mode::Live);
        assert_eq!(
            start_note([&slow]),
            None,
            "slower than a spawn: nothing to say"
        );
        let simulated = processes(&[4_000.0], Mode::Simulated);
        assert_eq!(start_note([&simulated]), None, "only live processes");
        let threads = run(Model::Gil, Workload::Primes, 100.0, Mode::Live);
        assert_eq!(start_note([&threads]), None);
    }

    fn run(model: Model, workload: Workload, makespan: f64, mode: Mode) -> Trace {
        let t = trace(Scenario::new(model, workload, 4, 1000, 8), makespan);
        let meta = Meta {
            mode,
            ..t.meta().cloned().unwrap()
        };
        Trace::new(meta, t.lanes.clone(), t.spans().to_vec())
    }

    #[test]
    fn the_command_names_the_step_and_what_the_form_changed() {
        let step = lesson(4).unwrap();
        let form = parse_query(step.query).0;
        assert_eq!(
            command(step, &form).unwrap(),
            "python3 lanes_record.py --lesson 4 -o lesson4.json"
        );
        let changed = parse_query(&format!("{}&k=2&size=200000", step.query)).0;
        assert_eq!(
            command(step, &changed).unwrap(),
            "python3 lanes_record.py --lesson 4 --k 2 --size 200000 -o lesson4.json"
        );
        for n in [1, 2, 4, 5, 7] {
            assert!(lesson(n).unwrap().python.is_some(), "step {n}");
        }
        for n in [3, 6] {
            let step = lesson(n).unwrap();
            assert_eq!(command(step, &parse_query(step.query).0), None, "step {n}");
        }
    }

    #[test]
    fn lanes_free_threads_stand_beside_cpython_threads_under_the_gil() {
        use Mode::{Live, Recorded};
        let (p, primes) = (Model::Sequential, Workload::Primes);
        let runs = [
            run(p, primes, 100.0, Live),
            run(Model::Free, primes, 50.0, Live),
            run(p, primes, 400.0, Recorded),
            run(Model::Gil, primes, 400.0, Recorded),
        ];
        let batch: Vec<&Trace> = runs.iter().collect();
        let rows = compare(&batch);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].lanes.unwrap().ratio, None);
        assert_eq!(rows[0].cpython.unwrap().model, Model::Sequential);
        let threads = &rows[1];
        assert_eq!(threads.what, "Free threads, count primes");
        assert_eq!(threads.lanes.unwrap().ratio, Some(2.0));
        assert_eq!(threads.cpython.unwrap().model, Model::Gil);
        assert_eq!(threads.cpython.unwrap().ratio, Some(1.0));
        assert!(compare(&batch[..2]).is_empty(), "no recorded run, no rows");
    }

    #[test]
    fn cpython_runs_nothing_matched_get_rows_of_their_own() {
        let runs = [
            run(Model::Gil, Workload::Io, 100.0, Mode::Live),
            run(Model::Asyncio, Workload::Io, 90.0, Mode::Recorded),
        ];
        let batch: Vec<&Trace> = runs.iter().collect();
        let rows = compare(&batch);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].cpython.is_none());
        assert!(rows[1].lanes.is_none());
        assert_eq!(rows[1].what, "Event loop, network requests");
    }
}

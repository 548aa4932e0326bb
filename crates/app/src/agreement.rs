//! Whether each run found the same answer as the others, for the results
//! table: every schedule must find the sequential twin's answer.

use lanes_trace::{Mode, Trace, Workload};

use crate::format;

/// An answer runs are checked against: the first live run's, with the work
/// it answers, and the first run's that CPython recorded (whose own code
/// may answer some work differently, e.g. its audio digest). A simulated
/// run computes no answer (but the counters'), so it is no reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    mode: Mode,
    workload: Workload,
    size: u64,
    result: u64,
}

impl Reference {
    /// The answers of the first live run and of the first recorded run
    /// among `runs` that have one.
    pub fn of<'a>(runs: impl IntoIterator<Item = &'a Trace>) -> Vec<Self> {
        let mut found: Vec<Self> = Vec::new();
        for m in runs.into_iter().filter_map(Trace::meta) {
            let (Mode::Live | Mode::Recorded, Some(result)) = (m.mode, m.result) else {
                continue;
            };
            if !found.iter().any(|r| r.mode == m.mode) {
                found.push(Self {
                    mode: m.mode,
                    workload: m.scenario.workload,
                    size: m.scenario.size,
                    result,
                });
            }
        }
        found
    }
}

/// The results table's answer for `trace`, e.g. "9 592 ✓", "– (not
/// computed)", "180 000 of 200 000: 20 000 lost", or "–" for another
/// tool's trace. `long_frames` counts a UI lesson's long frames.
pub fn answer(
    trace: &Trace,
    references: &[Reference],
    long_frames: impl FnOnce(&Trace) -> usize,
) -> String {
    let Some(meta) = trace.meta() else {
        return "–".to_owned();
    };
    let Some(result) = meta.result else {
        return "– (not computed)".to_owned();
    };
    // Runs of other work, or with no live run to compare, are not compared.
    let size = meta.scenario.size;
    let differs = references.iter().any(|r| {
        (r.mode, r.workload, r.size) == (meta.mode, meta.scenario.workload, size)
            && r.result != result
    });
    let mark = if differs { "✗ differs" } else { "✓" };
    match meta.scenario.workload {
        Workload::Counter | Workload::CounterLocked => format!(
            "{} of {}: {} lost",
            format::count(result),
            format::count(size),
            lanes_runtime::lost_updates(trace).map_or_else(|| "–".to_owned(), format::count)
        ),
        Workload::Ui => {
            let long = long_frames(trace);
            format!(
                "{} {mark} · {long} long frame{}",
                format::count(result),
                if long == 1 { "" } else { "s" }
            )
        }
        // The neighbours count primes for as long as the sound plays: how
        // much they got done, not an answer to agree on.
        Workload::Playback => format!("{} primes found beside it", format::count(result)),
        _ => format!("{} {mark}", format::count(result)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_sim::{CostModel, Options, simulate};
    use lanes_trace::{Foreign, Meta, Model, Scenario, Source};

    fn run(model: Model, workload: Workload, size: u64, result: Option<u64>) -> Trace {
        let meta = Meta {
            scenario: Scenario::new(model, workload, 2, size, 8),
            mode: Mode::Live,
            cores: 2,
            cross_origin_isolated: true,
            environment: "test".to_owned(),
            result,
            seed: None,
        };
        Trace::new(meta, Vec::new(), Vec::new())
    }

    fn simulated(model: Model, workload: Workload, size: u64) -> Trace {
        let s = Scenario::new(model, workload, 2, size, 8);
        simulate(&s, &CostModel::reference(), &Options { cores: 2, seed: 1 }).unwrap()
    }

    #[test]
    fn live_runs_are_checked_against_the_first_live_answer_of_the_same_work() {
        let sim = simulated(Model::Free, Workload::Primes, 1000);
        let seq = run(Model::Sequential, Workload::Primes, 1000, Some(168));
        let wrong = run(Model::Gil, Workload::Primes, 1000, Some(167));
        let bigger = run(Model::Free, Workload::Primes, 2000, Some(303));
        let reference = Reference::of([&sim, &seq, &wrong]);
        assert_eq!(
            Reference::of([&sim]),
            vec![],
            "a simulated run is no reference"
        );
        assert_eq!(answer(&seq, &reference, |_| 0), "168 ✓");
        assert_eq!(answer(&wrong, &reference, |_| 0), "167 ✗ differs");
        assert_eq!(answer(&bigger, &reference, |_| 0), "303 ✓");
        assert_eq!(sim.meta().unwrap().result, None);
        assert_eq!(answer(&sim, &reference, |_| 0), "– (not computed)");
        let imported = seq.with_source(Source::Imported(Foreign::default()));
        assert_eq!(Reference::of([&imported]), vec![]);
        assert_eq!(answer(&imported, &reference, |_| 0), "–");
    }

    #[test]
    fn cpython_runs_are_checked_against_cpythons_first_answer() {
        let recorded = |model, result| {
            let t = run(model, Workload::Audio, 8, Some(result));
            let meta = Meta {
                mode: Mode::Recorded,
                ..t.meta().cloned().unwrap()
            };
            Trace::new(meta, Vec::new(), Vec::new())
        };
        let lanes = run(Model::Processes, Workload::Audio, 8, Some(1));
        let (cpython, threads) = (recorded(Model::Processes, 2), recorded(Model::Gil, 3));
        let references = Reference::of([&lanes, &cpython, &threads]);
        assert_eq!(references.len(), 2);
        assert_eq!(
            answer(&cpython, &references, |_| 0),
            "2 ✓",
            "not against Lanes' digest"
        );
        assert_eq!(answer(&threads, &references, |_| 0), "3 ✗ differs");
    }

    #[test]
    fn a_playback_says_how_much_its_neighbours_did_and_compares_nothing() {
        let gil = run(Model::Gil, Workload::Playback, 128, Some(979_764));
        let free = run(Model::Free, Workload::Playback, 128, Some(1_342_962));
        let references = Reference::of([&gil, &free]);
        assert_eq!(
            answer(&free, &references, |_| 0),
            "1\u{202f}342\u{202f}962 primes found beside it"
        );
    }

    #[test]
    fn counters_say_what_was_lost_and_the_ui_lesson_its_long_frames() {
        let racy = simulated(Model::Free, Workload::Counter, 100_000);
        let got = racy.meta().unwrap().result.unwrap();
        let lost = format::count(100_000 - got);
        let (got, all) = (format::count(got), format::count(100_000));
        assert_eq!(
            answer(&racy, &[], |_| 0),
            format!("{got} of {all}: {lost} lost")
        );
        let ui = run(Model::Sequential, Workload::Ui, 1000, Some(168));
        let reference = Reference::of([&ui]);
        assert_eq!(answer(&ui, &reference, |_| 1), "168 ✓ · 1 long frame");
        assert_eq!(answer(&ui, &[], |_| 3), "168 ✓ · 3 long frames");
    }
}

//! What the page draws of its runs: the current batch with each run's
//! speedup, and the speedup chart's series over the kept runs.

use std::rc::Rc;

use lanes_render::amdahl_fit;
use lanes_trace::{Model, Trace, Workload};

use super::AppState;
use crate::format;
use crate::lessons::python;

impl AppState {
    /// How much faster `trace` ran than the latest sequential run of the same
    /// workload and size, measured the same way (a run CPython recorded
    /// against CPython's, Lanes' against Lanes'); `None` for sequential runs
    /// or with no baseline.
    pub fn speedup_of(&self, trace: &Trace) -> Option<f64> {
        let recorded = python::recorded;
        let s = &trace.meta()?.scenario;
        // The UI lesson's makespan includes calm time on purpose: no speedup.
        if s.model == Model::Sequential || s.workload == Workload::Ui {
            return None;
        }
        let same = |t: &&Rc<Trace>| {
            t.meta().is_some_and(|m| {
                m.scenario.model == Model::Sequential
                    && m.scenario.workload == s.workload
                    && m.scenario.size == s.size
                    && recorded(t) == recorded(trace)
            })
        };
        let baseline = self
            .batch
            .iter()
            .rev()
            .find(same)
            .or_else(|| self.history.iter().rev().find(same))?;
        trace.speedup_against(baseline)
    }

    /// The runs of the current batch with their speedups, for drawing. A
    /// sweep shows its baseline and, for each model, its run at the largest
    /// k so far (the speedup chart shows every k).
    pub fn views(&self) -> Vec<(Rc<Trace>, Option<f64>)> {
        let model = |t: &Rc<Trace>| t.meta().map(|m| m.scenario.model);
        let shown = |i: usize, t: &Rc<Trace>| {
            !self.sweep
                || model(t) == Some(Model::Sequential)
                || !self.batch[i + 1..]
                    .iter()
                    .any(|later| model(later) == model(t))
        };
        self.batch
            .iter()
            .enumerate()
            .filter(|(i, t)| shown(*i, t))
            .map(|(_, t)| (Rc::clone(t), self.speedup_of(t)))
            .collect()
    }

    /// Measured speedups for the speedup chart: for each threaded model, the
    /// latest run at each k of the workload and size of the latest batch,
    /// against the latest sequential run of the same work. Empty without a
    /// baseline.
    pub fn speedup_series(&self) -> Vec<(Model, Vec<(u32, f64)>)> {
        let Some(latest) = self
            .batch
            .last()
            .and_then(|t| t.meta())
            .filter(|m| m.scenario.workload != Workload::Ui)
        else {
            return Vec::new();
        };
        // The scenario of a run of the same work as the latest, if it is one.
        let same_work = |t: &Rc<Trace>| {
            t.meta().map(|m| m.scenario).filter(|s| {
                s.workload == latest.scenario.workload && s.size == latest.scenario.size
            })
        };
        let Some(baseline) = self
            .history
            .iter()
            .rev()
            .find(|t| same_work(t).is_some_and(|s| s.model == Model::Sequential))
        else {
            return Vec::new();
        };
        Model::ALL
            .into_iter()
            .filter(|m| *m != Model::Sequential)
            .filter_map(|model| {
                let mut by_k: Vec<(u32, f64)> = Vec::new();
                for (t, s) in self
                    .history
                    .iter()
                    .rev()
                    .filter_map(|t| Some((t, same_work(t)?)))
                    .filter(|(_, s)| s.model == model)
                {
                    let k = s.k;
                    if !by_k.iter().any(|(seen, _)| *seen == k) {
                        by_k.extend(t.speedup_against(baseline).map(|x| (k, x)));
                    }
                }
                by_k.sort_by_key(|(k, _)| *k);
                (!by_k.is_empty()).then_some((model, by_k))
            })
            .collect()
    }
}

/// The speedup chart in words, its text alternative: each model's measured
/// speedups by k and, when it fits, Amdahl's serial share.
pub fn describe_series(series: &[(Model, Vec<(u32, f64)>)]) -> String {
    let text: Vec<String> = series
        .iter()
        .map(|(m, points)| {
            let measured: Vec<String> = points
                .iter()
                .map(|(k, x)| format!("k={k}: {}", format::ratio(*x)))
                .collect();
            let fit = amdahl_fit(points)
                .map(|s| format!("; Amdahl fit: {:.0} % serial", s * 100.0))
                .unwrap_or_default();
            format!("{}: {}{fit}", m.title(), measured.join(", "))
        })
        .collect();
    text.join(". ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use crate::testing::{ready, trace};
    use crate::url::parse_query;
    use lanes_trace::Scenario;

    #[test]
    fn speedup_uses_an_earlier_sequential_run_of_the_same_size() {
        let mut s = ready("model=sequential");
        s.apply(Action::Start);
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 300.0), None));
        s.apply(Action::ToggleModel(Model::Free, true));
        s.apply(Action::ToggleModel(Model::Sequential, false));
        s.apply(Action::Start);
        let free = s.plan[0].scenario;
        s.apply(Action::Finished(trace(free, 100.0), None));
        assert_eq!(s.batch.len(), 1);
        assert_eq!(s.speedup_of(&s.batch[0]), Some(3.0));
        // A different size has no baseline.
        let other = Scenario {
            size: free.size + 1,
            ..free
        };
        assert_eq!(s.speedup_of(&trace(other, 100.0)), None);
    }

    #[test]
    fn speedup_series_take_the_latest_run_at_each_k() {
        let mut s = ready("model=sequential");
        let run = |s: &mut AppState, query: &str, ms: f64| {
            let (form, _) = parse_query(query);
            s.form = form;
            s.apply(Action::Start);
            let p = s.plan[0].scenario;
            s.apply(Action::Finished(trace(p, ms * 1000.0), None));
        };
        assert!(s.speedup_series().is_empty(), "no runs");
        run(&mut s, "model=free&k=2", 60.0);
        assert!(s.speedup_series().is_empty(), "no baseline yet");
        run(&mut s, "model=sequential", 100.0);
        run(&mut s, "model=free&k=2", 50.0);
        run(&mut s, "model=free&k=4", 40.0);
        run(&mut s, "model=free&k=2", 55.0);
        let series = s.speedup_series();
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].0, Model::Free);
        let points: Vec<(u32, String)> = series[0]
            .1
            .iter()
            .map(|(k, x)| (*k, format!("{x:.2}")))
            .collect();
        assert_eq!(points, [(2, "1.82".to_owned()), (4, "2.50".to_owned())]);
        let words = describe_series(&series);
        assert!(
            words.starts_with("Free threads: k=2: 1.82×, k=4: 2.50×"),
            "{words}"
        );
        // Another size has its own baseline, so nothing yet.
        run(&mut s, "model=free&k=2&size=1000", 1.0);
        assert!(s.speedup_series().is_empty());
    }

    #[test]
    fn a_sweep_runs_a_baseline_then_every_k_and_shows_the_largest() {
        let mut s = ready("model=sequential,gil,free");
        s.apply(Action::Sweep);
        assert!(s.sweep && s.running());
        let shape: Vec<(Model, u32)> = s
            .plan
            .iter()
            .map(|p| (p.scenario.model, p.scenario.k))
            .collect();
        assert_eq!(shape.len(), 1 + 2 * 16);
        assert_eq!(shape[0], (Model::Sequential, 1));
        assert_eq!(shape[1], (Model::Gil, 1));
        assert_eq!(shape[16], (Model::Gil, 16));
        assert_eq!(shape[32], (Model::Free, 16));
        let plan = s.plan.clone();
        for (i, p) in plan.iter().enumerate() {
            s.apply(Action::Finished(
                trace(p.scenario, 1000.0 / (i as f64 + 1.0)),
                None,
            ));
        }
        assert_eq!(s.status.as_data(), "done");
        let shown: Vec<(Model, u32)> = s
            .views()
            .iter()
            .map(|(t, _)| {
                (
                    t.meta().unwrap().scenario.model,
                    t.meta().unwrap().scenario.k,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [(Model::Sequential, 1), (Model::Gil, 16), (Model::Free, 16)]
        );
        let series = s.speedup_series();
        assert_eq!(series.len(), 2);
        assert!(series.iter().all(|(_, points)| points.len() == 16));
        // A simulated sweep goes as far as simulation allows.
        let mut sim = ready("model=free&sim=1");
        sim.apply(Action::Sweep);
        assert_eq!(sim.plan.len(), 1 + 64);
        // A plain run afterwards is no sweep.
        s.apply(Action::Start);
        assert!(!s.sweep);
    }
}

//! A batch as it runs: started (or refused) as a whole, each finished run
//! added in plan order, ended by its last run, a failure or Cancel.

use std::rc::Rc;

use lanes_trace::{Model, Trace, Workload};

use super::plan::uses_learned;
use super::{AppState, How, Planned, PoolStatus, RunStatus, history};
use crate::process_memory::ProcessMemory;

impl AppState {
    /// Whether runs can start: the pool is up, or it is known that it
    /// cannot start (then free threads are simulated and the rest runs in
    /// one worker).
    pub fn can_run(&self) -> bool {
        !matches!(self.pool, PoolStatus::Starting)
    }

    pub(super) fn start_with(&mut self, sweep: bool) {
        if self.running() {
            self.notices
                .push("A run is already in progress: wait for it or cancel it.".to_owned());
            return;
        }
        if !self.can_run() {
            self.notices.push(
                "The worker threads are still starting: press Run again in a moment.".to_owned(),
            );
            return;
        }
        if self.form.sim && self.form.workload == Workload::Ui {
            self.notices.push(
                "The UI lesson measures this page's own frames, so it runs live even in simulation mode."
                    .to_owned(),
            );
        }
        let plan = if sweep {
            self.sweep_plan()
        } else {
            self.batch_plan()
        };
        // Refused before anything starts or is cleared: the page keeps
        // what it shows.
        if let Some(why) = plan.iter().find_map(|p| self.memory_refusal(p)) {
            self.notices.push(why);
            return;
        }
        self.previous = Some((std::mem::take(&mut self.batch), self.sweep));
        self.sweep = sweep;
        if plan
            .iter()
            .any(|p| p.scenario.model == Model::Processes && p.how == How::Live)
        {
            self.process_memory = None;
        }
        self.status = if plan.is_empty() {
            RunStatus::Idle
        } else {
            RunStatus::Running
        };
        self.plan = plan;
    }

    /// Why `planned` may not run (its timeline would not fit in the memory
    /// cap), or `None`. A live run is judged with what this page has learnt
    /// of this machine's speed (the reference laptop's until then), and the
    /// message says so.
    fn memory_refusal(&self, planned: &Planned) -> Option<String> {
        let why = crate::budget::refusal(&planned.scenario, &self.costs_for(planned.how))?;
        match self.learned.describe() {
            Some(learned) if uses_learned(planned.how) => {
                Some(format!("{why} Estimated with {learned}."))
            }
            _ => Some(why),
        }
    }

    pub(super) fn finish(&mut self, trace: Trace, memory: Option<ProcessMemory>) {
        if !self.running() {
            return;
        }
        self.previous = None;
        // A simulated or imported run teaches nothing: `learn` says so.
        self.learned.learn(&trace);
        let trace = Rc::new(trace);
        if let Some(memory) = memory {
            self.process_memory = Some((Rc::clone(&trace), memory));
        }
        history::remember(&mut self.history, Rc::clone(&trace));
        self.batch.push(trace);
        if self.batch.len() >= self.plan.len() {
            self.status = RunStatus::Done;
        }
    }

    /// Ends a running batch with `status` (a failure or a cancel); a batch
    /// that ended before any of its runs finished shows the one before it
    /// again.
    pub(super) fn end_batch(&mut self, status: RunStatus) {
        if !self.running() {
            return;
        }
        self.status = status;
        if let Some((batch, sweep)) = self.previous.take()
            && self.batch.is_empty()
        {
            self.batch = batch;
            self.sweep = sweep;
        }
    }

    /// Clears the picture of a finished batch and the answer to its step's
    /// question (a new step has its own).
    pub(super) fn leave_batch(&mut self) {
        self.prediction = None;
        self.batch.clear();
        self.previous = None;
        self.plan.clear();
        self.sweep = false;
        if !self.running() {
            self.status = RunStatus::Idle;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, Progress};
    use crate::testing::{ready, trace};

    #[test]
    fn a_batch_runs_each_model_in_order_then_is_done() {
        let mut s = ready("model=sequential,free&k=8");
        s.apply(Action::Start);
        assert_eq!(s.plan.len(), 2);
        assert_eq!(s.plan[0].scenario.k, 1, "sequential runs on one thread");
        assert_eq!(s.plan[1].scenario.k, 8);
        assert_eq!(s.status.as_data(), "running");
        let (seq, free) = (s.plan[0].scenario, s.plan[1].scenario);
        s.apply(Action::Finished(trace(seq, 400.0), None));
        assert_eq!(
            s.progress(),
            Some(Progress {
                index: 1,
                total: 2,
                model: Model::Free
            })
        );
        s.apply(Action::Finished(trace(free, 200.0), None));
        assert_eq!(s.status.as_data(), "done");
        assert_eq!(s.batch.len(), 2);
        assert_eq!(s.speedup_of(&s.batch[1]), Some(2.0));
        assert_eq!(s.speedup_of(&s.batch[0]), None);
    }

    #[test]
    fn a_second_start_while_running_is_refused_with_a_notice() {
        let mut s = ready("");
        s.apply(Action::Start);
        let before = s.clone();
        s.apply(Action::Start);
        assert_eq!(s.plan, before.plan);
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn back_or_forward_during_a_run_keeps_the_form_and_says_so() {
        let mut s = ready("model=sequential&k=4");
        s.apply(Action::Start);
        let before = s.clone();
        s.apply(Action::Navigate("model=free&k=3".to_owned()));
        assert_eq!(
            (&s.form, &s.plan, &s.status),
            (&before.form, &before.plan, &before.status)
        );
        let why = s.notices.last().expect("a notice");
        assert!(why.contains("address was put back"), "{why}");
    }

    #[test]
    fn a_run_over_the_memory_cap_is_refused_and_the_last_batch_kept() {
        let mut s = ready("model=sequential");
        s.apply(Action::Start);
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 300.0), None));
        s.apply(Action::Navigate(
            "model=sequential,gil&workload=mandelbrot&size=16384&interval=0.1".to_owned(),
        ));
        let before = (s.batch.clone(), s.status.clone(), s.history.len());
        s.apply(Action::Start);
        assert_eq!((s.batch.clone(), s.status.clone(), s.history.len()), before);
        let why = s.notices.last().expect("a notice");
        assert!(why.contains("Threads + GIL run was not started"), "{why}");
        assert!(why.contains(" or less"), "{why}");
    }

    #[test]
    fn a_batch_that_fails_or_is_cancelled_before_a_run_ends_shows_the_last_one_again() {
        let mut s = ready("model=sequential");
        s.apply(Action::Start);
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 300.0), None));
        let shown = s.batch.clone();
        s.apply(Action::Start);
        assert!(
            s.batch.is_empty(),
            "a new batch starts with a clean picture"
        );
        s.apply(Action::Failed("process 1 died".to_owned()));
        assert_eq!(s.batch, shown);
        assert_eq!(s.status, RunStatus::Failed("process 1 died".to_owned()));
        s.apply(Action::Start);
        s.apply(Action::Cancelled);
        assert_eq!(s.batch, shown);
        // A batch that got somewhere keeps its own runs.
        s.apply(Action::ToggleModel(Model::Free, true));
        s.apply(Action::Start);
        s.apply(Action::Finished(trace(seq, 200.0), None));
        s.apply(Action::Cancelled);
        assert_eq!(s.batch.len(), 1);
        assert_ne!(s.batch, shown);
    }

    #[test]
    fn failures_and_cancels_end_the_batch_and_keep_finished_runs() {
        let mut s = ready("");
        s.apply(Action::Start);
        let first = s.plan[0].scenario;
        s.apply(Action::Finished(trace(first, 10.0), None));
        s.apply(Action::Cancelled);
        assert_eq!(s.status.as_data(), "cancelled");
        assert_eq!(s.batch.len(), 1);
        s.apply(Action::Finished(trace(first, 10.0), None));
        assert_eq!(s.batch.len(), 1, "a late answer after cancel is dropped");
        s.apply(Action::Start);
        s.apply(Action::Failed("boom".to_owned()));
        assert_eq!(s.status, RunStatus::Failed("boom".to_owned()));
    }

    #[test]
    fn an_import_replaces_the_picture_and_a_failed_one_keeps_it() {
        let mut s = ready("model=free");
        s.apply(Action::Start);
        let p = s.plan[0].scenario;
        s.apply(Action::Finished(trace(p, 5.0), None));
        let before = s.batch.clone();
        s.apply(Action::ImportFailed {
            file: "x.json".to_owned(),
            why: "the file is not valid JSON".to_owned(),
        });
        assert_eq!(s.batch, before);
        assert_eq!(s.status.as_data(), "done");
        assert!(s.notices[0].contains("x.json could not be opened"));
        let imported = trace(p, 9.0).with_source(lanes_trace::Source::Imported(Default::default()));
        s.apply(Action::Imported {
            file: "y.json".to_owned(),
            traces: vec![imported],
            summary: "Read 3 events.".to_owned(),
        });
        assert_eq!(s.batch.len(), 1);
        assert_eq!(s.status.as_data(), "imported");
        assert_eq!(
            s.speedup_of(&s.batch[0]),
            None,
            "foreign traces have no speedup"
        );
        assert_eq!(s.history.len(), 2);
    }

    #[test]
    fn a_cpython_recording_opens_beside_the_steps_runs_and_keeps_its_outcome() {
        use lanes_trace::{Meta, Mode, Model, Scenario, Workload};
        let mut s = ready("lesson=1");
        s.apply(Action::Start);
        while s.running() {
            let p = s.plan[s.batch.len()].scenario;
            let makespan = if p.model == Model::Sequential {
                200.0
            } else {
                100.0
            };
            s.apply(Action::Finished(trace(p, makespan), None));
        }
        let outcome = s.outcome();
        assert!(outcome.is_some());
        let recorded = |model, makespan| {
            let t = trace(
                Scenario::new(model, Workload::Primes, 4, 5_000_000, 32),
                makespan,
            );
            let meta = Meta {
                mode: Mode::Recorded,
                ..t.meta().cloned().unwrap()
            };
            Trace::new(meta, t.lanes.clone(), t.spans().to_vec())
        };
        for _ in 0..2 {
            s.apply(Action::Imported {
                file: "lesson1.json".to_owned(),
                traces: vec![
                    recorded(Model::Sequential, 900.0),
                    recorded(Model::Gil, 950.0),
                ],
                summary: String::new(),
            });
        }
        assert_eq!(
            s.batch.len(),
            4,
            "Lanes' two runs, then CPython's two, once"
        );
        assert_eq!(s.outcome(), outcome, "the step's verdict stays");
        let cpython_threads = &s.batch[3];
        let speedup = s.speedup_of(cpython_threads).unwrap();
        assert!(
            (speedup - 900.0 / 950.0).abs() < 1e-9,
            "against CPython's own baseline"
        );
        let (_, rows) = s.real_python().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].lanes.unwrap().ratio, Some(2.0));
    }

    #[test]
    fn an_import_waits_for_a_run_to_end() {
        let mut s = ready("");
        s.apply(Action::Start);
        let p = s.plan[0].scenario;
        s.apply(Action::Imported {
            file: "y.json".to_owned(),
            traces: vec![trace(p, 1.0)],
            summary: String::new(),
        });
        assert!(s.running());
        assert!(s.batch.is_empty());
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn reset_clears_the_picture_and_keeps_the_scenario() {
        let mut s = ready("lesson=4&embed=1");
        s.apply(Action::Predict("gil-same"));
        s.apply(Action::Start);
        let p = s.plan[0].scenario;
        s.apply(Action::Reset);
        assert_eq!(s.notices.len(), 1, "not while running");
        s.apply(Action::Cancelled);
        s.apply(Action::Finished(trace(p, 1.0), None));
        s.apply(Action::Reset);
        assert!(s.batch.is_empty() && s.prediction.is_none());
        assert_eq!(s.status.as_data(), "idle");
        assert_eq!(s.form.lesson, Some(4));
        s.apply(Action::Set("scale", "2".to_owned()));
        assert_eq!(s.form.scale, 2.0);
    }

    #[test]
    fn a_processes_run_keeps_its_memory_with_it_until_the_next_one_starts() {
        let mut s = ready("model=sequential,processes");
        s.apply(Action::Start);
        let (seq, procs) = (s.plan[0].scenario, s.plan[1].scenario);
        s.apply(Action::Finished(trace(seq, 10.0), None));
        let memory = ProcessMemory {
            bytes_per_process: vec![3, 4],
            main_bytes: 5,
        };
        s.apply(Action::Finished(trace(procs, 10.0), Some(memory.clone())));
        let (run, kept) = s.process_memory.clone().expect("kept");
        assert!(Rc::ptr_eq(&run, &s.batch[1]), "with its own run");
        assert_eq!(kept, memory);
        s.apply(Action::ToggleModel(Model::Processes, false));
        s.apply(Action::Start);
        assert!(s.process_memory.is_some(), "a batch without processes");
        s.apply(Action::Cancelled);
        s.apply(Action::ToggleModel(Model::Processes, true));
        s.apply(Action::Start);
        assert_eq!(s.process_memory, None, "a processes run is coming");
    }
}

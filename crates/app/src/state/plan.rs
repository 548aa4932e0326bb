//! The plan of a batch: which scenarios a press of Run (or Sweep) starts,
//! and whether each runs live or simulated.

use lanes_sim::CostModel;
use lanes_trace::{Model, Scenario, Workload};

use super::AppState;
use crate::lessons::{Lesson, batch_runs};
use crate::url::{K_RANGE, TASKS, UrlState};

/// How a planned run happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Measured on this machine.
    Live,
    /// Computed by the simulator.
    Simulated {
        /// Virtual cores.
        cores: u32,
        /// The simulator's seed.
        seed: u64,
        /// With the costs learned from this page's live runs (it predicts
        /// this machine), not the reference ones (the same picture
        /// everywhere).
        calibrated: bool,
    },
}

/// One run of a batch: what runs, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Planned {
    /// What runs.
    pub scenario: Scenario,
    /// Live or simulated.
    pub how: How,
}

/// The scenarios a press of Run starts with `form` on step `lesson` (or
/// the playground), in run order: [`batch_runs`] with the form's k, switch
/// interval and latency.
pub fn scenarios(lesson: Option<&Lesson>, form: &UrlState) -> Vec<Scenario> {
    batch_runs(lesson, form)
        .into_iter()
        .map(|r| scenario(form, r.model, r.workload, r.size_in(form), form.k))
        .collect()
}

/// A scenario with the form's switch interval and latency.
fn scenario(form: &UrlState, model: Model, workload: Workload, size: u64, k: u32) -> Scenario {
    let tasks = if workload == Workload::Playback {
        form.notes
    } else {
        TASKS
    };
    let k = match (model, workload) {
        (Model::Sequential, _) => 1,
        // One CPU-bound and one I/O-bound thread, whatever k says.
        (_, Workload::Mixed) => 2,
        _ => k,
    };
    let micros = |ms: f64| (ms * 1000.0).round() as u32;
    Scenario {
        interval_us: micros(form.interval_ms),
        latency_us: micros(form.latency_ms),
        ..Scenario::new(model, workload, k, size, tasks)
    }
}

impl AppState {
    /// The runs a press of Run starts.
    pub(super) fn batch_plan(&self) -> Vec<Planned> {
        scenarios(self.lesson(), &self.form)
            .into_iter()
            .map(|scenario| self.planned(scenario))
            .collect()
    }

    /// The runs of a sweep: one sequential baseline, then every k from 1 to
    /// the most allowed for each threaded model ticked (processes stop at
    /// 16, the most a page starts), on the form's workload.
    pub(super) fn sweep_plan(&self) -> Vec<Planned> {
        let (workload, size) = (self.form.workload, self.form.size);
        let at = |model, k| self.planned(scenario(&self.form, model, workload, size, k));
        let mut plan = vec![at(Model::Sequential, 1)];
        for &model in self.form.models.iter().filter(|m| **m != Model::Sequential) {
            let most = match self.how_for(model, workload) {
                How::Simulated { .. } => self.form.k_range().1,
                How::Live => K_RANGE.1,
            };
            plan.extend((1..=most).map(|k| at(model, k)));
        }
        plan
    }

    fn planned(&self, scenario: Scenario) -> Planned {
        Planned {
            scenario,
            how: self.how_for(scenario.model, scenario.workload),
        }
    }

    /// How a run of `model` happens now: simulated in lecture mode and for
    /// free threads without a pool, else live. The UI lesson measures this
    /// page's own frames, so it is always live (without a pool its "free
    /// threads" work runs in one worker: off the main thread all the same).
    pub fn how(&self, model: Model) -> How {
        self.how_for(model, self.form.workload)
    }

    fn how_for(&self, model: Model, workload: Workload) -> How {
        if self.form.sim && workload != Workload::Ui {
            How::Simulated {
                cores: self.form.cores,
                seed: self.form.seed,
                calibrated: self.form.calibrated,
            }
        } else if workload == Workload::Playback && self.no_live_audio.is_some() {
            // The simulator draws the same deadlines where nothing can play.
            How::Simulated {
                cores: self.machine_cores,
                seed: self.form.seed,
                calibrated: false,
            }
        } else if model == Model::Free && self.pool.without_pool() && workload != Workload::Ui {
            How::Simulated {
                cores: self.machine_cores,
                seed: self.form.seed,
                calibrated: true,
            }
        } else {
            How::Live
        }
    }

    /// The cost model a run made `how` is simulated or judged with: the
    /// costs learned here for a live run (this machine's speed) and a
    /// calibrated simulation, the reference laptop's otherwise.
    pub fn costs_for(&self, how: How) -> CostModel {
        if uses_learned(how) {
            self.learned.costs().clone()
        } else {
            CostModel::reference()
        }
    }
}

/// Whether a run made `how` uses the costs learned from live runs.
pub(super) fn uses_learned(how: How) -> bool {
    matches!(
        how,
        How::Live
            | How::Simulated {
                calibrated: true,
                ..
            }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use crate::testing::ready;

    #[test]
    fn the_scenario_carries_every_knob() {
        let mut s = ready("model=sequential,gil,free&workload=io&k=8&interval=2&latency=30");
        s.apply(Action::Start);
        let ks: Vec<u32> = s.plan.iter().map(|p| p.scenario.k).collect();
        assert_eq!(ks, [1, 8, 8]);
        assert!(
            s.plan
                .iter()
                .all(|p| p.scenario.interval_us == 2_000 && p.scenario.latency_us == 30_000)
        );
        let mut m = ready("model=gil&workload=mixed&k=8");
        m.apply(Action::Start);
        assert_eq!(
            m.plan[0].scenario.k, 2,
            "mixed is one CPU and one I/O thread"
        );
    }

    #[test]
    fn lecture_mode_simulates_every_model_but_the_ui_lesson() {
        let mut s = ready("model=sequential,free&sim=1&cores=64&k=48&seed=3");
        s.apply(Action::Start);
        let lecture = How::Simulated {
            cores: 64,
            seed: 3,
            calibrated: false,
        };
        assert!(s.plan.iter().all(|p| p.how == lecture), "{:?}", s.plan);
        assert_eq!(s.plan[1].scenario.k, 48);
        assert_eq!(s.costs_for(lecture), CostModel::reference());
        let mut ui = ready("workload=ui&model=sequential&sim=1");
        ui.apply(Action::Start);
        assert_eq!(ui.plan[0].how, How::Live);
        assert_eq!(ui.notices.len(), 1, "{:?}", ui.notices);
    }
}

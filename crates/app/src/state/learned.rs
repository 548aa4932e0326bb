//! Costs learned from your live runs: the simulator's cost model starts as
//! the reference laptop's, and every live run that finishes here teaches
//! it this machine's figures. Calibrated simulations (and free threads
//! simulated for want of a pool) use it, and so does the memory cap when it
//! judges a live run; the page says so wherever it did.

use std::collections::BTreeSet;

use lanes_sim::{COST_FIGURES, CostModel};
use lanes_trace::{Model, Trace};

use super::plan::uses_learned;
use super::{AppState, How};

/// The cost model this page learned, with what it learned and from which
/// runs.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnedCosts {
    costs: CostModel,
    /// How many live runs changed a figure.
    runs: usize,
    /// The models of those runs.
    models: BTreeSet<Model>,
    /// The figures they changed, as places in [`COST_FIGURES`].
    figures: BTreeSet<usize>,
}

impl Default for LearnedCosts {
    /// The reference laptop's costs, nothing learned yet.
    fn default() -> Self {
        Self {
            costs: CostModel::reference(),
            runs: 0,
            models: BTreeSet::new(),
            figures: BTreeSet::new(),
        }
    }
}

impl LearnedCosts {
    /// The costs as learned so far.
    pub fn costs(&self) -> &CostModel {
        &self.costs
    }

    /// Learns what `live`, a live run that finished here, says of this
    /// machine. A run it cannot read (cancelled, too short, simulated,
    /// imported) teaches nothing and changes nothing.
    pub fn learn(&mut self, live: &Trace) {
        let Ok(calibration) = self.costs.calibrate(live) else {
            return;
        };
        if !calibration.learned.is_empty() {
            self.runs += 1;
            self.models.extend(live.meta().map(|m| m.scenario.model));
            let at = |field| COST_FIGURES.iter().position(|(f, _)| *f == field);
            self.figures
                .extend(calibration.learned.iter().filter_map(|l| at(l.field)));
        }
    }

    /// What was learned, from which runs, in words (to follow "Simulated
    /// with" or "Estimated with"); `None` while nothing was.
    pub fn describe(&self) -> Option<String> {
        let models: Vec<&str> = self.models.iter().map(|m| m.title()).collect();
        let figures: Vec<&str> = self.figures.iter().map(|&i| COST_FIGURES[i].1).collect();
        let (n, s) = (self.runs, if self.runs == 1 { "" } else { "s" });
        (n > 0).then(|| {
            format!(
                "costs learned from your {n} live run{s} ({}): {}",
                models.join(", "),
                figures.join(", ")
            )
        })
    }
}

impl AppState {
    /// The line under the status that says which costs the batch's
    /// simulated runs use, when one of them uses the learned ones.
    pub fn learned_note(&self) -> Option<String> {
        let calibrated = self
            .plan
            .iter()
            .any(|p| p.how != How::Live && uses_learned(p.how));
        calibrated.then(|| match self.learned.describe() {
            Some(learned) => format!("Simulated with {learned}."),
            None => "Simulated with the reference laptop's costs: no live run here has taught \
                     it this machine's yet."
                .to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use crate::testing::ready;
    use lanes_sim::{Options, simulate};
    use lanes_trace::{Meta, Mode, Scenario, Source, Workload};

    /// A run that looks live, as the simulator draws it on a machine half
    /// as fast as the reference laptop.
    fn live(model: Model, k: u32) -> Trace {
        let slow = CostModel {
            primes_us_per_unit: CostModel::reference().primes_us_per_unit * 2.0,
            ..CostModel::reference()
        };
        let scenario = Scenario::new(model, Workload::Primes, k, 200_000, 32);
        let t = simulate(&scenario, &slow, &Options { cores: 4, seed: 1 }).unwrap();
        with_mode(t, Mode::Live)
    }

    /// `t` marked as run in `mode`.
    fn with_mode(t: Trace, mode: Mode) -> Trace {
        let meta = Meta {
            mode,
            ..t.meta().unwrap().clone()
        };
        t.with_source(Source::Lanes(meta))
    }

    #[test]
    fn it_says_what_it_learned_and_from_which_runs() {
        let mut learned = LearnedCosts::default();
        assert_eq!(learned.describe(), None);
        let simulated = with_mode(live(Model::Free, 2), Mode::Simulated);
        learned.learn(&simulated);
        assert_eq!(
            learned,
            LearnedCosts::default(),
            "a simulated run teaches nothing"
        );
        learned.learn(&live(Model::Free, 2));
        learned.learn(&live(Model::Sequential, 1));
        assert!(learned.costs().primes_us_per_unit > CostModel::reference().primes_us_per_unit);
        let words = learned.describe().expect("learned");
        assert!(
            words.starts_with("costs learned from your 2 live runs (Sequential, Free threads): "),
            "{words}"
        );
        assert!(words.contains("prime counting speed"), "{words}");
    }

    #[test]
    fn the_page_says_when_simulations_and_refusals_used_learned_costs() {
        let mut s = ready("model=sequential,free&sim=1&calibrated=1&size=200000&k=2");
        s.apply(Action::Start);
        let note = s.learned_note().expect("a calibrated simulation");
        assert!(
            note.starts_with("Simulated with the reference laptop's costs"),
            "{note}"
        );
        s.apply(Action::Cancelled);
        s.apply(Action::Set("sim", "0".to_owned()));
        s.apply(Action::Start);
        assert_eq!(s.learned_note(), None, "live runs need no note");
        for t in [live(Model::Sequential, 1), live(Model::Free, 2)] {
            s.apply(Action::Finished(t, None));
        }
        s.apply(Action::Set("sim", "1".to_owned()));
        s.apply(Action::Start);
        let note = s.learned_note().expect("a calibrated simulation");
        assert!(
            note.starts_with(
                "Simulated with costs learned from your 2 live runs (Sequential, Free threads): "
            ),
            "{note}"
        );
        s.apply(Action::Cancelled);
        // A live run over the cap is judged with the learned costs, and
        // the refusal says so in the same words.
        s.apply(Action::Navigate(
            "model=gil&workload=mandelbrot&size=16384&interval=0.1".to_owned(),
        ));
        s.apply(Action::Start);
        let why = s.notices.last().expect("refused");
        assert!(why.contains("was not started"), "{why}");
        assert!(
            why.contains(" Estimated with costs learned from your 2 live runs"),
            "{why}"
        );
        s.apply(Action::Set("sim", "1".to_owned()));
        s.apply(Action::Start);
        let why = s.notices.last().expect("refused");
        assert!(
            !why.contains("Estimated with"),
            "the reference costs: {why}"
        );
    }
}

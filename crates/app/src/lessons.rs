//! The guided tour: the course, slide by slide, as eight live steps. Each
//! step says a few sentences, asks the learner to predict the outcome, runs
//! a scenario, and then says whether the prediction held and what to notice
//! in the picture. Pure data and pure checks: the page (`ui::tour`) shows
//! them, and the checks read nothing but the traces.

mod content;
mod evaluate;
pub mod python;

use lanes_trace::{Model, Workload};

use crate::url::{UrlState, size_rule};

pub use content::LESSONS;
pub use evaluate::{Claim, Outcome, evaluate};

/// One step of the tour.
#[derive(Debug, PartialEq)]
pub struct Lesson {
    /// Its number, 1 to 8 (`lesson=N` in the URL).
    pub number: u32,
    /// A short title, e.g. "Why bother?".
    pub title: &'static str,
    /// The title of the course slide it follows.
    pub slide: &'static str,
    /// Two or three sentences, one paragraph each.
    pub text: &'static [&'static str],
    /// The scenario's defaults as a URL query (the automation surface's
    /// parameters): what the form shows when the step opens. Parameters
    /// the URL gives as well override these.
    pub query: &'static str,
    /// Which runs make up the step's batch.
    pub runs: Runs,
    /// The prediction question, asked before the run.
    pub question: &'static str,
    /// Its answers, one click each.
    pub choices: &'static [Choice],
    /// What to notice in the picture once the run is done.
    pub notice: &'static [&'static str],
    /// For a step CPython can run too (`lanes_record.py --lesson N`), what
    /// its recording shows beside Lanes' runs.
    pub python: Option<&'static str>,
}

/// The runs of a step's batch.
#[derive(Debug, PartialEq)]
pub enum Runs {
    /// The form's models, one after another, on the form's workload (as
    /// the playground does).
    Models,
    /// These runs in this order; k, the switch interval, the latency and
    /// simulation come from the form.
    List(&'static [Run]),
}

/// One run of a [`Runs::List`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// Its model.
    pub model: Model,
    /// Its workload.
    pub workload: Workload,
    /// Its size; `None` takes the form's size when the workload is the
    /// form's, else the workload's default.
    pub size: Option<u64>,
}

impl Lesson {
    /// What the page says of the learner's `prediction` (a choice id)
    /// against `answer`, the choice the runs bore out, and whether it held
    /// (`None` without a prediction).
    pub fn verdict(&self, prediction: Option<&str>, answer: &str) -> (String, Option<bool>) {
        let choice = |id: &str| self.choices.iter().find(|c| c.id == id);
        let (chosen, shown) = (prediction.and_then(choice), choice(answer));
        let verdict = match (chosen, shown) {
            (Some(c), Some(s)) if c.id == s.id => format!("Your prediction held: {}.", c.label),
            (Some(c), Some(s)) => {
                format!("You predicted “{}”; the run showed “{}”.", c.label, s.label)
            }
            (None, Some(s)) => format!("The run showed: {}.", s.label),
            _ => String::new(),
        };
        (verdict, chosen.zip(shown).map(|(c, s)| c.id == s.id))
    }
}

impl Run {
    /// Its size with `form`: its own, or else the form's when the workload
    /// is the form's, or else the workload's default.
    pub fn size_in(&self, form: &UrlState) -> u64 {
        self.size.unwrap_or(if self.workload == form.workload {
            form.size
        } else {
            size_rule(self.workload).default
        })
    }
}

/// The runs of a batch, in order: step `lesson`'s own list, or else
/// `form`'s models on `form`'s workload. The one rule for a batch: the page
/// plans with it ([`crate::state::scenarios`]) and a step's check reads its
/// own runs with it (on the step's own query).
pub fn batch_runs(lesson: Option<&Lesson>, form: &UrlState) -> Vec<Run> {
    match lesson.map(|l| &l.runs) {
        Some(Runs::List(list)) => list.to_vec(),
        _ => form
            .models
            .iter()
            .map(|&model| Run {
                model,
                workload: form.workload,
                size: None,
            })
            .collect(),
    }
}

/// One answer to a step's question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// A stable name, for the page's markup and tests (e.g. "parallel-2x").
    pub id: &'static str,
    /// What the button says.
    pub label: &'static str,
}

/// The step `delta` steps on from step `from` (back when negative), if the
/// tour has one there.
pub fn step_on(from: Option<u32>, delta: i32) -> Option<u32> {
    from.and_then(|n| u32::try_from(i64::from(n) + i64::from(delta)).ok())
        .and_then(lesson)
        .map(|l| l.number)
}

/// The step numbered `n` (1 to 7).
pub fn lesson(n: u32) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.number == n)
}

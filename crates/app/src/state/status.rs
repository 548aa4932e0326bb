//! Where the current batch stands, and the status line that says so.

use lanes_trace::{Model, Workload};

use super::{AppState, How, Planned, PoolStatus};

/// Where the current batch of runs stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Nothing run yet.
    Idle,
    /// A batch is in progress: the run after its finished ones
    /// ([`AppState::progress`]).
    Running,
    /// Every run of the batch finished.
    Done,
    /// A run failed, and why.
    Failed(String),
    /// Somebody pressed Cancel.
    Cancelled,
    /// A trace file is shown.
    Imported {
        /// Its file name.
        file: String,
        /// What the import read and skipped, in words.
        summary: String,
    },
}

impl RunStatus {
    /// The value of the page's `data-run-state` attribute.
    pub fn as_data(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed(_) => "error",
            Self::Cancelled => "cancelled",
            Self::Imported { .. } => "imported",
        }
    }
}

/// The run in progress, as the status line and the sweep's bar say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Which run of the batch (from 0).
    pub index: usize,
    /// How many runs the batch has.
    pub total: usize,
    /// The model now running.
    pub model: Model,
}

impl AppState {
    /// Whether a batch is in progress.
    pub fn running(&self) -> bool {
        self.status == RunStatus::Running
    }

    /// The run in progress: the first of the plan not yet finished.
    pub fn current(&self) -> Option<&Planned> {
        self.running()
            .then(|| self.plan.get(self.batch.len()))
            .flatten()
    }

    /// The number of the run in progress (its place in the batch) when it
    /// is a playback heard live.
    pub fn playing_live(&self) -> Option<usize> {
        self.current()
            .filter(|p| p.scenario.workload == Workload::Playback && p.how == How::Live)
            .map(|_| self.batch.len())
    }

    /// Which run of how many is in progress, if a batch runs.
    pub fn progress(&self) -> Option<Progress> {
        self.current().map(|p| Progress {
            index: self.batch.len(),
            total: self.plan.len(),
            model: p.scenario.model,
        })
    }

    /// The status line: what the page is doing, or did last.
    pub fn status_text(&self) -> String {
        match &self.status {
            RunStatus::Idle => match self.pool {
                PoolStatus::Starting => "Starting the worker threads…".to_owned(),
                _ => "Pick the models, k and the size, then press Run.".to_owned(),
            },
            RunStatus::Running => {
                let verb = match self.current().map(|p| p.how) {
                    Some(How::Simulated { .. }) => "Simulating",
                    _ => "Running",
                };
                self.progress().map_or_else(String::new, |p| {
                    format!(
                        "{verb} {} ({} of {})…",
                        p.model.title().to_lowercase(),
                        p.index + 1,
                        p.total
                    )
                })
            }
            RunStatus::Done => {
                let n = self.batch.len();
                format!("Done: {n} run{}.", if n == 1 { "" } else { "s" })
            }
            RunStatus::Failed(why) => format!("The run failed: {why}."),
            RunStatus::Cancelled => "Cancelled. Finished runs are kept below.".to_owned(),
            RunStatus::Imported { file, summary } => {
                let recorded = self
                    .batch
                    .iter()
                    .filter(|t| crate::lessons::python::recorded(t))
                    .count();
                let origin = match recorded {
                    0 => self.batch.first().map(|t| t.name()).unwrap_or_default(),
                    n => {
                        let runs = if n == 1 {
                            "1 run"
                        } else {
                            &format!("{n} runs")
                        };
                        let beside = if recorded < self.batch.len() {
                            ", beside Lanes' own"
                        } else {
                            ""
                        };
                        format!("{runs} recorded in CPython{beside}")
                    }
                };
                format!("Showing {file} ({origin}). {summary}")
            }
        }
    }
}

/// The line under the status while a playback is heard: `n` underruns so
/// far, as the player counts them.
pub fn underruns_so_far(n: u32) -> String {
    match n {
        0 => "Playing: no underrun so far.".to_owned(),
        1 => "Playing: 1 underrun so far, a click of silence.".to_owned(),
        n => format!("Playing: {n} underruns so far, each a click of silence."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use crate::testing::{ready, trace};

    #[test]
    fn the_status_line_says_what_runs_and_how_far_the_batch_is() {
        let mut s = AppState::from_query("model=sequential,free&k=8");
        assert_eq!(s.status_text(), "Starting the worker threads…");
        s.apply(Action::PoolReady(16));
        assert_eq!(
            s.status_text(),
            "Pick the models, k and the size, then press Run."
        );
        s.apply(Action::Start);
        assert_eq!(s.status_text(), "Running sequential (1 of 2)…");
        let seq = s.plan[0].scenario;
        s.apply(Action::Finished(trace(seq, 400.0), None));
        assert_eq!(s.status_text(), "Running free threads (2 of 2)…");
        let free = s.plan[1].scenario;
        s.apply(Action::Finished(trace(free, 200.0), None));
        assert_eq!(s.status_text(), "Done: 2 runs.");
        s.apply(Action::Start);
        s.apply(Action::Failed("boom".to_owned()));
        assert_eq!(s.status_text(), "The run failed: boom.");
        s.apply(Action::Start);
        s.apply(Action::Cancelled);
        assert_eq!(s.status_text(), "Cancelled. Finished runs are kept below.");
        let mut sim = ready("model=free&sim=1");
        sim.apply(Action::Start);
        assert_eq!(sim.status_text(), "Simulating free threads (1 of 1)…");
    }

    #[test]
    fn a_playback_heard_live_is_known_by_its_place_in_the_batch() {
        let mut s = ready("model=gil,free&workload=playback&k=2");
        assert_eq!(s.playing_live(), None, "nothing runs yet");
        s.apply(Action::Start);
        assert_eq!(s.playing_live(), Some(0));
        let first = s.plan[0].scenario;
        s.apply(Action::Finished(trace(first, 2000.0), None));
        assert_eq!(s.playing_live(), Some(1), "the next run, counted afresh");
        s.apply(Action::Cancelled);
        assert_eq!(s.playing_live(), None);
        // Simulated, or where nothing can play: there is nothing to hear.
        let mut sim = ready("model=gil&workload=playback&sim=1");
        sim.apply(Action::Start);
        assert_eq!(sim.playing_live(), None);
        let mut mute =
            ready("model=gil&workload=playback").without_live_audio(Some("no AudioWorklet"));
        mute.apply(Action::Start);
        assert_eq!(mute.playing_live(), None);
        let mut primes = ready("model=gil");
        primes.apply(Action::Start);
        assert_eq!(primes.playing_live(), None);
    }

    #[test]
    fn the_playback_line_counts_the_underruns() {
        assert_eq!(underruns_so_far(0), "Playing: no underrun so far.");
        assert_eq!(
            underruns_so_far(1),
            "Playing: 1 underrun so far, a click of silence."
        );
        assert_eq!(
            underruns_so_far(13),
            "Playing: 13 underruns so far, each a click of silence."
        );
    }

    #[test]
    fn an_imported_file_is_named_with_its_origin() {
        let mut s = ready("");
        let p = s.batch_plan()[0].scenario;
        s.apply(Action::Imported {
            file: "y.json".to_owned(),
            traces: vec![
                trace(p, 9.0).with_source(lanes_trace::Source::Imported(Default::default())),
            ],
            summary: "Read 3 events.".to_owned(),
        });
        let text = s.status_text();
        assert!(text.starts_with("Showing y.json ("), "{text}");
        assert!(text.ends_with(". Read 3 events."), "{text}");
    }
}

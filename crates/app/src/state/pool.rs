//! The worker threads, as lanes-web reports them: it starts the pool and
//! marks it dead, and the page is told ([`super::Action::PoolReady`] and
//! the rest) to plan and explain its runs.

/// Whether the worker threads are up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolStatus {
    /// Still starting.
    Starting,
    /// Ready, with this many threads.
    Ready(usize),
    /// They cannot start here: what is missing in a few words (for embed
    /// mode's one-line bar), and why in a sentence.
    Unavailable {
        /// A few words, e.g. "Not cross-origin isolated".
        headline: String,
        /// Why, in a sentence a learner understands.
        why: String,
    },
    /// One of them died (its wasm trapped, in the browser's words): the
    /// page runs as it does without a pool until it is reloaded.
    Died(String),
}

impl PoolStatus {
    /// Whether the page runs without the pool: it could not start, or a
    /// thread of it died.
    pub fn without_pool(&self) -> bool {
        matches!(self, Self::Unavailable { .. } | Self::Died(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, AppState, How};
    use crate::testing::ready;
    use lanes_trace::Model;

    #[test]
    fn a_dead_pool_thread_fails_the_run_and_free_threads_are_simulated_after() {
        let mut s = ready("model=sequential,free");
        assert_eq!(s.how(Model::Free), How::Live);
        s.apply(Action::Start);
        s.apply(Action::PoolDied("unreachable".to_owned()));
        assert_eq!(s.status.as_data(), "error");
        assert_eq!(s.pool, PoolStatus::Died("unreachable".to_owned()));
        assert!(s.can_run());
        assert!(matches!(s.how(Model::Free), How::Simulated { .. }));
        assert_eq!(s.how(Model::Sequential), How::Live);
        s.apply(Action::Start);
        assert_eq!(s.status.as_data(), "running");
    }

    #[test]
    fn without_a_pool_free_threads_are_simulated_and_the_rest_runs_live() {
        let mut s = AppState::from_query("model=sequential,gil,free,processes,asyncio&seed=9")
            .on_machine(2);
        s.apply(Action::Start);
        assert!(!s.running(), "nothing starts while the pool is starting");
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::PoolUnavailable {
            headline: "Not cross-origin isolated".to_owned(),
            why: "not isolated".to_owned(),
        });
        s.apply(Action::Start);
        assert!(s.running());
        let hows: Vec<How> = s.plan.iter().map(|p| p.how).collect();
        let fallback = How::Simulated {
            cores: 2,
            seed: 9,
            calibrated: true,
        };
        assert_eq!(hows, [How::Live, How::Live, fallback, How::Live, How::Live]);
    }
}

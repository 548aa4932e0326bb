//! One counter that threads add 1 to, with or without a lock.
//!
//! An update is a read-modify-write done as separate steps (load, a short
//! pause, store) on an atomic: no undefined behaviour, but when two threads
//! interleave, one's store overwrites the other's and an update is lost, as
//! with `counter += 1` in Python. The final value is the run's result; a
//! run should have reached [`Scenario::size`], and [`lost_updates`] is the
//! shortfall.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use lanes_trace::{Scenario, State, Trace, Workload};

use crate::record::Recorder;
use crate::threads::Work;

/// How many updates a run of a counter scenario lost: the expected count
/// ([`Scenario::size`], whatever the model and k) minus the final count
/// ([`lanes_trace::Meta::result`]). `None` for other workloads and for a
/// trace that is not a Lanes run.
pub fn lost_updates(trace: &Trace) -> Option<u64> {
    let meta = trace.meta()?;
    let counter = matches!(
        meta.scenario.workload,
        Workload::Counter | Workload::CounterLocked
    );
    let count = meta.result.filter(|_| counter)?;
    Some(meta.scenario.size.saturating_sub(count))
}

/// `size` updates cut into `tasks` items, made without a lock or each under
/// one lock.
#[derive(Debug)]
pub(crate) struct SharedCounter {
    value: AtomicU64,
    pub(crate) lock: Option<Mutex<()>>,
    size: u64,
    pub(crate) tasks: u32,
}

impl SharedCounter {
    /// The counter of `scenario`: locked for [`Workload::CounterLocked`].
    pub(crate) fn new(scenario: &Scenario) -> Self {
        Self {
            value: AtomicU64::new(0),
            lock: (scenario.workload == Workload::CounterLocked).then(|| Mutex::new(())),
            size: scenario.size,
            tasks: scenario.tasks.max(1),
        }
    }

    /// The count so far.
    pub(crate) fn value(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }

    /// The updates item `task` makes, numbered within the whole run.
    pub(crate) fn updates(&self, task: u32) -> Range<u64> {
        let edge = |i: u32| {
            let wide =
                u128::from(self.size) * u128::from(i.min(self.tasks)) / u128::from(self.tasks);
            u64::try_from(wide).unwrap_or(self.size)
        };
        edge(task)..edge(task.saturating_add(1))
    }

    /// Reads the count: the first half of an update.
    pub(crate) fn load(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }

    /// Writes back what was read plus one, after a short pause: the window
    /// in which another thread's update gets lost.
    pub(crate) fn store_next(&self, seen: u64) {
        std::hint::spin_loop();
        self.value.store(seen.wrapping_add(1), Ordering::Relaxed);
    }

    /// One update: under the lock if there is one.
    pub(crate) fn add_one(&self) {
        match &self.lock {
            Some(lock) => {
                let _held = lock.lock().unwrap_or_else(PoisonError::into_inner);
                self.store_next(self.load());
            }
            None => self.store_next(self.load()),
        }
    }
}

impl Work for SharedCounter {
    fn tasks(&self) -> u32 {
        self.tasks
    }

    fn run_task(&self, task: u32, lane: &mut Recorder<'_>) -> u64 {
        lane.record(State::Running, Some(task), || {
            let updates = self.updates(task);
            for _ in updates.clone() {
                self.add_one();
            }
            updates.end - updates.start
        })
    }
}

#[cfg(test)]
mod tests {
    use lanes_trace::Model;

    use super::*;

    #[test]
    fn items_tile_the_updates() {
        let counter =
            SharedCounter::new(&Scenario::new(Model::Free, Workload::Counter, 2, 1003, 7));
        let mut next = 0;
        for task in 0..7 {
            let r = counter.updates(task);
            assert_eq!(r.start, next);
            next = r.end;
        }
        assert_eq!(next, 1003);
        assert!(counter.updates(7).is_empty());
        // Alone, nothing is lost.
        for task in 0..7 {
            for _ in counter.updates(task) {
                counter.add_one();
            }
        }
        assert_eq!(counter.value(), 1003);
    }
}

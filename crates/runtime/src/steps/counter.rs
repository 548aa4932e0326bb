//! The shared counter's items as Python threads update it. The interpreter
//! may switch threads between the load and the store of `counter += 1`, so
//! without the lock three updates in four end a step between their load and
//! their store (the rest after it): a thread made to drop the GIL there
//! stores a stale count when it resumes, and the updates made meanwhile by
//! the other threads are lost. With the lock, a step ends only after an
//! update has let go of it, so a holder of the lock never waits for the GIL,
//! nobody ever waits for the lock, and nothing is lost.

use std::ops::Range;

use super::{Item, Step};
use crate::counter::SharedCounter;

/// The updates of one counter item.
pub(crate) struct Updates<'a> {
    counter: &'a SharedCounter,
    left: Range<u64>,
    count: u64,
    /// The count read by an update that has not stored yet.
    seen: Option<u64>,
}

impl<'a> Updates<'a> {
    /// Item `task`'s updates of `counter`.
    pub(crate) fn new(counter: &'a SharedCounter, task: u32) -> Self {
        let left = counter.updates(task);
        Self {
            counter,
            count: left.end - left.start,
            left,
            seen: None,
        }
    }
}

impl Item for Updates<'_> {
    fn step(&mut self) -> Step {
        let counter = self.counter;
        if let Some(seen) = self.seen.take() {
            // The end of an update begun in the last step.
            counter.store_next(seen);
            self.left.start += 1;
        }
        let update = self.left.start;
        if self.left.is_empty() {
            return Step::Done(self.count);
        }
        if counter.lock.is_some() {
            counter.add_one();
            self.left.start += 1;
            return Step::Ran;
        }
        let seen = counter.load();
        if !update.is_multiple_of(4) {
            // A check inside the window: the store waits for the next step.
            self.seen = Some(seen);
        } else {
            counter.store_next(seen);
            self.left.start += 1;
        }
        Step::Ran
    }
}

#[cfg(test)]
mod tests {
    use lanes_trace::{Model, Scenario, Workload};

    use super::*;

    #[test]
    fn interleaved_items_lose_updates_without_the_lock_and_none_with_it() {
        for (workload, lost) in [(Workload::Counter, true), (Workload::CounterLocked, false)] {
            let counter = SharedCounter::new(&Scenario::new(Model::Gil, workload, 2, 1000, 2));
            let mut a = Updates::new(&counter, 0);
            let mut b = Updates::new(&counter, 1);
            // Strict turns, a step each: every switch lands where a check is.
            let (mut a_done, mut b_done) = (false, false);
            while !(a_done && b_done) {
                a_done = a_done || matches!(a.step(), Step::Done(500));
                b_done = b_done || matches!(b.step(), Step::Done(500));
            }
            assert_eq!(counter.value() < 1000, lost, "{workload}");
        }
    }
}

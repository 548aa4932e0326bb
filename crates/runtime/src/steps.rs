//! The work of Python threads, cut into resumable steps, and which item
//! each thread takes next: written once, run by both GIL runners.
//!
//! Each work item is a small state machine: [`Item::step`] does one
//! stretch of work, as much as CPython runs between two looks at its eval
//! breaker, and says what comes next. Between steps the GIL may change
//! hands: the live runner's threads call [`crate::GilThread::check`] there
//! (and wrap [`Step::Io`] in [`crate::GilThread::io_wait`]), the solo
//! scheduler may switch threads there. Plain threads run the same steps
//! and only look at Cancel between them.
//!
//! Nothing here uses rayon: the solo runner runs these steps in a worker
//! without shared memory.

mod counter;
mod io;
mod kernels;
mod roles;

use std::sync::atomic::{AtomicU32, Ordering};

pub(crate) use counter::Updates;
pub(crate) use io::Request;
pub(crate) use kernels::start;
pub(crate) use roles::Roles;

/// What one step of an item ended with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Step {
    /// Computed a stretch; the item goes on (the GIL may change hands here).
    Ran,
    /// The item now waits this many µs for I/O, without the GIL, then goes on.
    Io(f64),
    /// The item is finished, with this partial result.
    Done(u64),
}

/// A work item in progress.
pub(crate) trait Item {
    /// Does the next stretch of work.
    fn step(&mut self) -> Step;
}

/// Runs an item that never waits for I/O to its end, asking `go_on` after
/// every step; `None` if it said stop (a cancelled run).
pub(crate) fn finish(item: &mut dyn Item, go_on: &mut dyn FnMut() -> bool) -> Option<u64> {
    loop {
        match item.step() {
            Step::Done(part) => return Some(part),
            Step::Ran | Step::Io(_) if !go_on() => return None,
            Step::Ran | Step::Io(_) => {}
        }
    }
}

/// Which items the threads of a run take, one after another. Every thread
/// asks for its own next item, on its own OS thread or in turn.
pub(crate) trait Threads<'a>: Sync {
    /// How many threads there are.
    fn count(&self) -> u32;

    /// The next item thread `thread` takes, with its task number, if any is
    /// left for it.
    fn next_item(&self, thread: u32) -> Option<(u32, Box<dyn Item + 'a>)>;
}

/// Starts item `task` of a job.
pub(crate) type Start<'a> = dyn Fn(u32) -> Box<dyn Item + 'a> + Sync + 'a;

/// `threads` threads taking the items `0..tasks` of one job from one shared
/// queue, in order, as the threads of a Python thread pool do.
pub(crate) struct Queue<'a> {
    threads: u32,
    tasks: u32,
    next: AtomicU32,
    start: &'a Start<'a>,
}

impl<'a> Queue<'a> {
    /// A queue of `tasks` items, each started by `start`.
    pub(crate) fn new(threads: u32, tasks: u32, start: &'a Start<'a>) -> Self {
        Self {
            threads,
            tasks,
            next: AtomicU32::new(0),
            start,
        }
    }
}

impl<'a> Threads<'a> for Queue<'a> {
    fn count(&self) -> u32 {
        self.threads
    }

    fn next_item(&self, _thread: u32) -> Option<(u32, Box<dyn Item + 'a>)> {
        let task = self.next.fetch_add(1, Ordering::Relaxed);
        (task < self.tasks).then(|| (task, (self.start)(task)))
    }
}

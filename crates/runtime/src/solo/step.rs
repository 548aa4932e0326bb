//! Work cut into resumable steps, and which item each thread takes next.
//!
//! A thread of the solo GIL cannot be paused in the middle of a function,
//! so each work item is a small state machine: [`Item::step`] does one
//! stretch of work, as much as a live thread does between two checks of the
//! GIL, and says what comes next. Between steps the scheduler may switch
//! threads, exactly where a live thread's check could.

/// What one step of an item ended with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Step {
    /// Computed a stretch; the item goes on (the GIL may change hands here).
    Ran,
    /// The item now waits this many µs for I/O, without the GIL, then goes on.
    Io(f64),
    /// The item is finished, with this partial result.
    Done(u64),
}

/// A work item in progress.
pub(super) trait Item {
    /// Does the next stretch of work.
    fn step(&mut self) -> Step;
}

/// Which items the threads of a run take, one after another.
pub(super) trait Threads<'a> {
    /// How many threads there are.
    fn count(&self) -> u32;

    /// The next item thread `thread` takes, with its task number, if any is
    /// left for it.
    fn next_item(&mut self, thread: u32) -> Option<(u32, Box<dyn Item + 'a>)>;
}

/// Starts item `task` of a job.
pub(super) type Start<'a> = dyn Fn(u32) -> Box<dyn Item + 'a> + 'a;

/// `threads` threads taking the items `0..tasks` of one job from one shared
/// queue, in order, as the threads of a Python thread pool do.
pub(super) struct Queue<'a> {
    threads: u32,
    tasks: u32,
    next: u32,
    start: &'a Start<'a>,
}

impl<'a> Queue<'a> {
    /// A queue of `tasks` items, each started by `start`.
    pub(super) fn new(threads: u32, tasks: u32, start: &'a Start<'a>) -> Self {
        Self {
            threads,
            tasks,
            next: 0,
            start,
        }
    }
}

impl<'a> Threads<'a> for Queue<'a> {
    fn count(&self) -> u32 {
        self.threads
    }

    fn next_item(&mut self, _thread: u32) -> Option<(u32, Box<dyn Item + 'a>)> {
        if self.next >= self.tasks {
            return None;
        }
        let task = self.next;
        self.next += 1;
        Some((task, (self.start)(task)))
    }
}

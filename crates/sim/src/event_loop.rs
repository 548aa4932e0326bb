//! An event loop over coroutines on one thread, as `asyncio` runs them and
//! as the runtime's loop does: the coroutines whose timers have fired run
//! one at a time, each until its next await; awaits overlap, computing
//! blocks the loop.

use std::collections::VecDeque;

use lanes_trace::{Lane, Scenario, State};

use crate::SimError;
use crate::items::Item;
use crate::plain::Source;
use crate::queue::Queue;
use crate::record::Recorder;
use lanes_model::lanes;

/// The loop's state while it runs.
struct Loop<'a> {
    items: &'a [Item],
    source: Source,
    now: f64,
    ready: VecDeque<u32>,
    timers: Queue<u32>,
    /// Per coroutine: the item it awaits for and since when.
    waiting: Vec<Option<(Item, f64)>>,
}

impl Loop<'_> {
    /// Coroutine `c` takes its next item, if any, and awaits from now.
    fn next(&mut self, c: u32) {
        let Some(slot) = self.waiting.get_mut(c as usize) else {
            return;
        };
        *slot = None;
        let Some(item) = self.source.take(c).and_then(|i| self.items.get(i)) else {
            return;
        };
        *slot = Some((*item, self.now));
        if item.wait_us > 0.0 {
            self.timers.push(self.now + item.wait_us, c);
        } else {
            self.ready.push_back(c);
        }
    }

    /// Resumes coroutine `c`: it computes its item, then takes the next.
    fn resume(&mut self, c: u32, rec: &mut Recorder) -> Result<(), SimError> {
        let Some((item, since)) = self.waiting.get(c as usize).copied().flatten() else {
            return Ok(());
        };
        let start = self.now;
        rec.span(c, State::Awaiting, Some(item.task), since, start)?;
        self.now += item.cpu_us;
        rec.span(c, State::Running, Some(item.task), start, self.now)?;
        self.next(c);
        Ok(())
    }
}

/// The event loop over `items`: k coroutines pulling from one queue, or
/// for mixed a CPU coroutine and an I/O coroutine. Times count from the
/// loop's start, as the runtime's do.
pub(crate) fn simulate(
    scenario: &Scenario,
    items: &[Item],
) -> Result<(Vec<Lane>, Recorder), SimError> {
    let lanes = lanes::of_run(scenario);
    let source = Source::of(scenario, items.len());
    let count = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
    let mut rec = Recorder::new(lanes.len());
    let mut ev = Loop {
        items,
        source,
        now: 0.0,
        ready: VecDeque::with_capacity(lanes.len()),
        timers: Queue::with_capacity(lanes.len()),
        waiting: vec![None; lanes.len()],
    };
    for c in 0..count {
        ev.next(c);
    }
    loop {
        while ev.timers.peek_at().is_some_and(|at| at <= ev.now) {
            if let Some((_, c)) = ev.timers.pop() {
                ev.ready.push_back(c);
            }
        }
        if ev.ready.is_empty() {
            match ev.timers.peek_at() {
                Some(at) => ev.now = at,
                None => break,
            }
            continue;
        }
        // One pass over the coroutines ready now, as asyncio's `_run_once`.
        for _ in 0..ev.ready.len() {
            if let Some(c) = ev.ready.pop_front() {
                ev.resume(c, &mut rec)?;
            }
        }
    }
    Ok((lanes, rec))
}

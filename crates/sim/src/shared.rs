//! Lanes sharing virtual cores: each lane runs a sequence of steps, some
//! computing, some waiting; when more lanes compute than there are cores,
//! each computes at `cores / computing` speed (processor sharing), so its
//! spans stretch as an oversubscribed machine's would.

use lanes_trace::State;

use crate::SimError;
use crate::queue::Queue;
use crate::record::Recorder;

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Work {
    /// Computes for this many µs at full speed on one core.
    Cpu(f64),
    /// Waits this many µs without using a core.
    Wait(f64),
    /// Waits without using a core until this time (µs), exactly: a span
    /// recorded to end then is met by the lane's next step with no gap or
    /// overlap from rounding `now + (end - now)`.
    Until(f64),
}

/// One step of a lane: recorded as a span in `state` (or not at all).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Step {
    /// The span's state; `None` for a gap the trace leaves empty.
    pub(crate) state: Option<State>,
    /// The work item it belongs to.
    pub(crate) task: Option<u32>,
    /// What it does.
    pub(crate) work: Work,
}

/// Where the lanes' steps come from, asked in time order.
pub(crate) trait Feed {
    /// The next step of `lane`, which is free at `now_us`; `None` when it
    /// is done. May record spans and events of its own (e.g. a parent's).
    fn next(
        &mut self,
        lane: u32,
        now_us: f64,
        rec: &mut Recorder,
    ) -> Result<Option<Step>, SimError>;
}

/// The engine's state while the lanes run.
struct Engine<'f> {
    feed: &'f mut dyn Feed,
    /// Per lane: the step it is in and since when.
    current: Vec<Option<(Step, f64)>>,
    /// Computing lanes, by the work done (at full speed) when they finish.
    computing: Queue<u32>,
    /// Waiting lanes, by the time they are done waiting.
    waiting: Queue<u32>,
    now: f64,
    /// Work done by each computing lane since the start, at full speed.
    virt: f64,
}

impl Engine<'_> {
    /// Starts `lane`'s next step now, if it has one.
    fn begin(&mut self, lane: u32, rec: &mut Recorder) -> Result<(), SimError> {
        let Some(step) = self.feed.next(lane, self.now, rec)? else {
            return Ok(());
        };
        match step.work {
            Work::Cpu(us) => self.computing.push(self.virt + us.max(0.0), lane),
            Work::Wait(us) => self.waiting.push(self.now + us.max(0.0), lane),
            Work::Until(end) => self.waiting.push(end.max(self.now), lane),
        }
        if let Some(slot) = self.current.get_mut(lane as usize) {
            *slot = Some((step, self.now));
        }
        Ok(())
    }
}

/// Runs `lanes` from `start_us` on `capacity` cores until `feed` has no
/// more steps for any of them; returns when the last one finished.
pub(crate) fn run_shared(
    lanes: &[u32],
    capacity: f64,
    start_us: f64,
    feed: &mut dyn Feed,
    rec: &mut Recorder,
) -> Result<f64, SimError> {
    let slots = lanes.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut e = Engine {
        feed,
        current: vec![None; slots],
        computing: Queue::with_capacity(lanes.len()),
        waiting: Queue::with_capacity(lanes.len()),
        now: start_us,
        virt: 0.0,
    };
    for &lane in lanes {
        e.begin(lane, rec)?;
    }
    loop {
        let n = e.computing.len();
        let rate = if n > 0 {
            (capacity / n as f64).min(1.0)
        } else {
            1.0
        };
        let cpu_at = e
            .computing
            .peek_at()
            .map(|v| e.now + ((v - e.virt) / rate).max(0.0));
        let wait_at = e.waiting.peek_at();
        let (at, cpu) = match (cpu_at, wait_at) {
            (None, None) => break,
            (Some(c), Some(w)) if c <= w => (c, true),
            (Some(c), None) => (c, true),
            (_, Some(w)) => (w, false),
        };
        let at = at.max(e.now);
        if n > 0 {
            e.virt += (at - e.now) * rate;
        }
        e.now = at;
        let popped = if cpu {
            e.computing.pop()
        } else {
            e.waiting.pop()
        };
        let Some((due, lane)) = popped else { break };
        if cpu {
            e.virt = e.virt.max(due);
        }
        if let Some((step, since)) = e.current.get_mut(lane as usize).and_then(Option::take)
            && let Some(state) = step.state
        {
            rec.span(lane, state, step.task, since, e.now)?;
        }
        e.begin(lane, rec)?;
    }
    Ok(e.now)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each lane computes `cpu` µs once.
    struct Once(Vec<Option<f64>>);

    impl Feed for Once {
        fn next(&mut self, lane: u32, _: f64, _: &mut Recorder) -> Result<Option<Step>, SimError> {
            Ok(self
                .0
                .get_mut(lane as usize)
                .and_then(Option::take)
                .map(|us| Step {
                    state: Some(State::Running),
                    task: Some(lane),
                    work: Work::Cpu(us),
                }))
        }
    }

    #[test]
    fn four_lanes_on_two_cores_take_twice_as_long_and_short_ones_leave_early() {
        let mut rec = Recorder::new(4);
        let mut feed = Once(vec![Some(100.0), Some(100.0), Some(100.0), Some(50.0)]);
        let end = run_shared(&[0, 1, 2, 3], 2.0, 0.0, &mut feed, &mut rec).unwrap();
        // 350 µs of work on 2 cores.
        assert!((end - 175.0).abs() < 1e-9, "{end}");
        // The short one ran at half speed: 100 µs.
        assert!((rec.lane_end(3) - 100.0).abs() < 1e-9);
    }
}

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
    let mut current: Vec<Option<(Step, f64)>> = vec![None; slots];
    let mut computing: Queue<u32> = Queue::with_capacity(lanes.len());
    let mut waiting: Queue<u32> = Queue::with_capacity(lanes.len());
    let mut now = start_us;
    // Work done by each computing lane since the start, at full speed.
    let mut virt = 0.0_f64;
    for &lane in lanes {
        begin(
            lane,
            now,
            virt,
            feed,
            rec,
            &mut current,
            &mut computing,
            &mut waiting,
        )?;
    }
    loop {
        let n = computing.len();
        let rate = if n > 0 {
            (capacity / n as f64).min(1.0)
        } else {
            1.0
        };
        let cpu_at = computing
            .peek_at()
            .map(|v| now + ((v - virt) / rate).max(0.0));
        let wait_at = waiting.peek_at();
        let (at, cpu) = match (cpu_at, wait_at) {
            (None, None) => break,
            (Some(c), Some(w)) if c <= w => (c, true),
            (Some(c), None) => (c, true),
            (_, Some(w)) => (w, false),
        };
        let at = at.max(now);
        if n > 0 {
            virt += (at - now) * rate;
        }
        now = at;
        let popped = if cpu { computing.pop() } else { waiting.pop() };
        let Some((due, lane)) = popped else { break };
        if cpu {
            virt = virt.max(due);
        }
        if let Some((step, since)) = current.get_mut(lane as usize).and_then(Option::take)
            && let Some(state) = step.state
        {
            rec.span(lane, state, step.task, since, now)?;
        }
        begin(
            lane,
            now,
            virt,
            feed,
            rec,
            &mut current,
            &mut computing,
            &mut waiting,
        )?;
    }
    Ok(now)
}

/// Starts `lane`'s next step at `now`, if it has one.
#[expect(
    clippy::too_many_arguments,
    reason = "the engine's state, passed apart to borrow it apart"
)]
fn begin(
    lane: u32,
    now: f64,
    virt: f64,
    feed: &mut dyn Feed,
    rec: &mut Recorder,
    current: &mut [Option<(Step, f64)>],
    computing: &mut Queue<u32>,
    waiting: &mut Queue<u32>,
) -> Result<(), SimError> {
    let Some(step) = feed.next(lane, now, rec)? else {
        return Ok(());
    };
    match step.work {
        Work::Cpu(us) => computing.push(virt + us.max(0.0), lane),
        Work::Wait(us) => waiting.push(now + us.max(0.0), lane),
    }
    if let Some(slot) = current.get_mut(lane as usize) {
        *slot = Some((step, now));
    }
    Ok(())
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

//! Simulated network requests on plain threads: wait for the "response",
//! then parse it (under the GIL: [`crate::steps`]'s `Request`).

use lanes_trace::State;
use lanes_workloads::Job;

use crate::Sleeper;
use crate::record::Recorder;
use crate::threads::Work;

/// Item `task` waits `latency_us` (an I/O-wait span), then parses its
/// response by computing item `task` of `parse` (a running span).
#[derive(Clone, Copy)]
pub(crate) struct Requests<'a> {
    pub(crate) parse: &'a dyn Job,
    pub(crate) latency_us: f64,
    pub(crate) sleeper: &'a dyn Sleeper,
}

impl Work for Requests<'_> {
    fn tasks(&self) -> u32 {
        self.parse.tasks()
    }

    fn run_task(&self, task: u32, lane: &mut Recorder<'_>) -> u64 {
        lane.record(State::IoWait, Some(task), || {
            self.sleeper.sleep_us(self.latency_us);
        });
        lane.record(State::Running, Some(task), || self.parse.run_task(task))
    }
}

//! Simulated network requests: wait for the "response", then parse it.

use lanes_trace::State;
use lanes_workloads::Job;

use crate::record::Recorder;
use crate::threads::Work;
use crate::{GilJob, GilThread, Sleeper};

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

/// The same requests made by Python threads: the wait drops the GIL, and
/// the parse needs it back, checking it as it goes.
#[derive(Clone, Copy)]
pub(crate) struct RequestsUnderGil<'a> {
    pub(crate) parse: &'a dyn GilJob,
    pub(crate) latency_us: f64,
    pub(crate) sleeper: &'a dyn Sleeper,
}

impl GilJob for RequestsUnderGil<'_> {
    fn tasks(&self) -> u32 {
        self.parse.tasks()
    }

    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64 {
        gil.io_wait(|| self.sleeper.sleep_us(self.latency_us));
        self.parse.run_task(task, gil)
    }

    fn sequential_twin(&self) -> u64 {
        self.parse.sequential_twin()
    }
}

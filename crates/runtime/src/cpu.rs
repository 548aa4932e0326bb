//! The CPU-bound workloads sized from a scenario; their items run in the
//! steps of [`crate::steps`].

use lanes_trace::{Scenario, State, Workload};
use lanes_workloads::{AudioFeatures, Job, Mandelbrot, PrimeCount};

use crate::Cancel;
use crate::record::Recorder;
use crate::steps::{finish, start};
use crate::threads::Work;

/// A CPU-bound workload sized from a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    Primes(PrimeCount),
    Mandelbrot(Mandelbrot),
    Audio(AudioFeatures),
}

impl Kernel {
    /// The kernel of `scenario`, if its workload is CPU-bound.
    pub(crate) fn of(scenario: &Scenario) -> Option<Self> {
        let (size, tasks) = (scenario.size, scenario.tasks);
        match scenario.workload {
            Workload::Primes => Some(Self::Primes(PrimeCount::new(size, tasks))),
            Workload::Mandelbrot => Some(Self::Mandelbrot(Mandelbrot::from_size(size, tasks))),
            Workload::Audio => Some(Self::Audio(AudioFeatures::from_size(size, tasks))),
            Workload::Io
            | Workload::Mixed
            | Workload::Counter
            | Workload::CounterLocked
            | Workload::Ui
            | Workload::Playback => None,
        }
    }

    /// Its plain items.
    pub(crate) fn job(&self) -> &dyn Job {
        match self {
            Self::Primes(job) => job,
            Self::Mandelbrot(job) => job,
            Self::Audio(job) => job,
        }
    }

    /// Runs item `task` in the steps a thread under the GIL runs, asking
    /// `go_on` between two, and stops early when it says no: how a Cancel
    /// stops an item in progress within about a tenth of a millisecond.
    pub(crate) fn run_checked(&self, task: u32, go_on: &mut dyn FnMut() -> bool) -> u64 {
        finish(start(self, task).as_mut(), go_on).unwrap_or(0)
    }
}

/// A CPU-bound kernel's items on plain threads: one running span each, and
/// a Cancel stops an item in progress.
#[derive(Clone, Copy)]
pub(crate) struct Cancellable<'a> {
    pub(crate) kernel: &'a Kernel,
    pub(crate) cancel: &'a Cancel,
}

impl Work for Cancellable<'_> {
    fn tasks(&self) -> u32 {
        self.kernel.job().tasks()
    }

    fn run_task(&self, task: u32, lane: &mut Recorder<'_>) -> u64 {
        let cancel = self.cancel;
        lane.record(State::Running, Some(task), || {
            self.kernel
                .run_checked(task, &mut || !cancel.is_cancelled())
        })
    }
}

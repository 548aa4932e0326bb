//! The CPU-bound workloads, each as plain work items and as items that run
//! under the GIL.

use lanes_trace::{Scenario, Workload};
use lanes_workloads::{AudioFeatures, Job, Mandelbrot, PrimeCount};

use lanes_trace::State;

use crate::record::Recorder;
use crate::threads::Work;
use crate::{
    AudioUnderGil, Cancel, GilJob, MandelbrotUnderGil, PrimesUnderGil, audio_clips_checked,
    count_primes_checked, mandelbrot_rows_checked,
};

/// A CPU-bound workload sized from a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    Primes(PrimeCount, PrimesUnderGil),
    Mandelbrot(Mandelbrot, MandelbrotUnderGil),
    Audio(AudioFeatures, AudioUnderGil),
}

impl Kernel {
    /// The kernel of `scenario`, if its workload is CPU-bound.
    pub(crate) fn of(scenario: &Scenario) -> Option<Self> {
        let (size, tasks) = (scenario.size, scenario.tasks);
        match scenario.workload {
            Workload::Primes => {
                let job = PrimeCount::new(size, tasks);
                Some(Self::Primes(job, PrimesUnderGil::new(job)))
            }
            Workload::Mandelbrot => {
                let job = Mandelbrot::from_size(size, tasks);
                Some(Self::Mandelbrot(job, MandelbrotUnderGil::new(job)))
            }
            Workload::Audio => {
                let job = AudioFeatures::from_size(size, tasks);
                Some(Self::Audio(job, AudioUnderGil::new(job)))
            }
            Workload::Io
            | Workload::Mixed
            | Workload::Counter
            | Workload::CounterLocked
            | Workload::Ui => None,
        }
    }

    /// Its plain items.
    pub(crate) fn job(&self) -> &dyn Job {
        match self {
            Self::Primes(job, _) => job,
            Self::Mandelbrot(job, _) => job,
            Self::Audio(job, _) => job,
        }
    }

    /// Runs item `task` checking `go_on` as often as the GIL version checks
    /// the GIL, and stops early when it says no: how a Cancel stops an item
    /// in progress within about a tenth of a millisecond.
    pub(crate) fn run_checked(&self, task: u32, go_on: &mut dyn FnMut() -> bool) -> u64 {
        match self {
            Self::Primes(job, _) => {
                count_primes_checked(job.task_range(task), PrimesUnderGil::CHECK_EVERY, go_on)
            }
            Self::Mandelbrot(job, _) => mandelbrot_rows_checked(
                job,
                job.task_rows(task),
                MandelbrotUnderGil::SEGMENT,
                go_on,
            ),
            Self::Audio(job, _) => audio_clips_checked(job, job.task_clips(task), go_on),
        }
    }

    /// Its items as Python threads run them, checking the GIL.
    pub(crate) fn under_gil(&self) -> &dyn GilJob {
        match self {
            Self::Primes(_, gil) => gil,
            Self::Mandelbrot(_, gil) => gil,
            Self::Audio(_, gil) => gil,
        }
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

//! The CPU-bound workloads, each as plain work items and as items that run
//! under the GIL.

use lanes_trace::{Scenario, Workload};
use lanes_workloads::{AudioFeatures, Job, Mandelbrot, PrimeCount};

use crate::{AudioUnderGil, GilJob, MandelbrotUnderGil, PrimesUnderGil};

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

    /// Its items as Python threads run them, checking the GIL.
    pub(crate) fn under_gil(&self) -> &dyn GilJob {
        match self {
            Self::Primes(_, gil) => gil,
            Self::Mandelbrot(_, gil) => gil,
            Self::Audio(_, gil) => gil,
        }
    }
}

//! The answer each scenario should give, computed in one plain pass.

use lanes_trace::{Scenario, Workload};
use lanes_workloads::{Job, PrimeCount};

use crate::ThreadSleeper;
use crate::cpu::Kernel;
use crate::mixed::Mixed;

/// The answer a run of `scenario` should give whatever its model and k
/// ([`lanes_trace::Meta::result`]), computed in one plain sequential pass:
/// the kernel's own twin for the CPU-bound workloads; the primes below
/// `size` for requests; those plus the I/O thread's parses for mixed; `size`
/// for both counters (a run without a lock may fall short: see
/// [`crate::lost_updates`]). `None` for UI.
///
/// It takes as long as a sequential run's computing does.
pub fn sequential_twin(scenario: &Scenario) -> Option<u64> {
    if let Some(kernel) = Kernel::of(scenario) {
        return Some(kernel.job().sequential_twin());
    }
    match scenario.workload {
        Workload::Io => Some(PrimeCount::new(scenario.size, scenario.tasks).sequential_twin()),
        Workload::Mixed => Some(Mixed::new(scenario, &ThreadSleeper).sequential_twin()),
        Workload::Counter | Workload::CounterLocked => Some(scenario.size),
        Workload::Primes
        | Workload::Mandelbrot
        | Workload::Audio
        | Workload::Ui
        | Workload::Playback => None,
    }
}

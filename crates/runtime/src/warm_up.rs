//! The small, unrecorded run that warms a scenario's kernel before its
//! first measured run (the page runs it; see `lanes_web`'s `warm_up`).

use lanes_trace::{Model, Scenario, Workload};

/// A warm-up run's size against the run's: small enough to be quick,
/// large enough that the hot loops run long enough to be optimised.
const SIZE_DIVISOR: u64 = 16;

/// The scenario that warms `scenario`'s kernel: the same model (processes
/// run the sequential kernel, each in an instance of the same module) on a
/// sixteenth of the size; or none where there is nothing to warm (waits,
/// not computing; the counters' single add; the UI lesson's frames).
pub fn warm_up_scenario(scenario: &Scenario) -> Option<Scenario> {
    let workload = match scenario.workload {
        Workload::Primes | Workload::Mandelbrot | Workload::Audio => scenario.workload,
        // Its computing is counting primes; its waits need no warming.
        Workload::Mixed => Workload::Primes,
        Workload::Io
        | Workload::Counter
        | Workload::CounterLocked
        | Workload::Ui
        | Workload::Playback => return None,
    };
    let model = match scenario.model {
        Model::Processes => Model::Sequential,
        model => model,
    };
    Some(Scenario {
        model,
        workload,
        size: (scenario.size / SIZE_DIVISOR).max(1),
        ..*scenario
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(model: Model, workload: Workload, size: u64) -> Scenario {
        Scenario::new(model, workload, 4, size, 32)
    }

    #[test]
    fn a_kernel_is_warmed_by_its_own_model_on_a_sixteenth_of_the_work() {
        let warm = warm_up_scenario(&scenario(Model::Gil, Workload::Mandelbrot, 1_600)).unwrap();
        assert_eq!(warm, scenario(Model::Gil, Workload::Mandelbrot, 100));
        let tiny = warm_up_scenario(&scenario(Model::Free, Workload::Primes, 10)).unwrap();
        assert_eq!(tiny.size, 1);
    }

    #[test]
    fn processes_warm_the_sequential_kernel_and_mixed_its_primes() {
        let warm = warm_up_scenario(&scenario(Model::Processes, Workload::Audio, 384)).unwrap();
        assert_eq!(
            (warm.model, warm.workload, warm.size),
            (Model::Sequential, Workload::Audio, 24)
        );
        let mixed = warm_up_scenario(&scenario(Model::Gil, Workload::Mixed, 3_200_000)).unwrap();
        assert_eq!(
            (mixed.model, mixed.workload),
            (Model::Gil, Workload::Primes)
        );
    }

    #[test]
    fn waits_counters_and_frames_need_no_warming() {
        for workload in [
            Workload::Io,
            Workload::Counter,
            Workload::CounterLocked,
            Workload::Ui,
        ] {
            assert_eq!(
                warm_up_scenario(&scenario(Model::Free, workload, 1_000)),
                None
            );
        }
    }
}

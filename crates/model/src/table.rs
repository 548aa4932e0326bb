//! Which runner runs which model and workload, and in what words it
//! refuses the rest. Every runner asks this one table.
//!
//! | model \ workload | primes, mandelbrot, audio | io | mixed | counter, counter-locked | ui |
//! |---|---|---|---|---|---|
//! | sequential | items one after another | each waits, then parses | CPU items, then I/O rounds, on one thread | exact | the page |
//! | gil | k threads under the GIL | waits drop the GIL, parses need it | 2 threads ([`Role`]) under the GIL | updates may be lost / none lost | the page |
//! | free | k threads pull items (pool and simulator only) | waits overlap | 2 threads | updates lost / none lost | the page |
//! | asyncio | k coroutines take turns | awaits overlap | 2 coroutines | refused | the page |
//! | processes | k workers the page starts (`run_share`), simulated | the same | refused | a counter each | the page |
//!
//! Playback the page plays live itself (an audio callback beside the
//! producer); the simulator plays it under sequential (the page's main
//! thread), gil, free and processes; an event loop refuses it.

use lanes_trace::{Model, Workload};

/// Who runs a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runner {
    /// `lanes_runtime::run`: live, on threads of a pool.
    Pool,
    /// `lanes_runtime::run_solo`: live, on one worker without a pool.
    Solo,
    /// `lanes_sim::simulate`.
    Simulator,
}

/// What one thread (or coroutine) of a mixed run does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Counts the primes below `size`, item by item.
    Cpu,
    /// Waits and parses [`crate::PARSE_NUMBERS`] numbers, round by round.
    Io,
}

/// Why `runner` does not run `workload` under `model`, in words for the
/// page; `None` when it does.
pub fn unsupported(runner: Runner, model: Model, workload: Workload) -> Option<&'static str> {
    use Runner::{Pool, Simulator, Solo};
    Some(match (runner, model, workload) {
        (Simulator, _, Workload::Ui) => "the page runs that one live on its own main thread",
        (_, Model::Asyncio, Workload::Playback) => {
            "an event loop runs on one thread: pick sequential for the page's main thread"
        }
        (Pool | Solo, _, Workload::Playback) => {
            "the page plays that one itself, with an audio callback beside the producer"
        }
        (_, _, Workload::Ui) => "the page runs that one on its own main thread",
        (Pool | Solo, Model::Processes, _) => {
            "each process runs in a worker of its own, which the page starts"
        }
        (Solo, Model::Free, _) => {
            "free threads need a pool of threads sharing memory, which a page has only when it is cross-origin isolated"
        }
        (Simulator, Model::Processes, Workload::Mixed) => {
            "the convoy effect is about threads sharing one GIL, and processes share nothing"
        }
        (Simulator, Model::Asyncio, Workload::Counter | Workload::CounterLocked) => {
            "coroutines on one thread never interleave inside an update, so there is nothing to show"
        }
        (_, Model::Asyncio, Workload::Counter | Workload::CounterLocked) => {
            "the two do not go together"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(runner: Runner) -> Vec<(Model, Workload)> {
        let mut cells = Vec::new();
        for model in Model::ALL {
            for workload in Workload::ALL {
                if unsupported(runner, model, workload).is_none() {
                    cells.push((model, workload));
                }
            }
        }
        cells
    }

    #[test]
    fn each_runner_runs_its_part_of_the_table() {
        let pool = runs(Runner::Pool);
        let solo = runs(Runner::Solo);
        let sim = runs(Runner::Simulator);
        // Seven workloads run live; asyncio refuses the two counters.
        assert_eq!(pool.len(), 4 * 7 - 2);
        assert!(pool.iter().all(|&(m, _)| m != Model::Processes));
        // Solo is the pool without free threads.
        assert_eq!(
            solo,
            pool.iter()
                .copied()
                .filter(|&(m, _)| m != Model::Free)
                .collect::<Vec<_>>()
        );
        // The simulator also runs processes, but not their convoy, and plays
        // the melody under the four models the page plays it live under.
        assert_eq!(sim.len(), pool.len() + 6 + 4);
        assert!(sim.contains(&(Model::Processes, Workload::Counter)));
        assert!(!sim.contains(&(Model::Processes, Workload::Mixed)));
        assert!(
            Workload::ALL
                .iter()
                .all(|&w| w == Workload::Ui || sim.contains(&(Model::Gil, w)))
        );
        for model in [Model::Sequential, Model::Gil, Model::Free, Model::Processes] {
            assert!(sim.contains(&(model, Workload::Playback)), "{model:?}");
        }
        assert!(!sim.contains(&(Model::Asyncio, Workload::Playback)));
    }
}

//! k long-lived tasks on k distinct threads pulling work items from one queue.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Barrier, Mutex, PoisonError};

use lanes_trace::{Lane, Meta, Mode, Model, Scenario, Span, State, Trace, Workload};
use lanes_workloads::{Job, PrimeCount};

use crate::Clock;

/// The most threads a run may ask for.
pub const MAX_THREADS: u32 = 16;

/// Where a run happens, for its metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// Logical cores of the machine.
    pub cores: u32,
    /// Whether the page had shared memory (always true natively).
    pub cross_origin_isolated: bool,
    /// A user agent, or "native".
    pub name: String,
}

/// A flag any thread may raise to stop a run between work items.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    /// A flag that is not raised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the run to stop after the items in progress.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a run could not finish.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// k is outside 1..=16.
    #[error("a run needs between 1 and {MAX_THREADS} threads, not {0}")]
    ThreadCount(u32),
    /// The pool cannot give every lane a thread of its own.
    #[error("the thread pool has {have} threads, but this run needs {need}")]
    PoolTooSmall {
        /// Threads the run needs.
        need: u32,
        /// Threads the pool has.
        have: usize,
    },
    /// Somebody pressed Cancel.
    #[error("the run was cancelled")]
    Cancelled,
}

/// What the threads of one run did.
#[derive(Debug)]
struct Recorded {
    spans: Vec<Span>,
    result: u64,
    /// The pool thread each lane ran on, by lane.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "tests check that lanes are distinct threads")
    )]
    threads: Vec<Option<usize>>,
}

/// Runs `scenario` live on the current rayon pool and returns its trace.
///
/// Call it from inside the pool (`ThreadPool::install`, or a task spawned on
/// the global pool): it blocks its thread until every lane has finished.
pub fn run(
    scenario: &Scenario,
    clock: &dyn Clock,
    environment: &Environment,
    cancel: &Cancel,
) -> Result<Trace, RunError> {
    let threads = match scenario.model {
        Model::Sequential => 1,
        Model::Free => scenario.k,
    };
    let job = match scenario.workload {
        Workload::Primes => PrimeCount::new(scenario.size, scenario.tasks),
    };
    let recorded = run_job(&job, threads, clock, cancel)?;
    let lanes = match scenario.model {
        Model::Sequential => vec![Lane::thread("Main thread")],
        Model::Free => (1..=threads)
            .map(|i| Lane::thread(format!("Thread {i}")))
            .collect(),
    };
    let meta = Meta {
        scenario: *scenario,
        mode: Mode::Live,
        cores: environment.cores,
        cross_origin_isolated: environment.cross_origin_isolated,
        environment: environment.name.clone(),
        result: recorded.result,
    };
    Ok(Trace::new(meta, lanes, recorded.spans))
}

/// Runs `job` on `threads` distinct threads of the current pool, each pulling
/// items from a shared counter until none are left.
fn run_job(
    job: &dyn Job,
    threads: u32,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<Recorded, RunError> {
    if !(1..=MAX_THREADS).contains(&threads) {
        return Err(RunError::ThreadCount(threads));
    }
    let have = rayon::current_num_threads();
    if have < threads as usize {
        return Err(RunError::PoolTooSmall {
            need: threads,
            have,
        });
    }
    let next = AtomicU32::new(0);
    // Every lane waits here until all are up, so no lane can start on a thread
    // another lane is still using: k lanes are k distinct threads.
    let ready = Barrier::new(threads as usize);
    let logs = Mutex::new(Vec::with_capacity(threads as usize));
    let origin = clock.now_us();
    rayon::scope(|scope| {
        for lane in 0..threads {
            let (next, ready, logs) = (&next, &ready, &logs);
            scope.spawn(move |_| {
                ready.wait();
                let mut spans = Vec::new();
                let mut sum = 0;
                while !cancel.is_cancelled() {
                    let task = next.fetch_add(1, Ordering::Relaxed);
                    if task >= job.tasks() {
                        break;
                    }
                    let start_us = clock.now_us() - origin;
                    sum += job.run_task(task);
                    let end_us = clock.now_us() - origin;
                    spans.push(Span {
                        lane,
                        state: State::Running,
                        start_us,
                        end_us,
                        task: Some(task),
                    });
                }
                let thread = rayon::current_thread_index();
                logs.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((lane, spans, sum, thread));
            });
        }
    });
    if cancel.is_cancelled() {
        return Err(RunError::Cancelled);
    }
    let mut logs = logs.into_inner().unwrap_or_else(PoisonError::into_inner);
    logs.sort_by_key(|log| log.0);
    let result = logs.iter().map(|log| log.2).sum();
    let threads = logs.iter().map(|log| log.3).collect();
    let spans = logs.into_iter().flat_map(|log| log.1).collect();
    Ok(Recorded {
        spans,
        result,
        threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MonotonicClock;

    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(MAX_THREADS as usize)
            .build()
            .unwrap_or_else(|e| panic!("cannot build a pool: {e}"))
    }

    fn native() -> Environment {
        Environment {
            cores: 2,
            cross_origin_isolated: true,
            name: "native".to_owned(),
        }
    }

    fn scenario(model: Model, k: u32, size: u64) -> Scenario {
        Scenario {
            model,
            workload: Workload::Primes,
            k,
            size,
            tasks: 32,
        }
    }

    #[test]
    fn every_k_gets_k_distinct_threads_and_the_twins_answer() {
        let pool = pool();
        let job = PrimeCount::new(200_000, 32);
        let twin = job.sequential_twin();
        for k in 1..=MAX_THREADS {
            let clock = MonotonicClock::new();
            let rec = pool
                .install(|| run_job(&job, k, &clock, &Cancel::new()))
                .unwrap_or_else(|e| panic!("k={k}: {e}"));
            assert_eq!(rec.result, twin, "k={k}");
            let mut threads: Vec<_> = rec
                .threads
                .iter()
                .map(|t| t.unwrap_or(usize::MAX))
                .collect();
            threads.sort_unstable();
            threads.dedup();
            assert_eq!(threads.len(), k as usize, "k={k} ran on {:?}", rec.threads);
            let mut tasks: Vec<_> = rec.spans.iter().filter_map(|s| s.task).collect();
            tasks.sort_unstable();
            assert_eq!(tasks, (0..32).collect::<Vec<_>>(), "k={k}");
        }
    }

    #[test]
    fn free_threads_overlap_and_sequential_does_not() {
        let pool = pool();
        let clock = MonotonicClock::new();
        let env = native();
        let free = pool
            .install(|| {
                run(
                    &scenario(Model::Free, 2, 2_000_000),
                    &clock,
                    &env,
                    &Cancel::new(),
                )
            })
            .unwrap_or_else(|e| panic!("{e}"));
        free.validate().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(free.lanes.len(), 2);
        assert_eq!(free.meta.result, 148_933);
        // Both lanes ran work, at the same time as each other.
        assert!(free.lane_use().iter().all(|u| u.running_us > 0.0));
        assert_eq!(free.concurrency().peak, 2);

        let seq = pool
            .install(|| {
                run(
                    &scenario(Model::Sequential, 8, 200_000),
                    &clock,
                    &env,
                    &Cancel::new(),
                )
            })
            .unwrap_or_else(|e| panic!("{e}"));
        seq.validate().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seq.lanes.len(), 1);
        assert_eq!(seq.lanes[0].name, "Main thread");
        assert_eq!(seq.concurrency().peak, 1);
        assert_eq!(seq.meta.result, 17_984);
    }

    #[test]
    fn refuses_bad_thread_counts_and_small_pools() {
        let clock = MonotonicClock::new();
        let job = PrimeCount::new(1000, 16);
        assert_eq!(
            run_job(&job, 0, &clock, &Cancel::new()).map(|r| r.result),
            Err(RunError::ThreadCount(0))
        );
        assert_eq!(
            run_job(&job, 17, &clock, &Cancel::new()).map(|r| r.result),
            Err(RunError::ThreadCount(17))
        );
        let small = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = small.install(|| run_job(&job, 3, &clock, &Cancel::new()).map(|r| r.result));
        assert_eq!(err, Err(RunError::PoolTooSmall { need: 3, have: 2 }));
    }

    #[test]
    fn a_cancelled_run_stops() {
        let pool = pool();
        let clock = MonotonicClock::new();
        let cancel = Cancel::new();
        cancel.cancel();
        let out = pool.install(|| {
            run(
                &scenario(Model::Free, 4, 10_000_000),
                &clock,
                &native(),
                &cancel,
            )
        });
        assert_eq!(out.map(|t| t.spans.len()), Err(RunError::Cancelled));
    }
}

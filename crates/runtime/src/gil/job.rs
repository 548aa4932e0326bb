//! Work that runs under the GIL and gives it a chance to switch.

use std::ops::Range;

use lanes_workloads::{Job, PrimeCount, is_prime};

use super::GilThread;

/// Work cut into numbered items, like [`Job`], whose items run while their
/// thread holds the GIL. An item calls [`GilThread::check`] often (as the
/// interpreter checks its eval breaker between bytecodes), so a holder can be
/// made to hand over in the middle of a long item, and wraps blocking waits
/// in [`GilThread::io_wait`].
pub trait GilJob: Sync {
    /// How many work items there are.
    fn tasks(&self) -> u32;

    /// Runs one item on `gil`'s thread, which holds the lock on entry and
    /// must hold it on return, and returns its partial result.
    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64;

    /// The same answer, computed in one plain sequential pass.
    fn sequential_twin(&self) -> u64;
}

/// How many primes lie in `range`, calling `check` after every `every`
/// numbers tested (at least one). When `check` returns false the count stops
/// there (a cancelled run) and the partial count is returned.
pub fn count_primes_checked(range: Range<u64>, every: u64, check: &mut dyn FnMut() -> bool) -> u64 {
    let every = every.max(1);
    let mut count = 0;
    let mut since_check = 0;
    for n in range {
        if is_prime(n) {
            count += 1;
        }
        since_check += 1;
        if since_check == every {
            since_check = 0;
            if !check() {
                break;
            }
        }
    }
    count
}

/// Counting primes as Python threads would: every item checks the GIL after
/// every [`Self::CHECK_EVERY`] numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrimesUnderGil {
    job: PrimeCount,
}

impl PrimesUnderGil {
    /// Numbers tested between two checks of the GIL.
    pub const CHECK_EVERY: u64 = 1000;

    /// The items of `job`, checking the GIL as they go.
    pub fn new(job: PrimeCount) -> Self {
        Self { job }
    }
}

impl GilJob for PrimesUnderGil {
    fn tasks(&self) -> u32 {
        self.job.tasks()
    }

    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64 {
        count_primes_checked(self.job.task_range(task), Self::CHECK_EVERY, &mut || {
            gil.check()
        })
    }

    fn sequential_twin(&self) -> u64 {
        self.job.sequential_twin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_workloads::count_primes_in;
    use proptest::prelude::*;

    #[test]
    fn checks_every_so_many_numbers() {
        let mut checks = 0;
        let count = count_primes_checked(0..10_500, 1000, &mut || {
            checks += 1;
            true
        });
        assert_eq!(count, count_primes_in(0..10_500));
        assert_eq!(checks, 10);
    }

    proptest! {
        #[test]
        fn counts_what_the_plain_loop_counts(start in 0_u64..50_000, len in 0_u64..5_000, every in 0_u64..300) {
            let range = start..start + len;
            let counted = count_primes_checked(range.clone(), every, &mut || true);
            prop_assert_eq!(counted, count_primes_in(range));
        }
    }
}

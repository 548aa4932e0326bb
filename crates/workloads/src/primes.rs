//! Counting primes by trial division: plain integer work, like the Python
//! loops of the course, with no memory traffic to speak of.

use std::ops::Range;

use crate::Job;

/// Whether `n` is prime, by trial division over 6k ± 1.
///
/// Numbers below 2³² (every size the page allows) use 32-bit division: x86
/// compilers quietly do that for 64-bit division of small operands, wasm
/// engines do not, and the lesson should compare schedules, not dividers.
pub fn is_prime(n: u64) -> bool {
    match u32::try_from(n) {
        Ok(small) => is_prime_u32(small),
        Err(_) => is_prime_u64(n),
    }
}

fn is_prime_u32(n: u32) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut d = 5_u32;
    // d ≤ √n < 2¹⁶, so d * d never overflows u64.
    while u64::from(d) * u64::from(d) <= u64::from(n) {
        if n.is_multiple_of(d) || n.is_multiple_of(d + 2) {
            return false;
        }
        d += 6;
    }
    true
}

fn is_prime_u64(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut d = 5_u64;
    while d.saturating_mul(d) <= n {
        if n.is_multiple_of(d) || n.is_multiple_of(d + 2) {
            return false;
        }
        d += 6;
    }
    true
}

/// How many primes lie in `range`.
pub fn count_primes_in(range: Range<u64>) -> u64 {
    let mut count = 0;
    for n in range {
        if is_prime(n) {
            count += 1;
        }
    }
    count
}

/// Count the primes below `below`, cut into `tasks` ranges of equal width.
/// Later ranges cost more (bigger numbers need more divisions), as real
/// chunks of real work do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrimeCount {
    below: u64,
    tasks: u32,
}

impl PrimeCount {
    /// Counts primes below `below` in `tasks` items (at least one).
    pub fn new(below: u64, tasks: u32) -> Self {
        Self {
            below,
            tasks: tasks.max(1),
        }
    }

    /// The numbers work item `task` tests.
    pub fn task_range(&self, task: u32) -> Range<u64> {
        let edge = |i: u32| {
            let wide = u128::from(self.below) * u128::from(i) / u128::from(self.tasks);
            u64::try_from(wide).unwrap_or(self.below)
        };
        edge(task.min(self.tasks))..edge(task.saturating_add(1).min(self.tasks))
    }
}

impl Job for PrimeCount {
    fn tasks(&self) -> u32 {
        self.tasks
    }

    fn run_task(&self, task: u32) -> u64 {
        count_primes_in(self.task_range(task))
    }

    fn sequential_twin(&self) -> u64 {
        count_primes_in(0..self.below)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn knows_the_small_primes() {
        let small: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(small, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert!(is_prime(1_000_003));
        assert!(!is_prime(1_000_001));
        assert!(is_prime(u64::from(u32::MAX) - 4)); // 4294967291, the largest u32 prime
        assert!(is_prime(4_294_967_311)); // the smallest prime above u32::MAX
        assert!(!is_prime(u64::from(u32::MAX) + 1));
        assert!(!is_prime(4_294_967_311 * 3));
    }

    #[test]
    fn counts_match_known_values_of_pi() {
        assert_eq!(PrimeCount::new(10, 4).sequential_twin(), 4);
        assert_eq!(PrimeCount::new(1_000, 16).sequential_twin(), 168);
        assert_eq!(PrimeCount::new(100_000, 16).sequential_twin(), 9_592);
        assert_eq!(PrimeCount::new(1_000_000, 16).sequential_twin(), 78_498);
    }

    #[test]
    fn chunks_give_the_twins_answer() {
        let job = PrimeCount::new(1_000_000, 32);
        let chunked: u64 = (0..job.tasks()).map(|t| job.run_task(t)).sum();
        assert_eq!(chunked, 78_498);
    }

    proptest! {
        #[test]
        fn ranges_tile_the_interval(below in 0_u64..200_000, tasks in 1_u32..100) {
            let job = PrimeCount::new(below, tasks);
            let mut next = 0;
            for t in 0..job.tasks() {
                let r = job.task_range(t);
                prop_assert_eq!(r.start, next);
                prop_assert!(r.end >= r.start);
                next = r.end;
            }
            prop_assert_eq!(next, below);
            prop_assert!(job.task_range(tasks).is_empty());
        }

        #[test]
        fn both_widths_agree(n in 0_u64..5_000_000) {
            prop_assert_eq!(is_prime_u32(u32::try_from(n).unwrap()), is_prime_u64(n));
        }

        #[test]
        fn any_cut_gives_the_twins_answer(below in 0_u64..20_000, tasks in 1_u32..40) {
            let job = PrimeCount::new(below, tasks);
            let chunked: u64 = (0..job.tasks()).map(|t| job.run_task(t)).sum();
            prop_assert_eq!(chunked, job.sequential_twin());
        }
    }
}

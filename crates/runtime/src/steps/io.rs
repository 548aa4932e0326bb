//! Items that wait for I/O: a request (wait, then parse its response) and
//! a round of a mixed run's I/O thread (wait, then a little computing).

use std::ops::Range;

use lanes_workloads::count_primes_in;

use super::kernels::Primes;
use super::{Item, Step};

/// A request made by a Python thread: a wait of `latency_us` (which drops
/// the GIL), then the parse, which needs it back, counting primes as the
/// CPU-bound primes do (a step every [`super::kernels::CHECK_EVERY`] numbers).
pub(crate) struct Request {
    latency_us: f64,
    waited: bool,
    parse: Primes,
}

impl Request {
    pub(crate) fn new(latency_us: f64, parse: Range<u64>) -> Self {
        Self {
            latency_us,
            waited: false,
            parse: Primes::new(parse),
        }
    }
}

impl Item for Request {
    fn step(&mut self) -> Step {
        if !self.waited {
            self.waited = true;
            return Step::Io(self.latency_us);
        }
        self.parse.step()
    }
}

/// A round of the I/O thread: a wait of `latency_us`, then counting the
/// primes in `parse` in one go, without a check (a few hundred numbers).
pub(super) struct Round {
    latency_us: f64,
    waited: bool,
    parse: Range<u64>,
}

impl Round {
    pub(super) fn new(latency_us: f64, parse: Range<u64>) -> Self {
        Self {
            latency_us,
            waited: false,
            parse,
        }
    }
}

impl Item for Round {
    fn step(&mut self) -> Step {
        if !self.waited {
            self.waited = true;
            return Step::Io(self.latency_us);
        }
        Step::Done(count_primes_in(self.parse.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_waits_once_then_parses_in_steps() {
        let mut request = Request::new(20_000.0, 0..1500);
        assert_eq!(request.step(), Step::Io(20_000.0));
        assert_eq!(request.step(), Step::Ran);
        assert_eq!(request.step(), Step::Ran);
        assert_eq!(request.step(), Step::Done(count_primes_in(0..1500)));
        let mut round = Round::new(5.0, 500..1000);
        assert_eq!(round.step(), Step::Io(5.0));
        assert_eq!(round.step(), Step::Done(count_primes_in(500..1000)));
    }
}

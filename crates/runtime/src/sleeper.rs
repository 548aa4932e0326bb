//! Blocking waits, passed in: simulated I/O and an idle event loop sleep
//! through a [`Sleeper`], so that tests can make time pass as they like.

use std::time::Duration;

/// Blocks the calling thread for a while: how simulated I/O waits.
///
/// A closure `Fn(f64)` taking microseconds is a sleeper too.
pub trait Sleeper: Sync {
    /// Blocks the calling thread for about `us` microseconds (not at all if
    /// `us` is not a positive number).
    fn sleep_us(&self, us: f64);
}

impl<F: Fn(f64) + Sync> Sleeper for F {
    fn sleep_us(&self, us: f64) {
        self(us);
    }
}

/// Sleeps with [`std::thread::sleep`]: natively an OS sleep; on the web,
/// where threads have shared memory, an `Atomics.wait` with a timeout, which
/// works on worker threads only (never on the page's main thread).
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep_us(&self, us: f64) {
        if us > 0.0
            && let Ok(wait) = Duration::try_from_secs_f64(us / 1e6)
        {
            std::thread::sleep(wait);
        }
    }
}

/// The longest slice an [`Interruptible`] sleeps before looking at Cancel.
const SLICE_US: f64 = 10_000.0;

/// A sleeper that wakes within [`SLICE_US`] of a Cancel: long waits (an I/O
/// latency can be 10 s) are slept in slices.
pub(crate) struct Interruptible<'a> {
    inner: &'a dyn Sleeper,
    cancel: &'a crate::Cancel,
}

impl<'a> Interruptible<'a> {
    pub(crate) fn new(inner: &'a dyn Sleeper, cancel: &'a crate::Cancel) -> Self {
        Self { inner, cancel }
    }
}

impl Sleeper for Interruptible<'_> {
    fn sleep_us(&self, us: f64) {
        if !us.is_finite() {
            return;
        }
        let mut left = us;
        while left > 0.0 && !self.cancel.is_cancelled() {
            let slice = left.min(SLICE_US);
            self.inner.sleep_us(slice);
            left -= slice;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Clock, MonotonicClock};

    #[test]
    fn sleeps_about_as_long_as_asked_and_ignores_nonsense() {
        let clock = MonotonicClock::new();
        let start = clock.now_us();
        ThreadSleeper.sleep_us(2_000.0);
        assert!(clock.now_us() - start >= 2_000.0);
        for nonsense in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            let start = clock.now_us();
            ThreadSleeper.sleep_us(nonsense);
            assert!(clock.now_us() - start < 1e6, "{nonsense}");
        }
        let asked = std::sync::Mutex::new(Vec::new());
        let fake = |us: f64| asked.lock().unwrap().push(us);
        fake.sleep_us(3.0);
        assert_eq!(*asked.lock().unwrap(), [3.0]);
    }
}

//! Time, passed in: model code never reads a clock of its own.

/// A source of time in microseconds that all threads of a run share, so that
/// spans recorded on different threads line up on one axis.
pub trait Clock: Sync {
    /// Microseconds since some fixed origin, the same origin on every thread.
    fn now_us(&self) -> f64;
}

/// The process's monotonic clock (native only: the page's clock comes from
/// the `web` crate).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug)]
pub struct MonotonicClock {
    origin: std::time::Instant,
}

#[cfg(not(target_arch = "wasm32"))]
impl MonotonicClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        Self {
            origin: std::time::Instant::now(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for MonotonicClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for MonotonicClock {
    fn now_us(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1e6
    }
}

//! The switch interval: how long a waiting thread lets the holder run.

use std::time::Duration;

/// Why a GIL could not be set up.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GilError {
    /// The switch interval is outside what the page offers.
    #[error("the switch interval must be between 0.1 ms and 100 ms, not {ms} ms")]
    Interval {
        /// The interval asked for, in milliseconds.
        ms: f64,
    },
}

/// How long a thread waits for the GIL before it asks the holder to drop it
/// (Python's `sys.setswitchinterval`), from 0.1 ms to 100 ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SwitchInterval {
    us: f64,
    wait: Duration,
}

impl SwitchInterval {
    /// The shortest interval, in µs (0.1 ms).
    pub const MIN_US: f64 = 100.0;
    /// The longest interval, in µs (100 ms).
    pub const MAX_US: f64 = 100_000.0;
    /// CPython's default, in µs (5 ms).
    pub const DEFAULT_US: f64 = 5_000.0;

    /// An interval of `us` microseconds, if it lies in 100..=100 000 µs.
    pub fn from_us(us: f64) -> Result<Self, GilError> {
        if !(Self::MIN_US..=Self::MAX_US).contains(&us) {
            return Err(GilError::Interval { ms: us / 1000.0 });
        }
        let wait = Duration::try_from_secs_f64(us / 1e6)
            .map_err(|_| GilError::Interval { ms: us / 1000.0 })?;
        Ok(Self { us, wait })
    }

    /// An interval of `ms` milliseconds, if it lies in 0.1..=100 ms.
    pub fn from_ms(ms: f64) -> Result<Self, GilError> {
        Self::from_us(ms * 1000.0)
    }

    /// The interval in µs.
    pub fn as_us(self) -> f64 {
        self.us
    }

    /// The interval as a timeout for a wait.
    pub fn duration(self) -> Duration {
        self.wait
    }
}

impl Default for SwitchInterval {
    /// CPython's default of 5 ms.
    fn default() -> Self {
        Self {
            us: Self::DEFAULT_US,
            wait: Duration::from_millis(5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_range_and_rejects_the_rest_in_words() {
        assert_eq!(
            SwitchInterval::from_ms(0.1).map(SwitchInterval::as_us),
            Ok(100.0)
        );
        assert_eq!(
            SwitchInterval::from_ms(100.0).map(SwitchInterval::duration),
            Ok(Duration::from_millis(100))
        );
        assert_eq!(
            SwitchInterval::default(),
            SwitchInterval::from_ms(5.0).unwrap()
        );
        let msg = |ms: f64| SwitchInterval::from_ms(ms).map_err(|e| e.to_string());
        assert_eq!(
            msg(0.05),
            Err("the switch interval must be between 0.1 ms and 100 ms, not 0.05 ms".to_owned())
        );
        assert_eq!(
            msg(200.0),
            Err("the switch interval must be between 0.1 ms and 100 ms, not 200 ms".to_owned())
        );
        assert!(SwitchInterval::from_us(f64::NAN).is_err());
        assert!(SwitchInterval::from_us(f64::INFINITY).is_err());
        assert!(SwitchInterval::from_us(-5000.0).is_err());
    }
}

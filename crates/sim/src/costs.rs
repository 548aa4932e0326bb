//! The cost model: what computing, waiting, starting and copying take on
//! the machine being simulated.

use std::sync::OnceLock;

use lanes_trace::{Model, Scenario, Workload};
use serde::{Deserialize, Serialize};

use crate::SimError;
use crate::work::task_costs;

/// What each piece of a run costs, in µs (or bytes per µs). Work items cost
/// their [`crate::task_costs`] units times the workload's `*_us_per_unit`.
///
/// [`CostModel::reference`] holds figures measured in Chromium on a 2-core
/// laptop; [`CostModel::calibrate`] replaces them with what a live trace
/// shows about this machine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostModel {
    /// µs per trial-division step of the primes workload (and of the CPU
    /// thread of mixed).
    pub primes_us_per_unit: f64,
    /// µs per escape-time iteration of a Mandelbrot row.
    pub mandelbrot_us_per_unit: f64,
    /// µs per audio clip (one second of samples, its STFT and features).
    pub audio_us_per_clip: f64,
    /// µs per frame of sound a playback run's producer synthesizes.
    #[serde(default = "reference_synth_us_per_frame")]
    pub synth_us_per_frame: f64,
    /// µs per trial-division step when a request or an I/O round parses its
    /// response (io, and the I/O thread of mixed).
    pub parse_us_per_unit: f64,
    /// µs per update of the shared counter, without a lock.
    pub counter_update_us: f64,
    /// µs per update of the shared counter under its lock.
    pub counter_locked_update_us: f64,
    /// µs from the start of a threaded run until its threads are up.
    pub thread_start_us: f64,
    /// µs for a process to start (a worker with its own wasm instance).
    pub process_startup_us: f64,
    /// Bytes per µs copied into or out of a process (1 byte/µs = 1 MB/s).
    pub copy_bytes_per_us: f64,
    /// µs for a message to reach another process, besides its copy.
    pub message_latency_us: f64,
    /// µs from one thread dropping the GIL to a waiting thread running.
    pub gil_handoff_us: f64,
    /// µs between two checks of the GIL while computing: a drop request is
    /// noticed up to this long after it was made.
    pub gil_check_us: f64,
    /// µs an I/O wait overshoots its latency (timer slack and wake-up).
    pub io_overhead_us: f64,
    /// Relative noise on work items' costs, e.g. 0.03 for ±3 %, drawn from
    /// the seed (0 to 0.5).
    pub jitter: f64,
}

/// Sequential primes below 5 000 000 in Chromium on the reference laptop.
const REFERENCE_PRIMES_US: f64 = 340_000.0;
/// A Mandelbrot image 1600 pixels wide, estimated from native timing
/// (261 ms) with wasm's float code about 10 % slower.
const REFERENCE_MANDELBROT_US: f64 = 290_000.0;
/// 384 audio clips, estimated from native timing (267 ms) with wasm's
/// scalar FFT about 30 % slower.
const REFERENCE_AUDIO_US: f64 = 350_000.0;
/// A playback producer's synthesis, µs per frame: about 2.6 µs for a block
/// of 128 frames in this machine's wasm.
const REFERENCE_SYNTH_US_PER_FRAME: f64 = 0.02;

/// [`REFERENCE_SYNTH_US_PER_FRAME`], for a cost model sent before the field
/// existed.
fn reference_synth_us_per_frame() -> f64 {
    REFERENCE_SYNTH_US_PER_FRAME
}

/// Each [`CostModel`] field, in declaration order: its name, and what it is
/// in words for the page ("prime counting speed").
pub const COST_FIGURES: [(&str, &str); 15] = [
    ("primes_us_per_unit", "prime counting speed"),
    ("mandelbrot_us_per_unit", "Mandelbrot speed"),
    ("audio_us_per_clip", "audio speed"),
    ("synth_us_per_frame", "sound synthesis speed"),
    ("parse_us_per_unit", "response parsing speed"),
    ("counter_update_us", "counter update time"),
    ("counter_locked_update_us", "locked counter update time"),
    ("thread_start_us", "thread start"),
    ("process_startup_us", "process start-up"),
    ("copy_bytes_per_us", "copy speed"),
    ("message_latency_us", "message latency"),
    ("gil_handoff_us", "GIL hand-off"),
    ("gil_check_us", "GIL check interval"),
    ("io_overhead_us", "I/O overhead"),
    ("jitter", "jitter"),
];

impl CostModel {
    /// Figures for a typical laptop, measured in Chromium on a 2-core
    /// machine: primes below 5 000 000 in 340 ms on one thread, process
    /// start-up 36 ms, copies at 0.65 GB/s, a sub-millisecond GIL hand-off.
    ///
    /// Worked out once per program: the speeds per unit sum the work items
    /// of a 5 000 000-number count, tens of ms in wasm, and a page asks for
    /// them with every plan.
    pub fn reference() -> Self {
        static REFERENCE: OnceLock<CostModel> = OnceLock::new();
        REFERENCE.get_or_init(Self::work_out_reference).clone()
    }

    /// [`CostModel::reference`], worked out.
    fn work_out_reference() -> Self {
        let per_unit = |workload, size, total_us: f64| {
            let scenario = Scenario::new(Model::Sequential, workload, 1, size, 32);
            total_us / task_costs(&scenario).iter().sum::<f64>()
        };
        let primes_us_per_unit = per_unit(Workload::Primes, 5_000_000, REFERENCE_PRIMES_US);
        Self {
            primes_us_per_unit,
            mandelbrot_us_per_unit: per_unit(Workload::Mandelbrot, 1600, REFERENCE_MANDELBROT_US),
            audio_us_per_clip: REFERENCE_AUDIO_US / 384.0,
            synth_us_per_frame: REFERENCE_SYNTH_US_PER_FRAME,
            parse_us_per_unit: primes_us_per_unit,
            counter_update_us: 0.003,
            counter_locked_update_us: 0.025,
            thread_start_us: 100.0,
            process_startup_us: 36_000.0,
            copy_bytes_per_us: 650.0,
            message_latency_us: 200.0,
            gil_handoff_us: 60.0,
            gil_check_us: 70.0,
            io_overhead_us: 100.0,
            jitter: 0.03,
        }
    }

    /// Every field with its name ([`COST_FIGURES`]), in declaration order.
    pub(crate) fn fields(&self) -> [(&'static str, f64); 15] {
        let values = [
            self.primes_us_per_unit,
            self.mandelbrot_us_per_unit,
            self.audio_us_per_clip,
            self.synth_us_per_frame,
            self.parse_us_per_unit,
            self.counter_update_us,
            self.counter_locked_update_us,
            self.thread_start_us,
            self.process_startup_us,
            self.copy_bytes_per_us,
            self.message_latency_us,
            self.gil_handoff_us,
            self.gil_check_us,
            self.io_overhead_us,
            self.jitter,
        ];
        std::array::from_fn(|i| (COST_FIGURES[i].0, values[i]))
    }

    /// Checks that every figure is a finite number, the rates positive and
    /// the jitter at most 0.5.
    pub(crate) fn check(&self) -> Result<(), SimError> {
        for (field, value) in self.fields() {
            let positive = matches!(
                field,
                "primes_us_per_unit"
                    | "mandelbrot_us_per_unit"
                    | "audio_us_per_clip"
                    | "synth_us_per_frame"
                    | "parse_us_per_unit"
                    | "counter_update_us"
                    | "counter_locked_update_us"
                    | "copy_bytes_per_us"
            );
            let ok = value.is_finite()
                && if positive { value > 0.0 } else { value >= 0.0 }
                && (field != "jitter" || value <= 0.5);
            if !ok {
                return Err(SimError::Cost {
                    field,
                    value: value.to_string(),
                });
            }
        }
        Ok(())
    }

    /// µs per cost unit of item `task` of `scenario` (see
    /// [`crate::task_costs`]).
    pub(crate) fn us_per_unit(&self, scenario: &Scenario, task: u32) -> f64 {
        match scenario.workload {
            Workload::Primes => self.primes_us_per_unit,
            Workload::Mandelbrot => self.mandelbrot_us_per_unit,
            Workload::Audio => self.audio_us_per_clip,
            Workload::Io => self.parse_us_per_unit,
            Workload::Mixed if task < scenario.tasks.max(1) => self.primes_us_per_unit,
            Workload::Mixed => self.parse_us_per_unit,
            Workload::Counter => self.counter_update_us,
            Workload::CounterLocked => self.counter_locked_update_us,
            Workload::Ui | Workload::Playback => 0.0,
        }
    }
}

impl Default for CostModel {
    /// [`CostModel::reference`].
    fn default() -> Self {
        Self::reference()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_checks_and_times_primes_as_measured() {
        let costs = CostModel::reference();
        assert_eq!(costs.check(), Ok(()));
        let scenario = Scenario::new(Model::Sequential, Workload::Primes, 1, 5_000_000, 32);
        let us: f64 = task_costs(&scenario).iter().sum::<f64>() * costs.primes_us_per_unit;
        assert!((us - 340_000.0).abs() < 1.0, "{us}");
        let bad = CostModel {
            copy_bytes_per_us: 0.0,
            ..CostModel::default()
        };
        assert_eq!(
            bad.check().map_err(|e| e.to_string()),
            Err("the cost model's copy_bytes_per_us must be a positive number, not 0".to_owned())
        );
        let nan = CostModel {
            jitter: f64::NAN,
            ..CostModel::default()
        };
        assert!(nan.check().is_err());
    }
}

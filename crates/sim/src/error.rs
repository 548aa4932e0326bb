//! Why a scenario cannot be simulated, in words a learner understands.

use lanes_model::{Runner, unsupported};
use lanes_trace::{Model, Workload};

use crate::{MAX_CORES, MAX_SPANS, MAX_WORKERS};

/// Why [`crate::simulate`] or [`crate::CostModel::calibrate`] refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The virtual machine has no cores, or more than [`MAX_CORES`].
    #[error("the simulated machine needs between 1 and {MAX_CORES} cores, not {0}")]
    Cores(u32),
    /// k is outside 1..=[`MAX_WORKERS`].
    #[error(
        "a simulated run needs between 1 and {MAX_WORKERS} threads, processes or tasks, not {0}"
    )]
    Workers(u32),
    /// The GIL's switch interval is outside 0.1..=100 ms.
    #[error("the switch interval must be between 0.1 ms and 100 ms, not {} ms", f64::from(*us) / 1000.0)]
    Interval {
        /// The interval asked for, in µs.
        us: u32,
    },
    /// The I/O latency is longer than 10 s.
    #[error("an I/O wait may last at most 10 s, not {} s", f64::from(*us) / 1e6)]
    Latency {
        /// The latency asked for, in µs.
        us: u32,
    },
    /// The model and workload do not go together, or the page runs this one
    /// itself.
    #[error("{}", unsupported_words(*model, *workload))]
    Unsupported {
        /// The model asked for.
        model: Model,
        /// The workload asked for.
        workload: Workload,
    },
    /// The trace would hold more spans than a page can draw.
    #[error(
        "this run would need more than {MAX_SPANS} spans to draw: use fewer work items, a longer \
         switch interval or a smaller size"
    )]
    TooManySpans,
    /// A figure of the cost model is not a usable number.
    #[error("the cost model's {field} must be a positive number, not {value}")]
    Cost {
        /// The field's name.
        field: &'static str,
        /// Its value, as text.
        value: String,
    },
    /// A trace that calibration cannot learn from.
    #[error("cannot learn from this trace: {0}")]
    Calibration(String),
}

/// Why a model and workload do not simulate, in words for the page.
fn unsupported_words(model: Model, workload: Workload) -> String {
    let why =
        unsupported(Runner::Simulator, model, workload).unwrap_or("the two do not go together");
    format!(
        "{} cannot simulate “{}”: {why}",
        model.title(),
        workload.title()
    )
}

#![doc = include_str!("../README.md")]

mod audio;
mod calls;
mod chrome;
mod codec;
mod concurrency;
mod metrics;
mod model;
mod python;
pub mod synthetic;
mod validate;
pub mod words;

pub use audio::{Audio, AudioBlock, FillSample};
pub use calls::{Call, Calls, GilEvidence};
pub use chrome::{
    ImportError, ImportLimits, ImportPhase, ImportProgress, ImportReport, Imported, SkipReason,
    Skipped, from_chrome_bytes, from_chrome_json, from_chrome_json_with, to_chrome_json,
    to_chrome_value,
};
pub use codec::{CodecError, decode, encode};
pub use concurrency::{Concurrency, ConcurrencyStep, merge_lane_intervals};
pub use metrics::{LaneUse, Metrics, StateTimes};
pub use model::{
    Event, EventKind, Foreign, Holding, Lane, LaneKind, Meta, Mode, Model, Scenario, Source, Span,
    SpanLabels, State, Trace, UnknownName, Workload, gil_lane_span,
};
pub use validate::TraceError;

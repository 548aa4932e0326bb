#![doc = include_str!("../README.md")]

mod chrome;
mod metrics;
mod model;
mod validate;

pub use chrome::{to_chrome_json, to_chrome_value};
pub use metrics::{Concurrency, LaneUse};
pub use model::{
    Event, EventKind, Lane, LaneKind, Meta, Mode, Model, Scenario, Span, State, Trace, UnknownName,
    Workload,
};
pub use validate::TraceError;

//! The Chrome Trace Event JSON format, out and in: Perfetto and
//! `chrome://tracing` open what Lanes exports, and Lanes opens what other
//! tools (a Python tracer, Chrome itself) write.

mod assemble;
mod audio;
mod census;
mod export;
mod import;
mod progress;
mod raw;
mod report;
mod runs;
mod stacks;

pub use export::{to_chrome_json, to_chrome_value};
pub use import::{from_chrome_bytes, from_chrome_json, from_chrome_json_with};
pub use progress::{ImportPhase, ImportProgress};
pub use report::{ImportError, ImportLimits, ImportReport, Imported, SkipReason, Skipped};

/// Names that the export writes and the import recognises.
mod names {
    use std::borrow::Cow;

    use serde::{Deserialize, Serialize};

    use crate::{Foreign, GilEvidence};

    /// `metadata.origin` of a file Lanes wrote of a trace it had imported:
    /// `from: "imported"`, what the other tool's file said of itself, and
    /// how its GIL lane was known.
    #[derive(Debug, Serialize, Deserialize)]
    #[serde(tag = "from", rename_all = "snake_case")]
    pub(crate) enum Origin<'a> {
        Imported {
            #[serde(flatten)]
            foreign: Cow<'a, Foreign>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            gil_evidence: Option<GilEvidence>,
        },
    }

    /// The process id every lane of one run shares.
    pub(crate) const PID: u32 = 1;
    /// `metadata.source` of a file Lanes wrote.
    pub(crate) const SOURCE: &str = "lanes";
    /// The category of span slices.
    pub(crate) const CAT_SPAN: &str = "lanes";
    /// The category of call slices (`args.depth`, `args.name_id`).
    pub(crate) const CAT_CALL: &str = "lanes.call";
    /// `metadata.source` of a file `lanes_record.py` wrote.
    pub(crate) const RECORDER: &str = "lanes_record";
    /// per4m's category of its GIL slices (`GIL`) and instants.
    pub(crate) const CAT_PER4M_GIL: &str = "GIL state";
    /// per4m's category of its scheduler slices (`S(GIL)`, `S`, `R`).
    pub(crate) const CAT_PER4M_SCHED: &str = "process state";
    /// The category of GIL hand-offs and forced switches.
    pub(crate) const CAT_GIL: &str = "lanes.gil";
    /// The category of message sends and receives.
    pub(crate) const CAT_MESSAGE: &str = "lanes.message";
    /// The category of other instants.
    pub(crate) const CAT_INSTANT: &str = "lanes.instant";
    pub(crate) const GIL_HANDOFF: &str = "gil_handoff";
    pub(crate) const FORCED_SWITCH: &str = "forced_switch";
    pub(crate) const MESSAGE: &str = "message";
    pub(crate) const PROCESS_NAME: &str = "process_name";
    pub(crate) const PROCESS_SORT_INDEX: &str = "process_sort_index";
    pub(crate) const THREAD_NAME: &str = "thread_name";
    pub(crate) const THREAD_SORT_INDEX: &str = "thread_sort_index";
}

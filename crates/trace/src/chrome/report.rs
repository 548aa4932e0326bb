//! What an import gives back: the trace and a report, or an error that says
//! what is wrong with the file and where.

use std::fmt;

use crate::{Trace, TraceError};

/// How much an import accepts before it refuses the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// The largest file, in bytes.
    pub max_bytes: usize,
    /// The most events in `traceEvents`, metadata events included.
    pub max_events: usize,
}

impl ImportLimits {
    /// 200 MB (200,000,000 bytes) and 5,000,000 events.
    pub const DEFAULT: Self = Self {
        max_bytes: 200_000_000,
        max_events: 5_000_000,
    };
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The traces read from a file, with what the import left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// Never empty: one trace per run of a lesson `lanes_record.py`
    /// recorded (`metadata.runs`), in order; one for any other file.
    pub traces: Vec<Trace>,
    /// What was read, skipped and noticed.
    pub report: ImportReport,
}

/// What an import read, what it skipped and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Whether the file was written by Lanes (`metadata.source == "lanes"`
    /// with readable metadata): then its times and metadata are kept as
    /// they are.
    pub from_lanes: bool,
    /// How many elements `traceEvents` held.
    pub events: usize,
    /// The events left out, by reason, in a fixed order.
    pub skipped: Vec<Skipped>,
    /// Other things worth telling the user, in the order they were noticed.
    pub notes: Vec<String>,
}

impl ImportReport {
    /// How many events were left out in all.
    pub fn skipped_total(&self) -> usize {
        self.skipped.iter().map(|s| s.count).sum()
    }
}

impl fmt::Display for ImportReport {
    /// A few plain sentences, e.g. "Read 1,204 events. Skipped 150 counter
    /// events ("C")."
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Read {} events", thousands(self.events))?;
        if self.from_lanes {
            f.write_str(" written by Lanes")?;
        }
        f.write_str(".")?;
        if !self.skipped.is_empty() {
            f.write_str(" Skipped ")?;
            for (i, s) in self.skipped.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{} {}", thousands(s.count), s.reason)?;
            }
            f.write_str(".")?;
        }
        for note in &self.notes {
            write!(f, " {note}")?;
        }
        Ok(())
    }
}

/// Events left out for one reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Why.
    pub reason: SkipReason,
    /// How many.
    pub count: usize,
}

/// Why an event was left out. An import skips what Lanes cannot show rather
/// than failing on it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Events of a type (`ph`) that Lanes does not show, e.g. "C" counters.
    Phase(String),
    /// Metadata ("M") events that Lanes does not use or could not read, by name.
    Metadata(String),
    /// "E" events with no open "B" on their thread.
    EndWithoutBegin,
    /// "B" events that no "E" closes.
    BeginWithoutEnd,
    /// State slices (named after a [`State`](crate::State)) nested in, or
    /// overlapping, an earlier state slice on the same thread: a lane is in
    /// one state at a time, so the outer slice is kept. (Other slices are
    /// calls, kept with their depth.)
    Nested,
    /// Lanes hand-off or message events whose details could not be read.
    UnreadableLanesEvent,
    /// Slices nested more than 65,535 deep on one thread.
    TooDeep,
    /// per4m's `GIL(take)` and `GIL(drop)` slices: the GIL lane shows the
    /// holdings (`GIL`) themselves.
    GilDetail,
    /// per4m's scheduler slices `S` and `R` (on or off the CPU): the calls
    /// say what a thread waited for (`S(GIL)` is read, as waiting for the GIL).
    SchedulerState,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Phase(ph) => match phase_name(ph) {
                Some(what) => write!(f, "{what} (\"{ph}\")"),
                None => write!(f, "events of type {ph:?}, which Lanes does not know"),
            },
            Self::Metadata(name) => write!(f, "metadata events named {name:?}"),
            Self::EndWithoutBegin => {
                f.write_str("\"E\" (end) events with no open \"B\" (begin) on their thread")
            }
            Self::BeginWithoutEnd => f.write_str("\"B\" (begin) events that never end"),
            Self::Nested => f.write_str(
                "state slices inside or overlapping another state slice on the same thread \
                 (a lane is in one state at a time; the outer one is kept)",
            ),
            Self::UnreadableLanesEvent => {
                f.write_str("Lanes hand-off or message events with unreadable details")
            }
            Self::TooDeep => f.write_str("slices nested more than 65,535 deep"),
            Self::GilDetail => f.write_str(
                "per4m's GIL(take) and GIL(drop) slices (the GIL lane shows who held it)",
            ),
            Self::SchedulerState => f.write_str(
                "per4m's scheduler slices \"S\" and \"R\" (the calls say what a thread waited for)",
            ),
        }
    }
}

/// What events of a known but unshown type are, in words.
fn phase_name(ph: &str) -> Option<&'static str> {
    Some(match ph {
        "C" => "counter events",
        "b" | "e" | "S" | "T" | "p" | "F" => "async slice events",
        "P" => "sample events",
        "N" | "O" | "D" => "object snapshot events",
        "V" | "v" => "memory dump events",
        "c" => "clock sync events",
        "(" | ")" => "context events",
        _ => return None,
    })
}

/// What is wrong with a file that could not be imported. Event numbers count
/// from 0, as positions in `traceEvents`, and each message also gives the
/// ordinal ("the 4th").
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The file is larger than the limit.
    #[error("the file is {} MB, larger than the {} MB that Lanes opens", mb(*bytes), mb(*limit))]
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The file holds more events than the limit.
    #[error(
        "the file holds {} events, more than the {} that Lanes opens",
        thousands(*events),
        thousands(*limit)
    )]
    TooManyEvents {
        /// How many events it holds.
        events: usize,
        /// The limit.
        limit: usize,
    },
    /// The file is empty, or holds only blank space.
    #[error("the file is empty: it holds no JSON at all")]
    Blank,
    /// The file is not valid JSON.
    #[error("the file is not valid JSON: {reason}, at line {line}, column {column}{}", near(*event))]
    Syntax {
        /// What the JSON reader found wrong.
        reason: String,
        /// Where, counting from 1.
        line: usize,
        /// Where, counting from 1.
        column: usize,
        /// The event being read, if the error is inside `traceEvents`.
        event: Option<usize>,
    },
    /// The file ends in the middle of the JSON.
    #[error(
        "the file ends in the middle of the JSON, at line {line}, column {column}{}: \
         it may have been cut short",
        near(*event)
    )]
    Truncated {
        /// Where, counting from 1.
        line: usize,
        /// Where, counting from 1.
        column: usize,
        /// The event being read, if the end came inside `traceEvents`.
        event: Option<usize>,
    },
    /// Lists and objects nest deeper than the JSON reader allows (128).
    #[error(
        "the JSON nests lists and objects more than 128 deep, at line {line}, column {column}{}; \
         a trace never needs that",
        near(*event)
    )]
    TooDeep {
        /// Where, counting from 1.
        line: usize,
        /// Where, counting from 1.
        column: usize,
        /// The event being read, if inside `traceEvents`.
        event: Option<usize>,
    },
    /// The JSON is neither a list of events nor an object.
    #[error(
        "this JSON is not a trace: a trace is a list of events or an object with a \
         \"traceEvents\" list, but the file holds {found}"
    )]
    NotATrace {
        /// What the file holds instead.
        found: &'static str,
    },
    /// The object has no `traceEvents`.
    #[error("this JSON object is not a trace: it has no \"traceEvents\" list")]
    NoTraceEvents,
    /// `traceEvents` is not a list.
    #[error("\"traceEvents\" should be a list of events, but it is {found}")]
    EventsNotAList {
        /// What it is instead.
        found: &'static str,
    },
    /// An element of `traceEvents` is not an object.
    #[error("event {index} ({}) is {found}, not an object like {{\"ph\": \"X\", ...}}", ordinal(*index))]
    NotAnObject {
        /// Its position.
        index: usize,
        /// What it is instead.
        found: &'static str,
    },
    /// An event lacks a field it needs.
    #[error("event {index} ({}) has no \"{field}\" ({meaning})", ordinal(*index))]
    MissingField {
        /// Its position.
        index: usize,
        /// The field.
        field: &'static str,
        /// What the field is for.
        meaning: &'static str,
    },
    /// An event has a field of the wrong type.
    #[error("event {index} ({}): \"{field}\" should be {expected}, not {found}", ordinal(*index))]
    BadField {
        /// Its position.
        index: usize,
        /// The field.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
        /// What it is.
        found: String,
    },
    /// A slice has a negative duration: it ends before it starts.
    #[error(
        "event {index} ({}) lasts {dur_us} µs, so it ends before it starts: \
         a duration cannot be negative",
        ordinal(*index)
    )]
    NegativeDuration {
        /// Its position.
        index: usize,
        /// Its duration.
        dur_us: f64,
    },
    /// A time is not a finite number (NaN, infinite, or too large).
    #[error("event {index} ({}): \"{field}\" is not a finite number of microseconds", ordinal(*index))]
    NotFinite {
        /// Its position.
        index: usize,
        /// The field.
        field: &'static str,
    },
    /// The times are each finite but so far apart that the time from the
    /// earliest to the latest is not a number a trace can hold (so both are
    /// huge, and written as such: `1.7e308`).
    #[error(
        "the times in the file run from {earliest_us:e} µs to {latest_us:e} µs, \
         too far apart to show on one time axis"
    )]
    TimesTooFarApart {
        /// The earliest time in the file.
        earliest_us: f64,
        /// The latest time in the file (a slice's end or an instant).
        latest_us: f64,
    },
    /// Nothing in the file can be shown.
    #[error("the file holds no slices, instants or named threads to show")]
    Empty,
    /// The events read do not make a sound trace (e.g. a file written by
    /// Lanes and then edited by hand).
    #[error("the trace does not hold together: {0}")]
    Inconsistent(#[from] TraceError),
}

/// " (near event 3, the 4th)" or nothing.
fn near(event: Option<usize>) -> String {
    event.map_or_else(String::new, |i| format!(", in event {i} ({})", ordinal(i)))
}

/// "the 1st", "the 2nd", ... for the event at position `index`.
pub(crate) fn ordinal(index: usize) -> String {
    let n = index.saturating_add(1);
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("the {}{suffix}", thousands(n))
}

/// Megabytes with one decimal.
fn mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

/// 1234567 → "1,234,567".
pub(crate) fn thousands(n: usize) -> String {
    crate::words::grouped(n as u64, ',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(5_000_000), "5,000,000");
        assert_eq!(ordinal(0), "the 1st");
        assert_eq!(ordinal(1), "the 2nd");
        assert_eq!(ordinal(2), "the 3rd");
        assert_eq!(ordinal(3), "the 4th");
        assert_eq!(ordinal(10), "the 11th");
        assert_eq!(ordinal(11), "the 12th");
        assert_eq!(ordinal(20), "the 21st");
        assert_eq!(ordinal(111), "the 112th");
        assert_eq!(mb(250_000_001), "250.0");
    }
}

//! Import from the Chrome Trace Event JSON format, as any tool writes it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeSeed;
use serde_json::Value;

use super::audio::{AUDIO_BUFFER, AudioMark, BLOCK_DUE, CAT_AUDIO};
use super::names;
use super::progress::{ImportProgress, Progress, Ticking};
use super::raw::{RawEvent, Scalar, Shape, Sink, Slot, TopLevel, is_stop};
use super::report::{ImportError, ImportLimits, Imported, SkipReason};
use crate::{AudioBlock, EventKind, FillSample, LaneKind, State};

/// Reads a Chrome Trace Event JSON file with the default [`ImportLimits`]
/// (200 MB, 5,000,000 events).
///
/// Accepts the object form (`{"traceEvents": [...], "metadata": {...}}`) and
/// the bare list form (`[...]`), which may lack its closing `]` as the format
/// allows. Reads:
/// - `X` slices (`ts`, `dur`) and `B`/`E` pairs, matched per thread like a
///   stack (an `E` closes the latest open `B`); unmatched ones are skipped
///   and counted;
/// - `M` events `process_name`, `thread_name` (with `args.kind`, a
///   [`LaneKind`] name, when a tool gives it), `thread_sort_index`,
///   `process_sort_index`;
/// - `i`, `I`, `R` and `n` instants, and `s`/`t`/`f` flow events: Lanes's
///   own hand-offs and messages become [`EventKind::Handoff`],
///   [`EventKind::Send`] and [`EventKind::Receive`]; another tool's flows
///   and instants become [`EventKind::Instant`] marks named like the event;
/// - per4m's GIL data: its `GIL` slices (`cat` `"GIL state"`, also as async
///   `b`/`e` pairs) and its `S(GIL)` scheduler slices.
///
/// Anything else (counters, samples, other async slices, ...) is skipped and
/// counted in the [`ImportReport`](crate::ImportReport), not fatal. Each
/// `(pid, tid)` pair that has a name or a slice or an instant becomes a lane
/// (but in another tool's file of several processes, a thread with only a
/// name, as a forked child inherits, is none); lanes are ordered by process
/// sort index, pid, thread sort index, then tid. A thread id written as a
/// text of digits is that number.
///
/// **A file Lanes wrote** (`metadata.source == "lanes"`) reads back into
/// exactly the trace that was exported: times, metadata, lane kinds, labels,
/// events, calls (`lanes.call` slices), how its GIL was known and a
/// playback's audio track (`lanes.audio` counters and instants with
/// `metadata.audio`), as they were. A slice named after a [`State`] gets that state, with `args.task`
/// as its task and, on a GIL lane, `args.holder` (or, in older files,
/// `args.task`) as its holder.
///
/// **A file from another tool** does not say what ran, so its trace has no
/// [`Meta`](crate::Meta): its source is
/// [`Source::Imported`](crate::Source::Imported) with what the file says of
/// itself ([`Foreign`](crate::Foreign): the tool named by
/// `metadata.source`, the time of its earliest event, how many processes it
/// has, its other `metadata` fields). Its times are shifted so that its
/// earliest event is at 0 µs. Then:
/// - **Calls.** A slice named after a [`State`] is a state span (where
///   such slices overlap on a thread, one inside another is skipped, one
///   that runs past another starts at its end). Every other slice is a
///   [`Call`](crate::Call) in [`Trace::calls`](crate::Trace::calls), named
///   like the slice, its depth the nesting on its thread; a slice that ends
///   after the slice it started in is cut at that end (and counted in a
///   note).
/// - **States from the calls.** Wherever a lane has calls but no state span
///   of its own, its state is read from the innermost call: waiting for
///   I/O ([`State::IoWait`]) or for another thread ([`State::LockWait`])
///   in a call that blocks (`time.sleep`, sockets, selectors, locks,
///   events, joins, queues, ...: the table in `python/blocking.rs`),
///   running otherwise; each such span is labelled with its outermost
///   call. Where there is no call there is no span.
/// - **The GIL.** In the trace of a Python program (VizTracer's, per4m's,
///   the recorder's, or one whose calls are named as Python tracers name
///   them), unless `metadata.gil == "disabled"`, each process whose threads
///   ran at once gets a GIL lane ([`LaneKind::Gil`], holders named) and its
///   threads' running is split into running and waiting for the GIL:
///   from per4m's `GIL` slices when the file has them
///   ([`GilEvidence::Traced`](crate::GilEvidence::Traced)), else inferred
///   from the calls ([`GilEvidence::Inferred`](crate::GilEvidence::Inferred):
///   a call's start or end fires only while its thread holds the GIL; see
///   `python/infer.rs`). A file from `lanes_record.py`
///   (`metadata.source == "lanes_record"`) carries its own states, measured;
///   its GIL lane is its threads' running
///   ([`GilEvidence::Measured`](crate::GilEvidence::Measured)).
/// - **Processes.** In a file of several processes, the process of the
///   earliest event is the parent, whose threads stay threads; each other
///   process's main thread (whose id is the process's), or its one thread,
///   is a process lane, named after the process.
/// - **Lessons.** A file the recorder wrote with `--lesson` lists its runs
///   (`metadata.runs`): the import gives one trace per run, cut to the
///   run's window and starting at 0, each a Lanes run of
///   [`Mode::Recorded`](crate::Mode::Recorded) with the run's scenario; a
///   list that cannot be read is said in a note, and the file is read as
///   one trace. Every other file gives one trace.
///
/// Never panics; any input that is not a readable trace gives an
/// [`ImportError`] that says what is wrong and where.
pub fn from_chrome_json(text: &str) -> Result<Imported, ImportError> {
    from_chrome_json_with(text, &ImportLimits::DEFAULT)
}

/// [`from_chrome_json`] with other limits.
pub fn from_chrome_json_with(text: &str, limits: &ImportLimits) -> Result<Imported, ImportError> {
    from_chrome_bytes(text.as_bytes(), limits, &mut |_| {})
}

/// [`from_chrome_json_with`] of a file's bytes, telling
/// `progress` how far it has come: at most
/// [`ImportProgress::MAX_REPORTS`] times, reading then building, each
/// phase from 0 to its total. The events read are counted against a total
/// only in a file long enough to be counted before it is read (more than
/// two bytes per event of the limit: 10 MB by default); a shorter one
/// reports its reading once, when it ends.
///
/// Bytes that are not UTF-8 text are read as U+FFFD (as a browser reads a
/// text file), and a note says where the first one was: a name in another
/// encoding costs its odd letters, not the file. A file that is not text
/// at all (a picture) then fails as the JSON it is not.
pub fn from_chrome_bytes(
    bytes: &[u8],
    limits: &ImportLimits,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Imported, ImportError> {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    if bytes.len() > limits.max_bytes {
        return Err(ImportError::TooLarge {
            bytes: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let (skipped, bytes) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    let (text, replaced) = match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(e) => (
            String::from_utf8_lossy(bytes),
            Some(not_utf8(bytes, &e, skipped)),
        ),
    };
    let mut imported = read_text(&text, limits, progress)?;
    if let Some(replaced) = replaced {
        imported.report.notes.insert(0, replaced);
    }
    Ok(imported)
}

/// [`from_chrome_bytes`] of its text.
fn read_text(
    text: &str,
    limits: &ImportLimits,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Imported, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Blank);
    }
    // Far too many events: refused after a quick scan, not a long read.
    let events = super::census::census(text, limits)?;
    let progress = &mut Progress::new(progress, events);
    match read(text, limits, progress) {
        Err(first @ ImportError::Truncated { .. }) => match close_list(text) {
            Some(closed) => match read(&closed, limits, progress) {
                Ok(mut imported) => {
                    imported.report.notes.insert(
                        0,
                        "The list of events had no closing \"]\", which the format allows; \
                         it was read up to its last complete event."
                            .to_owned(),
                    );
                    Ok(imported)
                }
                Err(
                    ImportError::Syntax { .. }
                    | ImportError::Truncated { .. }
                    | ImportError::TooDeep { .. },
                ) => Err(first),
                Err(other) => Err(other),
            },
            None => Err(first),
        },
        other => other,
    }
}

/// A bare list of events cut after a complete event (with or without a
/// trailing comma), closed with `]`.
fn close_list(text: &str) -> Option<String> {
    if !text.trim_start().starts_with('[') {
        return None;
    }
    let end = text.trim_end();
    let end = end.strip_suffix(',').unwrap_or(end).trim_end();
    (end.ends_with('}') || end.ends_with('[')).then(|| format!("{end}]"))
}

/// The note that says where `bytes` (after `skipped` bytes of a byte-order
/// mark) stop being UTF-8.
fn not_utf8(bytes: &[u8], e: &std::str::Utf8Error, skipped: usize) -> String {
    let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let on_line = valid.get(line_start..).unwrap_or_default();
    format!(
        "The file is not all UTF-8 text: its bytes from byte {} (line {}, column {}) on that \
         are not were read as \u{fffd}.",
        skipped + e.valid_up_to(),
        valid.iter().filter(|&&b| b == b'\n').count() + 1,
        String::from_utf8_lossy(on_line).chars().count() + 1,
    )
}

fn read(
    text: &str,
    limits: &ImportLimits,
    progress: &mut Progress<'_>,
) -> Result<Imported, ImportError> {
    let mut c = Collector::new(*limits);
    let mut de = serde_json::Deserializer::from_str(text);
    let mut ticking = Ticking {
        sink: &mut c,
        progress,
        done: 0,
    };
    let result = TopLevel(&mut ticking)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    if let Some(error) = c.error.take() {
        return Err(error);
    }
    if let Err(e) = result {
        return Err(c.json_error(&e));
    }
    let events = c.seen.saturating_add(c.counted);
    if events > limits.max_events {
        return Err(ImportError::TooManyEvents {
            events,
            limit: limits.max_events,
        });
    }
    if !c.found_events {
        return Err(ImportError::NoTraceEvents);
    }
    progress.read_all(events);
    c.finish(progress)
}

/// A process or thread id: a number, or a text (some tools write names).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Id<'a> {
    Num(i64),
    Text(Cow<'a, str>),
}

impl std::fmt::Display for Id<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Num(n) => write!(f, "{n}"),
            Self::Text(t) => f.write_str(t),
        }
    }
}

#[derive(Debug)]
pub(super) struct Thread<'a> {
    pub(super) pid: Id<'a>,
    pub(super) tid: Id<'a>,
    pub(super) name: Option<Cow<'a, str>>,
    pub(super) sort: Option<i64>,
    pub(super) kind: Option<LaneKind>,
    /// Whether it has a name, a slice or an instant: then it is a lane.
    pub(super) used: bool,
}

#[derive(Debug, Default)]
pub(super) struct Process<'a> {
    pub(super) name: Option<Cow<'a, str>>,
    pub(super) sort: Option<i64>,
}

/// A label not given.
pub(super) const NO_LABEL: u32 = u32::MAX;

/// What a slice's category (`cat`) says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cat {
    /// Lanes' own state slices (`lanes`).
    Lanes,
    /// Lanes' own call slices (`lanes.call`).
    LanesCall,
    /// per4m's GIL slices (`GIL state`).
    Per4mGil,
    /// per4m's scheduler slices (`process state`).
    Per4mSched,
    /// Anything else.
    Other,
}

impl Cat {
    fn of(cat: Option<&Scalar<'_>>) -> Self {
        match cat.and_then(Scalar::as_str) {
            Some(names::CAT_SPAN) => Self::Lanes,
            Some(names::CAT_CALL) => Self::LanesCall,
            Some(names::CAT_PER4M_GIL) => Self::Per4mGil,
            Some(names::CAT_PER4M_SCHED) => Self::Per4mSched,
            _ => Self::Other,
        }
    }
}

/// What a slice says of itself besides its times.
#[derive(Clone, Copy, Debug)]
pub(super) struct SliceInfo {
    pub(super) state: State,
    /// Whether its name is a state's: then it is a state slice, not a call.
    pub(super) named_state: bool,
    /// Its name (a call's) or `args.label` (a Lanes state slice's).
    pub(super) label: u32,
    pub(super) cat: Cat,
    pub(super) task: Option<u32>,
    pub(super) holder: Option<u32>,
    /// A Lanes call slice's depth and name (`args.depth`, `args.name_id`).
    pub(super) depth: Option<u16>,
    pub(super) name_id: Option<u32>,
}

/// A slice, on a thread of the file.
#[derive(Clone, Copy, Debug)]
pub(super) struct SpanRec {
    pub(super) thread: u32,
    pub(super) start: f64,
    pub(super) end: f64,
    pub(super) info: SliceInfo,
}

/// A `B` or `E` event (or per4m's `b`/`e`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Mark {
    pub(super) thread: u32,
    pub(super) at: f64,
    pub(super) begin: bool,
    pub(super) info: SliceInfo,
}

#[derive(Debug)]
pub(super) enum Pending {
    /// A Lanes event, its lanes already lane indices.
    Ready(EventKind),
    /// An instant on a thread of the file, or on none.
    Instant { thread: Option<u32>, name: String },
}

#[derive(Debug)]
pub(super) struct Collector<'a> {
    pub(super) limits: ImportLimits,
    /// Why reading stopped, when it was the importer's choice.
    pub(super) error: Option<ImportError>,
    /// Elements of `traceEvents` read.
    pub(super) seen: usize,
    /// Elements past the limit, counted only.
    pub(super) counted: usize,
    pub(super) in_events: bool,
    pub(super) found_events: bool,
    pub(super) metadata: Option<Value>,
    pub(super) notes: Vec<String>,
    pub(super) threads: Vec<Thread<'a>>,
    pub(super) thread_index: HashMap<(Id<'a>, Id<'a>), u32>,
    pub(super) last_thread: Option<(Id<'a>, Id<'a>, u32)>,
    pub(super) processes: BTreeMap<Id<'a>, Process<'a>>,
    pub(super) labels: Vec<Cow<'a, str>>,
    pub(super) label_index: HashMap<Cow<'a, str>, u32>,
    pub(super) spans: Vec<SpanRec>,
    pub(super) marks: Vec<Mark>,
    pub(super) events: Vec<(f64, Pending)>,
    pub(super) skipped: BTreeMap<SkipReason, usize>,
    pub(super) foreign_flows: usize,
    pub(super) earliest: f64,
    /// Whether the file has VizTracer's own metadata (`viztracer_metadata`).
    pub(super) viztracer: bool,
    /// Open async slices (`b` without its `e` yet), by thread, id and name.
    pub(super) open_async: HashMap<(u32, String, String), (f64, SliceInfo)>,
    /// The events of a Lanes audio track (category `lanes.audio`), kept
    /// aside until the metadata says whether the file has one.
    pub(super) audio: Vec<AudioMark>,
}

/// A name from the file, with invisible characters made visible (see
/// [`crate::words::visible`]): names are shown as text, and a right-to-left
/// override in one must not turn a line of the page around.
fn text(s: Option<Scalar<'_>>) -> Option<Cow<'_, str>> {
    match s {
        Some(Scalar::Text(t)) => Some(match crate::words::visible(&t) {
            Cow::Borrowed(_) => t,
            Cow::Owned(shown) => Cow::Owned(shown),
        }),
        _ => None,
    }
}

fn time(
    index: usize,
    field: &'static str,
    meaning: &'static str,
    value: Option<&Scalar<'_>>,
) -> Result<f64, ImportError> {
    let Some(value) = value else {
        return Err(ImportError::MissingField {
            index,
            field,
            meaning,
        });
    };
    match value.as_f64() {
        Some(t) if t.is_finite() => Ok(t),
        Some(_) => Err(ImportError::NotFinite { index, field }),
        None => Err(ImportError::BadField {
            index,
            field,
            expected: "a number of microseconds",
            found: value.describe(),
        }),
    }
}

fn id<'a>(index: usize, field: &'static str, value: Scalar<'a>) -> Result<Id<'a>, ImportError> {
    if let Some(n) = value.as_int::<i64>() {
        return Ok(Id::Num(n));
    }
    match value {
        // A number written as a text (per4m writes its thread ids so) is
        // the same thread as the number; per4m's GIL "process" `1234-GIL`
        // is process 1234.
        Scalar::Text(t) => Ok(match t.strip_suffix("-GIL").unwrap_or(&t).parse::<i64>() {
            Ok(n) => Id::Num(n),
            Err(_) => Id::Text(t),
        }),
        other => Err(ImportError::BadField {
            index,
            field,
            expected: "a whole number (or a text)",
            found: other.describe(),
        }),
    }
}

impl<'a> Collector<'a> {
    fn new(limits: ImportLimits) -> Self {
        Self {
            limits,
            error: None,
            seen: 0,
            counted: 0,
            in_events: false,
            found_events: false,
            metadata: None,
            notes: Vec::new(),
            threads: Vec::new(),
            thread_index: HashMap::new(),
            last_thread: None,
            processes: BTreeMap::new(),
            labels: Vec::new(),
            label_index: HashMap::new(),
            spans: Vec::new(),
            marks: Vec::new(),
            events: Vec::new(),
            skipped: BTreeMap::new(),
            foreign_flows: 0,
            earliest: f64::INFINITY,
            viztracer: false,
            open_async: HashMap::new(),
            audio: Vec::new(),
        }
    }

    /// A JSON reader's error, in the importer's words.
    fn json_error(&self, e: &serde_json::Error) -> ImportError {
        let (line, column) = (e.line(), e.column());
        let event = self.in_events.then_some(self.seen);
        let message = e.to_string();
        let reason = message
            .strip_suffix(&format!(" at line {line} column {column}"))
            .unwrap_or(&message)
            .to_owned();
        if e.is_eof() {
            ImportError::Truncated {
                line,
                column,
                event,
            }
        } else if reason.starts_with("recursion limit exceeded") {
            ImportError::TooDeep {
                line,
                column,
                event,
            }
        } else if is_stop(&reason) {
            // The importer stopped but kept no reason: cannot happen, but
            // say something true rather than panic.
            ImportError::Syntax {
                reason: "the reading stopped early".to_owned(),
                line,
                column,
                event,
            }
        } else {
            ImportError::Syntax {
                reason,
                line,
                column,
                event,
            }
        }
    }

    pub(super) fn skip(&mut self, reason: SkipReason) {
        *self.skipped.entry(reason).or_insert(0) += 1;
    }

    fn note_time(&mut self, at: f64) {
        self.earliest = self.earliest.min(at);
    }

    fn label(&mut self, name: Cow<'a, str>) -> u32 {
        if let Some(&i) = self.label_index.get(name.as_ref()) {
            return i;
        }
        let i = u32::try_from(self.labels.len()).unwrap_or(NO_LABEL);
        self.labels.push(name.clone());
        self.label_index.insert(name, i);
        i
    }

    fn pid(index: usize, e: &mut RawEvent<'a>) -> Result<Id<'a>, ImportError> {
        e.pid.take().map_or(Ok(Id::Num(0)), |p| id(index, "pid", p))
    }

    /// The thread of an event, by its `pid` (0 when absent) and `tid` (the
    /// pid when absent, as Perfetto does).
    fn thread(&mut self, index: usize, e: &mut RawEvent<'a>) -> Result<u32, ImportError> {
        let pid = Self::pid(index, e)?;
        let tid = match e.tid.take() {
            Some(t) => id(index, "tid", t)?,
            None => pid.clone(),
        };
        if let Some((p, t, i)) = &self.last_thread
            && *p == pid
            && *t == tid
        {
            return Ok(*i);
        }
        let i = match self.thread_index.get(&(pid.clone(), tid.clone())) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.threads.len()).unwrap_or(u32::MAX);
                self.threads.push(Thread {
                    pid: pid.clone(),
                    tid: tid.clone(),
                    name: None,
                    sort: None,
                    kind: None,
                    used: false,
                });
                self.thread_index.insert((pid.clone(), tid.clone()), i);
                i
            }
        };
        self.last_thread = Some((pid, tid, i));
        Ok(i)
    }

    pub(super) fn use_thread(&mut self, thread: u32) {
        if let Some(t) = self.threads.get_mut(thread as usize) {
            t.used = true;
        }
    }

    /// What a slice says of itself: its state and label from its name
    /// (and, for Lanes's own slices, `args.label`), its category and args.
    fn slice_info(&mut self, e: &mut RawEvent<'a>) -> SliceInfo {
        let cat = Cat::of(e.cat.as_ref());
        let (state, named_state, label) = match text(e.name.take()) {
            Some(name) => match name.parse::<State>() {
                Ok(state) => {
                    let label = if cat == Cat::Lanes {
                        text(e.args.label.take()).map_or(NO_LABEL, |l| self.label(l))
                    } else {
                        NO_LABEL
                    };
                    (state, true, label)
                }
                Err(_) => (State::Running, false, self.label(name)),
            },
            None => (State::Running, false, NO_LABEL),
        };
        SliceInfo {
            state,
            named_state,
            label,
            cat,
            task: e.args.task.as_ref().and_then(Scalar::as_int::<u32>),
            holder: e.args.holder.as_ref().and_then(Scalar::as_int::<u32>),
            depth: e.args.depth.as_ref().and_then(Scalar::as_int::<u16>),
            name_id: e.args.name_id.as_ref().and_then(Scalar::as_int::<u32>),
        }
    }

    fn take(&mut self, index: usize, mut e: RawEvent<'a>) -> Result<(), ImportError> {
        let ph = match e.ph.take() {
            Some(Scalar::Text(ph)) => ph,
            Some(other) => {
                return Err(ImportError::BadField {
                    index,
                    field: "ph",
                    expected: "a text such as \"X\"",
                    found: other.describe(),
                });
            }
            None => {
                return Err(ImportError::MissingField {
                    index,
                    field: "ph",
                    meaning: "the event's type, such as \"X\" for a slice",
                });
            }
        };
        match ph.as_ref() {
            "X" => self.complete(index, e),
            "B" => self.begin_or_end(index, e, true),
            "E" => self.begin_or_end(index, e, false),
            // per4m writes its GIL holdings as async slices; others' are skipped.
            "b" | "e" if Cat::of(e.cat.as_ref()) == Cat::Per4mGil => {
                self.async_slice(index, e, ph == "b")
            }
            "M" => self.metadata_event(index, e),
            "C" if audio_cat(&e) => {
                self.audio_counter(&e);
                Ok(())
            }
            "i" | "I" | "R" | "n" => self.instant(index, e),
            "s" | "t" | "f" => self.flow(index, e, &ph),
            other => {
                self.skip(SkipReason::Phase(other.to_owned()));
                Ok(())
            }
        }
    }

    fn complete(&mut self, index: usize, mut e: RawEvent<'a>) -> Result<(), ImportError> {
        let start = time(index, "ts", "its start time in µs", e.ts.as_ref())?;
        let dur = time(index, "dur", "its duration in µs", e.dur.as_ref())?;
        if dur < 0.0 {
            return Err(ImportError::NegativeDuration { index, dur_us: dur });
        }
        let lanes = matches!(Cat::of(e.cat.as_ref()), Cat::Lanes | Cat::LanesCall);
        // Lanes writes the exact end beside `dur` when `ts + dur` cannot give it.
        let exact_end = e
            .args
            .end_us
            .as_ref()
            .and_then(Scalar::as_f64)
            .filter(|end| lanes && end.is_finite() && *end >= start);
        let end = exact_end.unwrap_or(start + dur);
        if !end.is_finite() {
            return Err(ImportError::NotFinite {
                index,
                field: "dur",
            });
        }
        let thread = self.thread(index, &mut e)?;
        let info = self.slice_info(&mut e);
        self.use_thread(thread);
        self.note_time(start);
        self.spans.push(SpanRec {
            thread,
            start,
            end,
            info,
        });
        Ok(())
    }

    fn begin_or_end(
        &mut self,
        index: usize,
        mut e: RawEvent<'a>,
        begin: bool,
    ) -> Result<(), ImportError> {
        let at = time(index, "ts", "its time in µs", e.ts.as_ref())?;
        let thread = self.thread(index, &mut e)?;
        let info = if begin {
            self.slice_info(&mut e)
        } else {
            SliceInfo {
                state: State::Running,
                named_state: false,
                label: NO_LABEL,
                cat: Cat::of(e.cat.as_ref()),
                task: None,
                holder: None,
                depth: None,
                name_id: None,
            }
        };
        self.note_time(at);
        self.marks.push(Mark {
            thread,
            at,
            begin,
            info,
        });
        Ok(())
    }

    /// per4m's async `b`/`e` slice ends, paired by thread, `id` and name
    /// (its `GIL`, `GIL(take)` and `GIL(drop)` of one holding share an id).
    fn async_slice(
        &mut self,
        index: usize,
        mut e: RawEvent<'a>,
        begin: bool,
    ) -> Result<(), ImportError> {
        let at = time(index, "ts", "its time in µs", e.ts.as_ref())?;
        let thread = self.thread(index, &mut e)?;
        self.note_time(at);
        let id = e.id.as_ref().map(Scalar::describe).unwrap_or_default();
        let name = e.name.as_ref().map(Scalar::describe).unwrap_or_default();
        let key = (thread, id, name);
        if begin {
            let info = self.slice_info(&mut e);
            self.open_async.insert(key, (at, info));
        } else if let Some((start, info)) = self.open_async.remove(&key) {
            self.use_thread(thread);
            self.spans.push(SpanRec {
                thread,
                start,
                end: at.max(start),
                info,
            });
        } else {
            self.skip(SkipReason::EndWithoutBegin);
        }
        Ok(())
    }

    fn metadata_event(&mut self, index: usize, mut e: RawEvent<'a>) -> Result<(), ImportError> {
        let name = text(e.name.take());
        let Some(name) = name else {
            self.skip(SkipReason::Metadata(String::new()));
            return Ok(());
        };
        match name.as_ref() {
            names::THREAD_NAME => match text(e.args.name.take()) {
                Some(label) => {
                    let thread = self.thread(index, &mut e)?;
                    let kind = e
                        .args
                        .kind
                        .as_ref()
                        .and_then(Scalar::as_str)
                        .and_then(|k| k.parse::<LaneKind>().ok());
                    if let Some(t) = self.threads.get_mut(thread as usize) {
                        t.name = Some(label);
                        t.kind = kind.or(t.kind);
                        t.used = true;
                    }
                }
                None => self.skip(SkipReason::Metadata(name.into_owned())),
            },
            names::THREAD_SORT_INDEX => {
                match e.args.sort_index.as_ref().and_then(Scalar::as_int::<i64>) {
                    Some(sort) => {
                        let thread = self.thread(index, &mut e)?;
                        if let Some(t) = self.threads.get_mut(thread as usize) {
                            t.sort = Some(sort);
                        }
                    }
                    None => self.skip(SkipReason::Metadata(name.into_owned())),
                }
            }
            names::PROCESS_NAME => match text(e.args.name.take()) {
                Some(label) => {
                    let pid = Self::pid(index, &mut e)?;
                    self.processes.entry(pid).or_default().name = Some(label);
                }
                None => self.skip(SkipReason::Metadata(name.into_owned())),
            },
            names::PROCESS_SORT_INDEX => {
                match e.args.sort_index.as_ref().and_then(Scalar::as_int::<i64>) {
                    Some(sort) => {
                        let pid = Self::pid(index, &mut e)?;
                        self.processes.entry(pid).or_default().sort = Some(sort);
                    }
                    None => self.skip(SkipReason::Metadata(name.into_owned())),
                }
            }
            _ => self.skip(SkipReason::Metadata(name.into_owned())),
        }
        Ok(())
    }

    fn lanes_event(&mut self, at: f64, kind: Option<EventKind>) {
        match kind {
            Some(kind) => self.events.push((at, Pending::Ready(kind))),
            None => self.skip(SkipReason::UnreadableLanesEvent),
        }
    }

    fn instant(&mut self, index: usize, mut e: RawEvent<'a>) -> Result<(), ImportError> {
        let at = time(index, "ts", "its time in µs", e.ts.as_ref())?;
        self.note_time(at);
        let cat = e.cat.take();
        let name = text(e.name.take());
        if cat.as_ref().and_then(Scalar::as_str) == Some(names::CAT_GIL) {
            match name.as_deref() {
                Some(names::GIL_HANDOFF) => {
                    self.lanes_event(at, handoff(&e));
                    return Ok(());
                }
                Some(names::FORCED_SWITCH) => {
                    let lane = e.args.lane.as_ref().and_then(Scalar::as_int::<u32>);
                    self.lanes_event(at, lane.map(|lane| EventKind::ForcedSwitch { lane }));
                    return Ok(());
                }
                _ => {}
            }
        }
        let global = matches!(e.s.as_ref().and_then(Scalar::as_str), Some("g" | "p"));
        let thread = if global {
            None
        } else {
            let thread = self.thread(index, &mut e)?;
            self.use_thread(thread);
            Some(thread)
        };
        let name = name.map_or_else(|| "(unnamed)".to_owned(), Cow::into_owned);
        if cat.as_ref().and_then(Scalar::as_str) == Some(CAT_AUDIO) {
            let block = (name == BLOCK_DUE).then(|| audio_block(at, &e)).flatten();
            self.audio.push(AudioMark::Instant {
                at,
                thread,
                name,
                block,
            });
        } else {
            self.events.push((at, Pending::Instant { thread, name }));
        }
        Ok(())
    }

    /// A counter in the audio category: kept aside as a fill sample when it
    /// is the buffer's and can be read, skipped as any counter otherwise.
    fn audio_counter(&mut self, e: &RawEvent<'a>) {
        let at = e.ts.as_ref().and_then(Scalar::as_f64);
        let frames = e.args.frames.as_ref().and_then(Scalar::as_int::<u32>);
        let named = e.name.as_ref().and_then(Scalar::as_str) == Some(AUDIO_BUFFER);
        match (at, frames) {
            (Some(at_us), Some(frames)) if named => {
                self.audio
                    .push(AudioMark::Fill(FillSample { at_us, frames }));
            }
            _ => self.skip(SkipReason::Phase("C".to_owned())),
        }
    }

    fn flow(&mut self, index: usize, mut e: RawEvent<'a>, ph: &str) -> Result<(), ImportError> {
        let at = time(index, "ts", "its time in µs", e.ts.as_ref())?;
        self.note_time(at);
        let cat = e.cat.take();
        let name = text(e.name.take());
        match (cat.as_ref().and_then(Scalar::as_str), name.as_deref()) {
            (Some(names::CAT_GIL), Some(names::GIL_HANDOFF)) => {
                // The start holds the whole hand-off; the end only draws the arrow.
                if ph == "s" {
                    self.lanes_event(at, handoff(&e));
                }
            }
            (Some(names::CAT_MESSAGE), Some(names::MESSAGE)) => match ph {
                "s" => self.lanes_event(at, message(&e, true)),
                "f" => self.lanes_event(at, message(&e, false)),
                _ => {}
            },
            _ => {
                let thread = self.thread(index, &mut e)?;
                self.use_thread(thread);
                self.foreign_flows += 1;
                let name = name.map_or_else(|| "(flow)".to_owned(), Cow::into_owned);
                self.events.push((
                    at,
                    Pending::Instant {
                        thread: Some(thread),
                        name,
                    },
                ));
            }
        }
        Ok(())
    }
}

/// Whether an event is in the audio category.
fn audio_cat(e: &RawEvent<'_>) -> bool {
    e.cat.as_ref().and_then(Scalar::as_str) == Some(CAT_AUDIO)
}

/// A `block due` instant's block and its index: the times in µs
/// (`args.late_us`, `args.ready_us`), or from ms when only those are there.
fn audio_block(at: f64, e: &RawEvent<'_>) -> Option<(u64, AudioBlock)> {
    let block = e.args.block.as_ref()?.as_int::<u64>()?;
    let us = |us: &Option<Scalar<'_>>, ms: &Option<Scalar<'_>>| {
        us.as_ref()
            .and_then(Scalar::as_f64)
            .or_else(|| ms.as_ref().and_then(Scalar::as_f64).map(|ms| ms * 1000.0))
    };
    let late_us = us(&e.args.late_us, &e.args.late_ms)?;
    let ready_us = us(&e.args.ready_us, &e.args.ready_ms);
    Some((
        block,
        AudioBlock {
            due_us: at,
            ready_us,
            late_us,
        },
    ))
}

fn handoff(e: &RawEvent<'_>) -> Option<EventKind> {
    let to = e.args.to.as_ref()?.as_int::<u32>()?;
    let from = match &e.args.from {
        None | Some(Scalar::Null) => None,
        Some(from) => Some(from.as_int::<u32>()?),
    };
    Some(EventKind::Handoff { from, to })
}

fn message(e: &RawEvent<'_>, send: bool) -> Option<EventKind> {
    let from = e.args.from.as_ref()?.as_int::<u32>()?;
    let to = e.args.to.as_ref()?.as_int::<u32>()?;
    let bytes = e.args.bytes.as_ref()?.as_int::<u64>()?;
    let id = e.args.id.as_ref()?.as_int::<u64>()?;
    Some(EventKind::message(send, from, to, bytes, id))
}

impl<'a> Sink<'a> for Collector<'a> {
    fn event(&mut self, slot: Slot<'a>) -> bool {
        let index = self.seen;
        self.seen += 1;
        let result = match slot {
            Slot::Event(e) => self.take(index, e),
            Slot::NotAnObject(found) => Err(ImportError::NotAnObject { index, found }),
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    fn metadata(&mut self, value: Value) {
        self.metadata = Some(value);
    }

    fn events_start(&mut self) {
        self.found_events = true;
        self.in_events = true;
    }

    fn events_end(&mut self) {
        self.in_events = false;
    }

    fn wrong_shape(&mut self, where_: Shape, found: &'static str) {
        self.error = Some(match where_ {
            Shape::TopLevel => ImportError::NotATrace { found },
            Shape::TraceEvents => ImportError::EventsNotAList { found },
        });
    }

    fn other_key(&mut self, key: &str) {
        if key == "viztracer_metadata" {
            self.viztracer = true;
        }
        if key == "systemTraceEvents" {
            self.notes.push(
                "The file's \"systemTraceEvents\" (a Linux kernel trace) were not read.".to_owned(),
            );
        }
    }

    fn wants_events(&self) -> bool {
        self.seen < self.limits.max_events
    }

    fn count_only(&mut self) {
        self.counted += 1;
    }
}

#[cfg(test)]
mod tests;

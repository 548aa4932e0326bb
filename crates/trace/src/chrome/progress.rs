//! How far an import has come, told to its caller (a web worker that posts
//! it to the page) about a hundred times in all, never once per event.

use serde_json::Value;

use super::raw::{Shape, Sink, Slot};

/// What an import is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImportPhase {
    /// Reading the file's events; `done` and `total` count events.
    Reading,
    /// Making the trace of what was read (lanes, calls, the states they
    /// imply, the GIL, validation); `done` and `total` count these steps.
    Building,
}

/// How far an import has come: `done` of `total` in `phase`.
///
/// Within a phase `done` never goes back and never passes `total`; the last
/// report of an import that succeeds has `done == total` in
/// [`ImportPhase::Building`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportProgress {
    /// What the import is doing.
    pub phase: ImportPhase,
    /// How much of it is done.
    pub done: u64,
    /// How much there is.
    pub total: u64,
}

impl ImportProgress {
    /// The most reports one import makes: up to 100 while reading, one
    /// when reading ends, and one as building starts and after each of its
    /// steps.
    pub const MAX_REPORTS: usize = READING_REPORTS as usize + 1 + BUILDING_STEPS as usize + 1;
}

/// Reports while reading, at most: one per hundredth of the events.
const READING_REPORTS: u64 = 100;

/// The steps of [`ImportPhase::Building`].
pub(super) const BUILDING_STEPS: u64 = 4;

/// The caller's report function, and how often to call it.
pub(super) struct Progress<'p> {
    report: &'p mut dyn FnMut(ImportProgress),
    /// The events to read, when the census counted them.
    total: Option<u64>,
    /// Events read between two reports.
    every: u64,
    /// The count of events read at which to report next (`u64::MAX`: none
    /// before the end).
    next: u64,
    /// The last count reported while reading, so that a second reading of
    /// the same file (a list cut short, closed) never goes back.
    reported: u64,
}

impl std::fmt::Debug for Progress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("total", &self.total)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl<'p> Progress<'p> {
    /// Reports to `report`; `events` is the census's count, if it ran
    /// (without it, reading is reported only when it ends).
    pub(super) fn new(report: &'p mut dyn FnMut(ImportProgress), events: Option<usize>) -> Self {
        let total = events.map(|n| n as u64);
        let every = total.map_or(u64::MAX, |n| n.div_ceil(READING_REPORTS).max(1));
        Self {
            report,
            total,
            every,
            next: every,
            reported: 0,
        }
    }

    /// `done` events have been read.
    #[inline]
    fn read(&mut self, done: u64) {
        if done >= self.next {
            self.next = self.next.saturating_add(self.every);
            self.tell_read(done);
        }
    }

    /// Reading ended after `events` events.
    pub(super) fn read_all(&mut self, events: usize) {
        let events = events as u64;
        let total = self.total.unwrap_or(events);
        self.total = Some(total);
        self.tell_read(events);
    }

    fn tell_read(&mut self, done: u64) {
        let Some(total) = self.total else { return };
        let done = done.min(total);
        if done >= self.reported {
            self.reported = done;
            (self.report)(ImportProgress {
                phase: ImportPhase::Reading,
                done,
                total,
            });
        }
    }

    /// `done` of the [`BUILDING_STEPS`] are done.
    pub(super) fn built(&mut self, done: u64) {
        (self.report)(ImportProgress {
            phase: ImportPhase::Building,
            done: done.min(BUILDING_STEPS),
            total: BUILDING_STEPS,
        });
    }
}

/// A [`Sink`] that counts the events read into `sink` and tells `progress`.
pub(super) struct Ticking<'s, 'p, S> {
    pub(super) sink: &'s mut S,
    pub(super) progress: &'s mut Progress<'p>,
    pub(super) done: u64,
}

impl<'de, S: Sink<'de>> Sink<'de> for Ticking<'_, '_, S> {
    fn event(&mut self, slot: Slot<'de>) -> bool {
        self.done += 1;
        self.progress.read(self.done);
        self.sink.event(slot)
    }

    fn metadata(&mut self, value: Value) {
        self.sink.metadata(value);
    }

    fn events_start(&mut self) {
        self.sink.events_start();
    }

    fn events_end(&mut self) {
        self.sink.events_end();
    }

    fn wrong_shape(&mut self, where_: Shape, found: &'static str) {
        self.sink.wrong_shape(where_, found);
    }

    fn other_key(&mut self, key: &str) {
        self.sink.other_key(key);
    }

    fn wants_events(&self) -> bool {
        self.sink.wants_events()
    }

    fn count_only(&mut self) {
        self.done += 1;
        self.progress.read(self.done);
        self.sink.count_only();
    }
}

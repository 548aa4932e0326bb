//! The spans and events of a simulated run, kept lane by lane so that the
//! trace comes out sorted without sorting, and counted against the cap.

use lanes_trace::{Event, EventKind, Lane, Meta, Span, State, Trace};

use crate::{MAX_SPANS, SimError};

/// What a simulated run produced so far.
#[derive(Debug)]
pub(crate) struct Recorder {
    lanes: Vec<Vec<Span>>,
    /// `(lane, index on that lane, label)` for the few labelled spans.
    labels: Vec<(u32, usize, String)>,
    events: Vec<Event>,
    spans: usize,
}

impl Recorder {
    /// An empty run of `lanes` lanes.
    pub(crate) fn new(lanes: usize) -> Self {
        Self {
            lanes: vec![Vec::new(); lanes],
            labels: Vec::new(),
            events: Vec::new(),
            spans: 0,
        }
    }

    /// Adds a span, unless it is empty; fails once the run holds more than
    /// [`MAX_SPANS`].
    pub(crate) fn span(
        &mut self,
        lane: u32,
        state: State,
        task: Option<u32>,
        start_us: f64,
        end_us: f64,
    ) -> Result<(), SimError> {
        self.push(Span {
            lane,
            state,
            start_us,
            end_us,
            task,
            holder: None,
        })
    }

    /// [`Recorder::span`] for a span built whole, e.g. a GIL lane's with its
    /// holder.
    pub(crate) fn push(&mut self, span: Span) -> Result<(), SimError> {
        if span.end_us <= span.start_us {
            return Ok(());
        }
        self.spans += 1;
        if self.spans > MAX_SPANS {
            return Err(SimError::TooManySpans);
        }
        if let Some(spans) = self.lanes.get_mut(span.lane as usize) {
            spans.push(span);
        }
        Ok(())
    }

    /// Adds `span`, if there is one; fails once the run holds more than
    /// [`MAX_SPANS`].
    pub(crate) fn add(&mut self, span: Option<Span>) -> Result<(), SimError> {
        match span {
            Some(s) => self.push(s),
            None => Ok(()),
        }
    }

    /// Adds a span with a text label; an empty one is kept too, so that a
    /// lane's story (e.g. a copy of nothing) stays whole.
    pub(crate) fn labelled(
        &mut self,
        lane: u32,
        state: State,
        start_us: f64,
        end_us: f64,
        label: String,
    ) -> Result<(), SimError> {
        let span = Span {
            lane,
            state,
            start_us,
            end_us,
            task: None,
            holder: None,
        };
        self.push_labelled(span, label)
    }

    /// [`Recorder::labelled`] for a span built whole, e.g. with its task.
    pub(crate) fn push_labelled(&mut self, span: Span, label: String) -> Result<(), SimError> {
        let Some(spans) = self.lanes.get_mut(span.lane as usize) else {
            return Ok(());
        };
        self.labels.push((span.lane, spans.len(), label));
        spans.push(Span {
            end_us: span.end_us.max(span.start_us),
            ..span
        });
        self.spans += 1;
        if self.spans > MAX_SPANS {
            return Err(SimError::TooManySpans);
        }
        Ok(())
    }

    /// Adds an event.
    pub(crate) fn event(&mut self, at_us: f64, kind: EventKind) {
        self.events.push(Event { at_us, kind });
    }

    /// The end of the last span on `lane` so far.
    #[cfg(test)]
    pub(crate) fn lane_end(&self, lane: u32) -> f64 {
        self.lanes
            .get(lane as usize)
            .and_then(|spans| spans.last())
            .map_or(0.0, |s| s.end_us)
    }

    /// The trace: spans lane by lane (each lane's already in time order),
    /// events by time (a stable sort keeps causes before effects that share
    /// a time).
    pub(crate) fn finish(self, meta: Meta, lanes: Vec<Lane>) -> Trace {
        if self.labels.is_empty() {
            let spans = self.lanes.into_iter().flatten().collect();
            return Trace::new(meta, lanes, spans).with_events(self.events);
        }
        let mut labels = self.labels;
        labels.sort_by_key(|&(lane, index, _)| (lane, index));
        let mut labels = labels.into_iter().peekable();
        let mut spans = Vec::with_capacity(self.spans);
        for (lane, lane_spans) in (0_u32..).zip(self.lanes) {
            for (index, span) in lane_spans.into_iter().enumerate() {
                let label = labels
                    .next_if(|(l, i, _)| *l == lane && *i == index)
                    .map(|(_, _, text)| text);
                spans.push((span, label));
            }
        }
        Trace::new_labelled(meta, lanes, spans).with_events(self.events)
    }
}

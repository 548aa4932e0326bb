//! Checks that a trace describes something that could have happened.

use crate::calls::call_order;
use crate::model::span_order;
use crate::{Audio, LaneKind, Trace};

/// What is wrong with a trace, and where.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TraceError {
    /// A span's times are not finite numbers.
    #[error("span {index} has a time that is not a finite number")]
    NotFinite {
        /// Position of the span in the trace.
        index: usize,
    },
    /// A span ends before it starts.
    #[error("span {index} ends at {end_us} µs, before it starts at {start_us} µs")]
    EndsBeforeStart {
        /// Position of the span in the trace.
        index: usize,
        /// Its start.
        start_us: f64,
        /// Its end.
        end_us: f64,
    },
    /// A span names a lane the trace does not have.
    #[error("span {index} is on lane {lane}, but the trace has {lanes} lanes")]
    UnknownLane {
        /// Position of the span in the trace.
        index: usize,
        /// The lane it names.
        lane: u32,
        /// How many lanes there are.
        lanes: usize,
    },
    /// A span names a holder off a GIL lane, a holder that is not a thread
    /// or process lane, or a task on a GIL lane (whose spans name their
    /// holder instead).
    #[error("span {index} on lane {lane} names a holder or task its lane cannot have")]
    MisplacedHolder {
        /// Position of the span in the trace.
        index: usize,
        /// Its lane.
        lane: u32,
    },
    /// Two spans overlap on one thread or process lane.
    #[error("spans {first} and {second} overlap on lane {lane} ({name})")]
    Overlap {
        /// The lane.
        lane: u32,
        /// The lane's name.
        name: String,
        /// Position of the earlier span.
        first: usize,
        /// Position of the later span.
        second: usize,
    },
    /// An event's time is not a finite number.
    #[error("event {index} has a time that is not a finite number")]
    EventNotFinite {
        /// Position of the event in the trace.
        index: usize,
    },
    /// An event names a lane the trace does not have.
    #[error("event {index} refers to lane {lane}, but the trace has {lanes} lanes")]
    EventUnknownLane {
        /// Position of the event in the trace.
        index: usize,
        /// The lane it names.
        lane: u32,
        /// How many lanes there are.
        lanes: usize,
    },
    /// A call's times are not finite, or it ends before it starts.
    #[error("call {index} has a time that is not a finite number, or ends before it starts")]
    CallTimes {
        /// Position of the call in [`Calls::all`](crate::Calls::all).
        index: usize,
    },
    /// A call names a lane or a name the trace does not have.
    #[error("call {index} names lane {lane} or name {name}, which the trace does not have")]
    CallUnknown {
        /// Position of the call.
        index: usize,
        /// The lane it names.
        lane: u32,
        /// The name index it holds.
        name: u32,
    },
    /// Two calls overlap on one row (lane and depth) of a stack.
    #[error("calls {first} and {second} overlap at depth {depth} of lane {lane}")]
    CallOverlap {
        /// The lane.
        lane: u32,
        /// The row.
        depth: u16,
        /// Position of the earlier call.
        first: usize,
        /// Position of the later call.
        second: usize,
    },
    /// Spans or calls are not in their order (spans by lane, start and
    /// end; calls by lane, depth, start and end). A trace built by its
    /// constructors always is; one decoded from bytes may not be.
    #[error("{what} {index} sorts before the {what} before it: the trace is out of order")]
    OutOfOrder {
        /// "span" or "call".
        what: &'static str,
        /// Position of the first one out of order.
        index: usize,
    },
    /// A span label is attached to a span the trace does not have, or the
    /// label table is out of order.
    #[error("a label is attached to span {span}, but the trace has {spans} spans")]
    LabelOnUnknownSpan {
        /// The span the label names.
        span: usize,
        /// How many spans there are.
        spans: usize,
    },
    /// The audio track names a producer lane the trace does not have.
    #[error("the audio track's producer is lane {producer}, but the trace has {lanes} lanes")]
    AudioUnknownProducer {
        /// The lane it names.
        producer: u32,
        /// How many lanes there are.
        lanes: usize,
    },
    /// The audio track's sample rate, block size or buffer size is 0, or
    /// its buffer holds less than one block.
    #[error(
        "the audio track has a sample rate of {sample_rate} Hz, blocks of {block_frames} frames \
         and a buffer of {capacity_frames} frames: each must be more than 0, and the buffer \
         must hold at least one block"
    )]
    AudioSizes {
        /// Frames per second.
        sample_rate: u32,
        /// Frames per block.
        block_frames: u32,
        /// Frames the buffer holds.
        capacity_frames: u32,
    },
    /// The audio track holds more blocks or fill samples than a run can
    /// make.
    #[error("the audio track has {count} {what}, more than the {limit} a run can hold")]
    AudioTooLong {
        /// "blocks" or "fill samples".
        what: &'static str,
        /// How many it has.
        count: usize,
        /// [`Audio::MAX_ITEMS`].
        limit: usize,
    },
    /// An audio block's due, ready or late time is not a finite number of
    /// at least 0 µs.
    #[error(
        "audio block {index} has a due, ready or late time that is not a finite number of at \
         least 0 µs"
    )]
    AudioBlockTimes {
        /// Position of the block.
        index: usize,
    },
    /// A fill sample's time is not a finite number of at least 0 µs, or
    /// it counts more frames than the buffer holds.
    #[error(
        "audio fill sample {index} is at {at_us} µs with {frames} frames: the time must be a \
         finite number of at least 0 µs and the frames at most the buffer's {capacity_frames}"
    )]
    AudioFill {
        /// Position of the sample.
        index: usize,
        /// Its time.
        at_us: f64,
        /// Its frames.
        frames: u32,
        /// Frames the buffer holds.
        capacity_frames: u32,
    },
    /// Audio blocks are not in the order they are due, or fill samples not
    /// in time order.
    #[error("audio {what} {index} comes before the one before it: the audio track is out of order")]
    AudioOutOfOrder {
        /// "block" or "fill sample".
        what: &'static str,
        /// Position of the first one out of order.
        index: usize,
    },
}

impl Trace {
    /// Checks that spans and calls are in their order, then every span:
    /// finite times, end not before start, a known lane, a holder only on a
    /// GIL lane, naming a thread lane, and a task only off one, and no two
    /// spans overlapping on a thread or process lane (one thread does one
    /// thing at a time). Then checks that every event has a
    /// finite time and names known lanes, that every span label names a
    /// span, that every call is sound (see [`Calls`](crate::Calls)), and
    /// that a playback's audio track is (see [`Trace::validate_audio`]).
    pub fn validate(&self) -> Result<(), TraceError> {
        self.validate_spans()?;
        self.validate_events()?;
        self.validate_labels()?;
        self.validate_calls()?;
        self.validate_audio()
    }

    /// The audio track, when there is one: its producer is a lane of the
    /// trace; its sample rate, block and buffer sizes are more than 0 and
    /// the buffer holds a block; it has at most [`Audio::MAX_ITEMS`] blocks
    /// and fill samples; every time is a finite number of at least 0 µs;
    /// blocks come in the order they are due and fill samples in time
    /// order; no sample counts more frames than the buffer holds.
    fn validate_audio(&self) -> Result<(), TraceError> {
        let Some(audio) = self.audio.as_deref() else {
            return Ok(());
        };
        let Audio {
            producer,
            sample_rate,
            block_frames,
            capacity_frames,
            ..
        } = *audio;
        if producer as usize >= self.lanes.len() {
            return Err(TraceError::AudioUnknownProducer {
                producer,
                lanes: self.lanes.len(),
            });
        }
        if sample_rate == 0 || block_frames == 0 || capacity_frames < block_frames {
            return Err(TraceError::AudioSizes {
                sample_rate,
                block_frames,
                capacity_frames,
            });
        }
        for (what, count) in [
            ("blocks", audio.blocks.len()),
            ("fill samples", audio.fill.len()),
        ] {
            if count > Audio::MAX_ITEMS {
                return Err(TraceError::AudioTooLong {
                    what,
                    count,
                    limit: Audio::MAX_ITEMS,
                });
            }
        }
        let time = |t: f64| t.is_finite() && t >= 0.0;
        for (index, b) in audio.blocks.iter().enumerate() {
            if !time(b.due_us) || !time(b.late_us) || !b.ready_us.is_none_or(time) {
                return Err(TraceError::AudioBlockTimes { index });
            }
        }
        if let Some(i) = audio
            .blocks
            .windows(2)
            .position(|p| p[1].due_us < p[0].due_us)
        {
            return Err(TraceError::AudioOutOfOrder {
                what: "block",
                index: i + 1,
            });
        }
        for (index, f) in audio.fill.iter().enumerate() {
            if !time(f.at_us) || f.frames > capacity_frames {
                return Err(TraceError::AudioFill {
                    index,
                    at_us: f.at_us,
                    frames: f.frames,
                    capacity_frames,
                });
            }
        }
        if let Some(i) = audio.fill.windows(2).position(|p| p[1].at_us < p[0].at_us) {
            return Err(TraceError::AudioOutOfOrder {
                what: "fill sample",
                index: i + 1,
            });
        }
        Ok(())
    }

    /// Every call: finite times, end not before start, a known lane and
    /// name, and no two overlapping on one row of a stack.
    fn validate_calls(&self) -> Result<(), TraceError> {
        let calls = self.calls.all();
        let names = self.calls.names().len();
        if let Some(i) = calls
            .windows(2)
            .position(|p| call_order(&p[0], &p[1]).is_gt())
        {
            return Err(TraceError::OutOfOrder {
                what: "call",
                index: i + 1,
            });
        }
        for (index, c) in calls.iter().enumerate() {
            if !c.start_us.is_finite() || !c.end_us.is_finite() || c.end_us < c.start_us {
                return Err(TraceError::CallTimes { index });
            }
            if c.lane as usize >= self.lanes.len() || c.name as usize >= names {
                return Err(TraceError::CallUnknown {
                    index,
                    lane: c.lane,
                    name: c.name,
                });
            }
        }
        // Sorted by lane, depth, then start: neighbours are enough.
        for (i, pair) in calls.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            if a.lane == b.lane && a.depth == b.depth && b.start_us < a.end_us {
                return Err(TraceError::CallOverlap {
                    lane: a.lane,
                    depth: a.depth,
                    first: i,
                    second: i + 1,
                });
            }
        }
        Ok(())
    }

    fn validate_spans(&self) -> Result<(), TraceError> {
        let spans = &self.spans;
        if let Some(i) = spans
            .windows(2)
            .position(|p| span_order(&p[0], &p[1]).is_gt())
        {
            return Err(TraceError::OutOfOrder {
                what: "span",
                index: i + 1,
            });
        }
        for (index, s) in self.spans.iter().enumerate() {
            if !s.start_us.is_finite() || !s.end_us.is_finite() {
                return Err(TraceError::NotFinite { index });
            }
            if s.end_us < s.start_us {
                return Err(TraceError::EndsBeforeStart {
                    index,
                    start_us: s.start_us,
                    end_us: s.end_us,
                });
            }
            if s.lane as usize >= self.lanes.len() {
                return Err(TraceError::UnknownLane {
                    index,
                    lane: s.lane,
                    lanes: self.lanes.len(),
                });
            }
            // A child process's main thread is a process lane, and can hold
            // its process's GIL.
            let thread = |h: u32| {
                matches!(
                    self.lanes.get(h as usize).map(|l| l.kind),
                    Some(LaneKind::Thread | LaneKind::Process)
                )
            };
            let fits = match self.lanes[s.lane as usize].kind {
                LaneKind::Gil => s.task.is_none() && s.holder.is_none_or(thread),
                _ => s.holder.is_none(),
            };
            if !fits {
                return Err(TraceError::MisplacedHolder {
                    index,
                    lane: s.lane,
                });
            }
        }
        // Spans are sorted by lane then start, so neighbours are enough.
        for (i, pair) in self.spans.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            let lane = &self.lanes[a.lane as usize];
            let exclusive = matches!(lane.kind, LaneKind::Thread | LaneKind::Process);
            if exclusive && a.lane == b.lane && b.start_us < a.end_us {
                return Err(TraceError::Overlap {
                    lane: a.lane,
                    name: lane.name.clone(),
                    first: i,
                    second: i + 1,
                });
            }
        }
        Ok(())
    }

    fn validate_events(&self) -> Result<(), TraceError> {
        let lanes = self.lanes.len();
        for (index, e) in self.events.iter().enumerate() {
            if !e.at_us.is_finite() {
                return Err(TraceError::EventNotFinite { index });
            }
            if let Some(lane) = e.kind.lanes().find(|&l| l as usize >= lanes) {
                return Err(TraceError::EventUnknownLane { index, lane, lanes });
            }
        }
        Ok(())
    }

    fn validate_labels(&self) -> Result<(), TraceError> {
        let spans = self.spans.len();
        let texts = self.labels.texts().len();
        let mut previous: Option<u32> = None;
        for &(span, text) in self.labels.entries() {
            let in_order = previous.is_none_or(|p| p < span);
            if !in_order || span as usize >= spans || text as usize >= texts {
                return Err(TraceError::LabelOnUnknownSpan {
                    span: span as usize,
                    spans,
                });
            }
            previous = Some(span);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::tests::{meta, trace_of};
    use crate::{Event, EventKind, LaneKind, Span, Trace, TraceError};

    #[test]
    fn accepts_a_sound_trace() {
        assert_eq!(
            trace_of(2, &[(0, 0.0, 1.0), (0, 1.0, 2.0), (1, 0.5, 3.0)]).validate(),
            Ok(())
        );
    }

    #[test]
    fn names_each_fault() {
        assert!(matches!(
            trace_of(1, &[(0, 5.0, 1.0)]).validate(),
            Err(TraceError::EndsBeforeStart { index: 0, .. })
        ));
        assert!(matches!(
            trace_of(1, &[(3, 0.0, 1.0)]).validate(),
            Err(TraceError::UnknownLane {
                lane: 3,
                lanes: 1,
                ..
            })
        ));
        assert!(matches!(
            trace_of(1, &[(0, 0.0, 2.0), (0, 1.0, 3.0)]).validate(),
            Err(TraceError::Overlap { lane: 0, .. })
        ));
        assert!(matches!(
            trace_of(1, &[(0, f64::NAN, 1.0)]).validate(),
            Err(TraceError::NotFinite { index: 0 })
        ));
        let msg = trace_of(1, &[(0, 0.0, 2.0), (0, 1.0, 3.0)])
            .validate()
            .map_err(|e| e.to_string());
        assert_eq!(
            msg,
            Err("spans 0 and 1 overlap on lane 0 (Thread 1)".to_owned())
        );
    }

    #[test]
    fn only_a_gil_lanes_spans_name_a_holder_a_thread_and_no_task() {
        let t = trace_of(2, &[(0, 0.0, 1.0)]);
        let mut lanes = t.lanes.clone();
        lanes[1].kind = LaneKind::Gil;
        let on = |lane, task, holder| {
            let span = Span {
                lane,
                task,
                holder,
                ..t.spans()[0]
            };
            Trace::new(meta(), lanes.clone(), vec![span]).validate()
        };
        assert_eq!(on(1, None, Some(0)), Ok(()));
        assert_eq!(on(0, Some(3), None), Ok(()));
        for (lane, task, holder) in [
            (1, Some(0), None),
            (1, None, Some(1)),
            (1, None, Some(2)),
            (0, None, Some(0)),
        ] {
            let misplaced = TraceError::MisplacedHolder { index: 0, lane };
            assert_eq!(on(lane, task, holder), Err(misplaced));
        }
    }

    #[test]
    fn checks_events() {
        let t = trace_of(2, &[(0, 0.0, 1.0)]);
        let on = |kind| {
            t.clone()
                .with_events(vec![Event { at_us: 0.5, kind }])
                .validate()
        };
        assert_eq!(on(EventKind::Handoff { from: None, to: 1 }), Ok(()));
        assert_eq!(
            on(EventKind::Handoff {
                from: Some(2),
                to: 1
            }),
            Err(TraceError::EventUnknownLane {
                index: 0,
                lane: 2,
                lanes: 2
            })
        );
        assert!(
            on(EventKind::Send {
                from: 0,
                to: 9,
                bytes: 1,
                id: 0
            })
            .is_err()
        );
        assert_eq!(
            on(EventKind::ForcedSwitch { lane: 5 }).map_err(|e| e.to_string()),
            Err("event 0 refers to lane 5, but the trace has 2 lanes".to_owned())
        );
        let nan = t.with_events(vec![Event {
            at_us: f64::NAN,
            kind: EventKind::ForcedSwitch { lane: 0 },
        }]);
        assert_eq!(nan.validate(), Err(TraceError::EventNotFinite { index: 0 }));
    }

    #[test]
    fn checks_calls() {
        use crate::{Call, Calls};
        let t = trace_of(2, &[(0, 0.0, 1.0)]);
        let call = |lane, depth, start_us, end_us, name| Call {
            lane,
            depth,
            start_us,
            end_us,
            name,
        };
        let with = |calls: Vec<Call>| {
            let mut t = t.clone();
            t.calls = Calls::new(calls, vec!["main".to_owned(), "work".to_owned()]);
            t.validate()
        };
        assert_eq!(
            with(vec![
                call(0, 0, 0.0, 10.0, 0),
                call(0, 1, 1.0, 2.0, 1),
                call(1, 0, 0.0, 5.0, 1)
            ]),
            Ok(())
        );
        assert_eq!(
            with(vec![call(0, 1, 1.0, 3.0, 1), call(0, 1, 2.0, 4.0, 1)]),
            Err(TraceError::CallOverlap {
                lane: 0,
                depth: 1,
                first: 0,
                second: 1
            })
        );
        assert!(matches!(
            with(vec![call(2, 0, 0.0, 1.0, 0)]),
            Err(TraceError::CallUnknown { lane: 2, .. })
        ));
        assert!(matches!(
            with(vec![call(0, 0, 0.0, 1.0, 2)]),
            Err(TraceError::CallUnknown { name: 2, .. })
        ));
        assert_eq!(
            with(vec![call(0, 0, 2.0, 1.0, 0)]),
            Err(TraceError::CallTimes { index: 0 })
        );
        assert_eq!(
            with(vec![call(0, 0, f64::NAN, 1.0, 0)]),
            Err(TraceError::CallTimes { index: 0 })
        );
    }

    #[test]
    fn checks_the_order_of_spans_and_calls() {
        use crate::{Call, Calls};
        let mut t = trace_of(1, &[(0, 0.0, 1.0), (0, 2.0, 3.0)]);
        assert_eq!(t.validate(), Ok(()));
        t.spans.swap(0, 1);
        assert_eq!(
            t.validate(),
            Err(TraceError::OutOfOrder {
                what: "span",
                index: 1
            })
        );
        t.spans.swap(0, 1);
        let call = |depth| Call {
            lane: 0,
            depth,
            start_us: 0.0,
            end_us: 1.0,
            name: 0,
        };
        t.calls = Calls::from_sorted(vec![call(0), call(1)], vec!["main".to_owned()]);
        assert_eq!(t.validate(), Ok(()));
        t.calls = Calls::from_sorted(vec![call(1), call(0)], vec!["main".to_owned()]);
        assert_eq!(
            t.validate().map_err(|e| e.to_string()),
            Err("call 1 sorts before the call before it: the trace is out of order".to_owned())
        );
    }

    #[test]
    fn checks_labels() {
        let t = trace_of(1, &[(0, 0.0, 1.0)]);
        let mut labelled = Trace::new_labelled(
            t.meta().unwrap().clone(),
            t.lanes.clone(),
            vec![(t.spans[0], Some("parse".to_owned()))],
        );
        assert_eq!(labelled.validate(), Ok(()));
        assert_eq!(labelled.span_label(0), Some("parse"));
        labelled.spans.clear();
        assert_eq!(
            labelled.validate(),
            Err(TraceError::LabelOnUnknownSpan { span: 0, spans: 0 })
        );
    }

    #[test]
    fn checks_the_audio_track() {
        use crate::{Audio, AudioBlock, FillSample};
        let t = trace_of(2, &[(0, 0.0, 1.0)]);
        let audio = Audio {
            producer: 1,
            sample_rate: 48_000,
            block_frames: 128,
            capacity_frames: 768,
            audible: false,
            blocks: vec![
                AudioBlock {
                    due_us: 0.0,
                    ready_us: Some(0.0),
                    late_us: 0.0,
                },
                AudioBlock {
                    due_us: 2666.0,
                    ready_us: None,
                    late_us: 500.0,
                },
            ],
            fill: vec![
                FillSample {
                    at_us: 0.0,
                    frames: 768,
                },
                FillSample {
                    at_us: 10.0,
                    frames: 0,
                },
            ],
        };
        let with = |change: &dyn Fn(&mut Audio)| {
            let mut a = audio.clone();
            change(&mut a);
            let mut t = t.clone();
            t.audio = Some(Box::new(a));
            t.validate()
        };
        assert_eq!(with(&|_| {}), Ok(()));
        assert_eq!(
            with(&|a| a.producer = 2).map_err(|e| e.to_string()),
            Err("the audio track's producer is lane 2, but the trace has 2 lanes".to_owned())
        );
        for change in [
            |a: &mut Audio| a.sample_rate = 0,
            |a: &mut Audio| a.block_frames = 0,
            |a: &mut Audio| a.capacity_frames = 127,
        ] {
            assert!(matches!(with(&change), Err(TraceError::AudioSizes { .. })));
        }
        for change in [
            |a: &mut Audio| a.blocks[1].due_us = f64::NAN,
            |a: &mut Audio| a.blocks[1].due_us = -1.0,
            |a: &mut Audio| a.blocks[1].late_us = -0.5,
            |a: &mut Audio| a.blocks[1].ready_us = Some(f64::INFINITY),
        ] {
            assert_eq!(with(&change), Err(TraceError::AudioBlockTimes { index: 1 }));
        }
        assert_eq!(
            with(&|a| a.blocks[0].due_us = 3000.0),
            Err(TraceError::AudioOutOfOrder {
                what: "block",
                index: 1
            })
        );
        assert_eq!(
            with(&|a| a.fill[0].at_us = 20.0).map_err(|e| e.to_string()),
            Err(
                "audio fill sample 1 comes before the one before it: the audio track is out of \
                 order"
                    .to_owned()
            )
        );
        assert!(matches!(
            with(&|a| a.fill[1].frames = 769),
            Err(TraceError::AudioFill {
                index: 1,
                frames: 769,
                capacity_frames: 768,
                ..
            })
        ));
        assert!(matches!(
            with(&|a| a.fill[0].at_us = f64::NAN),
            Err(TraceError::AudioFill { index: 0, .. })
        ));
        let block = audio.blocks[0];
        assert_eq!(
            with(&|a| a.blocks = vec![block; Audio::MAX_ITEMS + 1]),
            Err(TraceError::AudioTooLong {
                what: "blocks",
                count: Audio::MAX_ITEMS + 1,
                limit: Audio::MAX_ITEMS
            })
        );
    }
}

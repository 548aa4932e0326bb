//! Generators of sound traces for property tests: lanes of every kind,
//! spans, labels, events, calls, how the GIL was known, and both sources
//! (a Lanes run of any mode, another tool's file), and a playback's audio
//! track.

use std::collections::HashMap;

use lanes_trace::{
    Audio, AudioBlock, Call, Calls, Event, EventKind, FillSample, Foreign, GilEvidence, Lane,
    LaneKind, Meta, Mode, Model, Scenario, Source, Span, State, Trace, Workload,
};
use proptest::prelude::*;

fn meta() -> impl Strategy<Value = Meta> {
    (
        (
            prop::sample::select(Model::ALL.to_vec()),
            prop::sample::select(Workload::ALL.to_vec()),
            any::<u32>(),
            any::<u64>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
        ),
        prop::sample::select(vec![Mode::Live, Mode::Simulated, Mode::Recorded]),
        any::<u32>(),
        any::<bool>(),
        ".{0,12}",
        // No result, a real 0 (not to be taken for none), or any.
        prop_oneof![Just(None), Just(Some(0)), any::<u64>().prop_map(Some)],
    )
        .prop_map(
            |(
                (model, workload, k, size, tasks, interval_us, latency_us),
                mode,
                cores,
                coi,
                environment,
                result,
            )| Meta {
                scenario: Scenario {
                    model,
                    workload,
                    k,
                    size,
                    tasks,
                    interval_us,
                    latency_us,
                },
                mode,
                cores,
                cross_origin_isolated: coi,
                environment,
                result,
                seed: None,
            },
        )
}

/// Lengths and gaps in µs: zero, whole, fractional, tiny and large.
fn length() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        (0_u32..5000).prop_map(f64::from),
        0.0_f64..1e4,
        0.0_f64..1e-6,
        0.0_f64..1e9,
    ]
}

fn label() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => prop::sample::select(vec!["running", "idle", "gil_wait", "", "parse \"x\"", "Δt → ∞"])
            .prop_map(|s| Some(s.to_owned())),
        1 => ".{0,8}".prop_map(|s| Some(shown(&s))),
    ]
}

/// Names as an import leaves them: invisible characters written as code
/// points (`import_makes_invisible_characters_in_names_visible` checks that
/// part).
fn shown(name: &str) -> String {
    lanes_trace::words::visible(name).into_owned()
}

type LaneSpans = (
    LaneKind,
    String,
    f64,
    Vec<(f64, f64, State, Option<u32>, Option<String>)>,
);

fn lane() -> impl Strategy<Value = LaneSpans> {
    (
        prop::sample::select(LaneKind::ALL.to_vec()),
        ".{0,10}".prop_map(|s| shown(&s)),
        prop_oneof![Just(0.0), 0.0_f64..1e12, -1e6_f64..0.0],
        prop::collection::vec(
            (
                length(),
                length(),
                prop::sample::select(State::ALL.to_vec()),
                prop::option::of(any::<u32>()),
                label(),
            ),
            0..8,
        ),
    )
}

fn event_kind(lanes: u32) -> BoxedStrategy<EventKind> {
    let instant = (prop::option::of(0..lanes.max(1)), ".{0,8}").prop_map(move |(lane, name)| {
        EventKind::Instant {
            lane: lane.filter(|_| lanes > 0),
            name: shown(&name),
        }
    });
    if lanes == 0 {
        return instant.boxed();
    }
    prop_oneof![
        (prop::option::of(0..lanes), 0..lanes)
            .prop_map(|(from, to)| EventKind::Handoff { from, to }),
        (0..lanes).prop_map(|lane| EventKind::ForcedSwitch { lane }),
        (
            0..lanes,
            0..lanes,
            any::<u64>(),
            any::<u64>(),
            any::<bool>()
        )
            .prop_map(|(from, to, bytes, id, send)| EventKind::message(send, from, to, bytes, id)),
        instant,
    ]
    .boxed()
}

/// A Lanes run, or what another tool's file said of itself.
fn source() -> impl Strategy<Value = Source> {
    let foreign = (
        prop::option::of(".{0,8}"),
        prop_oneof![Just(0.0), -1e15_f64..1e15],
        any::<u32>(),
        prop::collection::btree_map(".{0,6}", ".{0,8}", 0..4),
    )
        .prop_map(|(tool, start_us, processes, metadata)| {
            Source::Imported(Foreign {
                tool,
                start_us,
                processes,
                metadata,
            })
        });
    prop_oneof![3 => meta().prop_map(Source::Lanes), 1 => foreign]
}

/// Calls as `(lane, depth, gap, length, name)`, and their names (which may
/// repeat: the table is kept as it is).
type RawCalls = (Vec<(u32, u16, f64, f64, u32)>, Vec<String>);

fn calls(lanes: u32) -> impl Strategy<Value = RawCalls> {
    (
        prop::collection::vec(
            (0..lanes.max(1), 0_u16..3, length(), length(), any::<u32>()),
            0..12,
        ),
        prop::collection::vec(".{0,6}".prop_map(|s| shown(&s)), 1..4),
    )
}

/// The calls of `raw` on `lanes` lanes, each row (lane and depth) free of
/// overlaps.
fn make_calls(lanes: u32, (raw, names): RawCalls) -> Calls {
    if lanes == 0 {
        return Calls::default();
    }
    let mut at: HashMap<(u32, u16), f64> = HashMap::new();
    let n = u32::try_from(names.len()).unwrap_or(1);
    let calls = raw
        .into_iter()
        .map(|(lane, depth, gap, len, name)| {
            let cursor = at.entry((lane, depth)).or_insert(0.0);
            let start_us = *cursor + gap;
            let end_us = start_us + len;
            *cursor = end_us;
            Call {
                lane,
                depth,
                start_us,
                end_us,
                name: name % n,
            }
        })
        .collect();
    Calls::new(calls, names)
}

/// Blocks as `(gap before it is due, ready, late)`, fill samples as
/// `(gap, frames)`.
type RawAudio = (
    (u32, u32, u32, u32, bool),
    Vec<(f64, Option<f64>, f64)>,
    Vec<(f64, u32)>,
);

/// A playback's audio track on one of `lanes` lanes (none without lanes):
/// any sizes a valid track may have, late and early blocks, blocks never
/// ready, and fill samples from empty to full.
fn audio(lanes: u32) -> BoxedStrategy<Option<Audio>> {
    if lanes == 0 {
        return Just(None).boxed();
    }
    let raw = (
        (
            0..lanes,
            1_u32..200_000,
            1_u32..5000,
            0_u32..5000,
            any::<bool>(),
        ),
        prop::collection::vec(
            (
                length(),
                prop::option::of(length()),
                prop_oneof![2 => Just(0.0), 1 => length()],
            ),
            0..12,
        ),
        prop::collection::vec((length(), any::<u32>()), 0..12),
    );
    prop::option::of(raw.prop_map(make_audio)).boxed()
}

fn make_audio(
    ((producer, sample_rate, block_frames, extra, audible), blocks, fill): RawAudio,
) -> Audio {
    let capacity_frames = block_frames + extra;
    let mut due = 0.0;
    let blocks = blocks
        .into_iter()
        .map(|(gap, ready_us, late_us)| {
            due += gap;
            AudioBlock {
                due_us: due,
                ready_us,
                late_us,
            }
        })
        .collect();
    let mut at = 0.0;
    let fill = fill
        .into_iter()
        .map(|(gap, frames)| {
            at += gap;
            FillSample {
                at_us: at,
                frames: frames % (capacity_frames + 1),
            }
        })
        .collect();
    Audio {
        producer,
        sample_rate,
        block_frames,
        capacity_frames,
        audible,
        blocks,
        fill,
    }
}

/// Any sound trace: lanes of every kind, spans that do not overlap on thread
/// and process lanes (they may on GIL and UI lanes), labels, events, calls
/// how the GIL was known, and an audio track.
pub fn trace() -> impl Strategy<Value = Trace> {
    (meta(), prop::collection::vec(lane(), 0..5), source())
        .prop_flat_map(|(meta, lanes, source)| {
            let n = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
            let events = prop::collection::vec(
                (prop_oneof![0.0_f64..1e9, -1e3_f64..0.0], event_kind(n)),
                0..8,
            );
            let evidence = prop::option::of(prop::sample::select(vec![
                GilEvidence::Measured,
                GilEvidence::Inferred,
                GilEvidence::Traced,
            ]));
            (
                Just(meta),
                Just(lanes),
                Just(source),
                events,
                calls(n),
                evidence,
                audio(n),
            )
        })
        .prop_map(
            |(meta, lanes, source, events, raw_calls, evidence, audio)| {
                let n = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
                let mut spans = Vec::new();
                let mut rows = Vec::new();
                // A GIL lane's spans name a thread lane as holder, not a task.
                let threads: Vec<u32> = (0..)
                    .zip(&lanes)
                    .filter_map(|(i, l)| (l.0 == LaneKind::Thread).then_some(i))
                    .collect();
                for (i, (kind, name, base, pieces)) in lanes.into_iter().enumerate() {
                    let lane = u32::try_from(i).unwrap_or(u32::MAX);
                    let exclusive = matches!(kind, LaneKind::Thread | LaneKind::Process);
                    rows.push(Lane { kind, name });
                    let mut at = base;
                    for (gap, len, state, task, label) in pieces {
                        let start_us = if exclusive { at + gap } else { base + gap };
                        let end_us = start_us + len;
                        at = end_us;
                        spans.push((
                            Span {
                                lane,
                                state,
                                start_us,
                                end_us,
                                task: task.filter(|_| kind != LaneKind::Gil),
                                holder: task
                                    .filter(|_| kind == LaneKind::Gil)
                                    .and_then(|t| threads.get(t as usize % threads.len().max(1)))
                                    .copied(),
                            },
                            label,
                        ));
                    }
                }
                let events = events
                    .into_iter()
                    .map(|(at_us, kind)| Event { at_us, kind })
                    .collect();
                let mut t = Trace::new_labelled(meta, rows, spans)
                    .with_events(events)
                    .with_source(source);
                t.calls = make_calls(n, raw_calls);
                t.gil_evidence = evidence;
                t.audio = audio.map(Box::new);
                t
            },
        )
}

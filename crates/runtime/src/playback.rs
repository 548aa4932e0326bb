//! A playback run's producer, live: the melody computed in blocks into an
//! [`AudioRing`] that an AudioWorklet plays, beside CPU-bound neighbours.
//!
//! The producer waits until the ring has room for a block, computes the
//! block a render quantum (128 frames) at a time, and publishes it. Under
//! the GIL the wait is an I/O wait that drops the lock, as a blocking
//! `queue.put` does in CPython, and the computing needs it back: with
//! CPU-bound neighbours holding it, the producer can wait a switch interval
//! or more per block, and the player runs dry. Free threads and a process
//! ([`produce_alone`]) only wait for room. The page's main thread, which
//! may not block, makes its blocks with [`BlockMaker`] while the ring has
//! room. All of them make the same blocks ([`BlockMaker`]'s), each block a
//! work item of the same steps (`crate::steps`).
//!
//! What the player heard (blocks due, late, the fill level) is the page's
//! to measure: it joins this side's [`Produced`] to the worklet's log.

mod blocks;
mod ring;
#[cfg(test)]
mod tests;
mod threads;

use lanes_model::playback::producer_lane;
use lanes_trace::{Event, Model, Scenario, Span, Workload};

pub use blocks::BlockMaker;
use blocks::Producer;
pub use ring::AudioRing;
use threads::{PRODUCER, Playback, run_plain};

use crate::gil::run_gil;
use crate::record::Recorder;
use crate::run::{switch_interval, unsupported};
use crate::threads::record_on_threads;
use crate::{Cancel, Clock, MAX_THREADS, RunError};

/// What the producer and its neighbours did in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Produced {
    /// Every lane's spans (on the run's lanes,
    /// [`lanes_model::playback::lanes`]: the producer, the neighbours, the
    /// GIL under the GIL), µs since [`Self::origin_us`].
    pub spans: Vec<Span>,
    /// Hand-offs and forced switches of the GIL, by time (none for free
    /// threads).
    pub events: Vec<Event>,
    /// When the run started, on the clock it was given, µs.
    pub origin_us: f64,
    /// When each block was in the ring, µs since the origin, in order.
    pub ready_us: Vec<f64>,
    /// How many primes the neighbours counted.
    pub result: u64,
}

/// Runs a playback scenario's producer and its `k` CPU-bound neighbours at
/// once on `k + 1` distinct threads of the current rayon pool, the producer
/// writing the melody (`tasks` notes, blocks of `size` frames, at
/// `sample_rate`) into `ring`, and returns what they did once the last
/// block is in the ring. The ring is marked done on return, whatever
/// happened.
///
/// Threads under the GIL ([`Model::Gil`], with the scenario's switch
/// interval) or free threads ([`Model::Free`]); other models are
/// [`RunError::Unsupported`]. Call it from inside the pool, never on a
/// browser's main thread: it blocks until the producer is done, and the
/// producer waits for a player to consume the ring. Cancelling ends the
/// waits and the work within a step: [`RunError::Cancelled`].
pub fn run_playback(
    scenario: &Scenario,
    ring: &AudioRing,
    sample_rate: u32,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<Produced, RunError> {
    let out = run_threads(scenario, ring, sample_rate, clock, cancel);
    ring.finish();
    out
}

fn run_threads(
    scenario: &Scenario,
    ring: &AudioRing,
    sample_rate: u32,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> Result<Produced, RunError> {
    let k = scenario.k;
    let threaded = matches!(scenario.model, Model::Gil | Model::Free);
    if !threaded || scenario.workload != Workload::Playback {
        return Err(unsupported(scenario));
    }
    if k >= MAX_THREADS {
        return Err(RunError::ThreadCount(k));
    }
    let maker = BlockMaker::new(scenario, sample_rate);
    let origin_us = clock.now_us();
    let producer = Producer::new(maker, ring, clock, origin_us);
    let room = producer.room_wait(cancel);
    let work = Playback::new(&producer, k);
    let (spans, events, result) = if scenario.model == Model::Gil {
        let interval = switch_interval(scenario)?;
        // The lock's clock starts within microseconds of `origin_us`.
        let recorded = run_gil(&work, interval, clock, &room, cancel)?;
        let mut spans = recorded.gil_spans(k + 1);
        spans.extend(recorded.spans);
        (spans, recorded.events, recorded.result)
    } else {
        let recorded = record_on_threads(k + 1, clock, origin_us, cancel, |thread, lane| {
            run_plain(&work, thread, lane, &room, cancel)
        })?;
        (recorded.spans, Vec::new(), recorded.result)
    };
    Ok(Produced {
        spans,
        events,
        origin_us,
        ready_us: producer.into_ready_us(),
        result,
    })
}

/// Runs a playback scenario's producer alone on the calling thread, as a
/// process of its own does: the melody into `ring`, waiting for room
/// before each block. Returns its spans, on the producer's lane of
/// `scenario`'s model ([`producer_lane`]), and when each block was in the
/// ring, both µs since the call. Stops early (with what it made so far)
/// when `cancel` is raised; the ring is marked done on return.
///
/// It blocks while the ring is full: never call it on a browser's main
/// thread (use [`BlockMaker`] there).
pub fn produce_alone(
    ring: &AudioRing,
    scenario: &Scenario,
    sample_rate: u32,
    clock: &dyn Clock,
    cancel: &Cancel,
) -> (Vec<Span>, Vec<f64>) {
    let origin_us = clock.now_us();
    let producer = Producer::new(
        BlockMaker::new(scenario, sample_rate),
        ring,
        clock,
        origin_us,
    );
    let work = Playback::new(&producer, 0);
    let mut lane = Recorder::new(clock, origin_us, producer_lane(scenario.model));
    run_plain(
        &work,
        PRODUCER,
        &mut lane,
        &producer.room_wait(cancel),
        cancel,
    );
    ring.finish();
    (lane.finish(), producer.into_ready_us())
}

//! A playback run live: the producer where the model puts it (threads of
//! the pool under the GIL or free, the page's main thread, a process), the
//! worklet playing its ring, and the worklet's log turned into the trace's
//! audio track on the page's clock.

use std::sync::Arc;

use lanes_model::playback::{self, MAIN_THREAD_TASK_MS, NEIGHBOUR_ITEM_NUMBERS};
use lanes_runtime::playback::{BlockMaker, Produced, run_playback};
use lanes_runtime::{AudioRing, Cancel, Clock, RunError};
use lanes_trace::{Audio, AudioBlock, FillSample, Model, Scenario, Span, State, Trace};
use lanes_workloads::count_primes_in;

use super::player::{self, Heard, Playback};
use super::processes::in_processes;
use crate::{PageClock, WebError, environment};
use lanes_runtime::processes::protocol::PlaybackJob;

/// How the learner listens: the volume (0 to 1), 0 for the silent mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sound {
    /// The gain the worklet plays at.
    pub gain: f64,
}

/// Plays `scenario` (workload playback) live and resolves with its trace,
/// whose `audio` is what the worklet heard. Cancel stops the producer and
/// the player at once.
pub async fn run_playback_live(
    scenario: Scenario,
    cancel: Arc<Cancel>,
    sound: Sound,
) -> Result<Trace, WebError> {
    let burst = player::ready().await?;
    let sample_rate = player::sample_rate()?;
    let block = playback::block_frames(scenario.size);
    let capacity = playback::capacity_frames(block, burst);
    let offset_us = date_offset_us();
    let (produced, heard) = match scenario.model {
        Model::Processes => {
            let job = PlaybackJob {
                scenario,
                sample_rate,
                capacity,
                block,
            };
            in_processes(&scenario, job, sound.gain, &cancel).await?
        }
        Model::Gil | Model::Free | Model::Sequential => {
            let ring = Arc::new(AudioRing::new(capacity, block));
            let buffer = js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
                .map_err(|_| WebError::Audio("the page's memory cannot be shared".to_owned()))?;
            let mut playing =
                Playback::start(&buffer, ring.header_ptr(), ring.data_ptr(), sound.gain)?;
            let produced = if scenario.model == Model::Sequential {
                on_main_thread(&scenario, &ring, sample_rate, &cancel).await
            } else {
                on_pool(scenario, &ring, sample_rate, &cancel).await
            };
            if produced.is_err() {
                playing.stop();
            }
            let heard = heard_done(&mut playing, &cancel).await;
            if heard.is_err() {
                // The worklet may still read the ring, and a stop makes it
                // write its last word there: never free it under it.
                std::mem::forget(ring);
            }
            (produced?, heard?)
        }
        Model::Asyncio => {
            let refused = RunError::Unsupported {
                model: scenario.model,
                workload: scenario.workload,
            };
            return Err(refused.into());
        }
    };
    if cancel.is_cancelled() {
        return Err(WebError::Run(RunError::Cancelled));
    }
    let audio = audio_track(
        &heard,
        &produced,
        offset_us,
        Track {
            producer: playback::producer_lane(scenario.model),
            sample_rate,
            block,
            capacity,
            audible: sound.gain > 0.0,
        },
    );
    let mut trace = Trace::new(
        environment().live_meta(scenario, Some(produced.result)),
        playback::lanes(&scenario),
        produced.spans,
    )
    .with_events(produced.events);
    trace.audio = Some(Box::new(audio));
    Ok(trace)
}

/// The producer and its neighbours on threads of the pool; the main thread
/// only awaits them. A Cancel ends the producer's waits for room and the
/// neighbours' work within a step.
async fn on_pool(
    scenario: Scenario,
    ring: &Arc<AudioRing>,
    sample_rate: u32,
    cancel: &Arc<Cancel>,
) -> Result<Produced, WebError> {
    let ring = Arc::clone(ring);
    crate::live::on_pool(
        move |_, cancel| run_playback(&scenario, &ring, sample_rate, &PageClock, cancel),
        cancel,
    )
    .await
}

/// What the worklet heard, once it has played the last block (or was
/// stopped by a Cancel or a failed producer, which this stops). A worklet
/// that does not answer within [`STOP_MS`] of a stop is given up on.
pub(super) async fn heard_done(playing: &mut Playback, cancel: &Cancel) -> Result<Heard, WebError> {
    let mut stopped_for = 0;
    loop {
        if cancel.is_cancelled() && !playing.was_stopped() {
            playing.stop();
        }
        if playing.was_stopped() {
            stopped_for += WATCH_MS;
            if stopped_for > STOP_MS {
                return Err(WebError::Run(RunError::Cancelled));
            }
        }
        match playing.heard.try_recv() {
            Ok(Some(heard)) if heard.stopped && !playing.was_stopped() => {
                return Err(WebError::Audio(
                    "the playback was cut short (another one started)".to_owned(),
                ));
            }
            Ok(Some(heard)) => return Ok(heard),
            Ok(None) => crate::after_ms(WATCH_MS).await,
            Err(_) => {
                return Err(WebError::Audio(
                    "the audio player stopped answering".to_owned(),
                ));
            }
        }
    }
}

/// How often a playback's end is looked for, ms.
const WATCH_MS: i32 = 20;
/// How long a stopped worklet has to say it let go of the ring, ms.
const STOP_MS: i32 = 2_000;

/// The audio track's constants.
#[derive(Clone, Copy)]
struct Track {
    producer: u32,
    sample_rate: u32,
    block: u32,
    capacity: u32,
    audible: bool,
}

/// The worklet's log (ms, `Date.now()`) on the trace's axis (µs since the
/// producer's origin), with the producer's ready times.
fn audio_track(log: &Heard, produced: &Produced, offset_us: f64, track: Track) -> Audio {
    let at = |ms: f64| (ms * 1000.0 - offset_us - produced.origin_us).max(0.0);
    let blocks = log
        .due
        .iter()
        .zip(&log.late)
        .enumerate()
        .map(|(i, (&due, &late))| AudioBlock {
            due_us: at(due),
            ready_us: produced.ready_us.get(i).copied(),
            late_us: late * 1000.0,
        })
        .collect();
    let fill = log
        .fill
        .chunks_exact(2)
        .map(|pair| FillSample {
            at_us: at(pair[0]),
            frames: (pair[1].max(0.0) as u32).min(track.capacity),
        })
        .collect();
    Audio {
        producer: track.producer,
        sample_rate: track.sample_rate,
        block_frames: track.block,
        capacity_frames: track.capacity,
        audible: track.audible,
        blocks,
        fill,
    }
}

/// `Date.now()` minus the page clock, µs: the worklet stamps with the
/// first. Measured at the instant `Date.now()` ticks, so the page clock's
/// finer reading pins it to well under a millisecond.
fn date_offset_us() -> f64 {
    let clock = PageClock;
    let first = js_sys::Date::now();
    for _ in 0..100_000 {
        let now = js_sys::Date::now();
        if now != first {
            return now * 1000.0 - clock.now_us();
        }
    }
    first * 1000.0 - clock.now_us()
}

/// The producer on the page's main thread, which cannot wait on the ring:
/// it adds blocks at each of its turns. Between turns the page does its own
/// work (counting primes) in tasks of [`MAIN_THREAD_TASK_MS`], which
/// nothing interrupts; with no work (k = 0) a turn comes every millisecond
/// or so.
async fn on_main_thread(
    scenario: &Scenario,
    ring: &AudioRing,
    sample_rate: u32,
    cancel: &Cancel,
) -> Result<Produced, WebError> {
    let clock = PageClock;
    let origin_us = clock.now_us();
    let mut maker = BlockMaker::new(scenario, sample_rate);
    let mut block = Vec::new();
    let mut spans = Vec::new();
    let mut ready_us = Vec::new();
    let mut result = 0;
    let work = scenario.k > 0;
    let mut item = 0_u64;
    let mut fill = |spans: &mut Vec<Span>, ready_us: &mut Vec<f64>| -> bool {
        while ring.room() >= ring.block() {
            let start = clock.now_us() - origin_us;
            let Some(index) = maker.next_block(&mut block) else {
                return true;
            };
            ring.publish(&block);
            let end = clock.now_us() - origin_us;
            ready_us.push(end);
            spans.push(Span {
                lane: 0,
                state: State::Running,
                start_us: start,
                end_us: end,
                task: Some(index),
                holder: None,
            });
        }
        false
    };
    let mut done = fill(&mut spans, &mut ready_us);
    while !done {
        if cancel.is_cancelled() {
            ring.finish();
            return Err(WebError::Run(RunError::Cancelled));
        }
        if work {
            // One task of the page's own work, then a turn for the producer.
            let start = clock.now_us();
            while clock.now_us() - start < f64::from(MAIN_THREAD_TASK_MS) * 1000.0 {
                let from = item * NEIGHBOUR_ITEM_NUMBERS;
                result += count_primes_in(from..from + NEIGHBOUR_ITEM_NUMBERS);
                item += 1;
            }
            spans.push(Span {
                lane: 0,
                state: State::Running,
                start_us: start - origin_us,
                end_us: clock.now_us() - origin_us,
                task: None,
                holder: None,
            });
            crate::next_turn().await;
        } else {
            crate::after_ms(1).await;
        }
        done = fill(&mut spans, &mut ready_us);
    }
    ring.finish();
    Ok(Produced {
        spans,
        events: Vec::new(),
        origin_us,
        ready_us,
        result,
    })
}

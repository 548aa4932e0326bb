//! The audio lesson's processes: the producer, which plays into a ring in
//! this worker's own memory (the page hands that memory to its
//! AudioWorklet), and a CPU-bound neighbour, which counts primes until the
//! page says stop.

use lanes_clock::PageClock;
use lanes_model::playback::NEIGHBOUR_ITEM_NUMBERS;
use lanes_runtime::playback::produce_alone;
use lanes_runtime::processes::protocol::{LaneReport, PlaybackJob};
use lanes_runtime::{AudioRing, Cancel, Clock};
use lanes_trace::{Span, State};
use lanes_workloads::count_primes_in;
use wasm_bindgen::prelude::*;

/// Runs a [`PlaybackJob`] (JSON): makes the ring, calls `on_ring(buffer,
/// header, data)` with this instance's memory and the ring's addresses,
/// then produces every block into it, waiting for room as the page's
/// worklet plays it out. Returns a [`LaneReport`] (JSON) with times on the
/// page clock. Blocks this worker until the melody is done: a worker may
/// wait, a page may not.
#[wasm_bindgen]
pub fn lanes_playback(job: &str, on_ring: &js_sys::Function) -> Result<String, JsValue> {
    let job: PlaybackJob = serde_json::from_str(job)
        .map_err(|e| JsValue::from_str(&format!("its job could not be read: {e}")))?;
    let ring = AudioRing::new(job.capacity, job.block);
    let buffer = js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())?;
    on_ring.call3(
        &JsValue::NULL,
        &buffer,
        &ring.header_ptr().into(),
        &ring.data_ptr().into(),
    )?;
    let origin_us = PageClock.now_us();
    let cancel = Cancel::new();
    let (spans, ready_us) =
        produce_alone(&ring, &job.scenario, job.sample_rate, &PageClock, &cancel);
    // The worklet plays the last blocks after the producer is done: the
    // ring, in this instance's memory, must outlive its last look at it.
    ring.wait_finished(&cancel);
    let on_clock = |us: f64| us + origin_us;
    let report = LaneReport {
        spans: spans
            .into_iter()
            .map(|s| Span {
                lane: 0,
                start_us: on_clock(s.start_us),
                end_us: on_clock(s.end_us),
                ..s
            })
            .collect(),
        ready_us: ready_us.into_iter().map(on_clock).collect(),
        result: 0,
    };
    serde_json::to_string(&report).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// A CPU-bound neighbour: counts primes item after item until `stop[0]`
/// is 1 (the page sets it when the melody is done). Returns a
/// [`LaneReport`] (JSON), one running span per item, on the page clock.
#[wasm_bindgen]
pub fn lanes_neighbour(stop: &js_sys::Int32Array) -> Result<String, JsValue> {
    let mut report = LaneReport::default();
    let mut item = 0_u64;
    while js_sys::Atomics::load(stop, 0)? == 0 {
        let start_us = PageClock.now_us();
        let from = item * NEIGHBOUR_ITEM_NUMBERS;
        report.result += count_primes_in(from..from + NEIGHBOUR_ITEM_NUMBERS);
        report.spans.push(Span {
            lane: 0,
            state: State::Running,
            start_us,
            end_us: PageClock.now_us(),
            task: u32::try_from(item).ok(),
            holder: None,
        });
        item += 1;
    }
    serde_json::to_string(&report).map_err(|e| JsValue::from_str(&e.to_string()))
}

//! The page makes each process's payload (see `input.rs` for what it
//! holds) in a plain (unshared) `ArrayBuffer` outside the page's wasm
//! memory, a piece at a time, so the page's own memory does not grow with
//! it and the page keeps drawing; payloads are copied, not transferred,
//! when posted.

use js_sys::Uint8Array;
use lanes_runtime::{Cancel, RunError};
use lanes_trace::Scenario;
use lanes_trace::words::byte_size;

use crate::{PageClock, WebError};
use lanes_runtime::processes::input::{payload, plan};
use lanes_runtime::processes::protocol::Job;

/// How long the page's main thread makes payloads before it lets the page
/// breathe (draw, handle input), in µs.
const SLICE_US: f64 = 8_000.0;

/// One process's input, ready to post.
#[derive(Debug)]
pub(crate) struct Parcel {
    /// What it is told.
    pub(crate) job: Job,
    /// The data it is sent (empty for [`lanes_runtime::processes::protocol::Input::Items`]).
    pub(crate) payload: Uint8Array,
    /// What was sent, in words, for the copy-in span.
    pub(crate) label: String,
}

/// Makes every process's payload on the page's main thread, a piece at a
/// time into a buffer outside wasm memory, giving the page a turn every few
/// milliseconds.
pub(crate) async fn prepare(scenario: &Scenario, cancel: &Cancel) -> Result<Vec<Parcel>, WebError> {
    let mut pacer = Pacer::new();
    let mut parcels = Vec::new();
    for (job, label) in plan(scenario) {
        let bytes = job.input.payload_bytes();
        let length = u32::try_from(bytes).map_err(|_| {
            WebError::ProcessStart(format!(
                "an input of {} is too big",
                byte_size(bytes as u64)
            ))
        })?;
        let buffer = Uint8Array::new_with_length(length);
        let mut at = 0;
        for piece in payload(&job.input) {
            // Offsets fit in u32: the buffer's length did.
            let end = at + piece.len() as u32;
            buffer.subarray(at, end).copy_from(&piece);
            at = end;
            pacer.breathe(cancel).await?;
        }
        parcels.push(Parcel {
            job,
            payload: buffer,
            label,
        });
    }
    Ok(parcels)
}

/// Lets the page's event loop run every [`SLICE_US`], and notices Cancel.
#[derive(Debug)]
struct Pacer {
    since_us: f64,
}

impl Pacer {
    fn new() -> Self {
        Self { since_us: now_us() }
    }

    async fn breathe(&mut self, cancel: &Cancel) -> Result<(), WebError> {
        if now_us() - self.since_us < SLICE_US {
            return Ok(());
        }
        crate::next_turn().await;
        self.since_us = now_us();
        if cancel.is_cancelled() {
            return Err(RunError::Cancelled.into());
        }
        Ok(())
    }
}

fn now_us() -> f64 {
    use lanes_runtime::Clock;
    PageClock.now_us()
}

//! The audio lesson in processes: the producer in a worker of its own,
//! playing into a ring in its own memory (the page hands that memory to the
//! worklet), beside k CPU-bound neighbour processes that share nothing with
//! it, GIL or memory.

use js_sys::{Atomics, Int32Array, SharedArrayBuffer};
use lanes_model::playback;
use lanes_runtime::playback::Produced;
use lanes_runtime::processes::protocol::{LaneReport, PlaybackJob};
use lanes_runtime::{Cancel, Clock, RunError};
use lanes_trace::{Scenario, Span, State};
use wasm_bindgen::JsValue;

use super::player::{Heard, Playback};
use super::run::heard_done;
use crate::processes::workers::{Note, ProcessWorkers, message, set};
use crate::worker_module::worker_module;
use crate::{PageClock, WebError};

/// Runs the producer process and `scenario.k` neighbours; resolves with what
/// they did, on the run's axis, and what the worklet heard.
pub(super) async fn in_processes(
    scenario: &Scenario,
    job: PlaybackJob,
    gain: f64,
    cancel: &Cancel,
) -> Result<(Produced, Heard), WebError> {
    let module = worker_module().await?;
    let mut workers = ProcessWorkers::new()?;
    let count = scenario.k as usize + 1;
    let origin_us = PageClock.now_us();
    let mut created = Vec::with_capacity(count);
    for _ in 0..count {
        created.push(PageClock.now_us());
        workers.spawn(&module)?;
    }
    let stop = Int32Array::new(&SharedArrayBuffer::new(4));
    let job = serde_json::to_string(&job)
        .map_err(|e| WebError::ProcessStart(format!("the job could not be described: {e}")))?;
    let mut ready = vec![0.0; count];
    let mut reports: Vec<Option<LaneReport>> = vec![None; count];
    let mut playing: Option<Playback> = None;
    let failed = |process: usize, why: String| WebError::Process {
        process: process as u32 + 1,
        why,
    };
    while reports.iter().any(Option::is_none) {
        let Some(note) = workers.next(cancel).await else {
            if let Some(p) = &playing {
                p.stop();
            }
            return Err(RunError::Cancelled.into());
        };
        match note {
            Note::Ready { process, at_us } => {
                ready[process] = at_us;
                let go = if process == 0 {
                    let go = message("playback")?;
                    set(&go, "job", &JsValue::from_str(&job))?;
                    go
                } else {
                    let go = message("neighbour")?;
                    set(&go, "stop", &stop)?;
                    go
                };
                workers.post(process, &go)?;
            }
            Note::Ring {
                buffer,
                header,
                data,
            } => playing = Some(Playback::start(&buffer, header, data, gain)?),
            Note::Done {
                process, report, ..
            } => {
                let text = report.as_string().unwrap_or_default();
                let lane: LaneReport = serde_json::from_str(&text)
                    .map_err(|e| failed(process, format!("its report could not be read: {e}")))?;
                if process == 0 {
                    // The melody is done: the neighbours may stop.
                    let _ = Atomics::store(&stop, 0, 1);
                }
                reports[process] = Some(lane);
            }
            Note::Progress { .. } => {}
            Note::Failed { process, why, .. } => return Err(failed(process, why)),
        }
    }
    let mut playing = playing.ok_or_else(|| {
        WebError::Audio("the producer process never told where its buffer is".to_owned())
    })?;
    let heard = heard_done(&mut playing, cancel).await?;
    let mut spans = Vec::new();
    let mut ready_us = Vec::new();
    let mut result = 0;
    let first = playback::producer_lane(scenario.model);
    for (process, report) in reports.into_iter().enumerate() {
        let report = report.unwrap_or_default();
        let lane = first + process as u32;
        spans.push(Span {
            lane,
            state: State::Startup,
            start_us: created[process] - origin_us,
            end_us: (ready[process] - origin_us).max(created[process] - origin_us),
            task: None,
            holder: None,
        });
        spans.extend(report.spans.into_iter().map(|s| Span {
            lane,
            start_us: s.start_us - origin_us,
            end_us: s.end_us - origin_us,
            ..s
        }));
        if process == 0 {
            ready_us = report.ready_us.iter().map(|t| t - origin_us).collect();
        }
        result += report.result;
    }
    Ok((
        Produced {
            spans,
            events: Vec::new(),
            origin_us,
            ready_us,
            result,
        },
        heard,
    ))
}

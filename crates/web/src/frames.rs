//! The UI-responsiveness lesson: the page's own animation frames recorded
//! as a lane while work runs on the main thread (the page freezes) or in
//! workers (it does not).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use lanes_runtime::{Cancel, RunError};
use lanes_trace::{Lane, LaneKind, Model, Scenario, Span, State, Trace, Workload};
use lanes_workloads::{Job, PrimeCount};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::{PageClock, WebError, environment, run_live};
use lanes_runtime::Clock;

/// Frames are recorded this long before and after the work, in ms, so the
/// picture shows the page at rest on both sides.
const CALM_MS: i32 = 150;
/// A frame longer than this is one a person notices (about three frames
/// at 60 Hz).
pub const LONG_FRAME_MS: f64 = 50.0;

type FrameClosure = Closure<dyn FnMut(f64)>;

/// Calls a function on every animation frame, with the frame's timestamp
/// (ms), until stopped or dropped.
#[derive(Debug)]
pub struct FrameLoop {
    alive: Rc<Cell<bool>>,
    slot: Rc<RefCell<Option<FrameClosure>>>,
}

impl FrameLoop {
    /// Starts calling `on_frame` on every animation frame.
    pub fn start(mut on_frame: impl FnMut(f64) + 'static) -> Self {
        let alive = Rc::new(Cell::new(true));
        let slot: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        let (running, again) = (Rc::clone(&alive), Rc::clone(&slot));
        *slot.borrow_mut() = Some(Closure::new(move |now: f64| {
            if !running.get() {
                // Dropping the closure from inside itself is not allowed: just stop.
                return;
            }
            on_frame(now);
            request(&again);
        }));
        request(&slot);
        Self { alive, slot }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        self.alive.set(false);
        // Break the closure's reference cycle once its last frame has run.
        let slot = Rc::clone(&self.slot);
        let later = Closure::once_into_js(move || drop(slot.borrow_mut().take()));
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(later.unchecked_ref());
        }
    }
}

fn request(slot: &Rc<RefCell<Option<FrameClosure>>>) {
    if let (Some(w), Some(f)) = (web_sys::window(), slot.borrow().as_ref()) {
        // If the browser refuses a frame, the loop just ends there.
        let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
    }
}

/// Records the time of every animation frame until stopped.
struct FrameRecorder {
    times: Rc<RefCell<Vec<f64>>>,
    frames: FrameLoop,
}

impl FrameRecorder {
    fn start() -> Self {
        let times = Rc::new(RefCell::new(Vec::new()));
        let t = Rc::clone(&times);
        // The page clock, not the frame's own timestamp: the same axis as
        // the workers' spans.
        let frames = FrameLoop::start(move |_| t.borrow_mut().push(PageClock.now_us()));
        Self { times, frames }
    }

    /// Stops recording and returns the frame times, µs on the page clock.
    fn stop(self) -> Vec<f64> {
        drop(self.frames);
        self.times.take()
    }
}

/// Runs the UI lesson for `scenario` (workload `ui`): with the sequential
/// model the prime count runs on the page's main thread, deliberately, so
/// the page freezes; with any threaded model it runs in workers. Either way
/// the page's frames are the first lane.
pub async fn run_ui_lesson(scenario: Scenario, cancel: Arc<Cancel>) -> Result<Trace, WebError> {
    let clock = PageClock;
    let origin = clock.now_us();
    let frames = FrameRecorder::start();
    crate::after_ms(CALM_MS).await;
    let work = Scenario {
        workload: Workload::Primes,
        // Without a pool there are no free threads; what the lesson shows is
        // the work off the main thread, which one worker does as well.
        model: if scenario.model == Model::Free && crate::without_pool() {
            Model::Sequential
        } else {
            scenario.model
        },
        ..scenario
    };
    let (work_lanes, work_spans, result) = if scenario.model == Model::Sequential {
        let (lanes, spans, result) = on_main_thread(&work, &clock, origin, &cancel)?;
        (lanes, spans, Some(result))
    } else {
        let started = clock.now_us() - origin;
        let trace = run_live(work, Arc::clone(&cancel), false).await?.trace;
        // The workers' times count from their own start, a moment after ours.
        let spans = trace
            .spans()
            .iter()
            .map(|s| Span {
                start_us: s.start_us + started,
                end_us: s.end_us + started,
                ..*s
            })
            .collect();
        let result = trace.meta().and_then(|m| m.result);
        (trace.lanes, spans, result)
    };
    crate::after_ms(CALM_MS).await;
    let times = frames.stop();
    if cancel.is_cancelled() {
        return Err(WebError::Run(RunError::Cancelled));
    }
    let mut spans: Vec<(Span, Option<String>)> = times
        .windows(2)
        .map(|pair| {
            let (start, end) = (pair[0] - origin, pair[1] - origin);
            let ms = (end - start) / 1000.0;
            let long = ms > LONG_FRAME_MS;
            let span = Span {
                lane: 0,
                // A long frame is the main thread busy; a short one, idle.
                state: if long { State::Running } else { State::Idle },
                start_us: start,
                end_us: end,
                task: None,
                holder: None,
            };
            let label = long.then(|| format!("long frame: {ms:.0} ms"));
            (span, label)
        })
        .collect();
    spans.extend(work_spans.into_iter().map(|s| {
        (
            Span {
                lane: s.lane + 1,
                holder: s.holder.map(|h| h + 1),
                ..s
            },
            None,
        )
    }));
    let mut lanes = vec![Lane {
        kind: LaneKind::Ui,
        name: "Page frames".to_owned(),
    }];
    lanes.extend(work_lanes);
    Ok(Trace::new_labelled(
        environment().live_meta(scenario, result),
        lanes,
        spans,
    ))
}

/// Runs every work item on the calling (main) thread, one after another.
fn on_main_thread(
    work: &Scenario,
    clock: &PageClock,
    origin: f64,
    cancel: &Cancel,
) -> Result<(Vec<Lane>, Vec<Span>, u64), WebError> {
    let job = PrimeCount::new(work.size, work.tasks);
    let mut spans = Vec::with_capacity(job.tasks() as usize);
    let mut result = 0;
    for task in 0..job.tasks() {
        if cancel.is_cancelled() {
            return Err(WebError::Run(RunError::Cancelled));
        }
        let start_us = clock.now_us() - origin;
        result += job.run_task(task);
        spans.push(Span {
            lane: 0,
            state: State::Running,
            start_us,
            end_us: clock.now_us() - origin,
            task: Some(task),
            holder: None,
        });
    }
    Ok((vec![Lane::thread("Main thread (page)")], spans, result))
}

/// Frames longer than [`LONG_FRAME_MS`] in a lesson's trace.
pub fn long_frames(trace: &Trace) -> usize {
    trace
        .spans()
        .iter()
        .filter(|s| {
            trace
                .lanes
                .get(s.lane as usize)
                .is_some_and(|l| l.kind == LaneKind::Ui)
                && s.duration_us() > LONG_FRAME_MS * 1000.0
        })
        .count()
}

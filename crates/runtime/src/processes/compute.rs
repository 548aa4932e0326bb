//! A process's side of the work: run a [`Job`] on the payload it was sent.
//! Plain Rust, no browser APIs, so native tests check it
//! against the workloads' sequential twins.

use crate::{Cancel, Clock, RunError, Share, ThreadSleeper, run_share, share_tasks};
use lanes_trace::{Span, State};
use lanes_workloads::{AudioFeatures, ClipDigest, FrameAnalyzer, is_prime};

use super::protocol::{ClipRun, Input, Job, NumberRange};

/// Why a process could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The payload is not as long as its description says.
    #[error("its input should be {expected} bytes but {got} arrived")]
    Payload {
        /// Bytes the description promises.
        expected: usize,
        /// Bytes that came.
        got: usize,
    },
    /// The work items sent are not this process's share.
    #[error("it was sent work items {sent:?}, not its share {share:?}")]
    Items {
        /// The items in the job.
        sent: Vec<u32>,
        /// The items [`share_tasks`] gives it.
        share: Vec<u32>,
    },
    /// The runtime refused or stopped the run.
    #[error("{0}")]
    Run(#[from] RunError),
}

/// Runs `job` on `payload`, stamping spans with `clock` (raw readings, lane
/// `job.share`), and returns what the process did.
pub fn run_job(job: &Job, payload: &[u8], clock: &dyn Clock) -> Result<Share, JobError> {
    let expected = job.input.payload_bytes();
    if payload.len() != expected {
        return Err(JobError::Payload {
            expected,
            got: payload.len(),
        });
    }
    match &job.input {
        Input::Numbers { ranges } => Ok(count_primes(job.share, ranges, payload, clock)),
        Input::Samples { clip_samples, runs } => Ok(analyse_clips(
            job.share,
            *clip_samples,
            runs,
            payload,
            clock,
        )),
        Input::Items { tasks } => {
            let share: Vec<u32> = share_tasks(job.scenario.tasks, job.share, job.shares).collect();
            if *tasks != share {
                return Err(JobError::Items {
                    sent: tasks.clone(),
                    share,
                });
            }
            // Nobody cancels inside a process: the page terminates the worker.
            let never = Cancel::new();
            Ok(run_share(
                &job.scenario,
                job.share,
                job.shares,
                clock,
                &ThreadSleeper,
                &never,
            )?)
        }
    }
}

/// Times `work` as one running span of item `task` on `lane`.
fn timed(clock: &dyn Clock, lane: u32, task: u32, work: impl FnOnce() -> u64) -> (Span, u64) {
    let start_us = clock.now_us();
    let result = work();
    let end_us = clock.now_us().max(start_us);
    let span = Span {
        lane,
        state: State::Running,
        start_us,
        end_us,
        task: Some(task),
        holder: None,
    };
    (span, result)
}

/// Counts the primes among the numbers sent, range by range.
fn count_primes(lane: u32, ranges: &[NumberRange], payload: &[u8], clock: &dyn Clock) -> Share {
    let mut spans = Vec::with_capacity(ranges.len());
    let mut result = 0_u64;
    let mut rest = payload;
    for range in ranges {
        let (numbers, tail) = rest.split_at(4 * range.len());
        rest = tail;
        let (span, count) = timed(clock, lane, range.task, || {
            let mut count = 0;
            for bytes in numbers.chunks_exact(4) {
                let n = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                if is_prime(u64::from(n)) {
                    count += 1;
                }
            }
            count
        });
        spans.push(span);
        result = result.wrapping_add(count);
    }
    Share { spans, result }
}

/// Digests the clips sent, run by run, as `AudioFeatures` does with clips
/// it synthesizes.
fn analyse_clips(
    lane: u32,
    clip_samples: u32,
    runs: &[ClipRun],
    payload: &[u8],
    clock: &dyn Clock,
) -> Share {
    let frames = AudioFeatures::new(1, clip_samples, 1).frames();
    let clip_bytes = 4 * clip_samples as usize;
    let mut samples = Vec::with_capacity(clip_samples as usize);
    let mut spans = Vec::with_capacity(runs.len());
    let mut result = 0_u64;
    let mut rest = payload;
    for run in runs {
        let (clips, tail) = rest.split_at(clip_bytes * run.len());
        rest = tail;
        let (span, sum) = timed(clock, lane, run.task, || {
            let mut analyzer = FrameAnalyzer::new();
            let mut sum = 0_u64;
            for (clip, bytes) in (run.first..run.end).zip(clips.chunks_exact(clip_bytes)) {
                samples.clear();
                samples.extend(
                    bytes
                        .chunks_exact(4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                );
                let mut digest = ClipDigest::new(clip);
                for frame in 0..frames {
                    digest.push(&analyzer.analyze(&samples[AudioFeatures::frame_samples(frame)]));
                }
                sum = sum.wrapping_add(digest.finish());
            }
            sum
        });
        spans.push(span);
        result = result.wrapping_add(sum);
    }
    Share { spans, result }
}

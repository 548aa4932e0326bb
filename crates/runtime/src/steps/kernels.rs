//! The CPU-bound items as resumable steps: the same work as their
//! [`lanes_workloads::Job`]s, so the same answers as the twins, cut after
//! every small unit (a thousand numbers, a row segment, a stretch of
//! synthesis, a frame) so that the GIL can change hands that often.

use std::ops::Range;

use lanes_workloads::{
    AudioFeatures, Clip, ClipDigest, FrameAnalyzer, Mandelbrot, count_primes_in,
};

use super::{Item, Step};
use crate::cpu::Kernel;

/// Numbers tested in one step of counting primes.
pub(super) const CHECK_EVERY: u64 = 1000;

/// Pixels of a row in one step of Mandelbrot: at most 128 × 256
/// iterations, about 100 µs natively in the set's interior, far less
/// outside it.
const SEGMENT: u32 = 128;

/// Samples synthesized in one step of audio (about 40 µs natively); a
/// step that analyzes one frame takes under 10 µs.
const SYNTH_CHUNK: usize = 2048;

/// Starts item `task` of `kernel`.
pub(crate) fn start(kernel: &Kernel, task: u32) -> Box<dyn Item> {
    match kernel {
        Kernel::Primes(job) => Box::new(Primes::new(job.task_range(task))),
        Kernel::Mandelbrot(job) => Box::new(Rows::new(*job, job.task_rows(task))),
        Kernel::Audio(job) => Box::new(Clips::new(*job, job.task_clips(task))),
    }
}

/// Counts the primes in a range, [`CHECK_EVERY`] numbers a step.
#[derive(Clone, Debug)]
pub(super) struct Primes {
    left: Range<u64>,
    count: u64,
}

impl Primes {
    pub(super) fn new(range: Range<u64>) -> Self {
        Self {
            left: range,
            count: 0,
        }
    }
}

impl Item for Primes {
    fn step(&mut self) -> Step {
        if self.left.is_empty() {
            return Step::Done(self.count);
        }
        let end = self
            .left
            .start
            .saturating_add(CHECK_EVERY)
            .min(self.left.end);
        self.count += count_primes_in(self.left.start..end);
        self.left.start = end;
        Step::Ran
    }
}

/// Checksums Mandelbrot rows, [`SEGMENT`] pixels of a row a step.
#[derive(Clone, Debug)]
struct Rows {
    image: Mandelbrot,
    rows: Range<u32>,
    col: u32,
    sum: u64,
}

impl Rows {
    fn new(image: Mandelbrot, rows: Range<u32>) -> Self {
        Self {
            image,
            rows,
            col: 0,
            sum: 0,
        }
    }
}

impl Item for Rows {
    fn step(&mut self) -> Step {
        let width = self.image.width();
        while !self.rows.is_empty() {
            if self.col >= width {
                self.rows.start += 1;
                self.col = 0;
                continue;
            }
            let row = self.rows.start;
            let end = self.col.saturating_add(SEGMENT).min(width);
            let part = self.image.segment_checksum(row, self.col..end);
            self.sum = self.sum.wrapping_add(part);
            self.col = end;
            return Step::Ran;
        }
        Step::Done(self.sum)
    }
}

/// Where a clip's processing stands.
#[derive(Clone, Copy, Debug)]
enum Stage {
    /// Synthesizing its samples, from this one on.
    Synth(usize),
    /// Analyzing its frames, from this one on.
    Frames(u32, ClipDigest),
}

/// Audio features of clips: a step synthesizes [`SYNTH_CHUNK`] samples or
/// analyzes one frame.
struct Clips {
    job: AudioFeatures,
    clips: Range<u32>,
    stage: Stage,
    samples: Vec<f32>,
    analyzer: FrameAnalyzer,
    sum: u64,
}

impl Clips {
    fn new(job: AudioFeatures, clips: Range<u32>) -> Self {
        Self {
            job,
            clips,
            stage: Stage::Synth(0),
            samples: vec![0.0; job.clip_samples() as usize],
            analyzer: FrameAnalyzer::new(),
            sum: 0,
        }
    }
}

impl Item for Clips {
    fn step(&mut self) -> Step {
        while !self.clips.is_empty() {
            let clip = self.clips.start;
            match self.stage {
                Stage::Synth(start) => {
                    let end = start.saturating_add(SYNTH_CHUNK).min(self.samples.len());
                    let (Some(chunk), Ok(first)) =
                        (self.samples.get_mut(start..end), u32::try_from(start))
                    else {
                        self.stage = Stage::Frames(0, ClipDigest::new(clip));
                        continue;
                    };
                    if chunk.is_empty() {
                        self.stage = Stage::Frames(0, ClipDigest::new(clip));
                        continue;
                    }
                    Clip::new(clip).fill(first, chunk);
                    self.stage = Stage::Synth(end);
                    return Step::Ran;
                }
                Stage::Frames(frame, mut digest) => {
                    let samples = self.samples.get(AudioFeatures::frame_samples(frame));
                    match samples {
                        Some(samples) if frame < self.job.frames() => {
                            digest.push(&self.analyzer.analyze(samples));
                            self.stage = Stage::Frames(frame + 1, digest);
                            return Step::Ran;
                        }
                        _ => {
                            self.sum = self.sum.wrapping_add(digest.finish());
                            self.clips.start += 1;
                            self.stage = Stage::Synth(0);
                        }
                    }
                }
            }
        }
        Step::Done(self.sum)
    }
}

#[cfg(test)]
mod tests {
    use lanes_trace::{Model, Scenario, Workload};
    use proptest::prelude::*;

    use super::*;

    /// Runs an item to its end, counting its steps.
    fn finish(item: &mut dyn Item) -> (u64, u32) {
        let mut steps = 0;
        loop {
            steps += 1;
            match item.step() {
                Step::Ran => {}
                Step::Io(_) => panic!("a kernel never waits"),
                Step::Done(sum) => return (sum, steps),
            }
        }
    }

    #[test]
    fn steps_are_as_fine_as_the_live_checks() {
        // 10 500 numbers: 11 steps of computing, then one that finishes.
        assert_eq!(
            finish(&mut Primes::new(0..10_500)),
            (count_primes_in(0..10_500), 12)
        );
        // 3 rows of 128 + 128 + 44 pixels.
        let image = Mandelbrot::new(300, 10, 64, 1);
        let plain = (2..5).fold(0_u64, |s, row| s.wrapping_add(image.row_checksum(row)));
        assert_eq!(finish(&mut Rows::new(image, 2..5)), (plain, 10));
        // 2 clips of 2048 + 2048 + 904 samples, then 16 frames.
        let job = AudioFeatures::new(3, 5000, 1);
        let mut analyzer = FrameAnalyzer::new();
        let plain = (1..3).fold(0_u64, |s, clip| {
            s.wrapping_add(job.clip_digest(clip, &mut analyzer))
        });
        assert_eq!(
            finish(&mut Clips::new(job, 1..3)),
            (plain, 2 * (3 + 16) + 1)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn every_kernel_gives_its_twins_answer(
            workload in prop::sample::select(vec![Workload::Primes, Workload::Mandelbrot, Workload::Audio]),
            size in 1_u64..40_000,
            tasks in 1_u32..6,
        ) {
            let size = match workload {
                Workload::Primes => size,
                Workload::Mandelbrot => size % 64 + 1,
                _ => size % 3 + 1,
            };
            let scenario = Scenario::new(Model::Gil, workload, 2, size, tasks);
            let kernel = Kernel::of(&scenario).unwrap();
            let sum = (0..kernel.job().tasks())
                .fold(0_u64, |s, t| s.wrapping_add(finish(start(&kernel, t).as_mut()).0));
            prop_assert_eq!(sum, kernel.job().sequential_twin());
        }

        #[test]
        fn prime_steps_count_what_the_plain_loop_counts(start in 0_u64..50_000, len in 0_u64..5_000) {
            let range = start..start + len;
            prop_assert_eq!(finish(&mut Primes::new(range.clone())).0, count_primes_in(range));
        }
    }
}

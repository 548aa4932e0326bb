//! The floating-point workloads under the GIL: Mandelbrot rows and audio
//! features, doing the same work as their [`Job`]s but giving the GIL a
//! chance to switch after every small unit (a row segment, a stretch of
//! synthesis, a frame), so they give the same answer as the twins.

use std::ops::Range;

use lanes_workloads::{AudioFeatures, Clip, ClipDigest, FrameAnalyzer, Job, Mandelbrot};

use super::{GilJob, GilThread};

/// The checksum of rows `rows` of `image`, calling `check` after every
/// `segment` pixels of a row (at least one) and at the end of each row; when
/// `check` returns false it stops there (a cancelled run).
pub fn mandelbrot_rows_checked(
    image: &Mandelbrot,
    rows: Range<u32>,
    segment: u32,
    check: &mut dyn FnMut() -> bool,
) -> u64 {
    let segment = segment.max(1);
    let mut sum = 0_u64;
    for row in rows {
        let mut col = 0;
        while col < image.width() {
            let end = col.saturating_add(segment).min(image.width());
            sum = sum.wrapping_add(image.segment_checksum(row, col..end));
            if !check() {
                return sum;
            }
            col = end;
        }
    }
    sum
}

/// Rendering the Mandelbrot set as Python threads would: every item checks
/// the GIL after every [`Self::SEGMENT`] pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MandelbrotUnderGil {
    job: Mandelbrot,
}

impl MandelbrotUnderGil {
    /// Pixels between two checks of the GIL: at most 128 × 256 iterations,
    /// about 100 µs natively in the set's interior, far less outside it.
    pub const SEGMENT: u32 = 128;

    /// The items of `job`, checking the GIL as they go.
    pub fn new(job: Mandelbrot) -> Self {
        Self { job }
    }
}

impl GilJob for MandelbrotUnderGil {
    fn tasks(&self) -> u32 {
        self.job.tasks()
    }

    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64 {
        mandelbrot_rows_checked(
            &self.job,
            self.job.task_rows(task),
            Self::SEGMENT,
            &mut || gil.check(),
        )
    }

    fn sequential_twin(&self) -> u64 {
        self.job.sequential_twin()
    }
}

/// The sum of the digests of clips `clips` of `job`, calling `check` after
/// synthesizing every [`AudioUnderGil::SYNTH_CHUNK`] samples and after each
/// frame's features.
pub fn audio_clips_checked(
    job: &AudioFeatures,
    clips: Range<u32>,
    check: &mut dyn FnMut() -> bool,
) -> u64 {
    let mut analyzer = FrameAnalyzer::new();
    let mut samples = vec![0.0; job.clip_samples() as usize];
    let mut sum = 0_u64;
    for clip in clips {
        let source = Clip::new(clip);
        for (start, chunk) in (0..)
            .step_by(AudioUnderGil::SYNTH_CHUNK)
            .zip(samples.chunks_mut(AudioUnderGil::SYNTH_CHUNK))
        {
            source.fill(start, chunk);
            if !check() {
                return sum;
            }
        }
        let mut digest = ClipDigest::new(clip);
        for frame in 0..job.frames() {
            digest.push(&analyzer.analyze(&samples[AudioFeatures::frame_samples(frame)]));
            if !check() {
                return sum;
            }
        }
        sum = sum.wrapping_add(digest.finish());
    }
    sum
}

/// Audio preprocessing as Python threads would do it: every item checks the
/// GIL after each stretch of synthesis and each frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudioUnderGil {
    job: AudioFeatures,
}

impl AudioUnderGil {
    /// Samples synthesized between two checks of the GIL (about 40 µs
    /// natively); a frame's features take under 10 µs.
    pub const SYNTH_CHUNK: usize = 2048;

    /// The items of `job`, checking the GIL as they go.
    pub fn new(job: AudioFeatures) -> Self {
        Self { job }
    }
}

impl GilJob for AudioUnderGil {
    fn tasks(&self) -> u32 {
        self.job.tasks()
    }

    fn run_task(&self, task: u32, gil: &mut GilThread<'_>) -> u64 {
        audio_clips_checked(&self.job, self.job.task_clips(task), &mut || gil.check())
    }

    fn sequential_twin(&self) -> u64 {
        self.job.sequential_twin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gil::{SwitchInterval, run_gil};
    use crate::{Cancel, MAX_THREADS, MonotonicClock};
    use proptest::prelude::*;

    fn under_gil(job: &dyn GilJob, k: u32) -> u64 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(MAX_THREADS as usize)
            .build()
            .unwrap_or_else(|e| panic!("cannot build a pool: {e}"));
        let interval = SwitchInterval::from_ms(0.2).unwrap_or_else(|e| panic!("{e}"));
        let clock = MonotonicClock::new();
        pool.install(|| run_gil(job, k, interval, &clock, &Cancel::new()))
            .unwrap_or_else(|e| panic!("k={k}: {e}"))
            .result
    }

    #[test]
    fn mandelbrot_checks_every_segment() {
        let image = Mandelbrot::new(300, 10, 64, 1);
        let mut checks = 0;
        let sum = mandelbrot_rows_checked(&image, 2..5, 128, &mut || {
            checks += 1;
            true
        });
        let plain = (2..5).fold(0_u64, |s, row| s.wrapping_add(image.row_checksum(row)));
        assert_eq!(sum, plain);
        assert_eq!(checks, 9); // 128 + 128 + 44 pixels in each of 3 rows
    }

    #[test]
    fn audio_checks_every_chunk_and_frame() {
        let job = AudioFeatures::new(3, 5000, 1);
        let mut checks = 0;
        let sum = audio_clips_checked(&job, 1..3, &mut || {
            checks += 1;
            true
        });
        let mut analyzer = FrameAnalyzer::new();
        let plain = (1..3).fold(0_u64, |s, clip| {
            s.wrapping_add(job.clip_digest(clip, &mut analyzer))
        });
        assert_eq!(sum, plain);
        assert_eq!(job.frames(), 16); // (5000 − 1024) / 256 + 1
        assert_eq!(checks, 2 * (3 + 16)); // 2048 + 2048 + 904 samples, then 16 frames
    }

    #[test]
    fn threads_under_the_gil_give_the_mandelbrot_twins_answer() {
        let job = MandelbrotUnderGil::new(Mandelbrot::new(160, 120, 256, 16));
        let twin = job.sequential_twin();
        for k in [1, 2] {
            assert_eq!(under_gil(&job, k), twin, "k={k}");
        }
    }

    #[test]
    fn threads_under_the_gil_give_the_audio_twins_answer() {
        let job = AudioUnderGil::new(AudioFeatures::new(20, 8000, 16));
        let twin = job.sequential_twin();
        for k in [1, 2] {
            assert_eq!(under_gil(&job, k), twin, "k={k}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn checked_rows_are_the_plain_rows(
            width in 1_u32..300, height in 1_u32..20, segment in 0_u32..200, tasks in 1_u32..8,
        ) {
            let image = Mandelbrot::new(width, height, 32, tasks);
            let checked = (0..tasks).fold(0_u64, |s, t| {
                s.wrapping_add(mandelbrot_rows_checked(&image, image.task_rows(t), segment, &mut || true))
            });
            prop_assert_eq!(checked, image.sequential_twin());
        }

        #[test]
        fn checked_clips_are_the_plain_clips(clips in 0_u32..6, samples in 1024_u32..7000, tasks in 1_u32..6) {
            let job = AudioFeatures::new(clips, samples, tasks);
            let checked = (0..tasks).fold(0_u64, |s, t| {
                s.wrapping_add(audio_clips_checked(&job, job.task_clips(t), &mut || true))
            });
            prop_assert_eq!(checked, job.sequential_twin());
        }
    }
}

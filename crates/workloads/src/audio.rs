//! Audio preprocessing, the course's "data preprocessing" case: for each of
//! many short clips, a short-time Fourier transform and per-frame features,
//! as a speech or music model's input pipeline computes them.

mod features;
mod mel;
mod synth;

use std::ops::Range;

use rustfft::num_complex::Complex;

use crate::Job;

pub use features::{ClipDigest, FRAME, FrameAnalyzer, FrameFeatures, HOP, MEL_BANDS, hann_window};
use features::{SpectrumFeatures, forward_fft, windowed};
pub use mel::{MelFilterBank, hz_to_mel, mel_to_hz};
pub use synth::{Clip, SAMPLE_RATE};

/// Features of `clips` synthesized clips of `clip_samples` samples each,
/// cut into `tasks` runs of whole clips.
///
/// Each clip ([`Clip`]) is cut into frames of [`FRAME`] samples every
/// [`HOP`] samples (no padding), and each frame gives its RMS, spectral
/// centroid and [`MEL_BANDS`] mel bands ([`FrameAnalyzer`]). A clip's
/// features fold into a 32-bit [`ClipDigest`]; the result is the sum of the
/// clips' digests, so it does not depend on which thread did which clip or
/// in what order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudioFeatures {
    clips: u32,
    clip_samples: u32,
    tasks: u32,
}

impl AudioFeatures {
    /// The page's default size: 384 clips (about 300 ms on one native
    /// thread).
    pub const DEFAULT_SIZE: u64 = 384;
    /// The most clips [`Self::from_size`] makes.
    pub const MAX_SIZE: u64 = 100_000;
    /// The length of the clips [`Self::from_size`] makes: one second.
    pub const CLIP_SAMPLES: u32 = SAMPLE_RATE;

    /// `clips` clips of `clip_samples` samples (at least one frame's worth),
    /// in `tasks` items (at least one).
    pub fn new(clips: u32, clip_samples: u32, tasks: u32) -> Self {
        Self {
            clips,
            clip_samples: clip_samples.max(FRAME as u32),
            tasks: tasks.max(1),
        }
    }

    /// The job for the page's `size`: `size` clips (clamped to
    /// 1..=[`Self::MAX_SIZE`]) of one second ([`Self::CLIP_SAMPLES`]) each.
    pub fn from_size(size: u64, tasks: u32) -> Self {
        let clips = u32::try_from(size.clamp(1, Self::MAX_SIZE)).unwrap_or(1);
        Self::new(clips, Self::CLIP_SAMPLES, tasks)
    }

    /// How many clips.
    pub fn clips(&self) -> u32 {
        self.clips
    }

    /// Samples in each clip.
    pub fn clip_samples(&self) -> u32 {
        self.clip_samples
    }

    /// Frames in each clip.
    pub fn frames(&self) -> u32 {
        (self.clip_samples - FRAME as u32) / HOP as u32 + 1
    }

    /// The samples of a clip that frame `frame` covers.
    pub fn frame_samples(frame: u32) -> Range<usize> {
        let start = frame as usize * HOP;
        start..start + FRAME
    }

    /// The clips work item `task` processes: equal runs, give or take a
    /// clip.
    pub fn task_clips(&self, task: u32) -> Range<u32> {
        let edge = |i: u32| {
            let wide = u64::from(self.clips) * u64::from(i) / u64::from(self.tasks);
            u32::try_from(wide).unwrap_or(self.clips)
        };
        edge(task.min(self.tasks))..edge(task.saturating_add(1).min(self.tasks))
    }

    /// Clip `clip`'s samples.
    pub fn samples(&self, clip: u32) -> Vec<f32> {
        let mut samples = vec![0.0; self.clip_samples as usize];
        Clip::new(clip).fill(0, &mut samples);
        samples
    }

    /// Clip `clip`'s digest, frame by frame with `analyzer`.
    pub fn clip_digest(&self, clip: u32, analyzer: &mut FrameAnalyzer) -> u64 {
        let samples = self.samples(clip);
        let mut digest = ClipDigest::new(clip);
        for frame in 0..self.frames() {
            let features = analyzer.analyze(&samples[Self::frame_samples(frame)]);
            digest.push(&features);
        }
        digest.finish()
    }
}

impl Job for AudioFeatures {
    fn tasks(&self) -> u32 {
        self.tasks
    }

    /// Plans its FFT once, then streams through its clips a frame at a time.
    fn run_task(&self, task: u32) -> u64 {
        let mut analyzer = FrameAnalyzer::new();
        let mut sum = 0_u64;
        for clip in self.task_clips(task) {
            sum = sum.wrapping_add(self.clip_digest(clip, &mut analyzer));
        }
        sum
    }

    /// The textbook way: for each clip, the whole spectrogram (all frames
    /// windowed into one buffer and transformed in one call), then the
    /// features of each of its rows.
    fn sequential_twin(&self) -> u64 {
        let frames = self.frames() as usize;
        let fft = forward_fft();
        let mut scratch = vec![Complex::default(); fft.get_inplace_scratch_len()];
        let mut spectrogram = vec![Complex::default(); frames * FRAME];
        let mut features = SpectrumFeatures::new();
        let mut sum = 0_u64;
        for clip in 0..self.clips {
            let samples = self.samples(clip);
            for (frame, row) in spectrogram.chunks_exact_mut(FRAME).enumerate() {
                windowed(&samples[frame * HOP..], features.window(), row);
            }
            fft.process_with_scratch(&mut spectrogram, &mut scratch);
            let mut digest = ClipDigest::new(clip);
            for (frame, row) in spectrogram.chunks_exact(FRAME).enumerate() {
                let start = frame * HOP;
                digest.push(&features.compute(&samples[start..start + FRAME], row));
            }
            sum = sum.wrapping_add(digest.finish());
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn total(job: &AudioFeatures) -> u64 {
        (0..job.tasks()).fold(0, |sum, t| sum.wrapping_add(job.run_task(t)))
    }

    #[test]
    fn frames_cover_the_clip_without_padding() {
        let job = AudioFeatures::from_size(3, 16);
        assert_eq!((job.clips(), job.clip_samples()), (3, 16_000));
        assert_eq!(job.frames(), 59); // (16000 − 1024) / 256 + 1
        assert!(AudioFeatures::frame_samples(58).end <= 16_000);
        assert!(AudioFeatures::frame_samples(59).end > 16_000);
        let short = AudioFeatures::new(1, 10, 1);
        assert_eq!((short.clip_samples(), short.frames()), (1024, 1));
        assert_eq!(AudioFeatures::from_size(0, 0).clips(), 1);
        assert_eq!(
            u64::from(AudioFeatures::from_size(u64::MAX, 1).clips()),
            AudioFeatures::MAX_SIZE
        );
    }

    #[test]
    fn the_digest_depends_on_every_clip() {
        let two = AudioFeatures::new(2, 4096, 1).sequential_twin();
        let three = AudioFeatures::new(3, 4096, 1).sequential_twin();
        let longer = AudioFeatures::new(2, 4352, 1).sequential_twin();
        assert_ne!(two, three);
        assert_ne!(two, longer);
        assert_eq!(two, AudioFeatures::new(2, 4096, 7).sequential_twin());
        assert_eq!(AudioFeatures::new(0, 4096, 4).sequential_twin(), 0);
        assert!(two < 2 << 32, "digests are 32-bit: {two}");
    }

    #[test]
    fn clips_of_the_default_job_give_the_twins_answer() {
        let job = AudioFeatures::from_size(20, 16);
        assert_eq!(total(&job), job.sequential_twin());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn runs_tile_the_clips(clips in 0_u32..500, tasks in 1_u32..100) {
            let job = AudioFeatures::new(clips, 1024, tasks);
            let mut next = 0;
            for t in 0..job.tasks() {
                let run = job.task_clips(t);
                prop_assert_eq!(run.start, next);
                prop_assert!(run.end >= run.start);
                next = run.end;
            }
            prop_assert_eq!(next, clips);
            prop_assert!(job.task_clips(tasks).is_empty());
        }

        #[test]
        fn any_cut_gives_the_twins_answer(clips in 0_u32..12, samples in 1024_u32..6000, tasks in 1_u32..20) {
            let job = AudioFeatures::new(clips, samples, tasks);
            prop_assert_eq!(total(&job), job.sequential_twin());
        }
    }
}

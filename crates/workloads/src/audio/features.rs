//! The features of one frame of audio: RMS energy, spectral centroid and a
//! mel spectrum, from a Hann-windowed FFT; and a digest of them.

use std::f32::consts::TAU;
use std::fmt;
use std::sync::Arc;

use rustfft::algorithm::Radix4;
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftDirection};

use super::mel::MelFilterBank;
use super::synth::{SAMPLE_RATE, splitmix64};

/// Samples in a frame (the FFT's length).
pub const FRAME: usize = 1024;
/// Samples from one frame's start to the next.
pub const HOP: usize = 256;
/// Bands of the mel spectrum.
pub const MEL_BANDS: usize = 40;

/// The forward FFT of a frame. [`FRAME`] is a power of two, which
/// rustfft's planner would give to `Radix4` on a target without SIMD (wasm
/// here): built directly, it leaves the planner's other algorithms out of
/// both wasm modules (about 150 KB of code in each).
pub(super) fn forward_fft() -> Arc<dyn Fft<f32>> {
    Arc::new(Radix4::new(FRAME, FftDirection::Forward))
}

/// The features of one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameFeatures {
    /// Root-mean-square of the frame's samples.
    pub rms: f32,
    /// The magnitude-weighted mean frequency of the spectrum, Hz (0 for
    /// silence).
    pub centroid_hz: f32,
    /// Power in each mel band: the filters' sums of squared magnitudes,
    /// scaled so that a sine of amplitude A peaks at A. (Its power, spread
    /// over a few bins by the Hann window, then adds up to 1.5 A².)
    pub mel: [f32; MEL_BANDS],
}

impl FrameFeatures {
    /// The features rounded to what a listener could tell apart: RMS to
    /// 10⁻⁴, the centroid to 1 Hz, mel bands to 0.1 dB (from −100 dB).
    pub fn quantized(&self) -> [i64; MEL_BANDS + 2] {
        let mut q = [0; MEL_BANDS + 2];
        q[0] = (self.rms * 1e4).round() as i64;
        q[1] = self.centroid_hz.round() as i64;
        for (slot, power) in q[2..].iter_mut().zip(self.mel) {
            *slot = (100.0 * (power + 1e-10).log10()).round() as i64;
        }
        q
    }
}

/// Folds the features of a clip's frames, in order, into one number; the
/// same features give the same digest on every run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClipDigest(u64);

impl ClipDigest {
    /// An empty digest for clip number `clip`.
    pub fn new(clip: u32) -> Self {
        Self(splitmix64(u64::from(clip)))
    }

    /// Adds the next frame.
    pub fn push(&mut self, frame: &FrameFeatures) {
        for q in frame.quantized() {
            self.0 = splitmix64(self.0 ^ q as u64);
        }
    }

    /// The digest of the frames pushed so far: 32 bits, so that the sum
    /// over any number of clips the page allows fits in a `u64` (the
    /// runtimes add items' results with plain addition).
    pub fn finish(self) -> u64 {
        self.0 >> 32
    }
}

/// The periodic Hann window of [`FRAME`] samples.
pub fn hann_window() -> Vec<f32> {
    (0..FRAME)
        .map(|n| 0.5 - 0.5 * (TAU * n as f32 / FRAME as f32).cos())
        .collect()
}

/// The windowed `frame` (zero past its end), ready for the FFT.
pub(crate) fn windowed(frame: &[f32], window: &[f32], out: &mut [Complex<f32>]) {
    for (i, (slot, w)) in out.iter_mut().zip(window).enumerate() {
        *slot = Complex::new(frame.get(i).copied().unwrap_or(0.0) * w, 0.0);
    }
}

/// What a frame's features are computed with: the window, the mel filters
/// and room for the spectrum; computing them allocates nothing.
#[derive(Clone, Debug)]
pub(crate) struct SpectrumFeatures {
    window: Vec<f32>,
    mel: MelFilterBank,
    magnitude: Vec<f32>,
    power: Vec<f32>,
}

impl SpectrumFeatures {
    pub(crate) fn new() -> Self {
        let bins = FRAME / 2 + 1;
        let nyquist = SAMPLE_RATE as f32 / 2.0;
        Self {
            window: hann_window(),
            mel: MelFilterBank::new(MEL_BANDS, FRAME, SAMPLE_RATE as f32, 0.0, nyquist),
            magnitude: vec![0.0; bins],
            power: vec![0.0; bins],
        }
    }

    pub(crate) fn window(&self) -> &[f32] {
        &self.window
    }

    /// The features of `frame`, whose windowed FFT is `spectrum`.
    pub(crate) fn compute(&mut self, frame: &[f32], spectrum: &[Complex<f32>]) -> FrameFeatures {
        let energy: f32 = frame.iter().map(|x| x * x).sum();
        let rms = (energy / FRAME as f32).sqrt();
        // A sine of amplitude A peaks at A·Σw/2 = A·FRAME/4.
        let scale = 4.0 / FRAME as f32;
        let bin_hz = SAMPLE_RATE as f32 / FRAME as f32;
        let (mut weighted, mut total) = (0.0_f32, 0.0_f32);
        for (k, ((x, m), p)) in spectrum
            .iter()
            .zip(self.magnitude.iter_mut())
            .zip(self.power.iter_mut())
            .enumerate()
        {
            *m = x.norm() * scale;
            *p = *m * *m;
            weighted += k as f32 * bin_hz * *m;
            total += *m;
        }
        let centroid_hz = if total > 0.0 { weighted / total } else { 0.0 };
        let mut mel = [0.0; MEL_BANDS];
        self.mel.apply(&self.power, &mut mel);
        FrameFeatures {
            rms,
            centroid_hz,
            mel,
        }
    }
}

/// Computes frame features one frame at a time, with an FFT planned once.
pub struct FrameAnalyzer {
    fft: Arc<dyn Fft<f32>>,
    features: SpectrumFeatures,
    buffer: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
}

impl fmt::Debug for FrameAnalyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameAnalyzer")
            .field("fft_len", &self.fft.len())
            .finish_non_exhaustive()
    }
}

impl Default for FrameAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameAnalyzer {
    /// Plans the FFT and builds the filters.
    pub fn new() -> Self {
        let fft = forward_fft();
        let scratch = vec![Complex::default(); fft.get_inplace_scratch_len()];
        Self {
            fft,
            features: SpectrumFeatures::new(),
            buffer: vec![Complex::default(); FRAME],
            scratch,
        }
    }

    /// The features of `frame`: [`FRAME`] samples (missing ones count as
    /// silence, extra ones are ignored).
    pub fn analyze(&mut self, frame: &[f32]) -> FrameFeatures {
        let frame = frame.get(..FRAME).unwrap_or(frame);
        windowed(frame, self.features.window(), &mut self.buffer);
        self.fft
            .process_with_scratch(&mut self.buffer, &mut self.scratch);
        self.features.compute(frame, &self.buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(hz: f32, amplitude: f32) -> Vec<f32> {
        (0..FRAME)
            .map(|n| amplitude * (TAU * hz * n as f32 / SAMPLE_RATE as f32).sin())
            .collect()
    }

    #[test]
    fn the_window_is_a_periodic_hann() {
        let w = hann_window();
        assert_eq!(w.len(), FRAME);
        assert!(w[0].abs() < 1e-7);
        assert!((w[FRAME / 2] - 1.0).abs() < 1e-7);
        assert!((w[FRAME / 4] - 0.5).abs() < 1e-5);
        let sum: f32 = w.iter().sum();
        assert!((sum - FRAME as f32 / 2.0).abs() < 1e-2, "{sum}");
    }

    #[test]
    fn a_sine_has_rms_amplitude_over_root_two() {
        let mut analyzer = FrameAnalyzer::new();
        for amplitude in [0.1, 0.5, 0.9] {
            let f = analyzer.analyze(&sine(1000.0, amplitude));
            let expected = amplitude / 2.0_f32.sqrt();
            assert!(
                (f.rms - expected).abs() < 1e-3 * amplitude,
                "{amplitude}: {}",
                f.rms
            );
        }
    }

    #[test]
    fn a_sine_has_its_centroid_at_its_pitch() {
        let mut analyzer = FrameAnalyzer::new();
        // 1 kHz falls on a bin; 2.7 kHz and 440 Hz fall between bins.
        for (hz, tolerance) in [(1000.0, 1.0), (2700.0, 15.0), (440.0, 15.0)] {
            let f = analyzer.analyze(&sine(hz, 0.5));
            assert!(
                (f.centroid_hz - hz).abs() < tolerance,
                "{hz}: {}",
                f.centroid_hz
            );
        }
    }

    #[test]
    fn a_sine_fills_the_mel_band_around_it() {
        let mut analyzer = FrameAnalyzer::new();
        let bank = MelFilterBank::new(MEL_BANDS, FRAME, SAMPLE_RATE as f32, 0.0, 8000.0);
        let f = analyzer.analyze(&sine(1000.0, 0.5));
        let loudest = (0..MEL_BANDS)
            .max_by(|&a, &b| f.mel[a].total_cmp(&f.mel[b]))
            .unwrap();
        let centre = bank.centre_hz(loudest).unwrap();
        assert!(
            (centre - 1000.0).abs() < 60.0,
            "band {loudest} at {centre} Hz"
        );
        // The filters sum to 1 around 1 kHz, so the bands hold all the
        // sine's power: 1.5 A² with the Hann window.
        let total: f32 = f.mel.iter().sum();
        assert!((total - 1.5 * 0.25).abs() < 0.01, "{total}");
        assert!(f.mel[0] < 1e-6 && f.mel[MEL_BANDS - 1] < 1e-6);
    }

    #[test]
    fn silence_has_no_features() {
        let mut analyzer = FrameAnalyzer::new();
        let f = analyzer.analyze(&[0.0; FRAME]);
        assert_eq!((f.rms, f.centroid_hz), (0.0, 0.0));
        assert!(f.mel.iter().all(|&p| p == 0.0));
        assert_eq!(f.quantized()[2..], [-1000; MEL_BANDS]);
        // A short frame is padded with silence.
        assert_eq!(analyzer.analyze(&[]), f);
    }

    #[test]
    fn digests_tell_frames_and_clips_apart() {
        let mut analyzer = FrameAnalyzer::new();
        let a = analyzer.analyze(&sine(1000.0, 0.5));
        let b = analyzer.analyze(&sine(1010.0, 0.5));
        let digest = |clip, frames: &[FrameFeatures]| {
            let mut d = ClipDigest::new(clip);
            for f in frames {
                d.push(f);
            }
            d.finish()
        };
        assert_eq!(digest(0, &[a, b]), digest(0, &[a, b]));
        assert_ne!(digest(0, &[a, b]), digest(0, &[b, a]));
        assert_ne!(digest(0, &[a]), digest(0, &[b]));
        assert_ne!(digest(0, &[a]), digest(1, &[a]));
    }
}

//! Synthesized clips, standing in for recordings loaded from disk: each a
//! repeated plucked note (a few harmonics under a decaying envelope) over a
//! little noise, every detail drawn from a generator seeded by the clip's
//! number.

use std::f64::consts::TAU;

/// The sample rate of every clip, in Hz.
pub const SAMPLE_RATE: u32 = 16_000;

/// Harmonics in a note.
const HARMONICS: usize = 3;

/// One synthesized clip. Sample `n` depends only on the clip's number and
/// `n`, so any stretch of the clip can be made on its own and comes out the
/// same as in the whole.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clip {
    seed: u64,
    /// The note's fundamental, Hz.
    pitch: f64,
    /// The harmonics' amplitudes.
    amplitudes: [f32; HARMONICS],
    /// Samples from one pluck to the next.
    period: u32,
    /// How fast a pluck fades, per second.
    decay: f32,
    /// The amplitude of the noise.
    noise: f32,
}

impl Clip {
    /// Clip number `index`.
    pub fn new(index: u32) -> Self {
        let mut lcg = Lcg(u64::from(index).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed);
        let pitch = 110.0 * 2.0_f64.powf(3.0 * lcg.unit()); // A2 to A5
        let mut amplitudes = [0.0; HARMONICS];
        for (k, a) in amplitudes.iter_mut().enumerate() {
            *a = (0.2 + 0.3 * lcg.unit() as f32) / (k + 1) as f32;
        }
        let period = SAMPLE_RATE / 10 + (lcg.unit() * f64::from(SAMPLE_RATE) * 0.4) as u32;
        Self {
            seed: lcg.next(),
            pitch,
            amplitudes,
            period,
            decay: 3.0 + 9.0 * lcg.unit() as f32,
            noise: 0.01 + 0.05 * lcg.unit() as f32,
        }
    }

    /// Sample `n`, in about [−1, 1].
    pub fn sample(&self, n: u32) -> f32 {
        let since_pluck = (n % self.period) as f32 / SAMPLE_RATE as f32;
        let envelope = (-self.decay * since_pluck).exp();
        let t = f64::from(n) / f64::from(SAMPLE_RATE);
        let cycles = (self.pitch * t).fract();
        let (sin, cos) = ((TAU * cycles) as f32).sin_cos();
        // sin((k + 1)θ) = 2 cos θ · sin kθ − sin((k − 1)θ): one sine for all
        // the harmonics.
        let (mut previous, mut current) = (0.0_f32, sin);
        let mut tone = 0.0;
        for a in self.amplitudes {
            tone += a * current;
            (previous, current) = (current, 2.0 * cos * current - previous);
        }
        let white = (splitmix64(self.seed.wrapping_add(u64::from(n))) >> 40) as f32
            / (1 << 23) as f32
            - 1.0;
        envelope * tone + self.noise * white
    }

    /// Samples `start`, `start + 1`, … into `out`.
    pub fn fill(&self, start: u32, out: &mut [f32]) {
        for (n, x) in (start..).zip(out.iter_mut()) {
            *x = self.sample(n);
        }
    }
}

/// A linear congruential generator (Knuth's MMIX constants), for the
/// clips' parameters.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// SplitMix64's output function: a good 64-bit mix of `x`.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clips_differ_and_repeat() {
        assert_eq!(Clip::new(7), Clip::new(7));
        assert_ne!(Clip::new(7), Clip::new(8));
        let mut a = [0.0; 64];
        let mut b = [0.0; 64];
        Clip::new(3).fill(100, &mut a);
        Clip::new(3).fill(100, &mut b);
        assert_eq!(a, b);
        Clip::new(4).fill(100, &mut b);
        assert_ne!(a, b);
    }

    #[test]
    fn samples_stay_in_range_and_are_not_silent() {
        for index in 0..20 {
            let clip = Clip::new(index);
            let mut samples = vec![0.0; SAMPLE_RATE as usize];
            clip.fill(0, &mut samples);
            assert!(samples.iter().all(|x| x.abs() <= 1.0), "clip {index}");
            let peak = samples.iter().fold(0.0_f32, |m, x| m.max(x.abs()));
            assert!(peak > 0.1, "clip {index}: {peak}");
            assert!((110.0..=880.0).contains(&clip.pitch), "clip {index}");
        }
    }

    proptest! {
        #[test]
        fn stretches_match_the_whole(index in 0_u32..1000, start in 0_u32..2000, len in 0_usize..300) {
            let clip = Clip::new(index);
            let mut whole = vec![0.0; 2300];
            clip.fill(0, &mut whole);
            let mut part = vec![0.0; len];
            clip.fill(start, &mut part);
            prop_assert_eq!(&part[..], &whole[start as usize..start as usize + len]);
        }
    }
}

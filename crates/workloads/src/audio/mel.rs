//! Triangular filters on the mel scale, which turn a power spectrum into a
//! few bands spaced the way hearing spaces pitches.

/// Hertz to mel (the HTK formula).
pub fn hz_to_mel(hz: f32) -> f32 {
    2595.0 * (1.0 + hz / 700.0).log10()
}

/// Mel to hertz, the inverse of [`hz_to_mel`].
pub fn mel_to_hz(mel: f32) -> f32 {
    700.0 * (10.0_f32.powf(mel / 2595.0) - 1.0)
}

/// Triangular filters over the bins of a real FFT, their centres evenly
/// spaced in mel between two frequencies. Each rises from the previous
/// filter's centre to its own and falls to the next one's, with a peak of 1,
/// so between the first and last centres the weights of each bin sum to 1.
#[derive(Clone, Debug, PartialEq)]
pub struct MelFilterBank {
    /// Per band: the first bin with a weight, and the weights from there.
    bands: Vec<(usize, Vec<f32>)>,
    centres_hz: Vec<f32>,
}

impl MelFilterBank {
    /// `bands` filters between `f_min` and `f_max` Hz, over the
    /// `fft_len / 2 + 1` bins of an FFT of `fft_len` samples taken at
    /// `sample_rate` Hz.
    pub fn new(bands: usize, fft_len: usize, sample_rate: f32, f_min: f32, f_max: f32) -> Self {
        let (lo, hi) = (hz_to_mel(f_min), hz_to_mel(f_max));
        let step = (hi - lo) / (bands + 1) as f32;
        let edges: Vec<f32> = (0..bands + 2)
            .map(|i| mel_to_hz(lo + step * i as f32))
            .collect();
        let bin_hz = sample_rate / fft_len as f32;
        let bins = fft_len / 2 + 1;
        let filters = edges
            .windows(3)
            .map(|edge| {
                let (left, centre, right) = (edge[0], edge[1], edge[2]);
                let weight = |bin: usize| {
                    let f = bin as f32 * bin_hz;
                    let rising = (f - left) / (centre - left);
                    let falling = (right - f) / (right - centre);
                    rising.min(falling).max(0.0)
                };
                let first = (0..bins).find(|&b| weight(b) > 0.0).unwrap_or(bins);
                let end = (first..bins).find(|&b| weight(b) <= 0.0).unwrap_or(bins);
                (first, (first..end).map(weight).collect())
            })
            .collect();
        Self {
            bands: filters,
            centres_hz: edges[1..=bands].to_vec(),
        }
    }

    /// How many bands.
    pub fn bands(&self) -> usize {
        self.bands.len()
    }

    /// Band `band`'s centre in Hz.
    pub fn centre_hz(&self, band: usize) -> Option<f32> {
        self.centres_hz.get(band).copied()
    }

    /// The weight of `bin` in `band` (0 outside its triangle).
    pub fn weight(&self, band: usize, bin: usize) -> f32 {
        self.bands.get(band).map_or(0.0, |(first, weights)| {
            bin.checked_sub(*first)
                .and_then(|i| weights.get(i))
                .copied()
                .unwrap_or(0.0)
        })
    }

    /// Each band's weighted sum of `power` (one value per bin) into `out`
    /// (one per band; extra bands or bins are ignored).
    pub fn apply(&self, power: &[f32], out: &mut [f32]) {
        for ((first, weights), energy) in self.bands.iter().zip(out.iter_mut()) {
            let bins = power.get(*first..).unwrap_or(&[]);
            *energy = weights.iter().zip(bins).map(|(w, p)| w * p).sum();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> MelFilterBank {
        MelFilterBank::new(40, 1024, 16_000.0, 0.0, 8_000.0)
    }

    #[test]
    fn the_mel_scale_round_trips() {
        assert!(hz_to_mel(0.0).abs() < 1e-6);
        assert!((hz_to_mel(1000.0) - 1000.0).abs() < 0.5); // 1000 Hz ≈ 1000 mel, by design
        for hz in [50.0, 440.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < hz * 1e-4, "{hz}");
        }
    }

    #[test]
    fn weights_sum_to_one_between_the_outer_centres() {
        let bank = bank();
        let (first, last) = (bank.centre_hz(0).unwrap(), bank.centre_hz(39).unwrap());
        let mut inside = 0;
        for bin in 0..513 {
            let f = bin as f32 * 16_000.0 / 1024.0;
            let sum: f32 = (0..40).map(|b| bank.weight(b, bin)).sum();
            assert!(sum <= 1.0 + 1e-5, "bin {bin}: {sum}");
            if f >= first && f <= last {
                assert!((sum - 1.0).abs() < 1e-4, "bin {bin} ({f} Hz): {sum}");
                inside += 1;
            }
        }
        assert!(inside > 450, "{inside}");
    }

    #[test]
    fn bands_are_triangles_that_widen_with_pitch() {
        let bank = bank();
        let width = |b: usize| (0..513).filter(|&k| bank.weight(b, k) > 0.0).count();
        for b in 0..40 {
            assert!(width(b) >= 1, "band {b} is empty");
            let peak = (0..513).map(|k| bank.weight(b, k)).fold(0.0_f32, f32::max);
            assert!(peak > 0.3 && peak <= 1.0, "band {b}: {peak}");
        }
        assert!(width(39) > 4 * width(2), "{} vs {}", width(39), width(2));
        let centres: Vec<f32> = (0..40).filter_map(|b| bank.centre_hz(b)).collect();
        assert!(centres.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(bank.centre_hz(40), None);
    }

    #[test]
    fn a_flat_spectrum_fills_each_band_by_its_area() {
        let bank = bank();
        let mut out = [0.0; 40];
        bank.apply(&[1.0; 513], &mut out);
        for (b, energy) in out.iter().enumerate() {
            let area: f32 = (0..513).map(|k| bank.weight(b, k)).sum();
            assert!((energy - area).abs() < 1e-4, "band {b}");
        }
    }
}

//! The tune a playback run plays: the opening of "Ode to Joy", a phrase of
//! the C major scale, in equal notes of [`Melody::NOTE_MS`], repeated for as many
//! notes as asked.
//!
//! Each note is a soft tone (a fundamental and three quieter harmonics)
//! under an envelope that rises from silence and falls back to it within
//! the note, so notes join without a jump: a click in the sound can only
//! come from an underrun. Every sample is a pure function of its frame
//! index, so any cut into blocks gives the same sound.

use std::f64::consts::TAU;

/// The phrase, in semitones above C5 (523.25 Hz): E E F G G F E D C C D E
/// E D D, then the same closing on C.
const PHRASE: [i32; 30] = [
    4, 4, 5, 7, 7, 5, 4, 2, 0, 0, 2, 4, 4, 2, 2, //
    4, 4, 5, 7, 7, 5, 4, 2, 0, 0, 2, 4, 2, 0, 0,
];

/// C5, Hz.
const BASE_HZ: f64 = 523.251_130_601_197_2;

/// The harmonics' amplitudes, fundamental first; they add up to 1.
const PARTIALS: [f64; 4] = [0.6, 0.25, 0.1, 0.05];

/// The envelope's rise at a note's start and fall at its end, ms.
const ATTACK_MS: f64 = 10.0;
const RELEASE_MS: f64 = 40.0;

/// How far the level sinks from the attack to the release, as a fraction.
const SAG: f64 = 0.4;

/// A melody of `notes` notes of [`Melody::NOTE_MS`] at `sample_rate`, mono.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Melody {
    notes: u32,
    sample_rate: u32,
    note_frames: u64,
}

impl Melody {
    /// One note, ms (`lanes_model::playback::NOTE_MS` is this figure).
    pub const NOTE_MS: u32 = 500;

    /// The loudest a sample gets: quiet enough to sit under speech.
    pub const PEAK: f32 = 0.3;

    /// `notes` notes (the phrase repeats) at `sample_rate` frames a second
    /// (at least 1).
    pub fn new(notes: u32, sample_rate: u32) -> Self {
        let sample_rate = sample_rate.max(1);
        Self {
            notes,
            sample_rate,
            note_frames: (u64::from(Self::NOTE_MS) * u64::from(sample_rate) / 1000).max(1),
        }
    }

    /// Frames in the whole melody.
    pub fn frames(&self) -> u64 {
        u64::from(self.notes) * self.note_frames
    }

    /// Frames in one note.
    pub fn note_frames(&self) -> u64 {
        self.note_frames
    }

    /// Writes frames `first_frame ..` into `out`, one sample a frame in
    /// -[`Self::PEAK`]..=[`Self::PEAK`]; frames past the end are silence.
    pub fn render(&self, first_frame: u64, out: &mut [f32]) {
        let rate = f64::from(self.sample_rate);
        let shape = Envelope {
            length: self.note_frames as f64,
            attack: ATTACK_MS * rate / 1000.0,
            release: RELEASE_MS * rate / 1000.0,
        };
        let mut frame = first_frame;
        let mut rest = out;
        // Note by note: the pitch is the note's, the phase starts at 0.
        while !rest.is_empty() {
            let note = frame / self.note_frames;
            let offset = frame % self.note_frames;
            let len = usize::try_from(self.note_frames - offset)
                .unwrap_or(usize::MAX)
                .min(rest.len());
            let (part, tail) = rest.split_at_mut(len);
            if note >= u64::from(self.notes) {
                part.fill(0.0);
            } else {
                let step = TAU * pitch_hz(note) / rate;
                for (t, sample) in (offset..).zip(part.iter_mut()) {
                    let t = t as f64;
                    let level = shape.at(t) * f64::from(Self::PEAK);
                    *sample = (level * tone(step * t)) as f32;
                }
            }
            frame += len as u64;
            rest = tail;
        }
    }
}

/// The pitch of note `note`, Hz.
fn pitch_hz(note: u64) -> f64 {
    let at = (note % PHRASE.len() as u64) as usize;
    let semitones = PHRASE.get(at).copied().unwrap_or(0);
    BASE_HZ * (f64::from(semitones) / 12.0).exp2()
}

/// The tone at phase `x`: the partials' sines from one `sin_cos` (by the
/// double- and sum-angle formulas), within -1..=1.
fn tone(x: f64) -> f64 {
    let (s1, c1) = x.sin_cos();
    let (s2, c2) = (2.0 * s1 * c1, c1 * c1 - s1 * s1);
    let s3 = s2 * c1 + c2 * s1;
    let s4 = 2.0 * s2 * c2;
    let [a1, a2, a3, a4] = PARTIALS;
    a1 * s1 + a2 * s2 + a3 * s3 + a4 * s4
}

/// A note's loudness over time: a raised-cosine rise from 0 over `attack`
/// frames, a slow sag, and a raised-cosine fall to 0 over the last
/// `release` frames of its `length`.
struct Envelope {
    length: f64,
    attack: f64,
    release: f64,
}

impl Envelope {
    /// The level `t` frames into the note, within 0..=1.
    fn at(&self, t: f64) -> f64 {
        let smooth = |u: f64| {
            if u >= 1.0 {
                1.0
            } else {
                0.5 - 0.5 * (std::f64::consts::PI * u.max(0.0)).cos()
            }
        };
        let sag = 1.0 - SAG * (t / self.length).clamp(0.0, 1.0);
        let rise = if t < self.attack {
            smooth(t / self.attack)
        } else {
            1.0
        };
        let left = self.length - t;
        let fall = if left < self.release {
            smooth(left / self.release)
        } else {
            1.0
        };
        sag * rise * fall
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn notes_last_note_ms_and_the_end_is_silent() {
        let m = Melody::new(4, 44_100);
        assert_eq!(m.note_frames(), 22_050);
        assert_eq!(m.frames(), 88_200);
        let mut tail = vec![1.0_f32; 300];
        m.render(m.frames() - 100, &mut tail);
        assert!(tail[100..].iter().all(|&s| s == 0.0));
        assert!(tail[..100].iter().all(|&s| s.abs() < 0.01), "fades out");
        assert_eq!(Melody::new(0, 48_000).frames(), 0);
    }

    #[test]
    fn it_is_about_as_loud_as_meant_and_never_jumps() {
        let m = Melody::new(16, 48_000);
        let mut all = vec![0.0_f32; m.frames() as usize];
        m.render(0, &mut all);
        let peak = all.iter().fold(0.0_f32, |p, s| p.max(s.abs()));
        assert!((0.2..=Melody::PEAK).contains(&peak), "peak {peak}");
        // No step between two frames bigger than the highest partial of the
        // highest note can make: 4 × 784 Hz, a quarter turn at most.
        let biggest = all
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0_f32, f32::max);
        assert!(biggest < 0.15, "step {biggest}");
        // Each note starts and ends at silence.
        for note in 0..16 {
            let start = (note * m.note_frames()) as usize;
            assert_eq!(all[start], 0.0, "note {note}");
            assert!(all[start + m.note_frames() as usize - 1].abs() < 1e-3);
        }
    }

    #[test]
    fn the_phrase_climbs_the_major_scale() {
        // E5, F5, G5, then back down to C5.
        let hz: Vec<f64> = (0..9).map(pitch_hz).collect();
        assert!((hz[0] - 659.255).abs() < 0.01);
        assert!((hz[3] - 783.991).abs() < 0.01);
        assert!((hz[8] - BASE_HZ).abs() < 1e-9);
        // The phrase repeats.
        assert_eq!(pitch_hz(30), pitch_hz(0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn any_cut_into_blocks_gives_the_same_samples(
            cuts in prop::collection::vec(1_usize..700, 1..12),
            start in 0_u64..30_000,
        ) {
            let m = Melody::new(3, 44_100);
            let total: usize = cuts.iter().sum();
            let mut whole = vec![0.0_f32; total];
            m.render(start, &mut whole);
            let mut pieces = vec![0.0_f32; total];
            let mut at = 0;
            for cut in cuts {
                m.render(start + at as u64, &mut pieces[at..at + cut]);
                at += cut;
            }
            prop_assert_eq!(whole, pieces);
        }
    }
}

//! Colours: one per span state, one per GIL holder, one per speedup
//! series, the neutral tints of call-stack rows, the audio row's, and the
//! light and dark themes around them.

use lanes_trace::State;
use plotters::style::RGBColor;

use crate::lod::Fill;

/// The fill colour of spans in `state`.
///
/// Taken from the Okabe–Ito palette, which stays distinguishable under the
/// common forms of colour blindness; idle is a neutral grey. The palette has
/// no ninth colour, so waiting for a lock is a dark brown, chosen to stay
/// far (CIELAB ΔE above 30) from every other state under simulated
/// protanopia, deuteranopia and tritanopia, waiting for the GIL above all,
/// and to show on both themes' backgrounds.
pub fn state_colour(state: State) -> RGBColor {
    match state {
        State::Running => RGBColor(0x00, 0x9E, 0x73), // bluish green
        State::GilWait => RGBColor(0xD5, 0x5E, 0x00), // vermillion
        State::IoWait => RGBColor(0x56, 0xB4, 0xE9),  // sky blue
        State::Startup => RGBColor(0xCC, 0x79, 0xA7), // reddish purple
        State::CopyIn => RGBColor(0xE6, 0x9F, 0x00),  // orange
        State::CopyOut => RGBColor(0xF0, 0xE4, 0x42), // yellow
        State::Idle => RGBColor(0x9A, 0x9A, 0x9A),    // grey
        State::Awaiting => RGBColor(0x00, 0x72, 0xB2), // blue
        State::LockWait => RGBColor(0x5E, 0x3A, 0x1A), // dark brown
    }
}

/// How many colours GIL holders cycle through.
pub(crate) const HOLDER_COLOURS: usize = 9;

/// The colour of the GIL while the thread with holder index `i` holds it.
///
/// Paul Tol's "muted" scheme, safe under the common forms of colour
/// blindness, ordered so that neighbouring threads differ most. The GIL
/// lane is its own row, so these never stand for a state.
pub(crate) fn holder_colour(i: usize) -> RGBColor {
    const COLOURS: [RGBColor; HOLDER_COLOURS] = [
        RGBColor(0x33, 0x22, 0x88), // indigo
        RGBColor(0xDD, 0xCC, 0x77), // sand
        RGBColor(0x44, 0xAA, 0x99), // teal
        RGBColor(0xCC, 0x66, 0x77), // rose
        RGBColor(0x88, 0xCC, 0xEE), // cyan
        RGBColor(0x88, 0x22, 0x55), // wine
        RGBColor(0x99, 0x99, 0x33), // olive
        RGBColor(0xAA, 0x44, 0x99), // purple
        RGBColor(0x11, 0x77, 0x33), // green
    ];
    COLOURS[i % HOLDER_COLOURS]
}

/// The colour of speedup series `i`: Okabe–Ito again, in an order whose
/// first colours differ most.
pub(crate) fn series_colour(i: usize) -> RGBColor {
    const COLOURS: [RGBColor; 6] = [
        RGBColor(0x00, 0x72, 0xB2), // blue
        RGBColor(0xD5, 0x5E, 0x00), // vermillion
        RGBColor(0x00, 0x9E, 0x73), // bluish green
        RGBColor(0xCC, 0x79, 0xA7), // reddish purple
        RGBColor(0xE6, 0x9F, 0x00), // orange
        RGBColor(0x56, 0xB4, 0xE9), // sky blue
    ];
    COLOURS[i % COLOURS.len()]
}

/// How many neutral tints the boxes of call-stack rows cycle through.
pub(crate) const CALL_TINTS: usize = 6;

/// The tint of calls named `name`: the same name always gets the same
/// tint, in every run.
pub(crate) fn call_tint(name: &str) -> usize {
    // FNV-1a: tiny, stable across builds and platforms.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash as usize % CALL_TINTS
}

/// The fill colour of a segment in `theme`.
pub(crate) fn fill_colour(fill: Fill, theme: &Theme) -> RGBColor {
    match fill {
        Fill::State(s) => state_colour(s),
        Fill::Holder(i) => holder_colour(i),
        Fill::Call(i) => theme.calls[i % CALL_TINTS],
    }
}

/// The colour of the thin outline drawn around a fill of `colour`.
pub(crate) fn outline_of(colour: RGBColor) -> RGBColor {
    mix(colour, RGBColor(0, 0, 0), 0.35)
}

/// The colour of the thin outline drawn around a span of `state`.
pub(crate) fn outline_colour(state: State) -> RGBColor {
    outline_of(state_colour(state))
}

/// Black or white, whichever reads better on `background`.
pub(crate) fn text_on(background: RGBColor) -> RGBColor {
    let black = RGBColor(0x11, 0x11, 0x11);
    let white = RGBColor(0xFF, 0xFF, 0xFF);
    if contrast(background, black) >= contrast(background, white) {
        black
    } else {
        white
    }
}

/// The colours around the spans.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Theme {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    /// Background of every other lane.
    pub stripe: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// The boxes of call-stack rows: greys with a faint cool or warm cast
    /// (only cool on the dark theme, where a warm grey looks like waiting
    /// for a lock), a step off the background, so that the rows read as a
    /// flame chart without competing with the state colours.
    pub calls: [RGBColor; CALL_TINTS],
    /// The colours of a playback's audio row.
    pub audio: AudioColours,
}

/// The colours of the audio row. It is its own row, so these stand for no
/// state; a block's deadline met or missed is told by the mark's height as
/// well as its colour (a short tick, a tall mark over a band), so that it
/// reads without telling red from green.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AudioColours {
    /// The buffer's fill level: a periwinkle blue, away from the state
    /// colours' blues (I/O wait's sky blue, awaiting's deep blue).
    pub fill: RGBColor,
    /// A block ready in time: a short tick in a neutral grey.
    pub met: RGBColor,
    /// A block late (an underrun): a tall mark, and its silence a band of
    /// the same red, see-through.
    pub missed: RGBColor,
}

impl Theme {
    pub fn new(dark: bool) -> Self {
        if dark {
            Self {
                background: RGBColor(0x16, 0x19, 0x1E),
                text: RGBColor(0xEC, 0xEE, 0xF1),
                muted: RGBColor(0xA4, 0xAB, 0xB5),
                stripe: RGBColor(0x20, 0x25, 0x2C),
                grid: RGBColor(0x3A, 0x41, 0x4B),
                axis: RGBColor(0xB8, 0xBE, 0xC7),
                calls: [
                    RGBColor(0x3C, 0x43, 0x4D),
                    RGBColor(0x48, 0x4C, 0x53),
                    RGBColor(0x36, 0x3D, 0x46),
                    RGBColor(0x4F, 0x54, 0x5C),
                    RGBColor(0x41, 0x47, 0x50),
                    RGBColor(0x52, 0x58, 0x61),
                ],
                audio: AudioColours {
                    fill: RGBColor(0x5D, 0x6F, 0xCF),
                    met: RGBColor(0x9A, 0xA3, 0xAE),
                    missed: RGBColor(0xFF, 0x5C, 0x5C),
                },
            }
        } else {
            Self {
                background: RGBColor(0xFF, 0xFF, 0xFF),
                text: RGBColor(0x1A, 0x1D, 0x21),
                muted: RGBColor(0x55, 0x5B, 0x63),
                stripe: RGBColor(0xF1, 0xF3, 0xF5),
                grid: RGBColor(0xD5, 0xD9, 0xDE),
                axis: RGBColor(0x4A, 0x50, 0x58),
                calls: [
                    RGBColor(0xD3, 0xD9, 0xE0),
                    RGBColor(0xE0, 0xDA, 0xD1),
                    RGBColor(0xC7, 0xCE, 0xD6),
                    RGBColor(0xDB, 0xDE, 0xE2),
                    RGBColor(0xD5, 0xCF, 0xC6),
                    RGBColor(0xCC, 0xD0, 0xD5),
                ],
                audio: AudioColours {
                    fill: RGBColor(0x6A, 0x7B, 0xD6),
                    met: RGBColor(0x6B, 0x72, 0x7B),
                    missed: RGBColor(0xC8, 0x10, 0x2E),
                },
            }
        }
    }
}

/// `a` moved a share `t` (0 to 1) of the way towards `b`.
pub(crate) fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let channel = |x: u8, y: u8| {
        let v = f64::from(x) + (f64::from(y) - f64::from(x)) * t;
        // The value lies between two u8s, so the cast cannot truncate.
        v.round().clamp(0.0, 255.0) as u8
    };
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

/// WCAG relative luminance.
fn luminance(c: RGBColor) -> f64 {
    let lin = |x: u8| {
        let s = f64::from(x) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// WCAG contrast ratio, 1 to 21.
fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_own_colour() {
        let mut colours: Vec<_> = State::ALL
            .iter()
            .map(|&s| {
                let c = state_colour(s);
                (c.0, c.1, c.2)
            })
            .collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), State::ALL.len());
    }

    #[test]
    fn labels_contrast_with_every_fill() {
        for s in State::ALL {
            let fill = state_colour(s);
            assert!(contrast(fill, text_on(fill)) >= 3.0, "{s:?}");
        }
        for i in 0..HOLDER_COLOURS {
            let fill = holder_colour(i);
            assert!(contrast(fill, text_on(fill)) >= 4.5, "holder {i}");
        }
    }

    #[test]
    fn call_tints_stay_neutral_and_carry_their_names() {
        for dark in [false, true] {
            let theme = Theme::new(dark);
            for (i, &tint) in theme.calls.iter().enumerate() {
                // Names written in the boxes stay readable.
                assert!(
                    contrast(tint, text_on(tint)) >= 7.0,
                    "dark {dark}, tint {i}"
                );
                // Near grey: no channel strays far from the others, so no
                // tint looks like a state.
                let (lo, hi) = (
                    tint.0.min(tint.1).min(tint.2),
                    tint.0.max(tint.1).max(tint.2),
                );
                assert!(hi - lo <= 0x18, "dark {dark}, tint {i}");
                // A box stands out from the lane's stripe and background.
                for around in [theme.background, theme.stripe] {
                    assert!(contrast(tint, around) >= 1.2, "dark {dark}, tint {i}");
                }
            }
        }
        assert_eq!(call_tint("main"), call_tint("main"));
        let tints: std::collections::BTreeSet<usize> =
            ["main", "work", "sleep", "count_primes", "run"]
                .iter()
                .map(|n| call_tint(n))
                .collect();
        assert!(tints.len() >= 3, "{tints:?}");
    }

    #[test]
    fn waiting_for_a_lock_shows_on_both_themes() {
        let lock = state_colour(State::LockWait);
        for dark in [false, true] {
            let theme = Theme::new(dark);
            assert!(contrast(lock, theme.background) >= 1.5, "dark {dark}");
        }
        assert!(contrast(lock, text_on(lock)) >= 4.5);
    }

    #[test]
    fn holders_have_their_own_colours() {
        let mut colours: Vec<_> = (0..HOLDER_COLOURS)
            .map(|i| {
                let c = holder_colour(i);
                (c.0, c.1, c.2)
            })
            .collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), HOLDER_COLOURS);
        assert_eq!(holder_colour(HOLDER_COLOURS), holder_colour(0));
    }

    #[test]
    fn the_audio_row_reads_on_both_themes() {
        for dark in [false, true] {
            let theme = Theme::new(dark);
            let a = theme.audio;
            for around in [theme.background, theme.stripe] {
                // A missed deadline stands out as text would; met ticks and
                // the fill show.
                assert!(contrast(a.missed, around) >= 4.5, "dark {dark}");
                assert!(contrast(a.met, around) >= 3.0, "dark {dark}");
                assert!(contrast(a.fill, around) >= 2.0, "dark {dark}");
            }
            // Red is told from the fill it is drawn over.
            assert!(contrast(a.missed, a.fill) >= 1.3, "dark {dark}");
            // No audio colour is a state's.
            for s in State::ALL {
                let c = state_colour(s);
                for mine in [a.fill, a.met, a.missed] {
                    assert_ne!((c.0, c.1, c.2), (mine.0, mine.1, mine.2));
                }
            }
        }
    }
}

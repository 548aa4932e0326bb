//! Numbers in the words of span labels, which live and simulated traces
//! must write alike, and text from strangers made safe to show.

use std::borrow::Cow;

/// Control characters, and the formatting characters that change how the
/// text around them reads (bidirectional marks, overrides and isolates,
/// zero-width characters) without showing themselves.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// `text` with each [invisible](is_invisible) character written as its code
/// point ("[U+202E]"): a right-to-left override in a name would otherwise
/// turn the rest of a line around, and a zero-width one would hide. Text
/// without any comes back borrowed.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("[U+{:04X}]", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `n` with thin spaces between groups of three digits: "1 250 000".
pub fn thousands(n: u64) -> String {
    grouped(n, '\u{2009}')
}

/// `n` with `separator` between groups of three digits: "1,250,000".
pub fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A duration for people, to three figures: "0.42 ms", "42.7 ms", "312 ms",
/// "1.42 s", "14.2 s", "142 s"; "–" when it is not a number.
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "–".to_owned();
    }
    if ms >= 999.5 {
        let s = ms / 1000.0;
        if s < 9.995 {
            format!("{s:.2} s")
        } else if s < 99.95 {
            format!("{s:.1} s")
        } else {
            format!("{s:.0} s")
        }
    } else if ms >= 99.95 {
        format!("{ms:.0} ms")
    } else if ms >= 9.995 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// A byte count in B, kB, MB or GB (powers of 1000): "2.0 MB".
pub fn byte_size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.1} GB", b / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown_as_code_points() {
        assert!(matches!(
            visible("Thread 1 · 250\u{2009}000"),
            Cow::Borrowed(_)
        ));
        assert_eq!(visible("evil\u{202E}txt.exe"), "evil[U+202E]txt.exe");
        assert_eq!(visible("a\nb\u{200B}"), "a[U+000A]b[U+200B]");
    }

    #[test]
    fn groups_digits_and_sizes_bytes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_250_000), "1\u{2009}250\u{2009}000");
        assert_eq!(byte_size(650), "650 B");
        assert_eq!(byte_size(2_000_000), "2.0 MB");
        assert_eq!(byte_size(3_500_000_000), "3.5 GB");
        assert_eq!(grouped(5_000_000, ','), "5,000,000");
    }

    #[test]
    fn durations_keep_three_significant_figures() {
        assert_eq!(duration_ms(0.4249), "0.42 ms");
        assert_eq!(duration_ms(0.42), "0.42 ms");
        assert_eq!(duration_ms(38.46), "38.5 ms");
        assert_eq!(duration_ms(312.4), "312 ms");
        assert_eq!(duration_ms(999.7), "1.00 s");
        assert_eq!(duration_ms(1423.0), "1.42 s");
        assert_eq!(duration_ms(12_345.0), "12.3 s");
        assert_eq!(duration_ms(142_000.0), "142 s");
        assert_eq!(duration_ms(f64::NAN), "–");
    }
}

//! Numbers as people read them.

pub use lanes_trace::words::duration_ms;

/// A ratio such as a speedup: "1.83×".
pub fn ratio(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}×")
    } else {
        "–".to_owned()
    }
}

/// A share from 0 to 1 as a whole percentage: "37 %".
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0} %", share * 100.0)
    } else {
        "–".to_owned()
    }
}

/// A whole number with narrow no-break spaces between thousands: "5 000 000".
pub fn count(n: u64) -> String {
    lanes_trace::words::grouped(n, '\u{202f}')
}

/// `text` with its first letter capitalised, to open a sentence.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A form's `label` inside a sentence: its first letter in lower case,
/// unless it opens an acronym ("Image width" → "image width", "CPU-bound"
/// stays).
pub fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !(first.is_uppercase() && second.is_uppercase()) => {
            first.to_lowercase().chain([second]).chain(chars).collect()
        }
        _ => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_in_a_sentence_keeps_its_acronyms() {
        assert_eq!(in_sentence("Image width (pixels)"), "image width (pixels)");
        assert_eq!(
            in_sentence("CPU-bound neighbours (k)"),
            "CPU-bound neighbours (k)"
        );
        assert_eq!(in_sentence("Threads (k)"), "threads (k)");
        assert_eq!(in_sentence(""), "");
    }

    #[test]
    fn ratios_and_counts() {
        assert_eq!(ratio(1.8349), "1.83×");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(348_513), "348\u{202f}513");
        assert_eq!(count(5_000_000), "5\u{202f}000\u{202f}000");
    }

    #[test]
    fn percentages_are_whole() {
        assert_eq!(percent(0.374), "37 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(f64::INFINITY), "–");
    }

    #[test]
    fn a_sentence_opens_with_a_capital() {
        assert_eq!(sentence("not isolated"), "Not isolated");
        assert_eq!(sentence("élan"), "Élan");
        assert_eq!(sentence(""), "");
    }
}

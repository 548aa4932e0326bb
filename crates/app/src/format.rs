//! Numbers as people read them.

/// A duration given in milliseconds: "0.42 ms", "38.5 ms", "312 ms", "1.42 s".
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "–".to_owned();
    }
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

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

/// A whole number with thin-space thousands separators: "5 000 000".
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// `text` with its first letter capitalised, to open a sentence.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_three_significant_figures() {
        assert_eq!(duration_ms(0.4249), "0.42 ms");
        assert_eq!(duration_ms(38.46), "38.5 ms");
        assert_eq!(duration_ms(312.4), "312 ms");
        assert_eq!(duration_ms(1423.0), "1.42 s");
        assert_eq!(duration_ms(12_345.0), "12.3 s");
        assert_eq!(duration_ms(f64::NAN), "–");
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

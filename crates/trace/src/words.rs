//! Numbers in the words of span labels, which live and simulated traces
//! must write alike.

/// `n` with thin spaces between groups of three digits: "1 250 000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
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
    fn groups_digits_and_sizes_bytes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_250_000), "1\u{2009}250\u{2009}000");
        assert_eq!(byte_size(650), "650 B");
        assert_eq!(byte_size(2_000_000), "2.0 MB");
        assert_eq!(byte_size(3_500_000_000), "3.5 GB");
    }
}

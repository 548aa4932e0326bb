//! Hostile inputs found or tried by the fuzzer (`fuzz/`, `tools/fuzz.sh`):
//! each gives an error in words, never a panic or a stack overflow.

use super::{ImportError, from_chrome_json};

const DEEP: usize = 100_000;

#[test]
fn deep_nesting_is_refused_or_skipped_without_recursing() {
    // Unclosed: read as a bare list cut short, closed, and still cut short.
    let open = "[".repeat(DEEP);
    assert!(
        matches!(from_chrome_json(&open), Err(ImportError::Truncated { .. })),
        "{:?}",
        from_chrome_json(&open)
    );
    let events = format!("{{\"traceEvents\":{open}");
    assert!(matches!(
        from_chrome_json(&events),
        Err(ImportError::Truncated { .. })
    ));
    // `metadata` is read whole, so the JSON reader's depth limit applies.
    for deep in [
        format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
        format!("{}1{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP)),
    ] {
        let text = format!("{{\"traceEvents\":[],\"metadata\":{deep}}}");
        assert!(
            matches!(from_chrome_json(&text), Err(ImportError::TooDeep { .. })),
            "{:?}",
            from_chrome_json(&text)
        );
    }
    // Inside an event, deep values are skipped over, even where a label
    // or a time should be.
    let label = format!(
        "[{{\"ph\":\"X\",\"cat\":\"lanes\",\"name\":\"running\",\"ts\":0,\"dur\":1,\
         \"args\":{{\"label\":{}{}}}}}]",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    assert!(from_chrome_json(&label).is_ok());
}

#[test]
fn huge_numbers_are_refused_in_words() {
    let digits = "9".repeat(DEEP);
    for text in [
        format!("[{{\"ph\":\"X\",\"ts\":{digits},\"dur\":1}}]"),
        format!("[{{\"ph\":\"X\",\"ts\":0,\"dur\":1,\"pid\":{digits}}}]"),
        "[{\"ph\":\"X\",\"ts\":1e999999999999,\"dur\":1}]".to_owned(),
        digits.clone(),
    ] {
        let e = from_chrome_json(&text)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            e.as_ref().is_err_and(|e| e.contains("number out of range")),
            "{e:?}"
        );
    }
    // A quoted time is read by Rust's parser: too large is infinite.
    let quoted = format!("[{{\"ph\":\"X\",\"ts\":\"{digits}\",\"dur\":1}}]");
    assert_eq!(
        from_chrome_json(&quoted),
        Err(ImportError::NotFinite {
            index: 0,
            field: "ts"
        })
    );
    // Long fractions and tiny exponents are ordinary numbers.
    let fraction = format!("[{{\"ph\":\"X\",\"ts\":0.{},\"dur\":1}}]", "1".repeat(DEEP));
    assert!(from_chrome_json(&fraction).is_ok());
    assert!(from_chrome_json("[{\"ph\":\"X\",\"ts\":1e-999999999999,\"dur\":1}]").is_ok());
}

#[test]
fn times_too_far_apart_to_shift_are_refused_in_words() {
    // Found by the fuzzer's neighbourhood: each time is finite, but shifting
    // them to start at 0 overflowed, and the error blamed "event 0" of the
    // trace for a time that is not a number.
    let text = "[{\"ph\":\"X\",\"ts\":-1e308,\"dur\":1},{\"ph\":\"i\",\"ts\":1.7e308,\"s\":\"g\"}]";
    assert_eq!(
        from_chrome_json(text),
        Err(ImportError::TimesTooFarApart {
            earliest_us: -1e308,
            latest_us: 1.7e308
        })
    );
    assert_eq!(
        from_chrome_json(text)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err("the times in the file run from -1e308 µs to 1.7e308 µs, \
             too far apart to show on one time axis"
            .to_owned())
    );
    // A slice's end counts too.
    let text = "[{\"ph\":\"X\",\"ts\":-1e308,\"dur\":1e308},{\"ph\":\"X\",\"ts\":1e308,\"dur\":0,\"tid\":5}]";
    assert!(matches!(
        from_chrome_json(text),
        Err(ImportError::TimesTooFarApart { .. })
    ));
    // Far apart but within range is fine.
    let text = "[{\"ph\":\"X\",\"ts\":-1e307,\"dur\":1},{\"ph\":\"i\",\"ts\":1e307,\"s\":\"g\"}]";
    assert!(from_chrome_json(text).is_ok());
}

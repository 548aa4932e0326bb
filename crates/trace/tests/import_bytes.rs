//! Importing a file's bytes gives what importing its text gives, and tells
//! how far it has come: forward only, within bounds, a bounded number of
//! times.

use lanes_trace::{
    ImportError, ImportLimits, ImportPhase, ImportProgress, Imported, from_chrome_bytes,
    from_chrome_json, from_chrome_json_with,
};

/// The import of `bytes`, with every progress report it made.
fn import(
    bytes: &[u8],
    limits: &ImportLimits,
) -> (Result<Imported, ImportError>, Vec<ImportProgress>) {
    let mut reports = Vec::new();
    let result = from_chrome_bytes(bytes, limits, &mut |p| reports.push(p));
    (result, reports)
}

/// The truths every import's reports hold: phases in order, each counting
/// up to its total and never back, a bounded number of reports, and (when
/// the import succeeded) a last one that says building is done.
fn assert_sound(reports: &[ImportProgress], succeeded: bool) {
    assert!(reports.len() <= ImportProgress::MAX_REPORTS, "{reports:?}");
    for pair in reports.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        assert!(a.phase <= b.phase, "{reports:?}");
        if a.phase == b.phase {
            assert!(a.done <= b.done && a.total == b.total, "{reports:?}");
        }
    }
    assert!(reports.iter().all(|p| p.done <= p.total), "{reports:?}");
    if succeeded {
        let last = reports.last().copied();
        assert!(
            matches!(last, Some(p) if p.phase == ImportPhase::Building && p.done == p.total),
            "{reports:?}"
        );
    }
}

#[test]
fn the_bytes_import_as_the_text_does() {
    for name in [
        "viztracer_small.json",
        "recorder_small.json",
        "recorder_lesson4.json",
    ] {
        let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let (from_bytes, reports) = import(&bytes, &ImportLimits::DEFAULT);
        assert_eq!(
            from_bytes.unwrap(),
            from_chrome_json(&text).unwrap(),
            "{name}"
        );
        assert_sound(&reports, true);
        // A small file is not counted first: its reading is told once, at its end.
        let reading: Vec<_> = reports
            .iter()
            .filter(|p| p.phase == ImportPhase::Reading)
            .collect();
        assert_eq!(reading.len(), 1, "{name}: {reports:?}");
        assert!(reading[0].done > 0 && reading[0].done == reading[0].total);
    }
}

/// `n` slices on two threads, as a bare list.
fn slices(n: usize) -> String {
    let events: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"f","ph":"X","ts":{},"dur":1,"pid":1,"tid":{}}}"#,
                i * 2,
                i % 2
            )
        })
        .collect();
    format!("[{}]", events.join(","))
}

#[test]
fn a_counted_file_tells_its_reading_as_it_goes() {
    // Limits low enough for the file to be counted before it is read.
    let limits = ImportLimits {
        max_bytes: usize::MAX,
        max_events: 1_234,
    };
    let text = slices(1_234);
    let (result, reports) = import(text.as_bytes(), &limits);
    assert_eq!(result, from_chrome_json_with(&text, &limits));
    assert_eq!(result.unwrap().traces[0].calls.len(), 1_234);
    assert_sound(&reports, true);
    let reading: Vec<_> = reports
        .iter()
        .filter(|p| p.phase == ImportPhase::Reading)
        .collect();
    assert!(
        (50..=101).contains(&reading.len()),
        "{} reports",
        reading.len()
    );
    assert!(reading.iter().all(|p| p.total == 1_234));
    assert_eq!(reading.last().map(|p| p.done), Some(1_234));
    // Too many events: refused after the count, before any reading.
    let fewer = ImportLimits {
        max_events: 1_000,
        ..limits
    };
    let (result, reports) = import(text.as_bytes(), &fewer);
    assert!(matches!(
        result,
        Err(ImportError::TooManyEvents { events: 1_234, .. })
    ));
    assert_eq!(reports, []);
}

#[test]
fn a_list_cut_short_is_read_again_and_still_goes_forward() {
    let text = slices(300);
    let cut = format!("{},", text.trim_end_matches(']'));
    let limits = ImportLimits {
        max_bytes: usize::MAX,
        max_events: 300,
    };
    let (result, reports) = import(cut.as_bytes(), &limits);
    let imported = result.unwrap();
    assert_eq!(imported.traces[0].calls.len(), 300);
    assert!(imported.report.notes[0].contains("no closing"));
    assert_sound(&reports, true);
}

#[test]
fn bytes_that_are_not_utf8_are_read_as_replacement_characters_and_said_where() {
    let file = b"[\n  {\"ph\": \"X\", \"name\": \"\xe9t\xe9\", \"pid\": 1, \"tid\": 1, \"ts\": 0, \"dur\": 5}]";
    let (result, reports) = import(file, &ImportLimits::DEFAULT);
    let imported = result.unwrap();
    assert_eq!(
        imported.report.notes[0],
        "The file is not all UTF-8 text: its bytes from byte 25 (line 2, column 24) on that are \
         not were read as \u{fffd}."
    );
    assert_eq!(imported.traces[0].calls.names(), ["\u{fffd}t\u{fffd}"]);
    assert_sound(&reports, false);
    // After a byte-order mark, and after characters of several bytes, the
    // byte counts from the file's start, the column in characters.
    let mut bytes = "\u{feff}[{\"ph\":\"i\",\"ts\":1,\"name\":\"ü"
        .as_bytes()
        .to_vec();
    bytes.extend(b"\xff\"}]");
    let imported = import(&bytes, &ImportLimits::DEFAULT).0.unwrap();
    assert!(
        imported.report.notes[0].contains("from byte 31 (line 1, column 28)"),
        "{:?}",
        imported.report.notes
    );
    // A file that is not text at all fails as the JSON it is not, as it did
    // when the page read files as text.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(matches!(
        import(png, &ImportLimits::DEFAULT).0,
        Err(ImportError::Syntax {
            line: 1,
            column: 1,
            ..
        })
    ));
}

#[test]
fn a_bom_a_blank_file_and_a_large_one_read_as_text() {
    let limits = ImportLimits {
        max_bytes: 40,
        max_events: 10,
    };
    for text in [
        "\u{feff}[{\"ph\":\"i\",\"ts\":1,\"name\":\"a\"}]",
        "\u{feff}  \n",
        "",
        "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]",
    ] {
        let (result, reports) = import(text.as_bytes(), &limits);
        assert_eq!(result, from_chrome_json_with(text, &limits), "{text:?}");
        assert_sound(&reports, result.is_ok());
    }
}

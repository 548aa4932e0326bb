//! A quick count of a file's events before it is read, so that a file with
//! far too many is refused after a scan, not after reading the first
//! [`ImportLimits::max_events`] of them.
//!
//! Reading an event costs several times more than stepping over it: for ten
//! million small events (180 MB) the full read takes seconds, in which the
//! page, whose main thread does the import, cannot answer. The scan steps
//! over every event without building anything.

use serde::de::DeserializeSeed;
use serde_json::Value;

use super::raw::{Shape, Sink, Slot, TopLevel};
use super::report::{ImportError, ImportLimits};

/// How many events `text` holds, counted when it is long enough to hold
/// more than the limit: [`ImportError::TooManyEvents`] if it holds more;
/// `Ok(None)` if it was not counted, being shorter, or if it does not scan
/// as a trace (the full read then says what is wrong and where). The count
/// is also the total of the import's progress.
pub(super) fn census(text: &str, limits: &ImportLimits) -> Result<Option<usize>, ImportError> {
    // Each element of a list takes at least two bytes (a value and a
    // comma): a shorter file cannot hold more than the limit.
    if text.len() / 2 <= limits.max_events {
        return Ok(None);
    }
    let mut census = Census(0);
    let mut de = serde_json::Deserializer::from_str(text);
    let scanned = TopLevel(&mut census)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    if scanned.is_err() {
        return Ok(None);
    }
    if census.0 > limits.max_events {
        return Err(ImportError::TooManyEvents {
            events: census.0,
            limit: limits.max_events,
        });
    }
    Ok(Some(census.0))
}

/// [`census`]'s refusal, if it refuses.
#[cfg(test)]
fn too_many_events(text: &str, limits: &ImportLimits) -> Option<ImportError> {
    census(text, limits).err()
}

/// Counts the elements of `traceEvents` (or of the bare list) and reads
/// nothing else.
struct Census(usize);

impl<'de> Sink<'de> for Census {
    fn event(&mut self, _: Slot<'de>) -> bool {
        // Never asked: the census wants no event read.
        self.0 += 1;
        true
    }

    fn metadata(&mut self, _: Value) {}

    fn events_start(&mut self) {}

    fn events_end(&mut self) {}

    fn wrong_shape(&mut self, _: Shape, _: &'static str) {}

    fn other_key(&mut self, _: &str) {}

    fn wants_events(&self) -> bool {
        false
    }

    fn count_only(&mut self) {
        self.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLICE: &str = r#"{"name": "a", "ph": "X", "ts": 0, "dur": 1, "pid": 1, "tid": 1}"#;

    fn limits(max_events: usize) -> ImportLimits {
        ImportLimits {
            max_bytes: usize::MAX,
            max_events,
        }
    }

    #[test]
    fn counts_the_events_of_either_form() {
        let list = format!("[{}]", [SLICE; 5].join(","));
        let object = format!("{{\"metadata\": {{}}, \"traceEvents\": {list}}}");
        for text in [&list, &object] {
            assert_eq!(
                too_many_events(text, &limits(3)),
                Some(ImportError::TooManyEvents {
                    events: 5,
                    limit: 3
                })
            );
            assert_eq!(too_many_events(text, &limits(5)), None);
        }
    }

    #[test]
    fn counts_without_reading_an_event() {
        // Events the full read would refuse at once are only counted.
        let text = format!("[1, {{\"ph\": 7}}, {}]", [SLICE; 3].join(","));
        assert_eq!(
            too_many_events(&text, &limits(4)),
            Some(ImportError::TooManyEvents {
                events: 5,
                limit: 4
            })
        );
    }

    #[test]
    fn leaves_what_does_not_scan_to_the_full_read() {
        for text in ["[1, 2, 3, 4, 5", "{\"traceEvents\": 5}", "not JSON at all"] {
            assert_eq!(too_many_events(text, &limits(1)), None, "{text}");
        }
        // Too short to hold more than the limit: not even scanned.
        assert_eq!(too_many_events("[1,2,3]", &limits(4)), None);
    }

    #[test]
    fn gives_the_count_when_it_counts() {
        let list = format!("[{}]", [SLICE; 5].join(","));
        assert_eq!(census(&list, &limits(5)), Ok(Some(5)));
        assert_eq!(census("[1,2,3]", &limits(4)), Ok(None));
    }
}

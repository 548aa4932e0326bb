//! Traces encoded as bytes decode back exactly, and bytes that are not such
//! an encoding give an error, never a panic or a huge allocation.

mod arbitrary;

use arbitrary::trace;
use lanes_trace::{CodecError, Trace, decode, encode, from_chrome_json, synthetic};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_then_decode_gives_the_same_traces(ts in prop::collection::vec(trace(), 0..4)) {
        for t in &ts {
            prop_assert_eq!(t.validate(), Ok(()));
        }
        let bytes = encode(&ts);
        let back = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &ts);
        // Bit for bit, not only equal as numbers (0.0 and -0.0 are equal).
        for (a, b) in back.iter().zip(&ts) {
            for (x, y) in a.spans().iter().zip(b.spans()) {
                prop_assert_eq!(x.start_us.to_bits(), y.start_us.to_bits());
                prop_assert_eq!(x.end_us.to_bits(), y.end_us.to_bits());
            }
        }
        prop_assert_eq!(encode(&back), bytes);
    }

    #[test]
    fn every_cut_of_an_encoding_is_an_error(t in trace()) {
        let bytes = encode(&[t]);
        for len in 0..bytes.len() {
            prop_assert!(decode(&bytes[..len]).is_err(), "{} of {} bytes", len, bytes.len());
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&bytes);
        let mut marked = b"LANESBIN\x01\x00\x00\x00".to_vec();
        marked.extend_from_slice(&bytes);
        let _ = decode(&marked);
    }

    #[test]
    fn a_changed_byte_never_panics(t in trace(), at in any::<prop::sample::Index>(), to in any::<u8>()) {
        let mut bytes = encode(&[t]);
        let at = at.index(bytes.len());
        bytes[at] = to;
        let _ = decode(&bytes);
    }
}

fn header() -> Vec<u8> {
    let mut bytes = b"LANESBIN".to_vec();
    bytes.extend_from_slice(&1_u32.to_le_bytes());
    bytes
}

#[test]
fn a_lying_count_is_refused_before_anything_is_reserved() {
    let mut bytes = header();
    bytes.extend_from_slice(&(1_u64 << 40).to_le_bytes());
    assert_eq!(
        decode(&bytes),
        Err(CodecError::TooMany {
            what: "traces",
            count: 1 << 40,
            left: 0
        })
    );
    // The same inside a trace: its spans.
    let t = synthetic::trace(2, 3);
    let mut bytes = encode(std::slice::from_ref(&t));
    // After the spans' count: the spans, then no calls and no labels.
    let tail = 30 * t.spans().len() + 8 + 8;
    let at = bytes.len() - tail - 8;
    assert_eq!(
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()),
        t.spans().len() as u64
    );
    bytes[at..at + 8].copy_from_slice(&(1_u64 << 40).to_le_bytes());
    assert_eq!(
        decode(&bytes).map_err(|e| e.to_string()),
        Err(format!(
            "the bytes claim 1099511627776 spans, more than the {tail} bytes that remain can hold"
        ))
    );
}

#[test]
fn foreign_bytes_say_what_they_are_not() {
    assert_eq!(decode(b""), Err(CodecError::NotLanes));
    assert_eq!(decode(b"{\"traceEvents\": []}"), Err(CodecError::NotLanes));
    let mut other = b"LANESBIN".to_vec();
    other.extend_from_slice(&7_u32.to_le_bytes());
    assert_eq!(
        decode(&other).map_err(|e| e.to_string()),
        Err("these traces were encoded by another version of Lanes (layout 7, not 1)".to_owned())
    );
    let mut extra = encode(&[]);
    extra.push(0);
    assert_eq!(decode(&extra), Err(CodecError::Trailing { extra: 1 }));
    assert_eq!(decode(&encode(&[])), Ok(Vec::new()));
}

#[test]
fn a_decoded_trace_is_validated() {
    // Two spans swapped on the wire: out of order, refused by validation.
    let t = synthetic::trace(1, 2);
    let mut bytes = encode(std::slice::from_ref(&t));
    let first = bytes.len() - 8 - 8 - 2 * 30;
    let (a, b) = bytes[first..first + 60].split_at(30);
    let swapped = [b, a].concat();
    bytes[first..first + 60].copy_from_slice(&swapped);
    let error = decode(&bytes).map_err(|e| e.to_string());
    assert_eq!(
        error,
        Err(
            "a decoded trace does not hold together: span 1 sorts before the span before it: \
             the trace is out of order"
                .to_owned()
        )
    );
    // A span's end before its start.
    let mut bytes = encode(&[t]);
    let end = first + 4 + 1 + 1 + 8;
    bytes[end..end + 8].copy_from_slice(&(-1.0_f64).to_le_bytes());
    assert!(matches!(decode(&bytes), Err(CodecError::Invalid(_))));
}

#[test]
fn imported_fixtures_round_trip() {
    for name in [
        "viztracer_small.json",
        "recorder_small.json",
        "recorder_lesson4.json",
    ] {
        let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let traces: Vec<Trace> = from_chrome_json(&text).unwrap().traces;
        assert!(traces.iter().any(|t| !t.calls.is_empty()), "{name}");
        assert_eq!(decode(&encode(&traces)).unwrap(), traces, "{name}");
    }
}

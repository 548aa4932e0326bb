//! Lenient reading of Chrome Trace Event JSON: every field is read as a loose
//! [`Scalar`] so that a field of the wrong type becomes a clear error naming
//! the event and the field, rather than a serde message, and nothing but the
//! fields Lanes uses is kept (no `serde_json::Value` tree per event).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// One JSON value, kept only as far as Lanes needs it: lists and objects are
/// skipped and remembered only as such.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Null,
    List,
    Object,
}

impl Scalar<'_> {
    /// The text, if this is a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Text(t) => Some(t),
            _ => None,
        }
    }

    /// A number, or a string that holds one (some tools quote times).
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Int(i) => Some(*i as f64),
            Self::UInt(u) => Some(*u as f64),
            Self::Float(f) => Some(*f),
            Self::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }

    /// A whole number, from an integer or a float with no fraction.
    pub(crate) fn as_i128(&self) -> Option<i128> {
        match self {
            Self::Int(i) => Some(i128::from(*i)),
            Self::UInt(u) => Some(i128::from(*u)),
            Self::Float(f) if f.fract() == 0.0 && f.abs() < 1.8e19 => Some(*f as i128),
            _ => None,
        }
    }

    /// A whole number that fits `T`.
    pub(crate) fn as_int<T: TryFrom<i128>>(&self) -> Option<T> {
        self.as_i128().and_then(|i| T::try_from(i).ok())
    }

    /// What the value is, for error messages: `true`, `-3`, `"abc"`, `a list`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Text(t) => {
                let short: String = t.chars().take(40).collect();
                if short.len() < t.len() {
                    format!("the text {short:?}…")
                } else {
                    format!("the text {short:?}")
                }
            }
            Self::Int(i) => i.to_string(),
            Self::UInt(u) => u.to_string(),
            Self::Float(f) => format!("{f:?}"),
            Self::Bool(b) => b.to_string(),
            Self::Null => "null".to_owned(),
            Self::List => "a list".to_owned(),
            Self::Object => "an object".to_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::UInt(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::List)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Object)
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// The `args` of an event: only the keys Lanes reads.
#[derive(Debug, Default)]
pub(crate) struct Args<'a> {
    pub(crate) name: Option<Scalar<'a>>,
    pub(crate) kind: Option<Scalar<'a>>,
    pub(crate) sort_index: Option<Scalar<'a>>,
    pub(crate) task: Option<Scalar<'a>>,
    pub(crate) holder: Option<Scalar<'a>>,
    pub(crate) label: Option<Scalar<'a>>,
    pub(crate) from: Option<Scalar<'a>>,
    pub(crate) to: Option<Scalar<'a>>,
    pub(crate) lane: Option<Scalar<'a>>,
    pub(crate) bytes: Option<Scalar<'a>>,
    pub(crate) id: Option<Scalar<'a>>,
    pub(crate) end_us: Option<Scalar<'a>>,
    pub(crate) depth: Option<Scalar<'a>>,
    pub(crate) name_id: Option<Scalar<'a>>,
    pub(crate) block: Option<Scalar<'a>>,
    pub(crate) frames: Option<Scalar<'a>>,
    pub(crate) late_us: Option<Scalar<'a>>,
    pub(crate) ready_us: Option<Scalar<'a>>,
    pub(crate) late_ms: Option<Scalar<'a>>,
    pub(crate) ready_ms: Option<Scalar<'a>>,
}

impl<'de> Deserialize<'de> for Args<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ByShape(ArgsReader))
    }
}

struct ArgsReader;

impl<'de> Shaped<'de> for ArgsReader {
    type Value = Args<'de>;
    const EXPECTING: &'static str = "an object of arguments";

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut args = Args::default();
        while let Some(Key(key)) = map.next_key()? {
            let slot = match key.as_ref() {
                "name" => &mut args.name,
                "kind" => &mut args.kind,
                "sort_index" => &mut args.sort_index,
                "task" => &mut args.task,
                "holder" => &mut args.holder,
                "label" => &mut args.label,
                "from" => &mut args.from,
                "to" => &mut args.to,
                "lane" => &mut args.lane,
                "bytes" => &mut args.bytes,
                "id" => &mut args.id,
                "end_us" => &mut args.end_us,
                "depth" => &mut args.depth,
                "name_id" => &mut args.name_id,
                "block" => &mut args.block,
                "frames" => &mut args.frames,
                "late_us" => &mut args.late_us,
                "ready_us" => &mut args.ready_us,
                "late_ms" => &mut args.late_ms,
                "ready_ms" => &mut args.ready_ms,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(args)
    }

    // Arguments that are not an object are ignored, as other viewers do.
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Args::default())
    }

    fn other<E: de::Error>(self, _: &'static str) -> Result<Self::Value, E> {
        Ok(Args::default())
    }
}

/// One trace event: only the fields Lanes reads.
#[derive(Debug, Default)]
pub(crate) struct RawEvent<'a> {
    pub(crate) ph: Option<Scalar<'a>>,
    pub(crate) name: Option<Scalar<'a>>,
    pub(crate) cat: Option<Scalar<'a>>,
    pub(crate) ts: Option<Scalar<'a>>,
    pub(crate) dur: Option<Scalar<'a>>,
    pub(crate) pid: Option<Scalar<'a>>,
    pub(crate) tid: Option<Scalar<'a>>,
    pub(crate) id: Option<Scalar<'a>>,
    /// The scope of an instant: "g" global, "p" process, "t" thread.
    pub(crate) s: Option<Scalar<'a>>,
    pub(crate) args: Args<'a>,
}

/// One element of the `traceEvents` list: an event, or something else.
#[expect(
    clippy::large_enum_variant,
    reason = "one slot at a time lives on the stack; boxing would allocate per event"
)]
pub(crate) enum Slot<'a> {
    Event(RawEvent<'a>),
    /// Not an object: what it is instead ("a number", ...).
    NotAnObject(&'static str),
}

impl<'de> Deserialize<'de> for Slot<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ByShape(SlotReader))
    }
}

struct SlotReader;

impl<'de> Shaped<'de> for SlotReader {
    type Value = Slot<'de>;
    const EXPECTING: &'static str = "an event object";

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut e = RawEvent::default();
        while let Some(Key(key)) = map.next_key()? {
            let slot = match key.as_ref() {
                "ph" => &mut e.ph,
                "name" => &mut e.name,
                "cat" => &mut e.cat,
                "ts" => &mut e.ts,
                "dur" => &mut e.dur,
                "pid" => &mut e.pid,
                "tid" => &mut e.tid,
                "id" => &mut e.id,
                "s" => &mut e.s,
                "args" => {
                    e.args = map.next_value()?;
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(Slot::Event(e))
    }

    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Slot::NotAnObject("a list"))
    }

    fn other<E: de::Error>(self, found: &'static str) -> Result<Self::Value, E> {
        Ok(Slot::NotAnObject(found))
    }
}

/// What a reader does with a JSON object, a list, or any other value
/// (named as the error messages name it: "a number", "a text", ...).
trait Shaped<'de>: Sized {
    type Value;
    /// What the reader expects, for serde's own messages.
    const EXPECTING: &'static str;
    fn object<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error>;
    fn list<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error>;
    fn other<E: de::Error>(self, found: &'static str) -> Result<Self::Value, E>;
}

/// The visitor of every [`Shaped`] reader: it tells objects, lists and the
/// other kinds of value apart, once for all of them.
struct ByShape<T>(T);

impl<'de, T: Shaped<'de>> Visitor<'de> for ByShape<T> {
    type Value = T::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.object(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.list(seq)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        self.0.other("true or false")
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        self.0.other("a number")
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        self.0.other("a number")
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        self.0.other("a number")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        self.0.other("a text")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.other("null")
    }
}

/// What the top level of the file holds, told to a [`Sink`] as it is read.
pub(crate) trait Sink<'de> {
    /// One element of `traceEvents` (or of the bare list). Returning `false`
    /// stops the reading; the sink keeps the reason.
    fn event(&mut self, slot: Slot<'de>) -> bool;
    /// The `metadata` object.
    fn metadata(&mut self, value: Value);
    /// The reading of a list of events starts.
    fn events_start(&mut self);
    /// The list of events ended well.
    fn events_end(&mut self);
    /// The top level, or `traceEvents`, is not what a trace holds:
    /// `where_` says which, `found` what it is instead. Reading stops.
    fn wrong_shape(&mut self, where_: Shape, found: &'static str);
    /// A top-level key that Lanes notes but does not read.
    fn other_key(&mut self, key: &str);
    /// Whether the sink wants more events; once it does not, the rest of the
    /// list is only counted.
    fn wants_events(&self) -> bool;
    /// One more element of the list, counted without being read.
    fn count_only(&mut self);
}

/// Which part of the file has the wrong shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    TopLevel,
    TraceEvents,
}

/// Reads the top level of a Chrome trace: a bare list of events, or an object
/// with `traceEvents` and `metadata`.
pub(crate) struct TopLevel<'s, S>(pub(crate) &'s mut S);

/// The error a visitor returns to stop reading once the sink holds the reason.
const STOP: &str = "stopped by the importer";

/// Whether a serde error is the importer's own stop signal.
pub(crate) fn is_stop(message: &str) -> bool {
    message.starts_with(STOP)
}

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for TopLevel<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ByShape(self))
    }
}

fn kind_of_unexpected<'de, S: Sink<'de>, E: de::Error>(
    sink: &mut S,
    where_: Shape,
    found: &'static str,
) -> Result<(), E> {
    sink.wrong_shape(where_, found);
    Err(E::custom(STOP))
}

impl<'de, S: Sink<'de>> Shaped<'de> for TopLevel<'_, S> {
    type Value = ();
    const EXPECTING: &'static str = "a list of trace events or an object with \"traceEvents\"";

    fn object<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "traceEvents" => {
                    map.next_value_seed(Events(&mut *self.0))?;
                }
                "metadata" => {
                    let value = map.next_value::<Value>()?;
                    self.0.metadata(value);
                }
                other => {
                    self.0.other_key(other);
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn list<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_events(self.0, seq)
    }

    fn other<E: de::Error>(self, found: &'static str) -> Result<(), E> {
        kind_of_unexpected(self.0, Shape::TopLevel, found)
    }
}

/// The value of `traceEvents`.
struct Events<'s, S>(&'s mut S);

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for Events<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ByShape(self))
    }
}

impl<'de, S: Sink<'de>> Shaped<'de> for Events<'_, S> {
    type Value = ();
    const EXPECTING: &'static str = "a list of trace events";

    fn object<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.other("an object")
    }

    fn list<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_events(self.0, seq)
    }

    fn other<E: de::Error>(self, found: &'static str) -> Result<(), E> {
        kind_of_unexpected(self.0, Shape::TraceEvents, found)
    }
}

fn read_events<'de, S: Sink<'de>, A: SeqAccess<'de>>(
    sink: &mut S,
    mut seq: A,
) -> Result<(), A::Error> {
    sink.events_start();
    while sink.wants_events() {
        let Some(slot) = seq.next_element::<Slot<'de>>()? else {
            sink.events_end();
            return Ok(());
        };
        if !sink.event(slot) {
            return Err(de::Error::custom(STOP));
        }
    }
    while seq.next_element::<IgnoredAny>()?.is_some() {
        sink.count_only();
    }
    sink.events_end();
    Ok(())
}

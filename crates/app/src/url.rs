//! The URL as the page's whole state: parsing with clear notices for bad
//! values, and writing back the query that reproduces a scenario.

use std::collections::HashMap;

use lanes_trace::{Model, Workload};

/// Smallest and largest thread counts of a live run.
pub const K_RANGE: (u32, u32) = (1, lanes_runtime::MAX_THREADS);
/// Smallest and largest thread counts of a simulated run.
pub const SIM_K_RANGE: (u32, u32) = (1, lanes_sim::MAX_WORKERS);
/// Smallest and largest numbers of virtual cores.
pub const CORES_RANGE: (u32, u32) = (1, lanes_sim::MAX_CORES);
/// Virtual cores when the URL does not say: a typical laptop's, the same on
/// every machine, so that a simulated slide looks the same everywhere.
pub const DEFAULT_CORES: u32 = 4;
/// The simulator's seed when the URL does not say.
pub const DEFAULT_SEED: u64 = 1;
/// Threads when the URL does not say.
pub const DEFAULT_K: u32 = 4;
/// Work items a run is cut into.
pub const TASKS: u32 = 32;
/// The notes of the audio lesson's melody (half a second each) when the URL
/// does not say: a run of four seconds.
pub const PLAYBACK_NOTES: u32 = 8;
/// Fewest and most notes of the melody.
pub const NOTES_RANGE: (u32, u32) = (1, 32);
/// The form's label of the melody's length.
pub const NOTES_LABEL: &str = "Melody (notes)";
/// The GIL's switch interval, in ms: CPython's default and its range here.
pub const DEFAULT_INTERVAL_MS: f64 = 5.0;
/// Smallest and largest switch intervals, in ms.
pub const INTERVAL_RANGE: (f64, f64) = (0.1, 100.0);
/// The latency of one simulated network request, in ms.
pub const DEFAULT_LATENCY_MS: f64 = 20.0;
/// Smallest and largest latencies, in ms.
pub const LATENCY_RANGE: (f64, f64) = (0.1, 10_000.0);

/// What `size` means for a workload, its range and its default: about a
/// third of a second of work on one thread of a laptop for CPU-bound work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeRule {
    /// What the number counts, for the form's label.
    pub label: &'static str,
    /// Smallest and largest values.
    pub range: (u64, u64),
    /// The value when the URL does not say.
    pub default: u64,
}

/// What k counts for `workload`, as the form labels it: the threads, or in
/// the audio lesson the producer's CPU-bound neighbours.
pub fn k_label(workload: Workload) -> &'static str {
    if workload == Workload::Playback {
        "CPU-bound neighbours (k)"
    } else {
        "Threads (k)"
    }
}

/// The size rule of `workload`.
pub fn size_rule(workload: Workload) -> SizeRule {
    let (label, range, default) = match workload {
        Workload::Primes | Workload::Mixed | Workload::Ui => {
            ("Count primes below", (1_000, 100_000_000), 5_000_000)
        }
        Workload::Mandelbrot => ("Image width (pixels)", (16, 16_384), 1_600),
        Workload::Audio => ("Audio clips (1 s each)", (1, 20_000), 384),
        Workload::Io => ("Requests parse primes below", (1_000, 100_000_000), 200_000),
        Workload::Counter | Workload::CounterLocked => {
            ("Increments in all", (1, 100_000_000), 1_000_000)
        }
        Workload::Playback => ("Buffer size (frames)", (128, 4_096), 256),
    };
    SizeRule {
        label,
        range,
        default,
    }
}

/// Models the page can run in this version: all of them.
pub fn offered_models() -> impl Iterator<Item = Model> {
    Model::ALL.into_iter()
}

/// Workloads the page can run in this version.
pub fn offered_workloads() -> impl Iterator<Item = Workload> {
    Workload::ALL.into_iter()
}

/// Everything the URL can say about a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlState {
    /// Models to run, one after another, stacked on one time axis.
    pub models: Vec<Model>,
    /// The workload.
    pub workload: Workload,
    /// Threads for the threaded models.
    pub k: u32,
    /// The workload's size; its meaning depends on the workload.
    pub size: u64,
    /// The GIL's switch interval, ms.
    pub interval_ms: f64,
    /// The latency of one I/O request, ms.
    pub latency_ms: f64,
    /// Start a run as soon as the page is ready.
    pub run: bool,
    /// Reuse the processes of the previous run (a warm
    /// `multiprocessing.Pool`) instead of starting them cold.
    pub warm: bool,
    /// Simulate every run instead of running it live (lecture mode).
    pub sim: bool,
    /// Virtual cores of simulated runs.
    pub cores: u32,
    /// The simulator's seed: the same seed draws the same picture.
    pub seed: u64,
    /// Simulate with the costs learned from this page's live runs (predict
    /// this machine) instead of the reference laptop's (the same picture on
    /// every machine).
    pub calibrated: bool,
    /// The step of the guided tour shown (1 to 8), or none: the playground.
    pub lesson: Option<u32>,
    /// The page's colours.
    pub theme: Theme,
    /// Embed mode: no page chrome, the timeline filling an iframe, for
    /// slides.
    pub embed: bool,
    /// Whether the audio lesson is heard (`sound=0`: the silent mode, for
    /// classrooms and tests: the same deadlines, no sound).
    pub sound: bool,
    /// Its volume, 1 to 100 %.
    pub volume: u32,
    /// The melody's length in notes of half a second.
    pub notes: u32,
    /// Type and drawing size in embed mode (1 = normal), for projectors.
    pub scale: f64,
}

/// The audio lesson's volume when the URL does not say, %: comfortable on
/// a laptop's speakers and a classroom's.
pub const DEFAULT_VOLUME: u32 = 30;
/// Smallest and largest volume, %.
pub const VOLUME_RANGE: (u32, u32) = (1, 100);

/// Smallest and largest embed scales.
pub const SCALE_RANGE: (f64, f64) = (0.5, 3.0);

/// The page's colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system's light or dark preference.
    #[default]
    Auto,
    /// Dark text on a light page.
    Light,
    /// Light text on a dark page.
    Dark,
    /// Black on white with strong borders, for projectors.
    Contrast,
}

impl Theme {
    /// Every theme, in menu order.
    pub const ALL: [Self; 4] = [Self::Auto, Self::Light, Self::Dark, Self::Contrast];

    /// The name used in the URL and in `data-theme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Contrast => "contrast",
        }
    }

    /// What the theme menu says.
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "System",
            Self::Light => "Light",
            Self::Dark => "Dark",
            Self::Contrast => "High contrast",
        }
    }
}

impl UrlState {
    /// The gain the audio lesson plays at: the volume, or 0 in the silent
    /// mode.
    pub fn gain(&self) -> f64 {
        if self.sound {
            f64::from(self.volume) / 100.0
        } else {
            0.0
        }
    }

    /// The thread counts this state allows: up to 64 simulated, 16 live.
    pub fn k_range(&self) -> (u32, u32) {
        if self.sim { SIM_K_RANGE } else { K_RANGE }
    }

    /// The query of the full page showing the same scenario (embed mode's
    /// link out).
    pub fn full_page_query(&self) -> String {
        to_query(&Self {
            embed: false,
            run: false,
            scale: 1.0,
            ..self.clone()
        })
    }

    /// A short title: the step of the tour, or the models and workload.
    pub fn title(&self) -> String {
        match self.lesson.and_then(crate::lessons::lesson) {
            Some(l) => format!("Step {} · {}", l.number, l.title),
            None => {
                let models: Vec<&str> = self.models.iter().map(|m| m.title()).collect();
                format!("{} · {}", models.join(" vs "), self.workload.title())
            }
        }
    }
}

impl Default for UrlState {
    fn default() -> Self {
        Self {
            models: vec![Model::Sequential, Model::Free],
            workload: Workload::Primes,
            k: DEFAULT_K,
            size: size_rule(Workload::Primes).default,
            interval_ms: DEFAULT_INTERVAL_MS,
            latency_ms: DEFAULT_LATENCY_MS,
            run: false,
            warm: false,
            sim: false,
            cores: DEFAULT_CORES,
            seed: DEFAULT_SEED,
            calibrated: false,
            lesson: None,
            theme: Theme::Auto,
            embed: false,
            sound: true,
            volume: DEFAULT_VOLUME,
            notes: PLAYBACK_NOTES,
            scale: 1.0,
        }
    }
}

/// A value the page could not use as given, and what it used instead.
pub type Notice = String;

/// Reads a query string (with or without the leading `?`). Bad values never
/// fail: each gives a notice and a clamped or default value.
///
/// `lesson=N` starts from that step's own scenario; the query's other
/// parameters override it.
pub fn parse_query(query: &str) -> (UrlState, Vec<Notice>) {
    let (given, mut notices) = read_pairs(query);
    let mut lesson = None;
    if let Some(v) = value_of(&given, "lesson") {
        notices.extend(parse_lesson(v).apply(&mut lesson));
    }
    let mut state = match lesson.and_then(crate::lessons::lesson) {
        Some(step) => {
            // The step's own query is known good: its notices would be a bug.
            let (base, _) = apply_pairs(UrlState::default(), &read_pairs(step.query).0);
            base
        }
        None => UrlState::default(),
    };
    state.lesson = lesson;
    let (state, more) = apply_pairs(state, &given);
    notices.extend(more);
    (state, notices)
}

/// Repeated or unknown parameters named one by one in notices; past this,
/// one notice counts the rest (the page shows every notice).
const MAX_NOTICES_OF_A_KIND: usize = 5;

/// The `(name, value)` pairs of a query, decoded, the last of each name
/// kept, with a notice for each repeated name (the first few by name, the
/// rest counted).
fn read_pairs(query: &str) -> (Vec<(String, String)>, Vec<Notice>) {
    let mut notices = Vec::new();
    // The last value of each parameter counts; unknown ones are reported.
    let mut given: Vec<(String, String)> = Vec::new();
    // Where each name is in `given`: a crafted link may hold 100,000 names.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut repeated = 0_usize;
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key), decode(value));
        match index.get(&key).and_then(|&i| given.get_mut(i)) {
            Some(slot) => {
                repeated += 1;
                if repeated <= MAX_NOTICES_OF_A_KIND {
                    notices.push(format!(
                        "{} is given more than once: the last value counts.",
                        shown(&key)
                    ));
                }
                slot.1 = value;
            }
            None => {
                index.insert(key.clone(), given.len());
                given.push((key, value));
            }
        }
    }
    let more = repeated.saturating_sub(MAX_NOTICES_OF_A_KIND);
    if more > 0 {
        notices.push(format!(
            "{} more parameters are given more than once: the last value of each counts.",
            crate::format::count(more as u64)
        ));
    }
    (given, notices)
}

/// The parameters [`set_param`] reads, in the order a query is applied: the
/// workload first (the meaning and range of `size` depend on it), and
/// simulation before k (it allows more threads than a live run). `lesson`
/// is read before them all, by [`parse_query`].
const PARAMETERS: [&str; 18] = [
    "workload",
    "model",
    "sim",
    "k",
    "size",
    "interval",
    "latency",
    "run",
    "warm",
    "cores",
    "seed",
    "calibrated",
    "theme",
    "embed",
    "scale",
    "sound",
    "volume",
    "notes",
];

/// Reads parameter `name`'s raw `value` into `state`, and says what was done
/// instead when the value was not usable as given: the one rule for the
/// address and the controls. A new workload brings its own default size;
/// leaving simulation brings k back into the live range.
pub fn set_param(state: &mut UrlState, name: &str, value: &str) -> Option<Notice> {
    match name {
        "workload" => {
            let before = state.workload;
            let notice = parse_workload(value).apply(&mut state.workload);
            if state.workload != before {
                state.size = size_rule(state.workload).default;
            }
            notice
        }
        "model" => parse_models(value).apply(&mut state.models),
        "sim" => {
            let notice = parse_flag(name, value).apply(&mut state.sim);
            let (_, most) = state.k_range();
            notice.or_else(|| {
                (state.k > most).then(|| {
                    state.k = most;
                    format!(
                        "A live run has at most {most} threads: k is now {most} (simulated runs may have up to {}).",
                        SIM_K_RANGE.1
                    )
                })
            })
        }
        "k" => parse_ranged(name, value, state.k_range()).apply(&mut state.k),
        "size" => parse_ranged(name, value, size_rule(state.workload).range).apply(&mut state.size),
        "interval" => parse_ms(name, value, INTERVAL_RANGE).apply(&mut state.interval_ms),
        "latency" => parse_ms(name, value, LATENCY_RANGE).apply(&mut state.latency_ms),
        "run" => parse_flag(name, value).apply(&mut state.run),
        "warm" => parse_flag(name, value).apply(&mut state.warm),
        "cores" => parse_ranged(name, value, CORES_RANGE).apply(&mut state.cores),
        "seed" => parse_seed(value).apply(&mut state.seed),
        "calibrated" => parse_flag(name, value).apply(&mut state.calibrated),
        "theme" => parse_theme(value).apply(&mut state.theme),
        "embed" => parse_flag(name, value).apply(&mut state.embed),
        "scale" => parse_scale(value).apply(&mut state.scale),
        "sound" => parse_flag(name, value).apply(&mut state.sound),
        "volume" => parse_ranged(name, value, VOLUME_RANGE).apply(&mut state.volume),
        "notes" => parse_ranged(name, value, NOTES_RANGE).apply(&mut state.notes),
        _ => None,
    }
}

/// The value given for parameter `name`, if any.
fn value_of<'a>(given: &'a [(String, String)], name: &str) -> Option<&'a str> {
    given
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Applies parsed pairs to `state`: each known parameter in the order of
/// [`PARAMETERS`], unknown ones reported.
fn apply_pairs(mut state: UrlState, given: &[(String, String)]) -> (UrlState, Vec<Notice>) {
    let mut notices = Vec::new();
    for name in PARAMETERS {
        if let Some(v) = value_of(given, name) {
            notices.extend(set_param(&mut state, name, v));
        }
    }
    let unknown: Vec<&str> = given
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| *k != "lesson" && !PARAMETERS.contains(k))
        .collect();
    for key in unknown.iter().take(MAX_NOTICES_OF_A_KIND) {
        notices.push(format!("Unknown URL parameter {} was ignored.", shown(key)));
    }
    let more = unknown.len().saturating_sub(MAX_NOTICES_OF_A_KIND);
    if more > 0 {
        notices.push(format!(
            "{} more unknown URL parameters were ignored.",
            crate::format::count(more as u64)
        ));
    }
    (state, notices)
}

/// The query that reproduces `state` (without the leading `?`).
pub fn to_query(state: &UrlState) -> String {
    let models: Vec<&str> = state.models.iter().map(|m| m.as_str()).collect();
    let mut q = String::new();
    if let Some(n) = state.lesson {
        q.push_str(&format!("lesson={n}&"));
    }
    q.push_str(&format!(
        "model={}&workload={}&k={}&size={}&interval={}&latency={}",
        models.join(","),
        state.workload.as_str(),
        state.k,
        state.size,
        state.interval_ms,
        state.latency_ms
    ));
    if state.run {
        q.push_str("&run=1");
    }
    if state.warm {
        q.push_str("&warm=1");
    }
    if state.sim {
        q.push_str(&format!("&sim=1&cores={}&seed={}", state.cores, state.seed));
        if state.calibrated {
            q.push_str("&calibrated=1");
        }
    }
    if state.theme != Theme::Auto {
        q.push_str(&format!("&theme={}", state.theme.as_str()));
    }
    if state.embed {
        q.push_str("&embed=1");
    }
    if !state.sound {
        q.push_str("&sound=0");
    }
    if state.volume != DEFAULT_VOLUME {
        q.push_str(&format!("&volume={}", state.volume));
    }
    if state.notes != PLAYBACK_NOTES {
        q.push_str(&format!("&notes={}", state.notes));
    }
    if state.scale != 1.0 {
        q.push_str(&format!("&scale={}", state.scale));
    }
    q
}

/// A parsed value: what to use (nothing keeps the current value) and, when
/// the input was not usable as given, a notice saying what was done instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The value to use, if any.
    pub value: Option<T>,
    /// Why the input was not taken as given.
    pub notice: Option<Notice>,
}

impl<T> Parsed<T> {
    fn ok(value: T) -> Self {
        Self {
            value: Some(value),
            notice: None,
        }
    }

    fn fixed(value: T, notice: Notice) -> Self {
        Self {
            value: Some(value),
            notice: Some(notice),
        }
    }

    fn rejected(notice: Notice) -> Self {
        Self {
            value: None,
            notice: Some(notice),
        }
    }

    /// Stores the value, if any, in `slot` and returns the notice.
    pub fn apply(self, slot: &mut T) -> Option<Notice> {
        if let Some(v) = self.value {
            *slot = v;
        }
        self.notice
    }
}

/// Parses a comma-separated model list; unknown names are dropped with a
/// notice, and an empty result keeps the default.
pub fn parse_models(value: &str) -> Parsed<Vec<Model>> {
    let mut models = Vec::new();
    let mut unknown = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name.parse::<Model>() {
            Ok(m) if !models.contains(&m) => models.push(m),
            Ok(_) => {}
            Err(_) => unknown.push(shown(name)),
        }
    }
    let known = known_models();
    match (models.is_empty(), unknown.is_empty()) {
        (false, true) => Parsed::ok(models),
        (false, false) => {
            let notice = format!(
                "Unknown model {} was left out (models: {known}).",
                unknown.join(", ")
            );
            Parsed::fixed(models, notice)
        }
        (true, _) => Parsed::rejected(format!(
            "model={} names no known model: using the default (models: {known}).",
            shown(value)
        )),
    }
}

fn known_models() -> String {
    offered_models()
        .map(Model::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a workload name.
pub fn parse_workload(value: &str) -> Parsed<Workload> {
    match value.trim().parse::<Workload>() {
        Ok(w) if offered_workloads().any(|o| o == w) => Parsed::ok(w),
        _ => Parsed::rejected(format!(
            "Unknown workload {}: using the default (workloads: {}).",
            shown(value),
            offered_workloads()
                .map(Workload::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Parses a step of the tour: 1 to 7, or 0 (or nothing) for the playground.
pub fn parse_lesson(value: &str) -> Parsed<Option<u32>> {
    let steps = crate::lessons::LESSONS.len();
    match parse_integer(value) {
        Some(0) => Parsed::ok(None),
        Some(n) if n >= 1 && n <= steps as i128 => Parsed::ok(u32::try_from(n).ok()),
        _ => Parsed::fixed(
            None,
            format!(
                "lesson={} is not a step of the tour (steps 1 to {steps}): showing the playground.",
                shown(value)
            ),
        ),
    }
}

/// Parses the embed scale, clamped to 0.5–3 and rounded to hundredths.
pub fn parse_scale(value: &str) -> Parsed<f64> {
    let (lo, hi) = SCALE_RANGE;
    match value.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => {
            let clamped = (x.clamp(lo, hi) * 100.0).round() / 100.0;
            if (lo..=hi).contains(&x) {
                Parsed::ok(clamped)
            } else {
                Parsed::fixed(
                    clamped,
                    format!(
                        "scale={} is out of range: using {clamped} (scale goes from {lo} to {hi}).",
                        shown(value)
                    ),
                )
            }
        }
        _ => Parsed::rejected(format!(
            "scale={} is not a number: the scale is unchanged (it goes from {lo} to {hi}).",
            shown(value)
        )),
    }
}

/// Parses a theme name.
pub fn parse_theme(value: &str) -> Parsed<Theme> {
    match Theme::ALL.into_iter().find(|t| t.as_str() == value.trim()) {
        Some(theme) => Parsed::ok(theme),
        None => Parsed::rejected(format!(
            "theme={} is not one of auto, light, dark, contrast: the theme is unchanged.",
            shown(value)
        )),
    }
}

/// Parses the simulator's seed: any whole number from 0 to 2^64 − 1.
pub fn parse_seed(value: &str) -> Parsed<u64> {
    match value.trim().parse::<u64>() {
        Ok(seed) => Parsed::ok(seed),
        Err(_) => Parsed::rejected(format!(
            "seed={} is not a whole number from 0 to {}: the seed is unchanged.",
            shown(value),
            u64::MAX
        )),
    }
}

/// Parses milliseconds, clamped into `lo..=hi`, rounded to whole µs.
fn parse_ms(name: &str, value: &str, (lo, hi): (f64, f64)) -> Parsed<f64> {
    let range = format!("{name} goes from {lo} to {hi} ms");
    let ms = value.trim().trim_end_matches("ms").trim().parse::<f64>();
    match ms.ok().filter(|ms| !ms.is_nan()) {
        Some(ms) if ms < lo || ms > hi => out_of_range(name, value, ms < lo, (lo, hi), &range),
        Some(ms) => Parsed::ok((ms * 1000.0).round() / 1000.0),
        None => Parsed::rejected(format!(
            "{name}={} is not a number: {name} is unchanged ({range}).",
            shown(value)
        )),
    }
}

/// Parses a whole number and clamps it into `lo..=hi`, saying so.
fn parse_ranged<T>(name: &str, value: &str, (lo, hi): (T, T)) -> Parsed<T>
where
    T: Copy + std::fmt::Display + Into<i128> + TryFrom<i128>,
{
    let range = format!("{name} goes from {lo} to {hi}");
    match parse_integer(value) {
        Some(n) if n < lo.into() || n > hi.into() => {
            out_of_range(name, value, n < lo.into(), (lo, hi), &range)
        }
        Some(n) => match T::try_from(n) {
            Ok(v) => Parsed::ok(v),
            Err(_) => Parsed::rejected(format!(
                "{name}={} is out of range ({range}).",
                shown(value)
            )),
        },
        None => Parsed::rejected(format!(
            "{name}={} is not a whole number: {name} is unchanged ({range}).",
            shown(value)
        )),
    }
}

/// The nearer bound, `lo` for a value that is too small, else `hi`, and a
/// notice that says so.
fn out_of_range<T: std::fmt::Display>(
    name: &str,
    value: &str,
    too_small: bool,
    (lo, hi): (T, T),
    range: &str,
) -> Parsed<T> {
    let (bound, what) = if too_small {
        (lo, "small")
    } else {
        (hi, "large")
    };
    let notice = format!(
        "{name}={} is too {what}: using {bound} ({range}).",
        shown(value)
    );
    Parsed::fixed(bound, notice)
}

fn parse_flag(name: &str, value: &str) -> Parsed<bool> {
    match value.trim() {
        "1" | "true" | "yes" | "" => Parsed::ok(true),
        "0" | "false" | "no" => Parsed::ok(false),
        other => Parsed::rejected(format!("{name}={} is not 1 or 0: ignored.", shown(other))),
    }
}

/// A whole number, with `_` separators and an exponent form such as `5e6`
/// allowed; anything too long to be a size is treated as huge, not invalid.
fn parse_integer(value: &str) -> Option<i128> {
    let v: String = value.trim().chars().filter(|c| *c != '_').collect();
    if let Ok(n) = v.parse::<i128>() {
        return Some(n);
    }
    let digits = v.strip_prefix('-').unwrap_or(&v);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        // All digits but too long for i128: huge, with its sign.
        return Some(if v.starts_with('-') {
            i128::MIN
        } else {
            i128::MAX
        });
    }
    let (mantissa, exponent) = v.split_once(['e', 'E'])?;
    let mantissa: i128 = mantissa.parse().ok()?;
    let exponent: u32 = exponent.parse().ok()?;
    if mantissa == 0 {
        // 0e100 is 0, although 10^100 does not fit.
        return Some(0);
    }
    Some(
        10_i128
            .checked_pow(exponent)
            .and_then(|p| mantissa.checked_mul(p))
            .unwrap_or(if mantissa < 0 { i128::MIN } else { i128::MAX }),
    )
}

/// A user-supplied value quoted for a notice, shortened if long. Control
/// and invisible formatting characters are written as their code points
/// ("[U+202E]"): a right-to-left override in a link would otherwise turn
/// the rest of the notice around, and a zero-width one would hide.
fn shown(value: &str) -> String {
    const MAX: usize = 40;
    let head: String = value.chars().take(MAX).collect();
    let more = if value.chars().count() > MAX {
        "…"
    } else {
        ""
    };
    format!("“{}{more}”", lanes_trace::words::visible(&head))
}

/// Percent-decodes a query component (`+` is a space); invalid escapes are
/// kept as written and invalid UTF-8 is replaced, never fatal.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_a_full_scenario() {
        let (s, notices) = parse_query(
            "?model=sequential,free&workload=primes&k=8&size=2000000&interval=0.5&latency=50&run=1&warm=1",
        );
        assert_eq!(notices, Vec::<String>::new());
        assert_eq!(
            s,
            UrlState {
                models: vec![Model::Sequential, Model::Free],
                workload: Workload::Primes,
                k: 8,
                size: 2_000_000,
                interval_ms: 0.5,
                latency_ms: 50.0,
                run: true,
                warm: true,
                ..UrlState::default()
            }
        );
        assert_eq!(parse_query(&to_query(&s)), (s, vec![]));
    }

    #[test]
    fn empty_query_gives_defaults() {
        assert_eq!(parse_query(""), (UrlState::default(), vec![]));
        assert_eq!(parse_query("?"), (UrlState::default(), vec![]));
    }

    #[test]
    fn out_of_range_values_are_clamped_with_a_notice() {
        let (s, n) = parse_query("k=0");
        assert_eq!(s.k, 1);
        assert_eq!(n, ["k=“0” is too small: using 1 (k goes from 1 to 16)."]);
        let (s, n) = parse_query("k=999");
        assert_eq!(s.k, 16);
        assert_eq!(n.len(), 1);
        let (s, n) = parse_query("size=-5");
        assert_eq!(s.size, size_rule(Workload::Primes).range.0);
        assert!(n[0].contains("too small"), "{n:?}");
        let (s, n) = parse_query("size=99999999999999999999999999999999999999999999");
        assert_eq!(s.size, size_rule(Workload::Primes).range.1);
        assert!(n[0].contains("too large"), "{n:?}");
        let (s, _) = parse_query("size=2e6");
        assert_eq!(s.size, 2_000_000);
    }

    #[test]
    fn unusable_values_keep_the_default_with_a_notice() {
        let (s, n) =
            parse_query("model=nonsense&k=lots&workload=sorting&run=maybe&warm=hot&colour=red");
        assert_eq!(s, UrlState::default());
        assert_eq!(n.len(), 6, "{n:?}");
        // Workload first (size depends on it), then in the order of the form.
        assert!(n[0].contains("“sorting”"), "{n:?}");
        assert!(n[1].contains("“nonsense”"), "{n:?}");
        assert!(n[2].contains("not a whole number"), "{n:?}");
        assert!(n[4].contains("warm=“hot” is not 1 or 0"), "{n:?}");
        assert!(n[5].contains("“colour”"), "{n:?}");
    }

    #[test]
    fn partly_known_model_lists_keep_the_known_part() {
        let (s, n) = parse_query("model=free,threads,gil,free");
        assert_eq!(s.models, [Model::Free, Model::Gil]);
        assert_eq!(
            n,
            [
                "Unknown model “threads” was left out (models: sequential, gil, free, processes, asyncio)."
            ]
        );
        let (s, n) = parse_query("model=processes,gil,forks");
        assert_eq!(s.models, [Model::Processes, Model::Gil]);
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].contains("“forks”"), "{n:?}");
    }

    #[test]
    fn size_follows_the_workload_wherever_it_comes_in_the_query() {
        let (s, n) = parse_query("size=2000&workload=mandelbrot");
        assert_eq!((s.workload, s.size), (Workload::Mandelbrot, 2000));
        assert!(n.is_empty(), "{n:?}");
        let (s, n) = parse_query("workload=mandelbrot&size=5000000");
        assert_eq!(s.size, 16_384);
        assert!(n[0].contains("too large"), "{n:?}");
        let (s, _) = parse_query("workload=audio");
        assert_eq!(s.size, size_rule(Workload::Audio).default);
        let (s, n) = parse_query("workload=ui");
        assert_eq!((s.workload, s.size), (Workload::Ui, 5_000_000));
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn intervals_and_latencies_are_milliseconds_clamped_to_their_ranges() {
        let (s, n) = parse_query("interval=0.01&latency=1e9");
        assert_eq!((s.interval_ms, s.latency_ms), (0.1, 10_000.0));
        assert_eq!(n.len(), 2);
        let (s, n) = parse_query("interval=2.5ms&latency=abc");
        assert_eq!((s.interval_ms, s.latency_ms), (2.5, DEFAULT_LATENCY_MS));
        assert!(n[0].contains("latency=“abc” is not a number"), "{n:?}");
    }

    #[test]
    fn sound_and_volume_are_read_clamped_and_written_when_not_the_default() {
        let (s, n) = parse_query("workload=playback&sound=0&volume=80");
        assert!(!s.sound && s.volume == 80 && n.is_empty(), "{n:?}");
        assert_eq!(s.gain(), 0.0, "the silent mode plays nothing");
        assert_eq!(s.size, 256, "a playback's default buffer");
        let (s, n) = parse_query("volume=500");
        assert_eq!((s.volume, n.len()), (100, 1), "{n:?}");
        assert!((s.gain() - 1.0).abs() < 1e-9);
        assert!(!to_query(&UrlState::default()).contains("sound"));
        assert!(!to_query(&UrlState::default()).contains("volume"));
        let q = to_query(&parse_query("sound=0&volume=5&notes=4").0);
        assert!(
            q.contains("&sound=0") && q.contains("&volume=5") && q.contains("&notes=4"),
            "{q}"
        );
        assert_eq!(parse_query("notes=99").0.notes, 32);
    }

    #[test]
    fn warm_is_a_flag_written_only_when_on() {
        let (s, n) = parse_query("model=processes&warm=1");
        assert!(s.warm && n.is_empty(), "{n:?}");
        let (s, n) = parse_query("model=processes&warm=0");
        assert!(!s.warm && n.is_empty(), "{n:?}");
        assert!(parse_query("warm").0.warm, "a bare flag is on");
        assert!(!to_query(&UrlState::default()).contains("warm"));
        let warm = UrlState {
            warm: true,
            ..UrlState::default()
        };
        assert!(to_query(&warm).ends_with("&warm=1"));
    }

    #[test]
    fn simulation_allows_more_threads_and_cores_and_takes_a_seed() {
        let (s, n) = parse_query("k=40&sim=1&cores=64&seed=7");
        assert!(n.is_empty(), "{n:?}");
        assert_eq!((s.sim, s.k, s.cores, s.seed), (true, 40, 64, 7));
        assert!(to_query(&s).ends_with("&sim=1&cores=64&seed=7"));
        let (s, n) = parse_query("k=40");
        assert_eq!(s.k, 16);
        assert!(n[0].contains("k goes from 1 to 16"), "{n:?}");
        let (s, n) = parse_query("sim=1&k=100&cores=0&seed=-3");
        assert_eq!((s.k, s.cores, s.seed), (64, 1, DEFAULT_SEED));
        assert_eq!(n.len(), 3, "{n:?}");
        assert!(n[2].contains("seed=“-3” is not a whole number"), "{n:?}");
        assert!(!to_query(&UrlState::default()).contains("sim"));
    }

    #[test]
    fn embed_and_scale_read_and_write_back() {
        let (s, n) = parse_query("lesson=4&embed=1&scale=1.5&theme=contrast");
        assert!(n.is_empty(), "{n:?}");
        assert!(s.embed);
        assert_eq!(s.scale, 1.5);
        assert_eq!(parse_query(&to_query(&s)), (s, vec![]));
        let (s, n) = parse_query("embed=1&scale=9");
        assert_eq!(s.scale, 3.0);
        assert!(n[0].contains("out of range"), "{n:?}");
        let (s, n) = parse_query("scale=big");
        assert_eq!(s.scale, 1.0);
        assert_eq!(n.len(), 1);
        assert!(!to_query(&UrlState::default()).contains("embed"));
    }

    #[test]
    fn zero_with_a_huge_exponent_is_zero() {
        // It was read as huge: "size=0e100 is too large".
        assert_eq!(parse_integer("0e100"), Some(0));
        assert_eq!(parse_integer("-0E40"), Some(0));
        assert_eq!(parse_integer("1e100"), Some(i128::MAX));
        assert_eq!(parse_integer("-1e100"), Some(i128::MIN));
        let (s, n) = parse_query("size=0e100");
        assert_eq!(s.size, size_rule(Workload::Primes).range.0);
        assert!(n[0].contains("too small"), "{n:?}");
        assert_eq!(parse_query("lesson=0e99"), (UrlState::default(), vec![]));
    }

    #[test]
    fn a_flood_of_parameters_is_read_quickly_and_summed_up() {
        // Each name was looked up in a list of those before it: 80,000 names
        // took minutes in the fuzzer's build, and each got its own notice.
        let names: Vec<String> = (0..100_000).map(|i| format!("x{i}")).collect();
        let (s, n) = parse_query(&format!("k=3&{}&k=5", names.join("&")));
        assert_eq!(s.k, 5);
        assert_eq!(n.len(), 1 + 5 + 1, "{n:?}");
        assert_eq!(n[0], "“k” is given more than once: the last value counts.");
        assert_eq!(n[1], "Unknown URL parameter “x0” was ignored.");
        assert_eq!(
            n[6],
            "99\u{202f}995 more unknown URL parameters were ignored."
        );
        let (_, n) = parse_query(&"k=1&".repeat(100_000));
        assert_eq!(n.len(), 6, "{n:?}");
        assert_eq!(
            n[5],
            "99\u{202f}994 more parameters are given more than once: the last value of each counts."
        );
    }

    #[test]
    fn repeated_parameters_say_so_and_the_last_wins() {
        let (s, n) = parse_query("k=2&k=3");
        assert_eq!(s.k, 3);
        assert_eq!(n, ["“k” is given more than once: the last value counts."]);
    }

    #[test]
    fn decodes_percent_escapes_and_quotes_long_values_briefly() {
        assert_eq!(decode("a%2Cb+c%zz%4"), "a,b c%zz%4");
        assert_eq!(decode("%E2%9C%93"), "✓");
        let (_, n) = parse_query(&format!("model={}", "x".repeat(500)));
        assert!(n[0].chars().count() < 150, "{n:?}");
        let (s, n) = parse_query("model=sequential%2Cfree");
        assert_eq!((s.models.len(), n.len()), (2, 0));
    }

    #[test]
    fn invisible_characters_are_shown_as_code_points_not_obeyed() {
        // A right-to-left override would turn the rest of the notice around.
        let (_, n) = parse_query("k=%E2%80%AE61");
        assert_eq!(
            n,
            ["k=“[U+202E]61” is not a whole number: k is unchanged (k goes from 1 to 16)."]
        );
        let (_, n) = parse_query("workload=a%00b%E2%80%8Bc%0A%C2%85");
        assert!(
            n[0].starts_with("Unknown workload “a[U+0000]b[U+200B]c[U+000A][U+0085]”"),
            "{n:?}"
        );
        // Other scripts and emoji are text, shown as they are.
        let (_, n) = parse_query("workload=%E3%83%97%E3%83%A9%E3%82%A4%E3%83%A0%F0%9F%8E%A8");
        assert!(n[0].starts_with("Unknown workload “プライム🎨”"), "{n:?}");
    }

    proptest! {
        #[test]
        fn any_query_parses_into_valid_state(q in ".{0,200}") {
            let (s, _) = parse_query(&q);
            let (lo, hi) = s.k_range();
            prop_assert!((lo..=hi).contains(&s.k));
            prop_assert!((CORES_RANGE.0..=CORES_RANGE.1).contains(&s.cores));
            let (lo, hi) = size_rule(s.workload).range;
            prop_assert!((lo..=hi).contains(&s.size));
            prop_assert!((INTERVAL_RANGE.0..=INTERVAL_RANGE.1).contains(&s.interval_ms));
            prop_assert!((LATENCY_RANGE.0..=LATENCY_RANGE.1).contains(&s.latency_ms));
            prop_assert!(!s.models.is_empty());
        }

        #[test]
        fn written_queries_read_back(
            k in 1_u32..=16,
            size in 1_000_u64..=100_000_000,
            interval_us in 100_u32..=100_000,
            latency_us in 100_u32..=10_000_000,
            run: bool,
            warm: bool,
            seq: bool,
        ) {
            let models = if seq { vec![Model::Sequential, Model::Gil, Model::Free] } else { vec![Model::Free] };
            let s = UrlState {
                models,
                workload: Workload::Primes,
                k,
                size,
                interval_ms: f64::from(interval_us) / 1000.0,
                latency_ms: f64::from(latency_us) / 1000.0,
                run,
                warm,
                ..UrlState::default()
            };
            prop_assert_eq!(parse_query(&to_query(&s)), (s, vec![]));
        }

        #[test]
        fn simulated_queries_read_back(k in 1_u32..=64, cores in 1_u32..=64, seed: u64, calibrated: bool) {
            let s = UrlState { sim: true, k, cores, seed, calibrated, ..UrlState::default() };
            prop_assert_eq!(parse_query(&to_query(&s)), (s, vec![]));
        }
    }

    #[test]
    fn an_embedded_scenario_has_a_title_and_a_link_to_the_full_page() {
        let (step, _) = parse_query("lesson=4&embed=1&scale=2&run=1");
        assert_eq!(step.title(), "Step 4 · The GIL");
        assert!(!step.full_page_query().contains("embed"));
        assert_eq!(parse_query(&step.full_page_query()).0.scale, 1.0);
        let (play, _) = parse_query("model=gil,free&workload=mandelbrot&embed=1");
        assert_eq!(
            play.title(),
            "Threads + GIL vs Free threads · Mandelbrot rows"
        );
    }
}

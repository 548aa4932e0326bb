//! What a CPython process costs to start, by start method, beside what a
//! Lanes process costs: a Lanes process is a web worker instantiating a
//! compiled wasm module (a few ms once the module is compiled), which is
//! cheaper than a Python spawn, so the page says what Python's would cost.
//!
//! Measured with `python/start_costs.py` (run by `make bench`, which prints
//! the figures again): CPython 3.11.7 on a 2-core Linux machine, from
//! `Process.start()` to the first line of the target running, the median of
//! ten after two warm-ups.

/// How `multiprocessing` starts a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartMethod {
    /// A fresh interpreter that imports the main module again: the default
    /// on Windows and macOS.
    Spawn,
    /// A child forked from a small server process started once: Linux's
    /// default from Python 3.14.
    Forkserver,
    /// A copy of the parent: Linux's default before Python 3.14.
    Fork,
}

impl StartMethod {
    /// Every method, the dearest first.
    pub const ALL: [Self; 3] = [Self::Spawn, Self::Forkserver, Self::Fork];

    /// Its name in `multiprocessing.set_start_method`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Spawn => "spawn",
            Self::Forkserver => "forkserver",
            Self::Fork => "fork",
        }
    }

    /// Where it is the default, in words.
    pub fn default_on(self) -> &'static str {
        match self {
            Self::Spawn => "the default on Windows and macOS",
            Self::Forkserver => "Linux's default from Python 3.14",
            Self::Fork => "Linux's default before Python 3.14",
        }
    }

    /// µs from `Process.start()` to the child running its target, measured
    /// (see the module's docs).
    pub fn startup_us(self) -> f64 {
        match self {
            Self::Spawn => 38_600.0,
            Self::Forkserver => 7_500.0,
            Self::Fork => 1_200.0,
        }
    }
}

/// What a process costs to start in CPython, in words, against
/// `lanes_us` (a Lanes process's start-up on this page), for the page:
/// said when a Lanes process starts faster than a Python spawn.
pub fn python_start_note(lanes_us: f64) -> Option<String> {
    if !(lanes_us.is_finite() && lanes_us < StartMethod::Spawn.startup_us()) {
        return None;
    }
    let ms = |us: f64| {
        let ms = us / 1000.0;
        if ms < 10.0 {
            format!("{ms:.1} ms")
        } else {
            format!("{ms:.0} ms")
        }
    };
    let methods: Vec<String> = StartMethod::ALL
        .iter()
        .map(|m| {
            format!(
                "{} by {} ({})",
                ms(m.startup_us()),
                m.name(),
                m.default_on()
            )
        })
        .collect();
    let (last, others) = methods.split_last()?;
    Some(format!(
        "A process started here in {}: a web worker given an already compiled module. Starting a \
         CPython process takes about {} and {last} (CPython 3.11 on a 2-core Linux machine).",
        ms(lanes_us),
        others.join(", "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_methods_are_in_order_of_cost() {
        let costs: Vec<f64> = StartMethod::ALL.iter().map(|m| m.startup_us()).collect();
        assert!(costs.windows(2).all(|w| w[0] > w[1]), "{costs:?}");
    }

    #[test]
    fn the_note_names_every_method_when_lanes_is_cheaper_than_a_spawn() {
        let note = python_start_note(4_200.0).unwrap_or_default();
        assert!(note.contains("4.2 ms"), "{note}");
        for method in StartMethod::ALL {
            assert!(note.contains(method.name()), "{note}");
        }
        assert!(note.contains("39 ms by spawn"), "{note}");
        assert!(python_start_note(50_000.0).is_none());
        assert!(python_start_note(f64::NAN).is_none());
    }
}

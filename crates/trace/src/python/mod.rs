//! What a trace of a Python program says beyond its slices: which calls
//! block ([`blocking`]), the stack and the states its calls imply
//! ([`stacks`]), and who held the GIL ([`infer`], [`gil`]).

pub(crate) mod blocking;
pub(crate) mod gil;
pub(crate) mod infer;
pub(crate) mod stacks;

/// Whether a call's name is one a Python tracer writes: a Python function
/// as `qualname (file.py:line)` or `(<frozen module>:line)`, the module's
/// code `<module>`, or a built-in `builtins.name`. A file with such calls is
/// the trace of a Python program, whose threads share a GIL.
pub(crate) fn looks_like_python(name: &str) -> bool {
    name.starts_with("<module>")
        || name.starts_with("builtins.")
        || (name.ends_with(')') && (name.contains(".py:") || name.contains("(<frozen ")))
}

/// Tools that trace Python programs, as their files name themselves
/// (`metadata.source`).
pub(crate) const PYTHON_TOOLS: &[&str] = &["viztracer", "py-spy", "per4m", "lanes_record"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_names_are_told_from_others() {
        for name in [
            "<module> (prog.py:1)",
            "count (/tmp/prog.py:4)",
            "_find_and_load (<frozen importlib._bootstrap>:1165)",
            "builtins.sum",
        ] {
            assert!(looks_like_python(name), "{name}");
        }
        for name in ["fetch", "MessageLoop::RunTask", "time.sleep", "f (x)"] {
            assert!(!looks_like_python(name), "{name}");
        }
    }
}

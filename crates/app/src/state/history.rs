//! The runs the page keeps: for speedups, and for `window.lanes.traces()`,
//! which answers these (the page tells lanes-web after each change). One
//! bound for both.

use std::rc::Rc;

use lanes_trace::Trace;

/// Finished runs kept.
pub const HISTORY: usize = 64;
/// The most spans the kept runs may hold together (about 100 MB): the
/// oldest go first, the latest always stays. With the memory cap on one
/// run, it keeps a page that runs big scenarios all day within its memory.
pub const HISTORY_SPANS: usize = 2_000_000;

/// Keeps `trace`, the latest run, in `history`, dropping the oldest runs
/// beyond [`HISTORY`] runs or [`HISTORY_SPANS`] spans.
pub(super) fn remember(history: &mut Vec<Rc<Trace>>, trace: Rc<Trace>) {
    history.push(trace);
    let mut spans: usize = history.iter().map(|t| t.spans().len()).sum();
    while history.len() > HISTORY || (history.len() > 1 && spans > HISTORY_SPANS) {
        spans -= history.remove(0).spans().len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use crate::testing::{ready, trace};
    use lanes_trace::{Scenario, Span};

    #[test]
    fn history_is_bounded() {
        let mut s = ready("model=free");
        for _ in 0..HISTORY + 5 {
            s.apply(Action::Start);
            let p = s.plan[0].scenario;
            s.apply(Action::Finished(trace(p, 1.0), None));
        }
        assert_eq!(s.history.len(), HISTORY);
    }

    #[test]
    fn history_keeps_its_spans_bounded_but_always_the_latest_run() {
        let mut s = ready("model=free");
        let big = |p: Scenario, spans: usize| {
            let t = trace(p, 1.0);
            let spans = (0..spans)
                .map(|i| Span {
                    start_us: i as f64,
                    end_us: i as f64 + 1.0,
                    ..t.spans()[0]
                })
                .collect();
            Trace::new(t.meta().unwrap().clone(), t.lanes.clone(), spans)
        };
        for spans in [HISTORY_SPANS / 2, HISTORY_SPANS / 2, 10, HISTORY_SPANS + 1] {
            s.apply(Action::Start);
            let p = s.plan[0].scenario;
            s.apply(Action::Finished(big(p, spans), None));
        }
        assert_eq!(s.history.len(), 1, "only the latest, over the bound alone");
        assert_eq!(s.history[0].spans().len(), HISTORY_SPANS + 1);
    }
}

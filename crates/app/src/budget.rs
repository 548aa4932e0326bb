//! The memory cap, applied before a run starts: a run whose timeline would
//! not fit in [`RUN_MEMORY_CAP`] is refused with a message that says how
//! big it may be, and nothing the page had is touched.

use lanes_sim::{CostModel, RUN_MEMORY_CAP, footprint, largest_fitting_size};
use lanes_trace::words::{byte_size, thousands};
use lanes_trace::{Model, Scenario};

use crate::url::size_rule;

/// Why `scenario` may not run with `costs`, in words for the page, or `None`
/// when it fits.
pub fn refusal(scenario: &Scenario, costs: &CostModel) -> Option<String> {
    let need = footprint(scenario, costs);
    if need.fits() {
        return None;
    }
    let rule = size_rule(scenario.workload);
    let what = rule.label.to_lowercase();
    let smaller = match largest_fitting_size(scenario, costs, rule.range) {
        Some(size) => format!("set {what} to {} or less", thousands(size)),
        None => "make it smaller".to_owned(),
    };
    let interval = if scenario.model == Model::Gil {
        ", or give the GIL a longer switch interval (fewer hand-offs to record)"
    } else {
        ""
    };
    Some(format!(
        "This {} run was not started: its timeline would take about {} ({} spans), and a run \
         may use at most {} of memory. To run it, {smaller}{interval}.",
        scenario.model.title(),
        byte_size(need.bytes),
        thousands(need.spans),
        byte_size(RUN_MEMORY_CAP),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanes_trace::Workload;

    #[test]
    fn a_run_over_the_cap_is_told_how_big_it_may_be() {
        let costs = CostModel::reference();
        let big = Scenario {
            interval_us: 100,
            ..Scenario::new(Model::Gil, Workload::Mandelbrot, 4, 16_384, 32)
        };
        let why = refusal(&big, &costs).expect("refused");
        assert!(why.contains("256.0 MB"), "{why}");
        assert!(why.contains("set image width (pixels) to "), "{why}");
        assert!(why.contains("longer switch interval"), "{why}");
        let fine = Scenario::new(Model::Gil, Workload::Mandelbrot, 4, 1_600, 32);
        assert_eq!(refusal(&fine, &costs), None);
    }
}

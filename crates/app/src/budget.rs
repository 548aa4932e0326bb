//! The memory cap, applied before a run starts: a run whose timeline would
//! not fit in [`RUN_MEMORY_CAP`] is refused with a message that says how
//! big it may be, and nothing the page had is touched.

use lanes_model::playback::QUANTUM_FRAMES;
use lanes_sim::{CostModel, RUN_MEMORY_CAP, footprint, largest_fitting_size};
use lanes_trace::words::{byte_size, thousands};
use lanes_trace::{Model, Scenario, Workload};

use crate::format::in_sentence;
use crate::url::{K_RANGE, NOTES_LABEL, NOTES_RANGE, k_label, size_rule};

/// Why `scenario` may not run with `costs`, in words for the page, or `None`
/// when it fits.
pub fn refusal(scenario: &Scenario, costs: &CostModel) -> Option<String> {
    let need = footprint(scenario, costs);
    if need.fits() {
        return None;
    }
    let smaller = if scenario.workload == Workload::Playback {
        playback_fix(scenario, costs)
    } else {
        let rule = size_rule(scenario.workload);
        let what = in_sentence(rule.label);
        match largest_fitting_size(scenario, costs, rule.range) {
            Some(size) => format!("set {what} to {} or less", thousands(size)),
            None => "make it smaller".to_owned(),
        }
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

/// What makes a playback fit. Its timeline grows with the neighbours, the
/// melody and the blocks in it, so a bigger buffer shrinks it: the most
/// neighbours that fit; else the smallest buffer that does; else a shorter
/// melody.
fn playback_fix(scenario: &Scenario, costs: &CostModel) -> String {
    let fits = |s: Scenario| footprint(&s, costs).fits();
    if let Some(k) = (K_RANGE.0..scenario.k)
        .rev()
        .find(|&k| fits(Scenario { k, ..*scenario }))
    {
        let what = in_sentence(k_label(scenario.workload));
        return format!("set {what} to {k} or fewer");
    }
    let rule = size_rule(scenario.workload);
    let quantum = u64::from(QUANTUM_FRAMES);
    let bigger = (scenario.size.div_ceil(quantum) * quantum..=rule.range.1)
        .step_by(QUANTUM_FRAMES as usize)
        .find(|&size| size > scenario.size && fits(Scenario { size, ..*scenario }));
    if let Some(size) = bigger {
        let what = in_sentence(rule.label);
        return format!("set {what} to {} or more", thousands(size));
    }
    match (NOTES_RANGE.0..scenario.tasks)
        .rev()
        .find(|&tasks| fits(Scenario { tasks, ..*scenario }))
    {
        Some(notes) => format!("set {} to {notes} or fewer", in_sentence(NOTES_LABEL)),
        None => "use fewer CPU-bound neighbours, a bigger buffer and fewer notes".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_playback_over_the_cap_is_told_what_makes_it_fit() {
        let costs = CostModel::reference();
        let playback = |model, k, size, notes, interval_us| Scenario {
            interval_us,
            ..Scenario::new(model, Workload::Playback, k, size, notes)
        };
        let fits = |s: &Scenario| footprint(s, &costs).fits();
        // Too many neighbours: the most that fit, never "smaller", which
        // for a buffer would make it worse.
        let crowded = playback(Model::Free, 16, 128, 32, 5_000);
        let why = refusal(&crowded, &costs).expect("refused");
        let k: u32 = why
            .split("set CPU-bound neighbours (k) to ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|k| k.parse().ok())
            .unwrap_or_else(|| panic!("advises k: {why}"));
        assert!(fits(&Scenario { k, ..crowded }), "{why}");
        assert!(
            !fits(&Scenario {
                k: k + 1,
                ..crowded
            }),
            "{why}"
        );
        assert!(!why.contains("smaller"), "{why}");
        for (model, k, size, notes, interval) in [
            (Model::Gil, 1, 128, 32, 100),
            (Model::Gil, 16, 128, 32, 100),
            (Model::Free, 64, 128, 32, 5_000),
        ] {
            let s = playback(model, k, size, notes, interval);
            if let Some(why) = refusal(&s, &costs) {
                assert!(!why.contains("make it smaller"), "{why}");
                assert!(why.contains("To run it, "), "{why}");
            }
        }
        // A buffer of 4 096 frames at 8 notes is within the cap.
        assert_eq!(
            refusal(&playback(Model::Gil, 3, 4_096, 8, 5_000), &costs),
            None
        );
    }
}

//! Every step is there, in order, with all its parts and a scenario the
//! URL reads without a notice.

use super::{plan, simulated};
use crate::lessons::{LESSONS, lesson};
use crate::url::parse_query;
use lanes_trace::Trace;

#[test]
fn eight_steps_in_the_course_order() {
    let numbers: Vec<u32> = LESSONS.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
    for n in 1..=8 {
        assert_eq!(lesson(n).map(|l| l.number), Some(n));
    }
    assert!(lesson(0).is_none() && lesson(9).is_none());
    let slides: Vec<&str> = LESSONS.iter().map(|l| l.slide).collect();
    assert_eq!(
        slides,
        [
            "Why bothering with threading / multiprocessing?",
            "What's a process?",
            "What's a thread?",
            "Global Interpreter Lock (GIL)",
            "Multiprocessing vs threads",
            "Multiprocessing pros and cons",
            "Use cases",
            "Use cases",
        ]
    );
}

#[test]
fn every_step_has_its_parts() {
    for l in &LESSONS {
        let n = l.number;
        assert!(!l.title.is_empty() && !l.question.is_empty(), "step {n}");
        assert!(
            (2..=3).contains(&l.text.len()),
            "step {n}: {} paragraphs",
            l.text.len()
        );
        assert!((3..=4).contains(&l.choices.len()), "step {n}");
        assert!(!l.notice.is_empty(), "step {n}");
        let mut ids: Vec<&str> = l.choices.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            l.choices.len(),
            "step {n}: choice ids are unique"
        );
        for c in l.choices {
            assert!(
                !c.id.is_empty() && c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "step {n}: {:?} is a stable name",
                c.id
            );
            assert!(!c.label.is_empty(), "step {n}");
        }
        for p in l.text.iter().chain(l.notice) {
            assert!(!p.contains('<'), "step {n}: no HTML in {p:?}");
        }
    }
}

#[test]
fn queries_read_without_notices_and_batches_are_small() {
    for l in &LESSONS {
        let (form, notices) = parse_query(l.query);
        assert_eq!(
            notices,
            Vec::<String>::new(),
            "step {}: {}",
            l.number,
            l.query
        );
        assert!(
            !form.run && !form.sim,
            "step {}: a step neither runs nor simulates by itself",
            l.number
        );
        let runs = plan(l).len();
        assert!((1..=5).contains(&runs), "step {}: {runs} runs", l.number);
    }
}

#[test]
fn every_batch_takes_a_second_or_two_on_a_two_core_laptop() {
    for l in &LESSONS {
        let runs = simulated(l, 2, 1);
        let total_ms: f64 = runs.iter().map(Trace::makespan_ms).sum();
        // Sound takes the time it plays, and a late block a little more.
        let playing_ms: f64 = runs
            .iter()
            .filter_map(|t| t.meta())
            .filter(|m| m.scenario.workload == lanes_trace::Workload::Playback)
            // Half a second a note.
            .map(|m| f64::from(m.scenario.tasks) * 500.0)
            .sum();
        let most = 2_000.0 + 1.25 * playing_ms;
        assert!(total_ms < most, "step {}: {total_ms:.0} ms", l.number);
    }
}

#[test]
fn the_verdict_says_whether_the_prediction_held() {
    let step = &LESSONS[0];
    let (a, b) = (step.choices[0], step.choices[1]);
    assert_eq!(
        step.verdict(Some(a.id), a.id),
        (format!("Your prediction held: {}.", a.label), Some(true))
    );
    let (missed, held) = step.verdict(Some(b.id), a.id);
    assert_eq!(held, Some(false));
    assert_eq!(
        missed,
        format!("You predicted “{}”; the run showed “{}”.", b.label, a.label)
    );
    assert_eq!(step.verdict(None, a.id).1, None);
}

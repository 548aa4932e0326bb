//! The form's edits: each control's raw value read into the form, a bad one
//! kept out with a notice that says why.

use lanes_trace::Model;

use super::{Action, AppState};
use crate::url::{Notice, UrlState, parse_query, set_param};

/// Applies `edit` (a `ToggleModel` or a `Set`) to `form`, a `Set` with
/// the address's rules ([`set_param`]); says what could not be used as
/// given. A changed scenario drops a pending `run=1`; the look and the sound
/// do not.
pub(super) fn edit(form: &mut UrlState, edit: Action) -> Option<Notice> {
    match edit {
        Action::ToggleModel(model, on) => {
            form.run = false;
            let models: Vec<Model> = Model::ALL
                .into_iter()
                .filter(|m| {
                    if *m == model {
                        on
                    } else {
                        form.models.contains(m)
                    }
                })
                .collect();
            if models.is_empty() {
                return Some("Pick at least one model to run.".to_owned());
            }
            form.models = models;
            None
        }
        Action::Set(name, value) => {
            form.run &= matches!(name, "theme" | "scale" | "sound" | "volume");
            set_param(form, name, &value)
        }
        _ => None,
    }
}

/// The form of step `step` (or, with `None`, of the playground): the step's
/// scenario, with the display and simulation choices of `current`, which
/// carry over from step to step.
pub(super) fn for_step(step: Option<u32>, current: &UrlState) -> (UrlState, Vec<Notice>) {
    let query = step.map_or_else(String::new, |n| format!("lesson={n}"));
    let (form, notices) = parse_query(&query);
    let form = UrlState {
        theme: current.theme,
        sim: current.sim,
        cores: current.cores,
        seed: current.seed,
        calibrated: current.calibrated,
        embed: current.embed,
        scale: current.scale,
        sound: current.sound,
        volume: current.volume,
        ..form
    };
    (form, notices)
}

impl AppState {
    /// Whether processes runs keep their workers for the next run: the
    /// form's `warm`, when the processes model is ticked. The page passes it
    /// with each live run and ends the idle workers when it turns false.
    pub fn warm_processes(&self) -> bool {
        self.form.warm && self.form.models.contains(&Model::Processes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ready;
    use crate::url::to_query;

    #[test]
    fn a_bad_edit_says_the_field_is_unchanged_not_that_it_took_the_default() {
        let mut s = ready("k=8&sim=1&seed=42");
        s.apply(Action::Set("k", String::new()));
        s.apply(Action::Set("seed", "-1".to_owned()));
        assert_eq!((s.form.k, s.form.seed), (8, 42));
        assert_eq!(
            s.notices,
            [
                "k=“” is not a whole number: k is unchanged (k goes from 1 to 64).",
                "seed=“-1” is not a whole number from 0 to 18446744073709551615: the seed is unchanged."
            ]
        );
        s.apply(Action::DismissNotices);
        assert!(s.notices.is_empty());
    }

    #[test]
    fn processes_are_warm_only_when_asked_and_ticked() {
        let mut s = ready("model=sequential,processes&warm=1");
        assert!(s.warm_processes());
        s.apply(Action::ToggleModel(Model::Processes, false));
        assert!(!s.warm_processes(), "no processes, nothing to keep warm");
        assert!(
            s.form.warm,
            "the form keeps the flag for when they come back"
        );
        s.apply(Action::ToggleModel(Model::Processes, true));
        s.apply(Action::Set("warm", "0".to_owned()));
        assert!(!s.warm_processes());
        assert!(!to_query(&s.form).contains("warm"));
        s.apply(Action::Set("warm", "1".to_owned()));
        assert!(s.warm_processes());
        assert!(to_query(&s.form).contains("&warm=1"));
    }

    #[test]
    fn the_last_model_cannot_be_unticked() {
        let mut s = ready("model=free");
        s.apply(Action::ToggleModel(Model::Free, false));
        assert_eq!(s.form.models, [Model::Free]);
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::ToggleModel(Model::Sequential, true));
        assert_eq!(
            s.form.models,
            [Model::Sequential, Model::Free],
            "course order"
        );
    }

    #[test]
    fn leaving_lecture_mode_brings_k_back_into_the_live_range() {
        let mut s = ready("sim=1&k=40");
        s.apply(Action::Set("k", "64".to_owned()));
        assert_eq!(s.form.k, 64);
        s.apply(Action::Set("sim", "0".to_owned()));
        assert_eq!(s.form.k, 16);
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::Set("cores", "100".to_owned()));
        s.apply(Action::Set("seed", "x".to_owned()));
        assert_eq!((s.form.cores, s.form.seed), (64, 1));
        assert_eq!(s.notices.len(), 3);
    }

    #[test]
    fn the_theme_is_kept_in_the_url_and_bad_ones_say_so() {
        let mut s = ready("theme=dark");
        assert_eq!(s.form.theme, crate::url::Theme::Dark);
        assert!(to_query(&s.form).ends_with("&theme=dark"));
        s.apply(Action::Set("theme", "neon".to_owned()));
        assert_eq!(s.form.theme, crate::url::Theme::Dark);
        assert_eq!(s.notices.len(), 1);
        s.apply(Action::Set("theme", "auto".to_owned()));
        assert!(!to_query(&s.form).contains("theme"));
    }
}

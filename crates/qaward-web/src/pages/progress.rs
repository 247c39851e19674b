//! The application page's progress tracker: the steps of the measures in order, as
//! `qaward_app::applications::progress` decides them, given their labels, dates (China
//! Standard Time) and who acted in the reader's language, and the setback (a return, a
//! rejection…) that the page shows first. The markup is `templates/_progress.html`.

use qaward_app::applications::progress::{Progress, Status};

use super::applications::acted;
use crate::i18n::{Lang, day, label, when};

/// A step of the tracker as the page shows it.
pub struct StepLine {
    pub label: &'static str,
    /// The status in words, bracketed as the language writes it, for readers without CSS
    /// or sight: （已完成）, （当前步骤）, （尚未进行）.
    pub status: &'static str,
    /// `done`, `current` or `upcoming`: the list item's class.
    pub class: &'static str,
    pub current: bool,
    pub when: String,
    pub who: String,
    pub result: &'static str,
}

/// Why the application stopped, shown at the top of the page.
pub struct SetbackLine {
    /// The state it is in (已退回修改…, 未通过).
    pub state: &'static str,
    pub action: &'static str,
    pub who: String,
    pub when: String,
    pub reason: String,
    /// It was returned: the applicant corrects and resubmits.
    pub returned: bool,
}

/// The tracker in the reader's language.
pub struct ProgressView {
    pub steps: Vec<StepLine>,
    pub setback: Option<SetbackLine>,
}

pub fn view(lang: Lang, p: &Progress) -> ProgressView {
    let tr = lang.tr();
    let steps = p
        .steps
        .iter()
        .map(|s| StepLine {
            label: label(lang, s.milestone),
            status: match s.status {
                Status::Done => tr.progress_done,
                Status::Current => tr.progress_current,
                Status::Upcoming => tr.progress_upcoming,
            },
            class: match s.status {
                Status::Done => "done",
                Status::Current => "current",
                Status::Upcoming => "upcoming",
            },
            current: s.status == Status::Current,
            when: match (&s.at, s.on) {
                (Some(at), _) => when(lang, at),
                (None, Some(d)) => day(lang, d),
                (None, None) => String::new(),
            },
            who: s
                .by
                .as_ref()
                .map(|b| acted(lang, b, s.account.as_deref()))
                .unwrap_or_default(),
            result: s.result.map(|r| label(lang, r)).unwrap_or_default(),
        })
        .collect();
    let setback = p.setback.as_ref().map(|s| SetbackLine {
        state: label(lang, s.state),
        action: label(lang, s.action),
        who: acted(lang, &s.by, s.account.as_deref()),
        when: when(lang, &s.at),
        reason: s.reason.clone().unwrap_or_default(),
        returned: matches!(s.state, qaward_domain::application::State::Returned(_)),
    });
    ProgressView { steps, setback }
}

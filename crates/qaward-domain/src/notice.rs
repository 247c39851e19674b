//! Public notices (公示) and the objections (异议) raised in them (DESIGN.md §4).
//!
//! A notice's end date comes from the calendar and the policy's minimum working days; the
//! Office may choose a later end, never an earlier one. Objections are accepted from the
//! first day to the last day of the notice, both included. The step a notice guards is
//! blocked until the notice has run and every objection raised in it has been handled by
//! the Leading Group (A6): [`clearance`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{CalendarError, WorkingCalendar};
use crate::message::Term;
use crate::msg;
use crate::policy::{NoticeKind, Policy};
use crate::rule::{self, Refusal, RuleId};

mod dated;

pub use dated::{DatedKind, DatedNotice};

/// Where a notice is published. Its text form is `unit`, `city`, `county:ID` or
/// `industry:ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeScope {
    /// Inside the applicant's own organization or unit (A14.1).
    Unit,
    /// A county-level unit (A18.3), by its policy id.
    County(String),
    /// A municipal industry (A18.3), by its policy id.
    Industry(String),
    /// City-wide or to society (A16.3, A19.2).
    City,
}

impl NoticeScope {
    /// The scope's kind and, for a county or an industry, its policy id.
    pub fn parts(&self) -> (&'static str, Option<&str>) {
        match self {
            NoticeScope::Unit => ("unit", None),
            NoticeScope::City => ("city", None),
            NoticeScope::County(id) => ("county", Some(id)),
            NoticeScope::Industry(id) => ("industry", Some(id)),
        }
    }

    /// The scope from its kind and id, as [`NoticeScope::parts`] gives them.
    pub fn from_parts(kind: &str, id: Option<&str>) -> Option<NoticeScope> {
        match (kind, id.filter(|i| !i.is_empty())) {
            ("unit", None) => Some(NoticeScope::Unit),
            ("city", None) => Some(NoticeScope::City),
            ("county", Some(i)) => Some(NoticeScope::County(i.to_owned())),
            ("industry", Some(i)) => Some(NoticeScope::Industry(i.to_owned())),
            _ => None,
        }
    }
}

impl std::fmt::Display for NoticeScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.parts() {
            (kind, None) => f.write_str(kind),
            (kind, Some(id)) => write!(f, "{kind}:{id}"),
        }
    }
}

impl std::str::FromStr for NoticeScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, id) = match s.trim().split_once(':') {
            Some((k, i)) => (k, Some(i)),
            None => (s.trim(), None),
        };
        NoticeScope::from_parts(kind, id).ok_or_else(|| {
            format!("`{s}` is not a notice scope: unit, city, county:ID or industry:ID")
        })
    }
}

crate::text_form!(NoticeScope);

/// A notice with its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub scope: NoticeScope,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Where a notice stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Published for a later start.
    Upcoming,
    /// Running: objections are accepted.
    Open,
    /// Its last day is over.
    Run,
}

/// Why a notice cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

impl Notice {
    /// Plans a notice of `kind` starting on `start`. Without `end` it lasts exactly the
    /// policy's minimum; with `end`, that end must not be earlier than the minimum's.
    pub fn plan(
        kind: NoticeKind,
        scope: NoticeScope,
        start: NaiveDate,
        end: Option<NaiveDate>,
        policy: &Policy,
        calendar: &WorkingCalendar,
    ) -> Result<Self, NoticeError> {
        let Some(min) = policy.notice_min(kind) else {
            return Err(Refusal::new(
                kind.rule(),
                msg!("notice-not-in-version", kind = Term::of(kind)),
            )
            .into());
        };
        let earliest_end = calendar.notice_end(start, min.value)?;
        let end = match end {
            None => earliest_end,
            Some(end) if end >= earliest_end => {
                // A later end must still be a day the calendar knows.
                calendar.day(end)?;
                end
            }
            Some(end) => {
                let ran = calendar.working_days_between(start, end)?;
                return Err(Refusal::new(
                    min.article.clone(),
                    msg!(
                        "notice-too-short",
                        kind = Term::of(kind),
                        start = start,
                        end = end,
                        ran = ran,
                        required = min.value.get(),
                        earliest_end = earliest_end
                    ),
                )
                .into());
            }
        };
        Ok(Self {
            kind,
            scope,
            start,
            end,
        })
    }

    pub fn phase(&self, today: NaiveDate) -> Phase {
        if today < self.start {
            Phase::Upcoming
        } else if today <= self.end {
            Phase::Open
        } else {
            Phase::Run
        }
    }

    /// The rule that governs this notice (A14.1, A16.3, A18.3, A19.2).
    pub fn article(&self, policy: &Policy) -> RuleId {
        policy.notice_article(self.kind)
    }

    /// Whether an objection raised on `on` is within the window.
    pub fn accepts_objection(&self, on: NaiveDate, policy: &Policy) -> Result<(), Refusal> {
        match self.phase(on) {
            Phase::Open => Ok(()),
            Phase::Upcoming => Err(Refusal::new(
                self.article(policy),
                msg!(
                    "objection-window-not-open",
                    kind = Term::of(self.kind),
                    start = self.start
                ),
            )),
            Phase::Run => Err(Refusal::new(
                self.article(policy),
                msg!(
                    "objection-window-closed",
                    kind = Term::of(self.kind),
                    end = self.end
                ),
            )),
        }
    }
}

/// Where an objection stands, without the reason: its stored and shown form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectionState {
    Open,
    Upheld,
    Dismissed,
}

crate::vocabulary!(ObjectionState, "ObjectionState", {
    ObjectionState::Open => ("open", "待处理", "Open"),
    ObjectionState::Upheld => ("upheld", "异议成立", "Upheld"),
    ObjectionState::Dismissed => ("dismissed", "异议不成立", "Dismissed"),
});

/// How the Leading Group handled an objection (A6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionStatus {
    Open,
    /// The objection holds: the application is returned or rejected with the reason.
    Upheld(String),
    /// The objection does not hold, with the reason.
    Dismissed(String),
}

impl ObjectionStatus {
    pub fn state(&self) -> ObjectionState {
        match self {
            ObjectionStatus::Open => ObjectionState::Open,
            ObjectionStatus::Upheld(_) => ObjectionState::Upheld,
            ObjectionStatus::Dismissed(_) => ObjectionState::Dismissed,
        }
    }

    /// The status from its stored state and reason.
    pub fn from_parts(state: ObjectionState, reason: Option<&str>) -> Self {
        let reason = reason.unwrap_or_default().to_owned();
        match state {
            ObjectionState::Open => ObjectionStatus::Open,
            ObjectionState::Upheld => ObjectionStatus::Upheld(reason),
            ObjectionState::Dismissed => ObjectionStatus::Dismissed(reason),
        }
    }
}

/// An objection against one entry of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub raised_on: NaiveDate,
    pub status: ObjectionStatus,
}

impl Objection {
    /// Records the Leading Group's handling. A reason is required either way, and a
    /// handled objection is not handled again.
    pub fn handle(&mut self, upheld: bool, reason: &str) -> Result<(), Refusal> {
        if self.status != ObjectionStatus::Open {
            return Err(Refusal::new(rule::A6, msg!("objection-already-handled")));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::new(rule::A6, msg!("objection-reason-required")));
        }
        self.status = if upheld {
            ObjectionStatus::Upheld(reason.to_owned())
        } else {
            ObjectionStatus::Dismissed(reason.to_owned())
        };
        Ok(())
    }
}

/// Whether the step after `notice` may go ahead for an entry on `today`: the notice has
/// run, no objection against the entry is open, and none was upheld (an upheld objection
/// sends the application back or out, so it cannot move on).
pub fn clearance(
    notice: &Notice,
    objections: &[Objection],
    today: NaiveDate,
    policy: &Policy,
) -> Result<(), Refusal> {
    let article = notice.article(policy);
    if notice.phase(today) != Phase::Run {
        return Err(Refusal::new(
            article,
            msg!(
                "notice-still-running",
                kind = Term::of(notice.kind),
                end = notice.end
            ),
        ));
    }
    let open = objections
        .iter()
        .filter(|o| o.status == ObjectionStatus::Open)
        .count();
    if open > 0 {
        return Err(Refusal::new(
            article,
            msg!(
                "objections-unhandled",
                open = open,
                kind = Term::of(notice.kind)
            ),
        ));
    }
    if let Some(ObjectionStatus::Upheld(reason)) = objections
        .iter()
        .map(|o| &o.status)
        .find(|s| matches!(s, ObjectionStatus::Upheld(_)))
    {
        return Err(Refusal::new(
            article,
            msg!("objection-upheld", reason = reason),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::tests::{d, shipped};
    use crate::policy::tests::xinzhou;

    fn acceptance(start: &str, end: Option<&str>) -> Result<Notice, NoticeError> {
        Notice::plan(
            NoticeKind::AcceptanceList,
            NoticeScope::City,
            d(start),
            end.map(d),
            &xinzhou(),
            &shipped(),
        )
    }

    #[test]
    fn a14_1_notice_needs_five_working_days() {
        let p = xinzhou();
        let c = shipped();
        let n = Notice::plan(
            NoticeKind::InUnit,
            NoticeScope::Unit,
            d("2026-11-23"),
            None,
            &p,
            &c,
        )
        .unwrap();
        assert_eq!(n.end, d("2026-11-27"));
        let err = Notice::plan(
            NoticeKind::InUnit,
            NoticeScope::Unit,
            d("2026-11-23"),
            Some(d("2026-11-26")),
            &p,
            &c,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("A14.1:") && err.contains("ran: 4, required: 5"),
            "{err}"
        );
    }

    #[test]
    fn a14_1_notice_across_national_day_is_counted_in_working_days() {
        let p = xinzhou();
        let c = shipped();
        // Monday 2025-09-29 to Thursday 2025-10-09 are eleven calendar days but only
        // 3 working days (Sep 29, 30; Oct 9), with Oct 1–8 a holiday.
        let err = Notice::plan(
            NoticeKind::InUnit,
            NoticeScope::Unit,
            d("2025-09-29"),
            Some(d("2025-10-09")),
            &p,
            &c,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("A14.1:") && err.contains("ran: 3, required: 5"),
            "{err}"
        );
        // Sep 29, 30, Oct 9, 10, 11 (a make-up Saturday).
        let n = Notice::plan(
            NoticeKind::InUnit,
            NoticeScope::Unit,
            d("2025-09-29"),
            None,
            &p,
            &c,
        )
        .unwrap();
        assert_eq!(n.end, d("2025-10-11"));
    }

    #[test]
    fn a16_3_office_may_choose_a_longer_notice_never_a_shorter_one() {
        assert_eq!(acceptance("2026-11-02", None).unwrap().end, d("2026-11-06"));
        assert_eq!(
            acceptance("2026-11-02", Some("2026-11-13")).unwrap().end,
            d("2026-11-13")
        );
        let err = acceptance("2026-11-02", Some("2026-11-05"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("A16.3:"), "{err}");
        // An end the calendar does not cover is an error, not a guess.
        assert!(matches!(
            acceptance("2026-11-02", Some("2027-01-10")),
            Err(NoticeError::Calendar(_))
        ));
    }

    #[test]
    fn a18_3_a19_2_candidate_and_winner_notices_are_five_working_days() {
        let p = xinzhou();
        let c = shipped();
        for (kind, scope, rule) in [
            (
                NoticeKind::Candidates,
                NoticeScope::County("xinfu".into()),
                "A18.3:",
            ),
            (NoticeKind::ProposedWinners, NoticeScope::City, "A19.2:"),
        ] {
            let n = Notice::plan(kind, scope.clone(), d("2026-09-24"), None, &p, &c).unwrap();
            // Thu Sep 24; Mid-Autumn Sep 25–27; Sep 28, 29, 30; National Day; Oct 8.
            assert_eq!(n.end, d("2026-10-08"), "{kind:?}");
            let err = Notice::plan(kind, scope, d("2026-09-24"), Some(d("2026-10-07")), &p, &c)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(rule), "{err}");
        }
    }

    #[test]
    fn a16_3_objection_after_the_window_is_refused() {
        let p = xinzhou();
        let n = acceptance("2026-11-02", None).unwrap();
        assert!(n.accepts_objection(d("2026-11-02"), &p).is_ok());
        assert!(n.accepts_objection(d("2026-11-06"), &p).is_ok());
        let late = n.accepts_objection(d("2026-11-07"), &p).unwrap_err();
        assert_eq!(late.rule, rule::A16_3);
        assert!(
            late.message.to_string().contains("end: 2026-11-06"),
            "{late}"
        );
        assert!(n.accepts_objection(d("2026-11-01"), &p).is_err());
    }

    #[test]
    fn a16_3_step_blocked_until_the_notice_has_run_and_objections_are_handled() {
        let p = xinzhou();
        let n = acceptance("2026-11-02", None).unwrap();
        let mut objections = vec![Objection {
            raised_on: d("2026-11-03"),
            status: ObjectionStatus::Open,
        }];
        let during = clearance(&n, &[], d("2026-11-06"), &p).unwrap_err();
        assert!(
            during.message.to_string().contains("end: 2026-11-06"),
            "{during}"
        );
        let open = clearance(&n, &objections, d("2026-11-09"), &p).unwrap_err();
        assert_eq!(open.rule, rule::A16_3);
        assert!(open.message.to_string().contains("open: 1"), "{open}");
        objections[0].handle(false, "反映问题经核查不属实").unwrap();
        assert!(clearance(&n, &objections, d("2026-11-09"), &p).is_ok());
    }

    #[test]
    fn a6_objections_are_handled_once_and_with_a_reason() {
        let p = xinzhou();
        let n = acceptance("2026-11-02", None).unwrap();
        let mut o = Objection {
            raised_on: d("2026-11-03"),
            status: ObjectionStatus::Open,
        };
        assert_eq!(o.handle(true, "  ").unwrap_err().rule, rule::A6);
        o.handle(true, "申报材料中的专利证书系伪造").unwrap();
        assert!(o.handle(false, "again").is_err());
        // An upheld objection keeps the entry from moving on.
        assert!(
            clearance(&n, &[o], d("2026-11-09"), &p)
                .unwrap_err()
                .message
                .key
                == "objection-upheld"
        );
    }
}

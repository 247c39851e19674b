//! Where an application stands, as a tracker of the steps of the measures in order
//! (起草 → 单位内部公示 → 报送审核 → 审核通过 → 推荐 → 形式审查 → 受理名单公示 → 受理 →
//! 评审 → 候选名单 → 领导小组审议 → 市政府审定), each with the day it was reached, who
//! acted and the result, built from the application's history alone (a pure function,
//! so that it can be tested without a database). A return, a rejection, a refusal of the
//! award or a revocation is a setback: the page shows its reason first, because it is
//! what the applicant has to act on.

use chrono::NaiveDate;
use qaward_domain::application::{ActionKind, State};
use serde::Serialize;

use super::{ActedAs, HistoryEntry};

/// A step of the measures, as the tracker lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Milestone {
    Draft,
    InUnitNotice,
    Submitted,
    ChannelPassed,
    Recommended,
    FormallyReviewed,
    AcceptanceList,
    Accepted,
    Evaluated,
    Candidate,
    Proposed,
    Decided,
}

qaward_domain::vocabulary!(Milestone, "Milestone", {
    Milestone::Draft => ("draft", "起草", "Drafting"),
    Milestone::InUnitNotice => ("in-unit-notice", "单位内部公示", "In-unit notice"),
    Milestone::Submitted => ("submitted", "报送审核", "Submitted for review"),
    Milestone::ChannelPassed => ("channel-passed", "审核通过", "Review passed"),
    Milestone::Recommended => ("recommended", "推荐", "Recommended"),
    Milestone::FormallyReviewed => ("formally-reviewed", "形式审查", "Formal review"),
    Milestone::AcceptanceList => ("acceptance-list", "受理名单公示", "Acceptance list notice"),
    Milestone::Accepted => ("accepted", "受理", "Accepted"),
    Milestone::Evaluated => ("evaluated", "评审", "Evaluation"),
    Milestone::Candidate => ("candidate", "候选名单", "Candidate list"),
    Milestone::Proposed => ("proposed", "领导小组审议", "Leading Group's deliberation"),
    Milestone::Decided => ("decided", "市政府审定", "Government's decision"),
});

impl Milestone {
    /// The step an application in `state` has reached; `None` for the states that branch
    /// off (returned, rejected, withdrawn, not awarded, revoked).
    pub fn of(state: State) -> Option<Milestone> {
        Some(match state {
            State::Draft => Milestone::Draft,
            State::InUnitNotice => Milestone::InUnitNotice,
            State::Submitted => Milestone::Submitted,
            State::ChannelPassed => Milestone::ChannelPassed,
            State::Recommended => Milestone::Recommended,
            State::FormallyReviewed => Milestone::FormallyReviewed,
            State::OnAcceptanceList => Milestone::AcceptanceList,
            State::Accepted => Milestone::Accepted,
            State::Evaluated => Milestone::Evaluated,
            State::Candidate => Milestone::Candidate,
            State::Proposed(_) => Milestone::Proposed,
            State::Awarded(_) => Milestone::Decided,
            State::Returned(_)
            | State::Rejected
            | State::Withdrawn
            | State::NotAwarded
            | State::Revoked(_) => return None,
        })
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Reached and left behind.
    Done,
    /// The application is at this step (or stopped at it, with the stop's result).
    Current,
    /// Not reached yet in this round.
    Upcoming,
}

/// One step of the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub milestone: Milestone,
    pub status: Status,
    /// When the step was reached (stored timestamp), for reached steps.
    pub at: Option<String>,
    /// The day the draft was started: the first step is no transition, only a day.
    pub on: Option<NaiveDate>,
    pub by: Option<ActedAs>,
    /// The account that acted: staff readers only, as in the history.
    pub account: Option<String>,
    /// What was done: the action that reached the step, or, at the step where the
    /// application stopped, the action that stopped it.
    pub result: Option<ActionKind>,
}

/// A return, rejection, refusal of the award or revocation, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setback {
    pub action: ActionKind,
    pub state: State,
    pub at: String,
    pub by: ActedAs,
    pub account: Option<String>,
    pub reason: Option<String>,
}

/// The tracker of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub steps: Vec<Step>,
    /// Why the application stopped, when someone else stopped it.
    pub setback: Option<Setback>,
}

/// The tracker of an application in `state` with `history` (oldest first), started on
/// `started` by `applicant`. The steps reached are those up to the current state's; after
/// a return they count again from the resubmission, so a step reached before the return
/// and not yet again is upcoming (the history keeps the earlier round).
pub fn progress(
    state: State,
    history: &[HistoryEntry],
    applicant: &ActedAs,
    started: Option<NaiveDate>,
) -> Progress {
    // The step the application is at, and the transition that stopped it there if any.
    let stop = if Milestone::of(state).is_none() {
        history.iter().rev().find(|h| h.to_state == state)
    } else {
        None
    };
    let at = match Milestone::of(state) {
        Some(m) => m,
        // Stopped: at the step it was in when it stopped (a revocation after the decision).
        None => stop
            .and_then(|h| Milestone::of(h.from_state))
            .unwrap_or(Milestone::Draft),
    };
    let setback = stop
        .filter(|_| !matches!(state, State::Withdrawn))
        .map(|h| Setback {
            action: h.action,
            state,
            at: h.at.clone(),
            by: h.by.clone(),
            account: h.account.clone(),
            reason: h.reason.clone(),
        });
    let steps = <Milestone as qaward_domain::text::Vocabulary>::ALL
        .iter()
        .map(|&m| {
            let status = match m.cmp(&at) {
                std::cmp::Ordering::Less => Status::Done,
                std::cmp::Ordering::Equal => Status::Current,
                std::cmp::Ordering::Greater => Status::Upcoming,
            };
            // The latest arrival at the step: after a return, the resubmission's round.
            let reached = (status != Status::Upcoming)
                .then(|| {
                    history.iter().rev().find(|h| {
                        Milestone::of(h.to_state) == Some(m) && h.from_state != h.to_state
                    })
                })
                .flatten();
            let mut step = Step {
                milestone: m,
                status,
                at: reached.map(|h| h.at.clone()),
                on: None,
                by: reached.map(|h| h.by.clone()),
                account: reached.and_then(|h| h.account.clone()),
                result: reached.map(|h| h.action),
            };
            if m == Milestone::Draft && reached.is_none() && status != Status::Upcoming {
                step.on = started;
                step.by = Some(applicant.clone());
            }
            if status == Status::Current
                && let Some(h) = stop
            {
                step.result = Some(h.action);
            }
            step
        })
        .collect();
    Progress { steps, setback }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qaward_domain::application::ReturnTo;

    fn entry(from: State, to: State, action: ActionKind, reason: Option<&str>) -> HistoryEntry {
        HistoryEntry {
            from_state: from,
            to_state: to,
            action,
            by: ActedAs::Unit("忻府区市场监督管理局".into()),
            account: None,
            reason: reason.map(str::to_owned),
            at: format!("2026-12-0{}T02:00:00Z", 1 + action as u8 % 8),
        }
    }

    fn statuses(p: &Progress) -> Vec<(Milestone, Status)> {
        p.steps.iter().map(|s| (s.milestone, s.status)).collect()
    }

    fn applicant() -> ActedAs {
        ActedAs::Applicant("某公司".into())
    }

    #[test]
    fn a_draft_is_at_its_first_step_with_the_day_it_was_started() {
        let started = NaiveDate::from_ymd_opt(2026, 11, 30);
        let p = progress(State::Draft, &[], &applicant(), started);
        assert_eq!(p.steps.len(), 12);
        assert_eq!(p.steps[0].status, Status::Current);
        assert_eq!(p.steps[0].on, started);
        assert_eq!(p.steps[0].by, Some(applicant()));
        assert!(
            p.steps[1..]
                .iter()
                .all(|s| s.status == Status::Upcoming && s.at.is_none())
        );
        assert_eq!(p.setback, None);
    }

    #[test]
    fn a_submitted_application_has_its_earlier_steps_done_with_who_and_when() {
        let h = [
            entry(
                State::Draft,
                State::InUnitNotice,
                ActionKind::OpenInUnitNotice,
                None,
            ),
            entry(
                State::InUnitNotice,
                State::Submitted,
                ActionKind::Submit,
                None,
            ),
            entry(
                State::Submitted,
                State::ChannelPassed,
                ActionKind::ChannelPass,
                None,
            ),
        ];
        let p = progress(State::ChannelPassed, &h, &applicant(), None);
        let s = statuses(&p);
        assert_eq!(s[0], (Milestone::Draft, Status::Done));
        assert_eq!(s[2], (Milestone::Submitted, Status::Done));
        assert_eq!(s[3], (Milestone::ChannelPassed, Status::Current));
        assert_eq!(s[4], (Milestone::Recommended, Status::Upcoming));
        assert_eq!(p.steps[2].result, Some(ActionKind::Submit));
        assert_eq!(p.steps[3].result, Some(ActionKind::ChannelPass));
        assert_eq!(p.steps[3].at, Some(h[2].at.clone()));
    }

    #[test]
    fn a_return_stops_at_the_step_that_returned_it_and_its_reason_comes_first() {
        let h = [
            entry(
                State::Draft,
                State::InUnitNotice,
                ActionKind::OpenInUnitNotice,
                None,
            ),
            entry(
                State::InUnitNotice,
                State::Submitted,
                ActionKind::Submit,
                None,
            ),
            entry(
                State::Submitted,
                State::Returned(ReturnTo::Channel),
                ActionKind::Return,
                Some("缺少营业执照"),
            ),
        ];
        let p = progress(State::Returned(ReturnTo::Channel), &h, &applicant(), None);
        assert_eq!(p.steps[2].status, Status::Current);
        assert_eq!(p.steps[2].result, Some(ActionKind::Return));
        let sb = p.setback.expect("a setback");
        assert_eq!(sb.action, ActionKind::Return);
        assert_eq!(sb.reason.as_deref(), Some("缺少营业执照"));
    }

    #[test]
    fn after_resubmission_the_later_steps_count_again() {
        let h = [
            entry(
                State::InUnitNotice,
                State::Submitted,
                ActionKind::Submit,
                None,
            ),
            entry(
                State::Submitted,
                State::ChannelPassed,
                ActionKind::ChannelPass,
                None,
            ),
            entry(
                State::ChannelPassed,
                State::Returned(ReturnTo::Channel),
                ActionKind::Return,
                Some("补充材料"),
            ),
            entry(
                State::Returned(ReturnTo::Channel),
                State::Submitted,
                ActionKind::Resubmit,
                None,
            ),
        ];
        let p = progress(State::Submitted, &h, &applicant(), None);
        assert_eq!(p.steps[2].status, Status::Current);
        assert_eq!(p.steps[2].result, Some(ActionKind::Resubmit));
        assert_eq!(p.steps[3].status, Status::Upcoming);
        assert_eq!(p.steps[3].at, None);
        assert_eq!(p.setback, None);
    }

    #[test]
    fn a_rejection_is_a_setback_and_a_withdrawal_is_not() {
        let rejected = [entry(
            State::Submitted,
            State::Rejected,
            ActionKind::Reject,
            Some("不符合条件"),
        )];
        let p = progress(State::Rejected, &rejected, &applicant(), None);
        assert_eq!(p.steps[2].result, Some(ActionKind::Reject));
        assert_eq!(p.setback.map(|s| s.action), Some(ActionKind::Reject));
        let withdrawn = [entry(
            State::InUnitNotice,
            State::Withdrawn,
            ActionKind::Withdraw,
            None,
        )];
        let p = progress(State::Withdrawn, &withdrawn, &applicant(), None);
        assert_eq!(p.steps[1].status, Status::Current);
        assert_eq!(p.steps[1].result, Some(ActionKind::Withdraw));
        assert_eq!(p.setback, None);
    }

    #[test]
    fn a_corrected_in_unit_notice_is_not_a_new_arrival() {
        // Recording the notice again keeps the state; the step keeps its first day.
        let h = [
            entry(
                State::Draft,
                State::InUnitNotice,
                ActionKind::OpenInUnitNotice,
                None,
            ),
            entry(
                State::InUnitNotice,
                State::InUnitNotice,
                ActionKind::OpenInUnitNotice,
                None,
            ),
        ];
        let p = progress(State::InUnitNotice, &h, &applicant(), None);
        assert_eq!(p.steps[1].at, Some(h[0].at.clone()));
    }
}

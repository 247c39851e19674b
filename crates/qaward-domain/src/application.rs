//! The application state machine (DESIGN.md §3): every transition with its guard.
//!
//! [`transition`] takes the current state, the action someone wants to take and the
//! [`Facts`] the caller has read from storage, and returns the next state or a
//! [`Refusal`] naming the rule that refused. Who may take an action is a separate question
//! answered by [`crate::permission`]; this module answers whether the measures allow it
//! now.
//!
//! ```text
//! Draft → InUnitNotice → Submitted → ChannelPassed → Recommended → FormallyReviewed
//!   → OnAcceptanceList → Accepted → Evaluated → Candidate → Proposed(level)
//!   → Awarded(level) → Revoked(level)
//! ```
//! with `Returned`, `Rejected`, `Withdrawn` and `NotAwarded` branching off. Every notice
//! step (A14.1, A16.3, A18.3, A19.2) blocks the next until it has run with no objection
//! open or upheld, and the quota (A4.3) is checked on the proposal and on the decision.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::eligibility::Unmet;
use crate::message::{Arg, Message, Term};
use crate::msg;
use crate::notice::{self, Notice, Objection};
use crate::policy::{Level, NoticeKind, Policy};
use crate::quota;
use crate::rule::{self, Refusal, RuleId};
use crate::text::Vocabulary;
use rust_decimal::Decimal;

mod moves;
mod submission;
mod values;

pub use moves::Move;
pub use values::{
    Action, ActionKind, Channel, OpinionStage, Recommender, ReviewStep, RevocationCause, Stage,
};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Draft,
    /// The applicant's in-unit notice is running (A14.1).
    InUnitNotice,
    /// At the channel for review (A14.2, A15.1).
    Submitted,
    /// The channel's review passed (A15.1).
    ChannelPassed,
    /// Recommended to the Office (A15.2, A15.3).
    Recommended,
    /// Formal review passed and opinions in (A16.1, A16.2).
    FormallyReviewed,
    /// On the acceptance list while its notice runs (A16.3).
    OnAcceptanceList,
    Accepted,
    /// The panel's evaluation is complete (A17).
    Evaluated,
    /// On the candidate list (A18.1); opinions and notice follow (A18.2, A18.3).
    Candidate,
    /// Proposed by the Leading Group (A19.1); city-wide notice (A19.2).
    Proposed(Level),
    /// Commended by the Government (A20.2).
    Awarded(Level),
    NotAwarded,
    /// The award was revoked (A28).
    Revoked(Level),
    /// Sent back for correction; resubmission resumes at the returning step.
    Returned(ReturnTo),
    Rejected,
    Withdrawn,
}

crate::vocabulary!(State, "ApplicationState", {
    State::Draft => ("draft", "草稿", "Draft"),
    State::InUnitNotice => ("in-unit-notice", "单位内部公示中", "In-unit notice running"),
    State::Submitted => ("submitted", "已报送，待审核", "Submitted, awaiting review"),
    State::ChannelPassed => ("channel-passed", "审核通过，待推荐", "Passed, awaiting recommendation"),
    State::Recommended => ("recommended", "已推荐，待形式审查", "Recommended to the Office"),
    State::FormallyReviewed => ("formally-reviewed", "形式审查通过", "Formally reviewed"),
    State::OnAcceptanceList => ("on-acceptance-list", "受理名单公示中", "On the acceptance list"),
    State::Accepted => ("accepted", "已受理", "Accepted"),
    State::Evaluated => ("evaluated", "评审完成", "Evaluated"),
    State::Candidate => ("candidate", "已列入候选名单", "On the candidate list"),
    State::Proposed(Level::Award) => ("proposed-award", "拟获市长质量奖", "Proposed for the Award"),
    State::Proposed(Level::Nomination) => ("proposed-nomination", "拟获市长质量奖提名奖", "Proposed for the Nomination Award"),
    State::Awarded(Level::Award) => ("awarded-award", "获市长质量奖", "Awarded the Award"),
    State::Awarded(Level::Nomination) => ("awarded-nomination", "获市长质量奖提名奖", "Awarded the Nomination Award"),
    State::NotAwarded => ("not-awarded", "未获奖", "Not awarded"),
    State::Revoked(Level::Award) => ("revoked-award", "市长质量奖已撤销", "Award revoked"),
    State::Revoked(Level::Nomination) => ("revoked-nomination", "提名奖已撤销", "Nomination Award revoked"),
    State::Returned(ReturnTo::Channel) => ("returned-to-channel", "已退回修改（改后报送审核部门）", "Returned for correction (back to the channel)"),
    State::Returned(ReturnTo::Office) => ("returned-to-office", "已退回修改（改后报送领导小组办公室）", "Returned for correction (back to the Office)"),
    State::Rejected => ("rejected", "未通过", "Rejected"),
    State::Withdrawn => ("withdrawn", "已撤回", "Withdrawn"),
});

/// Which step a returned application goes back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnTo {
    /// The channel's review (resumes at `Submitted`).
    Channel,
    /// The Office's formal review (resumes at `Recommended`).
    Office,
}

impl State {
    /// No decision has been made on the application yet: it may still be withdrawn.
    pub fn before_decision(&self) -> bool {
        !matches!(
            self,
            State::Awarded(_)
                | State::NotAwarded
                | State::Revoked(_)
                | State::Rejected
                | State::Withdrawn
        )
    }

    /// The rule of the step the application is at, for refusals that concern the step.
    fn step_rule(&self) -> RuleId {
        match self {
            State::Draft | State::InUnitNotice => rule::A14_1,
            State::Submitted => rule::A15_1,
            State::ChannelPassed => rule::A15_2,
            State::Recommended | State::FormallyReviewed => rule::A16_1,
            State::OnAcceptanceList => rule::A16_3,
            State::Accepted => rule::A17_1,
            State::Evaluated => rule::A18_1,
            State::Candidate => rule::A19_1,
            State::Proposed(_) => rule::A20_2,
            State::Awarded(_) | State::Revoked(_) => rule::A28_1,
            State::NotAwarded | State::Rejected | State::Withdrawn => rule::A3,
            State::Returned(_) => rule::A14_3,
        }
    }

    /// Whether the applicant may still change the materials.
    pub fn editable(&self) -> bool {
        matches!(
            self,
            State::Draft | State::InUnitNotice | State::Returned(_)
        )
    }
}

/// A notice an application is on, with the objections raised against its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFacts {
    pub notice: Notice,
    pub objections: Vec<Objection>,
}

/// Written opinions asked of departments (A16.2, A18.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OpinionFacts {
    pub requested: u32,
    pub answered: u32,
    /// Answers with an adverse finding.
    pub adverse: u32,
}

/// What the caller knows, read from storage, that the guards look at.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub today: NaiveDate,
    /// The cycle's application window, both days included.
    pub window: (NaiveDate, NaiveDate),
    /// The subject's county-level unit (policy id): the county channel must be this one.
    pub subject_county: String,
    /// The channel the application was submitted to, once submitted.
    pub channel: Option<Channel>,
    /// The eligibility result for today (A10–A12, A28.3).
    pub eligibility: Vec<Unmet>,
    pub notices: BTreeMap<NoticeKind, NoticeFacts>,
    /// Opinions asked at formal review (A16.2).
    pub acceptance_opinions: OpinionFacts,
    /// Opinions asked on the candidate (A18.2).
    pub candidate_opinions: OpinionFacts,
    /// The stages of the evaluation that are complete (A17.2).
    pub stages_done: BTreeSet<Stage>,
    /// The final score and the plan's thresholds (A4.4), once evaluated.
    pub score: Option<ScoreFacts>,
    /// Recipients of each level already proposed (at deliberation) or awarded (at the
    /// decision) in the cycle, not counting this application (A4.3).
    pub quota_taken: BTreeMap<Level, u32>,
    /// The Office and the HR bureau have filed the joint report (A20.1).
    pub joint_report_filed: bool,
    /// The applicant's commitment that its materials are complete, true and accurate
    /// (A14.3).
    pub authenticity_committed: bool,
    /// The applicant's confirmation that nothing touches national security or state
    /// secrets (A16.4).
    pub no_state_secrets_confirmed: bool,
    /// The scan or photo of the posted in-unit notice is attached (A14.1).
    pub in_unit_scan: bool,
    /// Objections to the in-unit notice the applicant has not yet said how it handled:
    /// it must, before it submits; the channel's reviewer then judges the notice and its
    /// objections and confirms "公示无异议" at review (A14.1, A15.1).
    pub in_unit_unanswered: u32,
    /// The day the application was started: its in-unit notice cannot start before it
    /// (A14.1: the applicant's own notice of its own application).
    pub started_on: Option<NaiveDate>,
    /// The subject's registration has been confirmed against its business licence by its
    /// county's market supervision department or the Office (A10.1: legally established in
    /// the city); always true for a person, who presents no licence.
    pub registration_confirmed: bool,
}

/// An evaluated application's final score and the plan's thresholds of each level (A4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreFacts {
    pub score: Decimal,
    /// The Award's threshold.
    pub award: Decimal,
    /// The Nomination Award's threshold, the bar for a place on the candidate list.
    pub nomination: Decimal,
}

impl ScoreFacts {
    /// The threshold of `level`.
    pub fn threshold(&self, level: Level) -> Decimal {
        match level {
            Level::Award => self.award,
            Level::Nomination => self.nomination,
        }
    }

    /// The highest level the score reaches, if any.
    pub fn level(&self) -> Option<Level> {
        if self.score >= self.award {
            Some(Level::Award)
        } else if self.score >= self.nomination {
            Some(Level::Nomination)
        } else {
            None
        }
    }

    /// Whether the score reaches `level`'s threshold (A4.4).
    pub fn reaches(&self, level: Level) -> Result<(), Refusal> {
        quota::meets_threshold(self.score, self.threshold(level))
    }
}

fn scored(facts: &Facts) -> Result<ScoreFacts, Refusal> {
    facts
        .score
        .ok_or_else(|| refuse(rule::A18_1, msg!("no-final-score")))
}

fn refuse(rule: RuleId, message: Message) -> Refusal {
    Refusal::new(rule, message)
}

/// `what` is a message key naming the reason asked for (`reason-what-to-correct`, …).
fn reason_given(rule: RuleId, reason: &str, what: &'static str) -> Result<(), Refusal> {
    if reason.trim().is_empty() {
        Err(refuse(rule, msg!("reason-required", what = Arg::Key(what))))
    } else {
        Ok(())
    }
}

/// The name of a county-level unit, or its id when the policy does not know it.
fn unit_name(policy: &Policy, id: &str) -> String {
    policy
        .county(id)
        .map_or_else(|| id.to_owned(), |c| c.name.clone())
}

fn notice_clear(facts: &Facts, kind: NoticeKind, policy: &Policy) -> Result<(), Refusal> {
    match facts.notices.get(&kind) {
        // A version without this notice step does not wait for one.
        None if policy.notice_min(kind).is_none() => Ok(()),
        None => Err(refuse(
            policy.notice_article(kind),
            msg!("notice-not-published", kind = Term::of(kind)),
        )),
        Some(n) => notice::clearance(&n.notice, &n.objections, facts.today, policy),
    }
}

fn opinions_clear(o: OpinionFacts, article: RuleId) -> Result<(), Refusal> {
    if o.requested == 0 {
        return Err(refuse(article, msg!("opinions-not-requested")));
    }
    if o.answered < o.requested {
        return Err(refuse(
            article,
            msg!(
                "opinions-unanswered",
                unanswered = o.requested - o.answered,
                requested = o.requested
            ),
        ));
    }
    if o.adverse > 0 {
        return Err(refuse(
            article,
            msg!("opinions-adverse", adverse = o.adverse),
        ));
    }
    Ok(())
}

fn eligible(facts: &Facts) -> Result<(), Refusal> {
    match facts.eligibility.first() {
        None => Ok(()),
        Some(first) => Err(refuse(first.rule.clone(), first.message.clone())),
    }
}

/// The in-unit notice being recorded: it is the notice of this application, so it cannot
/// have started before the application did (a back-dated notice would let an application
/// be submitted the day it is started).
fn in_unit_notice_recordable(facts: &Facts) -> Result<(), Refusal> {
    let Some(n) = facts.notices.get(&NoticeKind::InUnit) else {
        return Err(refuse(rule::A14_1, msg!("in-unit-notice-start-first")));
    };
    if let Some(started) = facts.started_on
        && n.notice.start < started
    {
        return Err(refuse(
            rule::A14_1,
            msg!(
                "in-unit-notice-before-application",
                start = n.notice.start,
                started = started
            ),
        ));
    }
    Ok(())
}

fn quota_fits(facts: &Facts, level: Level, policy: &Policy) -> Result<(), Refusal> {
    quota::check(
        policy,
        level,
        facts.quota_taken.get(&level).copied().unwrap_or(0),
    )
}

/// The next state if the measures allow `action` in `state` given `facts`.
pub fn transition(
    state: State,
    action: &Action,
    facts: &Facts,
    policy: &Policy,
) -> Result<State, Refusal> {
    use Action as A;
    use State as S;
    let next = match (state, action) {
        (S::Draft, A::OpenInUnitNotice) => {
            in_unit_notice_recordable(facts)?;
            S::InUnitNotice
        }
        // Until it submits, the applicant may correct the notice it recorded.
        (S::InUnitNotice, A::OpenInUnitNotice) => {
            in_unit_notice_recordable(facts)?;
            S::InUnitNotice
        }
        (S::InUnitNotice, A::ReviseDraft) => S::Draft,
        (S::InUnitNotice, A::Submit { channel }) => {
            if let Some(first) = submission::unmet(facts, channel, policy).into_iter().next() {
                return Err(first);
            }
            S::Submitted
        }
        (S::Submitted, A::ChannelPass) => S::ChannelPassed,
        (S::ChannelPassed, A::Recommend { by }) => {
            match (&facts.channel, by) {
                (Some(Channel::County(_)), Recommender::CountyGovernment) => {}
                (Some(Channel::Industry(_)), Recommender::IndustryDept) => {}
                (Some(Channel::County(_)), Recommender::IndustryDept) => {
                    return Err(refuse(rule::A15_2, msg!("recommender-county")));
                }
                (Some(Channel::Industry(_)), Recommender::CountyGovernment) => {
                    return Err(refuse(rule::A15_3, msg!("recommender-industry")));
                }
                (None, _) => return Err(refuse(rule::A14_2, msg!("no-channel"))),
            }
            S::Recommended
        }
        (S::Recommended, A::FormalReviewPass) => {
            eligible(facts)?;
            opinions_clear(facts.acceptance_opinions, rule::A16_2)?;
            S::FormallyReviewed
        }
        (S::FormallyReviewed, A::PublishAcceptanceList) => {
            if policy.notice_min(NoticeKind::AcceptanceList).is_none() {
                return Err(refuse(
                    rule::A16_3,
                    msg!(
                        "notice-not-in-version",
                        kind = Term::of(NoticeKind::AcceptanceList)
                    ),
                ));
            }
            if !facts.notices.contains_key(&NoticeKind::AcceptanceList) {
                return Err(refuse(rule::A16_3, msg!("acceptance-notice-first")));
            }
            S::OnAcceptanceList
        }
        (S::OnAcceptanceList, A::Accept) => {
            notice_clear(facts, NoticeKind::AcceptanceList, policy)?;
            S::Accepted
        }
        // Under a version without the acceptance-list notice, the Office accepts straight
        // after the formal review; under one with it, only once the list has run.
        (S::FormallyReviewed, A::Accept) => {
            if policy.notice_min(NoticeKind::AcceptanceList).is_some() {
                return Err(refuse(rule::A16_3, msg!("accept-after-acceptance-list")));
            }
            S::Accepted
        }
        (S::Accepted, A::CompleteEvaluation) => {
            let missing: Vec<Term> = Stage::ALL
                .iter()
                .filter(|s| !facts.stages_done.contains(s))
                .map(|&s| Term::of(s))
                .collect();
            if !missing.is_empty() {
                return Err(refuse(
                    rule::A17_2,
                    msg!("stages-incomplete", stages = missing),
                ));
            }
            S::Evaluated
        }
        (S::Evaluated, A::ProposeCandidate { level }) => {
            scored(facts)?.reaches(*level)?;
            S::Candidate
        }
        (S::Evaluated, A::NotSelected { reason }) => {
            reason_given(rule::A18_1, reason, "reason-not-selected")?;
            S::NotAwarded
        }
        (S::Candidate, A::Deliberate { outcome }) => {
            opinions_clear(facts.candidate_opinions, rule::A18_2)?;
            notice_clear(facts, NoticeKind::Candidates, policy)?;
            match outcome {
                None => S::NotAwarded,
                Some(level) => {
                    scored(facts)?.reaches(*level)?;
                    quota_fits(facts, *level, policy)?;
                    S::Proposed(*level)
                }
            }
        }
        (S::Proposed(_), A::Decide { outcome }) => {
            notice_clear(facts, NoticeKind::ProposedWinners, policy)?;
            if !facts.joint_report_filed {
                return Err(refuse(rule::A20_1, msg!("joint-report-missing")));
            }
            match outcome {
                // The Government may confirm, drop or change the level (A20.2), within
                // the quota and the thresholds.
                Some(level) => {
                    scored(facts)?.reaches(*level)?;
                    quota_fits(facts, *level, policy)?;
                    S::Awarded(*level)
                }
                None => S::NotAwarded,
            }
        }
        (S::Awarded(level), A::Revoke { finding, .. }) => {
            reason_given(rule::A28_1, finding, "reason-revocation-finding")?;
            S::Revoked(level)
        }
        (S::Submitted, A::Return { reason }) => {
            reason_given(rule::A15_1, reason, "reason-what-to-correct")?;
            S::Returned(ReturnTo::Channel)
        }
        (S::ChannelPassed, A::Return { reason }) => {
            reason_given(rule::A15_2, reason, "reason-what-to-correct")?;
            S::Returned(ReturnTo::Channel)
        }
        (S::Recommended | S::FormallyReviewed | S::OnAcceptanceList, A::Return { reason }) => {
            reason_given(rule::A16_1, reason, "reason-what-to-correct")?;
            S::Returned(ReturnTo::Office)
        }
        // Corrected materials go back through the channel's review, whoever returned them:
        // the channel certifies what it recommends (A15.1). The commitments and the
        // conditions are checked again, as at the first submission (A14.3, A16.4, A10–A12).
        (S::Returned(_), A::Resubmit) => {
            if let Some(first) = submission::unmet_again(facts).into_iter().next() {
                return Err(first);
            }
            S::Submitted
        }
        (
            s @ (S::Submitted
            | S::ChannelPassed
            | S::Recommended
            | S::FormallyReviewed
            | S::OnAcceptanceList
            | S::Accepted
            | S::Evaluated
            | S::Candidate
            | S::Proposed(_)
            | S::Returned(_)),
            A::Reject { reason },
        ) => {
            reason_given(s.step_rule(), reason, "reason-rejection")?;
            S::Rejected
        }
        (s, A::Withdraw) if s.before_decision() => S::Withdrawn,
        (s, a) => {
            return Err(refuse(
                s.step_rule(),
                msg!(
                    "move-not-possible",
                    action = Term::of(a.kind()),
                    state = Term::of(s)
                ),
            ));
        }
    };
    Ok(next)
}

/// Every refusal `action` meets in `state`, where the measures ask for several
/// conditions at once (a submission): the applicant fixes them all in one visit rather
/// than one per attempt. Empty for other moves (their one refusal is `transition`'s).
pub fn all_refusals(state: State, action: &Action, facts: &Facts, policy: &Policy) -> Vec<Refusal> {
    match (state, action) {
        (State::InUnitNotice, Action::Submit { channel }) => {
            submission::unmet(facts, channel, policy)
        }
        (State::Returned(_), Action::Resubmit) => submission::unmet_again(facts),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;

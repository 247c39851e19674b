//! Who moves an application, and from where: every step of the cycle as one actor takes
//! it. The same action is a different move in different hands — a return is the
//! channel's at its review (A15.1), the county government's when it declines to
//! recommend (A15.2), the Office's at formal review (A16.1) and the Leading Group's when it
//! upholds an objection (A6) — and each move starts only from the states it names. The
//! workflow kernel asks this table before the state machine; an action outside it is
//! refused whatever permission the actor holds elsewhere.

use super::{Action, Channel, State};
use crate::message::Term;
use crate::permission::Perm;
use crate::policy::Level;
use crate::rule::{self, RuleId};

/// A step of the cycle as its rightful actor takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Move {
    /// The applicant records, or corrects until it submits, its in-unit notice (A14.1).
    RecordInUnitNotice,
    /// The applicant submits to its channel (A14.2).
    Submit,
    /// The applicant resubmits after a return for correction.
    Resubmit,
    /// The applicant withdraws (A3), before a decision.
    Withdraw,
    /// The channel reviews a submitted application: pass, return or reject (A15.1).
    ChannelReview,
    /// The county government (A15.2) or the industry department (A15.3) recommends.
    Recommend,
    /// The county government or the industry department returns or declines a passed
    /// application instead (A15.2, A15.3).
    Decline,
    /// The Office's formal review: pass, return or reject (A16.1).
    FormalReview,
    /// The Office puts formally reviewed applications on the acceptance list (A16.3).
    PublishAcceptanceList,
    /// The Office accepts once the acceptance list's notice has run clear (A16.3).
    Accept,
    /// The Leading Group upholds an objection to an entry of the acceptance list: the
    /// application is returned or rejected (A6).
    UpholdObjection,
    /// The Office, or the agency entrusted with the cycle, closes the evaluation of an
    /// accepted application once every stage is complete (A17.1, A17.2).
    CompleteEvaluation,
    /// The Office puts evaluated applications on the candidate list, or leaves them off
    /// with a reason (A18.1).
    ProposeCandidates,
    /// The Leading Group deliberates on a candidate: Award, Nomination Award or none
    /// (A19.1).
    Deliberate,
    /// The Municipal Government decides on a proposed winner: confirms, changes the level
    /// or drops it (A20.2).
    Decide,
    /// The Municipal Government revokes an award on the Office's request (A28.1): only its
    /// decision revokes.
    Revoke,
}

crate::vocabulary!(Move, "Move", {
    Move::RecordInUnitNotice => ("record-in-unit-notice", "登记单位内部公示", "Record the in-unit notice"),
    Move::Submit => ("submit", "报送", "Submit"),
    Move::Resubmit => ("resubmit", "重新报送", "Resubmit"),
    Move::Withdraw => ("withdraw", "撤回申报", "Withdraw"),
    Move::ChannelReview => ("channel-review", "审核部门审核", "Channel review"),
    Move::Recommend => ("recommend", "推荐", "Recommend"),
    Move::Decline => ("decline", "不予推荐或退回", "Decline or return"),
    Move::FormalReview => ("formal-review", "形式审查", "Formal review"),
    Move::PublishAcceptanceList => ("publish-acceptance-list", "列入受理名单公示", "Put on the acceptance list"),
    Move::Accept => ("accept", "受理", "Accept"),
    Move::UpholdObjection => ("uphold-objection", "异议成立", "Uphold an objection"),
    Move::CompleteEvaluation => ("complete-evaluation", "完成评审", "Complete the evaluation"),
    Move::ProposeCandidates => ("propose-candidates", "提出候选名单", "Propose the candidate list"),
    Move::Deliberate => ("deliberate", "领导小组审议", "Deliberate"),
    Move::Decide => ("decide", "市政府审定", "Decide"),
    Move::Revoke => ("revoke", "市政府撤销奖项", "Revoke"),
});

use State as S;

/// Every state before a decision: an application may be withdrawn from any of them (A3).
const BEFORE_DECISION: &[State] = &[
    S::Draft,
    S::InUnitNotice,
    S::Submitted,
    S::ChannelPassed,
    S::Recommended,
    S::FormallyReviewed,
    S::OnAcceptanceList,
    S::Accepted,
    S::Evaluated,
    S::Candidate,
    S::Proposed(Level::Award),
    S::Proposed(Level::Nomination),
    S::Returned(super::ReturnTo::Channel),
    S::Returned(super::ReturnTo::Office),
];

impl Move {
    /// The states the move may start from.
    pub fn from(self) -> &'static [State] {
        match self {
            Move::RecordInUnitNotice => &[S::Draft, S::InUnitNotice],
            Move::Submit => &[S::InUnitNotice],
            Move::Resubmit => &[
                S::Returned(super::ReturnTo::Channel),
                S::Returned(super::ReturnTo::Office),
            ],
            Move::Withdraw => BEFORE_DECISION,
            Move::ChannelReview => &[S::Submitted],
            Move::Recommend | Move::Decline => &[S::ChannelPassed],
            Move::FormalReview => &[S::Recommended, S::FormallyReviewed],
            Move::PublishAcceptanceList => &[S::FormallyReviewed],
            Move::Accept => &[S::OnAcceptanceList, S::FormallyReviewed],
            // An objection is upheld against an entry of any notice the Leading Group
            // handles: the acceptance list, the candidates, the proposed winners (A6).
            Move::UpholdObjection => &[
                S::OnAcceptanceList,
                S::Candidate,
                S::Proposed(Level::Award),
                S::Proposed(Level::Nomination),
            ],
            Move::CompleteEvaluation => &[S::Accepted],
            Move::ProposeCandidates => &[S::Evaluated],
            Move::Deliberate => &[S::Candidate],
            Move::Decide => &[S::Proposed(Level::Award), S::Proposed(Level::Nomination)],
            Move::Revoke => &[S::Awarded(Level::Award), S::Awarded(Level::Nomination)],
        }
    }

    /// The permission the move needs on the application; the recommendation's depends on
    /// the channel it was submitted to.
    pub fn perm(self, channel: Option<&Channel>) -> Perm {
        let recommends = match channel {
            Some(Channel::Industry(_)) => Perm::IndustryRecommend,
            _ => Perm::CountyRecommend,
        };
        match self {
            Move::RecordInUnitNotice => Perm::EditApplication,
            Move::Submit | Move::Resubmit => Perm::SubmitApplication,
            Move::Withdraw => Perm::WithdrawApplication,
            Move::ChannelReview => Perm::ChannelReview,
            Move::Recommend | Move::Decline => recommends,
            Move::FormalReview | Move::Accept => Perm::FormalReview,
            Move::PublishAcceptanceList => Perm::PublishNotice,
            Move::UpholdObjection => Perm::HandleObjection,
            Move::CompleteEvaluation => Perm::ManagePanels,
            Move::ProposeCandidates => Perm::ProposeCandidates,
            Move::Deliberate => Perm::Deliberate,
            Move::Decide => Perm::DecideAwards,
            Move::Revoke => Perm::DecideRevocation,
        }
    }

    /// The article the move is taken under, for a refusal of the move itself.
    pub fn rule(self) -> RuleId {
        match self {
            Move::RecordInUnitNotice => rule::A14_1,
            Move::Submit => rule::A14_2,
            Move::Resubmit => rule::A14_3,
            Move::Withdraw => rule::A3,
            Move::ChannelReview => rule::A15_1,
            Move::Recommend | Move::Decline => rule::A15_2,
            Move::FormalReview => rule::A16_1,
            Move::PublishAcceptanceList | Move::Accept => rule::A16_3,
            Move::UpholdObjection => rule::A6,
            Move::CompleteEvaluation => rule::A17_2,
            Move::ProposeCandidates => rule::A18_1,
            Move::Deliberate => rule::A19_1,
            Move::Decide => rule::A20_2,
            Move::Revoke => rule::A28_1,
        }
    }

    /// Whether `action` is one the move takes.
    pub fn takes(self, action: &Action) -> bool {
        use Action as A;
        matches!(
            (self, action),
            (Move::RecordInUnitNotice, A::OpenInUnitNotice)
                | (Move::Submit, A::Submit { .. })
                | (Move::Resubmit, A::Resubmit)
                | (Move::Withdraw, A::Withdraw)
                | (
                    Move::ChannelReview | Move::FormalReview,
                    A::ChannelPass | A::FormalReviewPass | A::Return { .. } | A::Reject { .. }
                )
                | (Move::Recommend, A::Recommend { .. })
                | (
                    Move::Decline | Move::UpholdObjection,
                    A::Return { .. } | A::Reject { .. }
                )
                | (Move::PublishAcceptanceList, A::PublishAcceptanceList)
                | (Move::Accept, A::Accept)
                | (Move::CompleteEvaluation, A::CompleteEvaluation)
                | (
                    Move::ProposeCandidates,
                    A::ProposeCandidate { .. } | A::NotSelected { .. }
                )
                | (Move::Deliberate, A::Deliberate { .. })
                | (Move::Decide, A::Decide { .. })
                | (Move::Revoke, A::Revoke { .. })
        )
    }

    /// Whether the move may start from `state`; the refusal names the move's article and
    /// the states it starts from.
    pub fn starts_from(self, state: State) -> Result<(), crate::rule::Refusal> {
        if self.from().contains(&state) {
            return Ok(());
        }
        let from: Vec<Term> = self.from().iter().map(|&s| Term::of(s)).collect();
        Err(crate::rule::Refusal::new(
            self.rule(),
            crate::msg!(
                "move-wrong-state",
                action = Term::of(self),
                from = from,
                state = Term::of(state)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Vocabulary;

    #[test]
    fn a15_1_a16_1_a6_each_move_starts_only_from_its_own_states() {
        // The bugs this table closes: a reviewer rejecting an accepted application, the
        // Office reviewing one the county has not recommended.
        assert!(
            Move::ChannelReview
                .starts_from(State::OnAcceptanceList)
                .is_err()
        );
        assert!(Move::ChannelReview.starts_from(State::Accepted).is_err());
        assert!(Move::FormalReview.starts_from(State::Submitted).is_err());
        assert!(
            Move::FormalReview
                .starts_from(State::ChannelPassed)
                .is_err()
        );
        assert!(
            Move::UpholdObjection
                .starts_from(State::OnAcceptanceList)
                .is_ok()
        );
        for m in Move::ALL {
            assert!(!m.from().is_empty(), "{m}");
            for s in m.from() {
                assert!(m.starts_from(*s).is_ok());
            }
        }
        let e = Move::FormalReview
            .starts_from(State::Submitted)
            .unwrap_err();
        assert_eq!(e.rule, rule::A16_1);
        assert!(
            e.message
                .to_string()
                .contains("from: recommended, formally-reviewed"),
            "{e}"
        );
    }

    #[test]
    fn a15_2_a15_3_the_recommendation_follows_the_channel() {
        let county = Channel::County("xinfu".into());
        let industry = Channel::Industry("industry-it".into());
        assert_eq!(Move::Recommend.perm(Some(&county)), Perm::CountyRecommend);
        assert_eq!(Move::Decline.perm(Some(&industry)), Perm::IndustryRecommend);
    }
}

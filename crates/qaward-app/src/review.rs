//! The channel's part (A15): the county market supervision department or the industry
//! department reviews a submitted application against its checklist (A15.1) — pass,
//! return for correction or reject — and the county-level government (in a batch, A15.2)
//! or the industry department (directly, A15.3) recommends the passed ones to the
//! Office, with the recommendation letter the system fills in.

use chrono::NaiveDate;
use qaward_domain::application::{Action, Channel, Move, Recommender, ReviewStep, State};
use qaward_domain::ids::ApplicationId;
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Role, Scope};
use qaward_domain::policy::Policy;
use qaward_domain::rule::{self, Refusal};
use serde::Serialize;
use serde_json::{Value, json};

use crate::audit::AuditAction;
use crate::workflow::{self, Cx, Loaded, Step};
use crate::{App, AppError, Principal, Queue, check, limits};

/// A reviewer's checklist (A15.1, A16.1): a remark on each of the four qualities, and the
/// channel's confirmation of the in-unit notice.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Checklist {
    pub completeness: String,
    pub authenticity: String,
    pub accuracy: String,
    pub legality: String,
    /// The channel's confirmation, having read the in-unit notice, its objections and the
    /// unit's accounts of them, that the notice ran without objection standing
    /// ("公示无异议", A14.1): required to pass.
    pub in_unit_notice_clear: bool,
}

impl Checklist {
    /// Each remark within its length (issue #8 item 20).
    fn bounded(&self) -> Result<(), AppError> {
        for (field, v) in [
            ("completeness", &self.completeness),
            ("authenticity", &self.authenticity),
            ("accuracy", &self.accuracy),
            ("legality", &self.legality),
        ] {
            limits::bounded(field, v, limits::REASON)?;
        }
        Ok(())
    }

    /// A checklist with no remarks that confirms the in-unit notice.
    pub fn notice_clear() -> Self {
        Self {
            in_unit_notice_clear: true,
            ..Self::default()
        }
    }
}

impl Decision {
    /// The reason within its length.
    fn bounded(&self) -> Result<(), AppError> {
        match self {
            Decision::Pass => Ok(()),
            Decision::Return(r) | Decision::Reject(r) => {
                limits::bounded("reason", r, limits::REASON).map(drop)
            }
        }
    }
}

/// What a reviewer decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Pass,
    /// Back to the applicant, naming what to fix.
    Return(String),
    Reject(String),
}

/// A review with its checklist, at the channel or the Office: a step that writes the
/// review beside the state.
struct Review<'a> {
    pub step: ReviewStep,
    pub decision: &'a Decision,
    pub checklist: &'a Checklist,
}

impl Step for Review<'_> {
    fn audit(&self) -> AuditAction {
        match self.step {
            ReviewStep::Channel => AuditAction::ChannelReview,
            ReviewStep::Formal => AuditAction::FormalReview,
        }
    }

    fn mv(&self) -> Move {
        match self.step {
            ReviewStep::Channel => Move::ChannelReview,
            ReviewStep::Formal => Move::FormalReview,
        }
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        Ok(match (self.decision, self.step) {
            (Decision::Pass, ReviewStep::Channel) if !self.checklist.in_unit_notice_clear => {
                return Err(AppError::Refused(Refusal::new(
                    rule::A14_1,
                    msg!("confirm-in-unit-notice-clear"),
                )));
            }
            (Decision::Pass, ReviewStep::Channel) => Action::ChannelPass,
            (Decision::Pass, ReviewStep::Formal) => Action::FormalReviewPass,
            (Decision::Return(r), _) => Action::Return { reason: r.clone() },
            (Decision::Reject(r), _) => Action::Reject { reason: r.clone() },
        })
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        let (tx, by, a) = (&mut *cx.tx, cx.by, cx.a);
        let action = self.action(a)?;
        let list =
            serde_json::to_string(self.checklist).map_err(|e| AppError::Internal(e.to_string()))?;
        tx.add_review(
            a.id(),
            self.step,
            &by.audit_actor(),
            &list,
            action.kind(),
            action.reason(),
        )
        .await?;
        Ok(json!({ "checklist": self.checklist }))
    }
}

/// A review with its checklist: the channel's of a submitted application (A15.1), or the
/// Office's formal review of a recommended one (A16.1: pass once every opinion is
/// answered and none is adverse, A16.2, and the applicant is still eligible).
pub async fn review(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    step: ReviewStep,
    decision: &Decision,
    checklist: &Checklist,
) -> Result<State, AppError> {
    workflow::run(app, by, id, &Review::of(step, decision, checklist)?).await
}

impl<'a> Review<'a> {
    /// The step of a review, its texts checked against their limits first.
    fn of(
        step: ReviewStep,
        decision: &'a Decision,
        checklist: &'a Checklist,
    ) -> Result<Self, AppError> {
        decision.bounded()?;
        checklist.bounded()?;
        Ok(Review {
            step,
            decision,
            checklist,
        })
    }
}

/// Whether the review would go through as it stands, writing nothing: the page asks to
/// confirm a rejection only when the rejection itself would be accepted (the reason
/// given, the reviewer permitted, the application at this step).
pub async fn would_review(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    step: ReviewStep,
    decision: &Decision,
    checklist: &Checklist,
) -> Result<State, AppError> {
    workflow::would(app, by, id, &Review::of(step, decision, checklist)?).await
}

/// Whether declining would go through as it stands, writing nothing (see
/// [`would_review`]).
pub async fn would_decline(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    decision: &Decision,
) -> Result<State, AppError> {
    decision.bounded()?;
    workflow::would(app, by, id, &Decline(decision)).await
}

struct Recommend;

impl Recommend {
    fn by(a: &Loaded) -> Result<Recommender, AppError> {
        match &a.row.channel {
            Some(Channel::County(_)) => Ok(Recommender::CountyGovernment),
            Some(Channel::Industry(_)) => Ok(Recommender::IndustryDept),
            None => Err(AppError::Refused(Refusal::new(
                rule::A14_2,
                msg!("no-channel"),
            ))),
        }
    }
}

impl Step for Recommend {
    fn audit(&self) -> AuditAction {
        AuditAction::Recommend
    }

    fn mv(&self) -> Move {
        Move::Recommend
    }

    fn action(&self, a: &Loaded) -> Result<Action, AppError> {
        Ok(Action::Recommend { by: Self::by(a)? })
    }
}

/// The county government (A15.2) or the industry department (A15.3) declines to
/// recommend an application its reviewers passed: back to the applicant for correction, or
/// rejected, with the reason.
struct Decline<'a>(&'a Decision);

impl Step for Decline<'_> {
    fn audit(&self) -> AuditAction {
        AuditAction::RecommendationDecline
    }

    fn mv(&self) -> Move {
        Move::Decline
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        match self.0 {
            Decision::Return(reason) => Ok(Action::Return {
                reason: reason.clone(),
            }),
            Decision::Reject(reason) => Ok(Action::Reject {
                reason: reason.clone(),
            }),
            Decision::Pass => Err(AppError::invalid("decision", msg!("pass-by-recommending"))),
        }
    }
}

/// Declines to recommend a passed application: returned or rejected with the reason
/// (A15.2, A15.3).
pub async fn decline(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    decision: &Decision,
) -> Result<State, AppError> {
    decision.bounded()?;
    workflow::run(app, by, id, &Decline(decision)).await
}

/// The recommendation letter (推荐函) the system fills in for the recommended
/// applications, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    /// The county-level government or the industry department that recommends.
    pub from: String,
    pub date: NaiveDate,
    pub program: String,
    /// To whom: the Leading Group's office (A15), by its full name.
    pub office: String,
    pub names: Vec<String>,
    /// The article it is written under (A15), as the cycle's version numbers it.
    pub article: u32,
}

/// Recommends passed applications to the Office: the county-level government in a
/// batch (A15.2), an industry department directly (A15.3). All or none are
/// recommended; the answer is the filled-in letter.
pub async fn recommend(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
) -> Result<Letter, AppError> {
    let done = workflow::run_batch(app, by, ids, &Recommend).await?;
    let mut names = Vec::with_capacity(ids.len());
    let mut from = by.user.display_name.clone();
    let mut policy = None;
    for a in &done.loaded {
        names.push(a.subject.subject.name().to_owned());
        let p = app.policy_of(&a.cycle).await?;
        from = recommender(&p, a.row.channel.as_ref()).unwrap_or(from);
        policy = Some(p);
    }
    let policy = match policy {
        Some(p) => p,
        None => app.policy().await?,
    };
    Ok(Letter {
        from,
        date: app.today(),
        program: policy.program.clone(),
        office: policy.office.clone(),
        names,
        article: policy.article_number(&qaward_domain::rule::A15_2),
    })
}

/// Who recommends through a channel: the county-level government (A15.2) or the
/// industry department (A15.3), by the names of the cycle's version of the measures.
fn recommender(policy: &Policy, channel: Option<&Channel>) -> Option<String> {
    match channel {
        Some(Channel::County(c)) => policy.county(c).map(|c| c.government.clone()),
        Some(Channel::Industry(i)) => policy.industry(i).map(|i| i.name.clone()),
        None => None,
    }
}

/// The recommendation letter of a recommended application, for its readers to open
/// again and print; `None` before it is recommended. The read goes through
/// [`crate::applications::view`], so it is permitted and audited like any read of the
/// application. The letter names this application's subject only, and is dated the day
/// the recommendation was recorded (China Standard Time): a batch's letter is printed
/// when it is made, and each applicant's file keeps its own line of it.
pub async fn letter(
    app: &App,
    by: &Principal,
    id: ApplicationId,
) -> Result<Option<Letter>, AppError> {
    let v = crate::applications::view(app, by, id).await?;
    let Some(step) = v
        .history
        .iter()
        .rev()
        .find(|h| h.action == qaward_domain::application::ActionKind::Recommend)
    else {
        return Ok(None);
    };
    let from = recommender(&v.policy, v.row.channel.as_ref()).unwrap_or_else(|| step.by.zh());
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let date = chrono::DateTime::parse_from_rfc3339(&step.at)
        .map(|t| t.with_timezone(&cst).date_naive())
        .map_err(|e| AppError::Internal(format!("transition time {}: {e}", step.at)))?;
    Ok(Some(Letter {
        from,
        date,
        program: v.policy.program.clone(),
        office: v.policy.office.clone(),
        names: vec![v.subject_name],
        article: v.policy.article_number(&qaward_domain::rule::A15_2),
    }))
}

/// An application in a queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub id: ApplicationId,
    pub subject_name: String,
    pub state: State,
    pub submitted_at: Option<String>,
}

/// What waits at the viewer's channels: submitted applications for reviewers, passed ones
/// for those who recommend. Those of applicants the reader is recused from are counted,
/// not shown (A29).
pub async fn channel_queue(app: &App, by: &Principal) -> Result<Queue<QueueItem>, AppError> {
    let recused = app.store.recusals_of(by.user.id).await?;
    let mut all = Vec::new();
    for g in &by.grants {
        let (channel, states) = match (&g.role, &g.scope) {
            (Role::CountyReviewer, Scope::County(c)) => {
                (Channel::County(c.clone()), vec![State::Submitted])
            }
            (Role::CountyGovernment, Scope::County(c)) => {
                (Channel::County(c.clone()), vec![State::ChannelPassed])
            }
            (Role::IndustryDept, Scope::Industry(i)) => (
                Channel::Industry(i.clone()),
                vec![State::Submitted, State::ChannelPassed],
            ),
            _ => continue,
        };
        // A channel's grant holds in one program: its queue is that program's.
        let Some(program) = g.program else { continue };
        for (row, name) in app
            .store
            .applications_at_channel(program, &channel, &states)
            .await?
        {
            if check(
                Some(by),
                Perm::ViewApplication,
                &workflow::target_of(&row, program),
            )
            .is_ok()
            {
                let item = QueueItem {
                    id: row.id,
                    subject_name: name,
                    state: row.state,
                    submitted_at: row.submitted_at,
                };
                all.push((row.subject_id, item));
            }
        }
    }
    Ok(Queue::without(all, &recused))
}

//! The facts the guards of a step look at, read for one application today: its notices
//! and their objections, opinions, evaluation, register (awards, revocations, accidents,
//! approvals) and eligibility, all under the cycle's own version of the measures.

use std::collections::BTreeMap;

use qaward_domain::application::{Facts, NoticeFacts, OpinionFacts, OpinionStage};
use qaward_domain::eligibility::{self, Case, Unmet};
use qaward_domain::evaluation::stage::StageStatus;
use qaward_domain::material::Purpose;
use qaward_domain::notice::{Notice, NoticeScope, Objection, ObjectionStatus};
use qaward_domain::policy::NoticeKind;
use qaward_domain::subject::History;

use super::Loaded;
use crate::{App, AppError};

fn objection(
    raised_on: chrono::NaiveDate,
    state: qaward_domain::notice::ObjectionState,
    reason: Option<&str>,
) -> Objection {
    Objection {
        raised_on,
        status: ObjectionStatus::from_parts(state, reason),
    }
}

/// The facts the guards look at, read for an application today.
pub(crate) async fn facts(app: &App, a: &Loaded) -> Result<Facts, AppError> {
    let row = &a.row;
    let mut notices = BTreeMap::new();
    // The in-unit notice's objections are the unit's to answer and the channel's to judge
    // (A14.1, A15.1), never the Leading Group's: the guards see how many lack an account.
    let in_unit_unanswered = app
        .store
        .in_unit_objections(row.id)
        .await?
        .iter()
        .filter(|o| o.settlement.is_none())
        .count() as u32;
    if let Some((start, end)) = row.in_unit_notice {
        notices.insert(
            NoticeKind::InUnit,
            NoticeFacts {
                notice: Notice {
                    kind: NoticeKind::InUnit,
                    scope: NoticeScope::Unit,
                    start,
                    end,
                },
                objections: vec![],
            },
        );
    }
    // The notices whose objections the Leading Group handles (A6): the acceptance list,
    // the candidates, the proposed winners (A16.3, A18.3, A19.2).
    for kind in [
        NoticeKind::AcceptanceList,
        NoticeKind::Candidates,
        NoticeKind::ProposedWinners,
    ] {
        let Some(n) = app.store.notice_of(row.id, kind).await? else {
            continue;
        };
        let objections = app
            .store
            .objections(n.id, row.id)
            .await?
            .iter()
            .map(|o| objection(o.raised_on, o.status, o.reason.as_deref()))
            .collect();
        notices.insert(
            n.kind,
            NoticeFacts {
                notice: Notice {
                    kind: n.kind,
                    scope: n.scope,
                    start: n.start,
                    end: n.end,
                },
                objections,
            },
        );
    }
    let opinions = app
        .store
        .opinion_requests(row.id, OpinionStage::Acceptance)
        .await?;
    let in_unit_scan = app
        .store
        .attachments(row.id)
        .await?
        .iter()
        .any(|x| x.purpose == Purpose::InUnitScan);
    let background = app
        .store
        .opinion_requests(row.id, OpinionStage::Candidate)
        .await?;
    // A request the Office proceeded without, after its due date, is settled as an
    // answer is (A16.2).
    let tally = |requests: &[qaward_store::opinions::OpinionRequest]| OpinionFacts {
        requested: requests.len() as u32,
        answered: requests.iter().filter(|o| o.settled()).count() as u32,
        adverse: requests.iter().filter(|o| o.adverse == Some(true)).count() as u32,
    };
    let later = crate::commendation::facts_of(app, row).await?;
    Ok(Facts {
        today: app.today(),
        window: (
            a.cycle.timeline.application_opens,
            a.cycle.timeline.application_closes,
        ),
        subject_county: a.subject.subject.county().to_owned(),
        channel: row.channel.clone(),
        eligibility: eligibility_of(app, a).await?,
        notices,
        acceptance_opinions: tally(&opinions),
        candidate_opinions: tally(&background),
        stages_done: app
            .store
            .stages(row.cycle_id)
            .await?
            .into_iter()
            .filter(|(_, s)| *s == StageStatus::Completed)
            .map(|(s, _)| s)
            .collect(),
        score: later.score,
        // Not read here: the deliberation and the decision count the places taken once for
        // their whole batch (`Step::adjust`) and again under the cycle's lock (A4.3).
        quota_taken: BTreeMap::new(),
        joint_report_filed: later.joint_report_filed,
        authenticity_committed: row.authenticity_committed,
        no_state_secrets_confirmed: row.no_state_secrets_confirmed,
        in_unit_scan,
        started_on: row.started_on,
        in_unit_unanswered,
        registration_confirmed: crate::registrations::confirmed(app, &a.subject).await?,
    })
}

/// Eligibility on the application's date (its first submission, or today before it),
/// from the register: awards and revocations (A12.1, A28.3), accidents (A10.4) and the
/// Leading Group's approvals relaxing the years of operation (A10.1).
pub(crate) async fn eligibility_of(app: &App, a: &Loaded) -> Result<Vec<Unmet>, AppError> {
    let date = a.row.submitted_on.unwrap_or_else(|| app.today());
    let approvals = app.store.relaxations(a.row.subject_id).await?;
    // The latest approval made by the date; failing that, the first one after it, so that
    // the refusal can say it came too late.
    let approval = approvals
        .iter()
        .rev()
        .find(|r| r.record.decided_on <= date)
        .or(approvals.first())
        .map(|r| r.record.clone());
    let accidents = app
        .store
        .accidents(a.row.subject_id)
        .await?
        .into_iter()
        .map(|r| r.record.accident)
        .collect();
    let case = Case {
        date,
        cycle: a.cycle.cycle,
        subject: a.subject.subject.clone(),
        history: History {
            awards: app
                .store
                .award_history(a.row.subject_id)
                .await?
                .into_iter()
                // An award entered by hand bars nobody until a second person confirms it.
                .filter(|r| r.confirmed_by.is_some())
                .map(|r| r.record)
                .collect(),
            accidents,
        },
        declarations: a.row.declarations.clone(),
        leading_group_approval: approval,
    };
    Ok(eligibility::evaluate(
        &case,
        &*app.policy_of(&a.cycle).await?,
    ))
}

/// The facts with `notice` published, for a step that publishes it.
pub(crate) fn with_notice(facts: &mut Facts, notice: &Notice) {
    facts.notices.insert(
        notice.kind,
        NoticeFacts {
            notice: notice.clone(),
            objections: vec![],
        },
    );
}

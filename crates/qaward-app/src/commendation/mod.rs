//! From the evaluation's results to the commendation (A18–A21, A4.3–A4.4, A12.1; DESIGN.md
//! §3 and §7, issue #11).
//!
//! - [`candidates`]: the Office's candidate list by level with reasons (A18.1), the
//!   background opinions asked by the body that received the materials (A18.2), the
//!   candidates' notices within their own county or industry (A18.3).
//! - [`decision`]: the Leading Group's deliberation under the quotas (A19.1, A4.3), the
//!   city-wide notice of the proposed winners (A19.2), the joint report and its
//!   co-signature (A20.1), the Government's decision with the awards and certificates it
//!   makes (A20.2, A21.1).
//! - [`public`]: the certificate's public verification (A31) and the honour roll (A23).
//!
//! Every change of an application's state goes through [`crate::workflow::run_batch`];
//! the notices, the joint report and its co-signature through
//! [`crate::workflow::cycle_edit`]. The quotas are counted inside the writing transaction,
//! after the cycle is locked, so that two proposals for the last place cannot both pass.

pub mod candidates;
pub mod decision;
pub mod delivery;
pub mod documents;
pub mod public;
pub mod signed;

use std::collections::BTreeMap;

use qaward_domain::application::{OpinionFacts, OpinionStage, ScoreFacts, State};
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::permission::Perm;
use qaward_domain::policy::{NoticeKind, Policy};
use qaward_domain::quota::{self, Vacancy};
use qaward_store::applications::ApplicationRow;
use qaward_store::commendation::{Decision, JointReport, Line};
use qaward_store::delivery::Delivery;
use qaward_store::notices::NoticeRow;
use serde::Serialize;

use crate::workflow::cycle_target;
use crate::{App, AppError, Principal, check};

/// What the kernel's facts need from the commendation for one application.
pub(crate) struct LaterFacts {
    pub score: Option<ScoreFacts>,
    pub joint_report_filed: bool,
}

/// The score with the plan's thresholds, and whether the joint report covering the
/// application is co-signed.
pub(crate) async fn facts_of(app: &App, row: &ApplicationRow) -> Result<LaterFacts, AppError> {
    let score = match app.store.result_score(row.id).await? {
        Some(score) => app.store.plan(row.cycle_id).await?.map(|p| ScoreFacts {
            score,
            award: p.plan.threshold,
            nomination: p.plan.nomination_threshold,
        }),
        None => None,
    };
    // Only the decision, after the candidate list, looks at the joint report.
    let later = matches!(row.state, State::Candidate | State::Proposed(_));
    let joint_report_filed = later
        && app
            .store
            .joint_report(row.cycle_id)
            .await?
            .is_some_and(|r| r.cosigned_at.is_some() && r.applications.contains(&row.id));
    Ok(LaterFacts {
        score,
        joint_report_filed,
    })
}

/// An evaluated application as the commendation desk shows it: ranked by its score.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// 1 for the highest score; equal scores share a rank.
    pub rank: usize,
    #[serde(flatten)]
    pub line: Line,
}

/// Everything of a cycle's commendation on one page.
#[derive(Debug, Clone, Serialize)]
pub struct Desk {
    pub cycle: CycleId,
    pub ordinal: u32,
    pub year: i32,
    pub lines: Vec<Ranked>,
    /// The candidates' and the proposed winners' notices.
    pub notices: Vec<NoticeRow>,
    pub vacancies: Vec<Vacancy>,
    pub joint_report: Option<JointReport>,
    pub decision: Option<Decision>,
    /// Each award's handover and payment (A21.1), with the prize due.
    pub deliveries: Vec<DeliveryLine>,
    /// Where each candidate's background opinions stand (A18.2): asked, settled
    /// (answered, or proceeded without), adverse.
    pub background: BTreeMap<ApplicationId, OpinionFacts>,
    /// What the reader may do here.
    pub may: May,
    /// The public notice steps the cycle's version holds (A18.3, A19.2): a successor may
    /// drop one, and then nothing waits for it.
    pub candidates_notice: bool,
    pub proposed_notice: bool,
}

/// The reader's part in the commendation.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct May {
    /// The Office: the candidate list, the notices, the joint report.
    pub propose: bool,
    /// The Leading Group: the deliberation.
    pub deliberate: bool,
    /// The HR bureau: the co-signature.
    pub cosign: bool,
    /// The Government: the decision.
    pub decide: bool,
    /// The Office: the handovers and payments.
    pub deliver: bool,
}

/// An award's delivery with the prize the policy sets for it (A21.1).
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryLine {
    #[serde(flatten)]
    pub delivery: Delivery,
    pub prize_yuan: u64,
}

impl May {
    async fn of(app: &App, by: &Principal, cycle: CycleId) -> Result<Self, AppError> {
        let t = cycle_target(app, cycle).await?;
        let can = |p| check(Some(by), p, &t).is_ok();
        Ok(May {
            propose: can(Perm::ProposeCandidates),
            deliberate: can(Perm::Deliberate),
            cosign: can(Perm::CoSignJointReport),
            decide: can(Perm::DecideAwards),
            deliver: can(Perm::RecordAwardDelivery),
        })
    }

    fn any(self) -> bool {
        self.propose || self.deliberate || self.cosign || self.decide
    }
}

/// Ranks lines by score, highest first; equal scores share a rank.
pub(crate) fn rank(mut lines: Vec<Line>) -> Vec<Ranked> {
    lines.sort_by(|a, b| b.score.cmp(&a.score).then(a.row.id.0.cmp(&b.row.id.0)));
    let mut out: Vec<Ranked> = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.line.score == line.score => prev.rank,
            _ => i + 1,
        };
        out.push(Ranked { rank, line });
    }
    out
}

/// The commendation desk of `cycle` for the Office, the Leading Group, the HR bureau and
/// the Government; applications the reader is recused from are left out (A29).
pub async fn desk(app: &App, by: &Principal, cycle: CycleId) -> Result<Desk, AppError> {
    let may = May::of(app, by, cycle).await?;
    if !may.any() {
        check(
            Some(by),
            Perm::ProposeCandidates,
            &cycle_target(app, cycle).await?,
        )?;
    }
    let c = app.store.cycle(cycle).await?;
    let recused = app.store.recusals_of(by.user.id).await?;
    let lines: Vec<Line> = app
        .store
        .commendation_lines(cycle)
        .await?
        .into_iter()
        .filter(|l| !recused.contains(&l.row.subject_id))
        .collect();
    let taken = app.store.taken(cycle, &[]).await?;
    // The quotas and prizes are the cycle's own version's (A4.3, A21.1, A33).
    let policy = app.policy_of(&c).await?;
    let deliveries = deliveries_of(&policy, app, &lines, cycle).await?;
    let mut background: BTreeMap<ApplicationId, OpinionFacts> = BTreeMap::new();
    for o in app
        .store
        .opinion_requests_in_cycle(cycle, OpinionStage::Candidate)
        .await?
    {
        let t = background.entry(o.application_id).or_default();
        t.requested += 1;
        t.answered += u32::from(o.settled());
        t.adverse += u32::from(o.adverse == Some(true));
    }
    let notices = app
        .store
        .notices()
        .await?
        .into_iter()
        .filter(|n| {
            n.cycle_id == cycle
                && matches!(n.kind, NoticeKind::Candidates | NoticeKind::ProposedWinners)
        })
        .collect();
    Ok(Desk {
        cycle,
        ordinal: c.cycle.ordinal,
        year: c.cycle.year,
        lines: rank(lines),
        notices,
        vacancies: quota::vacancies(&policy, |l| taken.get(&l).copied().unwrap_or(0)),
        joint_report: app.store.joint_report(cycle).await?,
        decision: app.store.decision(cycle).await?,
        deliveries,
        background,
        may,
        candidates_notice: policy.notice_min(NoticeKind::Candidates).is_some(),
        proposed_notice: policy.notice_min(NoticeKind::ProposedWinners).is_some(),
    })
}

/// The applications of `lines` in `state`.
pub(crate) fn in_state(lines: &[Line], pred: impl Fn(State) -> bool) -> Vec<ApplicationId> {
    lines
        .iter()
        .filter(|l| pred(l.row.state))
        .map(|l| l.row.id)
        .collect()
}

/// The deliveries of the awards among `lines`, each with its prize due.
async fn deliveries_of(
    policy: &Policy,
    app: &App,
    lines: &[Line],
    cycle: CycleId,
) -> Result<Vec<DeliveryLine>, AppError> {
    let subjects: Vec<_> = lines.iter().map(|l| l.row.subject_id).collect();
    let people = app.store.persons_among(&subjects).await?;
    Ok(app
        .store
        .deliveries(cycle)
        .await?
        .into_iter()
        .filter_map(|d| {
            let l = lines.iter().find(|l| l.row.id == d.application_id)?;
            let level = l.award.as_ref()?.level;
            let prize_yuan =
                qaward_domain::award::prize_yuan(policy, level, people.contains(&l.row.subject_id));
            Some(DeliveryLine {
                delivery: d,
                prize_yuan,
            })
        })
        .collect())
}

//! The Leading Group's deliberation under the quotas (A19.1, A4.3–A4.4), the proposed
//! winners' city-wide notice (A19.2), the joint report and its co-signature (A20.1) and
//! the Government's decision with the awards it makes (A20.2, A21.1, A12.1).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use qaward_domain::application::{Action, Facts, Move, State};
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Role, Scope};
use qaward_domain::policy::{Level, NoticeKind};
use qaward_domain::quota;
use qaward_domain::rule::{self, Refusal};
use qaward_domain::subject::{AwardRecord, CycleRef};
use qaward_domain::text::Vocabulary;
use qaward_store::WriteTx;
use qaward_store::commendation::NewAward;
use serde_json::{Value, json};

use super::candidates::{PublishNotices, publish};
use crate::audit::{AuditAction, Object};
use crate::auth::random_secret;
use crate::workflow::{self, Created, Cx, CycleCx, CycleEdit, Loaded, Step};
use crate::{App, AppError, Principal, check, limits};

/// Outcomes for a batch, by application: a level or none.
type Outcomes = BTreeMap<ApplicationId, Option<Level>>;

/// The places the batch itself takes of `level`, leaving out `except`.
fn batch_takes(outcomes: &Outcomes, level: Level, except: Option<ApplicationId>) -> u32 {
    outcomes
        .iter()
        .filter(|(id, o)| Some(**id) != except && **o == Some(level))
        .count() as u32
}

/// Inside the writing transaction, with the cycle locked: the places taken by everyone
/// outside the batch, plus the batch's own, must fit each quota (A4.3). Two batches
/// proposing for the last place run one after the other; the second sees the first.
async fn quota_in_tx(
    app: &App,
    tx: &mut WriteTx,
    cycle: CycleId,
    outcomes: &Outcomes,
) -> Result<(), AppError> {
    // The quotas are the cycle's own version's (A4.3, A33).
    let policy = app.policy_of_cycle(cycle).await?;
    tx.lock_cycle(cycle).await?;
    let ids: Vec<ApplicationId> = outcomes.keys().copied().collect();
    let taken = tx.taken(cycle, &ids).await?;
    for level in Level::ALL {
        let wanted = batch_takes(outcomes, *level, None);
        if wanted == 0 {
            continue;
        }
        let before = taken.get(level).copied().unwrap_or(0) + wanted - 1;
        quota::check(&policy, *level, before)?;
    }
    Ok(())
}

/// The facts' places taken as the batch will leave them: those outside it (read before
/// the transaction; checked again inside it) and the batch's other outcomes.
fn adjust_quota(base: &BTreeMap<Level, u32>, outcomes: &Outcomes, a: &Loaded, f: &mut Facts) {
    for level in Level::ALL {
        f.quota_taken.insert(
            *level,
            base.get(level).copied().unwrap_or(0) + batch_takes(outcomes, *level, Some(a.id())),
        );
    }
}

/// The one cycle of a batch: a quota is per cycle, so a batch never spans two.
fn one_cycle(batch: &[Loaded]) -> Result<CycleId, AppError> {
    let cycle = batch[0].cycle.id;
    match batch.iter().find(|a| a.cycle.id != cycle) {
        Some(other) => Err(AppError::invalid(
            "applications",
            msg!(
                "application-of-another-cycle",
                name = other.subject.subject.name()
            ),
        )),
        None => Ok(cycle),
    }
}

struct Deliberate<'a> {
    outcomes: Outcomes,
    base: BTreeMap<Level, u32>,
    meeting: &'a str,
}

impl Step for Deliberate<'_> {
    fn audit(&self) -> AuditAction {
        AuditAction::Deliberate
    }

    fn mv(&self) -> Move {
        Move::Deliberate
    }

    fn action(&self, a: &Loaded) -> Result<Action, AppError> {
        Ok(Action::Deliberate {
            outcome: self.outcomes.get(&a.id()).copied().flatten(),
        })
    }

    fn adjust(&self, a: &Loaded, f: &mut Facts) {
        adjust_quota(&self.base, &self.outcomes, a, f);
    }

    async fn begin(
        &self,
        app: &App,
        _by: &Principal,
        tx: &mut WriteTx,
        batch: &[Loaded],
    ) -> Result<Option<Created>, AppError> {
        quota_in_tx(app, tx, one_cycle(batch)?, &self.outcomes).await?;
        Ok(None)
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        let outcome = self.outcomes[&cx.a.id()];
        cx.tx
            .record_deliberation(
                cx.a.id(),
                cx.a.cycle.id,
                outcome,
                self.meeting,
                &cx.by.user.username,
            )
            .await?;
        Ok(json!({ "outcome": outcome, "meeting": self.meeting }))
    }
}

/// Checks a batch's outcomes: none empty, all in one cycle.
fn outcomes_of(outcomes: &[(ApplicationId, Option<Level>)]) -> Result<Outcomes, AppError> {
    let mut map = Outcomes::new();
    for (id, o) in outcomes {
        if map.insert(*id, *o).is_some() {
            return Err(AppError::invalid(
                "applications",
                msg!("application-chosen-twice"),
            ));
        }
    }
    Ok(map)
}

/// The Leading Group records its deliberation (A19.1): for each candidate the Award, the
/// Nomination Award or none, with the meeting's reference. Only once the candidate's
/// notice has run clear and its background opinions are in (A18.2, A18.3); never beyond
/// the quotas (A4.3) or above what the score reaches (A4.4).
pub async fn deliberate(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    outcomes: &[(ApplicationId, Option<Level>)],
    meeting: &str,
) -> Result<Vec<State>, AppError> {
    check(
        Some(by),
        Perm::Deliberate,
        &workflow::cycle_target(app, cycle).await?,
    )?;
    let meeting = limits::bounded("meeting", meeting, limits::NAME)?;
    if meeting.is_empty() {
        return Err(AppError::Refused(Refusal::new(
            rule::A19_1,
            msg!("deliberation-meeting-required"),
        )));
    }
    let outcomes = outcomes_of(outcomes)?;
    let ids: Vec<ApplicationId> = outcomes.keys().copied().collect();
    let base = app.store.taken(cycle, &ids).await?;
    let step = Deliberate {
        outcomes,
        base,
        meeting,
    };
    Ok(workflow::run_batch(app, by, &ids, &step).await?.states)
}

/// Publishes the proposed winners city-wide (A19.2).
pub async fn publish_proposed_winners(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    start: NaiveDate,
    end: Option<NaiveDate>,
    contact: &str,
) -> Result<Vec<i64>, AppError> {
    let e = PublishNotices {
        kind: NoticeKind::ProposedWinners,
        start,
        end,
        contact,
    };
    publish(app, by, cycle, e).await
}

/// The joint report's document: its number (文号) and date.
struct FileReport<'a> {
    number: &'a str,
    dated: NaiveDate,
}

impl CycleEdit for FileReport<'_> {
    type Output = i64;

    fn audit(&self) -> AuditAction {
        AuditAction::JointReportFile
    }

    fn perm(&self) -> Perm {
        Perm::FileJointReport
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<(i64, Object, Value), AppError> {
        let (app, cycle) = (cx.app, cx.cycle);
        let lines = app.store.commendation_lines(cycle.id).await?;
        let proposed = super::in_state(&lines, |s| matches!(s, State::Proposed(_)));
        if proposed.is_empty() {
            return Err(AppError::Refused(Refusal::new(
                rule::A20_1,
                msg!("joint-report-nobody-proposed"),
            )));
        }
        // "With no objection" (A20.1): each proposed winner's notice has run clear.
        let policy = app.policy_of(cycle).await?;
        for id in &proposed {
            let a = workflow::load(app, cx.by, *id, Perm::FileJointReport).await?;
            let f = workflow::facts(app, &a).await?;
            let n = f.notices.get(&NoticeKind::ProposedWinners).ok_or_else(|| {
                AppError::Refused(Refusal::new(
                    rule::A19_2,
                    msg!(
                        "notice-not-published",
                        kind = qaward_domain::message::Term::of(NoticeKind::ProposedWinners)
                    ),
                ))
            })?;
            qaward_domain::notice::clearance(&n.notice, &n.objections, f.today, &policy).map_err(
                |r| {
                    AppError::Refused(Refusal::new(
                        r.rule.clone(),
                        msg!(
                            "in-batch",
                            name = a.subject.subject.name(),
                            message = r.message
                        ),
                    ))
                },
            )?;
        }
        let id = cx
            .tx
            .file_joint_report(
                cycle.id,
                self.number,
                self.dated,
                &proposed,
                &cx.by.user.username,
            )
            .await?;
        crate::notify::role(
            cx.tx,
            app,
            (Role::HrBureau, Scope::Program),
            cx.cycle.program_id,
            "联合报告待会签",
            "/commendation",
        )
        .await?;
        Ok((
            id,
            Object::Cycle(cycle.id),
            json!({ "after": { "report": id, "number": self.number, "dated": self.dated, "applications": proposed } }),
        ))
    }
}

/// The Office files the joint report to the Government (A20.1): its number and date, the
/// proposed winners whose notice has run clear. It is complete only when co-signed.
pub async fn file_joint_report(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    number: &str,
    dated: NaiveDate,
) -> Result<i64, AppError> {
    let number = document_number(number)?;
    workflow::cycle_edit(app, by, cycle, &FileReport { number, dated }).await
}

/// A document's number (文号), required.
pub(crate) fn document_number(number: &str) -> Result<&str, AppError> {
    let number = limits::bounded("number", number, limits::NAME)?;
    if number.is_empty() {
        return Err(AppError::invalid(
            "number",
            msg!("document-number-required"),
        ));
    }
    Ok(number)
}

struct Cosign;

impl CycleEdit for Cosign {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::JointReportCosign
    }

    fn perm(&self) -> Perm {
        Perm::CoSignJointReport
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        if cx.app.store.joint_report(cx.cycle.id).await?.is_none() {
            return Err(AppError::Refused(Refusal::new(
                rule::A20_1,
                msg!("joint-report-not-filed"),
            )));
        }
        if !cx
            .tx
            .cosign_joint_report(cx.cycle.id, &cx.by.user.username)
            .await?
        {
            return Err(AppError::Conflict(msg!("joint-report-cosigned-already")));
        }
        crate::notify::role(
            cx.tx,
            cx.app,
            (Role::Government, Scope::Program),
            cx.cycle.program_id,
            "联合报告已会签，待市政府审定",
            "/commendation",
        )
        .await?;
        Ok((
            (),
            Object::Cycle(cx.cycle.id),
            json!({ "after": { "cosigned": true } }),
        ))
    }
}

/// The HR bureau co-signs the Office's joint report (A20.1); anyone else is refused by
/// the permission function: only the bureau's role holds the co-signature.
pub async fn cosign_joint_report(
    app: &App,
    by: &Principal,
    cycle: CycleId,
) -> Result<(), AppError> {
    workflow::cycle_edit(app, by, cycle, &Cosign).await
}

struct Decide<'a> {
    outcomes: Outcomes,
    base: BTreeMap<Level, u32>,
    number: &'a str,
    dated: NaiveDate,
    /// The program's certificate prefix, read once for the batch.
    prefix: String,
}

/// The certificate's number: the program's prefix, the cycle's year, the level's letter,
/// the sequence. The prefix keeps two programs deciding in one year apart.
fn certificate_number(prefix: &str, year: i32, level: Level, seq: i64) -> String {
    let letter = match level {
        Level::Award => 'A',
        Level::Nomination => 'N',
    };
    format!("{prefix}-{year}-{letter}{seq:02}")
}

impl Step for Decide<'_> {
    fn audit(&self) -> AuditAction {
        AuditAction::Decide
    }

    fn mv(&self) -> Move {
        Move::Decide
    }

    fn action(&self, a: &Loaded) -> Result<Action, AppError> {
        Ok(Action::Decide {
            outcome: self.outcomes.get(&a.id()).copied().flatten(),
        })
    }

    fn adjust(&self, a: &Loaded, f: &mut Facts) {
        adjust_quota(&self.base, &self.outcomes, a, f);
    }

    async fn begin(
        &self,
        app: &App,
        by: &Principal,
        tx: &mut WriteTx,
        batch: &[Loaded],
    ) -> Result<Option<Created>, AppError> {
        let cycle = one_cycle(batch)?;
        quota_in_tx(app, tx, cycle, &self.outcomes).await?;
        let id = tx
            .create_decision(cycle, self.number, self.dated, &by.user.username)
            .await?;
        Ok(Some(Created {
            id,
            audit: AuditAction::DecisionRecord,
            object: Object::Cycle(cycle),
            detail: json!({ "after": { "decision": id, "number": self.number, "dated": self.dated } }),
        }))
    }

    async fn write(&self, cx: &mut Cx<'_>, created: Option<i64>) -> Result<Value, AppError> {
        let decision = created.ok_or_else(|| AppError::Internal("no decision created".into()))?;
        let Some(level) = self.outcomes[&cx.a.id()] else {
            return Ok(json!({ "decision": decision, "outcome": null }));
        };
        let a = cx.a;
        let cycle = CycleRef {
            ordinal: a.cycle.cycle.ordinal,
            year: a.cycle.cycle.year,
        };
        // The register's award, which A12.1 reads at the subject's next application.
        let record = AwardRecord::new(&*cx.app.policy_of(&a.cycle).await?, cycle, level);
        let subject_award = cx
            .tx
            .record_award(
                a.row.subject_id,
                &record,
                self.number,
                &cx.by.user.username,
                Some(&cx.by.user.username),
            )
            .await?;
        let seq = cx.tx.awards_numbered(a.cycle.id).await? + 1;
        let number = certificate_number(&self.prefix, cycle.year, level, seq);
        let code = random_secret()[..16].to_uppercase();
        cx.tx
            .record_award_of(&NewAward {
                application: a.id(),
                cycle: a.cycle.id,
                decision,
                level,
                certificate_number: &number,
                verification_code: &code,
                subject_award,
            })
            .await?;
        Ok(json!({ "decision": decision, "outcome": level, "certificate": number }))
    }
}

/// The Government's decision (A20.2): the commendation decision's number and date, and
/// for every proposed winner of the cycle its outcome — confirmed, at another level, or
/// dropped — within the quotas (A4.3) and the thresholds (A4.4). Each award is written to
/// the register that A12.1 reads, with its certificate number and verification code.
pub async fn decide(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    number: &str,
    dated: NaiveDate,
    outcomes: &[(ApplicationId, Option<Level>)],
) -> Result<Vec<State>, AppError> {
    check(
        Some(by),
        Perm::DecideAwards,
        &workflow::cycle_target(app, cycle).await?,
    )?;
    let number = document_number(number)?;
    let outcomes = outcomes_of(outcomes)?;
    let lines = app.store.commendation_lines(cycle).await?;
    let proposed = super::in_state(&lines, |s| matches!(s, State::Proposed(_)));
    // One decision settles every proposed winner: none is left without an outcome.
    if let Some(missing) = proposed.iter().find(|id| !outcomes.contains_key(id)) {
        let name = lines
            .iter()
            .find(|l| l.row.id == *missing)
            .map_or_else(String::new, |l| l.subject_name.clone());
        return Err(AppError::Refused(Refusal::new(
            rule::A20_2,
            msg!("decision-covers-every-proposed", name = name),
        )));
    }
    let ids: Vec<ApplicationId> = outcomes.keys().copied().collect();
    let base = app.store.taken(cycle, &ids).await?;
    let program = crate::programs::of_cycle(app, cycle).await?;
    let prefix = app
        .store
        .program(program)
        .await?
        .map(|p| p.certificate_prefix)
        .ok_or_else(|| AppError::Internal(format!("program {} is missing", program.0)))?;
    let step = Decide {
        outcomes,
        base,
        number,
        dated,
        prefix,
    };
    Ok(workflow::run_batch(app, by, &ids, &step).await?.states)
}

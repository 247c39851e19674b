//! Reading the subject register. A subject's record is personal or business data: every
//! permitted read is written to the audit log (A30), and a resident ID is shown in full
//! only to the person and the Office.

use crate::audit::{self, AuditAction, Object};
use chrono::Datelike;
use qaward_domain::eligibility::LeadingGroupApproval;
use qaward_domain::evaluation::conflict::{ConflictSource, InterestKind};
use qaward_domain::ids::SubjectId;
use qaward_domain::msg;
use qaward_domain::permission::{Denial, Perm, Target};
use qaward_domain::subject::Accident;
use qaward_domain::subject::Subject;
use qaward_store::register::{AccidentRecord, Recorded};
use qaward_store::subjects::{RecordedAward, StoredSubject};
use serde::Serialize;
use serde_json::json;

use crate::{App, AppError, Principal, check};

/// A subject as a reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectView {
    pub id: i64,
    pub kind: &'static str,
    pub name: String,
    /// The credit code, or the resident ID (masked unless the reader may see it whole).
    pub identifier: String,
    pub org_kind: qaward_domain::subject::OrgKind,
    pub county: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub registered_at: String,
}

fn target(s: SubjectId) -> Target {
    Target {
        subject: Some(s),
        ..Target::default()
    }
}

async fn guarded(app: &App, s: SubjectId) -> Result<Target, AppError> {
    Ok(Target {
        recused: app.store.recused_users(s).await?,
        ..target(s)
    })
}

/// Reads one subject. A reader who may not see it gets "not found", so that ids cannot
/// be probed; a recused reader is told why (A29).
pub async fn view(app: &App, by: &Principal, id: SubjectId) -> Result<SubjectView, AppError> {
    match check(Some(by), Perm::ViewApplication, &guarded(app, id).await?) {
        Ok(()) => {}
        Err(AppError::Forbidden(Denial::Recused(r))) => {
            return Err(AppError::Forbidden(Denial::Recused(r)));
        }
        Err(AppError::Forbidden(_)) => return Err(AppError::NotFound(format!("subject {id}"))),
        Err(e) => return Err(e),
    }
    let StoredSubject {
        id,
        subject,
        contact,
        created_at,
    } = app.store.subject(id).await?;
    let full_id = check(Some(by), Perm::ViewFullResidentId, &target(id)).is_ok();
    let (kind, identifier, org_kind) = match &subject {
        Subject::Organization(o) => ("organization", o.credit_code.as_str().to_owned(), o.kind),
        Subject::Person(p) => (
            "person",
            if full_id {
                p.resident_id.expose().to_owned()
            } else {
                p.resident_id.masked()
            },
            p.employer_kind,
        ),
    };
    audit::record(
        app,
        by,
        AuditAction::SubjectView,
        Object::Subject(id),
        json!({ "full_resident_id": full_id && subject.is_person() }),
    )
    .await?;
    Ok(SubjectView {
        id: id.0,
        kind,
        name: subject.name().to_owned(),
        identifier,
        org_kind,
        county: subject.county().to_owned(),
        contact_name: contact.name,
        contact_phone: contact.phone,
        contact_email: contact.email,
        registered_at: created_at,
    })
}

/// Records an award of a subject in the register (and its revocation, if any): for
/// awards made before the system, with the document they come from. The bars of A12.1
/// and A28.3 follow from these records, never from a flag.
pub async fn record_award(
    app: &App,
    by: &Principal,
    id: SubjectId,
    award: qaward_domain::subject::AwardRecord,
    reference: &str,
) -> Result<i64, AppError> {
    keeper(app, by, id).await?;
    let reference = crate::limits::bounded("reference", reference, crate::limits::NAME)?;
    if reference.is_empty() {
        return Err(AppError::invalid(
            "reference",
            msg!("award-reference-required"),
        ));
    }
    if award.cycle.ordinal == 0 {
        return Err(AppError::invalid("cycle", msg!("cycle-numbered-from-one")));
    }
    // A cycle run in the system gets its awards from the Government's decision (A20.2).
    if app.store.cycle_ordinal_run(award.cycle.ordinal).await? {
        return Err(AppError::Refused(qaward_domain::rule::Refusal::new(
            qaward_domain::rule::A20_2,
            msg!("award-of-a-run-cycle", cycle = award.cycle.ordinal),
        )));
    }
    if let Some(r) = award.revoked_on
        && r.year() < award.cycle.year
    {
        return Err(AppError::invalid(
            "revoked_on",
            msg!("revocation-after-award"),
        ));
    }
    app.store.subject(id).await?;
    // The bars are frozen here, under the policy in force, whatever the caller sent: an
    // award from before the system has no other policy on record (MEASURES.md, 评选周期).
    let award = qaward_domain::subject::AwardRecord {
        barred_until: None,
        ban_until: None,
        ..award
    }
    .frozen(&*app.policy().await?);
    let mut tx = app.store.write().await?;
    let rid = tx
        .record_award(id, &award, reference, &by.user.username, None)
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::SubjectRecordAward,
        Object::Subject(id),
        json!({ "after": { "award": award, "reference": reference } }),
    )
    .await?;
    tx.commit().await?;
    Ok(rid)
}

/// The register's keeper for `id`: the Office, not recused from the subject (A29). Anyone
/// else learns nothing of the subject, not even that it exists.
async fn keeper(app: &App, by: &Principal, id: SubjectId) -> Result<(), AppError> {
    let t = guarded(app, id).await?;
    match check(Some(by), Perm::ManageCycle, &t) {
        Err(AppError::Forbidden(Denial::Recused(r))) => {
            Err(AppError::Forbidden(Denial::Recused(r)))
        }
        Err(AppError::Forbidden(_)) if check(Some(by), Perm::ViewApplication, &t).is_err() => {
            Err(AppError::NotFound(format!("subject {id}")))
        }
        other => other,
    }?;
    app.store.subject(id).await?;
    Ok(())
}

/// Confirms award `award` of subject `id`, entered by hand by someone else (four eyes):
/// from now on it bars as A12.1 and A28.3 say. The one who entered it cannot confirm it.
pub async fn confirm_award(
    app: &App,
    by: &Principal,
    id: SubjectId,
    award: i64,
) -> Result<(), AppError> {
    keeper(app, by, id).await?;
    let Some(entry) = app
        .store
        .award_history(id)
        .await?
        .into_iter()
        .find(|a| a.id == award)
    else {
        return Err(AppError::NotFound(format!("award {award} of subject {id}")));
    };
    if entry.confirmed_by.is_some() {
        return Err(AppError::Conflict(msg!("award-confirmed-already")));
    }
    if entry.recorded_by == by.user.username {
        return Err(AppError::Refused(qaward_domain::rule::Refusal::new(
            qaward_domain::rule::A12_1,
            msg!("award-confirmed-by-another"),
        )));
    }
    let mut tx = app.store.write().await?;
    if !tx.confirm_award(award, id, &by.user.username).await? {
        return Err(AppError::Conflict(msg!("award-confirmed-already")));
    }
    audit::append(
        &mut tx,
        by,
        AuditAction::SubjectConfirmAward,
        Object::Subject(id),
        json!({ "after": { "award": award, "confirmed": true } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the Leading Group's approval relaxing a subject's years of operation (A10.1:
/// 经领导小组批准可放宽年限), from its minutes or document. Submission and formal review
/// read it: an approval decided by the application's date counts.
pub async fn record_relaxation(
    app: &App,
    by: &Principal,
    id: SubjectId,
    approval: &LeadingGroupApproval,
) -> Result<i64, AppError> {
    keeper(app, by, id).await?;
    let reference = crate::limits::bounded("reference", &approval.reference, crate::limits::NAME)?;
    if reference.is_empty() {
        return Err(AppError::invalid(
            "reference",
            msg!("approval-reference-required"),
        ));
    }
    if approval.decided_on > app.today() {
        return Err(AppError::invalid(
            "decided_on",
            msg!("approval-not-yet-decided"),
        ));
    }
    let approval = LeadingGroupApproval {
        reference: reference.to_owned(),
        decided_on: approval.decided_on,
    };
    let mut tx = app.store.write().await?;
    let rid = tx
        .record_relaxation(id, &approval, &by.user.username)
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::SubjectRecordRelaxation,
        Object::Subject(id),
        json!({ "after": { "approval": approval } }),
    )
    .await?;
    tx.commit().await?;
    Ok(rid)
}

/// Records an accident of a subject (A10.4: 近3年内无重大质量、安全、环保等事故), from the
/// document it is known by. Only a major one bars; it bars applications whose date falls
/// in the look-back after it.
pub async fn record_accident(
    app: &App,
    by: &Principal,
    id: SubjectId,
    accident: &Accident,
    reference: &str,
) -> Result<i64, AppError> {
    keeper(app, by, id).await?;
    let description =
        crate::limits::bounded("description", &accident.description, crate::limits::REASON)?;
    let reference = crate::limits::bounded("reference", reference, crate::limits::NAME)?;
    if description.is_empty() {
        return Err(AppError::invalid(
            "description",
            msg!("accident-description-required"),
        ));
    }
    if reference.is_empty() {
        return Err(AppError::invalid(
            "reference",
            msg!("accident-reference-required"),
        ));
    }
    if accident.date > app.today() {
        return Err(AppError::invalid("date", msg!("accident-in-the-future")));
    }
    let accident = Accident {
        description: description.to_owned(),
        ..accident.clone()
    };
    let mut tx = app.store.write().await?;
    let rid = tx
        .record_accident(id, &accident, reference, &by.user.username)
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::SubjectRecordAccident,
        Object::Subject(id),
        json!({ "after": { "accident": accident, "reference": reference } }),
    )
    .await?;
    tx.commit().await?;
    Ok(rid)
}

/// What the register holds about a subject beside its identity.
#[derive(Debug, Clone, Serialize)]
pub struct Register {
    pub awards: Vec<RecordedAward>,
    pub relaxations: Vec<Recorded<LeadingGroupApproval>>,
    pub accidents: Vec<Recorded<AccidentRecord>>,
}

/// The register of a subject, for its keeper (the Office); the read is logged.
pub async fn register(app: &App, by: &Principal, id: SubjectId) -> Result<Register, AppError> {
    keeper(app, by, id).await?;
    let register = Register {
        awards: app.store.award_history(id).await?,
        relaxations: app.store.relaxations(id).await?,
        accidents: app.store.accidents(id).await?,
    };
    audit::record(
        app,
        by,
        AuditAction::SubjectRegisterView,
        Object::Subject(id),
        json!({}),
    )
    .await?;
    Ok(register)
}

/// A staff member declares an interest in an applicant (A29): from now on the system keeps
/// them away from its applications, and supervisors see the declaration.
pub async fn declare_interest(
    app: &App,
    by: &Principal,
    id: SubjectId,
    kind: InterestKind,
    reason: &str,
) -> Result<(), AppError> {
    check(Some(by), Perm::DeclareInterest, &target(id))?;
    let reason = crate::limits::bounded("reason", reason, crate::limits::REASON)?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            msg!("interest-reason-required"),
        ));
    }
    app.store.subject(id).await?;
    let mut tx = app.store.write().await?;
    tx.declare_interest(by.user.id, id, kind, ConflictSource::Declared, reason)
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::InterestDeclare,
        Object::Subject(id),
        json!({ "after": { "kind": kind, "reason": reason } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every declaration of interest, for supervisors (A29). A declaration says who is close
/// to which applicant and why (kinship, employment): the read is recorded.
pub async fn interests(
    app: &App,
    by: &Principal,
) -> Result<Vec<qaward_store::subjects::Interest>, AppError> {
    check(Some(by), Perm::ViewAuditLog, &Target::default())?;
    let list = app.store.interests().await?;
    audit::record(
        app,
        by,
        AuditAction::InterestsRead,
        Object::AllInterests,
        json!({ "count": list.len() }),
    )
    .await?;
    Ok(list)
}

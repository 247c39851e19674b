//! Organizations' registrations confirmed against their business licences (A10.1: an
//! applicant is an organization legally established in the city). Anyone may register a
//! credit code; until the market supervision department of the organization's county (or
//! the Office) has seen the licence and confirmed the registration, the organization
//! cannot submit (the domain's guard on submission reads [`confirmed`] through the facts).
//! A person registers with a resident ID and presents no licence: persons need no
//! confirmation.
//!
//! A confirmer sees the organizations of the counties they may confirm in, and nothing of
//! the others: confirming one of another county answers "not found", as for an id that
//! does not exist; a recused confirmer (A29) is told so.

use qaward_domain::ids::SubjectId;
use qaward_domain::msg;
use qaward_domain::permission::{Denial, Perm, Target};
use qaward_domain::subject::Subject;
use qaward_store::registrations::Unconfirmed;
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::{App, AppError, Principal, check};

/// The longest note of the document checked.
pub const MAX_DOCUMENT_CHARS: usize = 200;

fn target(
    subject: Option<SubjectId>,
    county: &str,
    recused: Vec<qaward_domain::ids::UserId>,
) -> Target {
    Target {
        subject,
        county: Some(county.to_owned()),
        recused,
        ..Target::default()
    }
}

/// The counties whose registrations `by` may confirm; refused when none.
async fn counties(app: &App, by: &Principal) -> Result<Vec<String>, AppError> {
    let counties: Vec<String> = app
        .policy()
        .await?
        .counties
        .iter()
        .filter(|c| {
            check(
                Some(by),
                Perm::ConfirmRegistration,
                &target(None, &c.id, vec![]),
            )
            .is_ok()
        })
        .map(|c| c.id.clone())
        .collect();
    if counties.is_empty() {
        // The permission function's own refusal (log in first, no such role), or out of
        // scope for a confirmer of a county the policy does not know.
        check(Some(by), Perm::ConfirmRegistration, &Target::default())?;
        return Err(AppError::Forbidden(Denial::OutOfScope));
    }
    Ok(counties)
}

/// The organizations awaiting confirmation that `by` may confirm, leaving out those `by`
/// is recused from.
async fn waiting(app: &App, by: &Principal) -> Result<Vec<Unconfirmed>, AppError> {
    let counties = counties(app, by).await?;
    let mut out = Vec::new();
    for u in app.store.unconfirmed_organizations(&counties).await? {
        if !app
            .store
            .recused_users(u.subject)
            .await?
            .contains(&by.user.id)
        {
            out.push(u);
        }
    }
    Ok(out)
}

/// The organizations of the confirmer's counties awaiting confirmation, oldest first: a
/// read of business data, recorded.
pub async fn unconfirmed(app: &App, by: &Principal) -> Result<Vec<Unconfirmed>, AppError> {
    let list = waiting(app, by).await?;
    audit::record(
        app,
        by,
        AuditAction::RegistrationsList,
        Object::AllSubjects,
        json!({ "unconfirmed": list.len() }),
    )
    .await?;
    Ok(list)
}

/// How many registrations await `by`, for the home page (a count, not a read of them);
/// `None` for someone who confirms none.
pub async fn waiting_count(app: &App, by: &Principal) -> Result<Option<usize>, AppError> {
    match waiting(app, by).await {
        Ok(list) => Ok(Some(list.len())),
        Err(AppError::Forbidden(_) | AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Confirms an organization's registration, noting the licence (or other document)
/// checked. Refused (403) for someone who confirms nowhere; "not found" for a subject
/// that is not an organization of the confirmer's counties, or does not exist.
pub async fn confirm(
    app: &App,
    by: &Principal,
    subject: SubjectId,
    document: &str,
) -> Result<(), AppError> {
    let counties = counties(app, by).await?;
    let not_found = || AppError::NotFound(format!("registration {subject} awaiting confirmation"));
    let stored = match app.store.subject(subject).await {
        Err(qaward_store::StoreError::NotFound(_)) => return Err(not_found()),
        other => other?,
    };
    let Subject::Organization(org) = &stored.subject else {
        return Err(not_found());
    };
    if !counties.contains(&org.county) {
        return Err(not_found());
    }
    let recused = app.store.recused_users(subject).await?;
    match check(
        Some(by),
        Perm::ConfirmRegistration,
        &target(Some(subject), &org.county, recused),
    ) {
        Ok(()) => {}
        Err(AppError::Forbidden(Denial::Recused(r))) => {
            return Err(AppError::Forbidden(Denial::Recused(r)));
        }
        Err(AppError::Forbidden(_)) => return Err(not_found()),
        Err(e) => return Err(e),
    }
    let document = document.trim();
    if document.is_empty() || document.chars().count() > MAX_DOCUMENT_CHARS {
        return Err(AppError::invalid(
            "document",
            msg!("confirmation-document-required", max = MAX_DOCUMENT_CHARS),
        ));
    }
    let mut tx = app.store.write().await?;
    if !tx
        .confirm_registration(subject, document, &by.audit_actor())
        .await?
    {
        return Err(AppError::Conflict(msg!(
            "registration-already-confirmed",
            name = &org.name
        )));
    }
    audit::append(
        &mut tx,
        by,
        AuditAction::RegistrationConfirm,
        Object::Subject(subject),
        json!({ "after": { "confirmed": true, "document": document, "credit_code": org.credit_code.as_str() } }),
    )
    .await?;
    crate::notify::subject(
        &mut tx,
        app,
        subject,
        "您的注册信息已核对营业执照确认，可以报送申报",
        "/applications/mine",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `subject` may submit as far as its registration goes: a person always, an
/// organization once confirmed.
pub(crate) async fn confirmed(
    app: &App,
    subject: &qaward_store::subjects::StoredSubject,
) -> Result<bool, AppError> {
    if subject.subject.is_person() {
        return Ok(true);
    }
    Ok(app
        .store
        .registration_confirmation(subject.id)
        .await?
        .is_some())
}

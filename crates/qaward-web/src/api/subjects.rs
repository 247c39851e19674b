//! The subject register: one subject (an audited read), its register of awards, the
//! Leading Group's approvals (A10.1) and accidents (A10.4), declarations of interest (A29),
//! and organizations' registrations confirmed against their licences (A10.1).

use axum::Json;
use axum::http::StatusCode;
use qaward_app::subjects;
use qaward_domain::eligibility::LeadingGroupApproval;
use qaward_domain::ids::SubjectId;
use qaward_domain::subject::{AwardRecord, CycleRef};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Created, Id};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{AccidentIn, AwardIn, ConfirmRegistrationIn, InterestIn, RelaxationIn};

#[derive(Serialize, ToSchema)]
pub struct SubjectOut {
    pub id: i64,
    /// `organization` or `person`.
    pub kind: String,
    pub name: String,
    /// The credit code, or the resident ID: masked unless the reader is the person or the Office.
    pub identifier: String,
    #[schema(value_type = crate::codes::OrgKind)]
    pub org_kind: qaward_domain::subject::OrgKind,
    pub county: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub registered_at: String,
}

/// One subject of the register (an audited read).
#[utoipa::path(get, path = "/api/v1/subjects/{id}", tag = "subjects", params(("id" = i64, Path)),
    responses((status = 200, body = SubjectOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn get_subject(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<SubjectOut>, ApiError> {
    let s = subjects::view(&app, p, SubjectId(id)).await?;
    Ok(Json(SubjectOut {
        id: s.id,
        kind: s.kind.into(),
        name: s.name,
        identifier: s.identifier,
        org_kind: s.org_kind,
        county: s.county,
        contact_name: s.contact_name,
        contact_phone: s.contact_phone,
        contact_email: s.contact_email,
        registered_at: s.registered_at,
    }))
}

/// Record an award of a subject in the register (the Office), with its revocation if any.
#[utoipa::path(post, path = "/api/v1/subjects/{id}/awards", tag = "subjects", params(("id" = i64, Path)), request_body = AwardIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record_award(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<AwardIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let award = AwardRecord {
        cycle: CycleRef {
            ordinal: r.cycle_ordinal,
            year: r.cycle_year,
        },
        level: r.level,
        revoked_on: r.revoked_on,
        // Frozen by the use case under the policy in force.
        barred_until: None,
        ban_until: None,
    };
    let rid = subjects::record_award(&app, p, SubjectId(id), award, &r.reference).await?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// Declare an interest in an applicant (A29, any staff member): from now on you are kept
/// away from its applications.
#[utoipa::path(post, path = "/api/v1/subjects/{id}/interests", tag = "subjects", params(("id" = i64, Path)), request_body = InterestIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn declare_interest(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<InterestIn>,
) -> Result<StatusCode, ApiError> {
    subjects::declare_interest(&app, p, SubjectId(id), r.kind, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct InterestOut {
    pub user: String,
    pub subject_id: i64,
    pub subject: String,
    pub reason: String,
    pub declared_at: String,
}

/// Every declaration of interest (supervisors).
#[utoipa::path(get, path = "/api/v1/interests", tag = "subjects",
    responses((status = 200, body = Vec<InterestOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn interests(
    Caller { app, ref p }: Caller,
) -> Result<Json<Vec<InterestOut>>, ApiError> {
    let list = subjects::interests(&app, p).await?;
    Ok(Json(
        list.into_iter()
            .map(|i| InterestOut {
                user: i.username,
                subject_id: i.subject_id.0,
                subject: i.subject_name,
                reason: i.reason,
                declared_at: i.declared_at,
            })
            .collect(),
    ))
}

/// Record the Leading Group's approval relaxing a subject's years of operation (A10.1; the
/// Office).
#[utoipa::path(post, path = "/api/v1/subjects/{id}/relaxations", tag = "subjects", params(("id" = i64, Path)), request_body = RelaxationIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record_relaxation(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<RelaxationIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let approval = LeadingGroupApproval {
        reference: r.reference,
        decided_on: r.decided_on,
    };
    let rid = subjects::record_relaxation(&app, p, SubjectId(id), &approval).await?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// Record an accident of a subject (A10.4; the Office).
#[utoipa::path(post, path = "/api/v1/subjects/{id}/accidents", tag = "subjects", params(("id" = i64, Path)), request_body = AccidentIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record_accident(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<AccidentIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let rid =
        subjects::record_accident(&app, p, SubjectId(id), &r.accident(), &r.reference).await?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

#[derive(Serialize, ToSchema)]
pub struct RegisterAwardOut {
    pub cycle_ordinal: u32,
    pub cycle_year: i32,
    #[schema(value_type = crate::codes::AwardLevel)]
    pub level: qaward_domain::policy::Level,
    pub revoked_on: Option<String>,
    pub reference: String,
}

#[derive(Serialize, ToSchema)]
pub struct RelaxationOut {
    pub id: i64,
    pub decided_on: String,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccidentOut {
    pub id: i64,
    pub date: String,
    pub major: bool,
    pub description: String,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// What the register holds about a subject that eligibility reads (A10.1, A10.4, A12,
/// A28.3).
#[derive(Serialize, ToSchema)]
pub struct RegisterOut {
    pub awards: Vec<RegisterAwardOut>,
    pub relaxations: Vec<RelaxationOut>,
    pub accidents: Vec<AccidentOut>,
}

/// A subject's register (the Office; the read is logged).
#[utoipa::path(get, path = "/api/v1/subjects/{id}/register", tag = "subjects", params(("id" = i64, Path)),
    responses((status = 200, body = RegisterOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn register(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<RegisterOut>, ApiError> {
    let r = subjects::register(&app, p, SubjectId(id)).await?;
    Ok(Json(RegisterOut {
        awards: r
            .awards
            .into_iter()
            .map(|a| RegisterAwardOut {
                cycle_ordinal: a.record.cycle.ordinal,
                cycle_year: a.record.cycle.year,
                level: a.record.level,
                revoked_on: a.record.revoked_on.map(|d| d.to_string()),
                reference: a.reference,
            })
            .collect(),
        relaxations: r
            .relaxations
            .into_iter()
            .map(|x| RelaxationOut {
                id: x.id,
                decided_on: x.record.decided_on.to_string(),
                reference: x.record.reference,
                recorded_by: x.recorded_by,
                recorded_at: x.recorded_at,
            })
            .collect(),
        accidents: r
            .accidents
            .into_iter()
            .map(|x| AccidentOut {
                id: x.id,
                date: x.record.accident.date.to_string(),
                major: x.record.accident.major,
                description: x.record.accident.description,
                reference: x.record.reference,
                recorded_by: x.recorded_by,
                recorded_at: x.recorded_at,
            })
            .collect(),
    }))
}

/// An organization whose registration awaits confirmation.
#[derive(Serialize, ToSchema)]
pub struct UnconfirmedOut {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    #[schema(value_type = crate::codes::OrgKind)]
    pub org_kind: qaward_domain::subject::OrgKind,
    /// The county-level unit's id in the policy.
    pub county: String,
    pub founded: Option<String>,
    pub legal_representative: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub registered_at: String,
}

/// Organizations of your counties whose registration awaits confirmation against the
/// business licence (A10.1): for a county's market supervision department, or the Office.
#[utoipa::path(get, path = "/api/v1/registrations", tag = "subjects",
    responses((status = 200, body = Vec<UnconfirmedOut>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn registrations(
    Caller { app, ref p }: Caller,
) -> Result<Json<Vec<UnconfirmedOut>>, ApiError> {
    let list = qaward_app::registrations::unconfirmed(&app, p).await?;
    Ok(Json(
        list.into_iter()
            .map(|u| UnconfirmedOut {
                id: u.subject.0,
                name: u.name,
                credit_code: u.credit_code,
                org_kind: u.org_kind,
                county: u.county,
                founded: u.founded,
                legal_representative: u.legal_representative,
                contact_name: u.contact_name,
                contact_phone: u.contact_phone,
                registered_at: u.registered_at,
            })
            .collect(),
    ))
}

/// Confirm an organization's registration, noting the licence checked (A10.1): until then
/// it cannot submit. An organization of another county answers 404.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/confirmation", tag = "subjects", params(("id" = i64, Path)),
    request_body = ConfirmRegistrationIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn confirm_registration(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ConfirmRegistrationIn>,
) -> Result<StatusCode, ApiError> {
    qaward_app::registrations::confirm(&app, p, SubjectId(id), &r.document).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirm an award another member of the Office entered by hand (four eyes): from then on
/// it bars as A12.1 and A28.3 say.
#[utoipa::path(post, path = "/api/v1/subjects/{id}/awards/{award}/confirm", tag = "subjects",
    params(("id" = i64, Path), ("award" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn confirm_award(
    Caller { app, ref p }: Caller,
    super::PathPair(id, award): super::PathPair<i64, i64>,
) -> Result<StatusCode, ApiError> {
    subjects::confirm_award(&app, p, SubjectId(id), award).await?;
    Ok(StatusCode::NO_CONTENT)
}

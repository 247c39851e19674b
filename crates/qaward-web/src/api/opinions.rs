//! The API of written opinions at the Office (A16.2): the answers about an application read
//! in full, an answer received on paper recorded with its scan, the decision to proceed
//! without an overdue answer, and a request as its department reads it.

use axum::Json;
use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use qaward_app::applications::identity::Identity;
use qaward_app::{AppError, opinions};
use qaward_domain::ids::ApplicationId;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiQuery, Caller, Id};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{PaperAnswerIn, ProceedIn};

/// Who the applicant is, as the reader may see it.
#[derive(Serialize, ToSchema)]
pub struct IdentityOut {
    pub name: String,
    pub is_person: bool,
    pub credit_code: Option<String>,
    pub legal_representative: Option<String>,
    /// Masked (`1409**********009X`) unless the reader may see it whole.
    pub resident_id: Option<String>,
    pub resident_id_masked: bool,
    pub employer: Option<String>,
    #[schema(value_type = String)]
    pub org_kind: qaward_domain::subject::OrgKind,
    pub county: String,
}

impl From<Identity> for IdentityOut {
    fn from(i: Identity) -> Self {
        Self {
            name: i.name,
            is_person: i.is_person,
            credit_code: i.credit_code,
            legal_representative: i.legal_representative,
            resident_id: i.resident_id,
            resident_id_masked: i.id_masked,
            employer: i.employer,
            org_kind: i.org_kind,
            county: i.county,
        }
    }
}

/// One opinion request with its answer in full.
#[derive(Serialize, ToSchema)]
pub struct OpinionOut {
    pub id: i64,
    pub department: String,
    pub department_name: String,
    pub due: String,
    pub late: bool,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
    pub adverse: Option<bool>,
    pub answer: Option<String>,
    /// The answer came on paper; its scan is at `/api/v1/opinion-requests/{id}/scan`.
    pub on_paper: bool,
    pub scan_filename: Option<String>,
    /// The Office proceeded without an answer: when, who and why.
    pub proceeded_at: Option<String>,
    pub proceeded_by: Option<String>,
    pub proceed_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OpinionsOut {
    pub application: i64,
    pub identity: IdentityOut,
    pub requests: Vec<OpinionOut>,
}

fn opinion_out(l: opinions::OpinionLine) -> OpinionOut {
    let r = l.request;
    let p = r.proceeded;
    OpinionOut {
        id: r.id,
        department: r.dept_id,
        department_name: l.dept_name,
        due: r.due.to_string(),
        late: l.late,
        answered_at: r.answered_at,
        answered_by: r.answered_by,
        adverse: r.adverse,
        answer: r.answer,
        on_paper: r.on_paper,
        scan_filename: r.scan.map(|s| s.filename),
        proceeded_at: p.as_ref().map(|p| p.at.clone()),
        proceeded_by: p.as_ref().map(|p| p.by.clone()),
        proceed_reason: p.map(|p| p.reason),
    }
}

/// The opinions asked about an application, answers in full (the Office; the read is
/// audited).
#[utoipa::path(get, path = "/api/v1/applications/{id}/opinions", tag = "acceptance", params(("id" = i64, Path)),
    responses((status = 200, body = OpinionsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn application_opinions(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<OpinionsOut>, ApiError> {
    let v = opinions::of_application(&app, p, ApplicationId(id)).await?;
    Ok(Json(OpinionsOut {
        application: v.id.0,
        identity: v.identity.into(),
        requests: v.requests.into_iter().map(opinion_out).collect(),
    }))
}

/// Record an answer received on paper, the scan as the raw body (the Office).
#[utoipa::path(post, path = "/api/v1/opinion-requests/{id}/paper", tag = "acceptance", params(("id" = i64, Path), PaperAnswerIn),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record_paper(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiQuery(q): ApiQuery<PaperAnswerIn>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let input = q.into_input(None);
    opinions::record_paper(&app, p, id, crate::body::stream(body), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Proceed without an answer past its due date, giving the reason (the Office, A16.2).
#[utoipa::path(post, path = "/api/v1/opinion-requests/{id}/proceed", tag = "acceptance", params(("id" = i64, Path)), request_body = ProceedIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn proceed(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ProceedIn>,
) -> Result<StatusCode, ApiError> {
    opinions::proceed_without(&app, p, id, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A paper answer's scan as a download (the opening is audited).
pub async fn scan_response(
    app: &qaward_app::App,
    p: &qaward_app::Principal,
    request: i64,
) -> Result<Response, AppError> {
    let (scan, file) = opinions::open_scan(app, p, request).await?;
    Ok(crate::pages::stored_download(
        &scan.filename,
        &scan.content_type,
        file,
    ))
}

/// Download the scan of an answer received on paper (the Office).
#[utoipa::path(get, path = "/api/v1/opinion-requests/{id}/scan", tag = "acceptance", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn scan(Caller { app, ref p }: Caller, Id(id): Id) -> Result<Response, ApiError> {
    Ok(scan_response(&app, p, id).await?)
}

/// An opinion request as its department reads it.
#[derive(Serialize, ToSchema)]
pub struct RequestLetterOut {
    pub id: i64,
    pub application: i64,
    pub department_name: String,
    pub program: String,
    pub due: String,
    pub late: bool,
    pub identity: IdentityOut,
    pub answered_at: Option<String>,
    pub adverse: Option<bool>,
    pub answer: Option<String>,
}

/// An opinion request addressed to the reader's department, with the applicant's identity
/// details (the read is audited).
#[utoipa::path(get, path = "/api/v1/opinion-requests/{id}", tag = "acceptance", params(("id" = i64, Path)),
    responses((status = 200, body = RequestLetterOut), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn request_letter(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<RequestLetterOut>, ApiError> {
    let l = opinions::request_letter(&app, p, id).await?;
    Ok(Json(RequestLetterOut {
        id: l.request.id,
        application: l.request.application_id.0,
        department_name: l.dept_name,
        program: l.program,
        due: l.request.due.to_string(),
        late: l.late,
        identity: l.identity.into(),
        answered_at: l.request.answered_at,
        adverse: l.request.adverse,
        answer: l.request.answer,
    }))
}

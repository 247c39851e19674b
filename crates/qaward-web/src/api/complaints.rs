//! The API of complaints and reports (issue #12; A27): filing and following a complaint
//! (anyone), and the supervision group's handling. The pages' twins are in
//! `pages::complaints`; both call the same use cases with the same inputs.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use qaward_app::complaints::{self, Reporter, handling};
use qaward_app::records::ComplaintRow;
use qaward_domain::complaint::{Outcome, Status, Topic};
use qaward_domain::ids::{SubjectId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, Caller, Id};
use crate::AppState;
use crate::codes;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{
    AssignComplaintIn, ComplaintIn, ComplaintTextIn, ConcludeComplaintIn, FollowUpIn,
    RegisterComplaintIn,
};
use crate::session::Viewer;

#[derive(Serialize, ToSchema)]
pub struct FiledOut {
    /// The follow-up code, shown this once.
    pub code: String,
}

/// File a complaint with the supervision group (anyone; A27.1).
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints", request_body = ComplaintIn,
    responses((status = 201, body = FiledOut), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn file_complaint(
    State(AppState { app, .. }): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<ComplaintIn>,
) -> Result<(StatusCode, Json<FiledOut>), ApiError> {
    let code = complaints::file_complaint(&app, &r.into(), &viewer.address).await?;
    Ok((StatusCode::CREATED, Json(FiledOut { code })))
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintStatusOut {
    pub filed_on: String,
    #[schema(value_type = codes::ComplaintStatus)]
    pub status: Status,
    /// How it ended, once the reporter is answered.
    #[schema(value_type = Option<codes::ComplaintOutcome>)]
    pub outcome: Option<Outcome>,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
}

/// Where a complaint stands, by its follow-up code (anyone): the status and the answer,
/// nothing else. Codes that match nothing are counted per address.
#[utoipa::path(post, path = "/api/v1/complaints/status", tag = "complaints", request_body = FollowUpIn,
    responses((status = 200, body = ComplaintStatusOut), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn complaint_status(
    State(AppState { app, .. }): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<FollowUpIn>,
) -> Result<Json<ComplaintStatusOut>, ApiError> {
    let v = complaints::complaint_status(&app, &r.code, &viewer.address).await?;
    Ok(Json(ComplaintStatusOut {
        filed_on: v.filed_on.to_string(),
        status: v.status,
        outcome: v.outcome,
        answer: v.answer,
        answered_on: v.answered_on.map(|d| d.to_string()),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// The file's name.
    pub filename: String,
}

/// Add an evidence file to an open complaint, as the raw request body, with the
/// follow-up code in the `X-Follow-Up-Code` header (anyone holding the code).
#[utoipa::path(post, path = "/api/v1/complaints/evidence", tag = "complaints",
    params(EvidenceQuery, ("X-Follow-Up-Code" = String, Header, description = "The follow-up code")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn add_complaint_evidence(
    State(AppState { app, .. }): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    super::ApiQuery(q): super::ApiQuery<EvidenceQuery>,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let code = headers
        .get("x-follow-up-code")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    complaints::add_evidence(
        &app,
        code,
        crate::body::stream(body),
        &q.filename,
        &viewer.address,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintOut {
    pub id: i64,
    #[schema(value_type = codes::ComplaintTopic)]
    pub topic: Topic,
    pub about: String,
    pub content: String,
    pub filed_on: String,
    #[schema(value_type = codes::ComplaintStatus)]
    pub status: Status,
    /// Whether the reporter gave a name or contact (opened only by `…/reporter`).
    pub named: bool,
    pub subject: Option<i64>,
    pub subject_name: Option<String>,
    pub assignee: Option<i64>,
    pub assignee_name: Option<String>,
    #[schema(value_type = Option<codes::ComplaintOutcome>)]
    pub outcome: Option<Outcome>,
    pub findings: Option<String>,
    pub answer: Option<String>,
}

impl From<ComplaintRow> for ComplaintOut {
    fn from(c: ComplaintRow) -> Self {
        Self {
            id: c.id,
            named: c.named(),
            topic: c.topic,
            about: c.about,
            content: c.content,
            filed_on: c.filed_on.to_string(),
            status: c.status,
            subject: c.subject_id.map(|s| s.0),
            subject_name: c.subject_name,
            assignee: c.assignee.map(|u| u.0),
            assignee_name: c.assignee_name,
            outcome: c.outcome,
            findings: c.findings,
            answer: c.answer,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintsOut {
    pub items: Vec<ComplaintOut>,
    /// How many concern subjects the reader is recused from (A29): counted, not shown.
    pub hidden: usize,
}

/// The supervision group's complaints, open ones first (the reporter's identity is not
/// in them).
#[utoipa::path(get, path = "/api/v1/complaints", tag = "complaints",
    responses((status = 200, body = ComplaintsOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn list_complaints(
    Caller { app, ref p }: Caller,
) -> Result<Json<ComplaintsOut>, ApiError> {
    let q = complaints::complaint_queue(&app, p).await?;
    Ok(Json(ComplaintsOut {
        items: q.items.into_iter().map(ComplaintOut::from).collect(),
        hidden: q.hidden,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub kind: String,
    /// The member who acted; none for the reporter.
    pub by: Option<String>,
    pub text: Option<String>,
    /// An evidence file's content hash (download it at `…/files/{hash}`).
    pub file: Option<String>,
    pub file_name: Option<String>,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseOut {
    pub complaint: ComplaintOut,
    pub events: Vec<EventOut>,
}

/// A complaint with its history (the supervision group).
#[utoipa::path(get, path = "/api/v1/complaints/{id}", tag = "complaints", params(("id" = i64, Path)),
    responses((status = 200, body = CaseOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn complaint_case(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<CaseOut>, ApiError> {
    let c = complaints::complaint_case(&app, p, id).await?;
    Ok(Json(CaseOut {
        events: c
            .events
            .into_iter()
            .map(|e| EventOut {
                by: e.user_id.map(|_| e.by_name),
                kind: e.kind,
                text: e.text,
                file: e.blob_hash,
                file_name: e.file_name,
                at: e.at,
            })
            .collect(),
        complaint: c.complaint.into(),
    }))
}

/// Open the reporter's identity (the supervision group; recorded). `null` for an
/// anonymous complaint.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/reporter", tag = "complaints", params(("id" = i64, Path)),
    responses((status = 200, body = Option<ReporterOut>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn complaint_reporter(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Option<ReporterOut>>, ApiError> {
    let who = complaints::reporter_identity(&app, p, id).await?;
    Ok(Json(who.map(|Reporter { name, contact }| ReporterOut {
        name,
        contact,
    })))
}

#[derive(Serialize, ToSchema)]
pub struct ReporterOut {
    pub name: Option<String>,
    pub contact: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StatusOut {
    #[schema(value_type = codes::ComplaintStatus)]
    pub status: Status,
}

pub(super) fn moved(s: Status) -> Json<StatusOut> {
    Json(StatusOut { status: s })
}

/// Take a received complaint up, assigning a member (the supervision group).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/register", tag = "complaints", params(("id" = i64, Path)), request_body = RegisterComplaintIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn register_complaint(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<RegisterComplaintIn>,
) -> Result<Json<StatusOut>, ApiError> {
    let s = handling::register(&app, p, id, UserId(r.assignee), r.subject.map(SubjectId)).await?;
    Ok(moved(s))
}

/// Reassign a registered complaint, or name the subject it concerns.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/assign", tag = "complaints", params(("id" = i64, Path)), request_body = AssignComplaintIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn assign_complaint(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<AssignComplaintIn>,
) -> Result<Json<StatusOut>, ApiError> {
    let s = handling::assign(
        &app,
        p,
        id,
        r.assignee.map(UserId),
        r.subject.map(SubjectId),
    )
    .await?;
    Ok(moved(s))
}

/// Decline a received complaint with the reason.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/decline", tag = "complaints", params(("id" = i64, Path)), request_body = ComplaintTextIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn decline_complaint(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ComplaintTextIn>,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(handling::decline(&app, p, id, &r.text).await?))
}

/// Record a note of the investigation of an open complaint.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/note", tag = "complaints", params(("id" = i64, Path)), request_body = ComplaintTextIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn note_complaint(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ComplaintTextIn>,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(handling::note(&app, p, id, &r.text).await?))
}

/// Conclude the investigation: unfounded or founded, with the findings.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/conclude", tag = "complaints", params(("id" = i64, Path)), request_body = ConcludeComplaintIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn conclude_complaint(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ConcludeComplaintIn>,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(
        handling::conclude(&app, p, id, r.outcome, &r.findings).await?,
    ))
}

/// Answer the reporter of a concluded complaint (read with the follow-up code).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/answer", tag = "complaints", params(("id" = i64, Path)), request_body = ComplaintTextIn,
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn answer_complaint(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ComplaintTextIn>,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(handling::answer(&app, p, id, &r.text).await?))
}

/// Add a file of the supervision group's own investigation to an open complaint, as the
/// raw request body (the supervision group).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/evidence", tag = "complaints",
    params(("id" = i64, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = StatusOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn add_group_evidence(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    super::ApiQuery(q): super::ApiQuery<EvidenceQuery>,
    body: Body,
) -> Result<Json<StatusOut>, ApiError> {
    Ok(moved(
        handling::add_group_evidence(&app, p, id, crate::body::stream(body), &q.filename).await?,
    ))
}

/// An evidence file of a complaint (the supervision group; recorded).
#[utoipa::path(get, path = "/api/v1/complaints/{id}/files/{hash}", tag = "complaints",
    params(("id" = i64, Path), ("hash" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn complaint_file(
    Caller { app, ref p }: Caller,
    super::PathPair(id, hash): super::PathPair<i64, String>,
) -> Result<Response, ApiError> {
    Ok(crate::pages::complaints::file_response(&app, p, id, &hash).await?)
}

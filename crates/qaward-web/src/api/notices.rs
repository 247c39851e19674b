//! Public notices and objections: anyone reads the notices and objects to an entry during
//! its window, by name or anonymously, and follows the objection with its code; the
//! Leading Group reads the open objections and handles them (A6).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qaward_app::objections;
use qaward_domain::notice::ObjectionState;
use qaward_domain::policy::NoticeKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Id, QueueOut};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{FollowUpIn, HandleObjectionIn, ObjectionIn};

#[derive(Serialize, ToSchema)]
pub struct NoticeOut {
    pub id: i64,
    #[schema(value_type = crate::codes::NoticeKind)]
    pub kind: NoticeKind,
    pub title: String,
    pub start: String,
    pub end: String,
    pub contact: String,
    /// Whether objections are accepted today.
    pub open: bool,
    pub entries: Vec<NoticeEntryOut>,
}

#[derive(Serialize, ToSchema)]
pub struct NoticeEntryOut {
    pub application: i64,
    pub subject: String,
    pub county: String,
}

fn notice_out(
    today: chrono::NaiveDate,
    n: qaward_app::records::NoticeRow,
    entries: Vec<NoticeEntryOut>,
) -> NoticeOut {
    NoticeOut {
        open: n.start <= today && today <= n.end,
        id: n.id,
        kind: n.kind,
        title: n.title,
        start: n.start.to_string(),
        end: n.end.to_string(),
        contact: n.contact,
        entries,
    }
}

/// The public notices, open and past (no login).
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices", responses((status = 200, body = Vec<NoticeOut>)))]
pub(super) async fn notices(
    State(AppState { app, .. }): State<AppState>,
) -> Result<Json<Vec<NoticeOut>>, ApiError> {
    let today = app.today();
    let list = objections::notices(&app).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| notice_out(today, n, vec![]))
            .collect(),
    ))
}

/// One public notice with its entries (no login).
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "notices", params(("id" = i64, Path)),
    responses((status = 200, body = NoticeOut), (status = 404, body = ErrorBody)))]
pub(super) async fn notice(
    State(AppState { app, .. }): State<AppState>,
    Id(id): Id,
) -> Result<Json<NoticeOut>, ApiError> {
    let (n, entries) = objections::notice(&app, id).await?;
    let entries = entries
        .into_iter()
        .map(|e| NoticeEntryOut {
            application: e.application_id.0,
            subject: e.subject_name,
            county: e.county,
        })
        .collect();
    Ok(Json(notice_out(app.today(), n, entries)))
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpOut {
    /// Shown once: with it the objector can see how the objection was handled.
    pub follow_up_code: String,
}

/// Object to an entry of a notice during its window (anyone, no login).
#[utoipa::path(post, path = "/api/v1/notices/{id}/objections", tag = "notices", params(("id" = i64, Path)), request_body = ObjectionIn,
    responses((status = 201, body = FollowUpOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn raise_objection(
    State(AppState { app, .. }): State<AppState>,
    viewer: crate::session::Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<ObjectionIn>,
) -> Result<(StatusCode, Json<FollowUpOut>), ApiError> {
    let code = objections::raise_objection(&app, id, &r.into(), &viewer.address).await?;
    Ok((
        StatusCode::CREATED,
        Json(FollowUpOut {
            follow_up_code: code,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionStatusOut {
    #[schema(value_type = crate::codes::ObjectionState)]
    pub status: ObjectionState,
    pub reason: Option<String>,
}

/// Where an objection stands, by its follow-up code (no login).
#[utoipa::path(post, path = "/api/v1/objections/status", tag = "notices", request_body = FollowUpIn,
    responses((status = 200, body = ObjectionStatusOut), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn objection_status(
    State(AppState { app, .. }): State<AppState>,
    viewer: crate::session::Viewer,
    ApiJson(r): ApiJson<FollowUpIn>,
) -> Result<Json<ObjectionStatusOut>, ApiError> {
    let (status, reason) = objections::objection_status(&app, &r.code, &viewer.address).await?;
    Ok(Json(ObjectionStatusOut { status, reason }))
}

#[derive(Serialize, ToSchema)]
pub struct OpenObjectionOut {
    pub id: i64,
    pub notice: i64,
    pub application: i64,
    /// The applicant's name: what the objection is about.
    pub subject: String,
    pub raised_on: String,
    pub objector: Option<String>,
    pub contact: Option<String>,
    pub content: String,
}

/// The objections the Leading Group has yet to handle.
#[utoipa::path(get, path = "/api/v1/objections", tag = "notices",
    responses((status = 200, body = QueueOut<OpenObjectionOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn objection_queue(
    Caller { app, ref p }: Caller,
) -> Result<Json<QueueOut<OpenObjectionOut>>, ApiError> {
    let q = objections::objection_queue(&app, p).await?;
    Ok(QueueOut::of(q, |o| OpenObjectionOut {
        id: o.id,
        notice: o.notice_id,
        application: o.application_id.0,
        subject: o.subject_name,
        raised_on: o.raised_on.to_string(),
        objector: o.objector_name,
        contact: o.objector_contact,
        content: o.content,
    }))
}

/// The Leading Group handles an objection (A6).
#[utoipa::path(post, path = "/api/v1/objections/{id}/handling", tag = "notices", params(("id" = i64, Path)), request_body = HandleObjectionIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn handle_objection(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<HandleObjectionIn>,
) -> Result<StatusCode, ApiError> {
    objections::handle_objection(&app, p, id, r.decision.consequence(), &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

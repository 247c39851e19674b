//! The API twins of the Office's formal review, the departments' opinions, the public
//! notices and objections, and the Leading Group's handling of objections.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qaward_app::AppError;
use qaward_app::acceptance::{self, Consequence, NewObjection};
use qaward_app::applications::Checklist;
use qaward_domain::ids::ApplicationId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::applications::{Created, StateOut, parse_decision};
use super::{ApiJson, Id, viewer_of};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::forms::date;
use crate::session::Viewer;

#[derive(Serialize, ToSchema)]
pub struct OfficeItemOut {
    pub id: i64,
    pub subject: String,
    pub state: String,
    pub opinions_requested: usize,
    pub opinions_answered: usize,
    pub opinions_adverse: usize,
    /// Requests past their due date without an answer.
    pub opinions_late: usize,
}

/// What waits at the Office.
#[utoipa::path(get, path = "/api/v1/office-queue", tag = "acceptance",
    responses((status = 200, body = Vec<OfficeItemOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn office_queue(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<OfficeItemOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let q = acceptance::office_queue(&state.app, p).await?;
    Ok(Json(
        q.into_iter()
            .map(|i| OfficeItemOut {
                id: i.id.0,
                subject: i.subject_name,
                state: i.state.to_string(),
                opinions_requested: i.opinions_requested,
                opinions_answered: i.opinions_answered,
                opinions_adverse: i.opinions_adverse,
                opinions_late: i.opinions_late,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct OpinionRequestsIn {
    /// Opinion department ids of the policy (`public-security`, `tax`, …).
    pub departments: Vec<String>,
    /// YYYY-MM-DD.
    pub due: String,
}

#[derive(Serialize, ToSchema)]
pub struct IdsOut {
    pub ids: Vec<i64>,
}

/// Ask departments for their written opinions (A16.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/opinion-requests", tag = "acceptance", params(("id" = i64, Path)), request_body = OpinionRequestsIn,
    responses((status = 201, body = IdsOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn request_opinions(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<OpinionRequestsIn>,
) -> Result<(StatusCode, Json<IdsOut>), ApiError> {
    let p = viewer_of(&viewer)?;
    let ids = acceptance::request_opinions(
        &state.app,
        p,
        ApplicationId(id),
        &r.departments,
        date("due", &r.due)?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(IdsOut { ids })))
}

#[derive(Serialize, ToSchema)]
pub struct OpinionItemOut {
    pub id: i64,
    pub application: i64,
    pub subject: String,
    pub department: String,
    pub due: String,
    pub late: bool,
    pub answered_at: Option<String>,
    pub adverse: Option<bool>,
}

/// The opinion requests addressed to the viewer's departments.
#[utoipa::path(get, path = "/api/v1/opinion-queue", tag = "acceptance",
    responses((status = 200, body = Vec<OpinionItemOut>)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn opinion_queue(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<OpinionItemOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let q = acceptance::opinion_queue(&state.app, p).await?;
    Ok(Json(
        q.into_iter()
            .map(|i| OpinionItemOut {
                id: i.request.id,
                application: i.request.application_id.0,
                subject: i.subject_name,
                department: i.request.dept_id,
                due: i.request.due.to_string(),
                late: i.late,
                answered_at: i.request.answered_at,
                adverse: i.request.adverse,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct OpinionAnswerIn {
    /// An adverse finding (with reasons and evidence in `answer`), or no objection.
    pub adverse: bool,
    #[serde(default)]
    pub answer: String,
}

/// A department answers an opinion request.
#[utoipa::path(post, path = "/api/v1/opinion-requests/{id}/answer", tag = "acceptance", params(("id" = i64, Path)), request_body = OpinionAnswerIn,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn answer_opinion(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<OpinionAnswerIn>,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    acceptance::answer_opinion(&state.app, p, id, r.adverse, &r.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct FormalReviewIn {
    /// `pass`, `return` or `reject`.
    pub decision: String,
    pub reason: Option<String>,
    #[serde(default)]
    pub basic_conditions: String,
    #[serde(default)]
    pub completeness: String,
}

/// The Office's formal review (A16.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/formal-review", tag = "acceptance", params(("id" = i64, Path)), request_body = FormalReviewIn,
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn formal_review(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<FormalReviewIn>,
) -> Result<Json<StateOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let decision = parse_decision(&r.decision, r.reason.as_deref())?;
    let checklist = Checklist {
        completeness: r.completeness,
        authenticity: String::new(),
        accuracy: String::new(),
        legality: r.basic_conditions,
    };
    let s =
        acceptance::formal_review(&state.app, p, ApplicationId(id), decision, &checklist).await?;
    Ok(Json(StateOut {
        state: s.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptanceListIn {
    pub applications: Vec<i64>,
    /// The notice's first day, YYYY-MM-DD, today or later.
    pub start: String,
    /// A later last day than the minimum, if the Office chooses one.
    pub end: Option<String>,
    /// Whom to contact about objections.
    pub contact: String,
}

/// Publish the acceptance list as a public notice (A16.3).
#[utoipa::path(post, path = "/api/v1/acceptance-lists", tag = "acceptance", request_body = AcceptanceListIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<AcceptanceListIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = viewer_of(&viewer)?;
    let ids: Vec<ApplicationId> = r.applications.iter().map(|i| ApplicationId(*i)).collect();
    let end = r
        .end
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| date("end", e))
        .transpose()?;
    let nid = acceptance::publish_acceptance_list(
        &state.app,
        p,
        &ids,
        date("start", &r.start)?,
        end,
        &r.contact,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: nid })))
}

/// Accept an application whose acceptance-list notice has run clear (A16.3).
#[utoipa::path(post, path = "/api/v1/applications/{id}/accept", tag = "acceptance", params(("id" = i64, Path)),
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<StateOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let s = acceptance::accept(&state.app, p, ApplicationId(id)).await?;
    Ok(Json(StateOut {
        state: s.to_string(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct NoticeOut {
    pub id: i64,
    pub kind: String,
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

/// The public notices, open and past (no login).
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices", responses((status = 200, body = Vec<NoticeOut>)))]
pub(super) async fn notices(
    State(state): State<AppState>,
) -> Result<Json<Vec<NoticeOut>>, ApiError> {
    let today = state.app.today();
    let list = acceptance::notices(&state.app).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| NoticeOut {
                open: n.start <= today && today <= n.end,
                id: n.id,
                kind: n.kind,
                title: n.title,
                start: n.start.to_string(),
                end: n.end.to_string(),
                contact: n.contact,
                entries: vec![],
            })
            .collect(),
    ))
}

/// One public notice with its entries (no login).
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "notices", params(("id" = i64, Path)),
    responses((status = 200, body = NoticeOut), (status = 404, body = ErrorBody)))]
pub(super) async fn notice(
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Json<NoticeOut>, ApiError> {
    let today = state.app.today();
    let (n, entries) = acceptance::notice(&state.app, id).await?;
    Ok(Json(NoticeOut {
        open: n.start <= today && today <= n.end,
        id: n.id,
        kind: n.kind,
        title: n.title,
        start: n.start.to_string(),
        end: n.end.to_string(),
        contact: n.contact,
        entries: entries
            .into_iter()
            .map(|e| NoticeEntryOut {
                application: e.application_id.0,
                subject: e.subject_name,
                county: e.county,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ObjectionIn {
    /// The entry objected to.
    pub application: i64,
    /// Leave out to object anonymously.
    pub name: Option<String>,
    pub contact: Option<String>,
    pub content: String,
    pub evidence: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpOut {
    /// Shown once: with it the objector can see how the objection was handled.
    pub follow_up_code: String,
}

/// Object to an entry of a notice during its window (anyone, no login).
#[utoipa::path(post, path = "/api/v1/notices/{id}/objections", tag = "notices", params(("id" = i64, Path)), request_body = ObjectionIn,
    responses((status = 201, body = FollowUpOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn raise_objection(
    State(state): State<AppState>,
    Id(id): Id,
    ApiJson(r): ApiJson<ObjectionIn>,
) -> Result<(StatusCode, Json<FollowUpOut>), ApiError> {
    let o = NewObjection {
        application: ApplicationId(r.application),
        name: r.name,
        contact: r.contact,
        content: r.content,
        evidence: r.evidence,
    };
    let code = acceptance::raise_objection(&state.app, id, &o).await?;
    Ok((
        StatusCode::CREATED,
        Json(FollowUpOut {
            follow_up_code: code,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct FollowUpIn {
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionStatusOut {
    /// `open`, `upheld` or `dismissed`.
    pub status: String,
    pub reason: Option<String>,
}

/// Where an objection stands, by its follow-up code (no login).
#[utoipa::path(post, path = "/api/v1/objections/status", tag = "notices", request_body = FollowUpIn,
    responses((status = 200, body = ObjectionStatusOut), (status = 404, body = ErrorBody)))]
pub(super) async fn objection_status(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<FollowUpIn>,
) -> Result<Json<ObjectionStatusOut>, ApiError> {
    let (status, reason) = acceptance::objection_status(&state.app, &r.code).await?;
    Ok(Json(ObjectionStatusOut { status, reason }))
}

#[derive(Serialize, ToSchema)]
pub struct OpenObjectionOut {
    pub id: i64,
    pub notice: i64,
    pub application: i64,
    pub raised_on: String,
    pub objector: Option<String>,
    pub contact: Option<String>,
    pub content: String,
}

/// The objections the Leading Group has yet to handle.
#[utoipa::path(get, path = "/api/v1/objections", tag = "notices",
    responses((status = 200, body = Vec<OpenObjectionOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn objection_queue(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<OpenObjectionOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let q = acceptance::objection_queue(&state.app, p).await?;
    Ok(Json(
        q.into_iter()
            .map(|o| OpenObjectionOut {
                id: o.id,
                notice: o.notice_id,
                application: o.application_id.0,
                raised_on: o.raised_on.to_string(),
                objector: o.objector_name,
                contact: o.objector_contact,
                content: o.content,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct HandlingIn {
    /// `dismiss`, or `return` / `reject` when the objection is upheld.
    pub decision: String,
    pub reason: String,
}

/// Parses how the Leading Group handles an objection.
pub fn parse_handling(decision: &str) -> Result<Option<Consequence>, AppError> {
    match decision {
        "dismiss" => Ok(None),
        "return" => Ok(Some(Consequence::Return)),
        "reject" => Ok(Some(Consequence::Reject)),
        _ => Err(AppError::invalid(
            "decision",
            "choose dismiss, return or reject",
        )),
    }
}

/// The Leading Group handles an objection (A6).
#[utoipa::path(post, path = "/api/v1/objections/{id}/handling", tag = "notices", params(("id" = i64, Path)), request_body = HandlingIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn handle_objection(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<HandlingIn>,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    acceptance::handle_objection(&state.app, p, id, parse_handling(&r.decision)?, &r.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

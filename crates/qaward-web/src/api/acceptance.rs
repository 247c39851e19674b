//! The Office's API from formal review to acceptance: its queue, written opinions asked of
//! departments and their answers (A16.2), the formal review (A16.1), the acceptance list
//! (A16.3) and acceptance.

use axum::Json;
use axum::http::StatusCode;
use qaward_app::acceptance;
use qaward_domain::application::ReviewStep;
use qaward_domain::ids::ApplicationId;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Created, Id, IdsOut, QueueOut, StateOut};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{AcceptanceListIn, FormalReviewIn, OpinionAnswerIn, OpinionRequestsIn};

#[derive(Serialize, ToSchema)]
pub struct OfficeItemOut {
    pub id: i64,
    pub subject: String,
    #[schema(value_type = crate::codes::ApplicationState)]
    pub state: qaward_domain::application::State,
    pub opinions_requested: usize,
    pub opinions_answered: usize,
    pub opinions_adverse: usize,
    /// Requests past their due date without an answer or the Office's decision.
    pub opinions_late: usize,
    /// Requests the Office proceeded without, after their due date (A16.2).
    pub opinions_proceeded: usize,
    /// It may go on the acceptance list now (formally reviewed, under a version with
    /// that notice).
    pub listable: bool,
    /// The Office may accept it now (on the acceptance list, or formally reviewed under a
    /// version without that notice).
    pub acceptable: bool,
}

/// What waits at the Office.
#[utoipa::path(get, path = "/api/v1/office-queue", tag = "acceptance",
    responses((status = 200, body = QueueOut<OfficeItemOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn office_queue(
    Caller { app, ref p }: Caller,
) -> Result<Json<QueueOut<OfficeItemOut>>, ApiError> {
    let q = acceptance::office_queue(&app, p).await?;
    Ok(QueueOut::of(q, |i| OfficeItemOut {
        id: i.id.0,
        subject: i.subject_name,
        state: i.state,
        opinions_requested: i.opinions_requested,
        opinions_answered: i.opinions_answered,
        opinions_adverse: i.opinions_adverse,
        opinions_late: i.opinions_late,
        opinions_proceeded: i.opinions_proceeded,
        listable: i.listable,
        acceptable: i.acceptable,
    }))
}

/// Ask departments for their written opinions (A16.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/opinion-requests", tag = "acceptance", params(("id" = i64, Path)), request_body = OpinionRequestsIn,
    responses((status = 201, body = IdsOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn request_opinions(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<OpinionRequestsIn>,
) -> Result<(StatusCode, Json<IdsOut>), ApiError> {
    let ids =
        acceptance::request_opinions(&app, p, ApplicationId(id), &r.departments, r.due).await?;
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
    responses((status = 200, body = QueueOut<OpinionItemOut>)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn opinion_queue(
    Caller { app, ref p }: Caller,
) -> Result<Json<QueueOut<OpinionItemOut>>, ApiError> {
    let q = acceptance::opinion_queue(&app, p).await?;
    Ok(QueueOut::of(q, |i| OpinionItemOut {
        id: i.request.id,
        application: i.request.application_id.0,
        subject: i.subject_name,
        department: i.request.dept_id,
        due: i.request.due.to_string(),
        late: i.late,
        answered_at: i.request.answered_at,
        adverse: i.request.adverse,
    }))
}

/// A department answers an opinion request.
#[utoipa::path(post, path = "/api/v1/opinion-requests/{id}/answer", tag = "acceptance", params(("id" = i64, Path)), request_body = OpinionAnswerIn,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn answer_opinion(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<OpinionAnswerIn>,
) -> Result<StatusCode, ApiError> {
    acceptance::answer_opinion(&app, p, id, r.adverse, &r.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The Office's formal review (A16.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/formal-review", tag = "acceptance", params(("id" = i64, Path)), request_body = FormalReviewIn,
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn formal_review(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<FormalReviewIn>,
) -> Result<Json<StateOut>, ApiError> {
    let list = r.checklist();
    let decision = r.decision.with(r.reason);
    let state = qaward_app::review::review(
        &app,
        p,
        ApplicationId(id),
        ReviewStep::Formal,
        &decision,
        &list,
    )
    .await?;
    Ok(Json(StateOut { state }))
}

/// Publish the acceptance list as a public notice (A16.3).
#[utoipa::path(post, path = "/api/v1/acceptance-lists", tag = "acceptance", request_body = AcceptanceListIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn publish(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<AcceptanceListIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let ids: Vec<ApplicationId> = r.applications.iter().map(|i| ApplicationId(*i)).collect();
    let id = acceptance::publish_acceptance_list(&app, p, &ids, r.start, r.end, &r.contact).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Accept an application whose acceptance-list notice has run clear (A16.3).
#[utoipa::path(post, path = "/api/v1/applications/{id}/accept", tag = "acceptance", params(("id" = i64, Path)),
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn accept(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<StateOut>, ApiError> {
    let state = acceptance::accept(&app, p, ApplicationId(id)).await?;
    Ok(Json(StateOut { state }))
}

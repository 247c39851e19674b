//! The evaluation's API for experts and applicants (issue #10; A17.2, A26, A29): the
//! expert's tasks and score sheets, consensus, the visits and sessions, the applicant's
//! exclusion requests and dates, and the step to Evaluated.

use axum::Json;
use axum::http::StatusCode;
use qaward_app::evaluation::{pool, results, sessions, sheets};
use qaward_domain::application::Stage;
use qaward_domain::ids::{ApplicationId, UserId};
use qaward_domain::scoring::Percent;
use serde_json::Value;

use super::{ApiJson, ApiQuery, Caller, Created, Id, PathPair, StateOut, json};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{
    CompleteIn, ConsensusIn, ExclusionDecisionIn, ExclusionIn, MinutesIn, RecordIn, SessionIn,
    SheetIn,
};

/// The expert's tasks: the applications of their panels they are not recused from.
#[utoipa::path(get, path = "/api/v1/evaluation/tasks", tag = "evaluation",
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn tasks(Caller { app, ref p }: Caller) -> Result<Json<Value>, ApiError> {
    Ok(json(&sheets::my_tasks(&app, p).await?))
}

/// The expert's score sheet for an application in a stage, with the rubric, and the
/// other experts' sheets once theirs is submitted (A17.2).
#[utoipa::path(get, path = "/api/v1/applications/{id}/sheets/{stage}", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn get_sheet(
    Caller { app, ref p }: Caller,
    PathPair(raw, s): PathPair<i64, Stage>,
) -> Result<Json<Value>, ApiError> {
    let id = ApplicationId(raw);
    Ok(json(&sheets::sheet(&app, p, id, s).await?))
}

/// Save the sheet as a draft, or submit it (`submit`: sealed from then on); a submitted
/// sheet changes only with a `reason`, kept in its history (A26).
#[utoipa::path(put, path = "/api/v1/applications/{id}/sheets/{stage}", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)), request_body = SheetIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn put_sheet(
    Caller { app, ref p }: Caller,
    PathPair(raw, s): PathPair<i64, Stage>,
    ApiJson(r): ApiJson<SheetIn>,
) -> Result<StatusCode, ApiError> {
    let id = ApplicationId(raw);
    let items = r.items()?;
    match &r.reason {
        Some(reason) => sheets::amend_sheet(&app, p, id, s, &items, reason).await?,
        None => sheets::save_sheet(&app, p, id, s, &items, r.submit).await?,
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Record the consensus score of a flagged item (the panel leader, A17.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/consensus/{stage}", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)), request_body = ConsensusIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn consensus(
    Caller { app, ref p }: Caller,
    PathPair(raw, s): PathPair<i64, Stage>,
    ApiJson(r): ApiJson<ConsensusIn>,
) -> Result<StatusCode, ApiError> {
    let id = ApplicationId(raw);
    let percent = Percent::new(r.percent).map_err(qaward_app::AppError::from)?;
    sheets::record_consensus(&app, p, id, s, &r.item, percent, &r.reasoning).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Schedule (or move) the application's visit or session (the Office or the agency).
#[utoipa::path(put, path = "/api/v1/applications/{id}/sessions/{stage}", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)), request_body = SessionIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn schedule(
    Caller { app, ref p }: Caller,
    PathPair(raw, s): PathPair<i64, Stage>,
    ApiJson(r): ApiJson<SessionIn>,
) -> Result<StatusCode, ApiError> {
    let id = ApplicationId(raw);
    let team = r.team.iter().copied().map(UserId).collect();
    sessions::schedule(&app, p, id, s, r.on_date, &r.place, team).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record who attended a visit or session for the applicant and the questions asked.
#[utoipa::path(put, path = "/api/v1/applications/{id}/sessions/{stage}/minutes", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)), request_body = MinutesIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn minutes(
    Caller { app, ref p }: Caller,
    PathPair(raw, s): PathPair<i64, Stage>,
    ApiJson(r): ApiJson<MinutesIn>,
) -> Result<StatusCode, ApiError> {
    let id = ApplicationId(raw);
    let questions = r.questions.unwrap_or_default();
    sessions::record_minutes(&app, p, id, s, &r.attendance, &questions).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Attach a record of the visit or session (a photo, the minutes) as the raw body, its
/// file name in the query (the Office or the agency, A17.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/sessions/{stage}/records", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path), RecordIn),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn attach_record(
    Caller { app, ref p }: Caller,
    PathPair(raw, s): PathPair<i64, Stage>,
    ApiQuery(q): ApiQuery<RecordIn>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let filename = q.filename.unwrap_or_default();
    let stream = crate::body::stream(body);
    let n = sessions::attach_record(&app, p, ApplicationId(raw), s, &filename, stream).await?;
    Ok((StatusCode::CREATED, Json(Created { id: n })))
}

/// The application's visits and sessions: dates, places, teams — no scores.
#[utoipa::path(get, path = "/api/v1/applications/{id}/visits", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn visits(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&sessions::visits(&app, p, ApplicationId(id)).await?))
}

/// Ask that a named expert be kept off the application's evaluation (the applicant, A29).
#[utoipa::path(post, path = "/api/v1/applications/{id}/exclusions", tag = "evaluation", params(("id" = i64, Path)), request_body = ExclusionIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn request_exclusion(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ExclusionIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let employer = r.expert_employer.unwrap_or_default();
    let n = pool::request_exclusion(
        &app,
        p,
        ApplicationId(id),
        &r.expert_name,
        &employer,
        &r.reason,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: n })))
}

/// The application's exclusion requests (its applicant, the Office).
#[utoipa::path(get, path = "/api/v1/applications/{id}/exclusions", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn exclusions(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(
        &pool::exclusion_requests(&app, p, ApplicationId(id)).await?,
    ))
}

/// Decide an exclusion request (the Office): upheld with the pool's expert, or dismissed.
#[utoipa::path(post, path = "/api/v1/exclusions/{id}/decision", tag = "evaluation", params(("id" = i64, Path)), request_body = ExclusionDecisionIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn decide_exclusion(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ExclusionDecisionIn>,
) -> Result<StatusCode, ApiError> {
    pool::decide_exclusion(&app, p, id, r.expert()?, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Complete the evaluation of applications once every stage is complete: each moves to
/// Evaluated with its final score (all of them, or none).
#[utoipa::path(post, path = "/api/v1/evaluation/complete", tag = "evaluation", request_body = CompleteIn,
    responses((status = 200, body = Vec<StateOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn complete(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<CompleteIn>,
) -> Result<Json<Vec<StateOut>>, ApiError> {
    let ids: Vec<ApplicationId> = r.applications.iter().copied().map(ApplicationId).collect();
    let states = results::complete(&app, p, &ids).await?;
    Ok(Json(
        states.into_iter().map(|state| StateOut { state }).collect(),
    ))
}

//! The evaluation's API for those who run and oversee it (issue #10; A17.1, A17.3): the
//! expert pool, the plan, the stages, panels and their draws, observations, results and
//! the supervision group's record. The experts' and applicants' part is in
//! [`super::scoring`].

use axum::Json;
use axum::http::StatusCode;
use qaward_app::evaluation::{panels, plan, pool, results};
use qaward_domain::application::Stage;
use qaward_domain::ids::{CycleId, UserId};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Created, Id, Ids, PathPair, json};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{
    AnswerIn, AssignIn, ContributionIn, DrawIn, DueIn, EntrustIn, ExpertIn, MemberIn,
    ObservationIn, PanelIn, PlanIn,
};

/// The expert pool with contacts (the Office; the supervision group reads it).
#[utoipa::path(get, path = "/api/v1/experts", tag = "evaluation",
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn experts(Caller { app, ref p }: Caller) -> Result<Json<Value>, ApiError> {
    Ok(json(&pool::experts(&app, p).await?))
}

/// Add an account with the expert role to the pool, or update its entry (the Office).
#[utoipa::path(post, path = "/api/v1/experts", tag = "evaluation", request_body = ExpertIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn put_expert(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<ExpertIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let username = r.username.clone();
    let id = pool::put_expert(&app, p, &username, &r.input()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// The cycle's evaluation plan, with its amendments and stages (the Office, the agency,
/// the supervision group, and the experts on its panels).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/plan", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn get_plan(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&plan::view(&app, p, CycleId(id)).await?))
}

/// Set the cycle's evaluation plan, or amend it: after scoring opened, only with a
/// `reason`, which the supervision group sees (A17.1).
#[utoipa::path(put, path = "/api/v1/cycles/{id}/plan", tag = "evaluation", params(("id" = i64, Path)), request_body = PlanIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn set_plan(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<PlanIn>,
) -> Result<StatusCode, ApiError> {
    plan::set_plan(&app, p, CycleId(id), &r.plan()?, r.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open a stage: the first freezes the plan; each needs the one before complete (A17.2).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/stages/{stage}/open", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn open_stage(
    Caller { app, ref p }: Caller,
    PathPair(c, s): PathPair<i64, Stage>,
) -> Result<StatusCode, ApiError> {
    plan::open_stage(&app, p, CycleId(c), s).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Complete a stage: every sheet in, every flagged item agreed, every visit scheduled.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/stages/{stage}/complete", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn complete_stage(
    Caller { app, ref p }: Caller,
    PathPair(c, s): PathPair<i64, Stage>,
) -> Result<StatusCode, ApiError> {
    plan::complete_stage(&app, p, CycleId(c), s).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set the day an open stage's sheets are due (the Office or the agency).
#[utoipa::path(put, path = "/api/v1/cycles/{id}/stages/{stage}/due", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)), request_body = DueIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn stage_due(
    Caller { app, ref p }: Caller,
    PathPair(c, s): PathPair<i64, Stage>,
    ApiJson(r): ApiJson<DueIn>,
) -> Result<StatusCode, ApiError> {
    plan::set_stage_due(&app, p, CycleId(c), s, r.due).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign a completed stage off (the supervision group, A17.3).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/stages/{stage}/sign-off", tag = "evaluation",
    params(("id" = i64, Path), ("stage" = crate::codes::EvaluationStage, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn sign_off(
    Caller { app, ref p }: Caller,
    PathPair(c, s): PathPair<i64, Stage>,
) -> Result<StatusCode, ApiError> {
    plan::sign_off_stage(&app, p, CycleId(c), s).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The cycle's panels with their members and draws (records without the seed until drawn).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/panels", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn list_panels(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    let list = panels::panels(&app, p, CycleId(id)).await?;
    let out: Vec<Value> = list
        .into_iter()
        .map(|(panel, draws)| serde_json::json!({ "panel": panel, "draws": draws }))
        .collect();
    Ok(Json(Value::Array(out)))
}

/// Create a panel for a field (the Office or the agency).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/panels", tag = "evaluation", params(("id" = i64, Path)), request_body = PanelIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn create_panel(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<PanelIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let panel = panels::create_panel(&app, p, CycleId(id), &r.name, &r.field).await?;
    Ok((StatusCode::CREATED, Json(Created { id: panel })))
}

/// Put accepted applications on a panel, before scoring opens.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/panels/{panel}/applications", tag = "evaluation",
    params(("id" = i64, Path), ("panel" = i64, Path)), request_body = AssignIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn assign(
    Caller { app, ref p }: Caller,
    PathPair(c, panel): Ids,
    ApiJson(r): ApiJson<AssignIn>,
) -> Result<StatusCode, ApiError> {
    panels::assign(&app, p, CycleId(c), panel, &r.ids()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Name a member the panel's leader.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/panels/{panel}/leader", tag = "evaluation",
    params(("id" = i64, Path), ("panel" = i64, Path)), request_body = MemberIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn leader(
    Caller { app, ref p }: Caller,
    PathPair(c, panel): Ids,
    ApiJson(r): ApiJson<MemberIn>,
) -> Result<StatusCode, ApiError> {
    panels::set_leader(&app, p, CycleId(c), panel, UserId(r.expert)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record that a member leaves the panel (declined), with the reason.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/panels/{panel}/leave", tag = "evaluation",
    params(("id" = i64, Path), ("panel" = i64, Path)), request_body = MemberIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn leave(
    Caller { app, ref p }: Caller,
    PathPair(c, panel): Ids,
    ApiJson(r): ApiJson<MemberIn>,
) -> Result<StatusCode, ApiError> {
    let reason = r.reason.unwrap_or_default();
    panels::leave(&app, p, CycleId(c), panel, UserId(r.expert), &reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Commit to a draw for the panel: its first, or a replacement (A17.1).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/panels/{panel}/draws", tag = "evaluation",
    params(("id" = i64, Path), ("panel" = i64, Path)), request_body = DrawIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn commit_draw(
    Caller { app, ref p }: Caller,
    PathPair(c, panel): Ids,
    ApiJson(r): ApiJson<DrawIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = panels::commit_draw(&app, p, CycleId(c), panel, r.replaces.map(UserId)).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A draw's record, as `qaward draw verify` reads it.
#[utoipa::path(get, path = "/api/v1/cycles/{id}/draws/{draw}", tag = "evaluation",
    params(("id" = i64, Path), ("draw" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn draw_record(
    Caller { app, ref p }: Caller,
    PathPair(c, d): Ids,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&panels::draw_record(&app, p, CycleId(c), d).await?))
}

/// The supervision group's value for a committed draw (A17.3).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/draws/{draw}/contribution", tag = "evaluation",
    params(("id" = i64, Path), ("draw" = i64, Path)), request_body = ContributionIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn contribute(
    Caller { app, ref p }: Caller,
    PathPair(c, d): Ids,
    ApiJson(r): ApiJson<ContributionIn>,
) -> Result<StatusCode, ApiError> {
    panels::contribute(&app, p, CycleId(c), d, &r.value).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Make the draw: the seed revealed, the panel drawn and seated. Returns the experts drawn.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/draws/{draw}/draw", tag = "evaluation",
    params(("id" = i64, Path), ("draw" = i64, Path)),
    responses((status = 200, body = Vec<i64>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn make_draw(
    Caller { app, ref p }: Caller,
    PathPair(c, d): Ids,
) -> Result<Json<Vec<i64>>, ApiError> {
    let drawn = panels::make_draw(&app, p, CycleId(c), d).await?;
    Ok(Json(drawn.into_iter().map(|u| u.0).collect()))
}

/// Record an observation on the evaluation (the supervision group, A17.3).
#[utoipa::path(post, path = "/api/v1/cycles/{id}/observations", tag = "evaluation", params(("id" = i64, Path)), request_body = ObservationIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn observe(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ObservationIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let n = plan::observe(&app, p, CycleId(id), r.stage, &r.body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: n })))
}

/// Answer an observation of the supervision group (the Office), once.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/observations/{observation}/answer", tag = "evaluation",
    params(("id" = i64, Path), ("observation" = i64, Path)), request_body = AnswerIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn answer(
    Caller { app, ref p }: Caller,
    PathPair(c, n): Ids,
    ApiJson(r): ApiJson<AnswerIn>,
) -> Result<StatusCode, ApiError> {
    plan::answer_observation(&app, p, CycleId(c), n, &r.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One line of the ranked results.
#[derive(Serialize, ToSchema)]
pub struct RankedOut {
    pub application: i64,
    pub subject: String,
    pub rank: u32,
    /// Two decimal places, as text.
    pub score: String,
    #[schema(value_type = Option<crate::codes::AwardLevel>)]
    pub level: Option<qaward_domain::policy::Level>,
    /// The plan's stages, their expert totals and aggregates, the consensus scores used.
    #[schema(value_type = Object)]
    pub derivation: Value,
}

/// The cycle's results, ranked, with each score's derivation.
#[utoipa::path(get, path = "/api/v1/cycles/{id}/results", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RankedOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn ranked(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Vec<RankedOut>>, ApiError> {
    let list = results::results(&app, p, CycleId(id)).await?;
    Ok(Json(
        list.into_iter()
            .map(|r| RankedOut {
                application: r.application.0,
                subject: r.subject,
                rank: r.rank,
                score: r.score.to_string(),
                level: r.level,
                derivation: r.derivation,
            })
            .collect(),
    ))
}

/// Everything of the cycle's evaluation (the supervision group, the Office, the agency).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/evaluation-record", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&results::record(&app, p, CycleId(id)).await?))
}

/// The agencies entrusted with the cycle, with their documents (A9.2).
#[utoipa::path(get, path = "/api/v1/cycles/{id}/entrustments", tag = "evaluation", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn entrustments(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    Ok(json(&pool::entrustments(&app, p, CycleId(id)).await?))
}

/// Entrust an agency's staff account with the cycle's evaluation work, by a document (the
/// Office, A9.2): the account gets the agency role for this cycle.
#[utoipa::path(post, path = "/api/v1/cycles/{id}/entrustments", tag = "evaluation", params(("id" = i64, Path)), request_body = EntrustIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn entrust(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<EntrustIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let user = pool::entrust(&app, p, CycleId(id), &r.agency, &r.document).await?;
    Ok((StatusCode::CREATED, Json(Created { id: user.0 })))
}

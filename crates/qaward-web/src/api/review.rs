//! The channel's API: its queue, the review with its checklist (A15.1), and the
//! recommendation to the Office (A15.2, A15.3) or the refusal to recommend.

use axum::Json;
use qaward_app::review;
use qaward_domain::application::ReviewStep;
use qaward_domain::ids::ApplicationId;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Id, QueueOut, StateOut};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{ChannelReviewIn, DeclineIn, RecommendIn};

/// The channel's review (A15.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/channel-review", tag = "review", params(("id" = i64, Path)), request_body = ChannelReviewIn,
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn channel_review(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ChannelReviewIn>,
) -> Result<Json<StateOut>, ApiError> {
    let list = r.checklist();
    let decision = r.decision.with(r.reason);
    let state = review::review(
        &app,
        p,
        ApplicationId(id),
        ReviewStep::Channel,
        &decision,
        &list,
    )
    .await?;
    Ok(Json(StateOut { state }))
}

/// Decline to recommend a passed application: return it for correction or reject it,
/// with the reason (A15.2, A15.3).
#[utoipa::path(post, path = "/api/v1/applications/{id}/decline", tag = "review", params(("id" = i64, Path)), request_body = DeclineIn,
    responses((status = 200, body = StateOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn decline(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<DeclineIn>,
) -> Result<Json<StateOut>, ApiError> {
    let decision = r.decision.with(r.reason);
    let state = review::decline(&app, p, ApplicationId(id), &decision).await?;
    Ok(Json(StateOut { state }))
}

#[derive(Serialize, ToSchema)]
pub struct RecommendedOut {
    pub applications: Vec<i64>,
}

/// Recommend passed applications to the Office (A15.2 in a batch, A15.3 directly).
#[utoipa::path(post, path = "/api/v1/recommendations", tag = "review", request_body = RecommendIn,
    responses((status = 200, body = RecommendedOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn recommend(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<RecommendIn>,
) -> Result<Json<RecommendedOut>, ApiError> {
    let ids: Vec<ApplicationId> = r.applications.iter().map(|i| ApplicationId(*i)).collect();
    review::recommend(&app, p, &ids).await?;
    Ok(Json(RecommendedOut {
        applications: r.applications,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct QueueItemOut {
    pub id: i64,
    pub subject: String,
    #[schema(value_type = crate::codes::ApplicationState)]
    pub state: qaward_domain::application::State,
    pub submitted_at: Option<String>,
}

/// What waits at the viewer's channels.
#[utoipa::path(get, path = "/api/v1/channel-queue", tag = "review",
    responses((status = 200, body = QueueOut<QueueItemOut>)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn channel_queue(
    Caller { app, ref p }: Caller,
) -> Result<Json<QueueOut<QueueItemOut>>, ApiError> {
    let q = review::channel_queue(&app, p).await?;
    Ok(QueueOut::of(q, |i| QueueItemOut {
        id: i.id.0,
        subject: i.subject_name,
        state: i.state,
        submitted_at: i.submitted_at,
    }))
}

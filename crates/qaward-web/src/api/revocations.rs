//! The API of revocation (issue #12; A28): the desk, the Office's request, the
//! Government's decision, the return and the recovery, and the public list. The pages'
//! twins are in `pages::revocations`; both call the same use cases with the same inputs.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qaward_app::revocation::announcement::{self, Announcement};
use qaward_app::revocation::{self, DecisionIn, Desk, Published};
use qaward_domain::ids::ApplicationId;

use super::{ApiJson, Caller, Created, Id};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{RecoveryIn, RevocationDecisionIn, RevocationRequestIn, RevocationReturnIn};

/// The revocation desk: the awards that stand (for the Office) and every request with its
/// decision, return and recovery (the Office, the Government, the supervision group).
#[utoipa::path(get, path = "/api/v1/revocations", tag = "revocations",
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn revocation_desk(Caller { app, ref p }: Caller) -> Result<Json<Desk>, ApiError> {
    Ok(Json(revocation::desk(&app, p).await?))
}

/// The Office asks the Government to revoke the award of application `id` (A28.1).
#[utoipa::path(post, path = "/api/v1/applications/{id}/revocation-requests", tag = "revocations", params(("id" = i64, Path)), request_body = RevocationRequestIn,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn request_revocation(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<RevocationRequestIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let q = revocation::request(&app, p, ApplicationId(id), &r.into()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: q })))
}

/// The Government decides on revocation request `id`: revoke (number and date) or refuse
/// (reason). Only this revokes; a decided request takes no second decision (A28.1).
#[utoipa::path(post, path = "/api/v1/revocation-requests/{id}/decision", tag = "revocations", params(("id" = i64, Path)), request_body = RevocationDecisionIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn decide_revocation(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<RevocationDecisionIn>,
) -> Result<StatusCode, ApiError> {
    revocation::decide(&app, p, id, &DecisionIn::try_from(r)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The plaque and the certificate of revoked application `id` taken back (A28.2).
#[utoipa::path(post, path = "/api/v1/applications/{id}/revocation/return", tag = "revocations", params(("id" = i64, Path)), request_body = RevocationReturnIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record_revocation_return(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<RevocationReturnIn>,
) -> Result<StatusCode, ApiError> {
    revocation::record_return(&app, p, ApplicationId(id), r.returned_on, &r.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Prize money of revoked application `id` recovered (A28.2): never more than was paid.
#[utoipa::path(post, path = "/api/v1/applications/{id}/revocation/recovery", tag = "revocations", params(("id" = i64, Path)), request_body = RecoveryIn,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn record_prize_recovery(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<RecoveryIn>,
) -> Result<StatusCode, ApiError> {
    revocation::record_recovery(
        &app,
        p,
        ApplicationId(id),
        r.amount_yuan,
        r.recovered_on,
        &r.voucher,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The revocations decided, newest first (anyone; A28.2).
#[utoipa::path(get, path = "/api/v1/revocations/published", tag = "revocations",
    responses((status = 200, body = Vec<Object>)))]
pub(super) async fn published_revocations(
    State(AppState { app, .. }): State<AppState>,
) -> Result<Json<Vec<Published>>, ApiError> {
    Ok(Json(revocation::published(&app).await?))
}

/// A revocation's announcement (anyone; A28.2): the decision made public, with its text in
/// Chinese as issued. Unknown unless the Government revoked the award.
#[utoipa::path(get, path = "/api/v1/revocations/published/{id}", tag = "revocations", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub(super) async fn revocation_announcement(
    State(AppState { app, .. }): State<AppState>,
    Id(id): Id,
) -> Result<Json<Announcement>, ApiError> {
    Ok(Json(announcement::announcement(&app, id).await?))
}

//! Managing other people's accounts (admins): take a role away, deactivate or reactivate,
//! reset a password, end the sessions. No one manages their own account.

use axum::Json;
use axum::http::StatusCode;
use qaward_app::accounts;
use qaward_domain::ids::UserId;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller, Id};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{ActiveIn, GrantIn, PasswordIn};

/// Take a role away from someone else's account; their sessions end (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/grants/revocation", tag = "accounts", params(("id" = i64, Path)), request_body = GrantIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn remove_grant(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(g): ApiJson<GrantIn>,
) -> Result<StatusCode, ApiError> {
    let grant = g.grant()?;
    accounts::remove_grant(&app, p, UserId(id), &grant).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deactivate (`active: false`) or reactivate someone else's account (admins). A
/// deactivated account cannot log in, and its sessions and tokens stop working.
#[utoipa::path(post, path = "/api/v1/users/{id}/active", tag = "accounts", params(("id" = i64, Path)), request_body = ActiveIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn set_active(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<ActiveIn>,
) -> Result<StatusCode, ApiError> {
    accounts::set_active(&app, p, UserId(id), r.active).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set a new password for someone else's account; their sessions end (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "accounts", params(("id" = i64, Path)), request_body = PasswordIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn reset_password(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<PasswordIn>,
) -> Result<StatusCode, ApiError> {
    accounts::reset_password(&app, p, UserId(id), &r.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SessionsEndedOut {
    /// How many sessions were ended.
    pub ended: u64,
}

/// End every session of someone else's account (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/sessions/end", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = SessionsEndedOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn end_sessions(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<Json<SessionsEndedOut>, ApiError> {
    let ended = accounts::end_sessions(&app, p, UserId(id)).await?;
    Ok(Json(SessionsEndedOut { ended }))
}

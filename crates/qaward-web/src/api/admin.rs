//! Accounts, grants and tokens (admins), the e-mail outbox, and the cycles with their
//! dashboard (the Office).

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use qaward_app::accounts::{self, NewStaff};
use qaward_app::{AppError, auth};
use qaward_domain::ids::UserId;
use qaward_domain::permission::UserKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::session::GrantView;
use super::{ApiJson, ApiQuery, Caller, Created, Id};
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{CreateUserIn, CycleIn, FindUsersIn, GrantIn, TokenIn};

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[schema(value_type = crate::codes::UserKind)]
    pub kind: UserKind,
    pub active: bool,
    pub grants: Vec<GrantView>,
}

/// Every account, or those whose login or display name contains `q` (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(FindUsersIn), responses((status = 200, body = Vec<UserOut>), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn list_users(
    Caller { app, ref p }: Caller,
    ApiQuery(q): ApiQuery<FindUsersIn>,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    let users = accounts::find_users(&app, p, q.q.as_deref().unwrap_or("")).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|(u, g)| UserOut {
                id: u.id.0,
                username: u.username,
                display_name: u.display_name,
                kind: u.kind,
                active: u.active,
                grants: g.iter().map(GrantView::from).collect(),
            })
            .collect(),
    ))
}

/// Create a staff account with its grants (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = CreateUserIn,
    responses((status = 201, body = UserOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn create_user(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<CreateUserIn>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let grants = r.grants()?;
    let (u, grants) = accounts::create_staff(
        &app,
        p,
        &NewStaff {
            username: r.username,
            display_name: r.display_name,
            password: r.password,
            email: r.email,
            grants,
            service: r.service,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserOut {
            id: u.id.0,
            username: u.username,
            display_name: u.display_name,
            kind: u.kind,
            active: u.active,
            grants: grants.iter().map(GrantView::from).collect(),
        }),
    ))
}

/// Grant a role to a staff account (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/grants", tag = "accounts", params(("id" = i64, Path)), request_body = GrantIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn add_grant(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(g): ApiJson<GrantIn>,
) -> Result<StatusCode, ApiError> {
    let grant = g.grant()?;
    accounts::add_grant(&app, p, UserId(id), &grant).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    /// Shown once: send as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Issue an API token for an account (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "accounts", params(("id" = i64, Path)), request_body = TokenIn,
    responses((status = 201, body = TokenOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn issue_token(
    Caller { app, ref p }: Caller,
    Id(id): Id,
    ApiJson(r): ApiJson<TokenIn>,
) -> Result<(StatusCode, Json<TokenOut>), ApiError> {
    let (id, token) = auth::issue_token(&app, p, UserId(id), &r.name, r.days).await?;
    Ok((StatusCode::CREATED, Json(TokenOut { id, token })))
}

/// An API token as the administrators' list shows it (never the token).
#[derive(Serialize, ToSchema)]
pub struct TokenInfoOut {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// Every API token, newest first (admins; the read is audited).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", responses((status = 200, body = Vec<TokenInfoOut>), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn list_tokens(
    Caller { app, ref p }: Caller,
) -> Result<Json<Vec<TokenInfoOut>>, ApiError> {
    let tokens = accounts::tokens(&app, p).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenInfoOut {
                id: t.id,
                user_id: t.user_id.0,
                username: t.username,
                name: t.name,
                created_at: t.created_at,
                expires_at: t.expires_at,
                revoked_at: t.revoked_at,
            })
            .collect(),
    ))
}

/// Revoke an API token (admins).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn revoke_token(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    auth::revoke_token(&app, p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct OutboxOut {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// The e-mail outbox (admins).
#[utoipa::path(get, path = "/api/v1/outbox", tag = "accounts",
    responses((status = 200, body = Vec<OutboxOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn outbox(
    Caller { app, ref p }: Caller,
) -> Result<Json<Vec<OutboxOut>>, ApiError> {
    let list = qaward_app::notify::outbox(&app, p).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| OutboxOut {
                id: m.id,
                to: m.to_address,
                subject: m.subject,
                created_at: m.created_at,
                sent_at: m.sent_at,
            })
            .collect(),
    ))
}

/// Open the next cycle (the Office), under the policy in force (A4.2, A33, A34).
#[utoipa::path(post, path = "/api/v1/cycles", tag = "cycles", request_body = CycleIn,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn open_cycle(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<CycleIn>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = qaward_app::cycles::open_cycle(&app, p, r.cycle(), r.timeline()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

#[derive(Serialize, ToSchema)]
pub struct OverdueOut {
    pub application: i64,
    pub subject: String,
    pub why: String,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardOut {
    pub cycle: u32,
    pub year: i32,
    pub total: usize,
    /// Applications per state code.
    pub by_state: BTreeMap<String, usize>,
    pub by_channel: BTreeMap<String, usize>,
    pub by_county: BTreeMap<String, usize>,
    pub overdue: Vec<OverdueOut>,
}

/// Where the newest cycle's applications stand (the Office, supervisors, the Leading
/// Group, the Government).
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "cycles",
    responses((status = 200, body = DashboardOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn dashboard(
    Caller { app, ref p }: Caller,
) -> Result<Json<DashboardOut>, ApiError> {
    let d = qaward_app::cycles::dashboard(&app, p)
        .await?
        .ok_or_else(|| AppError::NotFound("no cycle has been opened".into()))?;
    Ok(Json(DashboardOut {
        cycle: d.cycle.cycle.ordinal,
        year: d.cycle.cycle.year,
        total: d.total,
        by_state: d.by_state,
        by_channel: d.by_channel,
        by_county: d.by_county,
        overdue: d
            .overdue
            .into_iter()
            .map(|o| OverdueOut {
                application: o.application.0,
                subject: o.subject,
                why: o.why,
            })
            .collect(),
    }))
}

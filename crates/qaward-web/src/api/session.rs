//! Sessions, the logged-in account, notifications, and applicants' registration.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use qaward_app::accounts::{self, Registration};
use qaward_app::{Principal, auth};
use qaward_domain::permission::{Grant, UserKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, Caller, Id};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{LoginIn, OrgRegistrationIn, PersonRegistrationIn};
use crate::session::{Viewer, clear_session_cookie, session_cookie};

/// A grant as the API shows it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GrantView {
    #[schema(value_type = crate::codes::Role)]
    pub role: qaward_domain::permission::Role,
    /// `county:xinfu`, `industry:industry-it`, `opinion-dept:tax`, `cycles:1,2`,
    /// `subject:5`, `program` or `installation`.
    pub scope: String,
    /// The number of the program the role holds in; absent for a role bound to none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<i64>,
}

impl From<&Grant> for GrantView {
    fn from(g: &Grant) -> Self {
        GrantView {
            role: g.role,
            scope: g.scope.to_string(),
            program: g.program.map(|p| p.0),
        }
    }
}

/// The logged-in account.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[schema(value_type = crate::codes::UserKind)]
    pub kind: UserKind,
    pub subject_id: Option<i64>,
    pub grants: Vec<GrantView>,
}

impl From<&Principal> for Me {
    fn from(p: &Principal) -> Self {
        Me {
            id: p.user.id.0,
            username: p.user.username.clone(),
            display_name: p.user.display_name.clone(),
            kind: p.user.kind,
            subject_id: p.user.subject_id.map(|s| s.0),
            grants: p.grants.iter().map(GrantView::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: Me,
    /// Send this in `X-CSRF-Token` with every change made with the session cookie.
    pub csrf_token: String,
}

/// Log in: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginIn,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<LoginIn>,
) -> Result<Response, ApiError> {
    let app = &state.app;
    let ok = auth::login(app, &r.username, &r.password, &viewer.address).await?;
    if let (Some(p), Some(t)) = (viewer.principal(), viewer.session_token.as_deref()) {
        let _ = auth::logout(app, p, t).await;
    }
    let body = LoginResponse {
        user: Me::from(&ok.principal),
        csrf_token: ok.principal.csrf.clone().unwrap_or_default(),
    };
    let mut resp = Json(body).into_response();
    let secs = app.settings.session_hours * 3600;
    resp.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&ok.token, secs, state.config.secure_cookies),
    );
    Ok(resp)
}

/// Log out: ends the session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204), (status = 401, body = ErrorBody)))]
pub(super) async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, ApiError> {
    let p = viewer.require()?;
    if let Some(t) = viewer.session_token.as_deref() {
        auth::logout(&state.app, p, t).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        clear_session_cookie(state.config.secure_cookies),
    );
    Ok(resp)
}

/// Who is logged in.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn me(Caller { ref p, .. }: Caller) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me::from(p)))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationOut {
    pub id: i64,
    pub text: String,
    pub link: String,
    pub created_at: String,
    pub read: bool,
}

/// The viewer's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "session",
    responses((status = 200, body = Vec<NotificationOut>)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn notifications(
    Caller { app, ref p }: Caller,
) -> Result<Json<Vec<NotificationOut>>, ApiError> {
    let list = qaward_app::notify::list(&app, p).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| NotificationOut {
                id: n.id,
                text: n.text,
                link: n.link,
                created_at: n.created_at,
                read: n.read,
            })
            .collect(),
    ))
}

/// Mark a notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "session", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub(super) async fn mark_read(
    Caller { app, ref p }: Caller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    qaward_app::notify::mark_read(&app, p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub user_id: i64,
    pub subject_id: Option<i64>,
}

/// Register an organization and its account.
#[utoipa::path(post, path = "/api/v1/register/organization", tag = "register", request_body = OrgRegistrationIn,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn register_organization(
    State(AppState { app, .. }): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<OrgRegistrationIn>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let reg = r.into();
    let u = accounts::register(&app, Registration::Organization(&reg), &viewer.address).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            user_id: u.id.0,
            subject_id: u.subject_id.map(|s| s.0),
        }),
    ))
}

/// Register a person and their account.
#[utoipa::path(post, path = "/api/v1/register/person", tag = "register", request_body = PersonRegistrationIn,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn register_person(
    State(AppState { app, .. }): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<PersonRegistrationIn>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let reg = r.into();
    let u = accounts::register(&app, Registration::Person(&reg), &viewer.address).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            user_id: u.id.0,
            subject_id: u.subject_id.map(|s| s.0),
        }),
    ))
}

//! The JSON API under `/api/v1`: the same use cases as the pages, with the same
//! permission checks, authenticated by the session cookie (with the `X-CSRF-Token` header
//! on changes) or by an admin-issued bearer token. Each handler carries its
//! `#[utoipa::path]`, and the router is built from them, so `/api/openapi.json` lists
//! exactly the routes that exist.

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use qaward_app::accounts::{self, NewStaff, OrgRegistration, PersonRegistration, Registration};
use qaward_app::{AppError, Principal, auth, files, subjects};
use qaward_domain::ids::{SubjectId, UserId};
use qaward_domain::permission::{Perm, Target};
use qaward_store::audit::{self, NewEntry};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod acceptance;
mod applications;

pub use acceptance::parse_handling;
pub use applications::{parse_channel, parse_decision};

use crate::AppState;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::session::{Viewer, clear_session_cookie, session_cookie};

#[derive(OpenApi)]
#[openapi(
    info(title = "qaward API", description = "The JSON API of qaward, the system that runs the Xinzhou Mayor's Quality Award."),
    modifiers(&Security),
    tags((name = "session"), (name = "register"), (name = "subjects"), (name = "accounts"), (name = "files"), (name = "audit"),
         (name = "applications"), (name = "review"), (name = "acceptance"), (name = "notices"), (name = "cycles"))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::session::SESSION_COOKIE,
            ))),
        );
    }
}

/// The API's routes and their OpenAPI document.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(login, logout))
        .routes(routes!(me))
        .routes(routes!(register_organization))
        .routes(routes!(register_person))
        .routes(routes!(get_subject))
        .routes(routes!(record_award))
        .routes(routes!(declare_interest))
        .routes(routes!(interests))
        .routes(routes!(open_cycle))
        .routes(routes!(dashboard))
        .routes(routes!(notifications))
        .routes(routes!(mark_read))
        .routes(routes!(outbox))
        .routes(routes!(list_users, create_user))
        .routes(routes!(add_grant))
        .routes(routes!(issue_token))
        .routes(routes!(revoke_token))
        .routes(routes!(upload_file))
        .routes(routes!(audit_log))
        .routes(routes!(audit_verify_chain))
        .routes(routes!(applications::start_application))
        .routes(routes!(
            applications::get_application,
            applications::save_draft
        ))
        .routes(routes!(applications::attach))
        .routes(routes!(applications::download))
        .routes(routes!(applications::in_unit_notice))
        .routes(routes!(applications::in_unit_objection))
        .routes(routes!(applications::settle_objection))
        .routes(routes!(applications::submit))
        .routes(routes!(applications::withdraw))
        .routes(routes!(applications::resubmit))
        .routes(routes!(applications::channel_review))
        .routes(routes!(applications::recommend))
        .routes(routes!(applications::channel_queue))
        .routes(routes!(acceptance::office_queue))
        .routes(routes!(acceptance::request_opinions))
        .routes(routes!(acceptance::opinion_queue))
        .routes(routes!(acceptance::answer_opinion))
        .routes(routes!(acceptance::formal_review))
        .routes(routes!(acceptance::publish))
        .routes(routes!(acceptance::accept))
        .routes(routes!(acceptance::notices))
        .routes(routes!(acceptance::notice))
        .routes(routes!(acceptance::raise_objection))
        .routes(routes!(acceptance::objection_status))
        .routes(routes!(acceptance::objection_queue))
        .routes(routes!(acceptance::handle_objection))
}

/// JSON input whose rejection is a JSON error naming the problem.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| ApiJson(v))
            .map_err(|e| ApiError(WebError::new(e.status(), "malformed", e.body_text())))
    }
}

/// A query string whose rejection is a JSON error.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| {
                ApiError(WebError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed",
                    e.body_text(),
                ))
            })
    }
}

/// A numeric id in the path, or 404.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                ApiError(WebError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    e.body_text(),
                ))
            })?;
        raw.parse().map(Id).map_err(|_| {
            ApiError(WebError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no object with id `{raw}`"),
            ))
        })
    }
}

pub(crate) fn viewer_of(viewer: &Viewer) -> Result<&Principal, ApiError> {
    Ok(viewer.require()?)
}

// ---- session --------------------------------------------------------------------------

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A grant as the API shows it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GrantView {
    /// A role of DESIGN.md §1: `office`, `county-reviewer`, …
    pub role: String,
    /// `county:xinfu`, `industry:industry-it`, `opinion-dept:tax`, `cycles:1,2`,
    /// `subject:5`; empty for the program or the installation.
    #[serde(default)]
    pub scope: String,
}

impl From<&qaward_domain::permission::Grant> for GrantView {
    fn from(g: &qaward_domain::permission::Grant) -> Self {
        let line = crate::pages::grant_line(g);
        let scope = line.split_once(" · ").map(|(_, s)| s).unwrap_or("");
        GrantView {
            role: g.role.as_str().into(),
            scope: if scope == "program" || scope == "installation" {
                String::new()
            } else {
                scope.into()
            },
        }
    }
}

/// The logged-in account.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// `staff` or `applicant`.
    pub kind: String,
    pub subject_id: Option<i64>,
    pub grants: Vec<GrantView>,
}

impl From<&Principal> for Me {
    fn from(p: &Principal) -> Self {
        Me {
            id: p.user.id.0,
            username: p.user.username.clone(),
            display_name: p.user.display_name.clone(),
            kind: match p.user.kind {
                qaward_store::users::UserKind::Staff => "staff".into(),
                qaward_store::users::UserKind::Applicant => "applicant".into(),
            },
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
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let ok = auth::login(&state.app, &r.username, &r.password, &viewer.address).await?;
    if let (Some(p), Some(t)) = (viewer.principal(), viewer.session_token.as_deref()) {
        let _ = auth::logout(&state.app, p, t).await;
    }
    let body = LoginResponse {
        user: Me::from(&ok.principal),
        csrf_token: ok.principal.csrf.clone().unwrap_or_default(),
    };
    let mut resp = Json(body).into_response();
    let secs = state.app.settings.session_hours * 3600;
    resp.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&ok.token, secs, state.config.secure_cookies),
    );
    Ok(resp)
}

/// Log out: ends the session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, viewer: Viewer) -> Result<Response, ApiError> {
    let p = viewer_of(&viewer)?;
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
async fn me(viewer: Viewer) -> Result<Json<Me>, ApiError> {
    Ok(Json(Me::from(viewer_of(&viewer)?)))
}

// ---- registration ---------------------------------------------------------------------

#[derive(Deserialize, ToSchema)]
pub struct OrgRegistrationRequest {
    pub name: String,
    /// Unified social credit code (GB 32100-2015).
    pub credit_code: String,
    /// `enterprise`, `government-organ`, `public-institution` or `social-organization`.
    pub kind: String,
    /// A county-level unit id of the policy (`xinfu`, `yuanping`, …).
    pub county: String,
    pub industry: Option<String>,
    /// YYYY-MM-DD.
    pub founded: String,
    pub legal_representative: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub username: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct PersonRegistrationRequest {
    pub name: String,
    /// Resident identity number (GB 11643-1999).
    pub resident_id: String,
    pub employer: String,
    pub employer_kind: String,
    pub county: String,
    pub position: Option<String>,
    /// YYYY-MM-DD.
    pub quality_work_since: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub user_id: i64,
    pub subject_id: Option<i64>,
}

/// Register an organization and its account.
#[utoipa::path(post, path = "/api/v1/register/organization", tag = "register", request_body = OrgRegistrationRequest,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_organization(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<OrgRegistrationRequest>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let reg = OrgRegistration {
        name: r.name,
        credit_code: r.credit_code,
        kind: r.kind,
        county: r.county,
        industry: r.industry,
        founded: r.founded,
        legal_representative: r.legal_representative,
        contact_name: r.contact_name,
        contact_phone: r.contact_phone,
        contact_email: r.contact_email,
        username: r.username,
        password: r.password,
    };
    let u = accounts::register(&state.app, Registration::Organization(&reg)).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            user_id: u.id.0,
            subject_id: u.subject_id.map(|s| s.0),
        }),
    ))
}

/// Register a person and their account.
#[utoipa::path(post, path = "/api/v1/register/person", tag = "register", request_body = PersonRegistrationRequest,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_person(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<PersonRegistrationRequest>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let reg = PersonRegistration {
        name: r.name,
        resident_id: r.resident_id,
        employer: r.employer,
        employer_kind: r.employer_kind,
        county: r.county,
        position: r.position,
        quality_work_since: r.quality_work_since,
        contact_phone: r.contact_phone,
        contact_email: r.contact_email,
        username: r.username,
        password: r.password,
    };
    let u = accounts::register(&state.app, Registration::Person(&reg)).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            user_id: u.id.0,
            subject_id: u.subject_id.map(|s| s.0),
        }),
    ))
}

// ---- subjects -------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct SubjectOut {
    pub id: i64,
    /// `organization` or `person`.
    pub kind: String,
    pub name: String,
    /// The credit code, or the resident ID: masked unless the reader is the person or the Office.
    pub identifier: String,
    pub org_kind: String,
    pub county: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub registered_at: String,
}

/// One subject of the register (an audited read).
#[utoipa::path(get, path = "/api/v1/subjects/{id}", tag = "subjects", params(("id" = i64, Path)),
    responses((status = 200, body = SubjectOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn get_subject(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Json<SubjectOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let s = subjects::view(&state.app, p, SubjectId(id)).await?;
    Ok(Json(SubjectOut {
        id: s.id,
        kind: s.kind.into(),
        name: s.name,
        identifier: s.identifier,
        org_kind: s.org_kind.into(),
        county: s.county,
        contact_name: s.contact_name,
        contact_phone: s.contact_phone,
        contact_email: s.contact_email,
        registered_at: s.registered_at,
    }))
}

// ---- accounts -------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub kind: String,
    pub active: bool,
    pub grants: Vec<GrantView>,
}

/// Every account (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = Vec<UserOut>), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn list_users(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<UserOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let users = accounts::list_users(&state.app, p).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|(u, g)| UserOut {
                id: u.id.0,
                username: u.username,
                display_name: u.display_name,
                kind: if u.kind == qaward_store::users::UserKind::Staff {
                    "staff".into()
                } else {
                    "applicant".into()
                },
                active: u.active,
                grants: g.iter().map(GrantView::from).collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub username: String,
    pub display_name: String,
    /// At least 10 characters; leave empty for a service account.
    #[serde(default)]
    pub password: String,
    pub email: Option<String>,
    pub grants: Vec<GrantView>,
    /// A service account: no password login, API tokens only.
    #[serde(default)]
    pub service: bool,
}

/// Create a staff account with its grants (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = CreateUserRequest,
    responses((status = 201, body = UserOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let p = viewer_of(&viewer)?;
    let grants = r
        .grants
        .iter()
        .map(|g| accounts::parse_grant(&g.role, &g.scope))
        .collect::<Result<Vec<_>, _>>()?;
    let u = accounts::create_staff(
        &state.app,
        p,
        &NewStaff {
            username: r.username,
            display_name: r.display_name,
            password: r.password,
            email: r.email,
            grants: grants.clone(),
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
            kind: "staff".into(),
            active: u.active,
            grants: grants.iter().map(GrantView::from).collect(),
        }),
    ))
}

/// Grant a role to a staff account (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/grants", tag = "accounts", params(("id" = i64, Path)), request_body = GrantView,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn add_grant(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(g): ApiJson<GrantView>,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    let grant = accounts::parse_grant(&g.role, &g.scope)?;
    accounts::add_grant(&state.app, p, UserId(id), &grant).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What the token is for.
    pub name: String,
    /// Days until it expires (1–3650, default 90).
    pub days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    /// Shown once: send as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Issue an API token for an account (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "accounts", params(("id" = i64, Path)), request_body = TokenRequest,
    responses((status = 201, body = TokenOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn issue_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenOut>), ApiError> {
    let p = viewer_of(&viewer)?;
    let (id, token) = auth::issue_token(&state.app, p, UserId(id), &r.name, r.days).await?;
    Ok((StatusCode::CREATED, Json(TokenOut { id, token })))
}

/// Revoke an API token (admins).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    auth::revoke_token(&state.app, p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- files ----------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct UploadedOut {
    /// SM3 content hash.
    pub hash: String,
    pub size: u64,
    pub content_type: String,
}

/// Upload a file as the raw request body (PDF, PNG, JPEG or an Office document).
#[utoipa::path(post, path = "/api/v1/files", tag = "files", request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = UploadedOut), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn upload_file(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Body,
) -> Result<(StatusCode, Json<UploadedOut>), ApiError> {
    let p = viewer_of(&viewer)?;
    let u = files::upload(&state.app, p, body.into_data_stream()).await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadedOut {
            hash: u.hash,
            size: u.size,
            content_type: u.content_type.into(),
        }),
    ))
}

// ---- audit ----------------------------------------------------------------------------

/// The newest audit entries, for supervisors; the read itself is logged.
pub async fn audit_entries(
    state: &AppState,
    p: &Principal,
    limit: i64,
) -> Result<Vec<audit::Entry>, AppError> {
    qaward_app::check(Some(p), Perm::ViewAuditLog, &Target::default())?;
    audit::record(
        &state.app.store,
        NewEntry {
            actor: p.audit_actor(),
            action: "audit.view".into(),
            object_type: "audit".into(),
            object_id: "log".into(),
            detail: serde_json::json!({ "limit": limit }),
        },
    )
    .await?;
    Ok(audit::recent(&state.app.store, limit, None).await?)
}

/// Recomputes the chain on request (it reads every entry, so it is not done on every
/// view); returns whether it holds and what was found.
pub async fn audit_verify(state: &AppState, p: &Principal) -> Result<(bool, String), AppError> {
    qaward_app::check(Some(p), Perm::ViewAuditLog, &Target::default())?;
    let outcome = match audit::verify(&state.app.store).await? {
        Ok(v) => (
            true,
            format!("{} entries, {} head {}", v.entries, v.algorithm, v.head),
        ),
        Err(b) => (false, b.to_string()),
    };
    audit::record(
        &state.app.store,
        NewEntry {
            actor: p.audit_actor(),
            action: "audit.verify".into(),
            object_type: "audit".into(),
            object_id: "chain".into(),
            detail: serde_json::json!({ "ok": outcome.0, "result": outcome.1 }),
        },
    )
    .await?;
    Ok(outcome)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many of the newest entries (1–1000, default 100).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    pub seq: i64,
    pub at: String,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub detail: String,
    pub hash: String,
}

/// The newest entries of the audit log (supervisors).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntryOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn audit_log(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntryOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let entries = audit_entries(&state, p, limit).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryOut {
                seq: e.seq,
                at: e.at,
                actor_name: e.actor_name,
                actor_role: e.actor_role,
                action: e.action,
                object_type: e.object_type,
                object_id: e.object_id,
                detail: e.detail,
                hash: e.hash,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct VerifyOut {
    /// Whether the whole chain recomputes.
    pub ok: bool,
    /// The entries and head, or the first entry that does not match.
    pub result: String,
}

/// Recompute the audit chain (supervisors).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
async fn audit_verify_chain(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<VerifyOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let (ok, result) = audit_verify(&state, p).await?;
    Ok(Json(VerifyOut { ok, result }))
}

#[derive(Deserialize, ToSchema)]
pub struct AwardIn {
    pub cycle_ordinal: u32,
    pub cycle_year: i32,
    /// `award` or `nomination`.
    pub level: String,
    /// YYYY-MM-DD, when the award was revoked.
    pub revoked_on: Option<String>,
    /// The decision or document it is recorded from.
    pub reference: String,
}

/// Record an award of a subject in the register (the Office), with its revocation if any.
#[utoipa::path(post, path = "/api/v1/subjects/{id}/awards", tag = "subjects", params(("id" = i64, Path)), request_body = AwardIn,
    responses((status = 201, body = applications::Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn record_award(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<AwardIn>,
) -> Result<(StatusCode, Json<applications::Created>), ApiError> {
    let p = viewer_of(&viewer)?;
    let level = qaward_domain::policy::Level::parse(&r.level)
        .ok_or_else(|| AppError::invalid("level", "award or nomination"))?;
    let revoked_on = match r
        .revoked_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                AppError::invalid(
                    "revoked_on",
                    format!("`{d}` is not a date of the form YYYY-MM-DD"),
                )
            })?,
        ),
        None => None,
    };
    let award = qaward_domain::subject::AwardRecord {
        cycle: qaward_domain::subject::CycleRef {
            ordinal: r.cycle_ordinal,
            year: r.cycle_year,
        },
        level,
        revoked_on,
    };
    let rid = subjects::record_award(&state.app, p, SubjectId(id), award, &r.reference).await?;
    Ok((StatusCode::CREATED, Json(applications::Created { id: rid })))
}

#[derive(Deserialize, ToSchema)]
pub struct InterestIn {
    /// What the interest is: employment, directorship, kinship, financial, other.
    pub reason: String,
}

/// Declare an interest in an applicant (A29, any staff member): from now on you are kept
/// away from its applications.
#[utoipa::path(post, path = "/api/v1/subjects/{id}/interests", tag = "subjects", params(("id" = i64, Path)), request_body = InterestIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn declare_interest(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    ApiJson(r): ApiJson<InterestIn>,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    subjects::declare_interest(&state.app, p, SubjectId(id), &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct InterestOut {
    pub user: String,
    pub subject_id: i64,
    pub subject: String,
    pub reason: String,
    pub declared_at: String,
}

/// Every declaration of interest (supervisors).
#[utoipa::path(get, path = "/api/v1/interests", tag = "subjects",
    responses((status = 200, body = Vec<InterestOut>), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
async fn interests(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<InterestOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let list = subjects::interests(&state.app, p).await?;
    Ok(Json(
        list.into_iter()
            .map(|i| InterestOut {
                user: i.username,
                subject_id: i.subject_id.0,
                subject: i.subject_name,
                reason: i.reason,
                declared_at: i.declared_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CycleIn {
    /// 第 N 届.
    pub ordinal: u32,
    pub year: i32,
    /// YYYY-MM-DD, each.
    pub application_opens: String,
    pub application_closes: String,
    pub channel_review_due: String,
    pub formal_review_due: String,
}

/// Reads a cycle's ordinal, year and dates.
pub fn parse_cycle(
    r: &CycleIn,
) -> Result<
    (
        qaward_domain::subject::CycleRef,
        qaward_domain::cycle::Timeline,
    ),
    AppError,
> {
    Ok((
        qaward_domain::subject::CycleRef {
            ordinal: r.ordinal,
            year: r.year,
        },
        qaward_domain::cycle::Timeline {
            application_opens: crate::forms::date("application_opens", &r.application_opens)?,
            application_closes: crate::forms::date("application_closes", &r.application_closes)?,
            channel_review_due: crate::forms::date("channel_review_due", &r.channel_review_due)?,
            formal_review_due: crate::forms::date("formal_review_due", &r.formal_review_due)?,
        },
    ))
}

/// Open the next cycle (the Office), under the policy in force (A4.2, A33, A34).
#[utoipa::path(post, path = "/api/v1/cycles", tag = "cycles", request_body = CycleIn,
    responses((status = 201, body = applications::Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn open_cycle(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiJson(r): ApiJson<CycleIn>,
) -> Result<(StatusCode, Json<applications::Created>), ApiError> {
    let p = viewer_of(&viewer)?;
    let (cycle, timeline) = parse_cycle(&r)?;
    let id = qaward_app::cycles::open_cycle(&state.app, p, cycle, timeline).await?;
    Ok((
        StatusCode::CREATED,
        Json(applications::Created { id: id.0 }),
    ))
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
    pub by_state: std::collections::BTreeMap<String, usize>,
    pub by_channel: std::collections::BTreeMap<String, usize>,
    pub by_county: std::collections::BTreeMap<String, usize>,
    pub overdue: Vec<OverdueOut>,
}

/// Where the newest cycle's applications stand (the Office, supervisors, the Leading
/// Group, the Government).
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "cycles",
    responses((status = 200, body = DashboardOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<DashboardOut>, ApiError> {
    let p = viewer_of(&viewer)?;
    let d = qaward_app::cycles::dashboard(&state.app, p)
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
            .map(|(id, subject, why)| OverdueOut {
                application: id.0,
                subject,
                why,
            })
            .collect(),
    }))
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
async fn notifications(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<NotificationOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let list = qaward_app::notify::list(&state.app, p).await?;
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
async fn mark_read(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    let p = viewer_of(&viewer)?;
    qaward_app::notify::mark_read(&state.app, p, id).await?;
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
async fn outbox(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<OutboxOut>>, ApiError> {
    let p = viewer_of(&viewer)?;
    let list = qaward_app::notify::outbox(&state.app, p).await?;
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

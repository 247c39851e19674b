//! The API of the versions of the measures (issue #13; A33, A34): the versions loaded for
//! the caller's program, a file previewed with what it changes, a file adopted with its
//! issuing document; and the programs, each under its own measures (item 4). The page's
//! twins are in `pages::policies` and `pages::admin`; both call the same use cases with
//! the same inputs.

use axum::Json;
use axum::http::StatusCode;
use qaward_app::policies;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiJson, Caller};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::inputs::{PolicyAdoptIn, PolicySourceIn, ProgramAddIn};

/// A loaded version.
#[derive(Serialize, ToSchema)]
pub struct PolicyVersionOut {
    /// The policy file's `id`.
    pub code: String,
    pub title: String,
    /// The version the program's new cycles open under (the one adopted for it last).
    pub in_force: bool,
    pub effective: String,
    pub last_day: Option<String>,
    /// Hex SM3 of the file's text as stored.
    pub sm3: String,
    pub document_number: Option<String>,
    pub document_date: String,
    pub adopted_by: String,
    pub adopted_at: String,
    /// How many cycles run under it.
    pub cycles: usize,
}

#[derive(Serialize, ToSchema)]
pub struct PolicyVersionsOut {
    /// Newest first.
    pub versions: Vec<PolicyVersionOut>,
}

/// One thing a version changes.
#[derive(Serialize, ToSchema)]
pub struct PolicyChangeOut {
    /// What changes, in the caller's language (`Accept-Language`, default Chinese).
    pub item: String,
    /// The value in force; none where the version adds it.
    pub before: Option<String>,
    /// The new value; none where the version removes it.
    pub after: Option<String>,
    pub article_before: Option<String>,
    pub article_after: Option<String>,
}

/// What adopting a file would do.
#[derive(Serialize, ToSchema)]
pub struct PolicyPreviewOut {
    pub code: String,
    pub title: String,
    pub effective: String,
    pub last_day: Option<String>,
    /// The version in force, which the changes are counted from.
    pub in_force: String,
    pub changes: Vec<PolicyChangeOut>,
}

/// The version adopted.
#[derive(Serialize, ToSchema)]
pub struct PolicyAdoptedOut {
    pub code: String,
}

/// Every version loaded for the program the caller works in, newest first (the Office,
/// the administrator).
#[utoipa::path(get, path = "/api/v1/policies", tag = "policies",
    responses((status = 200, body = PolicyVersionsOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn policy_versions(
    Caller { app, ref p }: Caller,
) -> Result<Json<PolicyVersionsOut>, ApiError> {
    let versions = policies::versions(&app, p).await?;
    Ok(Json(PolicyVersionsOut {
        versions: versions
            .into_iter()
            .map(|v| PolicyVersionOut {
                in_force: v.in_force,
                effective: v.effective.to_string(),
                last_day: v.last_day.map(|d| d.to_string()),
                cycles: v.cycles,
                code: v.code,
                title: v.title,
                sm3: v.sm3,
                document_number: v.document_number,
                document_date: v.document_date,
                adopted_by: v.adopted_by,
                adopted_at: v.adopted_at,
            })
            .collect(),
    }))
}

/// Validate a policy file fully and say what it changes from the version in force;
/// nothing is stored.
#[utoipa::path(post, path = "/api/v1/policies/preview", tag = "policies", request_body = PolicySourceIn,
    responses((status = 200, body = PolicyPreviewOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn preview_policy(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<PolicySourceIn>,
) -> Result<Json<PolicyPreviewOut>, ApiError> {
    let x = policies::preview(&app, p, &r.source).await?;
    let lang = crate::error::current_lang().text();
    Ok(Json(PolicyPreviewOut {
        effective: x.effective.to_string(),
        last_day: x.last_day.map(|d| d.to_string()),
        changes: x
            .changes
            .iter()
            .map(|c| PolicyChangeOut {
                item: c.item.label(lang),
                before: c.before.clone(),
                after: c.after.clone(),
                article_before: c.article_before.as_ref().map(|a| a.to_string()),
                article_after: c.article_after.as_ref().map(|a| a.to_string()),
            })
            .collect(),
        code: x.code,
        title: x.title,
        in_force: x.in_force,
    }))
}

/// Adopt a policy file with its issuing document: cycles opened from now on run under it;
/// running cycles keep theirs (A33, A34).
#[utoipa::path(post, path = "/api/v1/policies", tag = "policies", request_body = PolicyAdoptIn,
    responses((status = 201, body = PolicyAdoptedOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn adopt_policy(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<PolicyAdoptIn>,
) -> Result<(StatusCode, Json<PolicyAdoptedOut>), ApiError> {
    let code = policies::adopt(&app, p, &r.source, &r.document()).await?;
    Ok((StatusCode::CREATED, Json(PolicyAdoptedOut { code })))
}

/// A program the installation runs.
#[derive(Serialize, ToSchema)]
pub struct ProgramOut {
    pub id: i64,
    /// Lower-case letters, digits and hyphens; a complaint names its program by it.
    pub code: String,
    /// The award's name, as its measures give it.
    pub name: String,
    /// The version of its measures its new cycles open under.
    pub policy: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgramsOut {
    /// In the order they were added; the first is the installation's own.
    pub programs: Vec<ProgramOut>,
}

/// Every program the installation runs (no login: the public pages name them).
#[utoipa::path(get, path = "/api/v1/programs", tag = "programs", responses((status = 200, body = ProgramsOut)))]
pub(super) async fn programs(
    axum::extract::State(AppState { app, .. }): axum::extract::State<AppState>,
) -> Result<Json<ProgramsOut>, ApiError> {
    let programs = qaward_app::programs::all(&app)
        .await?
        .into_iter()
        .map(|p| ProgramOut {
            id: p.id.0,
            code: p.code,
            name: p.name,
            policy: p.policy_id,
        })
        .collect();
    Ok(Json(ProgramsOut { programs }))
}

/// The program added.
#[derive(Serialize, ToSchema)]
pub struct ProgramAddedOut {
    pub id: i64,
}

/// Add a program under its own measures, issued by a document (the administrator).
#[utoipa::path(post, path = "/api/v1/programs", tag = "programs", request_body = ProgramAddIn,
    responses((status = 201, body = ProgramAddedOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub(super) async fn add_program(
    Caller { app, ref p }: Caller,
    ApiJson(r): ApiJson<ProgramAddIn>,
) -> Result<(StatusCode, Json<ProgramAddedOut>), ApiError> {
    let id = qaward_app::programs::add(&app, p, &r.program()).await?;
    Ok((StatusCode::CREATED, Json(ProgramAddedOut { id: id.0 })))
}

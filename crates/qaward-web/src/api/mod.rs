//! The JSON API under `/api/v1`: the same use cases as the pages, with the same typed
//! inputs ([`crate::inputs`]) and the same permission checks, authenticated by the session
//! cookie (with the `X-CSRF-Token` header on changes) or by an admin-issued bearer token.
//! Each handler carries its `#[utoipa::path]`, and the router is built from them, so
//! `/api/openapi.json` lists exactly the routes that exist. Values of the domain's
//! vocabularies (states, roles, classes…) are their stable codes, listed as enums.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{StatusCode, header};
use qaward_app::Principal;
use qaward_domain::msg;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod acceptance;
mod accounts;
mod admin;
mod applications;
mod audit;
mod calendar;
mod commendation;
mod complaints;
mod evaluation;
mod notices;
mod obligations;
mod office_requests;
mod opinions;
mod policies;
pub(crate) mod refusals;
mod review;
mod revocations;
mod scoring;
mod session;
mod subjects;

pub use applications::download_response;
pub use opinions::scan_response;

use crate::AppState;
use crate::error::{ApiError, WebError};
use crate::session::Viewer;

#[derive(OpenApi)]
#[openapi(
    info(title = "qaward API", description = "The JSON API of qaward, the system that runs the Xinzhou Mayor's Quality Award."),
    modifiers(&Security),
    tags((name = "session"), (name = "register"), (name = "subjects"), (name = "accounts"), (name = "files"), (name = "audit"),
         (name = "applications"), (name = "review"), (name = "acceptance"), (name = "notices"), (name = "cycles"), (name = "evaluation"), (name = "commendation"), (name = "complaints"), (name = "revocations"), (name = "obligations"), (name = "policies"), (name = "programs"), (name = "calendar"))
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
        .routes(routes!(session::login, session::logout))
        .routes(routes!(session::me))
        .routes(routes!(session::notifications))
        .routes(routes!(session::mark_read))
        .routes(routes!(session::register_organization))
        .routes(routes!(session::register_person))
        .routes(routes!(admin::list_users, admin::create_user))
        .routes(routes!(admin::add_grant))
        .routes(routes!(accounts::remove_grant))
        .routes(routes!(accounts::set_active))
        .routes(routes!(accounts::reset_password))
        .routes(routes!(accounts::end_sessions))
        .routes(routes!(admin::issue_token))
        .routes(routes!(admin::revoke_token))
        .routes(routes!(admin::list_tokens))
        .routes(routes!(admin::outbox))
        .routes(routes!(admin::open_cycle))
        .routes(routes!(admin::dashboard))
        .routes(routes!(subjects::get_subject))
        .routes(routes!(subjects::record_award))
        .routes(routes!(subjects::confirm_award))
        .routes(routes!(subjects::record_relaxation))
        .routes(routes!(subjects::record_accident))
        .routes(routes!(subjects::register))
        .routes(routes!(subjects::declare_interest))
        .routes(routes!(subjects::interests))
        .routes(routes!(subjects::registrations))
        .routes(routes!(subjects::confirm_registration))
        .routes(routes!(audit::audit_log))
        .routes(routes!(audit::audit_verify_chain))
        .routes(routes!(applications::upload_file))
        .routes(routes!(applications::start_application))
        .routes(routes!(
            applications::get_application,
            applications::save_draft
        ))
        .routes(routes!(applications::attach))
        .routes(routes!(applications::download, applications::detach))
        .routes(routes!(applications::in_unit_notice))
        .routes(routes!(applications::in_unit_objection))
        .routes(routes!(applications::settle_objection))
        .routes(routes!(applications::submit))
        .routes(routes!(applications::withdraw))
        .routes(routes!(applications::resubmit))
        .routes(routes!(review::channel_review))
        .routes(routes!(review::recommend))
        .routes(routes!(review::decline))
        .routes(routes!(review::channel_queue))
        .routes(routes!(acceptance::office_queue))
        .routes(routes!(acceptance::request_opinions))
        .routes(routes!(acceptance::opinion_queue))
        .routes(routes!(acceptance::answer_opinion))
        .routes(routes!(opinions::application_opinions))
        .routes(routes!(opinions::record_paper))
        .routes(routes!(opinions::proceed))
        .routes(routes!(opinions::scan))
        .routes(routes!(opinions::request_letter))
        .routes(routes!(acceptance::formal_review))
        .routes(routes!(acceptance::publish))
        .routes(routes!(acceptance::accept))
        .routes(routes!(notices::notices))
        .routes(routes!(notices::notice))
        .routes(routes!(notices::raise_objection))
        .routes(routes!(notices::objection_status))
        .routes(routes!(notices::objection_queue))
        .routes(routes!(notices::handle_objection))
        .routes(routes!(evaluation::experts, evaluation::put_expert))
        .routes(routes!(evaluation::entrustments, evaluation::entrust))
        .routes(routes!(evaluation::get_plan, evaluation::set_plan))
        .routes(routes!(evaluation::open_stage))
        .routes(routes!(evaluation::complete_stage))
        .routes(routes!(evaluation::sign_off))
        .routes(routes!(evaluation::stage_due))
        .routes(routes!(evaluation::list_panels, evaluation::create_panel))
        .routes(routes!(evaluation::assign))
        .routes(routes!(evaluation::leader))
        .routes(routes!(evaluation::leave))
        .routes(routes!(evaluation::commit_draw))
        .routes(routes!(evaluation::draw_record))
        .routes(routes!(evaluation::contribute))
        .routes(routes!(evaluation::make_draw))
        .routes(routes!(evaluation::observe))
        .routes(routes!(evaluation::answer))
        .routes(routes!(evaluation::ranked))
        .routes(routes!(evaluation::record))
        .routes(routes!(scoring::tasks))
        .routes(routes!(scoring::get_sheet, scoring::put_sheet))
        .routes(routes!(scoring::consensus))
        .routes(routes!(scoring::schedule))
        .routes(routes!(scoring::minutes))
        .routes(routes!(scoring::attach_record))
        .routes(routes!(scoring::visits))
        .routes(routes!(scoring::request_exclusion, scoring::exclusions))
        .routes(routes!(scoring::decide_exclusion))
        .routes(routes!(scoring::complete))
        .routes(routes!(commendation::desk))
        .routes(routes!(commendation::propose))
        .routes(routes!(commendation::candidate_notices))
        .routes(routes!(
            commendation::background,
            commendation::request_background
        ))
        .routes(routes!(commendation::deliberate))
        .routes(routes!(commendation::proposed_notice))
        .routes(routes!(commendation::joint_report))
        .routes(routes!(commendation::cosign))
        .routes(routes!(commendation::decide))
        .routes(routes!(commendation::verify))
        .routes(routes!(commendation::honours))
        .routes(routes!(commendation::handover))
        .routes(routes!(commendation::payment))
        .routes(routes!(commendation::certificate))
        .routes(routes!(commendation::decision_document))
        .routes(routes!(commendation::lists))
        .routes(routes!(commendation::notice_document))
        .routes(routes!(commendation::notice_list))
        .routes(routes!(commendation::signed, commendation::attach_signed))
        .routes(routes!(commendation::applications_list))
        .routes(routes!(
            complaints::file_complaint,
            complaints::list_complaints
        ))
        .routes(routes!(complaints::complaint_status))
        .routes(routes!(complaints::add_complaint_evidence))
        .routes(routes!(complaints::complaint_case))
        .routes(routes!(complaints::complaint_reporter))
        .routes(routes!(complaints::register_complaint))
        .routes(routes!(complaints::assign_complaint))
        .routes(routes!(complaints::decline_complaint))
        .routes(routes!(complaints::note_complaint))
        .routes(routes!(complaints::conclude_complaint))
        .routes(routes!(complaints::answer_complaint))
        .routes(routes!(complaints::add_group_evidence))
        .routes(routes!(complaints::complaint_file))
        .routes(routes!(office_requests::ask_office))
        .routes(routes!(office_requests::office_requests))
        .routes(routes!(office_requests::answer_office_request))
        .routes(routes!(policies::policy_versions, policies::adopt_policy))
        .routes(routes!(policies::preview_policy))
        .routes(routes!(policies::programs, policies::add_program))
        .routes(routes!(calendar::calendar))
        .routes(routes!(calendar::load_year))
        .routes(routes!(calendar::preview_year))
        .routes(routes!(
            obligations::obligation_desk,
            obligations::set_obligation
        ))
        .routes(routes!(obligations::report_obligation))
        .routes(routes!(obligations::review_obligation))
        .routes(routes!(obligations::attach_voucher))
        .routes(routes!(
            obligations::voucher_file,
            obligations::remove_voucher
        ))
        .routes(routes!(revocations::revocation_desk))
        .routes(routes!(revocations::request_revocation))
        .routes(routes!(revocations::decide_revocation))
        .routes(routes!(revocations::record_revocation_return))
        .routes(routes!(revocations::record_prize_recovery))
        .routes(routes!(revocations::published_revocations))
        .routes(routes!(revocations::revocation_announcement))
}

/// A JSON body read into a typed input; a refusal names the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(ApiError(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "malformed",
                msg!("send-json"),
            )));
        }
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError(crate::body::rejected(e)))?;
        let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError(WebError::malformed(msg!(
                "json-unreadable",
                detail = e.to_string()
            )))
        })?;
        Ok(ApiJson(crate::inputs::from_json(value)?))
    }
}

/// A query string read into a typed input, like a form; a refusal names the field.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        Ok(ApiQuery(crate::inputs::from_form(query.as_bytes())?))
    }
}

fn not_found(what: String) -> ApiError {
    tracing::debug!(%what, "not found");
    ApiError(WebError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        msg!("not-found"),
    ))
}

/// A numeric id in the path, or 404.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let PathText(raw) = PathText::from_request_parts(parts, state).await?;
        raw.parse()
            .map(Id)
            .map_err(|_| not_found(format!("no object with id `{raw}`")))
    }
}

/// The path's segments as texts, or 404 when they are not (an escape that decodes to no
/// UTF-8): every path extractor of the API reads through here.
async fn path<T: DeserializeOwned + Send, S: Send + Sync>(
    parts: &mut axum::http::request::Parts,
    state: &S,
) -> Result<T, ApiError> {
    let Path(raw) = Path::<T>::from_request_parts(parts, state)
        .await
        .map_err(|e| not_found(e.body_text()))?;
    Ok(raw)
}

/// One text in the path (a certificate's code), or 404 when it is not text at all (an
/// escape that decodes to no UTF-8).
pub struct PathText(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathText {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        path(parts, state).await.map(PathText)
    }
}

/// Two values in the path, each parsed from its text (ids, a stage's code), or 404: a
/// path that names nothing real is a page that does not exist.
pub struct PathPair<A, B>(pub A, pub B);

impl<S: Send + Sync, A: std::str::FromStr, B: std::str::FromStr> FromRequestParts<S>
    for PathPair<A, B>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let (a, b): (String, String) = path(parts, state).await?;
        match (a.parse(), b.parse()) {
            (Ok(x), Ok(y)) => Ok(PathPair(x, y)),
            _ => Err(not_found(format!("nothing at {a}/{b}"))),
        }
    }
}

/// Two numeric ids in the path, or 404.
pub type Ids = PathPair<i64, i64>;

/// An API call by someone logged in: the application and who calls. Without a session
/// or a token the call is refused with 401 before the handler runs.
pub struct Caller {
    pub app: std::sync::Arc<qaward_app::App>,
    pub p: Principal,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = parts
            .extensions
            .get::<Viewer>()
            .ok_or_else(|| ApiError::from(qaward_app::AppError::Internal("no viewer".into())))?;
        Ok(Caller {
            app: state.app.clone(),
            p: viewer.require()?.clone(),
        })
    }
}

/// Anything a use case returns, as JSON (its structure is the use case's record type).
fn json<T: Serialize>(v: &T) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::to_value(v).unwrap_or(serde_json::Value::Null))
}

/// The id of what was created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The ids of what was created.
#[derive(Serialize, ToSchema)]
pub struct IdsOut {
    pub ids: Vec<i64>,
}

/// A queue: what the reader may see, and how many items are hidden because the reader
/// declared an interest in their applicants (A29) — that something is hidden, never what.
#[derive(Serialize, ToSchema)]
pub struct QueueOut<T: ToSchema> {
    pub items: Vec<T>,
    pub hidden: usize,
}

impl<T: ToSchema> QueueOut<T> {
    /// The queue's items mapped to their API form.
    pub fn of<U>(q: qaward_app::Queue<U>, f: impl FnMut(U) -> T) -> axum::Json<Self> {
        axum::Json(QueueOut {
            items: q.items.into_iter().map(f).collect(),
            hidden: q.hidden,
        })
    }
}

/// An application's state after an action.
#[derive(Serialize, ToSchema)]
pub struct StateOut {
    #[schema(value_type = crate::codes::ApplicationState)]
    pub state: qaward_domain::application::State,
}

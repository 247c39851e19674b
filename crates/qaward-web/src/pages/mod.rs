//! The HTML pages: typed askama templates beside their handlers, escaping by default.
//! Every form posts without JavaScript, carries the session's CSRF token, and is read
//! into the same typed input as its API twin ([`crate::inputs`]). Pages show the labels
//! of the domain's vocabularies in the reader's language, never their codes.
//!
//! - [`session`]: login, logout, language, registration.
//! - [`applications`]: the application page and the applicant's forms; `progress`: its
//!   tracker; `attachments`: an attachment removed; [`done`]: what a form did, said once.
//! - [`review`]: the channel's queue, review and recommendation letter.
//! - [`acceptance`]: the Office's queue and the departments' queue of opinion requests;
//!   [`opinions`]: the opinions read in full, recorded from letters, settled when overdue,
//!   and a department's request with its answer.
//! - [`notices`]: public notices, objections and their handling.
//! - [`users`], [`admin`], [`subjects`], [`cycles`]: accounts and tokens, the register,
//!   cycles and notifications.
//! - `home`: the public home page and a person's list of what awaits them; `policies` and
//!   `calendar`: the versions of the measures and the working-day calendar's years.

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use qaward_domain::msg;

pub mod acceptance;
pub mod admin;
pub mod applications;
mod attachments;
mod calendar;
mod commendation;
pub(crate) mod complaints;
pub(crate) mod obligations;
mod office_requests;
mod policies;
mod revocations;
pub(crate) use commendation::files as commendation_files;
pub mod cycles;
pub mod done;
mod evaluation;
pub(crate) mod forms;
mod frame;
mod home;
pub mod notices;
pub mod opinions;
mod progress;
pub mod review;
mod scoring;
pub mod session;
pub mod subjects;
pub mod users;

use crate::AppState;
use crate::assets;
use crate::error::{PageError, WebError};
use crate::session::Viewer;
pub(crate) use frame::chrome;
pub use frame::{Chrome, MenuLink, UserBar};

/// The viewer's CSRF token, for the forms of a page.
pub(crate) fn csrf(viewer: &Viewer) -> String {
    viewer
        .principal()
        .and_then(|p| p.csrf.clone())
        .unwrap_or_default()
}

/// The pages. `max_upload_body` bounds the multipart upload request as a whole.
pub fn router(max_upload_body: usize) -> Router<AppState> {
    let uploads = DefaultBodyLimit::max(max_upload_body);
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(session::login_form).post(session::login))
        .route("/register", get(session::register_choice))
        .route(
            "/register/organization",
            get(session::register_org_form).post(session::register_org),
        )
        .route(
            "/register/person",
            get(session::register_person_form).post(session::register_person),
        )
        .route("/lang/{code}", get(session::set_lang))
        .route("/program", post(session::switch_program))
        .route("/admin/users", get(users::users).post(admin::create_user))
        .route("/admin/grants", post(admin::add_grant))
        .route("/admin/programs", post(admin::add_program))
        .route("/admin/users/{id}/grants/revoke", post(admin::remove_grant))
        .route("/admin/users/{id}/active", post(admin::set_active))
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/admin/users/{id}/sessions/end", post(admin::end_sessions))
        .route("/admin/tokens", post(admin::issue_token))
        .route("/admin/tokens/revoke", post(admin::revoke_token))
        .route("/admin/outbox", get(admin::outbox))
        .route("/audit", get(admin::audit))
        .route("/audit/verify", get(admin::audit_verify))
        .route("/files/new", get(admin::upload_form))
        .route("/files", post(admin::upload).layer(uploads))
        .route("/subjects/{id}", get(subjects::subject_page))
        .route("/subjects/{id}/interests", post(subjects::declare_interest))
        .route(
            "/subjects/{id}/relaxations",
            post(subjects::record_relaxation),
        )
        .route("/subjects/{id}/accidents", post(subjects::record_accident))
        .route(
            "/subjects/{id}/awards/{award}/confirm",
            post(subjects::confirm_award),
        )
        .route("/interests", get(subjects::interests))
        .route("/registrations", get(subjects::registrations))
        .route(
            "/registrations/{id}/confirm",
            post(subjects::confirm_registration),
        )
        .route("/cycles", get(cycles::cycles).post(cycles::open_cycle))
        .route("/policies", get(policies::versions).post(policies::adopt))
        .route("/policies/preview", post(policies::preview))
        .route("/calendar", get(calendar::years).post(calendar::load))
        .route("/calendar/preview", post(calendar::preview))
        .route("/notifications", get(cycles::notifications))
        .route("/notifications/{id}/read", post(cycles::mark_read))
        .route("/applications/mine", get(applications::mine))
        .route("/applications/start", post(applications::start))
        .route("/applications/{id}", get(applications::page))
        .route("/applications/{id}/draft", post(forms::save_draft))
        .route(
            "/applications/{id}/attachments",
            post(applications::attach).layer(uploads),
        )
        .route(
            "/applications/{id}/attachments/{attachment}",
            get(applications::download),
        )
        .route(
            "/applications/{id}/attachments/{attachment}/remove",
            post(attachments::remove),
        )
        .route(
            "/applications/{id}/in-unit-notice",
            post(forms::in_unit_notice),
        )
        .route(
            "/applications/{id}/in-unit-objections",
            post(forms::in_unit_objection),
        )
        .route(
            "/applications/{id}/in-unit-objections/{objection}/settle",
            post(forms::settle),
        )
        .route("/applications/{id}/letter", get(review::letter))
        .route("/applications/{id}/submit", post(forms::submit))
        .route("/applications/{id}/withdraw", post(forms::withdraw))
        .route("/applications/{id}/resubmit", post(forms::resubmit))
        .route("/applications/{id}/review", post(forms::channel_review))
        .route("/recommend", post(review::recommend))
        .route("/applications/{id}/decline", post(forms::decline))
        .route("/queue", get(review::queue))
        .route("/office", get(acceptance::office))
        .route("/office/acceptance-list", post(acceptance::publish))
        .route(
            "/office/{id}/opinions",
            get(opinions::office_opinions).post(acceptance::request_opinions),
        )
        .route(
            "/office/opinion-requests/{id}/paper",
            post(opinions::record_paper).layer(uploads),
        )
        .route(
            "/office/opinion-requests/{id}/proceed",
            post(opinions::proceed),
        )
        .route("/office/opinion-requests/{id}/scan", get(opinions::scan))
        .route(
            "/office/{id}/formal-review",
            post(acceptance::formal_review),
        )
        .route("/office/{id}/accept", post(acceptance::accept))
        .route("/opinions", get(acceptance::opinions))
        .route("/opinions/{id}", get(opinions::letter))
        .route("/opinions/{id}/answer", post(opinions::answer))
        .route("/notices", get(notices::notices))
        .route("/notices/{id}", get(notices::notice))
        .route("/notices/{id}/objections", post(notices::object))
        .route(
            "/objections/status",
            get(notices::status_form).post(notices::status),
        )
        .route("/objections", get(notices::objection_queue))
        .route("/objections/{id}/handle", post(notices::handle))
        .route("/commendation", get(commendation::desk_get))
        .route("/commendation/candidates", post(commendation::propose))
        .route(
            "/commendation/candidate-notices",
            post(commendation::candidate_notices),
        )
        .route("/commendation/deliberation", post(commendation::deliberate))
        .route(
            "/commendation/proposed-notice",
            post(commendation::proposed_notice),
        )
        .route(
            "/commendation/joint-report",
            post(commendation::joint_report),
        )
        .route(
            "/commendation/joint-report/cosign",
            post(commendation::cosign),
        )
        .route("/commendation/decision", post(commendation::decide))
        .route(
            "/commendation/awards/{id}/{act}",
            post(commendation::deliver),
        )
        .route("/commendation/lists.xlsx", get(commendation::files::lists))
        .route(
            "/office/applications.xlsx",
            get(commendation::files::applications),
        )
        .route(
            "/commendation/decision.docx",
            get(commendation::files::decision),
        )
        .route(
            "/commendation/decision/signed",
            get(commendation::files::signed)
                .post(commendation::files::attach_signed)
                .layer(uploads),
        )
        .route(
            "/commendation/certificates/{id}",
            get(commendation::files::certificate),
        )
        .route("/notices/{id}/{file}", get(commendation::files::notice))
        .route(
            "/commendation/background",
            get(commendation::background_get),
        )
        .route(
            "/commendation/background/{id}",
            post(commendation::background_post),
        )
        .route("/complaints", get(complaints::form).post(complaints::file))
        .route(
            "/complaints/status",
            get(complaints::status_form).post(complaints::status),
        )
        .route(
            "/complaints/evidence",
            post(complaints::evidence).layer(uploads),
        )
        .route("/revocations", get(revocations::desk))
        .route("/revocations/requests", post(revocations::request))
        .route("/revocations/published", get(revocations::published))
        .route(
            "/revocations/published/{id}",
            get(revocations::announcement),
        )
        .route(
            "/revocations/published/{id}/document.docx",
            get(revocations::announcement_docx),
        )
        .route("/revocations/{id}/decision", post(revocations::decide))
        .route(
            "/revocations/awards/{id}/{what}",
            post(revocations::follow_up),
        )
        .route(
            "/obligations",
            get(obligations::desk).post(obligations::set),
        )
        .route("/obligations/{id}/{act}", post(obligations::act))
        .route(
            "/obligations/{id}/vouchers",
            post(obligations::attach).layer(uploads),
        )
        .route(
            "/obligations/{id}/vouchers/{file}",
            get(obligations::voucher),
        )
        .route(
            "/obligations/{id}/vouchers/{file}/remove",
            post(obligations::remove),
        )
        .route("/supervision/requests", get(office_requests::list))
        .route(
            "/supervision/requests/{id}/answer",
            post(office_requests::answer),
        )
        .route("/supervision/complaints", get(complaints::queue))
        .route("/supervision/complaints/{id}", get(complaints::case))
        .route(
            "/supervision/complaints/{id}/reporter",
            post(complaints::reveal),
        )
        .route(
            "/supervision/complaints/{id}/evidence",
            post(complaints::group_evidence).layer(uploads),
        )
        .route(
            "/supervision/complaints/{id}/files/{hash}",
            get(complaints::evidence_file),
        )
        .route("/supervision/complaints/{id}/{act}", post(complaints::act))
        .route("/verify", get(commendation::verify))
        .route("/honours", get(commendation::honours))
        .route("/evaluation", get(evaluation::desk_get))
        .route("/evaluation/plan", post(evaluation::set_plan))
        .route("/evaluation/entrustments", post(evaluation::entrust))
        .route(
            "/evaluation/stages/{stage}/{act}",
            post(evaluation::stage_act),
        )
        .route("/evaluation/panels", post(evaluation::create_panel))
        .route(
            "/evaluation/panels/{panel}/{act}",
            post(evaluation::panel_act),
        )
        .route("/evaluation/draws/{draw}/{act}", post(evaluation::draw_act))
        .route(
            "/evaluation/applications/{id}/sessions/{stage}",
            post(evaluation::schedule),
        )
        .route(
            "/evaluation/applications/{id}/minutes/{stage}",
            post(evaluation::minutes),
        )
        .route(
            "/evaluation/applications/{id}/records/{stage}",
            post(evaluation::attach_record).layer(uploads),
        )
        .route(
            "/evaluation/exclusions/{id}/decision",
            post(evaluation::decide),
        )
        .route("/evaluation/observations", post(evaluation::observe))
        .route(
            "/evaluation/observations/{id}/answer",
            post(evaluation::answer),
        )
        .route("/evaluation/complete", post(evaluation::complete))
        .route("/evaluation/results.csv", get(evaluation::results_csv))
        .route("/evaluation/tasks", get(scoring::tasks))
        .route(
            "/evaluation/sheets/{id}/{stage}",
            get(scoring::sheet).post(scoring::save_sheet),
        )
        .route(
            "/evaluation/sheets/{id}/{stage}/consensus",
            post(scoring::consensus),
        )
        .route("/applications/{id}/evaluation", get(scoring::applicant))
        .route(
            "/applications/{id}/exclusions",
            post(scoring::request_exclusion),
        )
        .route("/experts", get(scoring::experts).post(scoring::put_expert))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/{*path}", get(assets::asset))
        .route("/logout", post(session::logout))
}

// ---- shared helpers -------------------------------------------------------------------

/// A stored file streamed as a download: under its stored name, made safe and ending as
/// its content's kind, with the content type it was judged to have
/// ([`qaward_app::files::name::download`]). Attachments, opinion scans, the signed
/// decision and complaint evidence all go out this way.
pub(crate) fn stored_download(name: &str, content_type: &str, file: tokio::fs::File) -> Response {
    let (name, content_type) = qaward_app::files::name::download(name, content_type);
    let mut r =
        axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let h = r.headers_mut();
    h.insert(axum::http::header::CONTENT_DISPOSITION, disposition(&name));
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(content_type),
    );
    r
}

/// The `Content-Disposition` of a download, with the UTF-8 name encoded (RFC 6266/5987).
/// The name is cleaned again ([`qaward_app::files::name::clean`]): no control, format or
/// direction character reaches the reader's browser, whatever was stored.
pub fn disposition(filename: &str) -> axum::http::HeaderValue {
    let filename = qaward_app::files::name::clean(filename);
    let filename = if filename.is_empty() {
        "file".to_owned()
    } else {
        filename
    };
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    axum::http::HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| axum::http::HeaderValue::from_static("attachment"))
}

/// Reads the small fields a multipart form sends before its `file` (a few, each with the
/// limit `max_of` gives its name) and, once the form's `csrf` field matches `viewer`'s
/// session, hands them and the streaming file field to `then`; `missing` when the form
/// ends without a file.
pub(crate) async fn fields_then_file<R>(
    form: &mut axum::extract::Multipart,
    viewer: &crate::session::Viewer,
    max_of: impl Fn(&str) -> usize,
    missing: qaward_domain::message::Message,
    then: impl AsyncFnOnce(
        Vec<(String, String)>,
        axum::extract::multipart::Field<'_>,
    ) -> Result<R, PageError>,
) -> Result<R, PageError> {
    use qaward_app::AppError;
    let malformed = |e| PageError(crate::body::malformed_multipart(e));
    let mut small: Vec<(String, String)> = Vec::new();
    while let Some(mut f) = form.next_field().await.map_err(malformed)? {
        let name = f.name().unwrap_or("").to_owned();
        if name == "file" {
            let sent = small
                .iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            crate::session::check_csrf(
                Some(viewer),
                format!("csrf={}", urlencode(sent)).as_bytes(),
            )?;
            return then(small, f).await;
        }
        if small.len() >= 8 {
            return Err(AppError::invalid(&name, msg!("form-too-many-fields")).into());
        }
        let max = max_of(&name);
        let mut v = Vec::new();
        while let Some(chunk) = f.chunk().await.map_err(malformed)? {
            v.extend_from_slice(&chunk);
            if v.len() > max {
                return Err(AppError::invalid(&name, msg!("field-too-long", max = max)).into());
            }
        }
        let v =
            String::from_utf8(v).map_err(|_| AppError::invalid(&name, msg!("text-not-utf8")))?;
        small.push((name, v));
    }
    Err(AppError::invalid("file", missing).into())
}

/// A form value percent-encoded, to check a multipart form's CSRF field like a plain
/// form's.
pub(crate) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)])
        .map(|e| e[2..].to_owned())
        .unwrap_or_default()
}

/// A numeric id in a page's path, or "not found".
pub(crate) fn path_id(what: &str, raw: &str) -> Result<i64, qaward_app::AppError> {
    raw.parse()
        .map_err(|_| qaward_app::AppError::NotFound(format!("{what} {raw}")))
}

/// Pages that do not exist: an HTML 404, or JSON under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let e = WebError::new(StatusCode::NOT_FOUND, "not_found", msg!("no-such-page"));
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

// ---- health ---------------------------------------------------------------------------

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.ready().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

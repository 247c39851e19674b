//! The HTML pages: typed askama templates beside their handlers, escaping by default.
//! Every form posts without JavaScript and carries the session's CSRF token.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qaward_app::accounts::{self, NewStaff, OrgRegistration, PersonRegistration, Registration};
use qaward_app::{AppError, auth, files, subjects};
use qaward_domain::ids::{SubjectId, UserId};
use qaward_domain::permission::{Perm, Role, Target};
use qaward_store::audit;
use serde::Deserialize;

mod acceptance;
mod applications;

pub use applications::disposition;

use crate::AppState;
use crate::assets;
use crate::error::{PageError, WebError};
use crate::i18n::{Lang, Tr, role_name};
use crate::session::{
    CsrfForm, PublicForm, Viewer, check_csrf, clear_session_cookie, session_cookie,
};

/// The logged-in user as the page header shows them.
pub struct UserBar {
    pub name: String,
    pub csrf: String,
    pub admin: bool,
    pub audit: bool,
}

/// What every page's frame needs.
pub struct Chrome {
    pub tr: &'static Tr,
    pub lang: &'static str,
    pub user: Option<UserBar>,
}

fn chrome(lang: Lang, viewer: &Viewer) -> Chrome {
    let user = viewer.principal().map(|p| UserBar {
        name: p.user.display_name.clone(),
        csrf: p.csrf.clone().unwrap_or_default(),
        admin: qaward_app::check(Some(p), Perm::ManageAccounts, &Target::default()).is_ok(),
        audit: qaward_app::check(Some(p), Perm::ViewAuditLog, &Target::default()).is_ok(),
    });
    Chrome {
        tr: lang.tr(),
        lang: lang.code(),
        user,
    }
}

/// The pages. `max_upload_body` bounds the multipart upload request as a whole.
pub fn router(max_upload_body: usize) -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/register", get(register_choice))
        .route(
            "/register/organization",
            get(register_org_form).post(register_org),
        )
        .route(
            "/register/person",
            get(register_person_form).post(register_person),
        )
        .route("/lang/{code}", get(set_lang))
        .route("/subjects/{id}", get(subject_page))
        .route("/admin/users", get(admin_users).post(admin_create_user))
        .route("/admin/grants", post(admin_add_grant))
        .route("/admin/tokens", post(admin_issue_token))
        .route("/audit", get(audit_page))
        .route("/audit/verify", get(audit_verify_page))
        .route("/admin/tokens/revoke", post(admin_revoke_token))
        .route("/files/new", get(upload_form))
        .route(
            "/files",
            post(upload).layer(DefaultBodyLimit::max(max_upload_body)),
        )
        .route("/applications/mine", get(applications::mine))
        .route("/applications/start", post(applications::start))
        .route("/applications/{id}", get(applications::page))
        .route("/applications/{id}/draft", post(applications::save_draft))
        .route(
            "/applications/{id}/attachments",
            post(applications::attach).layer(DefaultBodyLimit::max(max_upload_body)),
        )
        .route(
            "/applications/{id}/attachments/{attachment}",
            get(applications::download),
        )
        .route(
            "/applications/{id}/in-unit-notice",
            post(applications::in_unit_notice),
        )
        .route(
            "/applications/{id}/in-unit-objections",
            post(applications::in_unit_objection),
        )
        .route(
            "/applications/{id}/in-unit-objections/{objection}/settle",
            post(applications::settle),
        )
        .route("/applications/{id}/submit", post(applications::submit))
        .route("/applications/{id}/withdraw", post(applications::withdraw))
        .route("/applications/{id}/resubmit", post(applications::resubmit))
        .route("/applications/{id}/review", post(applications::review))
        .route("/recommend", post(applications::recommend))
        .route("/queue", get(applications::queue))
        .route(
            "/subjects/{id}/interests",
            post(applications::declare_interest),
        )
        .route("/notices", get(acceptance::notices))
        .route("/notices/{id}", get(acceptance::notice))
        .route("/notices/{id}/objections", post(acceptance::object))
        .route(
            "/objections/status",
            get(acceptance::status_form).post(acceptance::status),
        )
        .route("/office", get(acceptance::office))
        .route("/notifications", get(acceptance::notifications))
        .route("/notifications/{id}/read", post(acceptance::mark_read))
        .route("/admin/outbox", get(acceptance::outbox))
        .route(
            "/cycles",
            get(acceptance::cycles).post(acceptance::open_cycle),
        )
        .route("/office/acceptance-list", post(acceptance::publish))
        .route("/office/{id}/opinions", post(acceptance::request_opinions))
        .route(
            "/office/{id}/formal-review",
            post(acceptance::formal_review),
        )
        .route("/office/{id}/accept", post(acceptance::accept))
        .route("/opinions", get(acceptance::opinions))
        .route("/opinions/{id}/answer", post(acceptance::answer))
        .route("/objections", get(acceptance::objections))
        .route("/objections/{id}/handle", post(acceptance::handle))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/{*path}", get(assets::asset))
}

// ---- home -----------------------------------------------------------------------------

struct CycleLine {
    title: String,
    opens: String,
    closes: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home_public.html")]
struct PublicHome {
    chrome: Chrome,
    cycle: Option<CycleLine>,
}

struct Item {
    text: String,
    href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    display_name: String,
    warnings: Vec<String>,
    items: Vec<Item>,
    roles: Vec<String>,
}

fn await_item(lang: Lang, a: qaward_app::home::Await) -> Item {
    use qaward_app::home::Await as A;
    let en = lang == Lang::En;
    let tr = lang.tr();
    let (text, href) = match a {
        A::OwnSubject(s) => (tr.my_subject.to_owned(), Some(format!("/subjects/{s}"))),
        A::MyApplication => (
            tr.my_application.to_owned(),
            Some("/applications/mine".into()),
        ),
        A::ChannelQueue(n) => (format!("{}: {n}", tr.queue), Some("/queue".into())),
        A::OfficeQueue(n) => (format!("{}: {n}", tr.office_queue), Some("/office".into())),
        A::Dashboard => (tr.cycle.to_owned(), Some("/cycles".into())),
        A::Notifications(n) => (
            format!("{}: {n}", tr.notifications),
            Some("/notifications".into()),
        ),
        A::OpinionRequests(n) => (
            format!("{}: {n}", tr.opinion_queue),
            Some("/opinions".into()),
        ),
        A::Objections(n) => (
            format!("{}: {n}", tr.objection_queue),
            Some("/objections".into()),
        ),
        A::ApplicationWindow(c) => (
            if en {
                format!(
                    "Cycle {}: applications from {} to {}",
                    c.cycle.ordinal, c.timeline.application_opens, c.timeline.application_closes
                )
            } else {
                format!(
                    "第{}届申报期：{} 至 {}",
                    c.cycle.ordinal, c.timeline.application_opens, c.timeline.application_closes
                )
            },
            None,
        ),
        A::ChannelReviewDue(c) => (
            if en {
                format!(
                    "Reviews and recommendations of cycle {} are due by {}",
                    c.cycle.ordinal, c.timeline.channel_review_due
                )
            } else {
                format!(
                    "第{}届审核推荐截止：{}",
                    c.cycle.ordinal, c.timeline.channel_review_due
                )
            },
            None,
        ),
        A::FormalReviewDue(c) => (
            if en {
                format!(
                    "Cycle {}: formal review due by {}",
                    c.cycle.ordinal, c.timeline.formal_review_due
                )
            } else {
                format!(
                    "第{}届形式审查截止：{}",
                    c.cycle.ordinal, c.timeline.formal_review_due
                )
            },
            None,
        ),
        A::SubjectsRegistered(n) => (format!("{}: {n}", tr.subjects_registered), None),
        A::AuditLog => (tr.audit_log.to_owned(), Some("/audit".into())),
        A::Accounts(n) => (
            format!("{}: {n}", tr.accounts_count),
            Some("/admin/users".into()),
        ),
    };
    Item { text, href }
}

async fn home(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let chrome = chrome(lang, &viewer);
    let Some(p) = viewer.principal() else {
        let cycle = qaward_app::home::current_cycle(&state.app)
            .await?
            .map(|c| CycleLine {
                title: if lang == Lang::En {
                    format!("Cycle {} ({})", c.cycle.ordinal, c.cycle.year)
                } else {
                    format!("第{}届（{}年）", c.cycle.ordinal, c.cycle.year)
                },
                opens: c.timeline.application_opens.to_string(),
                closes: c.timeline.application_closes.to_string(),
            });
        return Ok(PublicHome { chrome, cycle }.into_response());
    };
    let (items, warnings) = qaward_app::home::awaits(&state.app, p).await?;
    Ok(Home {
        display_name: p.user.display_name.clone(),
        warnings,
        items: items.into_iter().map(|a| await_item(lang, a)).collect(),
        roles: p
            .roles()
            .into_iter()
            .map(|r| role_name(lang, r).to_owned())
            .collect(),
        chrome,
    }
    .into_response())
}

// ---- login ----------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    error: Option<String>,
    username: String,
}

async fn login_form(lang: Lang, viewer: Viewer) -> Response {
    if viewer.principal().is_some() {
        return Redirect::to("/").into_response();
    }
    LoginPage {
        chrome: chrome(lang, &viewer),
        error: None,
        username: String::new(),
    }
    .into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Starts a session and answers with its cookie.
pub fn start_session(state: &AppState, token: &str, to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    let secs = state.app.settings.session_hours * 3600;
    r.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(token, secs, state.config.secure_cookies),
    );
    r
}

async fn end_old_session(state: &AppState, viewer: &Viewer) {
    // A session id set before login (planted, or stale) is ended, not reused.
    if let (Some(p), Some(t)) = (viewer.principal(), viewer.session_token.as_deref()) {
        let _ = auth::logout(&state.app, p, t).await;
    }
}

async fn login(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<LoginForm>,
) -> Response {
    match auth::login(&state.app, &f.username, &f.password, &viewer.address).await {
        Ok(ok) => {
            end_old_session(&state, &viewer).await;
            start_session(&state, &ok.token, "/")
        }
        Err(e) => {
            let err = WebError::from(e);
            let page = LoginPage {
                chrome: chrome(lang, &viewer),
                error: Some(err.detail.message.clone()),
                username: f.username,
            };
            let mut r = (err.status, page).into_response();
            if err.status == StatusCode::TOO_MANY_REQUESTS {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("900"));
            }
            r
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if let (Some(p), Some(t)) = (viewer.principal(), viewer.session_token.as_deref()) {
        auth::logout(&state.app, p, t).await?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        clear_session_cookie(state.config.secure_cookies),
    );
    Ok(r)
}

async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let value = if code == "en" { "en" } else { "zh" };
    // Back to the page the link was on, if it was one of ours.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/lang/"))
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "lang={value}; Path=/; Max-Age=31536000; SameSite=Lax"
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

// ---- registration ---------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
struct RegisterChoice {
    chrome: Chrome,
}

async fn register_choice(lang: Lang, viewer: Viewer) -> RegisterChoice {
    RegisterChoice {
        chrome: chrome(lang, &viewer),
    }
}

fn counties(state: &AppState) -> Vec<(String, String)> {
    state
        .app
        .policy
        .counties
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "register_org.html")]
struct RegisterOrgPage {
    chrome: Chrome,
    error: Option<String>,
    f: OrgRegistration,
    industry: String,
    email: String,
    counties: Vec<(String, String)>,
}

async fn register_org_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> RegisterOrgPage {
    let f = OrgRegistration {
        kind: "enterprise".into(),
        ..OrgRegistration::default()
    };
    RegisterOrgPage {
        chrome: chrome(lang, &viewer),
        error: None,
        f,
        industry: String::new(),
        email: String::new(),
        counties: counties(&state),
    }
}

fn form_error(e: AppError) -> (StatusCode, String) {
    let w = WebError::from(e);
    let msg = match &w.detail.field {
        Some(f) => format!("{f}: {}", w.detail.message),
        None => w.detail.message.clone(),
    };
    (w.status, msg)
}

async fn register_org(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<OrgRegistration>,
) -> Response {
    match accounts::register(&state.app, Registration::Organization(&f)).await {
        Ok(_) => login_after_registration(&state, &viewer, &f.username, &f.password).await,
        Err(e) => {
            let (status, msg) = form_error(e);
            let page = RegisterOrgPage {
                chrome: chrome(lang, &viewer),
                error: Some(msg),
                industry: f.industry.clone().unwrap_or_default(),
                email: f.contact_email.clone().unwrap_or_default(),
                counties: counties(&state),
                f: OrgRegistration {
                    password: String::new(),
                    ..f
                },
            };
            (status, page).into_response()
        }
    }
}

async fn login_after_registration(
    state: &AppState,
    viewer: &Viewer,
    username: &str,
    password: &str,
) -> Response {
    match auth::login(&state.app, username, password, &viewer.address).await {
        Ok(ok) => {
            end_old_session(state, viewer).await;
            start_session(state, &ok.token, "/")
        }
        Err(_) => Redirect::to("/login").into_response(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "register_person.html")]
struct RegisterPersonPage {
    chrome: Chrome,
    error: Option<String>,
    f: PersonRegistration,
    position: String,
    email: String,
    counties: Vec<(String, String)>,
}

async fn register_person_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> RegisterPersonPage {
    let f = PersonRegistration {
        employer_kind: "enterprise".into(),
        ..PersonRegistration::default()
    };
    RegisterPersonPage {
        chrome: chrome(lang, &viewer),
        error: None,
        f,
        position: String::new(),
        email: String::new(),
        counties: counties(&state),
    }
}

async fn register_person(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<PersonRegistration>,
) -> Response {
    match accounts::register(&state.app, Registration::Person(&f)).await {
        Ok(_) => login_after_registration(&state, &viewer, &f.username, &f.password).await,
        Err(e) => {
            let (status, msg) = form_error(e);
            let page = RegisterPersonPage {
                chrome: chrome(lang, &viewer),
                error: Some(msg),
                position: f.position.clone().unwrap_or_default(),
                email: f.contact_email.clone().unwrap_or_default(),
                counties: counties(&state),
                f: PersonRegistration {
                    password: String::new(),
                    ..f
                },
            };
            (status, page).into_response()
        }
    }
}

// ---- subjects -------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "subject.html")]
struct SubjectPage {
    chrome: Chrome,
    s: subjects::SubjectView,
    kind_label: &'static str,
    county_name: String,
}

fn kind_label(tr: &Tr, kind: &str) -> &'static str {
    match kind {
        "enterprise" => tr.enterprise,
        "government-organ" => tr.government_organ,
        "public-institution" => tr.public_institution,
        _ => tr.social_organization,
    }
}

async fn subject_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<SubjectPage, PageError> {
    let p = viewer.require()?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("subject {id}")))?;
    let s = subjects::view(&state.app, p, SubjectId(id)).await?;
    let county_name = state
        .app
        .policy
        .county(&s.county)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| s.county.clone());
    Ok(SubjectPage {
        kind_label: kind_label(lang.tr(), s.org_kind),
        county_name,
        s,
        chrome: chrome(lang, &viewer),
    })
}

// ---- admin ----------------------------------------------------------------------------

struct UserLine {
    id: i64,
    username: String,
    display_name: String,
    service: bool,
    grants: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct AdminUsers {
    chrome: Chrome,
    users: Vec<UserLine>,
    roles: Vec<(&'static str, &'static str)>,
    csrf: String,
    new_token: Option<String>,
}

/// A grant as one line: `county-reviewer · county:xinfu`.
pub fn grant_line(g: &qaward_domain::permission::Grant) -> String {
    use qaward_domain::permission::Scope;
    let scope = match &g.scope {
        Scope::Subject(s) => format!("subject:{s}"),
        Scope::County(c) => format!("county:{c}"),
        Scope::Industry(i) => format!("industry:{i}"),
        Scope::OpinionDept(d) => format!("opinion-dept:{d}"),
        Scope::Cycles(c) => format!(
            "cycles:{}",
            c.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
        Scope::Program => "program".into(),
        Scope::Installation => "installation".into(),
    };
    format!("{} · {scope}", g.role.as_str())
}

async fn admin_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    new_token: Option<String>,
) -> Result<AdminUsers, PageError> {
    let p = viewer.require()?;
    let users = accounts::list_users(&state.app, p).await?;
    Ok(AdminUsers {
        users: users
            .into_iter()
            .map(|(u, g)| UserLine {
                id: u.id.0,
                username: u.username,
                display_name: u.display_name,
                service: u.service,
                grants: g.iter().map(grant_line).collect(),
            })
            .collect(),
        roles: Role::ALL
            .into_iter()
            .filter(|r| !matches!(r, Role::ApplicantOrg | Role::ApplicantPerson))
            .map(|r| (r.as_str(), role_name(lang, r)))
            .collect(),
        csrf: p.csrf.clone().unwrap_or_default(),
        new_token,
        chrome: chrome(lang, viewer),
    })
}

async fn admin_users(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<AdminUsers, PageError> {
    admin_page(&state, lang, &viewer, None).await
}

#[derive(Deserialize)]
struct CreateUserForm {
    username: String,
    display_name: String,
    #[serde(default)]
    password: String,
    role: String,
    #[serde(default)]
    scope: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    service: Option<String>,
}

async fn admin_create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<CreateUserForm>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let grant = accounts::parse_grant(&f.role, &f.scope)?;
    accounts::create_staff(
        &state.app,
        p,
        &NewStaff {
            username: f.username,
            display_name: f.display_name,
            password: f.password,
            email: None,
            grants: vec![grant],
            service: f.service.is_some(),
        },
    )
    .await?;
    Ok(Redirect::to("/admin/users"))
}

#[derive(Deserialize)]
struct GrantForm {
    user_id: String,
    role: String,
    #[serde(default)]
    scope: String,
}

fn user_id(s: &str) -> Result<UserId, AppError> {
    s.trim()
        .parse()
        .map(UserId)
        .map_err(|_| AppError::invalid("user_id", format!("`{s}` is not an account id")))
}

async fn admin_add_grant(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<GrantForm>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let grant = accounts::parse_grant(&f.role, &f.scope)?;
    accounts::add_grant(&state.app, p, user_id(&f.user_id)?, &grant).await?;
    Ok(Redirect::to("/admin/users"))
}

#[derive(Deserialize)]
struct TokenForm {
    user_id: String,
    name: String,
    #[serde(default)]
    days: String,
}

async fn admin_issue_token(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Result<AdminUsers, PageError> {
    let p = viewer.require()?;
    let days = match f.days.trim() {
        "" => None,
        d => Some(
            d.parse::<i64>()
                .map_err(|_| AppError::invalid("days", format!("`{d}` is not a number of days")))?,
        ),
    };
    let (_, token) = auth::issue_token(&state.app, p, user_id(&f.user_id)?, &f.name, days).await?;
    admin_page(&state, lang, &viewer, Some(token)).await
}

#[derive(Deserialize)]
struct RevokeForm {
    token_id: String,
}

async fn admin_revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<RevokeForm>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = f.token_id.trim().parse().map_err(|_| {
        AppError::invalid("token_id", format!("`{}` is not a token id", f.token_id))
    })?;
    auth::revoke_token(&state.app, p, id).await?;
    Ok(Redirect::to("/admin/users"))
}

// ---- audit ----------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    /// The verification's outcome, when asked for.
    verified: Option<(bool, String)>,
    entries: Vec<audit::Entry>,
}

async fn audit_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<AuditPage, PageError> {
    let p = viewer.require()?;
    let entries = crate::api::audit_entries(&state, p, 100).await?;
    Ok(AuditPage {
        chrome: chrome(lang, &viewer),
        verified: None,
        entries,
    })
}

async fn audit_verify_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<AuditPage, PageError> {
    let p = viewer.require()?;
    let verified = crate::api::audit_verify(&state, p).await?;
    let entries = crate::api::audit_entries(&state, p, 100).await?;
    Ok(AuditPage {
        chrome: chrome(lang, &viewer),
        verified: Some(verified),
        entries,
    })
}

// ---- files ----------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "upload.html")]
struct UploadPage {
    chrome: Chrome,
    csrf: String,
    max_bytes: u64,
    uploaded: Option<files::Uploaded>,
}

async fn upload_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<UploadPage, PageError> {
    let p = viewer.require()?;
    Ok(UploadPage {
        csrf: p.csrf.clone().unwrap_or_default(),
        max_bytes: state.app.settings.max_upload_bytes,
        uploaded: None,
        chrome: chrome(lang, &viewer),
    })
}

/// A multipart upload: the `csrf` field first (read with a small limit), then the
/// `file` field, streamed.
async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    mut form: Multipart,
) -> Result<UploadPage, PageError> {
    let p = viewer.require()?;
    let malformed = |e: axum::extract::multipart::MultipartError| {
        PageError(WebError::new(e.status(), "malformed", e.body_text()))
    };
    let mut csrf_ok = false;
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        match field.name() {
            Some("csrf") => {
                let mut v = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    v.extend_from_slice(&chunk);
                    if v.len() > 256 {
                        return Err(PageError(WebError::csrf()));
                    }
                }
                let v = String::from_utf8(v).map_err(|_| PageError(WebError::csrf()))?;
                check_csrf(Some(&viewer), format!("csrf={}", urlencode(&v)).as_bytes())?;
                csrf_ok = true;
            }
            Some("file") if csrf_ok => {
                let uploaded = files::upload(&state.app, p, Box::pin(field)).await?;
                return Ok(UploadPage {
                    csrf: p.csrf.clone().unwrap_or_default(),
                    max_bytes: state.app.settings.max_upload_bytes,
                    uploaded: Some(uploaded),
                    chrome: chrome(lang, &viewer),
                });
            }
            _ => return Err(PageError(WebError::csrf())),
        }
    }
    Err(AppError::invalid("file", "choose a file to upload").into())
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)])
        .map(|e| e[2..].to_owned())
        .unwrap_or_default()
}

/// Pages that do not exist: an HTML 404, or JSON under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let e = WebError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no page at {}", uri.path()),
    );
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
    match state.app.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

//! Login and logout, the language switch, and applicants' registration: a refused
//! registration comes back with what was typed (the password excepted) and the field at
//! fault named.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::accounts::{self, Registration};
use qaward_app::{AppError, auth};

use super::{Chrome, chrome};
use crate::AppState;
use crate::error::{PageError, WebError, with_retry_after};
use crate::i18n::Lang;
use crate::inputs::{Empty, LoginFormIn, OrgRegistrationIn, PersonRegistrationIn};
use crate::session::{
    CsrfForm, PublicForm, Viewer, clear_session_cookie, safe_next, session_cookie,
};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    chrome: Chrome,
    error: Option<String>,
    username: String,
    /// The page to go back to after the login, when it is one of ours.
    next: Option<String>,
    /// The Office's contact, for whoever has forgotten a password.
    contact: String,
}

impl LoginPage {
    fn new(state: &AppState, lang: Lang, viewer: &Viewer, next: Option<&str>) -> Self {
        LoginPage {
            chrome: chrome(lang, viewer),
            error: None,
            username: String::new(),
            next: next.and_then(safe_next).map(str::to_owned),
            contact: state.config.office_contact.clone(),
        }
    }
}

/// `?next=` of the login form; unreadable, it is ignored rather than refused.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

pub(super) async fn login_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Response {
    let q: NextQuery = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let next = q.next.as_deref().and_then(safe_next);
    if viewer.principal().is_some() {
        return Redirect::to(next.unwrap_or("/")).into_response();
    }
    LoginPage::new(&state, lang, &viewer, next).into_response()
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

pub(super) async fn end_old_session(state: &AppState, viewer: &Viewer) {
    // A session id set before login (planted, or stale) is ended, not reused.
    if let (Some(p), Some(t)) = (viewer.principal(), viewer.session_token.as_deref()) {
        let _ = auth::logout(&state.app, p, t).await;
    }
}

pub(super) async fn login(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(LoginFormIn { login: f, next }): PublicForm<LoginFormIn>,
) -> Response {
    let next = next.as_deref().and_then(safe_next);
    match auth::login(&state.app, &f.username, &f.password, &viewer.address).await {
        Ok(ok) => {
            end_old_session(&state, &viewer).await;
            start_session(&state, &ok.token, next.unwrap_or("/"))
        }
        Err(e) => {
            let err = WebError::from(e);
            // A name too long to be one is not shown back: it may be anything pasted.
            let username = if f.username.chars().count() > auth::MAX_USERNAME_CHARS {
                String::new()
            } else {
                f.username
            };
            let page = LoginPage {
                error: Some(lang.field_message(err.field.as_deref(), &err.text(lang))),
                username,
                ..LoginPage::new(&state, lang, &viewer, next)
            };
            with_retry_after((err.status, page).into_response(), err.retry_after())
        }
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    if let (Some(p), Some(t)) = (viewer.principal(), viewer.session_token.as_deref()) {
        auth::logout(&state.app, p, t).await?;
    }
    let mut r = super::done::to("/", super::done::Done::LoggedOut).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        clear_session_cookie(state.config.secure_cookies),
    );
    Ok(r)
}

pub(super) async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
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

/// `POST /program`: the program to work in, from the header's switcher (issue #13, item
/// 4), kept in a cookie and taken only where the person may work in it; any other number
/// is not found, as every program they cannot see. Back to the home page, whose desks are
/// then that program's.
pub(super) async fn switch_program(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::session::CsrfPairs(pairs): crate::session::CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let choice = super::forms::sent(&pairs, "program")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(qaward_domain::ids::ProgramId);
    let mut chosen = p.clone();
    qaward_app::programs::choose(&state.app, &mut chosen, choice).await?;
    let Some(id) = chosen.program else {
        return Err(AppError::NotFound("program".into()).into());
    };
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000",
        crate::session::PROGRAM_COOKIE,
        id.0
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

// ---- registration ---------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
pub(super) struct RegisterChoice {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
}

pub(super) async fn register_choice(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<RegisterChoice, PageError> {
    Ok(RegisterChoice {
        law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
        chrome: chrome(lang, &viewer),
    })
}

/// One choice of a select: its value and its label.
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// The counties of the version in force, where a subject registers.
async fn counties(state: &AppState) -> Result<Vec<Choice>, PageError> {
    Ok(state
        .app
        .policy()
        .await?
        .counties
        .iter()
        .map(|c| Choice {
            id: c.id.clone(),
            name: c.name.clone(),
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "register_org.html")]
pub(super) struct RegisterOrgPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    error: Option<String>,
    f: OrgRegistrationIn,
    industry: String,
    email: String,
    counties: Vec<Choice>,
}

impl RegisterOrgPage {
    async fn new(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        f: OrgRegistrationIn,
    ) -> Result<Self, PageError> {
        Ok(RegisterOrgPage {
            law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
            chrome: chrome(lang, viewer),
            error: None,
            industry: f.industry.clone().unwrap_or_default(),
            email: f.contact_email.clone().unwrap_or_default(),
            counties: counties(state).await?,
            f: OrgRegistrationIn {
                password: String::new(),
                ..f
            },
        })
    }
}

pub(super) async fn register_org_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<RegisterOrgPage, PageError> {
    let f = OrgRegistrationIn {
        kind: "enterprise".into(),
        ..OrgRegistrationIn::default()
    };
    RegisterOrgPage::new(&state, lang, &viewer, f).await
}

/// A refused form's message, naming the field at fault, and when to try again.
fn form_error(lang: Lang, e: AppError) -> (StatusCode, String, Option<u64>) {
    let w = WebError::from(e);
    let msg = lang.field_message(w.field.as_deref(), &w.text(lang));
    (w.status, msg, w.retry_after())
}

pub(super) async fn register_org(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<OrgRegistrationIn>,
) -> Response {
    let reg = f.clone().into();
    match accounts::register(
        &state.app,
        Registration::Organization(&reg),
        &viewer.address,
    )
    .await
    {
        Ok(_) => login_after_registration(&state, &viewer, &f.username, &f.password).await,
        Err(e) => {
            let (status, msg, retry) = form_error(lang, e);
            let mut page = match RegisterOrgPage::new(&state, lang, &viewer, f).await {
                Ok(p) => p,
                Err(e) => return e.into_response(),
            };
            page.error = Some(msg);
            with_retry_after((status, page).into_response(), retry)
        }
    }
}

pub(super) async fn login_after_registration(
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
pub(super) struct RegisterPersonPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    error: Option<String>,
    f: PersonRegistrationIn,
    position: String,
    email: String,
    counties: Vec<Choice>,
}

impl RegisterPersonPage {
    async fn new(
        state: &AppState,
        lang: Lang,
        viewer: &Viewer,
        f: PersonRegistrationIn,
    ) -> Result<Self, PageError> {
        Ok(RegisterPersonPage {
            law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
            chrome: chrome(lang, viewer),
            error: None,
            position: f.position.clone().unwrap_or_default(),
            email: f.contact_email.clone().unwrap_or_default(),
            counties: counties(state).await?,
            f: PersonRegistrationIn {
                password: String::new(),
                ..f
            },
        })
    }
}

pub(super) async fn register_person_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<RegisterPersonPage, PageError> {
    let f = PersonRegistrationIn {
        employer_kind: "enterprise".into(),
        ..PersonRegistrationIn::default()
    };
    RegisterPersonPage::new(&state, lang, &viewer, f).await
}

pub(super) async fn register_person(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<PersonRegistrationIn>,
) -> Response {
    let reg = f.clone().into();
    match accounts::register(&state.app, Registration::Person(&reg), &viewer.address).await {
        Ok(_) => login_after_registration(&state, &viewer, &f.username, &f.password).await,
        Err(e) => {
            let (status, msg, retry) = form_error(lang, e);
            let mut page = match RegisterPersonPage::new(&state, lang, &viewer, f).await {
                Ok(p) => p,
                Err(e) => return e.into_response(),
            };
            page.error = Some(msg);
            with_retry_after((status, page).into_response(), retry)
        }
    }
}

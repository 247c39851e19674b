//! The installation's pages: accounts, grants and API tokens (admins), the e-mail outbox,
//! plain uploads, and the audit log with its verification (supervisors).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::accounts::{self, NewStaff};
use qaward_app::{AppError, auth, files};
use qaward_domain::ids::UserId;
use qaward_domain::msg;
use qaward_domain::permission::Role;
use serde::Deserialize;

use super::done::{self, Done};
use super::{Chrome, chrome, csrf};
use crate::AppState;
use crate::error::{PageError, WebError};
use crate::i18n::{Lang, label, when};
use crate::inputs::{ActiveIn, CreateUserIn, GrantIn, PasswordIn, TokenIn, lenient};
use crate::session::{CsrfForm, CsrfPairs, Viewer, check_csrf};

/// Creates a staff or service account; a refusal shows the page again with what was typed
/// (the password excepted).
pub(super) async fn create_user(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let created = async {
        let f: CreateUserIn = crate::inputs::from_pairs(pairs.clone())?;
        let grants = f.grants()?;
        let staff = NewStaff {
            username: f.username,
            display_name: f.display_name,
            password: f.password,
            email: f.email,
            grants,
            service: f.service,
        };
        accounts::create_staff(&state.app, p, &staff).await
    };
    let Err(e) = created.await else {
        return Ok(done::to("/admin/users", Done::AccountCreated).into_response());
    };
    super::users::refused_on_users(&state, lang, &viewer, "user", pairs, e).await
}

/// The account a page form names: the API takes it from the path.
#[derive(Deserialize)]
pub(super) struct ForUser<T> {
    #[serde(deserialize_with = "lenient::number")]
    user_id: i64,
    #[serde(flatten)]
    input: T,
}

pub(super) async fn add_grant(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: ForUser<GrantIn> = crate::inputs::from_pairs(pairs.clone())?;
        let grant = f.input.grant()?;
        accounts::add_grant(&state.app, p, UserId(f.user_id), &grant).await
    }
    .await;
    match result {
        Ok(_) => Ok(done::to("/admin/users", Done::GrantAdded).into_response()),
        Err(e) => super::users::refused_on_users(&state, lang, &viewer, "grant", pairs, e).await,
    }
}

/// `POST /admin/programs`: a new program under its own measures (issue #13, item 4);
/// refused, the accounts page again with the form as typed.
pub(super) async fn add_program(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: crate::inputs::ProgramAddIn = crate::inputs::from_pairs(pairs.clone())?;
        qaward_app::programs::add(&state.app, p, &f.program()).await
    }
    .await;
    match result {
        Ok(_) => Ok(done::to("/admin/users", Done::ProgramAdded).into_response()),
        Err(e) => super::users::refused_on_users(&state, lang, &viewer, "program", pairs, e).await,
    }
}

pub(super) async fn issue_token(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: ForUser<TokenIn> = crate::inputs::from_pairs(pairs.clone())?;
        let t = f.input;
        auth::issue_token(&state.app, p, UserId(f.user_id), &t.name, t.days).await
    }
    .await;
    match result {
        Ok((_, token)) => Ok(
            super::users::admin_page(&state, lang, &viewer, "", Some(token))
                .await?
                .into_response(),
        ),
        Err(e) => super::users::refused_on_users(&state, lang, &viewer, "token", pairs, e).await,
    }
}

#[derive(Deserialize)]
pub(super) struct RevokeIn {
    #[serde(deserialize_with = "lenient::number")]
    token_id: i64,
}

pub(super) async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<RevokeIn>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    auth::revoke_token(&state.app, p, f.token_id).await?;
    Ok(done::to("/admin/users", Done::TokenRevoked))
}

/// Takes a role away from an account.
pub(super) async fn remove_grant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<GrantIn>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let grant = f.grant()?;
    accounts::remove_grant(&state.app, p, user_of(&raw)?, &grant).await?;
    Ok(done::to("/admin/users", Done::GrantRevoked))
}

/// Deactivates or reactivates an account.
pub(super) async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<ActiveIn>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    accounts::set_active(&state.app, p, user_of(&raw)?, f.active).await?;
    Ok(done::to("/admin/users", Done::AccountStatusChanged))
}

/// Sets a new password for an account.
pub(super) async fn reset_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<PasswordIn>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    accounts::reset_password(&state.app, p, user_of(&raw)?, &f.password).await?;
    Ok(done::to("/admin/users", Done::PasswordReset))
}

/// Ends every session of an account.
pub(super) async fn end_sessions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    accounts::end_sessions(&state.app, p, user_of(&raw)?).await?;
    Ok(done::to("/admin/users", Done::SessionsEnded))
}

/// A form with no fields but its CSRF token.
#[derive(Deserialize)]
pub(super) struct Empty {}

fn user_of(raw: &str) -> Result<UserId, PageError> {
    Ok(UserId(super::path_id("user", raw)?))
}

pub(super) struct MailLine {
    id: i64,
    to: String,
    created_at: String,
    sent_at: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "outbox.html")]
pub(super) struct OutboxPage {
    chrome: Chrome,
    items: Vec<MailLine>,
}

pub(super) async fn outbox(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<OutboxPage, PageError> {
    let p = viewer.require()?;
    let items = qaward_app::notify::outbox(&state.app, p)
        .await?
        .into_iter()
        .map(|m| MailLine {
            id: m.id,
            to: m.to_address,
            created_at: when(lang, &m.created_at),
            sent_at: m.sent_at.map(|s| when(lang, &s)),
        })
        .collect();
    Ok(OutboxPage {
        items,
        chrome: chrome(lang, &viewer),
    })
}

// ---- the audit log --------------------------------------------------------------------

pub(super) struct EntryLine {
    seq: i64,
    at: String,
    actor_name: String,
    actor_role: String,
    action: String,
    object: String,
}

pub(super) struct Verified {
    ok: bool,
    result: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub(super) struct AuditPage {
    chrome: Chrome,
    /// The verification's outcome, when asked for.
    verified: Option<Verified>,
    entries: Vec<EntryLine>,
}

pub(super) async fn audit_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    verified: Option<Verified>,
) -> Result<AuditPage, PageError> {
    let p = viewer.require()?;
    let entries = qaward_app::audit::log(&state.app, p, 100)
        .await?
        .into_iter()
        .map(|e| EntryLine {
            seq: e.seq,
            at: when(lang, &e.at),
            actor_role: e
                .actor_role
                .split(',')
                .map(|r| r.parse::<Role>().map(|r| label(lang, r)).unwrap_or(r))
                .collect::<Vec<_>>()
                .join("、"),
            actor_name: e.actor_name,
            action: e
                .known
                .map(|a| label(lang, a).to_owned())
                .unwrap_or(e.action),
            object: format!("{} {}", e.object_type, e.object_id),
        })
        .collect();
    Ok(AuditPage {
        chrome: chrome(lang, viewer),
        verified,
        entries,
    })
}

pub(super) async fn audit(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<AuditPage, PageError> {
    audit_page(&state, lang, &viewer, None).await
}

pub(super) async fn audit_verify(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<AuditPage, PageError> {
    let p = viewer.require()?;
    let v = qaward_app::audit::verify(&state.app, p).await?;
    let verified = Verified {
        ok: v.ok,
        result: match lang {
            Lang::Zh => v.result_zh,
            Lang::En => v.result,
        },
    };
    audit_page(&state, lang, &viewer, Some(verified)).await
}

// ---- uploads --------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "upload.html")]
pub(super) struct UploadPage {
    chrome: Chrome,
    csrf: String,
    max_bytes: u64,
    uploaded: Option<files::Uploaded>,
}

pub(super) async fn upload_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<UploadPage, PageError> {
    viewer.require()?;
    Ok(UploadPage {
        csrf: csrf(&viewer),
        max_bytes: state.app.settings.max_upload_bytes,
        uploaded: None,
        chrome: chrome(lang, &viewer),
    })
}

/// A multipart upload: the `csrf` field first (read with a small limit), then the
/// `file` field, streamed.
pub(super) async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    mut form: Multipart,
) -> Result<UploadPage, PageError> {
    let p = viewer.require()?;
    let malformed = |e| PageError(crate::body::malformed_multipart(e));
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
                check_csrf(
                    Some(&viewer),
                    format!("csrf={}", super::urlencode(&v)).as_bytes(),
                )?;
                csrf_ok = true;
            }
            Some("file") if csrf_ok => {
                let uploaded = files::upload(&state.app, p, crate::body::field(field)).await?;
                return Ok(UploadPage {
                    csrf: csrf(&viewer),
                    max_bytes: state.app.settings.max_upload_bytes,
                    uploaded: Some(uploaded),
                    chrome: chrome(lang, &viewer),
                });
            }
            _ => return Err(PageError(WebError::csrf())),
        }
    }
    Err(AppError::invalid("file", msg!("choose-a-file")).into())
}

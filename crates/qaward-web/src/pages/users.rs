//! The administrators' accounts page (issue #9 item 13): accounts found by name (a
//! server-side search), roles and scopes chosen from lists built from the domain's roles
//! and the policy's counties, industries, departments and the cycles, and the API tokens
//! with a button to revoke each. The forms post to the handlers in [`super::admin`].

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use qaward_app::accounts;
use qaward_domain::permission::{Role, ScopeKind};
use qaward_domain::text::Vocabulary;

use super::forms::RefusedForm;
use super::{Chrome, chrome, csrf};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, label};
use crate::inputs::FindUsersIn;
use crate::session::Viewer;

pub(super) struct UserLine {
    id: i64,
    username: String,
    display_name: String,
    service: bool,
    active: bool,
    /// The reader's own account: no one manages their own.
    mine: bool,
    grants: Vec<GrantLine>,
}

pub(super) struct GrantLine {
    text: String,
    role: &'static str,
    scope: String,
    /// The program's number, sent back to revoke the grant in that program.
    program: Option<i64>,
}

/// A program of the installation (issue #13, item 4).
pub(super) struct ProgramLine {
    id: i64,
    code: String,
    name: String,
    /// The version of its measures its new cycles open under.
    policy: String,
}

pub(super) struct RoleChoice {
    code: &'static str,
    name: &'static str,
}

/// The scopes of one kind, as an `<optgroup>`.
pub(super) struct ScopeGroup {
    label: &'static str,
    options: Vec<(String, String)>,
}

/// An account to choose in a form: its id, with its names.
pub(super) struct AccountChoice {
    id: i64,
    text: String,
}

pub(super) struct TokenLine {
    id: i64,
    account: String,
    name: String,
    created_at: String,
    expires_at: String,
    status: &'static str,
    live: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub(super) struct AdminUsers {
    chrome: Chrome,
    users: Vec<UserLine>,
    roles: Vec<RoleChoice>,
    scopes: Vec<ScopeGroup>,
    /// Every other account, for the grant form.
    accounts: Vec<AccountChoice>,
    /// Service accounts, for the token form.
    services: Vec<AccountChoice>,
    tokens: Vec<TokenLine>,
    /// The installation's programs; a grant form offers the choice when there are two.
    programs: Vec<ProgramLine>,
    query: String,
    csrf: String,
    new_token: Option<String>,
    /// A refused form (`user`, `grant` or `token`): its messages and what was typed
    /// (never a password).
    pub(super) refused: Option<(&'static str, super::forms::Refill)>,
}

impl AdminUsers {
    /// The messages of the refused form `form`.
    fn errors(&self, form: &'static str) -> &[String] {
        self.refused.errors_of(&form)
    }

    /// What was typed in `field` of the refused form `form`.
    fn typed(&self, form: &'static str, field: &str) -> &str {
        self.refused.typed_of(&form, field)
    }
}

/// A refused form of the users page: the page again with it, as it was sent (without a
/// password).
pub(super) async fn refused_on_users(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    form: &'static str,
    pairs: Vec<(String, String)>,
    e: qaward_app::AppError,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    let typed = pairs.into_iter().filter(|(k, _)| k != "password").collect();
    let (status, _, refill) = super::forms::Refill::of(lang, e, typed)?;
    let mut page = admin_page(state, lang, viewer, "", None).await?;
    page.refused = Some((form, refill));
    Ok((status, page).into_response())
}

fn scope_label(lang: Lang, kind: ScopeKind) -> &'static str {
    let tr = lang.tr();
    match kind {
        ScopeKind::Program => tr.scope_program,
        ScopeKind::Installation => tr.scope_installation,
        ScopeKind::Cycles => tr.cycle_scope,
        other => label(lang, other),
    }
}

/// A grant's scope by name: the unit's, the cycle's, or the subject's number.
fn scope_name(
    lang: Lang,
    scope: &qaward_domain::permission::Scope,
    names: &BTreeMap<String, String>,
) -> String {
    use qaward_domain::permission::Scope;
    if let Some(n) = names.get(&scope.to_string()) {
        return n.clone();
    }
    let tr = lang.tr();
    match scope {
        Scope::Subject(id) => format!("{} {}", tr.subject, id.0),
        Scope::Cycles(c) => {
            let list: Vec<String> = c.iter().map(|c| c.0.to_string()).collect();
            format!("{} {}", tr.cycle_scope, list.join("、"))
        }
        other => scope_label(lang, other.kind()).to_owned(),
    }
}

pub(super) async fn admin_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    query: &str,
    new_token: Option<String>,
) -> Result<AdminUsers, PageError> {
    let p = viewer.require()?;
    let app = &state.app;
    let found = accounts::find_users(app, p, query).await?;
    let everyone = if query.trim().is_empty() {
        found.iter().map(|(u, _)| u.clone()).collect()
    } else {
        app_users(state, p).await?
    };
    let mut groups: BTreeMap<u8, ScopeGroup> = BTreeMap::new();
    // The scopes' names, to show a grant as people say it (忻府区, not county:xinfu).
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for c in accounts::scope_choices(app, p).await? {
        let order = match c.kind {
            ScopeKind::Program => 0,
            ScopeKind::Installation => 1,
            ScopeKind::County => 2,
            ScopeKind::Industry => 3,
            ScopeKind::OpinionDept => 4,
            _ => 5,
        };
        let name = match c.kind {
            ScopeKind::Program | ScopeKind::Installation => scope_label(lang, c.kind).to_owned(),
            _ => c.name,
        };
        names.insert(c.scope.to_string(), name.clone());
        groups
            .entry(order)
            .or_insert_with(|| ScopeGroup {
                label: scope_label(lang, c.kind),
                options: vec![],
            })
            .options
            .push((c.scope.to_string(), name));
    }
    let tokens = accounts::tokens(app, p).await?;
    let programs: Vec<ProgramLine> = qaward_app::programs::all(app)
        .await?
        .into_iter()
        .map(|x| ProgramLine {
            id: x.id.0,
            code: x.code,
            name: x.name,
            policy: x.policy_id,
        })
        .collect();
    // With two programs, a grant says which one it holds in.
    let program_name = |id: Option<qaward_domain::ids::ProgramId>| -> String {
        match id.and_then(|id| programs.iter().find(|x| x.id == id.0)) {
            Some(x) if programs.len() > 1 => format!(" · {}", x.name),
            _ => String::new(),
        }
    };
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let tr = lang.tr();
    Ok(AdminUsers {
        refused: None,
        users: found
            .into_iter()
            .map(|(u, g)| UserLine {
                id: u.id.0,
                mine: u.id == p.user.id,
                username: u.username,
                display_name: u.display_name,
                service: u.service,
                active: u.active,
                grants: g
                    .iter()
                    .map(|g| GrantLine {
                        text: format!(
                            "{} · {}{}",
                            label(lang, g.role),
                            scope_name(lang, &g.scope, &names),
                            program_name(g.program)
                        ),
                        role: g.role.code(),
                        scope: g.scope.to_string(),
                        program: g.program.map(|p| p.0),
                    })
                    .collect(),
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .filter(|r| !matches!(r, Role::ApplicantOrg | Role::ApplicantPerson))
            .map(|r| RoleChoice {
                code: r.code(),
                name: label(lang, *r),
            })
            .collect(),
        scopes: groups.into_values().collect(),
        accounts: everyone
            .iter()
            .filter(|u| u.id != p.user.id)
            .map(|u| AccountChoice {
                id: u.id.0,
                text: format!("{}（{}）", u.display_name, u.username),
            })
            .collect(),
        services: everyone
            .iter()
            .filter(|u| u.service)
            .map(|u| AccountChoice {
                id: u.id.0,
                text: format!("{}（{}）", u.display_name, u.username),
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| {
                let (status, live) = if t.revoked_at.is_some() {
                    (tr.token_revoked, false)
                } else if t.expires_at <= now {
                    (tr.token_expired, false)
                } else {
                    (tr.token_active, true)
                };
                TokenLine {
                    id: t.id,
                    account: t.username,
                    name: t.name,
                    created_at: table_time(&t.created_at),
                    expires_at: table_time(&t.expires_at),
                    status,
                    live,
                }
            })
            .collect(),
        programs,
        query: query.trim().to_owned(),
        csrf: csrf(viewer),
        new_token,
        chrome: chrome(lang, viewer),
    })
}

/// A stored time as tables show it: `2026-12-01 10:05`, in China Standard Time.
fn table_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
            t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
        }
        Err(_) => at.to_owned(),
    }
}

/// Every account, for the forms' lists when the table shows a search's results.
async fn app_users(
    state: &AppState,
    p: &qaward_app::Principal,
) -> Result<Vec<qaward_app::records::User>, PageError> {
    Ok(accounts::find_users(&state.app, p, "")
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .collect())
}

/// `GET /admin/users?q=…`: the accounts, found by name when `q` is given.
pub(super) async fn users(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<AdminUsers, PageError> {
    let f: FindUsersIn = crate::inputs::from_form(raw.unwrap_or_default().as_bytes())?;
    admin_page(&state, lang, &viewer, f.q.as_deref().unwrap_or(""), None).await
}

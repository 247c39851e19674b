//! A subject of the register (an audited read), the declaration of interest (A29) any
//! staff member may make from an application's page, and the organizations' registrations
//! a county's reviewer (or the Office) confirms against their licences (A10.1).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Redirect;
use qaward_app::subjects;
use qaward_domain::ids::SubjectId;

use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, label, when};
use crate::inputs::{ConfirmRegistrationIn, InterestIn};
use crate::session::{CsrfForm, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "subject.html")]
pub(super) struct SubjectPage {
    chrome: Chrome,
    s: subjects::SubjectView,
    kind_label: &'static str,
    county_name: String,
    registered_at: String,
}

pub(super) async fn subject_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<SubjectPage, PageError> {
    let p = viewer.require()?;
    let s = subjects::view(&state.app, p, SubjectId(path_id("subject", &raw)?)).await?;
    let county_name = state
        .app
        .policy
        .county(&s.county)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| s.county.clone());
    Ok(SubjectPage {
        kind_label: label(lang, s.org_kind),
        registered_at: when(lang, &s.registered_at),
        county_name,
        s,
        chrome: chrome(lang, &viewer),
    })
}

pub(super) async fn declare_interest(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<InterestIn>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("subject", &raw)?);
    subjects::declare_interest(&state.app, p, id, &f.reason).await?;
    Ok(Redirect::to("/"))
}

pub(super) struct RegistrationLine {
    id: i64,
    name: String,
    credit_code: String,
    kind: &'static str,
    county: String,
    founded: String,
    legal_representative: String,
    contact: String,
    registered_at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "registrations.html")]
pub(super) struct RegistrationsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<RegistrationLine>,
}

/// `GET /registrations`: the organizations awaiting the viewer's confirmation.
pub(super) async fn registrations(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<RegistrationsPage, PageError> {
    let p = viewer.require()?;
    let policy = &state.app.policy;
    let items = qaward_app::registrations::unconfirmed(&state.app, p)
        .await?
        .into_iter()
        .map(|u| RegistrationLine {
            id: u.subject.0,
            kind: label(lang, u.org_kind),
            county: policy
                .county(&u.county)
                .map(|c| c.name.clone())
                .unwrap_or(u.county),
            name: u.name,
            credit_code: u.credit_code,
            founded: u.founded.unwrap_or_default(),
            legal_representative: u.legal_representative.unwrap_or_default(),
            contact: format!("{} {}", u.contact_name, u.contact_phone),
            registered_at: when(lang, &u.registered_at),
        })
        .collect();
    Ok(RegistrationsPage {
        csrf: csrf(&viewer),
        items,
        chrome: chrome(lang, &viewer),
    })
}

/// `POST /registrations/{id}/confirm`.
pub(super) async fn confirm_registration(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(f): CsrfForm<ConfirmRegistrationIn>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = SubjectId(path_id("registration", &raw)?);
    qaward_app::registrations::confirm(&state.app, p, id, &f.document).await?;
    Ok(Redirect::to("/registrations"))
}

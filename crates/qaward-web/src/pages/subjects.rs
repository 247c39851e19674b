//! A subject of the register (an audited read), and the declaration of interest (A29)
//! any staff member may make from an application's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Redirect;
use qaward_app::subjects;
use qaward_domain::ids::SubjectId;

use super::{Chrome, chrome, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, label, when};
use crate::inputs::InterestIn;
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

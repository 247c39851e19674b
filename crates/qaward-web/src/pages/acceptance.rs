//! The Office's page from formal review to acceptance — written opinions asked (A16.2),
//! the formal review (A16.1), the acceptance list (A16.3), acceptance — and the
//! departments' page of opinion requests.

use std::borrow::Borrow;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::acceptance;
use qaward_domain::application::{ReviewStep, State as AppState_};
use qaward_domain::ids::ApplicationId;

use super::applications::id_of;
use super::done::{self, Done};
use super::forms::RefusedForm;
use super::session::Choice;
use super::{Chrome, chrome, csrf};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label};
use crate::inputs::{AcceptanceListIn, DecisionIn, Empty, FormalReviewIn, OpinionRequestsIn};
use crate::session::{CsrfForm, CsrfPairs, Viewer};

pub(super) struct OfficeLine {
    id: i64,
    subject: String,
    state: &'static str,
    requested: usize,
    answered: usize,
    adverse: usize,
    late: usize,
    proceeded: usize,
    recommended: bool,
    /// The Office may accept it now (on the list, or formally reviewed under a version
    /// without the acceptance-list notice).
    listed: bool,
}

/// A formally reviewed application that can go on the acceptance list.
pub(super) struct Reviewed {
    id: i64,
    subject: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office.html")]
pub(super) struct OfficePage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    items: Vec<OfficeLine>,
    /// Items hidden because the reader declared an interest in their applicants (A29).
    hidden: usize,
    depts: Vec<Choice>,
    reviewed: Vec<Reviewed>,
    /// A refused form (`opinions`, `formal`, `accept` of an application, or `publish`
    /// with 0): its messages and what was typed.
    refused: Option<((&'static str, i64), super::forms::Refill)>,
}

impl OfficePage {
    /// The messages of a refused form whose application no longer offers it (its state
    /// changed meanwhile), shown at the top since the form is gone.
    fn orphan_errors(&self) -> &[String] {
        let shown = |kind: &str, id: i64| match kind {
            "publish" => !self.reviewed.is_empty(),
            "accept" => self.items.iter().any(|i| i.id == id && i.listed),
            _ => self.items.iter().any(|i| i.id == id && i.recommended),
        };
        match &self.refused {
            Some(((k, i), r)) if !shown(k, *i) => &r.messages,
            _ => &[],
        }
    }

    /// The messages of the refused form `kind` of application `id`.
    /// (`id` by reference or by value: a template passes either.)
    fn errors(&self, kind: &'static str, id: impl Borrow<i64>) -> &[String] {
        self.refused.errors_of(&(kind, *id.borrow()))
    }

    /// What was typed in `field` of the refused form `kind` of application `id`.
    fn typed(&self, kind: &'static str, id: impl Borrow<i64>, field: &str) -> &str {
        self.refused.typed_of(&(kind, *id.borrow()), field)
    }

    /// Whether `value` was among the values of `field` in the refused form; else `shown`.
    fn chosen(
        &self,
        kind: &str,
        id: impl Borrow<i64>,
        field: &str,
        value: &str,
        shown: bool,
    ) -> bool {
        match &self.refused {
            Some(((k, i), r)) if *k == kind && i == id.borrow() => {
                r.values.iter().any(|(f, v)| f == field && v == value)
            }
            _ => shown,
        }
    }
}

/// A refused form of the Office's desk: the desk again, with the form as it was sent.
async fn refused_on_desk(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    form: (&'static str, i64),
    pairs: Vec<(String, String)>,
    e: qaward_app::AppError,
) -> Result<Response, PageError> {
    let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
    let mut page = desk(state, lang, viewer).await?;
    page.refused = Some((form, refill));
    Ok((status, page).into_response())
}

pub(super) async fn office(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<OfficePage, PageError> {
    desk(&state, lang, &viewer).await
}

async fn desk(state: &AppState, lang: Lang, viewer: &Viewer) -> Result<OfficePage, PageError> {
    let p = viewer.require()?;
    let q = acceptance::office_queue(&state.app, p).await?;
    let reviewed = q
        .items
        .iter()
        .filter(|i| i.listable)
        .map(|i| Reviewed {
            id: i.id.0,
            subject: i.subject_name.clone(),
        })
        .collect();
    Ok(OfficePage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        refused: None,
        csrf: csrf(viewer),
        hidden: q.hidden,
        items: q
            .items
            .into_iter()
            .map(|i| OfficeLine {
                id: i.id.0,
                state: label(lang, i.state),
                recommended: i.state == AppState_::Recommended,
                listed: i.acceptable,
                subject: i.subject_name,
                requested: i.opinions_requested,
                answered: i.opinions_answered,
                adverse: i.opinions_adverse,
                late: i.opinions_late,
                proceeded: i.opinions_proceeded,
            })
            .collect(),
        depts: state
            .app
            .policy_of_current_cycle(Some(p))
            .await?
            .opinion_depts
            .iter()
            .map(|d| Choice {
                id: d.id.clone(),
                name: d.name.clone(),
            })
            .collect(),
        reviewed,
        chrome: chrome(lang, viewer),
    })
}

pub(super) async fn request_opinions(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let result = async {
        let f: OpinionRequestsIn = crate::inputs::from_pairs(pairs.clone())?;
        acceptance::request_opinions(&state.app, p, id, &f.departments, f.due).await
    }
    .await;
    match result {
        Ok(_) => Ok(done::to("/office", Done::OpinionsRequested).into_response()),
        Err(e) => refused_on_desk(&state, lang, &viewer, ("opinions", id.0), pairs, e).await,
    }
}

/// The Office's formal review (A16.1); a rejection is confirmed on a second page, with
/// its reason, once the rejection itself would be accepted.
pub(super) async fn formal_review(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let app = &state.app;
    let outcome = async {
        let f: FormalReviewIn = crate::inputs::from_pairs(pairs.clone())?;
        let list = f.checklist();
        let done = super::review::decided(f.decision);
        let decision = f.decision.with(f.reason.clone());
        if f.decision == DecisionIn::Reject && !f.confirm {
            qaward_app::review::would_review(app, p, id, ReviewStep::Formal, &decision, &list)
                .await?;
            return Ok(Err(f));
        }
        qaward_app::review::review(app, p, id, ReviewStep::Formal, &decision, &list).await?;
        Ok(Ok(done))
    };
    match outcome.await {
        Ok(Ok(done)) => Ok(done::to("/office", done).into_response()),
        Ok(Err(f)) => {
            let reason = f.reason.unwrap_or_default();
            Ok(super::opinions::ConfirmPage {
                csrf: csrf(&viewer),
                question: lang.tr().confirm_reject,
                action: format!("/office/{id}/formal-review"),
                fields: vec![
                    ("decision".into(), "reject".into()),
                    ("reason".into(), reason.clone()),
                    ("basic_conditions".into(), f.basic_conditions),
                    ("completeness".into(), f.completeness),
                    ("confirm".into(), "true".into()),
                ],
                reason,
                back: "/office".into(),
                chrome: chrome(lang, &viewer),
            }
            .into_response())
        }
        Err(e) => refused_on_desk(&state, lang, &viewer, ("formal", id.0), pairs, e).await,
    }
}

pub(super) async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: AcceptanceListIn = crate::inputs::from_pairs(pairs.clone())?;
        let ids: Vec<ApplicationId> = f.applications.iter().map(|i| ApplicationId(*i)).collect();
        acceptance::publish_acceptance_list(&state.app, p, &ids, f.start, f.end, &f.contact).await
    }
    .await;
    match result {
        Ok(nid) => Ok(done::to(&format!("/notices/{nid}"), Done::ListPublished).into_response()),
        Err(e) => refused_on_desk(&state, lang, &viewer, ("publish", 0), pairs, e).await,
    }
}

pub(super) async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    acceptance::accept(&state.app, p, id_of(&raw)?).await?;
    Ok(done::to("/office", Done::Accepted))
}

pub(super) struct OpinionLine {
    id: i64,
    subject: String,
    due: String,
    late: bool,
    answered: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "opinions.html")]
pub(super) struct OpinionsPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    items: Vec<OpinionLine>,
    hidden: usize,
}

pub(super) async fn opinions(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<OpinionsPage, PageError> {
    let p = viewer.require()?;
    let tr = lang.tr();
    let q = acceptance::opinion_queue(&state.app, p).await?;
    let hidden = q.hidden;
    let items = q
        .items
        .into_iter()
        .map(|i| OpinionLine {
            id: i.request.id,
            subject: i.subject_name,
            due: day(lang, i.request.due),
            late: i.late,
            answered: if i.request.proceeded.is_some() {
                Some(tr.proceeded.to_owned())
            } else {
                i.request.answered_at.map(|_| match i.request.adverse {
                    Some(true) => format!(
                        "{} {}",
                        tr.adverse,
                        i.request.answer.clone().unwrap_or_default()
                    ),
                    _ => tr.no_objection.to_owned(),
                })
            },
        })
        .collect();
    Ok(OpinionsPage {
        law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
        items,
        hidden,
        chrome: chrome(lang, &viewer),
    })
}

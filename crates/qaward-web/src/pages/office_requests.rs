//! The Office's page of the supervision group's requests (issue #12; A27.2): what the
//! group asks while it investigates a complaint, each with its answer form; answered ones
//! below with the answer. The Office never sees the complaint itself here. The API's twins
//! are in `api::complaints`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::complaints::office;

use super::done::{Done, with_done};
use super::forms::{Refill, RefusedForm};
use super::frame::{Chrome, chrome};
use super::path_id;
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, when};
use crate::inputs::{ComplaintTextIn, from_pairs};
use crate::session::{CsrfPairs, Viewer};

/// A request as the page shows it.
pub(super) struct Line {
    id: i64,
    complaint: i64,
    asked_by: String,
    asked_at: String,
    text: String,
    /// Who answered, when, and what; none while it awaits an answer.
    answer: Option<(String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "supervision_requests.html")]
pub(super) struct RequestsPage {
    chrome: Chrome,
    csrf: String,
    awaiting: Vec<Line>,
    answered: Vec<Line>,
    hidden: String,
    refused: Option<(i64, Refill)>,
}

impl RequestsPage {
    fn errors(&self, request: &i64) -> &[String] {
        self.refused.errors_of(request)
    }

    fn typed(&self, request: &i64) -> &str {
        self.refused.typed_of(request, "text")
    }
}

async fn requests_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<(i64, Refill)>,
) -> Result<RequestsPage, PageError> {
    let p = viewer.require()?;
    let q = office::office_requests(&state.app, p).await?;
    let t = lang.tr().cp;
    let (answered, awaiting): (Vec<Line>, Vec<Line>) = q
        .items
        .into_iter()
        .map(|r| Line {
            id: r.id,
            complaint: r.complaint_id,
            asked_by: r.asked_by,
            asked_at: when(lang, &r.asked_at),
            text: r.text,
            answer: r.answer.map(|a| (a.by, when(lang, &a.at), a.text)),
        })
        .partition(|l| l.answer.is_some());
    Ok(RequestsPage {
        chrome: chrome(lang, viewer),
        csrf: p.csrf.clone().unwrap_or_default(),
        awaiting,
        answered,
        hidden: crate::i18n::hidden_note(t.requests_hidden, q.hidden),
        refused,
    })
}

/// `GET /supervision/requests`: the Office's requests from the supervision group.
pub(super) async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<RequestsPage, PageError> {
    requests_page(&state, lang, &viewer, None).await
}

/// `POST /supervision/requests/{id}/answer`: the Office answers one request; refused, the
/// page again with the message above that request's form and what was typed.
pub(super) async fn answer(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = path_id("request", &raw)?;
    let p = viewer.require()?;
    let result = async {
        let f: ComplaintTextIn = from_pairs(pairs.clone())?;
        office::answer_office_request(&state.app, p, id, &f.text).await
    }
    .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&with_done("/supervision/requests", Done::ComplaintSaved)).into_response(),
        ),
        Err(e) => {
            let (status, _, refill) = Refill::of(lang, e, pairs)?;
            let page = requests_page(&state, lang, &viewer, Some((id, refill))).await?;
            Ok((status, page).into_response())
        }
    }
}

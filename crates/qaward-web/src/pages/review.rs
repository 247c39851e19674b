//! The channel's pages: the queue of applications awaiting review or recommendation,
//! the review with its checklist (A15.1), the recommendation letter the system fills in
//! (A15.2, A15.3), or the refusal to recommend.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use qaward_app::review;
use qaward_domain::application::State as AppState_;
use qaward_domain::ids::ApplicationId;

use super::applications::id_of;
use super::done::Done;
use super::forms::RefusedForm;
use super::{Chrome, chrome, csrf};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, label, when};
use crate::inputs::RecommendIn;
use crate::session::{CsrfPairs, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "letter.html")]
pub(super) struct LetterPage {
    chrome: Chrome,
    from: String,
    date: String,
    program: String,
    office: String,
    names: Vec<String>,
    /// 第十五条, as the cycle's version numbers it.
    article: String,
    /// The application the letter was opened from, to go back to.
    application: Option<i64>,
}

/// Recommends the chosen applications and answers with the recommendation letter the
/// system fills in (A15.2, A15.3), ready to print.
/// Recommends the chosen applications; the answer is the letter to print. A refusal
/// shows the queue again with the choice as it was.
pub(super) async fn recommend(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: RecommendIn = crate::inputs::from_pairs(pairs.clone())?;
        let ids: Vec<ApplicationId> = f.applications.iter().map(|i| ApplicationId(*i)).collect();
        review::recommend(&state.app, p, &ids).await
    }
    .await;
    match result {
        Ok(letter) => {
            // The letter is the answer itself (to print), so the page says it was sent here.
            let mut page = LetterPage::new(lang, &viewer, letter, None);
            page.chrome.done = Some(Done::Recommended.label(lang.tr().done));
            Ok(page.into_response())
        }
        Err(e) => {
            let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
            let mut page = queue_page(&state, lang, &viewer).await?;
            page.refused = Some(((), refill));
            Ok((status, page).into_response())
        }
    }
}

impl LetterPage {
    fn new(lang: Lang, viewer: &Viewer, letter: review::Letter, application: Option<i64>) -> Self {
        LetterPage {
            from: letter.from,
            // A letter is written in Chinese, dated as letters are.
            date: crate::i18n::document_day(letter.date),
            program: letter.program,
            office: letter.office,
            names: letter.names,
            article: qaward_app::messages::chinese_number(letter.article),
            application,
            chrome: chrome(lang, viewer),
        }
    }
}

/// The recommendation letter of a recommended application, opened again from its page
/// to read or print (A15.2, A15.3); "not found" before it is recommended.
pub(super) async fn letter(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<LetterPage, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let letter = review::letter(&state.app, p, id).await?.ok_or_else(|| {
        qaward_app::AppError::NotFound(format!("recommendation letter of application {}", id.0))
    })?;
    Ok(LetterPage::new(lang, &viewer, letter, Some(id.0)))
}

pub(super) struct QueueLine {
    id: i64,
    subject: String,
    state: &'static str,
    submitted_at: String,
    recommendable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "queue.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    items: Vec<QueueLine>,
    hidden: usize,
    can_recommend: bool,
    /// A refused recommendation: its messages and the applications chosen.
    refused: Option<((), super::forms::Refill)>,
}

impl QueuePage {
    /// The messages of a refused recommendation.
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    /// Whether application `id` was chosen in the refused recommendation.
    fn chosen(&self, id: &i64) -> bool {
        let id = id.to_string();
        self.refused.as_ref().is_some_and(|(_, r)| {
            r.values
                .iter()
                .any(|(k, v)| k == "applications" && *v == id)
        })
    }
}

pub(super) async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<QueuePage, PageError> {
    queue_page(&state, lang, &viewer).await
}

async fn queue_page(state: &AppState, lang: Lang, viewer: &Viewer) -> Result<QueuePage, PageError> {
    let p = viewer.require()?;
    let q = review::channel_queue(&state.app, p).await?;
    let hidden = q.hidden;
    let items: Vec<QueueLine> = q
        .items
        .into_iter()
        .map(|i| QueueLine {
            id: i.id.0,
            subject: i.subject_name,
            state: label(lang, i.state),
            submitted_at: i.submitted_at.map(|s| when(lang, &s)).unwrap_or_default(),
            recommendable: i.state == AppState_::ChannelPassed,
        })
        .collect();
    let can_recommend = items.iter().any(|i| i.recommendable);
    Ok(QueuePage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        csrf: csrf(viewer),
        items,
        hidden,
        can_recommend,
        chrome: chrome(lang, viewer),
        refused: None,
    })
}

/// What a reviewer's decision did, to say on the next page.
pub(super) fn decided(d: crate::inputs::DecisionIn) -> Done {
    match d {
        crate::inputs::DecisionIn::Pass => Done::Passed,
        crate::inputs::DecisionIn::Return => Done::Returned,
        crate::inputs::DecisionIn::Reject => Done::Rejected,
    }
}

//! Written opinions (A16.2) as pages: the Office reads every department's answer in full,
//! records an answer received by letter with its scan, and proceeds without an overdue
//! answer giving its reason; a department reads the request addressed to it, with the
//! applicant's identity, and answers — an adverse finding after a confirmation step.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use qaward_app::applications::identity::Identity;
use qaward_app::{AppError, acceptance, opinions};
use qaward_domain::msg;

use super::applications::id_of;
use super::done::{self, Done};
use super::forms::RefusedForm;
use super::{Chrome, chrome, csrf, path_id};
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, when};
use crate::inputs::{OpinionAnswerIn, PaperAnswerIn, ProceedIn};
use crate::session::{CsrfPairs, Viewer};

/// The applicant's identity as a page shows it (`_identity.html`).
pub(super) struct IdentityView {
    pub name: String,
    pub credit_code: Option<String>,
    pub legal_representative: Option<String>,
    pub resident_id: Option<String>,
    pub masked: bool,
    pub employer: Option<String>,
    pub kind: &'static str,
    pub county: String,
}

pub(super) fn identity_view(lang: Lang, i: Identity) -> IdentityView {
    IdentityView {
        name: i.name,
        credit_code: i.credit_code,
        legal_representative: i.legal_representative,
        resident_id: i.resident_id,
        masked: i.id_masked,
        employer: i.employer,
        kind: label(lang, i.org_kind),
        county: i.county,
    }
}

/// A confirmation step without JavaScript: what is about to be sent, with its reason, and
/// a form that sends it again with `confirm`.
#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
pub(super) struct ConfirmPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub question: &'static str,
    pub reason: String,
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub back: String,
}

pub(super) struct RequestLine {
    id: i64,
    dept: String,
    due: String,
    late: bool,
    answered_at: Option<String>,
    answered_by: String,
    adverse: Option<bool>,
    answer: String,
    on_paper: bool,
    scan: Option<String>,
    proceeded: Option<(String, String, String)>,
    /// Open, not settled, and past its due date: the Office may proceed without it.
    may_proceed: bool,
    /// Open and not settled: a paper answer may be recorded.
    may_record: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "office_opinions.html")]
pub(super) struct OfficeOpinionsPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    id: i64,
    state: &'static str,
    identity: IdentityView,
    requests: Vec<RequestLine>,
    /// A refused form (`proceed` or `paper`) of a request: its messages and what was
    /// typed (a chosen file cannot be kept).
    refused: Option<((&'static str, i64), super::forms::Refill)>,
}

impl OfficeOpinionsPage {
    /// The messages of the refused form `kind` of request `id`.
    fn errors(&self, kind: &'static str, id: &i64) -> &[String] {
        self.refused.errors_of(&(kind, *id))
    }

    /// What was typed in `field` of the refused form `kind` of request `id`.
    fn typed(&self, kind: &'static str, id: &i64, field: &str) -> &str {
        self.refused.typed_of(&(kind, *id), field)
    }
}

/// `GET /office/{id}/opinions`: every request about the application with its answer in
/// full (the read is audited).
pub(super) async fn office_opinions(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<OfficeOpinionsPage, PageError> {
    office_opinions_page(&state, lang, &viewer, id_of(&raw)?).await
}

async fn office_opinions_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: qaward_domain::ids::ApplicationId,
) -> Result<OfficeOpinionsPage, PageError> {
    let p = viewer.require()?;
    let v = opinions::of_application(&state.app, p, id).await?;
    let today = v.today;
    Ok(OfficeOpinionsPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        refused: None,
        csrf: csrf(viewer),
        id: v.id.0,
        state: label(lang, v.state),
        identity: identity_view(lang, v.identity),
        requests: v
            .requests
            .into_iter()
            .map(|l| {
                let open = l.open;
                let r = l.request;
                let settled = r.settled();
                RequestLine {
                    id: r.id,
                    dept: l.dept_name,
                    // Dates in tables as 2026-12-01.
                    due: r.due.to_string(),
                    late: l.late,
                    answered_at: r.answered_at.as_deref().map(|a| when(lang, a)),
                    answered_by: r.answered_by.unwrap_or_default(),
                    adverse: r.adverse,
                    answer: r.answer.unwrap_or_default(),
                    on_paper: r.on_paper,
                    scan: r.scan.map(|s| s.filename),
                    proceeded: r.proceeded.map(|p| (when(lang, &p.at), p.by, p.reason)),
                    may_proceed: open && !settled && r.due < today,
                    may_record: open && !settled,
                }
            })
            .collect(),
        chrome: chrome(lang, viewer),
    })
}

fn back_to(id: qaward_domain::ids::ApplicationId, did: Done) -> Redirect {
    done::to(&format!("/office/{id}/opinions"), did)
}

/// `POST /office/opinion-requests/{request}/proceed`.
pub(super) async fn proceed(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let request = path_id("opinion request", &raw)?;
    let result = async {
        let f: ProceedIn = crate::inputs::from_pairs(pairs.clone())?;
        opinions::proceed_without(&state.app, p, request, &f.reason).await
    }
    .await;
    let e = match result {
        Ok(id) => return Ok(back_to(id, Done::Proceeded).into_response()),
        Err(e) => e,
    };
    // The page shows the refusal only to the Office that may decide on the request.
    let id = opinions::may_handle(&state.app, p, request).await?;
    let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
    let mut page = office_opinions_page(&state, lang, &viewer, id).await?;
    page.refused = Some((("proceed", request), refill));
    Ok((status, page).into_response())
}

/// `GET /office/opinion-requests/{request}/scan`.
pub(super) async fn scan(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let request = path_id("opinion request", &raw)?;
    Ok(crate::api::scan_response(&state.app, p, request).await?)
}

/// `POST /office/opinion-requests/{request}/paper`: a multipart form, `csrf`, `adverse`,
/// `answer` and `confirm` before the scan, `file`. An adverse finding not yet confirmed
/// comes back as the confirmation step, which asks for the scan again (a browser cannot
/// keep a chosen file across pages).
pub(super) async fn record_paper(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let request = path_id("opinion request", &raw)?;
    let id = opinions::may_handle(&state.app, p, request).await?;
    // The answer copies a letter's finding, up to a statement's length.
    let max_of = |name: &str| if name == "answer" { 64 * 1024 } else { 256 };
    let missing = msg!("letter-scan-required");
    // What was typed, to show again on a refusal (the chosen file cannot be).
    let mut typed: Vec<(String, String)> = Vec::new();
    let sent = super::fields_then_file(&mut form, &viewer, max_of, missing, async |small, f| {
        typed = small.clone();
        let filename = f.file_name().unwrap_or("").to_owned();
        let fields: PaperAnswerIn = crate::inputs::from_pairs(small)?;
        if fields.adverse && !fields.confirm {
            if fields.answer.trim().is_empty() {
                let refusal = msg!("adverse-letter-needs-reasons");
                return Err(AppError::invalid("answer", refusal).into());
            }
            return Ok(paper_confirmation(lang, &viewer, request, fields).into_response());
        }
        let input = fields.into_input(Some(filename));
        let body = crate::body::field(f);
        let id = opinions::record_paper(&state.app, p, request, body, &input).await?;
        Ok(back_to(id, Done::PaperRecorded).into_response())
    })
    .await;
    let PageError(w) = match sent {
        Ok(r) => return Ok(r),
        Err(e) => e,
    };
    let (status, _, refill) = super::forms::Refill::of_web(lang, w, typed)?;
    let mut page = office_opinions_page(&state, lang, &viewer, id).await?;
    page.refused = Some((("paper", request), refill));
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm_paper.html")]
pub(super) struct ConfirmPaperPage {
    chrome: Chrome,
    csrf: String,
    request: i64,
    answer: String,
}

fn paper_confirmation(
    lang: Lang,
    viewer: &Viewer,
    request: i64,
    f: PaperAnswerIn,
) -> ConfirmPaperPage {
    ConfirmPaperPage {
        csrf: csrf(viewer),
        request,
        answer: f.answer,
        chrome: chrome(lang, viewer),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "opinion_letter.html")]
pub(super) struct LetterPage {
    chrome: Chrome,
    csrf: String,
    id: i64,
    dept: String,
    program: String,
    /// 根据《…管理办法》第十六条，…: the program and the article as the cycle's version
    /// names and numbers them.
    ask: String,
    /// In a document: 2026年12月1日.
    due: String,
    late: bool,
    identity: IdentityView,
    answered: Option<String>,
    /// A refused answer: its messages and what was typed.
    refused: Option<((), super::forms::Refill)>,
}

impl LetterPage {
    /// The messages of a refused answer.
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    /// What was typed in `field` of a refused answer.
    fn typed(&self, field: &str) -> &str {
        self.refused.typed_of(&(), field)
    }
}

/// `GET /opinions/{id}`: the request addressed to the reader's department, with the
/// applicant's identity details, and the answer form (the read is audited).
pub(super) async fn letter(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<LetterPage, PageError> {
    letter_page(&state, lang, &viewer, path_id("opinion request", &raw)?).await
}

async fn letter_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    request: i64,
) -> Result<LetterPage, PageError> {
    let p = viewer.require()?;
    let l = opinions::request_letter(&state.app, p, request).await?;
    let tr = lang.tr();
    let r = &l.request;
    let answered = if r.proceeded.is_some() {
        Some(tr.proceeded.to_owned())
    } else {
        r.answered_at.as_ref().map(|_| match r.adverse {
            Some(true) => format!("{}：{}", tr.adverse, r.answer.clone().unwrap_or_default()),
            _ => tr.no_objection.to_owned(),
        })
    };
    Ok(LetterPage {
        refused: None,
        csrf: csrf(viewer),
        id: r.id,
        dept: l.dept_name.clone(),
        ask: tr.letter_ask.replace("{program}", &l.program).replace(
            "{article}",
            &match lang {
                Lang::Zh => qaward_app::messages::chinese_number(l.article),
                Lang::En => l.article.to_string(),
            },
        ),
        program: l.program.clone(),
        due: day(Lang::Zh, r.due),
        late: l.late,
        answered,
        identity: identity_view(lang, l.identity),
        chrome: chrome(lang, viewer),
    })
}

/// `POST /opinions/{id}/answer`: no objection is sent at once; an adverse finding comes
/// back as a confirmation step with its reasons, and is sent when confirmed.
pub(super) async fn answer(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let request = path_id("opinion request", &raw)?;
    let app = &state.app;
    let outcome = async {
        let f: OpinionAnswerIn = crate::inputs::from_pairs(pairs.clone())?;
        if f.adverse && !f.confirm {
            if f.answer.trim().is_empty() {
                let refusal = msg!("adverse-opinion-needs-reasons");
                return Err(AppError::invalid("answer", refusal));
            }
            // The request must be the reader's before anything of it is shown back.
            opinions::request_letter(app, p, request).await?;
            return Ok(Some(f.answer));
        }
        acceptance::answer_opinion(app, p, request, f.adverse, &f.answer).await?;
        Ok(None)
    };
    match outcome.await {
        Ok(None) => Ok(done::to("/opinions", Done::OpinionAnswered).into_response()),
        Ok(Some(answer)) => Ok(ConfirmPage {
            csrf: csrf(&viewer),
            question: lang.tr().confirm_adverse,
            action: format!("/opinions/{request}/answer"),
            fields: vec![
                ("adverse".into(), "true".into()),
                ("answer".into(), answer.clone()),
                ("confirm".into(), "true".into()),
            ],
            reason: answer,
            back: format!("/opinions/{request}"),
            chrome: chrome(lang, &viewer),
        }
        .into_response()),
        Err(e) => {
            let (status, _, refill) = super::forms::Refill::of(lang, e, pairs)?;
            let mut page = letter_page(&state, lang, &viewer, request).await?;
            page.refused = Some(((), refill));
            Ok((status, page).into_response())
        }
    }
}

//! Complaints and reports (issue #12; A27): the public page with the supervision group's
//! channels and procedure and the form, the follow-up page (status, answer, evidence),
//! and the supervision group's desk. The reporter's identity shows only on the page the
//! group opens it with, never in a list. The API's twins are in `api::complaints`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use qaward_app::AppError;
use qaward_app::complaints::{self, Reporter, StatusView, handling};
use qaward_domain::complaint::{Outcome, Topic};
use qaward_domain::ids::{SubjectId, UserId};

use super::done::{Done, with_done};
use super::forms::{Refill, RefusedForm, answer, upload_answer};
use super::frame::{Chrome, chrome};
use super::path_id;
use crate::AppState;
use crate::error::PageError;
use crate::i18n::Lang;
use crate::inputs::{
    AssignComplaintIn, ComplaintIn, ComplaintTextIn, ConcludeComplaintIn, FollowUpIn,
    RegisterComplaintIn, from_pairs,
};
use crate::session::{CsrfForm, CsrfPairs, PublicForm, PublicPairs, Viewer};

// ---- the public ---------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "complaints.html")]
pub(super) struct ComplaintsPage {
    chrome: Chrome,
    topics: Vec<(&'static str, &'static str)>,
    /// The programs a complaint may concern (code, name), when there are two or more.
    programs: Vec<(String, String)>,
    refused: Option<((), Refill)>,
}

impl ComplaintsPage {
    fn errors(&self) -> &[String] {
        self.refused.errors_of(&())
    }

    fn typed(&self, field: &str) -> &str {
        self.refused.typed_of(&(), field)
    }
}

async fn complaints_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<Refill>,
) -> Result<ComplaintsPage, PageError> {
    let programs = qaward_app::programs::all(&state.app).await?;
    let programs = if programs.len() > 1 {
        programs.into_iter().map(|p| (p.code, p.name)).collect()
    } else {
        Vec::new()
    };
    Ok(ComplaintsPage {
        chrome: chrome(lang, viewer),
        topics: crate::i18n::options::<Topic>(lang),
        programs,
        refused: refused.map(|r| ((), r)),
    })
}

/// `GET /complaints`: the channels, the procedure and the form (anyone).
pub(super) async fn form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<ComplaintsPage, PageError> {
    complaints_page(&state, lang, &viewer, None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "complaint_done.html")]
pub(super) struct ComplaintDone {
    chrome: Chrome,
    code: String,
}

/// `POST /complaints`: files a complaint and shows its follow-up code once; refused, the
/// form again with the message and what was typed.
pub(super) async fn file(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicPairs(pairs): PublicPairs,
) -> Result<Response, PageError> {
    let filed = match from_pairs::<ComplaintIn>(pairs.clone()) {
        Ok(c) => complaints::file_complaint(&state.app, &c.into(), &viewer.address).await,
        Err(e) => Err(e),
    };
    match filed {
        Ok(code) => Ok(ComplaintDone {
            chrome: chrome(lang, &viewer),
            code,
        }
        .into_response()),
        Err(e) => {
            let (status, retry, refill) = Refill::of(lang, e, pairs)?;
            Ok(crate::error::with_retry_after(
                (
                    status,
                    complaints_page(&state, lang, &viewer, Some(refill)).await?,
                )
                    .into_response(),
                retry,
            ))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "complaint_status.html")]
pub(super) struct StatusPage {
    chrome: Chrome,
    code: String,
    /// The status's lines: label and value.
    lines: Vec<(&'static str, String)>,
    /// Whether evidence may still be added.
    open: bool,
    message: Option<String>,
    errors: Vec<String>,
}

fn status_page(lang: Lang, viewer: &Viewer, code: String, v: Option<StatusView>) -> StatusPage {
    let t = lang.tr().cp;
    let l = lang.text();
    let mut lines = Vec::new();
    let mut open = false;
    if let Some(v) = v {
        open = v.status.open();
        lines.push((t.filed_on, crate::i18n::day(lang, v.filed_on)));
        lines.push((t.status, v.status.label(l).to_owned()));
        if let Some(o) = v.outcome {
            lines.push((t.outcome, o.label(l).to_owned()));
        }
        if let Some(a) = v.answer {
            lines.push((t.answer, a));
        }
        if let Some(d) = v.answered_on {
            lines.push((t.answered_on, crate::i18n::day(lang, d)));
        }
    }
    StatusPage {
        chrome: chrome(lang, viewer),
        code,
        lines,
        open,
        message: None,
        errors: vec![],
    }
}

/// `GET /complaints/status`: the follow-up form.
pub(super) async fn status_form(lang: Lang, viewer: Viewer) -> StatusPage {
    status_page(lang, &viewer, String::new(), None)
}

/// `POST /complaints/status`: the status and the answer by the follow-up code; a wrong
/// code is "not found", like a code that never was (and counted).
pub(super) async fn status(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    PublicForm(f): PublicForm<FollowUpIn>,
) -> Result<StatusPage, PageError> {
    let v = complaints::complaint_status(&state.app, &f.code, &viewer.address).await?;
    Ok(status_page(lang, &viewer, f.code, Some(v)))
}

/// `POST /complaints/evidence`: a multipart form, `code` then `file` (anyone holding the
/// code). Refused, the status page again with the message.
pub(super) async fn evidence(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let mut code = String::new();
    let sent = super::fields_then_file(
        &mut form,
        &viewer,
        |_| 64,
        qaward_domain::msg!("complaint-file-required"),
        async |small, f| {
            code = small
                .iter()
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let filename = f.file_name().unwrap_or("").to_owned();
            complaints::add_evidence(
                &state.app,
                &code,
                crate::body::field(f),
                &filename,
                &viewer.address,
            )
            .await?;
            Ok(())
        },
    )
    .await;
    let (message, errors, status) = match sent {
        Ok(()) => (
            Some(lang.tr().cp.evidence_added.to_owned()),
            vec![],
            axum::http::StatusCode::OK,
        ),
        Err(PageError(w)) => {
            let (status, _, refill) = Refill::of_web(lang, w, vec![])?;
            (None, refill.messages, status)
        }
    };
    let v = complaints::complaint_status(&state.app, &code, &viewer.address).await?;
    let mut page = status_page(lang, &viewer, code, Some(v));
    page.message = message;
    page.errors = errors;
    Ok((status, page).into_response())
}

// ---- the supervision group ------------------------------------------------------------------

/// A complaint as a line of the queue.
pub(super) struct Row {
    id: i64,
    filed_on: String,
    topic: &'static str,
    about: String,
    status: &'static str,
    subject: String,
    assignee: String,
    reporter: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "supervision_complaints.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    rows: Vec<Row>,
    hidden: String,
}

/// `GET /supervision/complaints`: the supervision group's queue.
pub(super) async fn queue(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<QueuePage, PageError> {
    let p = viewer.require()?;
    let q = complaints::complaint_queue(&state.app, p).await?;
    let (t, l) = (lang.tr().cp, lang.text());
    let rows = q
        .items
        .into_iter()
        .map(|c| Row {
            id: c.id,
            filed_on: c.filed_on.to_string(),
            topic: c.topic.label(l),
            status: c.status.label(l),
            reporter: if c.named() { t.named } else { t.anonymous },
            about: c.about,
            subject: c.subject_name.unwrap_or_default(),
            assignee: c.assignee_name.unwrap_or_default(),
        })
        .collect();
    let hidden = crate::i18n::hidden_note(t.hidden, q.hidden);
    Ok(QueuePage {
        chrome: chrome(lang, &viewer),
        rows,
        hidden,
    })
}

/// One event of the history, as shown.
pub(super) struct EventLine {
    at: String,
    kind: &'static str,
    by: String,
    text: String,
    file: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "supervision_complaint.html")]
pub(super) struct CasePage {
    chrome: Chrome,
    csrf: String,
    id: i64,
    facts: Vec<(&'static str, String)>,
    content: String,
    status: &'static str,
    named: bool,
    may_reveal: bool,
    reporter: Option<Reporter>,
    events: Vec<EventLine>,
    members: Vec<(i64, String)>,
    outcomes: Vec<(&'static str, &'static str)>,
    refused: Option<(String, Refill)>,
}

impl CasePage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    fn typed(&self, form: &str, field: &str) -> &str {
        self.refused.typed_of(&form.to_owned(), field)
    }
}

fn event_kind(lang: Lang, kind: &str) -> &'static str {
    let t = lang.tr().cp;
    match kind {
        "filed" => t.submit,
        "register" => t.register,
        "decline" => t.decline,
        "assign" => t.reassign,
        "note" => t.note,
        "evidence" => t.evidence,
        "conclude" => t.conclude,
        "answer" => t.give_answer,
        "office-request" => t.ask_office,
        "office-reply" => t.office_reply,
        _ => "",
    }
}

async fn case_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: i64,
    reporter: Option<Reporter>,
    refused: Option<(String, Refill)>,
) -> Result<CasePage, PageError> {
    let p = viewer.require()?;
    let case = complaints::complaint_case(&state.app, p, id).await?;
    let (t, l) = (lang.tr().cp, lang.text());
    let c = &case.complaint;
    let mut facts = vec![
        (t.number, c.id.to_string()),
        (t.filed_on, crate::i18n::day(lang, c.filed_on)),
        (t.topic, c.topic.label(l).to_owned()),
        (t.about, c.about.clone()),
        (
            t.reporter,
            if c.named() { t.named } else { t.anonymous }.to_owned(),
        ),
    ];
    if let Some(s) = &c.subject_name {
        facts.push((
            t.subject,
            format!("{s}（{}）", c.subject_id.map(|s| s.0).unwrap_or(0)),
        ));
    }
    if let Some(a) = &c.assignee_name {
        facts.push((t.assignee, a.clone()));
    }
    if let Some(o) = c.outcome {
        facts.push((t.outcome, o.label(l).to_owned()));
    }
    if let Some(f) = &c.findings {
        facts.push((t.findings, f.clone()));
    }
    if let Some(a) = &c.answer {
        facts.push((t.answer, a.clone()));
    }
    let events = case
        .events
        .iter()
        .map(|e| EventLine {
            at: crate::i18n::when(lang, &e.at),
            kind: match (e.kind.as_str(), e.user_id) {
                // The group's own file, beside the reporter's evidence.
                ("evidence", Some(_)) => t.group_evidence,
                (kind, _) => event_kind(lang, kind),
            },
            by: if e.user_id.is_some() {
                e.by_name.clone()
            } else {
                t.reporter.to_owned()
            },
            text: e.text.clone().unwrap_or_default(),
            file: e
                .blob_hash
                .clone()
                .map(|h| (h, e.file_name.clone().unwrap_or_default())),
        })
        .collect();
    Ok(CasePage {
        chrome: chrome(lang, viewer),
        csrf: p.csrf.clone().unwrap_or_default(),
        id,
        content: c.content.clone(),
        status: c.status.code(),
        named: case.named,
        may_reveal: case.may_reveal,
        facts,
        reporter,
        events,
        members: case.members.iter().map(|(u, n)| (u.0, n.clone())).collect(),
        outcomes: [Outcome::Unfounded, Outcome::Founded]
            .iter()
            .map(|o| (o.code(), o.label(l)))
            .collect(),
        refused,
    })
}

/// `GET /supervision/complaints/{id}`: a complaint, its history and the steps' forms.
pub(super) async fn case(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<CasePage, PageError> {
    let id = path_id("complaint", &raw)?;
    case_page(&state, lang, &viewer, id, None, None).await
}

/// `POST /supervision/complaints/{id}/reporter`: the same page with the reporter's
/// identity opened (recorded).
pub(super) async fn reveal(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(_): CsrfForm<serde_json::Value>,
) -> Result<CasePage, PageError> {
    let id = path_id("complaint", &raw)?;
    let p = viewer.require()?;
    let who = complaints::reporter_identity(&state.app, p, id).await?;
    case_page(&state, lang, &viewer, id, who, None).await
}

async fn step(
    state: &AppState,
    p: &qaward_app::Principal,
    id: i64,
    act: &str,
    pairs: Vec<(String, String)>,
) -> Result<(), AppError> {
    let app = &state.app;
    match act {
        "register" => {
            let r: RegisterComplaintIn = from_pairs(pairs)?;
            handling::register(app, p, id, UserId(r.assignee), r.subject.map(SubjectId)).await?;
        }
        "assign" => {
            let r: AssignComplaintIn = from_pairs(pairs)?;
            handling::assign(app, p, id, r.assignee.map(UserId), r.subject.map(SubjectId)).await?;
        }
        "decline" => {
            let r: ComplaintTextIn = from_pairs(pairs)?;
            handling::decline(app, p, id, &r.text).await?;
        }
        "note" => {
            let r: ComplaintTextIn = from_pairs(pairs)?;
            handling::note(app, p, id, &r.text).await?;
        }
        "ask-office" => {
            let r: ComplaintTextIn = from_pairs(pairs)?;
            complaints::office::ask_office(app, p, id, &r.text).await?;
        }
        "conclude" => {
            let r: ConcludeComplaintIn = from_pairs(pairs)?;
            handling::conclude(app, p, id, r.outcome, &r.findings).await?;
        }
        "answer" => {
            let r: ComplaintTextIn = from_pairs(pairs)?;
            handling::answer(app, p, id, &r.text).await?;
        }
        other => return Err(AppError::NotFound(format!("complaint step {other}"))),
    };
    Ok(())
}

/// `POST /supervision/complaints/{id}/{act}`: a step of the handling; refused, the page
/// again with the message above that step's form and what was typed in it.
pub(super) async fn act(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, act)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = path_id("complaint", &raw)?;
    let p = viewer.require()?;
    let result = step(&state, p, id, &act, pairs.clone()).await;
    let to = with_done(
        &format!("/supervision/complaints/{id}"),
        Done::ComplaintSaved,
    );
    answer(lang, result, &to, pairs, |refill| {
        case_page(&state, lang, &viewer, id, None, Some((act, refill)))
    })
    .await
}

/// `POST /supervision/complaints/{id}/evidence`: a multipart form, `csrf` then `file`: a
/// file of the group's own investigation. Refused, the page again with the message above
/// that form.
pub(super) async fn group_evidence(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let id = path_id("complaint", &raw)?;
    let p = viewer.require()?;
    let sent = super::fields_then_file(
        &mut form,
        &viewer,
        |_| 128,
        qaward_domain::msg!("complaint-file-required"),
        async |_, f| {
            let filename = f.file_name().unwrap_or("").to_owned();
            handling::add_group_evidence(&state.app, p, id, crate::body::field(f), &filename)
                .await?;
            Ok(())
        },
    )
    .await;
    let to = with_done(
        &format!("/supervision/complaints/{id}"),
        Done::ComplaintSaved,
    );
    upload_answer(lang, sent, &to, |refill| {
        case_page(
            &state,
            lang,
            &viewer,
            id,
            None,
            Some(("evidence".into(), refill)),
        )
    })
    .await
}

/// `GET /supervision/complaints/{id}/files/{hash}`: an evidence file (the group).
pub(super) async fn evidence_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, hash)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = path_id("complaint", &raw)?;
    let p = viewer.require()?;
    Ok(file_response(&state.app, p, id, &hash).await?)
}

/// An evidence file as a download under its cleaned name, for the page and the API.
pub(crate) async fn file_response(
    app: &qaward_app::App,
    p: &qaward_app::Principal,
    id: i64,
    hash: &str,
) -> Result<Response, AppError> {
    let (name, content_type, file) = complaints::evidence_file(app, p, id, hash).await?;
    Ok(crate::pages::stored_download(&name, &content_type, file))
}

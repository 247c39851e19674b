//! Revocation (issue #12; A28): the desk where the Office requests, the Government decides
//! and the Office records the plaque taken back and the prize recovered; the public list of
//! revocations and each one's announcement (公告). The API's twins are in
//! `api::revocations`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use qaward_app::AppError;
use qaward_app::revocation::announcement::{self, Announcement};
use qaward_app::revocation::{self, DecisionIn, Published};
use qaward_domain::application::RevocationCause;
use qaward_domain::ids::ApplicationId;
use qaward_domain::revocation::RequestStatus;

use super::done::{Done, with_done};
use super::forms::{Refill, RefusedForm, answer};
use super::frame::{Chrome, chrome};
use super::path_id;
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, options};
use crate::inputs::{
    RecoveryIn, RevocationDecisionIn, RevocationRequestIn, RevocationReturnIn, from_pairs,
};
use crate::session::{CsrfPairs, Viewer};

/// A request as the desk shows it.
pub(super) struct Line {
    id: i64,
    application: i64,
    award: String,
    cause: &'static str,
    finding: String,
    evidence: String,
    complaint: String,
    obligation: String,
    status: &'static str,
    open: bool,
    revoked: bool,
    /// The decision's number and date, or the reason it was refused.
    decision: String,
    ban_until: String,
    paid: String,
    recovered: String,
    returned: String,
    /// Whether a return or recovery may still be recorded.
    to_return: bool,
    to_recover: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "revocations.html")]
pub(super) struct DeskPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    standing: Vec<(i64, String)>,
    causes: Vec<(&'static str, &'static str)>,
    lines: Vec<Line>,
    may_request: bool,
    may_decide: bool,
    may_recover: bool,
    hidden: String,
    refused: Option<(String, Refill)>,
}

impl DeskPage {
    fn errors(&self, form: &str) -> &[String] {
        self.refused.errors_of(&form.to_owned())
    }

    fn typed(&self, form: &str, field: &str) -> &str {
        self.refused.typed_of(&form.to_owned(), field)
    }
}

fn award_text(
    lang: Lang,
    name: &str,
    ordinal: i64,
    level: qaward_domain::policy::Level,
    cert: &str,
) -> String {
    match lang {
        Lang::Zh => format!("{name} · 第{ordinal}届 · {} · {cert}", label(lang, level)),
        Lang::En => format!("{name} · cycle {ordinal} · {} · {cert}", label(lang, level)),
    }
}

async fn desk_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<(String, Refill)>,
) -> Result<DeskPage, PageError> {
    let p = viewer.require()?;
    let d = revocation::desk(&state.app, p).await?;
    let t = lang.tr().rv;
    let lines = d
        .requests
        .into_iter()
        .map(|r| {
            let revoked = r.status == RequestStatus::Revoked;
            let paid = r.paid_yuan.unwrap_or(0);
            Line {
                id: r.id,
                application: r.application_id.0,
                award: award_text(
                    lang,
                    &r.subject_name,
                    r.cycle_ordinal,
                    r.level,
                    &r.certificate_number,
                ),
                cause: label(lang, r.cause),
                finding: r.finding,
                evidence: r.evidence,
                complaint: r.complaint_id.map(|c| c.to_string()).unwrap_or_default(),
                obligation: r.obligation_id.map(|o| o.to_string()).unwrap_or_default(),
                status: label(lang, r.status),
                open: r.status == RequestStatus::Requested,
                revoked,
                decision: match (&r.decision_number, r.decided_on, &r.refusal_reason) {
                    (Some(n), Some(on), _) => format!("{n}（{}）", day(lang, on)),
                    (_, _, Some(reason)) => reason.clone(),
                    _ => String::new(),
                },
                ban_until: r
                    .ban_until_year
                    .map(|y| format!("{y}{}", t.year_suffix))
                    .unwrap_or_default(),
                paid: r.paid_yuan.map(|y| y.to_string()).unwrap_or_default(),
                recovered: if revoked {
                    r.recovered_yuan.to_string()
                } else {
                    String::new()
                },
                returned: r.returned_on.map(|on| day(lang, on)).unwrap_or_default(),
                to_return: revoked && r.returned_on.is_none(),
                to_recover: revoked && r.recovered_yuan < paid,
            }
        })
        .collect();
    Ok(DeskPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        chrome: chrome(lang, viewer),
        csrf: p.csrf.clone().unwrap_or_default(),
        standing: d
            .standing
            .iter()
            .map(|a| {
                (
                    a.application_id.0,
                    award_text(
                        lang,
                        &a.subject_name,
                        a.cycle_ordinal,
                        a.level,
                        &a.certificate_number,
                    ),
                )
            })
            .collect(),
        causes: options::<RevocationCause>(lang),
        lines,
        may_request: d.may_request,
        may_decide: d.may_decide,
        may_recover: d.may_recover,
        hidden: crate::i18n::hidden_note(t.hidden, d.hidden),
        refused,
    })
}

/// `GET /revocations`: the desk (the Office, the Government, the supervision group).
pub(super) async fn desk(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<DeskPage, PageError> {
    desk_page(&state, lang, &viewer, None).await
}

async fn act(
    state: &AppState,
    p: &qaward_app::Principal,
    form: &str,
    id: i64,
    pairs: Vec<(String, String)>,
) -> Result<(), AppError> {
    let app = &state.app;
    match form {
        "request" => {
            let r: RevocationRequestIn = from_pairs(pairs)?;
            let application = r.application.ok_or_else(|| {
                AppError::invalid(
                    "application",
                    qaward_domain::msg!("revocation-field-required"),
                )
            })?;
            revocation::request(app, p, ApplicationId(application), &r.into())
                .await
                .map(drop)
        }
        "decision" => {
            let r: RevocationDecisionIn = from_pairs(pairs)?;
            revocation::decide(app, p, id, &DecisionIn::try_from(r)?).await
        }
        "return" => {
            let r: RevocationReturnIn = from_pairs(pairs)?;
            revocation::record_return(app, p, ApplicationId(id), r.returned_on, &r.note).await
        }
        "recovery" => {
            let r: RecoveryIn = from_pairs(pairs)?;
            revocation::record_recovery(
                app,
                p,
                ApplicationId(id),
                r.amount_yuan,
                r.recovered_on,
                &r.voucher,
            )
            .await
        }
        other => Err(AppError::NotFound(format!("revocation form {other}"))),
    }
}

/// Runs the desk's form `form` (on request or award `id`); refused, the desk again with the
/// message above that form and what was typed in it.
async fn post(
    state: AppState,
    lang: Lang,
    viewer: Viewer,
    form: &str,
    id: i64,
    pairs: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = act(&state, p, form, id, pairs.clone()).await;
    let key = if form == "request" {
        form.to_owned()
    } else {
        format!("{form}-{id}")
    };
    let to = with_done("/revocations", Done::RevocationSaved);
    answer(lang, result, &to, pairs, |refill| {
        desk_page(&state, lang, &viewer, Some((key, refill)))
    })
    .await
}

/// `POST /revocations/requests`: the Office's request (A28.1).
pub(super) async fn request(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    post(state, lang, viewer, "request", 0, pairs).await
}

/// `POST /revocations/{id}/decision`: the Government's decision (A28.1).
pub(super) async fn decide(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = path_id("revocation request", &raw)?;
    post(state, lang, viewer, "decision", id, pairs).await
}

/// `POST /revocations/awards/{id}/{return|recovery}`: what follows a revocation (A28.2).
pub(super) async fn follow_up(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, what)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = path_id("application", &raw)?;
    match what.as_str() {
        "return" | "recovery" => post(state, lang, viewer, &what, id, pairs).await,
        other => Err(AppError::NotFound(format!("revocation step {other}")).into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "revocations_published.html")]
pub(super) struct PublishedPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    /// Each revocation: its announcement's number and the cells of its line.
    rows: Vec<(i64, [String; 5])>,
}

/// The award as a line names it: cycle, year and level.
fn award_line(lang: Lang, r: &Published) -> String {
    match lang {
        Lang::Zh => format!(
            "第{}届（{}年）· {}",
            r.cycle_ordinal,
            r.cycle_year,
            label(lang, r.level)
        ),
        Lang::En => format!(
            "Cycle {} ({}) · {}",
            r.cycle_ordinal,
            r.cycle_year,
            label(lang, r.level)
        ),
    }
}

/// `GET /revocations/published`: the revocations made public (anyone, A28.2), each
/// leading to its announcement.
pub(super) async fn published(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<PublishedPage, PageError> {
    let rows = revocation::published(&state.app)
        .await?
        .into_iter()
        .map(|r| {
            let cells = [
                r.subject_name.clone(),
                award_line(lang, &r),
                r.certificate_number.clone(),
                label(lang, r.cause).to_owned(),
                match r.decided_on {
                    Some(on) => format!("{}（{}）", r.decision_number, day(lang, on)),
                    None => r.decision_number.clone(),
                },
            ];
            (r.id, cells)
        })
        .collect();
    Ok(PublishedPage {
        law: crate::i18n::Law::current(&state.app, &viewer, lang).await?,
        chrome: chrome(lang, &viewer),
        rows,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "revocation_announcement.html")]
pub(super) struct AnnouncementPage {
    chrome: Chrome,
    id: i64,
    title: String,
    number: String,
    body: Vec<String>,
    issuer: String,
    issued_on: String,
}

/// The announcement's text in English: the Chinese is the document's own, composed by the
/// use case; this says the same from the same facts.
fn english(a: &Announcement, program: &str) -> Vec<String> {
    let r = &a.revocation;
    let award = format!(
        "the {} of cycle {} ({})",
        label(Lang::En, r.level),
        r.cycle_ordinal,
        r.cycle_year
    );
    let mut out = vec![
        format!(
            "{} received {award}, certificate {}. It was verified that: {}.",
            r.subject_name,
            r.certificate_number,
            label(Lang::En, r.cause)
        ),
        format!(
            "Under Article 28 of the measures, the Municipal Government decided ({}) to revoke {award}, take back the plaque and the certificate, and recover the prize.",
            r.decision_number
        ),
    ];
    if let Some(last) = a.ban_until_year {
        out.push(format!(
            "{} may not apply for the {program} until the end of {last}.",
            r.subject_name
        ));
    }
    out
}

/// `GET /revocations/published/{id}`: a revocation's announcement (anyone, A28.2).
pub(super) async fn announcement(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<AnnouncementPage, PageError> {
    let id = path_id("revocation", &raw)?;
    let a = announcement::announcement(&state.app, id).await?;
    Ok(AnnouncementPage {
        chrome: chrome(lang, &viewer),
        id,
        body: match lang {
            Lang::Zh => a.paragraphs.clone(),
            Lang::En => english(&a, &a.program),
        },
        title: a.revocation.title,
        number: a.revocation.decision_number,
        issuer: a.issuer,
        issued_on: crate::i18n::document_day(a.decided_on),
    })
}

/// `GET /revocations/published/{id}/document.docx`: the announcement as a Word document in
/// the layout of a government document (anyone).
pub(super) async fn announcement_docx(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id("revocation", &raw)?;
    let doc = announcement::announcement_docx(&state.app, id).await?;
    Ok(super::commendation::files::download(doc))
}

//! The obligations desk (issue #12; A22, A25): the Office sets what a winner is to report
//! and reviews the reports; a winner reports on its own, the prize's use one row per
//! category of A22, with its voucher files. Overdue obligations are marked (A28.1 cause 3).
//! The API's twins are in `api::obligations`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use qaward_app::AppError;
use qaward_app::obligations::{self, Line, vouchers};
use qaward_domain::ids::ApplicationId;
use qaward_domain::obligation::{Kind, Report, Status, UseCategory};

use super::done::{Done, with_done};
use super::forms::{Refill, RefusedForm, answer, upload_answer};
use super::frame::{Chrome, chrome};
use super::path_id;
use crate::AppState;
use crate::error::PageError;
use crate::i18n::{Lang, day, label, options};
use crate::inputs::{
    ObligationIn, ObligationReportIn, ObligationReviewIn, ObligationVerdict, from_pairs,
};
use crate::session::{CsrfPairs, Viewer};

/// An obligation as the desk shows it.
pub(super) struct Row {
    id: i64,
    award: String,
    kind: &'static str,
    is_promotion: bool,
    due_on: String,
    request: String,
    status: &'static str,
    overdue: bool,
    /// The report as lines of text: a use and its amount, the vouchers, or the activities.
    report: Vec<String>,
    review_note: String,
    /// The voucher files: id and name.
    files: Vec<(i64, String)>,
    may_report: bool,
    may_review: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "obligations.html")]
pub(super) struct DeskPage {
    chrome: Chrome,
    /// The version of the measures its hints cite (issue #13).
    law: crate::i18n::Law,
    csrf: String,
    rows: Vec<Row>,
    standing: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    may_set: bool,
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

fn report_lines(lang: Lang, r: &Report) -> Vec<String> {
    let t = lang.tr().ob;
    match r {
        Report::PrizeUse { lines, vouchers } => {
            let mut out: Vec<String> = lines
                .iter()
                .map(|l| format!("{}：{} · {}", label(lang, l.category), l.yuan, l.purpose))
                .collect();
            out.push(format!("{}：{}", t.total, r.total_yuan()));
            out.push(format!("{}：{vouchers}", t.vouchers));
            out
        }
        Report::Promotion { activities } => vec![activities.clone()],
    }
}

fn row(lang: Lang, may_set: bool, l: Line) -> Row {
    let r = l.row;
    Row {
        id: r.id,
        award: format!("{} · {}", r.subject_name, r.certificate_number),
        kind: label(lang, r.kind),
        is_promotion: r.kind == Kind::Promotion,
        due_on: day(lang, r.due_on),
        request: r.request,
        status: label(lang, r.status),
        overdue: l.overdue,
        report: r
            .report
            .as_ref()
            .map(|x| report_lines(lang, x))
            .unwrap_or_default(),
        review_note: r.review_note.unwrap_or_default(),
        files: l.files.into_iter().map(|f| (f.id, f.file_name)).collect(),
        may_report: !may_set && matches!(r.status, Status::Due | Status::Returned),
        may_review: may_set && r.status == Status::Reported,
    }
}

async fn desk_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    refused: Option<(String, Refill)>,
) -> Result<DeskPage, PageError> {
    let p = viewer.require()?;
    let d = obligations::desk(&state.app, p).await?;
    Ok(DeskPage {
        law: crate::i18n::Law::current(&state.app, viewer, lang).await?,
        chrome: chrome(lang, viewer),
        csrf: p.csrf.clone().unwrap_or_default(),
        rows: d
            .lines
            .into_iter()
            .map(|x| row(lang, d.may_set, x))
            .collect(),
        standing: d
            .standing
            .iter()
            .map(|a| {
                (
                    a.application_id.0,
                    format!("{} · {}", a.subject_name, a.certificate_number),
                )
            })
            .collect(),
        kinds: options::<Kind>(lang),
        categories: options::<UseCategory>(lang),
        may_set: d.may_set,
        hidden: crate::i18n::hidden_note(lang.tr().ob.hidden, d.hidden),
        refused,
    })
}

/// `GET /obligations`: the desk.
pub(super) async fn desk(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
) -> Result<DeskPage, PageError> {
    desk_page(&state, lang, &viewer, None).await
}

async fn refused_or_done(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    form: String,
    pairs: Vec<(String, String)>,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    let to = with_done("/obligations", Done::ObligationSaved);
    answer(lang, result, &to, pairs, |refill| {
        desk_page(state, lang, viewer, Some((form, refill)))
    })
    .await
}

/// `POST /obligations`: the Office sets an obligation.
pub(super) async fn set(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let result = async {
        let f: ObligationIn = from_pairs(pairs.clone())?;
        let app = ApplicationId(f.application);
        obligations::set_obligation(&state.app, p, app, f.kind, f.due_on, &f.request)
            .await
            .map(drop)
    }
    .await;
    refused_or_done(&state, lang, &viewer, "set".into(), pairs, result).await
}

/// `POST /obligations/{id}/{act}`: the winner reports (`report`), the Office reviews
/// (`review`); refused, the desk again with the message above that form.
pub(super) async fn act(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, act)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = path_id("obligation", &raw)?;
    let p = viewer.require()?;
    let result = async {
        match act.as_str() {
            "report" => {
                let f: ObligationReportIn = from_pairs(pairs.clone())?;
                obligations::report(&state.app, p, id, &f.report()).await
            }
            "review" => {
                let f: ObligationReviewIn = from_pairs(pairs.clone())?;
                let accept = f.decision == ObligationVerdict::Accept;
                let note = f.note.unwrap_or_default();
                obligations::review(&state.app, p, id, accept, &note).await
            }
            other => Err(AppError::NotFound(format!("obligation step {other}"))),
        }
    }
    .await;
    refused_or_done(&state, lang, &viewer, format!("{act}-{id}"), pairs, result).await
}

/// `POST /obligations/{id}/vouchers`: a multipart form, `csrf` then `file`: the winner
/// attaches a voucher file. Refused, the desk again with the message above that form.
pub(super) async fn attach(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(raw): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let id = path_id("obligation", &raw)?;
    let p = viewer.require()?;
    let sent = super::fields_then_file(
        &mut form,
        &viewer,
        |_| 128,
        qaward_domain::msg!("voucher-file-required"),
        async |_, f| {
            let filename = f.file_name().unwrap_or("").to_owned();
            vouchers::attach(&state.app, p, id, crate::body::field(f), &filename).await?;
            Ok(())
        },
    )
    .await;
    let to = with_done("/obligations", Done::ObligationSaved);
    upload_answer(lang, sent, &to, |refill| {
        desk_page(
            &state,
            lang,
            &viewer,
            Some((format!("vouchers-{id}"), refill)),
        )
    })
    .await
}

/// `POST /obligations/{id}/vouchers/{file}/remove`: the winner removes a voucher file.
pub(super) async fn remove(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((raw, file)): Path<(String, String)>,
    CsrfPairs(pairs): CsrfPairs,
) -> Result<Response, PageError> {
    let id = path_id("obligation", &raw)?;
    let file = path_id("file", &file)?;
    let p = viewer.require()?;
    let result = vouchers::remove(&state.app, p, id, file).await;
    refused_or_done(
        &state,
        lang,
        &viewer,
        format!("vouchers-{id}"),
        pairs,
        result,
    )
    .await
}

/// `GET /obligations/{id}/vouchers/{file}`: a voucher file (the Office, the winner).
pub(super) async fn voucher(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = path_id("obligation", &raw)?;
    let file = path_id("file", &file)?;
    let p = viewer.require()?;
    Ok(voucher_download(&state.app, p, id, file).await?)
}

/// A voucher file as a download under its cleaned name, for the page and the API.
pub(crate) async fn voucher_download(
    app: &qaward_app::App,
    p: &qaward_app::Principal,
    id: i64,
    file: i64,
) -> Result<Response, AppError> {
    let (f, content) = vouchers::read(app, p, id, file).await?;
    Ok(super::stored_download(
        &f.file_name,
        &f.content_type,
        content,
    ))
}

//! The commendation's documents as downloads (issue #11, item 9): the certificate (PDF),
//! the decision (Word), the lists (Excel), and each public notice as Word and Excel. The
//! API's twins in `api::commendation` answer the same bytes.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use qaward_app::commendation::documents::{self, Document};
use qaward_app::{AppError, home};
use qaward_domain::ids::ApplicationId;

use super::super::path_id;
use crate::error::PageError;
use crate::session::Viewer;
use crate::{AppState, WebConfig};

/// `doc` as a download.
pub(crate) fn download(doc: Document) -> Response {
    let mut r = doc.bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        axum::http::header::CONTENT_DISPOSITION,
        crate::pages::disposition(&doc.filename),
    );
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(doc.content_type),
    );
    r
}

/// The installation's public address, for the certificate's QR code: the first trusted
/// origin when one is configured (the address people use), else the address this request
/// came to — its host kept to the characters a host name has.
pub(crate) fn public_base(config: &WebConfig, headers: &HeaderMap) -> String {
    if let Some(o) = config.trusted_origins.first() {
        return o.clone();
    }
    let host: String = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(*c))
        .collect();
    let scheme = if config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

async fn current(
    state: &AppState,
    p: &qaward_app::Principal,
) -> Result<qaward_domain::ids::CycleId, AppError> {
    home::current_cycle(&state.app, Some(p))
        .await?
        .map(|c| c.id)
        .ok_or_else(|| AppError::NotFound("no cycle".into()))
}

/// The certificate of award `id` (the Office, the winner).
pub(crate) async fn certificate(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let id = ApplicationId(path_id("application", &raw)?);
    let base = public_base(&state.config, &headers);
    Ok(download(
        documents::certificate(&state.app, p, id, &base).await?,
    ))
}

/// The current cycle's commendation lists.
pub(crate) async fn lists(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = current(&state, p).await?;
    Ok(download(documents::lists(&state.app, p, cycle).await?))
}

/// The current cycle's commendation decision.
pub(crate) async fn decision(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = current(&state, p).await?;
    Ok(download(
        documents::decision_docx(&state.app, p, cycle).await?,
    ))
}

/// A public notice as Word (`document.docx`) or its entries as Excel (`list.xlsx`).
pub(crate) async fn notice(
    State(state): State<AppState>,
    Path((raw, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = path_id("notice", &raw)?;
    let doc = match file.as_str() {
        "document.docx" => documents::notice_docx(&state.app, id).await?,
        "list.xlsx" => documents::notice_xlsx(&state.app, id).await?,
        other => return Err(AppError::NotFound(format!("notice file {other}")).into()),
    };
    Ok(download(doc))
}

/// The signed decision as a download, under its cleaned name, with its judged content type.
pub(crate) async fn signed_response(
    app: &qaward_app::App,
    p: &qaward_app::Principal,
    cycle: qaward_domain::ids::CycleId,
) -> Result<Response, AppError> {
    let (signed, file) = qaward_app::commendation::signed::open(app, p, cycle).await?;
    Ok(crate::pages::stored_download(
        &signed.name,
        &signed.content_type,
        file,
    ))
}

/// The current cycle's signed decision (those on the commendation desk).
pub(crate) async fn signed(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = current(&state, p).await?;
    Ok(signed_response(&state.app, p, cycle).await?)
}

/// `POST /commendation/decision/signed`: a multipart form, `csrf` then `file` (the
/// Government). A refusal shows the desk again with the message above the form.
pub(crate) async fn attach_signed(
    State(state): State<AppState>,
    lang: crate::i18n::Lang,
    viewer: Viewer,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = current(&state, p).await?;
    let missing = qaward_domain::msg!("signed-decision-required");
    let sent = crate::pages::fields_then_file(
        &mut form,
        &viewer,
        |_| 256,
        missing,
        async |_, f| {
            let filename = f.file_name().unwrap_or("").to_owned();
            let body = crate::body::field(f);
            qaward_app::commendation::signed::attach(&state.app, p, cycle, body, &filename).await?;
            let to = format!(
                "{}#decision",
                crate::pages::done::with_done(
                    "/commendation",
                    crate::pages::done::Done::CommendationSaved
                )
            );
            Ok(axum::response::Redirect::to(&to).into_response())
        },
    )
    .await;
    match sent {
        Ok(r) => Ok(r),
        Err(crate::error::PageError(w)) => {
            let (status, _, refill) = crate::pages::forms::Refill::of_web(lang, w, vec![])?;
            let page = super::desk_page(&state, lang, &viewer, Some(("signed".to_owned(), refill)))
                .await?;
            Ok((status, page).into_response())
        }
    }
}

/// The current cycle's submitted applications as an Excel list (the Office).
pub(crate) async fn applications(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    Ok(download(documents::applications_xlsx(&state.app, p).await?))
}

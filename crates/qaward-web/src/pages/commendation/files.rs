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

async fn current(state: &AppState) -> Result<qaward_domain::ids::CycleId, AppError> {
    home::current_cycle(&state.app)
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
    let cycle = current(&state).await?;
    Ok(download(documents::lists(&state.app, p, cycle).await?))
}

/// The current cycle's commendation decision.
pub(crate) async fn decision(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let cycle = current(&state).await?;
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

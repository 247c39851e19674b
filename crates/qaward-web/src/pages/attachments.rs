//! The applicant's removal of an attachment from the application page (A14.3: only
//! until it submits, or after a return). Replacing a file is removing it and uploading
//! the new one; the page says so beside the upload form.

use axum::extract::{Path, State};
use axum::response::Redirect;
use qaward_app::applications::draft;

use super::applications::{back_done, id_of};
use super::done::Done;
use super::path_id;
use crate::AppState;
use crate::error::PageError;
use crate::inputs::Empty;
use crate::session::{CsrfForm, Viewer};

/// `POST /applications/{id}/attachments/{attachment}/remove`.
pub(super) async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((raw, aid)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let p = viewer.require()?;
    let id = id_of(&raw)?;
    let aid = path_id("attachment", &aid)?;
    draft::detach(&state.app, p, id, aid).await?;
    Ok(back_done(id, Done::Detached))
}

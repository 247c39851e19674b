//! Request bodies as the use cases read them, with their failures told apart: a body over
//! its limit is a 413, anything else a broken upload. Uploads stream as [`BodyError`]
//! results into `qaward_app::files`.

use axum::body::{Body, Bytes};
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use futures_util::{Stream, TryStreamExt};
use qaward_app::files::BodyError;

use crate::error::WebError;

/// A raw request body, as an upload stream. (A raw body has no request limit: the upload's
/// own limit bounds it.)
pub fn stream(body: Body) -> impl Stream<Item = Result<Bytes, BodyError>> + Send + Unpin {
    body.into_data_stream()
        .map_err(|e| BodyError::Broken(e.to_string()))
}

/// What went wrong reading a multipart form.
fn multipart_error(e: &MultipartError) -> BodyError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        BodyError::TooLarge
    } else {
        BodyError::Broken(e.body_text())
    }
}

/// A multipart form's file field, as an upload stream: a form over the request's limit
/// is "too large" like a file over its own, not a broken upload.
pub fn field(f: Field<'_>) -> impl Stream<Item = Result<Bytes, BodyError>> + Send + Unpin + '_ {
    Box::pin(f.map_err(|e| multipart_error(&e)))
}

/// A multipart form that cannot be read: 413 past the request's limit, else the status
/// axum gives.
pub fn malformed_multipart(e: MultipartError) -> WebError {
    match multipart_error(&e) {
        BodyError::TooLarge => WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the form is larger than the upload limit",
        ),
        BodyError::Broken(m) => WebError::new(e.status(), "malformed", m),
    }
}

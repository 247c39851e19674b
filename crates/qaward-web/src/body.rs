//! Request bodies as the use cases read them, with their failures told apart: a body over
//! its limit is a 413, a sender that stopped sending (the body timeout of
//! [`crate::routes::router`]) a 408, anything else a broken upload. Uploads stream as
//! [`BodyError`] results into `qaward_app::files`; forms and JSON bodies read whole map
//! their rejection through [`rejected`].

use axum::body::{Body, Bytes};
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use futures_util::{Stream, TryStreamExt};
use qaward_app::files::BodyError;
use qaward_domain::msg;
use tower_http::timeout::TimeoutError;

use crate::error::WebError;

/// Whether `e`, or an error under it, is the body timeout's.
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<TimeoutError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// A raw request body, as an upload stream. (A raw body has no request limit: the upload's
/// own limit bounds it.)
pub fn stream(body: Body) -> impl Stream<Item = Result<Bytes, BodyError>> + Send + Unpin {
    body.into_data_stream().map_err(|e| {
        if timed_out(&e) {
            BodyError::TimedOut
        } else {
            BodyError::Broken(e.to_string())
        }
    })
}

/// What went wrong reading a multipart form.
fn multipart_error(e: &MultipartError) -> BodyError {
    if timed_out(e) {
        BodyError::TimedOut
    } else if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
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

/// A multipart form that cannot be read: 413 past the request's limit, 408 when the sender
/// stalled, else the status axum gives.
pub fn malformed_multipart(e: MultipartError) -> WebError {
    match multipart_error(&e) {
        BodyError::TooLarge => WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            msg!("form-too-large"),
        ),
        BodyError::TimedOut => WebError::from(qaward_app::AppError::TimedOut),
        BodyError::Broken(m) => {
            WebError::new(e.status(), "malformed", msg!("body-unreadable", detail = m))
        }
    }
}

/// A form or JSON body that cannot be read whole: 408 when the sender stalled, else the
/// status axum gives (413 past the limit, 400 otherwise).
pub fn rejected(e: BytesRejection) -> WebError {
    if timed_out(&e) {
        return WebError::from(qaward_app::AppError::TimedOut);
    }
    WebError::new(
        e.status(),
        "malformed",
        msg!("body-unreadable", detail = e.body_text()),
    )
}

//! One error type for pages and one for the API, both over [`AppError`]: 4xx answers carry
//! a message for the user (and the rule ID when a rule refused), 5xx are logged and
//! hidden. Pages render an HTML page; the API answers `{"error": {"code", "message",
//! "field", "rule"}}` with a stable `code`.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qaward_app::AppError;
use qaward_domain::permission::Denial;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of an API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: `invalid`, `malformed`, `unauthenticated`, `bad_credentials`, `forbidden`,
    /// `recused`, `csrf`, `not_found`, `conflict`, `refused`, `too_many_attempts`,
    /// `too_large`, `timeout`, `internal`.
    pub code: &'static str,
    pub message: String,
    /// The input field at fault, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The rule of the measures that refused, for `refused` and `recused`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// An error in web terms, before it is rendered.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
    retry_after: Option<u64>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            detail: ErrorDetail {
                code,
                message: message.into(),
                field: None,
                rule: None,
            },
            retry_after: None,
        }
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the form has expired or was sent from another site; reload the page and try again",
        )
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed", message)
    }

    /// Seconds to wait before trying again, for a throttled request.
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let message = e.to_string();
        let (status, code) = match &e {
            AppError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::Forbidden(Denial::Recused(_)) => (StatusCode::FORBIDDEN, "recused"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Refused(_) => (StatusCode::UNPROCESSABLE_ENTITY, "refused"),
            AppError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
            }
            AppError::TooLarge { .. } | AppError::OverQuota { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
            }
            AppError::TimedOut => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let mut w = WebError::new(status, code, message);
        match e {
            AppError::Invalid { field, message } => {
                w.detail.field = Some(field);
                w.detail.message = message;
            }
            AppError::Refused(r) => {
                w.detail.rule = Some(r.rule.to_string());
            }
            AppError::Forbidden(Denial::Recused(r)) => w.detail.rule = Some(r.to_string()),
            AppError::TooManyAttempts { retry_after_secs } => {
                w.retry_after = Some(retry_after_secs)
            }
            _ => {}
        }
        w
    }
}

/// `r` with a `Retry-After` header, when there is a time to wait.
pub fn with_retry_after(mut r: Response, retry: Option<u64>) -> Response {
    if let Some(s) = retry
        && let Ok(v) = HeaderValue::from_str(&s.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let WebError {
            status,
            detail,
            retry_after,
        } = self.0;
        with_retry_after(
            (status, Json(ErrorBody { error: detail })).into_response(),
            retry_after,
        )
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    detail: &'a ErrorDetail,
}

/// An error answered as an HTML page, bilingual since it may come before the language
/// is known.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let WebError {
            status,
            detail,
            retry_after,
        } = self.0;
        let page = ErrorPage {
            status: status.as_u16(),
            detail: &detail,
        };
        let body = page.render().unwrap_or_else(|_| detail.message.clone());
        with_retry_after(
            (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response(),
            retry_after,
        )
    }
}

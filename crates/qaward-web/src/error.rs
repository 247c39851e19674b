//! One error type for pages and one for the API, both over [`AppError`]: 4xx answers carry
//! a message for the user (and the rule ID when a rule refused), 5xx are logged and
//! hidden. Pages render an HTML page; the API answers `{"error": {"code", "message",
//! "field", "rule"}}` with a stable `code`.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qaward_app::{AppError, messages};
use qaward_domain::message::Message;
use qaward_domain::msg;
use qaward_domain::permission::Denial;
use qaward_domain::rule::Refusal;

use crate::i18n::{Lang, Tr};
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
    /// The message's stable key in the catalogs (`notice-too-short`), for clients that
    /// word it themselves.
    pub key: &'static str,
    /// The message in the request's language (Chinese unless the `lang` cookie says `en`).
    pub message: String,
    /// The input field at fault, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The rule of the measures that refused, for `refused` and `recused`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Every unmet condition, when a submission meets several refusals at once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<UnmetDetail>,
}

/// One unmet condition of a refused submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmetDetail {
    pub rule: String,
    pub key: &'static str,
    pub message: String,
}

/// An error in web terms, before it is rendered in the reader's language.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: Message,
    pub field: Option<Box<str>>,
    /// The refusal, when a rule refused: its message cites the article. (Boxed, like the
    /// field, to keep the error small on the handlers' return path.)
    pub refusal: Option<Box<Refusal>>,
    pub unmet: Box<[Refusal]>,
    retry_after: Option<u64>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: Message) -> Self {
        Self {
            status,
            code,
            message,
            field: None,
            refusal: None,
            unmet: Box::new([]),
            retry_after: None,
        }
    }

    pub fn csrf() -> Self {
        Self::new(StatusCode::FORBIDDEN, "csrf", msg!("form-expired"))
    }

    pub fn malformed(message: Message) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed", message)
    }

    /// Seconds to wait before trying again, for a throttled request.
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }

    /// The message in `lang`; a refusal cites its article.
    pub fn text(&self, lang: Lang) -> String {
        match &self.refusal {
            Some(r) => messages::refusal(lang.text(), r),
            None => messages::render(lang.text(), &self.message),
        }
    }

    /// The message and every unmet condition in `lang`, for a page to list; a field's
    /// message is led by the field's label.
    pub fn texts(&self, lang: Lang) -> Vec<String> {
        if self.unmet.is_empty() {
            vec![lang.field_message(self.field.as_deref(), &self.text(lang))]
        } else {
            self.unmet
                .iter()
                .map(|r| messages::refusal(lang.text(), r))
                .collect()
        }
    }

    /// The API's body in `lang`.
    pub fn detail(&self, lang: Lang) -> ErrorDetail {
        ErrorDetail {
            code: self.code,
            key: self.message.key,
            message: self.text(lang),
            field: self.field.as_deref().map(str::to_owned),
            rule: self.refusal.as_ref().map(|r| r.rule.to_string()),
            unmet: self
                .unmet
                .iter()
                .map(|r| UnmetDetail {
                    rule: r.rule.to_string(),
                    key: r.message.key,
                    message: messages::refusal(lang.text(), r),
                })
                .collect(),
        }
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let (status, code) = match &e {
            AppError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            AppError::Forbidden(Denial::Recused(_)) => (StatusCode::FORBIDDEN, "recused"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Refused(_) | AppError::Unmet(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "refused")
            }
            AppError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
            }
            AppError::TooLarge { .. } | AppError::OverQuota { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
            }
            AppError::TimedOut => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            AppError::Unavailable { detail, .. } => {
                tracing::error!(error = %detail, "unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let mut w = WebError::new(status, code, e.message());
        match e {
            AppError::Invalid { field, .. } => w.field = Some(field.into_boxed_str()),
            AppError::Refused(r) => w.refusal = Some(Box::new(r)),
            AppError::Unmet(rs) => {
                w.refusal = rs.first().cloned().map(Box::new);
                w.unmet = rs.into_boxed_slice();
            }
            AppError::Forbidden(Denial::Recused(r)) => {
                w.refusal = Some(Box::new(Refusal::new(r, msg!("denied-recused"))));
            }
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
        let w = self.0;
        let body = ErrorBody {
            error: w.detail(current_lang()),
        };
        with_retry_after((w.status, Json(body)).into_response(), w.retry_after)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    lang: &'a str,
    tr: &'static Tr,
    messages: Vec<String>,
    /// The page of this site the person came from.
    back: Option<String>,
    /// Whether to say how to go back to a refused form.
    form_hint: bool,
}

/// The same, inside the page frame (menu, who is logged in), once the viewer is known.
#[derive(Template)]
#[template(path = "error_framed.html")]
struct FramedErrorPage {
    chrome: crate::pages::Chrome,
    status: u16,
    messages: Vec<String>,
    back: Option<String>,
    form_hint: bool,
}

/// An error answered as an HTML page in the reader's language.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let w = self.0;
        let lang = current_lang();
        let messages = w.texts(lang);
        // A form's refusal says how to go back to it; "not found" or "not allowed" do not.
        let form_hint = w.status.is_client_error()
            && !matches!(
                w.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            );
        let framed = VIEWER
            .try_with(|v| v.clone())
            .ok()
            .map(|viewer| FramedErrorPage {
                chrome: crate::pages::chrome(lang, &viewer),
                status: w.status.as_u16(),
                messages: messages.clone(),
                back: current_back(),
                form_hint,
            });
        let body = match framed {
            Some(page) => page.render(),
            None => ErrorPage {
                status: w.status.as_u16(),
                lang: lang.code(),
                tr: lang.tr(),
                messages,
                back: current_back(),
                form_hint,
            }
            .render(),
        }
        .unwrap_or_else(|_| w.text(lang));
        with_retry_after(
            (
                w.status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response(),
            w.retry_after,
        )
    }
}

/// What an error page needs to know of the request it answers.
#[derive(Clone)]
struct Here {
    lang: Lang,
    /// The page of this site the request came from (its `Referer`), to lead back to.
    back: Option<String>,
}

tokio::task_local! {
    /// Who asks, once `session::authenticate` has said so: the error page is then framed
    /// like every page, with the reader's menu.
    static VIEWER: crate::session::Viewer;
}

/// The layer, inside authentication, that keeps the viewer for the error pages.
pub async fn with_viewer(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match req.extensions().get::<crate::session::Viewer>().cloned() {
        Some(v) => VIEWER.scope(v, next.run(req)).await,
        None => next.run(req).await,
    }
}

tokio::task_local! {
    /// The request being answered, set by [`with_lang`] around every request, so that an
    /// error rendered far from the handler's arguments is still in the reader's language
    /// and can lead back to the page the person came from.
    static HERE: Here;
}

/// The language of the current request; Chinese outside one.
pub fn current_lang() -> Lang {
    HERE.try_with(|h| h.lang).unwrap_or(Lang::Zh)
}

fn current_back() -> Option<String> {
    HERE.try_with(|h| h.back.clone()).ok().flatten()
}

/// The path of `referer` when it is a page of this site (same host), else nothing: an
/// error page never links to another site.
fn back_of(referer: Option<&str>, host: Option<&str>) -> Option<String> {
    let (referer, host) = (referer?, host?);
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    (authority == host && path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

/// The layer that records the request's language and origin for the error pages.
pub async fn with_lang(
    lang: Lang,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = req.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let back = back_of(text(header::REFERER), text(header::HOST));
    HERE.scope(Here { lang, back }, next.run(req)).await
}

#[cfg(test)]
mod tests {
    use super::back_of;

    #[test]
    fn the_error_page_leads_back_only_within_the_site() {
        let host = Some("qaward.example");
        assert_eq!(
            back_of(Some("http://qaward.example/applications/3?x=1"), host),
            Some("/applications/3?x=1".into())
        );
        assert_eq!(back_of(Some("http://evil.example/x"), host), None);
        assert_eq!(
            back_of(Some("http://qaward.example//evil.example"), host),
            None
        );
        assert_eq!(back_of(Some("javascript:alert(1)"), host), None);
        assert_eq!(back_of(None, host), None);
    }
}

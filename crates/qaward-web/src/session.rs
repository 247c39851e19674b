//! Who is asking: the session cookie or an API bearer token, resolved once per request
//! by [`authenticate`] into a [`Viewer`] in the request's extensions; and the forms'
//! CSRF token check ([`CsrfForm`]).
//!
//! The session cookie is `HttpOnly`, `SameSite=Lax`, `Secure` when configured; its value
//! is a random secret whose hash names the server-side session row. Two CSRF defences
//! stack: the `Origin`/`Sec-Fetch-Site` check of tower-http's `CsrfLayer` on every
//! request, and a per-session token in every form (and the `X-CSRF-Token` header for API
//! calls made with the cookie). Bearer-token API calls carry no cookie and need neither.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use qaward_app::{AppError, Principal, auth};
use qaward_domain::msg;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{ApiError, PageError, WebError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "qaward_session";
/// The cookie that keeps the program a person chose to work in (issue #13, item 4).
pub const PROGRAM_COOKIE: &str = "qaward_program";
/// The header an API client names the program it works in with (a program's number), as
/// a browser does with [`PROGRAM_COOKIE`].
pub const PROGRAM_HEADER: &str = "x-qaward-program";
/// The header API clients using the cookie send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let v = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let v = format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// How the viewer authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    Cookie,
    Token,
}

/// Who is asking, resolved by [`authenticate`].
#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Option<Principal>,
    pub via: Via,
    /// The session cookie's value, to end the session at logout.
    pub session_token: Option<String>,
    /// The client's address, for login throttling.
    pub address: String,
    /// The path asked for, so that the page's menu can mark where the reader is.
    pub path: String,
    /// What the form that led here did (`?done=`), for the page's frame to say once.
    pub done: Option<crate::pages::done::Done>,
    /// The programs the logged-in person may switch between (number and name), for the
    /// page header's switcher; empty when there is no choice, and for API calls.
    pub programs: Vec<(i64, String)>,
}

impl Viewer {
    pub fn principal(&self) -> Option<&Principal> {
        self.principal.as_ref()
    }

    /// The principal, or "log in first".
    pub fn require(&self) -> Result<&Principal, AppError> {
        self.principal.as_ref().ok_or(AppError::Unauthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Viewer>().cloned().ok_or_else(|| {
            PageError(WebError::from(AppError::Internal(
                "authenticate middleware missing".into(),
            )))
        })
    }
}

fn client_address(req: &Request, header_name: Option<&str>) -> String {
    if let Some(name) = header_name
        && let Some(v) = req.headers().get(name).and_then(|v| v.to_str().ok())
        && let Some(last) = v
            .rsplit(',')
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        // The proxy appends the address it saw; anything before it the client could forge.
        return last.chars().take(64).collect();
    }
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn fail(api: bool, e: AppError) -> Response {
    if api {
        ApiError::from(e).into_response()
    } else {
        PageError::from(e).into_response()
    }
}

fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

/// Resolves the viewer of every request.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let address = client_address(&req, state.config.client_ip_header.as_deref());
    let api = is_api(&req);
    let path = req.uri().path().to_owned();
    let done = crate::pages::done::Done::of_query(req.uri().query());
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let mut viewer = if let Some(token) = bearer {
        match auth::token_principal(&state.app, &token).await {
            Ok(Some(p)) => Viewer {
                principal: Some(p),
                via: Via::Token,
                session_token: None,
                address,
                path,
                done,
                programs: Vec::new(),
            },
            Ok(None) => {
                return ApiError(WebError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    msg!("token-unknown"),
                ))
                .into_response();
            }
            Err(e) => return fail(api, e),
        }
    } else if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        match auth::session(&state.app, &token).await {
            Ok(p) => Viewer {
                via: if p.is_some() {
                    Via::Cookie
                } else {
                    Via::Anonymous
                },
                principal: p,
                session_token: Some(token),
                address,
                path,
                done,
                programs: Vec::new(),
            },
            Err(e) => return fail(api, e),
        }
    } else {
        Viewer {
            principal: None,
            via: Via::Anonymous,
            session_token: None,
            address,
            path,
            done,
            programs: Vec::new(),
        }
    };
    // The program chosen with the header's switcher, where the person may work in it; the
    // switcher itself on pages only.
    if let Some(p) = viewer.principal.as_mut() {
        let header = req
            .headers()
            .get(PROGRAM_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let choice = header
            .or_else(|| cookie(req.headers(), PROGRAM_COOKIE))
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map(qaward_domain::ids::ProgramId);
        if let Err(e) = qaward_app::programs::choose(&state.app, p, choice).await {
            return fail(api, e);
        }
        if !api && viewer.via == Via::Cookie {
            match qaward_app::programs::choices(&state.app, p).await {
                Ok(c) => viewer.programs = c.into_iter().map(|x| (x.id.0, x.name)).collect(),
                Err(e) => return fail(api, e),
            }
        }
    }
    // API calls that ride on the browser's cookie must prove they come from our pages.
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && api && viewer.via == Via::Cookie {
        let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        let expected = viewer.principal.as_ref().and_then(|p| p.csrf.as_deref());
        if sent.is_none() || sent != expected {
            return ApiError(WebError::csrf()).into_response();
        }
    }
    req.extensions_mut().insert(viewer);
    next.run(req).await
}

/// A URL-encoded form whose `csrf` field must match the session's token when the viewer
/// is logged in, read into the action's typed input ([`crate::inputs::from_form`]); a
/// malformed or missing field is a 422 naming it.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let CsrfPairs(pairs) = CsrfPairs::from_request(req, state).await?;
        Ok(CsrfForm(crate::inputs::from_pairs(pairs)?))
    }
}

/// A URL-encoded form checked like [`CsrfForm`], kept as the fields that were typed: the
/// handler reads its input from them and, when refused, shows them again in the form.
pub struct CsrfPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for CsrfPairs {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let viewer = req.extensions().get::<Viewer>().cloned();
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(PageError(WebError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "malformed",
                msg!("send-form"),
            )));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| PageError(crate::body::rejected(e)))?;
        check_csrf(viewer.as_ref(), &bytes)?;
        Ok(CsrfPairs(crate::inputs::form_pairs(&bytes)?))
    }
}

/// A public form ([`PublicForm`]) kept as the fields that were typed ([`CsrfPairs`]).
pub struct PublicPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for PublicPairs {
    type Rejection = PageError;

    async fn from_request(mut req: Request, state: &S) -> Result<Self, Self::Rejection> {
        req.extensions_mut().remove::<Viewer>();
        let CsrfPairs(pairs) = CsrfPairs::from_request(req, state).await?;
        Ok(PublicPairs(pairs))
    }
}

/// A URL-encoded form that needs no session token: login and registration, which a
/// browser may post from a tab opened before its session began. tower-http's
/// `CsrfLayer` still refuses them from other sites.
pub struct PublicForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PublicForm<T> {
    type Rejection = PageError;

    async fn from_request(mut req: Request, state: &S) -> Result<Self, Self::Rejection> {
        req.extensions_mut().remove::<Viewer>();
        CsrfForm::<T>::from_request(req, state)
            .await
            .map(|CsrfForm(v)| PublicForm(v))
    }
}

/// Checks a form's `csrf` field against the viewer's session.
pub fn check_csrf(viewer: Option<&Viewer>, body: &[u8]) -> Result<(), PageError> {
    let Some(expected) = viewer
        .and_then(|v| v.principal.as_ref())
        .and_then(|p| p.csrf.as_deref())
    else {
        return Ok(());
    };
    let sent: Option<String> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
    if sent.as_deref() == Some(expected) {
        Ok(())
    } else {
        Err(PageError(WebError::csrf()))
    }
}

/// Where a login may lead back to: a path of this site only. `next` comes from a link
/// anyone can craft, so a value that a browser would take to another site is refused:
/// `//host` and `/\host` (both read as "another host"), a scheme (`https:`,
/// `javascript:`), and control characters, which browsers strip (`/\t/host` is `//host`).
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048;
    ok.then_some(next)
}

/// The login form that leads back to `back` afterwards.
pub fn login_path(back: &str) -> String {
    match safe_next(back) {
        Some(b) if b != "/" => format!("/login?next={}", crate::pages::urlencode(b)),
        _ => "/login".to_owned(),
    }
}

/// A page that needs a login, opened by someone who is not logged in (a link in a
/// notification e-mail, a bookmark, a session that has ended), leads to the login form,
/// which brings them back to it afterwards, rather than to an error page. Only reads of
/// pages: the API keeps answering 401, and a form posted after the session ended would
/// be lost by a redirect anyway, so it keeps its error page.
pub async fn login_first(req: Request, next: Next) -> Response {
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let page = !is_api(&req);
    let anonymous = req
        .extensions()
        .get::<Viewer>()
        .is_none_or(|v| v.principal.is_none());
    let back = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let answer = next.run(req).await;
    if answer.status() == axum::http::StatusCode::UNAUTHORIZED && read && page && anonymous {
        return axum::response::Redirect::to(&login_path(&back)).into_response();
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::{login_path, safe_next};

    #[test]
    fn only_paths_of_this_site_are_led_back_to() {
        for ok in ["/", "/applications/7", "/notices?page=2", "/a//b"] {
            assert_eq!(safe_next(ok), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/\t/evil.example",
            "/\n/evil.example",
            "\\\\evil.example",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(
            login_path("/applications/7"),
            "/login?next=%2Fapplications%2F7"
        );
        assert_eq!(login_path("//evil.example"), "/login");
    }
}

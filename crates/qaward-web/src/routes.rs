//! The router: pages, the API and its OpenAPI document and `/metrics`, behind the layers
//! every request passes (the metrics, request id, security headers, the public pages'
//! cache, cross-origin protection, authentication, the body timeout).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use tower::util::MapRequestLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::timeout::TimeoutBody;

use crate::{AppState, api, middleware, pages, session};

/// Forms and JSON bodies larger than this are refused (uploads stream past it with
/// their own limit).
pub const BODY_LIMIT: usize = 256 * 1024;

async fn method_not_allowed(uri: axum::http::Uri) -> axum::response::Response {
    let e = crate::error::WebError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        qaward_domain::msg!("method-not-allowed"),
    );
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(e).into_response()
    } else {
        crate::error::PageError(e).into_response()
    }
}

pub fn router(state: AppState) -> Router {
    let (api_router, mut openapi) = api::router().split_for_parts();
    api::refusals::document(&mut openapi);
    let openapi = Arc::new(openapi);
    let mut csrf = CsrfLayer::new();
    for origin in &state.config.trusted_origins {
        match csrf.clone().add_trusted_origin(origin) {
            Ok(c) => csrf = c,
            Err(e) => tracing::warn!(origin = %origin, error = %e, "ignoring a trusted origin"),
        }
    }
    // Refused in the reader's language (Chinese when it is not known yet), as the
    // token check of the forms and the API refuses: the same code and message.
    let csrf = csrf.with_rejection_response(|_| {
        crate::error::ApiError(crate::error::WebError::csrf()).into_response()
    });
    // A body that stalls longer than this fails its reader, who answers 408
    // (`crate::body`); hyper then closes the connection, whose body was not read to its end.
    let body_timeout = state.config.body_timeout;
    let stall = MapRequestLayer::new(move |req: axum::extract::Request| {
        req.map(|b| Body::new(TimeoutBody::new(body_timeout, b)))
    });
    let max_upload_body = usize::try_from(state.app.settings.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .merge(pages::router(max_upload_body))
        .merge(api_router)
        .route(
            "/api/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .route("/metrics", get(crate::metrics::metrics))
        .fallback(pages::not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Inside authentication, so that it knows whether the reader is logged in.
        .layer(from_fn(crate::error::with_viewer))
        .layer(from_fn(session::login_first))
        .layer(from_fn_with_state(state.clone(), session::authenticate))
        .layer(csrf)
        // Outside authentication: a kept public page costs no session lookup.
        .layer(from_fn_with_state(state.clone(), crate::cache::public))
        .layer(from_fn(middleware::security_headers))
        .layer(from_fn(middleware::request_id))
        .layer(from_fn(crate::error::with_lang))
        .layer(stall)
        // Outermost: it times the whole answer, the cache's and the refusals' included.
        .layer(from_fn_with_state(state.clone(), crate::metrics::track))
        .with_state(state)
}

//! The router: pages, the API and its OpenAPI document, behind the layers every request
//! passes (request id, security headers, cross-origin protection, authentication).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{Response, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use tower_http::csrf::CsrfLayer;

use crate::{AppState, api, middleware, pages, session};

/// Forms and JSON bodies larger than this are refused (uploads stream past it with
/// their own limit).
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi = Arc::new(openapi);
    let mut csrf = CsrfLayer::new();
    for origin in &state.config.trusted_origins {
        match csrf.clone().add_trusted_origin(origin) {
            Ok(c) => csrf = c,
            Err(e) => tracing::warn!(origin = %origin, error = %e, "ignoring a trusted origin"),
        }
    }
    let csrf = csrf.with_rejection_response(|_| {
        let body = r#"{"error":{"code":"csrf","message":"cross-site request refused: the form or call did not come from this site"}}"#;
        let mut r = Response::new(Body::from(body));
        *r.status_mut() = StatusCode::FORBIDDEN;
        r.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
        r
    });
    Router::new()
        .merge(pages::router())
        .merge(api_router)
        .route(
            "/api/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), session::authenticate))
        .layer(csrf)
        .layer(from_fn(middleware::security_headers))
        .layer(from_fn(middleware::request_id))
        .with_state(state)
}

//! qaward's web application: server-rendered HTML pages in Simplified Chinese (English on
//! request) that work without JavaScript, and a JSON API under `/api/v1` over the same
//! use cases, described by an OpenAPI document generated from the routed handlers.
//!
//! [`build`] returns the router for an [`qaward_app::App`]; tests drive it in process, and
//! `qaward serve` binds it to a listener ([`serve`]). Only this crate knows HTTP and HTML:
//! handlers read the action's typed input ([`inputs`]), call a use case of `qaward-app`,
//! and render its answer. It never touches storage: it does not depend on `qaward-store`.

pub mod api;
pub mod assets;
pub mod body;
pub mod codes;
pub mod error;
pub mod i18n;
pub mod inputs;
pub mod middleware;
pub mod pages;
pub mod routes;
pub mod session;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use qaward_app::App;
use tokio::net::TcpListener;

/// Web settings.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (serve over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Origins, besides the request's own host, whose form posts are trusted.
    pub trusted_origins: Vec<String>,
    /// Behind a reverse proxy: the header it puts the client's address in
    /// (`X-Forwarded-For`, whose last entry is taken, or `X-Real-IP`), for login
    /// throttling per address. Unset, the connection's peer address counts.
    pub client_ip_header: Option<String>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
}

/// The whole application as a router.
pub fn build(app: App, config: WebConfig) -> Router {
    routes::router(AppState {
        app,
        config: Arc::new(config),
    })
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes the requests in
/// flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

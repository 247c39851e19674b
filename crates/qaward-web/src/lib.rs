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
pub mod cache;
pub mod codes;
pub mod error;
pub mod i18n;
pub mod inputs;
pub mod metrics;
pub mod middleware;
pub mod pages;
pub mod routes;
pub mod session;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use qaward_app::App;
use tokio::net::TcpListener;

/// Web settings. Their defaults are [`WebConfig::default`]'s, the one place they are
/// written; the binary's configuration starts from them.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (serve over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Origins, besides the request's own host, whose form posts are trusted.
    pub trusted_origins: Vec<String>,
    /// Behind a reverse proxy: the header it puts the client's address in
    /// (`X-Forwarded-For`, whose last entry is taken, or `X-Real-IP`), for login
    /// throttling per address. Unset, the connection's peer address counts.
    pub client_ip_header: Option<String>,
    /// How long a client may take to send a request's headers; also how long an idle
    /// connection stays open for its next request ([`serve`]).
    pub header_timeout: Duration,
    /// How long a request's body may stall: the longest wait for its next bytes, as
    /// nginx's `client_body_timeout` (a body that keeps arriving is bounded by the size
    /// limits instead).
    pub body_timeout: Duration,
    /// How to reach the Award Office (领导小组办公室): shown on the public home page
    /// and on the login page to whoever has forgotten a password, since an intranet has
    /// no e-mail reset.
    pub office_contact: String,
    /// How long an answer to a public read (home, notices) is kept for visitors who are
    /// not logged in ([`cache`]); zero keeps none. Writes on this instance empty it.
    pub public_cache: Duration,
}

/// The Office's contact unless the installation sets its own: the Office by the name the
/// measures give it (A7). The measures say neither where it sits nor its number, so an
/// installation sets `office_contact` to its telephone number and address.
pub const DEFAULT_OFFICE_CONTACT: &str = "忻州市标准化和质量强市领导小组办公室";

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trusted_origins: Vec::new(),
            client_ip_header: None,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
            office_contact: DEFAULT_OFFICE_CONTACT.to_owned(),
            public_cache: Duration::from_secs(1),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Shared, not copied: every layer and handler takes the state by clone, and a copy
    /// of the application's settings and pools per request was a measurable share of a
    /// cached page's cost (docs/PERFORMANCE.md).
    pub app: Arc<App>,
    pub config: Arc<WebConfig>,
    pub public_cache: Arc<cache::PublicCache>,
    /// The figures `/metrics` reports.
    pub metrics: Arc<metrics::Metrics>,
}

/// The whole application as a router.
pub fn build(app: App, config: WebConfig) -> Router {
    routes::router(AppState {
        app: Arc::new(app),
        config: Arc::new(config),
        public_cache: Arc::default(),
        metrics: Arc::default(),
    })
}

/// Serves `router` on `listener` over HTTP/1.1 until `shutdown` resolves, then finishes the
/// requests in flight. A client that has not sent a request's headers within
/// `header_timeout` (or that leaves its connection idle as long) is disconnected: hyper's
/// header read timeout, which `axum::serve` cannot set. (`axum::serve` also spoke HTTP/1.1
/// only with axum's default features; connection upgrades, which nothing here uses, are
/// not offered.)
pub async fn serve(
    mut listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // axum's `Listener` retries failed accepts (waiting a second when out of file
        // descriptors, at once when a client gave up), as `axum::serve` does.
        let (stream, peer) = tokio::select! {
            accepted = axum::serve::Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        // What `into_make_service_with_connect_info` gave each request: the peer address.
        let service = tower::ServiceExt::map_request(
            router.clone(),
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(axum::body::Body::new)
            },
        );
        let conn =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = conn.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

//! `/metrics` in the Prometheus (OpenMetrics) text format (issue #14, item 6): requests
//! and their latency by route, method and status, uploads in flight, and at each scrape
//! the database's figures (`qaward_app::operations`: the pool, the audit chain's length,
//! the notices running today). Reading it is the administrator's or a service account's
//! granted it (`Perm::ReadMetrics`), with a token: Prometheus sends `Authorization:
//! Bearer …`.
//!
//! Routes are labelled by their pattern (`/applications/{id}`), never by the path a
//! client sent, so that a crawler of made-up paths cannot grow the series without bound
//! (an unrouted request counts as `unmatched`).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::AppState;
use crate::error::PageError;
use crate::session::Viewer;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Answered {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
    method: String,
}

/// Latency buckets from 1 ms to about 16 s, doubling.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The server's figures, shared by every request.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<Answered, Counter>,
    latency: Family<Route, Histogram, fn() -> Histogram>,
    uploads: Gauge,
    pool_open: Gauge,
    pool_idle: Gauge,
    audit_entries: Gauge,
    notices_open: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("qaward");
        let requests = Family::<Answered, Counter>::default();
        let latency = Family::<Route, Histogram, fn() -> Histogram>::new_with_constructor(
            latency as fn() -> Histogram,
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        registry.register(
            "http_requests",
            "Requests answered, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route and method",
            latency.clone(),
        );
        Self {
            uploads: gauge(
                &mut registry,
                "uploads_in_flight",
                "Uploads whose body is being received",
            ),
            pool_open: gauge(
                &mut registry,
                "db_pool_connections",
                "Database connections the pool holds open",
            ),
            pool_idle: gauge(
                &mut registry,
                "db_pool_idle_connections",
                "Open database connections not in use",
            ),
            audit_entries: gauge(
                &mut registry,
                "audit_chain_entries",
                "Entries in the audit log's hash chain",
            ),
            notices_open: gauge(
                &mut registry,
                "notices_open",
                "Notices whose period includes today",
            ),
            registry,
            requests,
            latency,
        }
    }
}

/// Counts an upload from its start until its answer (or until the client goes away).
struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Whether a request carries a file: a multipart form or a raw body posted to the API.
fn is_upload(req: &Request) -> bool {
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    matches!(*req.method(), Method::POST | Method::PUT)
        && (kind.starts_with("multipart/form-data") || kind.starts_with("application/octet-stream"))
}

/// The layer: counts and times every request by its route's pattern.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let m = &state.metrics;
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = req.method().as_str().to_owned();
    let upload = is_upload(&req).then(|| {
        m.uploads.inc();
        InFlight(m.uploads.clone())
    });
    let started = Instant::now();
    let resp = next.run(req).await;
    drop(upload);
    let route = Route { route, method };
    m.latency
        .get_or_create(&route)
        .observe(started.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&Answered {
            route: route.route,
            method: route.method,
            status: resp.status().as_u16(),
        })
        .inc();
    resp
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let p = viewer.require()?;
    let g = qaward_app::operations::gauges(&state.app, p).await?;
    let m = &state.metrics;
    m.pool_open.set(i64::from(g.pool_open));
    m.pool_idle
        .set(i64::try_from(g.pool_idle).unwrap_or(i64::MAX));
    m.audit_entries.set(g.audit_entries);
    m.notices_open.set(g.notices_open);
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &m.registry)
        .map_err(|e| qaward_app::AppError::Internal(format!("metrics: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

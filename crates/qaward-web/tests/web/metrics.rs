//! `/metrics` (issue #14, item 6): the operators' figures in the Prometheus text format,
//! for the administrator or a service account with a token; requests counted by their
//! route's pattern, not by the path sent; the database's figures read at each scrape.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::TestApp;

qaward_app::testing::on_both!(
    metrics_count_requests_by_route_for_a_scraper_with_a_token,
    metrics_are_refused_to_everyone_else,
);

async fn metrics_count_requests_by_route_for_a_scraper_with_a_token(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.user("admin").await;
    let bot = json!({ "username": "prometheus", "display_name": "Prometheus", "service": true, "grants": [{ "role": "admin", "scope": "" }] });
    let bot = admin.done("/api/v1/users", bot).await["id"]
        .as_i64()
        .unwrap();
    let issued = admin
        .post(
            &format!("/api/v1/users/{bot}/tokens"),
            json!({ "name": "scrape", "days": 365 }),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let token = issued.json()["token"].as_str().unwrap().to_owned();
    for n in [1, 2, 3] {
        t.get(&format!("/notices/{n}00"), None).await;
    }
    t.get("/no/such/page", None).await;
    let m = t.bearer(Method::GET, "/metrics", &token, None).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert!(
        m.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
        "{:?}",
        m.headers
    );
    let b = &m.body;
    // Three made-up notices are one series of the route's pattern, answered 404.
    assert!(
        b.contains(
            r#"qaward_http_requests_total{route="/notices/{id}",method="GET",status="404"} 3"#
        ),
        "{b}"
    );
    assert!(!b.contains("/notices/100"), "{b}");
    assert!(b.contains(r#"route="unmatched""#), "{b}");
    assert!(
        b.contains("qaward_http_request_duration_seconds_bucket{"),
        "{b}"
    );
    for gauge in [
        "qaward_uploads_in_flight 0",
        "qaward_db_pool_connections ",
        "qaward_notices_open 0",
    ] {
        assert!(b.contains(gauge), "{gauge}: {b}");
    }
    // The audit chain's length is the log's: the account and the token are in it.
    let entries = t.audit_entries().await;
    assert!(
        b.contains(&format!("qaward_audit_chain_entries {entries}")),
        "{entries}: {b}"
    );
}

async fn metrics_are_refused_to_everyone_else(backend: Backend) {
    let t = TestApp::new(backend).await;
    // Someone logged out is sent to log in; a logged-in reader without the grant is refused.
    let anonymous = t.get("/metrics", None).await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "{}",
        anonymous.body
    );
    for user in ["office", "supervisor", "applicant-org"] {
        let s = t.login(user).await;
        let a = t.get("/metrics", Some(&s)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{user}: {}", a.body);
        assert!(!a.body.contains("qaward_"), "{user}: {}", a.body);
    }
    let s = t.login("admin").await;
    assert_eq!(t.get("/metrics", Some(&s)).await.status, StatusCode::OK);
}

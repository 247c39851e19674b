//! The public pages' cache (issue #14, item 2): a visitor who is not logged in reads the
//! home page and the notices from memory for up to a second; a logged-in reader never
//! does; a write on this instance empties it at once; each language is kept apart.

use qaward_app::testing::{Backend, d};

use crate::common::TestApp;

qaward_app::testing::on_both!(
    public_pages_are_kept_for_visitors_until_a_write,
    a_kept_page_ends_with_its_time,
);

/// Publishes the acceptance list through the use case, beside HTTP (the cache cannot see
/// it), and returns the notice's id.
pub(crate) async fn publish_beside_http(t: &TestApp) -> i64 {
    let listed = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    qaward_app::acceptance::publish_acceptance_list(
        &t.app,
        &office,
        &[listed],
        d("2026-11-30"),
        None,
        "0350-1234567",
    )
    .await
    .unwrap()
}

async fn english(t: &TestApp, path: &str) -> String {
    t.send(
        axum::http::Request::get(path)
            .header(axum::http::header::HOST, crate::common::HOST)
            .header(axum::http::header::COOKIE, "lang=en")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .body
}

async fn public_pages_are_kept_for_visitors_until_a_write(backend: Backend) {
    let mut t = TestApp::new(backend).await;
    t.router = qaward_web::build(t.app.clone(), qaward_web::WebConfig::default());
    assert!(t.page("/notices", None).await.contains("暂无公示"));
    let api = t.get("/api/v1/notices", None).await;
    assert_eq!(api.json(), serde_json::json!([]), "{}", api.body);
    let before_en = english(&t, "/notices").await;
    assert!(!before_en.contains("暂无公示"), "{before_en}");
    let notice = publish_beside_http(&t).await;
    let link = format!("href=\"/notices/{notice}\"");
    // A visitor is answered from memory: the notice published beside HTTP is not there.
    assert!(t.page("/notices", None).await.contains("暂无公示"));
    assert_eq!(
        t.get("/api/v1/notices", None).await.json(),
        serde_json::json!([])
    );
    assert_eq!(english(&t, "/notices").await, before_en);
    // A logged-in reader is never answered from it.
    let s = t.login("office").await;
    let mine = t.page("/notices", Some(&s)).await;
    assert!(mine.contains(&link), "{mine}");
    // Any write through this instance empties it, even one that is refused.
    let refused = t.post_form("/logout", None, &[]).await;
    assert_ne!(refused.status, axum::http::StatusCode::OK);
    let list = t.page("/notices", None).await;
    assert!(list.contains(&link), "{list}");
    assert_eq!(
        t.get("/api/v1/notices", None).await.json()[0]["id"],
        serde_json::json!(notice)
    );
    assert!(english(&t, "/notices").await.contains(&link));
    // The page itself still carries the headers of every page.
    let again = t.get("/notices", None).await;
    assert_eq!(again.headers["cache-control"], "no-store");
    assert!(again.headers.contains_key("content-security-policy"));
    assert!(again.headers.contains_key("x-request-id"));
}

async fn a_kept_page_ends_with_its_time(backend: Backend) {
    let mut t = TestApp::new(backend).await;
    let config = qaward_web::WebConfig {
        public_cache: std::time::Duration::from_nanos(1),
        ..qaward_web::WebConfig::default()
    };
    t.router = qaward_web::build(t.app.clone(), config);
    assert!(t.page("/", None).await.contains("暂无公示"));
    let notice = publish_beside_http(&t).await;
    let home = t.page("/", None).await;
    assert!(
        home.contains(&format!("href=\"/notices/{notice}\"")),
        "{home}"
    );
}

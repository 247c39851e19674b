//! A version of the measures without the acceptance-list notice, through the Office's
//! page (issue #13 item 2), on SQLite and PostgreSQL: a formally reviewed application is
//! offered acceptance, not the list, and accepting it goes through.

use axum::http::StatusCode;
use qaward_app::testing::{Backend, POLICY};

use crate::common::TestApp;

qaward_app::testing::on_both!(a16_3_without_the_list_the_office_page_offers_acceptance);

async fn a16_3_without_the_list_the_office_page_offers_acceptance(b: Backend) {
    let policy = POLICY.replace("acceptance-list = {", "# acceptance-list = {");
    let t = TestApp::with_policy(b, &policy).await;
    let id = t.formally_reviewed().await.0;
    let office = t.login("office").await;
    let page = t.page("/office", Some(&office)).await;
    assert!(
        page.contains(&format!("action=\"/office/{id}/accept\"")) && !page.contains("f-publish"),
        "{page}"
    );
    let to = t
        .form_redirects(&format!("/office/{id}/accept"), &office, &[])
        .await;
    assert_eq!(to, "/office");
    let r = t
        .get(&format!("/api/v1/applications/{id}"), Some(&office))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["state"], "accepted");
}

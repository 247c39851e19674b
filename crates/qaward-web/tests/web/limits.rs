//! Limits on what anyone may type or send (issue #8 item 20): every text field has a length
//! limit with a message naming the field, a form that is not UTF-8 is refused rather than
//! read with replacement characters, and nothing is written.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::{HOST, ORG, ORIGIN, TestApp};
use crate::fixtures::{as_json, org_fields};

qaward_app::testing::on_both!(
    every_text_field_has_a_length_limit_naming_the_field,
    a_form_that_is_not_utf8_is_refused_not_replaced,
);

async fn every_text_field_has_a_length_limit_naming_the_field(backend: Backend) {
    let t = TestApp::new(backend).await;
    let users = t.db.store.count_users().await.unwrap();
    // A 30,000-character organization name.
    let mut org = as_json(&org_fields("long-name"));
    org["name"] = json!("企".repeat(30_000));
    let a = t
        .api(
            Method::POST,
            "/api/v1/register/organization",
            None,
            Some(org),
        )
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "name".into()),
        "{}",
        a.body
    );
    assert_eq!(
        t.db.store.count_users().await.unwrap(),
        users,
        "nothing written"
    );
    // A 200 KB in-unit objection, and a section past the longest any field takes.
    let applicant = t.user("applicant-org").await;
    let id = applicant.prepare(ORG).await;
    let objection = json!({ "received_on": "2026-11-17", "content": "异".repeat(70_000) });
    let a = applicant
        .post(
            &format!("/api/v1/applications/{id}/in-unit-objections"),
            objection,
        )
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "content".into()),
        "{}",
        a.body
    );
    let objection = json!({ "received_on": "2026-11-17", "content": "异".repeat(10_001) });
    let a = applicant
        .post(
            &format!("/api/v1/applications/{id}/in-unit-objections"),
            objection,
        )
        .await;
    assert_eq!(a.error("field"), "content");
    // A reviewer's reason, a declaration of interest.
    let reason = json!({ "kind": "other", "reason": "因".repeat(2_001) });
    let subject = t.subject_of("applicant-org").await;
    let a = t
        .user("office")
        .await
        .post(&format!("/api/v1/subjects/{subject}/interests"), reason)
        .await;
    assert_eq!(a.error("field"), "reason");
    let v = applicant.read(&format!("/api/v1/applications/{id}")).await;
    assert!(v["in_unit_objections"].as_array().unwrap().is_empty());
}

async fn a_form_that_is_not_utf8_is_refused_not_replaced(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.login("applicant-org").await;
    let page = t.form_redirects("/applications/start", &org, &[]).await;
    // GBK bytes for 忻州 where UTF-8 is expected.
    let body = format!(
        "csrf={}&sections%5B4.1%5D=%D0%C3%D6%DD&authenticity=true",
        org.csrf
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("{page}/draft"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", org.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("编码无法识别") && a.body.contains("（4.1）"),
        "{}",
        a.body
    );
    let api = t.user("applicant-org").await;
    let id = crate::common::last_id(&page);
    let v = api.read(&format!("/api/v1/applications/{id}")).await;
    assert!(
        !v.to_string().contains('\u{fffd}'),
        "nothing replaced was stored: {v}"
    );
}

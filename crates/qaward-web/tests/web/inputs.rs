//! Text PostgreSQL cannot store: U+0000 in any input is a 422 naming the field, through
//! the forms and through the API, on both backends alike, and nothing is written.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::{ORG, TestApp};
use crate::fixtures::{as_json, org_fields, pairs};

qaward_app::testing::on_both!(
    a_nul_in_a_login_or_a_registration_is_refused_and_nothing_is_written,
    a_nul_in_a_draft_is_refused_naming_the_section_and_the_draft_is_unchanged,
);

/// Rows in a table, read behind the application's back.
async fn rows(t: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(t.db.store.pool())
        .await
        .unwrap()
}

async fn a_nul_in_a_login_or_a_registration_is_refused_and_nothing_is_written(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (failures, users, audit) = (
        rows(&t, "throttle_events").await,
        rows(&t, "users").await,
        rows(&t, "audit_log").await,
    );
    // A login name, by the form and by the API.
    let a = t
        .post_form(
            "/login",
            None,
            &[("username", "off\0ice"), ("password", "x")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("用户名：") && a.body.contains("U+0000"),
        "{}",
        a.body
    );
    let login = json!({ "username": "off\u{0}ice", "password": "x" });
    let a = t
        .api(Method::POST, "/api/v1/session", None, Some(login))
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "username".into())
    );
    // A registration field, by the API and by the form.
    let mut fields = org_fields("nul-org");
    fields[0].1 = "新\u{0}公司".into();
    let a = t
        .api(
            Method::POST,
            "/api/v1/register/organization",
            None,
            Some(as_json(&fields)),
        )
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "name".into())
    );
    let a = t
        .post_form("/register/organization", None, &pairs(&fields))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(
        (
            rows(&t, "throttle_events").await,
            rows(&t, "users").await,
            rows(&t, "audit_log").await
        ),
        (failures, users, audit),
        "nothing written"
    );
}

async fn a_nul_in_a_draft_is_refused_naming_the_section_and_the_draft_is_unchanged(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    // A draft's section, by the API and by the form.
    let org = t.user("applicant-org").await;
    let id = org.prepare(ORG).await;
    let draft = json!({ "sections": { "4.1": "领导\u{0}作用" }, "declarations": ORG,
                        "authenticity": true, "no_state_secrets": true });
    let a = org.put(&format!("/api/v1/applications/{id}"), draft).await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "sections.4.1".into())
    );
    let a = t
        .post_form(
            &format!("/applications/{id}/draft"),
            Some(&org.s),
            &[("sections[4.1]", "领导\0作用"), ("authenticity", "true")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("（4.1）：内容中含有无法保存的空字符"),
        "{}",
        a.body
    );
    let v = org.read(&format!("/api/v1/applications/{id}")).await;
    let section = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "4.1")
        .unwrap();
    assert_eq!(section["body"], "", "the draft is unchanged");
}

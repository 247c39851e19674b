//! Registration by form and by API, on both backends: an organization or a person
//! registers and is logged in; errors name the field; a code or number registered already
//! is refused without saying whose.

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use qaward_app::testing::Backend;

use crate::common::{ORIGIN, Session, TestApp, cookie_value};
use crate::fixtures::{as_json, org_fields, pairs, person_fields};
use crate::http::request;

qaward_app::testing::on_both!(
    registration_by_form_and_by_api,
    registration_refuses_a_taken_code_or_number_without_saying_whose,
    registration_errors_name_the_field,
);

async fn registration_by_form_and_by_api(backend: Backend) {
    let t = TestApp::new(backend).await;
    let a = t
        .post_form(
            "/register/organization",
            None,
            &pairs(&org_fields("new-org")),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let s = Session {
        cookie: cookie_value(&a.headers).expect("logged in after registering"),
        csrf: String::new(),
    };
    let me = t.get("/api/v1/me", Some(&s)).await.json();
    assert_eq!(
        (me["kind"].as_str(), me["grants"][0]["role"].as_str()),
        (Some("applicant"), Some("applicant-org"))
    );
    assert!(
        me["grants"][0]["scope"]
            .as_str()
            .unwrap()
            .starts_with("subject:")
    );
    let p = as_json(&person_fields("new-person"));
    let a = t
        .api(Method::POST, "/api/v1/register/person", None, Some(p))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    // A logged-in browser may still post the registration form it opened before.
    let admin = t.login("admin").await;
    let body = serde_urlencoded::to_string(pairs(&org_fields("late-form"))).unwrap();
    let req = request(Method::POST, "/register/organization")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", admin.cookie));
    let req = req
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::SEE_OTHER);
}

async fn registration_refuses_a_taken_code_or_number_without_saying_whose(backend: Backend) {
    let t = TestApp::new(backend).await;
    let fields = org_fields("first-org");
    assert_eq!(
        t.post_form("/register/organization", None, &pairs(&fields))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let users = t.db.store.count_users().await.unwrap();
    let mut again = org_fields("second-org");
    again[1].1 = fields[1].1.clone();
    let a = t
        .post_form("/register/organization", None, &pairs(&again))
        .await;
    // The refusal neither names the code nor says it is registered: "contact the Office"
    // (the form itself keeps what was typed).
    assert_eq!(a.status, StatusCode::CONFLICT);
    let said = crate::common::between(&a.body, "role=\"alert\">", "</div>").unwrap();
    assert!(
        said.contains("请与领导小组办公室联系") && !said.contains(&fields[1].1),
        "{said}"
    );
    assert_eq!(
        t.db.store.count_users().await.unwrap(),
        users,
        "nothing written"
    );
    let first = person_fields("dup-a");
    let a = t
        .api(
            Method::POST,
            "/api/v1/register/person",
            None,
            Some(as_json(&first)),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let mut again = person_fields("dup-b");
    again[1].1 = first[1].1.clone();
    let a = t
        .api(
            Method::POST,
            "/api/v1/register/person",
            None,
            Some(as_json(&again)),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(
        a.error("key") == "registration-impossible-person" && !a.body.contains(&first[1].1[..6]),
        "{}",
        a.body
    );
}

async fn registration_errors_name_the_field(backend: Backend) {
    let t = TestApp::new(backend).await;
    // A form with a missing field, and with a bad credit code: 422 naming the field.
    let a = t
        .post_form("/register/organization", None, &[("name", "缺字段")])
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("此项为必填项"), "{}", a.body);
    let mut fields = org_fields("bad-code");
    fields[1].1 = "91140900AY4CL12THE".into();
    let a = t
        .post_form("/register/organization", None, &pairs(&fields))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("统一社会信用代码：校验码为“E”"),
        "{}",
        a.body
    );
    // The form keeps what was typed, but never the password.
    assert!(a.body.contains("测试企业bad-code") && !a.body.contains("correct-horse-1"));
    // A username taken, a short password, an unknown county, a future date.
    for (field, value, expect) in [
        ("username", "office", "username-taken"),
        ("password", "short", "password-too-short"),
        ("county", "taiyuan", "unknown-county"),
        ("quality_work_since", "2999-01-01", "date-in-the-future"),
    ] {
        let mut p = person_fields("another");
        p.iter_mut()
            .filter(|f| f.0 == field)
            .for_each(|f| f.1 = value.into());
        let a = t
            .api(
                Method::POST,
                "/api/v1/register/person",
                None,
                Some(as_json(&p)),
            )
            .await;
        assert!(a.status.is_client_error(), "{field}");
        assert_eq!(a.error("key"), expect, "{field}: {}", a.body);
        if a.error("code") == "invalid" {
            assert_eq!(a.error("field"), field, "{}", a.body);
        }
    }
}

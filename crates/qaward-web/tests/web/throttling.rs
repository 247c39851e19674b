//! The throttles (issue #8), on both backends: a login name is bounded before anything is
//! stored, a throttled request stores nothing but its audit entry, a stranger's failures
//! from one address leave the owner free to log in from another while a spread-out attack
//! stays bounded, a name that is no account is kept nowhere, registrations are throttled
//! per address, and so are public objections, whose every field is bounded; reading
//! notifications is audited.

use axum::http::{Method, StatusCode, header};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::{TestApp, ok};
use crate::fixtures::{as_json, org_fields, person_fields};

qaward_app::testing::on_both!(
    a_username_too_long_to_be_one_is_refused_naming_the_field_and_stores_nothing,
    throttled_logins_store_nothing_but_their_audit_entry,
    a_strangers_failures_from_one_address_do_not_lock_the_owner_out_from_another,
    a_failed_login_keeps_no_typed_name_that_is_not_an_account,
    registrations_are_throttled_per_address_and_count_only_when_they_get_far,
    reading_notifications_and_marking_one_read_are_audited,
    a26_public_objections_are_bounded_in_length_and_throttled_per_address,
);

fn login(username: &str, password: &str) -> serde_json::Value {
    json!({ "username": username, "password": password })
}

/// The status of a login from `address`.
async fn status(t: &TestApp, address: &str, username: &str, password: &str) -> u16 {
    let body = login(username, password);
    let a = t.api_from(address, Method::POST, "/api/v1/session", body);
    a.await.status.as_u16()
}

async fn a_username_too_long_to_be_one_is_refused_naming_the_field_and_stores_nothing(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let entries = t.audit_entries().await;
    let long = "x".repeat(200 * 1024);
    let a = t
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(login(&long, "guess")),
        )
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "username".into()),
        "{}",
        a.body
    );
    // The page says the same, and does not show the pasted text back.
    let form = [("username", long.as_str()), ("password", "guess")];
    let a = t.post_form("/login", None, &form).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!a.body.contains(&long[..100]), "the name is not echoed");
    assert_eq!(t.db.store.count_attempts().await.unwrap(), 0);
    assert_eq!(t.audit_entries().await, entries, "nothing stored");
}

async fn throttled_logins_store_nothing_but_their_audit_entry(backend: Backend) {
    let t = TestApp::new(backend).await;
    let wrong = || Some(login("office", "wrong password"));
    for _ in 0..5 {
        let a = t.api(Method::POST, "/api/v1/session", None, wrong()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let stored = t.db.store.count_attempts().await.unwrap();
    for _ in 0..20 {
        let a = t.api(Method::POST, "/api/v1/session", None, wrong()).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(a.headers.get(header::RETRY_AFTER).unwrap(), "900");
    }
    assert_eq!(t.db.store.count_attempts().await.unwrap(), stored);
    // Each refusal is audited, about the account, in an entry of bounded size.
    let (office, _) = t.db.store.user_for_login("office").await.unwrap().unwrap();
    let newest = t.newest_audit(20).await;
    let want = (
        "session.login-throttled".to_owned(),
        format!("user {}", office.id),
    );
    assert!(newest.iter().all(|e| *e == want), "{newest:?}");
    let longest: i64 = sqlx::query_scalar("SELECT MAX(LENGTH(detail)) FROM audit_log")
        .fetch_one(t.db.store.pool())
        .await
        .unwrap();
    assert!(longest < 2000, "an audit detail of {longest} bytes");
}

async fn a_strangers_failures_from_one_address_do_not_lock_the_owner_out_from_another(
    backend: Backend,
) {
    let t = TestApp::behind_proxy(backend, |s| s.throttle.login_failures_per_account = 8).await;
    // A stranger guessing at the Office's password from one address is stopped there…
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(status(&t, "10.0.0.1", "office", "guess").await);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    // …while the Office logs in from its own.
    assert_eq!(status(&t, "10.0.0.2", "office", "qaward-demo").await, 200);
    // One address trying name after name is stopped after 20, for every account.
    for n in 0..20 {
        let name = format!("nobody-{n}");
        assert_eq!(status(&t, "10.0.0.3", &name, "guess").await, 401);
    }
    assert_eq!(status(&t, "10.0.0.3", "expert1", "qaward-demo").await, 429);
    assert_eq!(status(&t, "10.0.0.4", "expert1", "qaward-demo").await, 200);
    // Guesses spread over addresses are bounded by the account's limit (8 here): then the
    // account is refused from everywhere until the window has passed.
    for address in ["10.0.1.1", "10.0.1.2", "10.0.1.3"] {
        assert_eq!(status(&t, address, "office", "guess").await, 401);
    }
    assert_eq!(status(&t, "10.0.1.4", "office", "guess").await, 429);
    assert_eq!(status(&t, "10.0.1.5", "office", "qaward-demo").await, 429);
}

async fn a_failed_login_keeps_no_typed_name_that_is_not_an_account(backend: Backend) {
    let t = TestApp::new(backend).await;
    // A password typed into the name field.
    let typed = "Correct-Horse-Battery-9";
    let a = t
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(login(typed, "office")),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE object_id LIKE '%Horse%' OR detail LIKE '%Horse%' OR actor_name LIKE '%Horse%'",
    )
    .fetch_one(t.db.store.pool())
    .await
    .unwrap();
    assert_eq!(kept, 0, "the typed name is kept nowhere");
    let failed = (
        "session.login-failed".to_owned(),
        "username unknown".to_owned(),
    );
    assert_eq!(t.newest_audit(1).await, [failed]);
    // A failure for an account names the account by its id.
    let a = t
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(login("office", "guess")),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let (office, _) = t.db.store.user_for_login("office").await.unwrap().unwrap();
    let failed = (
        "session.login-failed".to_owned(),
        format!("user {}", office.id),
    );
    assert_eq!(t.newest_audit(1).await, [failed]);
}

async fn registrations_are_throttled_per_address_and_count_only_when_they_get_far(
    backend: Backend,
) {
    let t = TestApp::behind_proxy(backend, |s| s.throttle.registrations_per_address = 2).await;
    let org = "/api/v1/register/organization";
    let person = "/api/v1/register/person";
    // Refused forms do not count: they cost nothing.
    let a = t
        .api_from("10.0.0.1", Method::POST, org, json!({ "name": "缺字段" }))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let first = as_json(&org_fields("throttled-a"));
    assert_eq!(
        t.api_from("10.0.0.1", Method::POST, org, first)
            .await
            .status,
        StatusCode::CREATED
    );
    let second = as_json(&person_fields("throttled-b"));
    assert_eq!(
        t.api_from("10.0.0.1", Method::POST, person, second)
            .await
            .status,
        StatusCode::CREATED
    );
    let users = t.db.store.count_users().await.unwrap();
    let third = as_json(&org_fields("throttled-c"));
    let a = t
        .api_from("10.0.0.1", Method::POST, org, third.clone())
        .await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts".into())
    );
    assert_eq!(a.headers.get(header::RETRY_AFTER).unwrap(), "3600");
    assert_eq!(
        t.db.store.count_users().await.unwrap(),
        users,
        "nothing written"
    );
    let throttled = (
        "subject.register-throttled".to_owned(),
        "username unknown".to_owned(),
    );
    assert_eq!(t.newest_audit(1).await, [throttled]);
    // Another address registers the same organization.
    assert_eq!(
        t.api_from("10.0.0.2", Method::POST, org, third)
            .await
            .status,
        StatusCode::CREATED
    );
}

async fn reading_notifications_and_marking_one_read_are_audited(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(crate::common::ORG).await;
    ok(&org.submit(id, "county:xinfu").await);
    let reviewer = t.user("county-reviewer").await;
    let list = reviewer.read("/api/v1/notifications").await;
    let n = list[0]["id"].as_i64().unwrap();
    let (user, _) =
        t.db.store
            .user_for_login("county-reviewer")
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        t.newest_audit(1).await,
        [("notifications.list".to_owned(), format!("user {}", user.id))]
    );
    let a = reviewer
        .post(&format!("/api/v1/notifications/{n}/read"), json!({}))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    assert_eq!(
        t.newest_audit(1).await,
        [("notification.read".to_owned(), format!("notification {n}"))]
    );
    // Someone else's notification is not found, and nothing is recorded.
    let entries = t.audit_entries().await;
    let a = org
        .post(&format!("/api/v1/notifications/{n}/read"), json!({}))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(t.audit_entries().await, entries);
}

async fn a26_public_objections_are_bounded_in_length_and_throttled_per_address(backend: Backend) {
    let t = TestApp::behind_proxy(backend, |s| s.throttle.objections_per_address = 2).await;
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let start = qaward_app::testing::d("2026-11-30");
    let notice = qaward_app::acceptance::publish_acceptance_list(
        &t.app,
        &office,
        &[id],
        start,
        None,
        "0350",
    )
    .await
    .unwrap();
    t.set_today("2026-12-01");
    let path = format!("/api/v1/notices/{notice}/objections");
    let objection = |content: String, name: String| json!({ "application": id.0, "content": content, "name": name });
    // Too long: refused naming the field, and not counted.
    let long = t
        .api_from(
            "10.0.0.1",
            Method::POST,
            &path,
            objection("疑".repeat(10_001), "王".into()),
        )
        .await;
    assert_eq!(
        (long.status, long.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "content".into())
    );
    let named = t
        .api_from(
            "10.0.0.1",
            Method::POST,
            &path,
            objection("数据存疑".into(), "王".repeat(201)),
        )
        .await;
    assert_eq!(named.error("field"), "name");
    for _ in 0..2 {
        let a = t
            .api_from(
                "10.0.0.1",
                Method::POST,
                &path,
                objection("数据存疑".into(), "王".into()),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    let a = t
        .api_from(
            "10.0.0.1",
            Method::POST,
            &path,
            objection("数据存疑".into(), "王".into()),
        )
        .await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts".into())
    );
    let audit = (
        "objection.throttled".to_owned(),
        "username unknown".to_owned(),
    );
    assert_eq!(t.newest_audit(1).await, [audit]);
    let a = t
        .api_from(
            "10.0.0.2",
            Method::POST,
            &path,
            objection("数据存疑".into(), String::new()),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
}

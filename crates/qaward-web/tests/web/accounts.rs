//! Administrators manage other people's accounts, never their own (issue #8 item 3):
//! an admin cannot grant itself a role that reads applications; deactivation, password
//! resets, ended sessions and revoked roles take effect at once and are audited.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::{TestApp, ok};

qaward_app::testing::on_both!(
    no_one_changes_their_own_roles_or_account,
    an_admin_deactivates_resets_ends_sessions_and_revokes_with_effect_at_once,
);

async fn user_id(t: &TestApp, username: &str) -> i64 {
    let (user, _) = t.db.store.user_for_login(username).await.unwrap().unwrap();
    user.id.0
}

async fn no_one_changes_their_own_roles_or_account(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.user("admin").await;
    let me = user_id(&t, "admin").await;
    let office = json!({ "role": "office", "scope": "" });
    let attempts = [
        admin
            .post(&format!("/api/v1/users/{me}/grants"), office.clone())
            .await,
        admin
            .post(
                &format!("/api/v1/users/{me}/grants/revocation"),
                json!({ "role": "admin", "scope": "" }),
            )
            .await,
        admin
            .post(
                &format!("/api/v1/users/{me}/active"),
                json!({ "active": false }),
            )
            .await,
        admin
            .post(
                &format!("/api/v1/users/{me}/password"),
                json!({ "password": "another-password-1" }),
            )
            .await,
        admin
            .post(&format!("/api/v1/users/{me}/sessions/end"), json!({}))
            .await,
    ];
    for a in attempts {
        assert_eq!(
            (a.status, a.error("code")),
            (StatusCode::FORBIDDEN, "forbidden".into()),
            "{}",
            a.body
        );
    }
    // Still an administrator without the Office's role: no application to read.
    assert_eq!(
        admin.get("/api/v1/office-queue").await.status,
        StatusCode::FORBIDDEN
    );
    // The page offers no form on one's own row.
    let page = t.page("/admin/users", Some(&admin.s)).await;
    assert!(
        !page.contains(&format!("action=\"/admin/users/{me}/")),
        "{page}"
    );
}

async fn an_admin_deactivates_resets_ends_sessions_and_revokes_with_effect_at_once(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let admin = t.user("admin").await;
    let expert = t.user("expert1").await;
    let id = user_id(&t, "expert1").await;
    let users = |p: &str| format!("/api/v1/users/{id}{p}");
    ok(&admin
        .post(&users("/active"), json!({ "active": false }))
        .await);
    assert_eq!(
        expert.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let login = json!({ "username": "expert1", "password": "qaward-demo" });
    let a = t
        .api(Method::POST, "/api/v1/session", None, Some(login.clone()))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    let again = admin
        .post(&users("/active"), json!({ "active": false }))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    ok(&admin
        .post(&users("/active"), json!({ "active": true }))
        .await);

    let expert = t.user("expert1").await;
    ok(&admin
        .post(
            &users("/password"),
            json!({ "password": "new-expert-pass-1" }),
        )
        .await);
    assert_eq!(
        expert.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let expert = t.login_with("expert1", "new-expert-pass-1").await;
    let ended = ok(&admin.post(&users("/sessions/end"), json!({})).await);
    assert_eq!(ended["ended"], 1);
    let a = t.api(Method::GET, "/api/v1/me", Some(&expert), None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);

    let revoke = json!({ "role": "expert", "scope": "" });
    ok(&admin
        .post(&users("/grants/revocation"), revoke.clone())
        .await);
    let twice = admin.post(&users("/grants/revocation"), revoke).await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
    let listed = admin.read("/api/v1/users").await;
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap()
        .clone();
    assert!(row["grants"].as_array().unwrap().is_empty(), "{row}");
    // Every step is in the audit log, as the supervisors read it.
    let log = t
        .user("supervisor")
        .await
        .read("/api/v1/audit?limit=200")
        .await
        .to_string();
    for action in [
        "user.deactivate",
        "user.reactivate",
        "user.password-reset",
        "user.sessions-end",
        "grant.remove",
    ] {
        assert!(log.contains(action), "{action}");
    }
}

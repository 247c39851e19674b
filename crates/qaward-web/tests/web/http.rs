//! The platform over HTTP, on SQLite and on PostgreSQL: every demo account's home page,
//! sessions, tokens and throttling, bad input, and the OpenAPI document.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::{DEMO_USERS, HOST, MAX_UPLOAD, ORIGIN, Session, TestApp, cookie_value, ok};

qaward_app::testing::on_both!(
    every_demo_account_logs_in_and_sees_its_home_page,
    oversized_and_disguised_uploads_leave_nothing_behind,
    malformed_requests_get_a_clear_error_naming_the_field,
    forged_requests_are_refused_and_the_session_survives,
    wrong_passwords_are_throttled_and_the_server_keeps_serving,
    sessions_renew_at_login_and_end_at_logout,
    tokens_are_for_service_accounts_and_act_with_their_grants_only,
    a_revoked_token_stops_working_and_tokens_are_stored_hashed,
    concurrent_wrong_passwords_are_throttled_too,
);

pub fn request(method: Method, uri: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST)
}

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

async fn every_demo_account_logs_in_and_sees_its_home_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    for u in DEMO_USERS {
        let s = t.login(u).await;
        let home = t.page("/", Some(&s)).await;
        let (user, _) = t.db.store.user_for_login(u).await.unwrap().unwrap();
        assert!(
            home.contains(&format!("欢迎，{}", escaped(&user.display_name))),
            "{u}: {home}"
        );
        assert!(home.contains("您的角色"), "{u}");
    }
    // What awaits: the applicant's own record, the Office's counts, the admin's accounts.
    let (org, _) =
        t.db.store
            .user_for_login("applicant-org")
            .await
            .unwrap()
            .unwrap();
    let s = t.login("applicant-org").await;
    assert!(
        t.page("/", Some(&s))
            .await
            .contains(&format!("href=\"/subjects/{}\"", org.subject_id.unwrap()))
    );
    let body = t.page("/", Some(&t.login("office").await)).await;
    assert!(
        body.contains("已注册申报主体: 2")
            && body.contains("A34")
            && body.contains("领导小组办公室"),
        "{body}"
    );
    let s = t.login("admin").await;
    assert!(
        t.page("/", Some(&s))
            .await
            .contains("href=\"/admin/users\"")
    );
    // And in English on request.
    let cookie = format!("qaward_session={}; lang=en", s.cookie);
    let en = t
        .send(
            request(Method::GET, "/")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        en.body.contains("Welcome")
            && en.body.contains("lang=\"en\"")
            && en.body.contains("Administrator"),
        "{}",
        en.body
    );
}

async fn oversized_and_disguised_uploads_leave_nothing_behind(backend: Backend) {
    let t = TestApp::new(backend).await;
    let s = t.login("applicant-org").await;
    let upload = |body: Body| {
        let cookie = format!("qaward_session={}", s.cookie);
        request(Method::POST, "/api/v1/files")
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", &s.csrf)
            .body(body)
            .unwrap()
    };
    let a = t
        .send(upload(Body::from(vec![b'%'; (MAX_UPLOAD + 1) as usize])))
        .await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large".into()),
        "{}",
        a.body
    );
    let a = t.send(upload(Body::from("MZ\u{90}executable"))).await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "file".into())
    );
    assert_eq!(t.blob_files(), 0, "a refused file leaves nothing behind");
    // The same oversized file through the page's form.
    let b = "bigboundary";
    let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-", s.csrf).into_bytes();
    body.extend(std::iter::repeat_n(b'x', MAX_UPLOAD as usize));
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    let req = request(Method::POST, "/files")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", s.cookie));
    let req = req
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        )
        .body(Body::from(body))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(t.blob_files(), 0);
    // Staff have no materials to upload.
    let office = t.login("office").await;
    assert_eq!(
        t.api(Method::POST, "/api/v1/files", Some(&office), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn malformed_requests_get_a_clear_error_naming_the_field(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.login("office").await;
    // Unknown API paths and methods answer JSON.
    let a = t.api(Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let a = t.api(Method::PUT, "/api/v1/me", Some(&office), None).await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed".into())
    );
    let a = t
        .api(Method::GET, "/api/v1/audit?limit=lots", Some(&office), None)
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "limit".into())
    );
    // Malformed JSON: 400 with a JSON error; a JSON without a required field: 422 naming it.
    let req = request(Method::POST, "/api/v1/register/person")
        .header(header::CONTENT_TYPE, "application/json");
    let a = t.send(req.body(Body::from("{\"name\": ")).unwrap()).await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::BAD_REQUEST, "malformed".into()),
        "{}",
        a.body
    );
    let a = t
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({ "username": "office" })),
        )
        .await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "password".into())
    );
    // A channel that is not one: refused naming the field, nothing written.
    let org = t.user("applicant-org").await;
    let id = org.prepare(crate::common::ORG).await;
    let a = org.submit(id, "city").await;
    assert_eq!(
        (a.status, a.error("field")),
        (StatusCode::UNPROCESSABLE_ENTITY, "channel".into())
    );
    assert_eq!(
        org.state_of(id).await,
        "in-unit-notice",
        "nothing half-written"
    );
}

async fn forged_requests_are_refused_and_the_session_survives(backend: Backend) {
    let t = TestApp::new(backend).await;
    let s = t.login("applicant-org").await;
    let cookie = format!("qaward_session={}", s.cookie);
    // A cross-site form post, and a same-site one without the session's token: 403.
    let req = request(Method::POST, "/admin/users")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, &cookie);
    let req = req
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&username=x", s.csrf)));
    let a = t.send(req.unwrap()).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // Said in Chinese, as every refusal: not the layer's own English.
    assert!(a.body.contains("表单已过期或来自其他网站"), "{}", a.body);
    let req = request(Method::POST, "/logout")
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    let forged = Session {
        cookie: s.cookie.clone(),
        csrf: "forged".into(),
    };
    assert_eq!(
        t.post_form("/logout", Some(&forged), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        t.get("/api/v1/me", Some(&s)).await.status.is_success(),
        "the session survives the forged logout"
    );
    // An API change with the cookie but without the CSRF header.
    let req = request(Method::DELETE, "/api/v1/session")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::FORBIDDEN, "csrf".into())
    );
}

async fn wrong_passwords_are_throttled_and_the_server_keeps_serving(backend: Backend) {
    let t = TestApp::new(backend).await;
    let users_before = t.db.store.count_users().await.unwrap();
    // A wrong password ten times: 401 five times, then 429 with Retry-After, even for the
    // right password.
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let wrong = [("username", "office"), ("password", "wrong password")];
        statuses.push(t.post_form("/login", None, &wrong).await.status.as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    let right = json!({ "username": "office", "password": "qaward-demo" });
    let a = t
        .api(Method::POST, "/api/v1/session", None, Some(right))
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.headers.get(header::RETRY_AFTER).unwrap(), "900");
    // Other accounts still log in; nothing half-written, the chain intact, still serving.
    t.login("expert1").await;
    assert_eq!(t.db.store.count_users().await.unwrap(), users_before);
    let supervisor = t.as_user("supervisor").await;
    assert!(
        qaward_app::audit::verify(&t.app, &supervisor)
            .await
            .unwrap()
            .ok
    );
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(t.get("/readyz", None).await.body, "ready");
}

async fn sessions_renew_at_login_and_end_at_logout(backend: Backend) {
    let t = TestApp::new(backend).await;
    let first = t.login("office").await;
    // Logging in again, carrying the old cookie, gives a new session id and ends the old.
    let body = format!("username=office&password=qaward-demo&csrf={}", first.csrf);
    let req = request(Method::POST, "/login")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", first.cookie));
    let a = t
        .send(
            req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let second = cookie_value(&a.headers).unwrap();
    assert_ne!(second, first.cookie);
    let set = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"),
        "{set}"
    );
    assert_eq!(
        t.get("/api/v1/me", Some(&first)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let s = Session {
        cookie: second,
        csrf: String::new(),
    };
    assert_eq!(t.get("/api/v1/me", Some(&s)).await.status, StatusCode::OK);
    // Logout ends it on the server, whatever the browser keeps.
    let s = t.login("office").await;
    let a = t.post_form("/logout", Some(&s), &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        a.headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        t.get("/api/v1/me", Some(&s)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Security headers on every answer.
    let a = t.get("/", None).await;
    for h in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "x-request-id",
    ] {
        assert!(a.headers.contains_key(h), "{h}");
    }
    assert!(
        !a.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("unsafe-inline")
    );
}

/// A service account with a supervisor grant and a token for it; the account's id, the
/// token and its id.
async fn audit_bot(admin: &crate::common::Client<'_>) -> (i64, String, i64) {
    let bot = json!({ "username": "audit-bot", "display_name": "Nightly audit check", "service": true, "grants": [{ "role": "supervisor", "scope": "" }] });
    let bot = admin.done("/api/v1/users", bot).await["id"]
        .as_i64()
        .unwrap();
    let a = admin
        .post(
            &format!("/api/v1/users/{bot}/tokens"),
            json!({ "name": "nightly audit check", "days": 30 }),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    (
        bot,
        a.json()["token"].as_str().unwrap().to_owned(),
        a.json()["id"].as_i64().unwrap(),
    )
}

async fn tokens_are_for_service_accounts_and_act_with_their_grants_only(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.user("admin").await;
    // Tokens only for service accounts: not for a person's account.
    let (sup, _) =
        t.db.store
            .user_for_login("supervisor")
            .await
            .unwrap()
            .unwrap();
    let a = admin
        .post(
            &format!("/api/v1/users/{}/tokens", sup.id),
            json!({ "name": "x" }),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(a.error("key"), "tokens-for-service-accounts", "{}", a.body);
    let (bot, token, token_id) = audit_bot(&admin).await;
    // The account list shows each account with its own grants.
    let users = admin.read("/api/v1/users").await;
    let grants_of = |id: i64| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .map(|u| u["grants"].clone())
            .unwrap()
    };
    for id in [bot, sup.id.0] {
        let g = grants_of(id);
        assert_eq!(
            (
                g.as_array().map(Vec::len),
                g[0]["role"].as_str(),
                g[0]["scope"].as_str()
            ),
            (Some(1), Some("supervisor"), Some("program")),
            "{users}"
        );
    }
    // The token works without a cookie or CSRF header, with the account's rights only,
    // and the audit log names the token.
    let a = t
        .bearer(Method::GET, "/api/v1/audit/verify", &token, None)
        .await;
    assert_eq!(
        (a.status, a.json()["ok"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{}",
        a.body
    );
    let log = t
        .bearer(Method::GET, "/api/v1/audit?limit=3", &token, None)
        .await
        .json();
    assert!(
        log[0]["actor_name"]
            .as_str()
            .unwrap()
            .contains(&format!("audit-bot (token {token_id})")),
        "{log}"
    );
    assert_eq!(
        t.bearer(Method::GET, "/api/v1/users", &token, None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn a_revoked_token_stops_working_and_tokens_are_stored_hashed(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.user("admin").await;
    let (_, token, token_id) = audit_bot(&admin).await;
    // A service account cannot log in with a password.
    let a = t
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({ "username": "audit-bot", "password": "" })),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let revoke = format!("/api/v1/tokens/{token_id}");
    assert_eq!(
        t.api(Method::DELETE, &revoke, Some(&admin.s), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.api(Method::DELETE, &revoke, Some(&admin.s), None)
            .await
            .status,
        StatusCode::CONFLICT
    );
    let a = t.bearer(Method::GET, "/api/v1/me", &token, None).await;
    assert_eq!(
        (a.status, a.error("code")),
        (StatusCode::UNAUTHORIZED, "unauthenticated".into())
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(t.db.store.pool())
        .await
        .unwrap();
    assert!(!stored.is_empty() && !stored.contains(&token));
}

async fn concurrent_wrong_passwords_are_throttled_too(backend: Backend) {
    let t = std::sync::Arc::new(TestApp::new(backend).await);
    let mut tasks = Vec::new();
    for _ in 0..15 {
        let t = t.clone();
        let guess = json!({ "username": "office", "password": "guess" });
        tasks.push(tokio::spawn(async move {
            t.api(Method::POST, "/api/v1/session", None, Some(guess))
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let verified = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(verified + throttled, 15, "{statuses:?}");
    assert!(
        verified <= 5,
        "{verified} guesses reached the password check: {statuses:?}"
    );
}

#[tokio::test]
async fn openapi_document_covers_every_api_route_and_lists_the_codes() {
    let t = TestApp::new(Backend::Sqlite).await;
    let doc = ok(&t.get("/api/openapi.json", None).await);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    // The vocabularies are enums of their codes, never Debug strings.
    let states = &doc["components"]["schemas"]["ApplicationState"]["enum"];
    let states: Vec<&str> = states
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        states.contains(&"returned-to-channel")
            && states.contains(&"proposed-award")
            && states.len() == 21,
        "{states:?}"
    );
    for name in [
        "Role",
        "Confidentiality",
        "AttachmentPurpose",
        "ObjectionState",
        "NoticeKind",
        "ApplicationAction",
    ] {
        assert!(
            doc["components"]["schemas"][name]["enum"].is_array(),
            "{name}"
        );
    }
    // Every operation has its own id (OpenAPI requires them unique; clients name their
    // calls after them).
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    ids.sort_unstable();
    let twice: Vec<&&str> = ids
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| &w[0])
        .collect();
    assert!(twice.is_empty(), "operation ids used twice: {twice:?}");
    // Every documented path answers something other than 404 for a method it documents.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let req = request(m, &path.replace("{id}", "1"))
                .header(header::CONTENT_TYPE, "application/json");
            let s = t.send(req.body(Body::from("{}")).unwrap()).await.status;
            let missing = s == StatusCode::NOT_FOUND || s == StatusCode::METHOD_NOT_ALLOWED;
            assert!(!missing || path.contains("{id}"), "{method} {path}: {s}");
            // A parameter said to be in the path is in its template (a query struct read by
            // an extractor utoipa does not know defaults to the path).
            for param in item[method]["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name}"
                    );
                }
            }
            // ...and what it answers nobody is a status it documents (`api::refusals`).
            let documented = &item[method]["responses"];
            assert!(
                documented.get(s.as_str()).is_some() || s == StatusCode::NOT_FOUND,
                "{method} {path} answers {s}, undocumented"
            );
        }
    }
    // Written out for the validator in .ci/run.
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(
        target.join("openapi.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();
}

//! The web application over HTTP, in process, on SQLite and on PostgreSQL: every demo
//! account's home page, a walk of every route with every role against the permission
//! table, the OpenAPI document, and bad input.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{DEMO_USERS, HOST, MAX_UPLOAD, ORIGIN, Session, TestApp};
use qaward_domain::ids::{SubjectId, UserId};
use qaward_domain::permission::{Actor, Perm, Target, permitted};
use qaward_store::Backend;
use serde_json::json;

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(qaward_store::Backend::Sqlite).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(qaward_store::Backend::Postgres).await; })*
        }
    };
}

on_both!(
    every_demo_account_logs_in_and_sees_its_home_page,
    route_walk_matches_the_permission_table,
    a30_changing_the_id_in_the_url_leaks_no_other_applicants_data,
    bad_input_gets_a_clear_4xx_nothing_half_written_and_the_server_keeps_serving,
    registration_by_form_and_by_api,
    sessions_renew_at_login_and_end_at_logout,
    api_tokens_and_cookie_calls_need_their_credentials,
    concurrent_wrong_passwords_are_throttled_too,
);

static COUNTER: AtomicU32 = AtomicU32::new(1);

fn next() -> u32 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// A valid unified social credit code, different each call.
fn credit_code() -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let body = format!(
        "91140902{:09}",
        next() as u64 * 7919 + std::process::id() as u64 % 1000
    );
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| A.iter().position(|&a| a == b).unwrap() as u32 * w)
        .sum();
    format!("{body}{}", A[((31 - sum % 31) % 31) as usize] as char)
}

/// A valid resident identity number, different each call.
fn resident_id() -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("14090219900101{:03}", next() % 1000);
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn org_fields(username: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", format!("测试企业{username}")),
        ("credit_code", credit_code()),
        ("kind", "enterprise".into()),
        ("county", "dingxiang".into()),
        ("industry", "".into()),
        ("founded", "2015-03-01".into()),
        ("legal_representative", "赵测试".into()),
        ("contact_name", "钱联系".into()),
        ("contact_phone", "0350-7000000".into()),
        ("contact_email", "".into()),
        ("username", username.into()),
        ("password", "correct-horse-1".into()),
    ]
}

fn person_fields(username: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "孙测试".into()),
        ("resident_id", resident_id()),
        ("employer", "测试单位".into()),
        ("employer_kind", "public-institution".into()),
        ("county", "wutai".into()),
        ("position", "".into()),
        ("quality_work_since", "2015-01-01".into()),
        ("contact_phone", "13900000000".into()),
        ("contact_email", "".into()),
        ("username", username.into()),
        ("password", "correct-horse-1".into()),
    ]
}

fn as_json(fields: &[(&str, String)]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (k, v) in fields {
        m.insert((*k).into(), json!(v));
    }
    serde_json::Value::Object(m)
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn actor_of(t: &TestApp, username: &str) -> (UserId, Actor) {
    let (user, _) = t.app.store.user_for_login(username).await.unwrap().unwrap();
    let grants = t.app.store.grants(user.id).await.unwrap();
    (
        user.id,
        Actor {
            user: Some(user.id),
            grants,
        },
    )
}

/// A service account (API tokens only) with a supervisor grant.
async fn service_account(t: &TestApp, name: &str) -> UserId {
    let staff = qaward_app::accounts::NewStaff {
        username: name.into(),
        display_name: name.into(),
        password: String::new(),
        email: None,
        grants: vec![
            qaward_domain::permission::Grant::new(
                qaward_domain::permission::Role::Supervisor,
                qaward_domain::permission::Scope::Program,
            )
            .unwrap(),
        ],
        service: true,
    };
    qaward_app::accounts::create_staff_at_console(&t.app, &staff)
        .await
        .unwrap()
        .id
}

async fn subject_ids(t: &TestApp) -> (SubjectId, SubjectId) {
    let org = t
        .app
        .store
        .user_for_login("applicant-org")
        .await
        .unwrap()
        .unwrap()
        .0
        .subject_id
        .unwrap();
    let person = t
        .app
        .store
        .user_for_login("applicant-person")
        .await
        .unwrap()
        .unwrap()
        .0
        .subject_id
        .unwrap();
    (org, person)
}

async fn every_demo_account_logs_in_and_sees_its_home_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    for u in DEMO_USERS {
        let s = t.login(u).await;
        let home = t.get("/", Some(&s)).await;
        assert_eq!(home.status, StatusCode::OK, "{u}");
        let (user, _) = t.app.store.user_for_login(u).await.unwrap().unwrap();
        assert!(
            home.body
                .contains(&format!("欢迎，{}", askama_escape(&user.display_name))),
            "{u}: {}",
            home.body
        );
        assert!(home.body.contains("您的角色"), "{u}");
    }
    // What awaits: the applicant's own record, the Office's counts, the admin's accounts.
    let s = t.login("applicant-org").await;
    let (org, _) = subject_ids(&t).await;
    assert!(
        t.get("/", Some(&s))
            .await
            .body
            .contains(&format!("href=\"/subjects/{org}\""))
    );
    let s = t.login("office").await;
    let body = t.get("/", Some(&s)).await.body;
    assert!(
        body.contains("已注册申报主体: 2") && body.contains("A34"),
        "{body}"
    );
    let s = t.login("admin").await;
    assert!(
        t.get("/", Some(&s))
            .await
            .body
            .contains("href=\"/admin/users\"")
    );
    // And in English on request.
    let mut req = Request::builder()
        .uri("/")
        .header(header::HOST, HOST)
        .header(
            header::COOKIE,
            format!("qaward_session={}; lang=en", s.cookie),
        );
    req = req.header("x-test", "1");
    let en = t.send(req.body(Body::empty()).unwrap()).await;
    assert!(
        en.body.contains("Welcome") && en.body.contains("lang=\"en\""),
        "{}",
        en.body
    );
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// What a route needs, in the permission function's terms.
#[derive(Clone, Copy, Debug)]
enum Need {
    Public,
    LoggedIn,
    Perm(Perm),
    ViewSubject(SubjectId),
    /// Editing the materials of the actor's own subject (uploads, starting an application).
    OwnMaterials,
    /// An action on the walk's submitted application; a permitted actor may still be
    /// refused by a rule of the measures (422), never by the permission function.
    OnApp(Perm),
}

#[derive(Clone, Debug)]
enum Send {
    Get(String),
    Form(String, Vec<(&'static str, String)>),
    Json(Method, String, Option<serde_json::Value>),
    Upload(String),
    RawUpload(String),
}

struct Probe {
    send: Send,
    need: Need,
    /// The probe ends or replaces the session: log in afresh for it.
    fresh_session: bool,
}

fn multipart(csrf: &str) -> (String, Vec<u8>) {
    let boundary = "qawardboundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
    body.extend_from_slice(b"%PDF-1.4\n% test file\n");
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn send_probe(t: &TestApp, probe: &Send, s: Option<&Session>) -> common::Answer {
    match probe {
        Send::Get(p) => t.get(p, s).await,
        Send::Form(p, fields) => t.post_form(p, s, &pairs(fields)).await,
        Send::Json(m, p, body) => t.api(m.clone(), p, s, body.clone()).await,
        Send::Upload(p) => {
            let (ct, body) = multipart(s.map(|s| s.csrf.as_str()).unwrap_or(""));
            let mut b = Request::builder()
                .method(Method::POST)
                .uri(p)
                .header(header::HOST, HOST)
                .header(header::ORIGIN, ORIGIN)
                .header(header::CONTENT_TYPE, ct);
            if let Some(s) = s {
                b = b.header(header::COOKIE, format!("qaward_session={}", s.cookie));
            }
            t.send(b.body(Body::from(body)).unwrap()).await
        }
        Send::RawUpload(p) => {
            let mut b = Request::builder()
                .method(Method::POST)
                .uri(p)
                .header(header::HOST, HOST)
                .header(header::CONTENT_TYPE, "application/pdf");
            if let Some(s) = s {
                b = b
                    .header(header::COOKIE, format!("qaward_session={}", s.cookie))
                    .header("x-csrf-token", &s.csrf);
            }
            t.send(b.body(Body::from("%PDF-1.4\n% api file\n")).unwrap())
                .await
        }
    }
}

async fn route_walk_matches_the_permission_table(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (org, person) = subject_ids(&t).await;
    let (agency_id, _) = actor_of(&t, "agency").await;
    let service_id = service_account(&t, "walk-bot").await;
    // The organization's application, submitted to 忻府区.
    let app_id = {
        let s = t.login("applicant-org").await;
        let id = t
            .api(Method::POST, "/api/v1/applications", Some(&s), None)
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        t.api(Method::PUT, &format!("/api/v1/applications/{id}"), Some(&s), Some(json!({
            "declarations": ["A10.1", "A10.2", "A10.3", "A10.4"], "authenticity": true, "no_state_secrets": true
        }))).await;
        t.api(
            Method::POST,
            &format!("/api/v1/applications/{id}/in-unit-notice"),
            Some(&s),
            Some(json!({ "start": "2026-11-16" })),
        )
        .await;
        let a = t
            .api(
                Method::POST,
                &format!("/api/v1/applications/{id}/submit"),
                Some(&s),
                Some(json!({ "channel": "county:xinfu" })),
            )
            .await;
        assert!(a.status.is_success(), "{}", a.body);
        id
    };
    let app_row = t
        .app
        .store
        .application(qaward_domain::ids::ApplicationId(app_id))
        .await
        .unwrap();
    let app_target = qaward_app::workflow::target_of(&app_row);
    let mut actors: Vec<Option<&str>> = vec![None];
    actors.extend(DEMO_USERS.iter().map(|u| Some(*u)));
    let mut problems = Vec::new();
    let mut checked = 0;
    for who in actors {
        let actor = match who {
            Some(u) => actor_of(&t, u).await.1,
            None => Actor::public(),
        };
        // Two tokens per actor to try revoking, one by form and one by API.
        let mut tx = t.app.store.write().await.unwrap();
        let form_token = tx
            .create_token(
                service_id,
                "walk",
                &format!("form-{}", next()),
                "2999-01-01T00:00:00.000Z",
            )
            .await
            .unwrap();
        let api_token = tx
            .create_token(
                service_id,
                "walk",
                &format!("api-{}", next()),
                "2999-01-01T00:00:00.000Z",
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let tag = who.unwrap_or("public");
        let probes = vec![
            Probe {
                send: Send::Get("/".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/login".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/register".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/register/organization".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/register/person".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/lang/en".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/healthz".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/readyz".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/static/qaward.css".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/api/openapi.json".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get(format!("/subjects/{org}")),
                need: Need::ViewSubject(org),
                fresh_session: false,
            },
            Probe {
                send: Send::Get(format!("/subjects/{person}")),
                need: Need::ViewSubject(person),
                fresh_session: false,
            },
            Probe {
                send: Send::Get(format!("/api/v1/subjects/{org}")),
                need: Need::ViewSubject(org),
                fresh_session: false,
            },
            Probe {
                send: Send::Get(format!("/api/v1/subjects/{person}")),
                need: Need::ViewSubject(person),
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/admin/users".into()),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Form(
                    "/admin/users".into(),
                    vec![
                        ("username", format!("walk-form-{tag}")),
                        ("display_name", "Walk".into()),
                        ("password", "walk-password-1".into()),
                        ("grants[0][role]", "expert".into()),
                        ("grants[0][scope]", "".into()),
                    ],
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Form(
                    "/admin/grants".into(),
                    vec![
                        ("user_id", agency_id.to_string()),
                        ("role", "opinion-dept".into()),
                        ("scope", "opinion-dept:tax".into()),
                    ],
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Form(
                    "/admin/tokens".into(),
                    vec![
                        ("user_id", service_id.to_string()),
                        ("name", format!("walk {tag}")),
                        ("days", "30".into()),
                    ],
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Form(
                    "/admin/tokens/revoke".into(),
                    vec![("token_id", form_token.to_string())],
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/audit".into()),
                need: Need::Perm(Perm::ViewAuditLog),
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/audit/verify".into()),
                need: Need::Perm(Perm::ViewAuditLog),
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/files/new".into()),
                need: Need::LoggedIn,
                fresh_session: false,
            },
            Probe {
                send: Send::Upload("/files".into()),
                need: Need::OwnMaterials,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/api/v1/me".into()),
                need: Need::LoggedIn,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, format!("/api/v1/applications/{app_id}"), None),
                need: Need::OnApp(Perm::ViewApplication),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::PUT,
                    format!("/api/v1/applications/{app_id}"),
                    Some(json!({ "authenticity": true })),
                ),
                need: Need::OnApp(Perm::EditApplication),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/applications/{app_id}/submit"),
                    Some(json!({ "channel": "county:xinfu" })),
                ),
                need: Need::OnApp(Perm::SubmitApplication),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/applications/{app_id}/channel-review"),
                    Some(json!({ "decision": "return", "reason": "" })),
                ),
                need: Need::OnApp(Perm::ChannelReview),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    "/api/v1/recommendations".into(),
                    Some(json!({ "applications": [app_id] })),
                ),
                need: Need::OnApp(Perm::CountyRecommend),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::POST, "/api/v1/applications".into(), None),
                need: Need::OwnMaterials,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/channel-queue".into(), None),
                need: Need::LoggedIn,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/notices".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/objections/status".into()),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/notices".into(), None),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/office".into()),
                need: Need::Perm(Perm::FormalReview),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/office-queue".into(), None),
                need: Need::Perm(Perm::FormalReview),
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/objections".into()),
                need: Need::Perm(Perm::HandleObjection),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/objections".into(), None),
                need: Need::Perm(Perm::HandleObjection),
                fresh_session: false,
            },
            Probe {
                send: Send::Get("/opinions".into()),
                need: Need::LoggedIn,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/opinion-queue".into(), None),
                need: Need::LoggedIn,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/applications/{app_id}/opinion-requests"),
                    Some(json!({ "departments": ["tax"], "due": "2026-12-30" })),
                ),
                need: Need::OnApp(Perm::RequestOpinions),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/applications/{app_id}/formal-review"),
                    Some(json!({ "decision": "pass" })),
                ),
                need: Need::OnApp(Perm::FormalReview),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/applications/{app_id}/accept"),
                    None,
                ),
                need: Need::OnApp(Perm::FormalReview),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/users".into(), None),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    "/api/v1/users".into(),
                    Some(json!({
                        "username": format!("walk-api-{tag}"), "display_name": "Walk", "password": "walk-password-1",
                        "grants": [{ "role": "county-reviewer", "scope": "county:hequ" }]
                    })),
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/users/{agency_id}/grants"),
                    Some(
                        json!({ "role": "opinion-dept", "scope": "opinion-dept:public-security" }),
                    ),
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    format!("/api/v1/users/{service_id}/tokens"),
                    Some(json!({ "name": format!("walk {tag}") })),
                ),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::DELETE, format!("/api/v1/tokens/{api_token}"), None),
                need: Need::Perm(Perm::ManageAccounts),
                fresh_session: false,
            },
            Probe {
                send: Send::RawUpload("/api/v1/files".into()),
                need: Need::OwnMaterials,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/audit".into(), None),
                need: Need::Perm(Perm::ViewAuditLog),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(Method::GET, "/api/v1/audit/verify".into(), None),
                need: Need::Perm(Perm::ViewAuditLog),
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    "/api/v1/register/organization".into(),
                    Some(as_json(&org_fields(&format!("walk-ro-{tag}")))),
                ),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    "/api/v1/register/person".into(),
                    Some(as_json(&person_fields(&format!("walk-rp-{tag}")))),
                ),
                need: Need::Public,
                fresh_session: false,
            },
            Probe {
                send: Send::Form(
                    "/register/organization".into(),
                    org_fields(&format!("walk-fo-{tag}")),
                ),
                need: Need::Public,
                fresh_session: true,
            },
            Probe {
                send: Send::Form(
                    "/register/person".into(),
                    person_fields(&format!("walk-fp-{tag}")),
                ),
                need: Need::Public,
                fresh_session: true,
            },
            Probe {
                send: Send::Form(
                    "/login".into(),
                    vec![
                        ("username", who.unwrap_or("office").into()),
                        ("password", "qaward-demo".into()),
                    ],
                ),
                need: Need::Public,
                fresh_session: true,
            },
            Probe {
                send: Send::Form("/logout".into(), vec![]),
                need: Need::Public,
                fresh_session: true,
            },
            Probe {
                send: Send::Json(
                    Method::POST,
                    "/api/v1/session".into(),
                    Some(json!({ "username": who.unwrap_or("office"), "password": "qaward-demo" })),
                ),
                need: Need::Public,
                fresh_session: true,
            },
            Probe {
                send: Send::Json(Method::DELETE, "/api/v1/session".into(), None),
                need: Need::LoggedIn,
                fresh_session: true,
            },
        ];
        let mut session = match who {
            Some(u) => Some(t.login(u).await),
            None => None,
        };
        for probe in probes {
            if probe.fresh_session
                && let Some(u) = who
            {
                session = Some(t.login(u).await);
            }
            let allowed = match probe.need {
                Need::Public => true,
                Need::LoggedIn => who.is_some(),
                Need::Perm(p) => permitted(&actor, p, &Target::default()).is_ok(),
                Need::ViewSubject(s) => permitted(
                    &actor,
                    Perm::ViewApplication,
                    &Target {
                        subject: Some(s),
                        ..Target::default()
                    },
                )
                .is_ok(),
                Need::OwnMaterials => {
                    let own = match who {
                        Some(u) => {
                            t.app
                                .store
                                .user_for_login(u)
                                .await
                                .unwrap()
                                .unwrap()
                                .0
                                .subject_id
                        }
                        None => None,
                    };
                    permitted(
                        &actor,
                        Perm::EditApplication,
                        &Target {
                            subject: own,
                            ..Target::default()
                        },
                    )
                    .is_ok()
                }
                Need::OnApp(p) => {
                    permitted(&actor, Perm::ViewApplication, &app_target).is_ok()
                        && permitted(&actor, p, &app_target).is_ok()
                }
            };
            let a = send_probe(&t, &probe.send, session.as_ref()).await;
            checked += 1;
            let ok = a.status.is_success()
                || a.status == StatusCode::SEE_OTHER
                || (matches!(probe.need, Need::OnApp(_))
                    && a.status == StatusCode::UNPROCESSABLE_ENTITY);
            let refused = matches!(
                a.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            );
            if allowed && !ok {
                problems.push(format!(
                    "{tag} {:?}: allowed but got {} {}",
                    probe.send,
                    a.status,
                    a.body.chars().take(200).collect::<String>()
                ));
            }
            if !allowed && !refused {
                problems.push(format!(
                    "{tag} {:?}: not allowed but got {}",
                    probe.send, a.status
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {checked} answers disagree with the permission table:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

async fn a30_changing_the_id_in_the_url_leaks_no_other_applicants_data(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (org, person) = subject_ids(&t).await;
    let org_s = t.login("applicant-org").await;
    let own = t.get(&format!("/subjects/{org}"), Some(&org_s)).await;
    assert_eq!(own.status, StatusCode::OK);
    for path in [
        format!("/subjects/{person}"),
        format!("/api/v1/subjects/{person}"),
        "/subjects/99999".into(),
        "/subjects/abc".into(),
        "/api/v1/subjects/-1".into(),
    ] {
        let a = if path.starts_with("/api") {
            t.api(Method::GET, &path, Some(&org_s), None).await
        } else {
            t.get(&path, Some(&org_s)).await
        };
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !a.body.contains("李质量") && !a.body.contains("1409"),
            "{path}: {}",
            a.body
        );
    }
    // The person sees the whole number; the Office too; a supervisor sees it masked.
    let p = t.login("applicant-person").await;
    assert!(
        t.api(
            Method::GET,
            &format!("/api/v1/subjects/{person}"),
            Some(&p),
            None
        )
        .await
        .body
        .contains("14090219850615009X")
    );
    let office = t.login("office").await;
    assert!(
        t.get(&format!("/subjects/{person}"), Some(&office))
            .await
            .body
            .contains("14090219850615009X")
    );
    let sup = t.login("supervisor").await;
    let a = t
        .api(
            Method::GET,
            &format!("/api/v1/subjects/{person}"),
            Some(&sup),
            None,
        )
        .await;
    assert_eq!(a.json()["identifier"], "1409**********009X");
    // Every permitted read is in the audit log.
    let reads =
        qaward_store::audit::recent(&t.app.store, 50, Some(("subject", &person.to_string())))
            .await
            .unwrap();
    let readers: Vec<&str> = reads
        .iter()
        .filter(|e| e.action == "subject.view")
        .map(|e| e.actor_name.as_str())
        .collect();
    assert_eq!(readers, ["supervisor", "office", "applicant-person"]);
}

async fn bad_input_gets_a_clear_4xx_nothing_half_written_and_the_server_keeps_serving(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let s = t.login("applicant-org").await;
    let users_before = t.app.store.count_users().await.unwrap();

    // An oversized upload, by API and by form: 413, and no file or row left.
    let big = vec![b'%'; (MAX_UPLOAD + 1) as usize];
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/files")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("qaward_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
        .body(Body::from(big))
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
    assert_eq!(a.json()["error"]["code"], "too_large");
    assert_eq!(t.blob_files(), 0);
    // A file of a type that is not accepted.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/files")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("qaward_session={}", s.cookie))
        .header("x-csrf-token", &s.csrf)
        .body(Body::from("MZ\u{90}executable"))
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["field"], "file");
    assert_eq!(t.blob_files(), 0, "a refused file leaves nothing behind");
    // The same oversized file through the page's form.
    let boundary = "bigboundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-", s.csrf).into_bytes();
    body.extend(std::iter::repeat_n(b'x', MAX_UPLOAD as usize));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/files")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", s.cookie))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
    assert_eq!(t.blob_files(), 0);
    // Staff have no materials to upload.
    let office = t.login("office").await;
    let a = t
        .api(Method::POST, "/api/v1/files", Some(&office), None)
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // Unknown API paths and methods answer JSON.
    let a = t.api(Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let a = t.api(Method::PUT, "/api/v1/me", Some(&office), None).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.json()["error"]["code"], "method_not_allowed");
    let a = t
        .api(Method::GET, "/api/v1/audit?limit=lots", Some(&office), None)
        .await;
    assert_eq!(
        (a.status, a.json()["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("limit"))
    );

    // A form with a missing field, and with a bad credit code: 422 naming the field.
    let a = t
        .post_form("/register/organization", None, &[("name", "缺字段")])
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("fill in this field"), "{}", a.body);
    let mut fields = org_fields("bad-code");
    fields[1].1 = "91140900AY4CL12THE".into();
    let a = t
        .post_form("/register/organization", None, &pairs(&fields))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("credit_code: check character is `E`"),
        "{}",
        a.body
    );
    // The form keeps what was typed, but never the password.
    assert!(a.body.contains("测试企业bad-code") && !a.body.contains("correct-horse-1"));

    // Malformed JSON: 400 with a JSON error.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/register/person")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\": "))
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert_eq!(a.json()["error"]["code"], "malformed");

    // A cross-site form post, and a same-site one without the session's token: 403.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/admin/users")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, format!("qaward_session={}", s.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&username=x", s.csrf)))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/logout")
        .header(header::HOST, HOST)
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::FORBIDDEN);
    let a = t
        .post_form(
            "/logout",
            Some(&Session {
                cookie: s.cookie.clone(),
                csrf: "forged".into(),
            }),
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(
        t.get("/api/v1/me", Some(&s)).await.status.is_success(),
        "the session survives the forged logout"
    );
    // An API change with the cookie but without the CSRF header.
    let req = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/session")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("qaward_session={}", s.cookie))
        .body(Body::empty())
        .unwrap();
    let a = t.send(req).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.json()["error"]["code"], "csrf");

    // A wrong password ten times: 401 five times, then 429 with Retry-After, even for the
    // right password.
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            t.post_form(
                "/login",
                None,
                &[("username", "office"), ("password", "wrong password")],
            )
            .await
            .status
            .as_u16(),
        );
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    let a = t
        .api(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({ "username": "office", "password": "qaward-demo" })),
        )
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.headers.get(header::RETRY_AFTER).unwrap(), "900");
    // Other accounts still log in.
    t.login("expert1").await;

    // Nothing half-written, the chain intact, and the server still serving.
    assert_eq!(t.app.store.count_users().await.unwrap(), users_before);
    assert!(
        qaward_store::audit::verify(&t.app.store)
            .await
            .unwrap()
            .is_ok()
    );
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(t.get("/readyz", None).await.body, "ready");
}

async fn registration_by_form_and_by_api(backend: Backend) {
    let t = TestApp::new(backend).await;
    let fields = org_fields("new-org");
    let a = t
        .post_form("/register/organization", None, &pairs(&fields))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let cookie = common::cookie_value(&a.headers).expect("logged in after registering");
    let me = t
        .get(
            "/api/v1/me",
            Some(&Session {
                cookie,
                csrf: String::new(),
            }),
        )
        .await
        .json();
    assert_eq!(me["kind"], "applicant");
    assert_eq!(me["grants"][0]["role"], "applicant-org");
    // The same credit code again: 409 naming it, nothing written.
    let users = t.app.store.count_users().await.unwrap();
    let mut again = org_fields("new-org-2");
    again[1].1 = fields[1].1.clone();
    let a = t
        .post_form("/register/organization", None, &pairs(&again))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.body.contains(&fields[1].1));
    assert_eq!(t.app.store.count_users().await.unwrap(), users);
    // The same identity number again: refused without saying whose it is.
    let dup_person = person_fields("dup-a");
    assert_eq!(
        t.api(
            Method::POST,
            "/api/v1/register/person",
            None,
            Some(as_json(&dup_person))
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let mut again = person_fields("dup-b");
    again[1].1 = dup_person[1].1.clone();
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
        a.body.contains("contact the Office") && !a.body.contains(&dup_person[1].1[..6]),
        "{}",
        a.body
    );
    // By API, a person.
    let p = person_fields("new-person");
    let a = t
        .api(
            Method::POST,
            "/api/v1/register/person",
            None,
            Some(as_json(&p)),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    // A username taken, a short password, an unknown county, a future date.
    for (field, value, expect) in [
        ("username", "office", "taken"),
        ("password", "short", "10 characters"),
        ("county", "taiyuan", "county-level unit"),
        ("quality_work_since", "2999-01-01", "future"),
    ] {
        let mut p = person_fields("another");
        for f in p.iter_mut() {
            if f.0 == field {
                f.1 = value.into();
            }
        }
        let a = t
            .api(
                Method::POST,
                "/api/v1/register/person",
                None,
                Some(as_json(&p)),
            )
            .await;
        assert!(a.status.is_client_error(), "{field}");
        assert!(
            a.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(expect),
            "{field}: {}",
            a.body
        );
    }
}

async fn sessions_renew_at_login_and_end_at_logout(backend: Backend) {
    let t = TestApp::new(backend).await;
    let first = t.login("office").await;
    // Logging in again, carrying the old cookie, gives a new session id and ends the old.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", first.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "username=office&password=qaward-demo&csrf={}",
            first.csrf
        )))
        .unwrap();
    let a = t.send(req).await;
    let second = common::cookie_value(&a.headers).unwrap();
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

async fn api_tokens_and_cookie_calls_need_their_credentials(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.login("admin").await;
    // Tokens only for service accounts: not for a person's account.
    let (sup, _) = actor_of(&t, "supervisor").await;
    let a = t
        .api(
            Method::POST,
            &format!("/api/v1/users/{sup}/tokens"),
            Some(&admin),
            Some(json!({ "name": "x" })),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("service accounts"), "{}", a.body);
    let a = t
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({
                "username": "audit-bot", "display_name": "Nightly audit check", "service": true,
                "grants": [{ "role": "supervisor", "scope": "" }]
            })),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let bot = a.json()["id"].as_i64().unwrap();
    // The account list shows each account with its own grants.
    let users = t
        .api(Method::GET, "/api/v1/users", Some(&admin), None)
        .await
        .json();
    let grants_of = |id: i64| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .map(|u| u["grants"].clone())
            .unwrap_or_else(|| panic!("{users}"))
    };
    let bot_grants = grants_of(bot);
    assert_eq!(bot_grants.as_array().map(Vec::len), Some(1), "{users}");
    assert_eq!(bot_grants[0]["role"], "supervisor", "{users}");
    assert_eq!(grants_of(sup.0)[0]["role"], "supervisor", "{users}");
    assert_eq!(
        grants_of(sup.0).as_array().map(Vec::len),
        Some(1),
        "{users}"
    );
    let a = t
        .api(
            Method::POST,
            &format!("/api/v1/users/{bot}/tokens"),
            Some(&admin),
            Some(json!({ "name": "nightly audit check", "days": 30 })),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let token = a.json()["token"].as_str().unwrap().to_owned();
    let token_id = a.json()["id"].as_i64().unwrap();
    // The token works without a cookie or CSRF header, with the account's rights only,
    // and the audit log names the token.
    let a = t
        .bearer(Method::GET, "/api/v1/audit/verify", &token, None)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["ok"], true);
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
    // Revoked, it stops working.
    assert_eq!(
        t.api(
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            Some(&admin),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        t.api(
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            Some(&admin),
            None
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let a = t.bearer(Method::GET, "/api/v1/me", &token, None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json()["error"]["code"], "unauthenticated");
    // Tokens are stored hashed.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(t.app.store.pool())
        .await
        .unwrap();
    assert!(!stored.contains(&token));
    // A logged-in browser may still post the registration form it opened before.
    let fields = org_fields("late-form");
    let body = serde_urlencoded::to_string(pairs(&fields)).unwrap();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/register/organization")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, format!("qaward_session={}", admin.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(t.send(req).await.status, StatusCode::SEE_OTHER);
}

async fn concurrent_wrong_passwords_are_throttled_too(backend: Backend) {
    let t = std::sync::Arc::new(TestApp::new(backend).await);
    let mut tasks = Vec::new();
    for _ in 0..15 {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            t.api(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({ "username": "office", "password": "guess" })),
            )
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
async fn openapi_document_covers_every_api_route() {
    let t = TestApp::new(Backend::Sqlite).await;
    let a = t.get("/api/openapi.json", None).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for p in [
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/register/organization",
        "/api/v1/register/person",
        "/api/v1/subjects/{id}",
        "/api/v1/users",
        "/api/v1/users/{id}/grants",
        "/api/v1/users/{id}/tokens",
        "/api/v1/files",
        "/api/v1/audit",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    // Every documented path answers something other than 404 for a method it documents.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace("{id}", "1");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let req = Request::builder()
                .method(m)
                .uri(&concrete)
                .header(header::HOST, HOST)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let s = t.send(req).await.status;
            assert!(
                s != StatusCode::NOT_FOUND && s != StatusCode::METHOD_NOT_ALLOWED
                    || path.contains("{id}"),
                "{method} {path}: {s}"
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

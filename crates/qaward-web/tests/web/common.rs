//! A test application in process: a fresh database on either backend, seeded with the
//! demo, and helpers to send requests as a browser or an API client would.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use qaward_app::demo;
use qaward_app::testing::Backend;
use tower::ServiceExt;

#[allow(unused_imports)]
pub use qaward_app::testing::{MAX_UPLOAD, POLICY, TODAY};
pub const HOST: &str = "qaward.test";
pub const ORIGIN: &str = "http://qaward.test";

/// The demo installation of `qaward_app::testing` with its web application.
pub struct TestApp {
    inner: qaward_app::testing::TestApp,
    pub router: Router,
}

impl std::ops::Deref for TestApp {
    type Target = qaward_app::testing::TestApp;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

/// An answer, with its body read.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for files.
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A logged-in browser: the session cookie and the CSRF token of its pages.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The web settings of the tests: the product's, without the public pages' cache, since
/// tests change state through the use cases beside HTTP, which the cache does not see
/// (`cache.rs` has its own test).
pub fn config() -> qaward_web::WebConfig {
    qaward_web::WebConfig {
        public_cache: std::time::Duration::ZERO,
        ..qaward_web::WebConfig::default()
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::new_at(backend, TODAY).await
    }

    /// A test application whose "today" is `today` (YYYY-MM-DD).
    pub async fn new_at(backend: Backend, today: &str) -> Self {
        let inner = qaward_app::testing::TestApp::new_at(backend, today).await;
        let router = qaward_web::build(inner.app.clone(), config());
        Self { inner, router }
    }

    /// A test application whose first version of the measures is `policy` (a file's
    /// text): the demo cycle runs under it.
    pub async fn with_policy(backend: Backend, policy: &str) -> Self {
        let inner = qaward_app::testing::TestApp::with_policy(backend, TODAY, policy).await;
        let router = qaward_web::build(inner.app.clone(), config());
        Self { inner, router }
    }

    /// A test application behind a proxy that names the client's address in
    /// `X-Forwarded-For` (so that a test may speak from several addresses), with its
    /// settings changed by `change` (the throttling tests set their own limits).
    pub async fn behind_proxy(
        backend: Backend,
        change: impl FnOnce(&mut qaward_app::Settings),
    ) -> Self {
        let mut inner = qaward_app::testing::TestApp::new(backend).await;
        change(&mut inner.app.settings);
        let config = qaward_web::WebConfig {
            client_ip_header: Some("x-forwarded-for".into()),
            ..config()
        };
        let router = qaward_web::build(inner.app.clone(), config);
        Self { inner, router }
    }

    /// An API call without a session from `address` (see [`TestApp::behind_proxy`]).
    pub async fn api_from(
        &self,
        address: &str,
        method: Method,
        path: &str,
        json: serde_json::Value,
    ) -> Answer {
        let req = Self::base(method, path, None)
            .header("x-forwarded-for", address)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// How many entries the audit log holds.
    pub async fn audit_entries(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(self.db.store.pool())
            .await
            .unwrap()
    }

    /// The actions of the audit log's newest `n` entries, oldest first, with their objects.
    pub async fn newest_audit(&self, n: i64) -> Vec<(String, String)> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT action, object_type, object_id FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(n)
        .fetch_all(self.db.store.pool())
        .await
        .unwrap();
        rows.into_iter()
            .rev()
            .map(|(a, t, id)| (a, format!("{t} {id}")))
            .collect()
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    fn base(method: Method, path: &str, session: Option<&Session>) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(s) = session {
            b = b.header(header::COOKIE, format!("qaward_session={}", s.cookie));
        }
        b
    }

    /// A file sent as the request's body to the API, with the session.
    pub async fn raw_upload(&self, path: &str, s: &Session, bytes: &[u8]) -> Answer {
        let req = Self::base(Method::POST, path, Some(s))
            .header("x-csrf-token", &s.csrf)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(bytes.to_vec()))
            .unwrap();
        self.send(req).await
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> Answer {
        self.send(
            Self::base(Method::GET, path, session)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form post from our own pages: same origin, with the session's CSRF token.
    pub async fn post_form(
        &self,
        path: &str,
        session: Option<&Session>,
        fields: &[(&str, &str)],
    ) -> Answer {
        let mut pairs: Vec<(&str, &str)> = fields.to_vec();
        if let Some(s) = session {
            pairs.push(("csrf", &s.csrf));
        }
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let req = Self::base(Method::POST, path, session)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// An API call with the session cookie (and its CSRF header) or a bearer token.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        json: Option<serde_json::Value>,
    ) -> Answer {
        let mut b = Self::base(method, path, session);
        if let Some(s) = session {
            b = b.header("x-csrf-token", &s.csrf);
        }
        let body = match json {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    pub async fn bearer(
        &self,
        method: Method,
        path: &str,
        token: &str,
        json: Option<serde_json::Value>,
    ) -> Answer {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match json {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }

    /// Logs in through the form and reads the CSRF token from the home page.
    pub async fn login(&self, username: &str) -> Session {
        self.login_with(username, demo::PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> Session {
        let a = self
            .post_form(
                "/login",
                None,
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::SEE_OTHER,
            "login {username}: {}",
            a.body
        );
        let cookie = cookie_value(&a.headers).expect("a session cookie");
        let mut s = Session {
            cookie,
            csrf: String::new(),
        };
        let home = self.get("/", Some(&s)).await;
        s.csrf = between(&home.body, "name=\"csrf\" value=\"", "\"")
            .expect("a CSRF token on the page")
            .to_owned();
        s
    }
}

pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix("qaward_session=")
                .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
        .filter(|v| !v.is_empty())
}

pub fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

pub use qaward_app::testing::DEMO_USERS;

/// A multipart body of `fields` (with the session's CSRF token) and one file.
pub fn multipart(
    s: Option<&Session>,
    fields: &[(&str, &str)],
    filename: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let b = "qawardboundary7MA4YWxk";
    let csrf = s.map(|s| s.csrf.as_str()).unwrap_or("");
    let mut body = Vec::new();
    for (name, value) in std::iter::once(&("csrf", csrf)).chain(fields) {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// Where a redirect points.
/// A redirect's target and its `done=` code (the last parameter, as `pages::done` adds it).
pub fn split_done(to: &str) -> (String, Option<String>) {
    match to.split_once("done=") {
        Some((base, code)) => (
            base.trim_end_matches(['?', '&']).to_owned(),
            Some(code.to_owned()),
        ),
        None => (to.to_owned(), None),
    }
}

pub fn location(a: &Answer) -> String {
    a.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The id at the end of a path: `/applications/7` → 7.
pub fn last_id(path: &str) -> i64 {
    path.rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id at the end of `{path}`"))
}

/// A successful API answer's JSON (`null` for an empty body).
pub fn ok(a: &Answer) -> serde_json::Value {
    assert!(a.status.is_success(), "{} {}", a.status, a.body);
    if a.body.is_empty() {
        serde_json::Value::Null
    } else {
        a.json()
    }
}

impl TestApp {
    /// A page's HTML, which must answer 200.
    pub async fn page(&self, path: &str, session: Option<&Session>) -> String {
        let a = self.get(path, session).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        a.body
    }

    /// A form post that must redirect; returns where to, without the `done=` that says
    /// what was done (`done.rs` tests those).
    pub async fn form_redirects(&self, path: &str, s: &Session, fields: &[(&str, &str)]) -> String {
        let (to, _) = self.form_done(path, s, fields).await;
        to
    }

    /// A form post that must redirect; returns where to and the `done=` code it carries.
    pub async fn form_done(
        &self,
        path: &str,
        s: &Session,
        fields: &[(&str, &str)],
    ) -> (String, Option<String>) {
        let a = self.post_form(path, Some(s), fields).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}: {}", a.body);
        split_done(&location(&a))
    }

    /// An API call with the session that must succeed; returns its JSON.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        s: &Session,
        json: Option<serde_json::Value>,
    ) -> serde_json::Value {
        ok(&self.api(method, path, Some(s), json).await)
    }

    /// A page's multipart form: `fields` and one file named `filename` holding `bytes`,
    /// with the session's CSRF token, sent from the site's own origin.
    pub async fn upload_form(
        &self,
        path: &str,
        s: Option<&Session>,
        fields: &[(&str, &str)],
        filename: &str,
        bytes: &[u8],
    ) -> Answer {
        let (content_type, body) = multipart(s, fields, filename, bytes);
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(s) = s {
            b = b.header(header::COOKIE, format!("qaward_session={}", s.cookie));
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// An application's state code, as the API reports it to `s`.
    pub async fn state_of(&self, s: &Session, id: i64) -> String {
        let v = self
            .call(Method::GET, &format!("/api/v1/applications/{id}"), s, None)
            .await;
        v["state"].as_str().unwrap_or_default().to_owned()
    }
}

impl Answer {
    /// The error's field, rule, code and message, as the API reports them.
    pub fn error(&self, key: &str) -> String {
        self.json()["error"][key]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The rule of the measures that refused.
    pub fn rule(&self) -> String {
        self.error("rule")
    }
}

/// One logged-in person using the JSON API, with the session cookie and its CSRF header.
pub struct Client<'a> {
    pub t: &'a TestApp,
    pub s: Session,
}

impl TestApp {
    /// A demo account logged in, as an API client.
    pub async fn user(&self, username: &str) -> Client<'_> {
        Client {
            t: self,
            s: self.login(username).await,
        }
    }
}

impl Client<'_> {
    pub async fn get(&self, path: &str) -> Answer {
        self.t.api(Method::GET, path, Some(&self.s), None).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> Answer {
        self.t
            .api(Method::POST, path, Some(&self.s), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> Answer {
        self.t
            .api(Method::PUT, path, Some(&self.s), Some(body))
            .await
    }

    /// A GET that must succeed; its JSON.
    pub async fn read(&self, path: &str) -> serde_json::Value {
        ok(&self.get(path).await)
    }

    /// A POST that must succeed; its JSON.
    pub async fn done(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        ok(&self.post(path, body).await)
    }

    /// An application's state code, as this person reads it.
    pub async fn state_of(&self, id: i64) -> String {
        let v = self.read(&format!("/api/v1/applications/{id}")).await;
        v["state"].as_str().unwrap_or_default().to_owned()
    }

    /// Starts the person's application on Monday 2026-11-16 and drafts it: `declarations`
    /// and both commitments, and the in-unit notice from that day to Friday 2026-11-20
    /// with the scan of it posted. "Today" is left as it was.
    pub async fn prepare(&self, declarations: &[&str]) -> i64 {
        self.t
            .on_day("2026-11-16", async || {
                self.draft_and_post(declarations).await
            })
            .await
    }

    async fn draft_and_post(&self, declarations: &[&str]) -> i64 {
        let id = self
            .done("/api/v1/applications", serde_json::json!({}))
            .await["id"]
            .as_i64()
            .unwrap();
        let draft = serde_json::json!({
            "declarations": declarations, "authenticity": true, "no_state_secrets": true
        });
        ok(&self.put(&format!("/api/v1/applications/{id}"), draft).await);
        let notice = serde_json::json!({ "start": "2026-11-16" });
        let n = self
            .done(&format!("/api/v1/applications/{id}/in-unit-notice"), notice)
            .await;
        assert_eq!(n["end"], "2026-11-20");
        ok(&self
            .attach(id, "internal", "in-unit-scan", b"%PDF-1.7 notice")
            .await);
        id
    }

    /// Uploads `bytes` as a file named 年报.pdf and attaches it to application `id` as
    /// `class` for `purpose`.
    pub async fn attach(
        &self,
        id: i64,
        class: &str,
        purpose: &str,
        bytes: &'static [u8],
    ) -> Answer {
        let uri = format!(
            "/api/v1/applications/{id}/attachments?filename=%E5%B9%B4%E6%8A%A5.pdf&class={class}&purpose={purpose}"
        );
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::HOST, HOST)
            .header(header::COOKIE, format!("qaward_session={}", self.s.cookie))
            .header("x-csrf-token", &self.s.csrf)
            .body(axum::body::Body::from(bytes))
            .unwrap();
        self.t.send(req).await
    }

    /// Submits to `channel`; answers the API's answer.
    pub async fn submit(&self, id: i64, channel: &str) -> Answer {
        let body = serde_json::json!({ "channel": channel });
        self.post(&format!("/api/v1/applications/{id}/submit"), body)
            .await
    }
}

/// The declarations an organization makes, and a person's.
pub const ORG: &[&str] = &["A10.1", "A10.2", "A10.3", "A10.4"];
pub const PERSON: &[&str] = &["A11.1", "A11.2"];

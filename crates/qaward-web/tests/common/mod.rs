//! A test application in process: a fresh database on either backend, seeded with the
//! demo, and helpers to send requests as a browser or an API client would.

#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use qaward_app::{App, Settings, demo};
use qaward_domain::calendar::WorkingCalendar;
use qaward_domain::policy::Policy;
use qaward_store::Backend;
use qaward_store::blobs::FsBlobStore;
use qaward_store::testing::TestDb;
use tower::ServiceExt;

pub const POLICY: &str = include_str!("../../../../policy/xinzhou-2021.toml");
pub const CALENDAR: &str = include_str!("../../../../calendar/cn-working-days.toml");
pub const RUBRIC_ORG: &str = include_str!("../../../../rubrics/org-gbt19580-2012.toml");
pub const RUBRIC_PERSON: &str = include_str!("../../../../rubrics/individual-provisional.toml");
/// The tests' "today": inside the demo cycle's application window (2026-11-02 to
/// 2026-12-18), whatever day they run.
pub const TODAY: &str = "2026-11-27";
pub const HOST: &str = "qaward.test";
pub const ORIGIN: &str = "http://qaward.test";
/// Small, so that the oversize test needs little data.
pub const MAX_UPLOAD: u64 = 64 * 1024;

pub struct TestApp {
    pub db: TestDb,
    pub app: App,
    pub router: Router,
    blob_dir: std::path::PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.blob_dir);
    }
}

/// An answer, with its body read.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
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

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::new_at(backend, TODAY).await
    }

    /// A test application whose "today" is `today` (YYYY-MM-DD).
    pub async fn new_at(backend: Backend, today: &str) -> Self {
        let db = TestDb::new(backend).await;
        let blob_dir = std::env::temp_dir().join(format!(
            "qaward-web-blobs-{}-{}",
            std::process::id(),
            hex::encode(rand::random::<[u8; 6]>())
        ));
        let app = App {
            store: db.store.clone(),
            blobs: FsBlobStore::new(&blob_dir),
            policy: Arc::new(Policy::from_toml("policy", POLICY).unwrap()),
            calendar: Arc::new(WorkingCalendar::from_toml("calendar", CALENDAR).unwrap()),
            policy_source: Arc::from(POLICY),
            rubrics: Arc::new(qaward_app::Rubrics {
                organization: qaward_domain::rubric::Rubric::from_toml("org", RUBRIC_ORG).unwrap(),
                individual: qaward_domain::rubric::Rubric::from_toml("person", RUBRIC_PERSON)
                    .unwrap(),
            }),
            settings: Settings {
                max_upload_bytes: MAX_UPLOAD,
                max_account_upload_bytes: 10 * MAX_UPLOAD,
                session_hours: 2,
                clock: qaward_app::Clock::fixed(
                    chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap(),
                ),
            },
        };
        demo::seed(&app, POLICY).await.unwrap();
        let router = qaward_web::build(app.clone(), qaward_web::WebConfig::default());
        Self {
            db,
            app,
            router,
            blob_dir,
        }
    }

    /// Moves the tests' "today".
    pub fn set_today(&self, date: &str) {
        assert!(
            self.app
                .settings
                .clock
                .set(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap())
        );
    }

    pub fn blob_files(&self) -> usize {
        fn count(p: &std::path::Path) -> usize {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| {
                            if e.path().is_dir() {
                                count(&e.path())
                            } else {
                                1
                            }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        count(&self.blob_dir)
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

/// Every demo account.
pub const DEMO_USERS: &[&str] = &[
    "admin",
    "office",
    "agency",
    "expert1",
    "expert2",
    "expert3",
    "supervisor",
    "leading-group",
    "county-reviewer",
    "county-government",
    "industry-dept",
    "opinion-dept",
    "hr-bureau",
    "government",
    "applicant-org",
    "applicant-person",
];

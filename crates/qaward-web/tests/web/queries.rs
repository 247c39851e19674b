//! No page's query count grows with the rows it shows (issue #14, item 2): each page and
//! API list is read with a few applications, then with more, and must ask the database
//! the same number of questions both times — an N+1 read fails here, not in production.
//!
//! Counted on PostgreSQL only: the store speaks the same SQL to both backends (sqlx's
//! `Any` driver), and PostgreSQL runs a statement on the task that asks it, where a
//! subscriber set for this test's thread sees sqlx's one `sqlx::query` event per
//! statement; SQLite runs statements on a worker thread of its own, out of that sight.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use qaward_app::testing::Backend;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, SubscriberExt};

use crate::common::{Session, TestApp};

/// Counts the statements sqlx runs.
struct Statements(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, _: &tracing::Event<'_>, _: Context<'_, S>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The statements a request of `path` runs, on this thread (a current-thread runtime:
/// the request and its queries run here). The page is read three times and the smallest
/// count kept: what happens now and then and not because of the rows — a pool opening a
/// connection (its `SET search_path`) or tending its connections on this thread, a
/// session's renewal — is not the page's, and seldom falls on all three.
async fn statements(t: &TestApp, path: &str, who: Option<&Session>) -> usize {
    let mut fewest = usize::MAX;
    for _ in 0..3 {
        let n = Arc::new(AtomicUsize::new(0));
        let counting = tracing_subscriber::registry().with(
            Statements(n.clone())
                .with_filter(Targets::new().with_target("sqlx::query", tracing::Level::TRACE)),
        );
        let guard = tracing::subscriber::set_default(counting);
        let a = t.get(path, who).await;
        drop(guard);
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        fewest = fewest.min(n.load(Ordering::Relaxed));
    }
    fewest
}

/// The pages and API lists whose rows grow with the applications of a cycle, as the
/// people who read them.
async fn counts(t: &TestApp, s: &Sessions) -> BTreeMap<&'static str, usize> {
    let pages: [(&'static str, Option<&Session>); 22] = [
        ("/", None),
        ("/notices", None),
        ("/", Some(&s.office)),
        ("/office", Some(&s.office)),
        ("/queue", Some(&s.reviewer)),
        ("/queue", Some(&s.government)),
        ("/opinions", Some(&s.dept)),
        ("/audit", Some(&s.auditor)),
        ("/api/v1/office-queue", Some(&s.office)),
        ("/api/v1/channel-queue", Some(&s.reviewer)),
        ("/api/v1/opinion-queue", Some(&s.dept)),
        ("/api/v1/notices", None),
        ("/api/v1/dashboard", Some(&s.office)),
        ("/registrations", Some(&s.reviewer)),
        ("/api/v1/registrations", Some(&s.reviewer)),
        ("/admin/users", Some(&s.admin)),
        ("/api/v1/users", Some(&s.admin)),
        ("/api/v1/audit", Some(&s.auditor)),
        ("/commendation", Some(&s.office)),
        ("/honours", None),
        ("/cycles", Some(&s.office)),
        ("/notifications", Some(&s.office)),
    ];
    let mut out = BTreeMap::new();
    for (i, (path, who)) in pages.into_iter().enumerate() {
        // The same path read by two people is two rows.
        let key: &'static str = Box::leak(format!("{i:02} {path}").into_boxed_str());
        out.insert(key, statements(t, path, who).await);
    }
    out
}

struct Sessions {
    office: Session,
    reviewer: Session,
    government: Session,
    dept: Session,
    auditor: Session,
    admin: Session,
}

#[tokio::test]
async fn no_page_asks_more_questions_for_more_rows() {
    let t = TestApp::new(Backend::Postgres).await;
    let s = Sessions {
        office: t.login("office").await,
        reviewer: t.login("county-reviewer").await,
        government: t.login("county-government").await,
        dept: t.login("opinion-dept").await,
        auditor: t.login("supervisor").await,
        admin: t.login("admin").await,
    };
    let first = t.listed_enterprises(0..2).await;
    let few = counts(&t, &s).await;
    let few_notice = statements(&t, "/notices/1", None).await;
    let few_application = statements(
        &t,
        &format!("/applications/{}", first[0].0),
        Some(&s.office),
    )
    .await;
    t.listed_enterprises(2..8).await;
    let many = counts(&t, &s).await;
    let many_notice = statements(&t, "/notices/2", None).await;
    let many_application = statements(
        &t,
        &format!("/applications/{}", first[1].0),
        Some(&s.office),
    )
    .await;
    // The counter sees the statements: every page asks at least one question.
    assert!(few.values().all(|&n| n > 0), "{few:?}");
    assert_eq!(
        few, many,
        "statements per page with 2 and with 8 applications"
    );
    assert_eq!(
        few_notice, many_notice,
        "a notice of 2 entries and one of 6"
    );
    assert_eq!(few_application, many_application);
}

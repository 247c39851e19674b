//! The application pages as a browser without JavaScript uses them: form posts from the
//! page, redirects back, refusals shown with their rule.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use qaward_store::Backend;

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

on_both!(a14_2_the_county_path_through_the_pages);

fn location(a: &common::Answer) -> String {
    a.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

async fn a14_2_the_county_path_through_the_pages(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.login("applicant-org").await;
    // Home lists the application; the start page starts it.
    assert!(
        t.get("/", Some(&org))
            .await
            .body
            .contains("href=\"/applications/mine\"")
    );
    let a = t.get("/applications/mine", Some(&org)).await;
    assert!(
        a.body.contains("action=\"/applications/start\""),
        "{}",
        a.body
    );
    let a = t.post_form("/applications/start", Some(&org), &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let page = location(&a);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        location(&t.get("/applications/mine", Some(&org)).await),
        page
    );

    // The draft form names every section of the rubric and every declaration.
    let body = t.get(&page, Some(&org)).await.body;
    for needle in [
        "name=\"section:4.1\"",
        "name=\"section:4.7\"",
        "value=\"A10.4\"",
        "name=\"authenticity\"",
        "name=\"no_state_secrets\"",
        "收取任何费用",
    ] {
        assert!(body.contains(needle), "{needle}");
    }
    let a = t
        .post_form(
            &format!("/applications/{id}/draft"),
            Some(&org),
            &[
                ("section:4.1", "高层领导作用……"),
                ("declare", "A10.1"),
                ("declare", "A10.2"),
                ("declare", "A10.3"),
                ("declare", "A10.4"),
                ("authenticity", "1"),
                ("no_state_secrets", "1"),
            ],
        )
        .await;
    assert_eq!(location(&a), page);
    let body = t.get(&page, Some(&org)).await.body;
    assert!(
        body.contains("高层领导作用……") && !body.contains("尚未满足"),
        "{body}"
    );

    // A notice still running: the submission shows the refusal with its rule.
    t.post_form(
        &format!("/applications/{id}/in-unit-notice"),
        Some(&org),
        &[("start", "2026-11-24"), ("end", "")],
    )
    .await;
    let a = t
        .post_form(
            &format!("/applications/{id}/submit"),
            Some(&org),
            &[("channel", "county:xinfu")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("A14.1") && a.body.contains("2026-11-30"),
        "{}",
        a.body
    );

    // Later, with the notice run: submit, review and recommend through the pages.
    drop(t);
    let t = TestApp::new_at(backend, "2026-12-01").await;
    let org = t.login("applicant-org").await;
    let page = location(&t.post_form("/applications/start", Some(&org), &[]).await);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    t.post_form(
        &format!("/applications/{id}/draft"),
        Some(&org),
        &[
            ("declare", "A10.1"),
            ("declare", "A10.2"),
            ("declare", "A10.3"),
            ("declare", "A10.4"),
            ("authenticity", "1"),
            ("no_state_secrets", "1"),
        ],
    )
    .await;
    assert_eq!(
        location(
            &t.post_form(
                &format!("/applications/{id}/in-unit-notice"),
                Some(&org),
                &[("start", "2026-11-23")]
            )
            .await
        ),
        page
    );
    let body = t.get(&page, Some(&org)).await.body;
    assert!(
        body.contains("2026-11-23 – 2026-11-27")
            && body.contains(
                "action=\"/applications/{id}/submit\""
                    .replace("{id}", &id.to_string())
                    .as_str()
            ),
        "{body}"
    );
    let a = t
        .post_form(
            &format!("/applications/{id}/submit"),
            Some(&org),
            &[("channel", "county:xinfu")],
        )
        .await;
    assert_eq!(location(&a), page, "{}", a.body);
    assert!(
        t.get(&page, Some(&org))
            .await
            .body
            .contains("已报送，待审核")
    );

    let reviewer = t.login("county-reviewer").await;
    let queue = t.get("/queue", Some(&reviewer)).await.body;
    assert!(
        queue.contains(&format!("href=\"/applications/{id}\"")),
        "{queue}"
    );
    let body = t.get(&page, Some(&reviewer)).await.body;
    assert!(
        body.contains(&format!("action=\"/applications/{id}/review\""))
            && !body.contains("name=\"section:4.1\""),
        "{body}"
    );
    let a = t
        .post_form(
            &format!("/applications/{id}/review"),
            Some(&reviewer),
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("A15.1"), "{}", a.body);
    let a = t
        .post_form(
            &format!("/applications/{id}/review"),
            Some(&reviewer),
            &[("decision", "pass"), ("completeness", "齐全")],
        )
        .await;
    assert_eq!(location(&a), "/queue");

    let gov = t.login("county-government").await;
    assert!(t.get("/", Some(&gov)).await.body.contains("待审核推荐: 1"));
    let a = t
        .post_form(
            "/recommend",
            Some(&gov),
            &[("application", &id.to_string())],
        )
        .await;
    assert_eq!(location(&a), "/queue", "{}", a.body);
    assert!(
        t.get(&page, Some(&org))
            .await
            .body
            .contains("已推荐至领导小组办公室")
    );
}

//! The application pages as a browser without JavaScript uses them: form posts from the
//! page, redirects back, refusals shown with their rule.

mod common;

use axum::http::Method;
use axum::http::StatusCode;
use common::TestApp;
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
    a14_2_the_county_path_through_the_pages,
    a16_3_public_notice_and_objection_work_without_login
);

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
    // The checklist is kept with the application.
    assert!(
        t.get(&page, Some(&org))
            .await
            .body
            .contains("completeness: 齐全")
    );

    let gov = t.login("county-government").await;
    assert!(t.get("/", Some(&gov)).await.body.contains("待审核推荐: 1"));
    let a = t
        .post_form(
            "/recommend",
            Some(&gov),
            &[("application", &id.to_string())],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    // The recommendation letter, filled in and ready to print (A15.2).
    assert!(
        a.body.contains("关于推荐申报忻州市市长质量奖的函")
            && a.body.contains("忻府区人民政府")
            && a.body.contains("2026年12月01日"),
        "{}",
        a.body
    );
    assert!(
        a.body.contains("<li>忻州市示例精密机械有限公司</li>"),
        "{}",
        a.body
    );
    assert!(
        t.get(&page, Some(&org))
            .await
            .body
            .contains("已推荐至领导小组办公室")
    );
}

async fn a16_3_public_notice_and_objection_work_without_login(backend: Backend) {
    let t = TestApp::new(backend).await;
    // The person's application through the industry department, the Office and the
    // departments, onto the acceptance list starting Monday Nov 30.
    let p = t.login("applicant-person").await;
    let id = t
        .api(Method::POST, "/api/v1/applications", Some(&p), None)
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    t.api(Method::PUT, &format!("/api/v1/applications/{id}"), Some(&p), Some(json!({ "declarations": ["A11.1", "A11.2"], "authenticity": true, "no_state_secrets": true }))).await;
    t.api(
        Method::POST,
        &format!("/api/v1/applications/{id}/in-unit-notice"),
        Some(&p),
        Some(json!({ "start": "2026-11-16" })),
    )
    .await;
    t.api(
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        Some(&p),
        Some(json!({ "channel": "industry:industry-it" })),
    )
    .await;
    let dept = t.login("industry-dept").await;
    t.api(
        Method::POST,
        &format!("/api/v1/applications/{id}/channel-review"),
        Some(&dept),
        Some(json!({ "decision": "pass" })),
    )
    .await;
    t.api(
        Method::POST,
        "/api/v1/recommendations",
        Some(&dept),
        Some(json!({ "applications": [id] })),
    )
    .await;
    let office = t.login("office").await;
    assert!(
        t.get("/office", Some(&office))
            .await
            .body
            .contains("李质量")
    );
    let a = t
        .post_form(
            &format!("/office/{id}/opinions"),
            Some(&office),
            &[("department", "public-security"), ("due", "2026-12-04")],
        )
        .await;
    assert_eq!(location(&a), "/office", "{}", a.body);
    let police = t.login("opinion-dept").await;
    let rid = t
        .api(Method::GET, "/api/v1/opinion-queue", Some(&police), None)
        .await
        .json()[0]["id"]
        .as_i64()
        .unwrap();
    assert!(
        t.get("/opinions", Some(&police))
            .await
            .body
            .contains(&format!("action=\"/opinions/{rid}/answer\""))
    );
    assert_eq!(
        location(
            &t.post_form(
                &format!("/opinions/{rid}/answer"),
                Some(&police),
                &[("adverse", "no"), ("answer", "")]
            )
            .await
        ),
        "/opinions"
    );
    // The Office's queue counts the answered opinion against the right application.
    let queue = t
        .api(Method::GET, "/api/v1/office-queue", Some(&office), None)
        .await
        .json();
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{queue}"))
        .clone();
    assert_eq!(
        (
            &item["opinions_requested"],
            &item["opinions_answered"],
            &item["opinions_adverse"]
        ),
        (&json!(1), &json!(1), &json!(0)),
        "{queue}"
    );
    assert_eq!(
        location(
            &t.post_form(
                &format!("/office/{id}/formal-review"),
                Some(&office),
                &[("decision", "pass")]
            )
            .await
        ),
        "/office"
    );
    let a = t
        .post_form(
            "/office/acceptance-list",
            Some(&office),
            &[
                ("application", &id.to_string()),
                ("start", "2026-11-30"),
                ("contact", "0350-3000000"),
            ],
        )
        .await;
    let notice = location(&a);
    assert!(notice.starts_with("/notices/"), "{}", a.body);

    // The public: the list and the notice, no login; the objection form posts without
    // JavaScript and gives a follow-up code.
    t.set_today("2026-12-01");
    assert!(
        t.get("/notices", None)
            .await
            .body
            .contains(&format!("href=\"{notice}\""))
    );
    let body = t.get(&notice, None).await.body;
    assert!(
        body.contains("李质量")
            && body.contains("2026-11-30 – 2026-12-04")
            && body.contains("0350-3000000"),
        "{body}"
    );
    assert!(
        body.contains(&format!("action=\"{notice}/objections\"")) && !body.contains("<script"),
        "{body}"
    );
    let a = t
        .post_form(
            &format!("{notice}/objections"),
            None,
            &[
                ("application", &id.to_string()),
                ("content", "质量工作年限存疑"),
                ("name", ""),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let code = a
        .body
        .split("<strong>")
        .nth(1)
        .and_then(|s| s.split("</strong>").next())
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 16, "{code}");
    let st = t
        .post_form("/objections/status", None, &[("code", &code)])
        .await;
    assert!(st.body.contains("处理中"), "{}", st.body);
    // The Leading Group sees and handles it on its page.
    let lg = t.login("leading-group").await;
    assert!(t.get("/", Some(&lg)).await.body.contains("异议处理: 1"));
    let oid = t
        .api(Method::GET, "/api/v1/objections", Some(&lg), None)
        .await
        .json()[0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        location(
            &t.post_form(
                &format!("/objections/{oid}/handle"),
                Some(&lg),
                &[("decision", "dismiss"), ("reason", "经核实属实")]
            )
            .await
        ),
        "/objections"
    );
    assert!(
        t.post_form("/objections/status", None, &[("code", &code)])
            .await
            .body
            .contains("经核实属实")
    );

    // After the window the form is gone and a post is refused with the rule.
    t.set_today("2026-12-07");
    let body = t.get(&notice, None).await.body;
    assert!(
        body.contains("公示期已结束") && !body.contains(&format!("action=\"{notice}/objections\"")),
        "{body}"
    );
    let a = t
        .post_form(
            &format!("{notice}/objections"),
            None,
            &[("application", &id.to_string()), ("content", "迟到")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("A16.3") && a.body.contains("2026-12-04"),
        "{}",
        a.body
    );
    // The Office accepts it from its page.
    assert_eq!(
        location(
            &t.post_form(&format!("/office/{id}/accept"), Some(&office), &[])
                .await
        ),
        "/office"
    );
    assert!(
        t.get(&format!("/applications/{id}"), Some(&p))
            .await
            .body
            .contains("已受理")
    );
}

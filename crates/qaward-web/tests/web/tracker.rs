//! The application page's tracker and the message after every form (issue #9 item 8),
//! and an attachment removed before submission through the page and the API (item 6),
//! on SQLite and PostgreSQL.

use axum::http::{Method, StatusCode};

use crate::common::{PERSON, Session, TestApp, ok};
use qaward_app::testing::Backend;

qaward_app::testing::on_both!(
    a14_3_an_attachment_is_removed_through_the_page_and_the_api_before_submission_only,
    a15_1_a_return_s_reason_heads_the_applicant_s_page_above_the_tracker,
    every_form_says_what_it_did_once_and_an_unknown_code_says_nothing,
);

/// The `role="status"` box the frame shows after a form, if any.
fn done_box(page: &str) -> Option<&str> {
    let start = page.find(r#"<div class="done" role="status">"#)?;
    let rest = &page[start..];
    Some(&rest[..rest.find("</div>")?])
}

async fn a14_3_an_attachment_is_removed_through_the_page_and_the_api_before_submission_only(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let person = t.user("applicant-person").await;
    let id = person.prepare(PERSON).await;
    let first = ok(&person
        .attach(id, "internal", "evidence", b"%PDF-1.7 evidence one")
        .await)["id"]
        .as_i64()
        .unwrap();
    let second = ok(&person
        .attach(id, "internal", "evidence", b"%PDF-1.7 evidence two")
        .await)["id"]
        .as_i64()
        .unwrap();
    let page = format!("/applications/{id}");
    let html = t.page(&page, Some(&person.s)).await;
    let remove = format!("/applications/{id}/attachments/{first}/remove");
    assert!(html.contains(&remove), "{html}");
    assert!(html.contains("如需替换附件"), "{html}");
    // Another applicant learns nothing: not found, and no file name.
    let org = t.login("applicant-org").await;
    for a in [
        t.post_form(&remove, Some(&org), &[]).await,
        t.api(
            Method::DELETE,
            &format!("/api/v1/applications/{id}/attachments/{first}"),
            Some(&org),
            None,
        )
        .await,
    ] {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        assert!(!a.body.contains("年报"), "{}", a.body);
    }
    // The applicant removes one on the page, and is told so.
    let (to, done) = t.form_done(&remove, &person.s, &[]).await;
    assert_eq!(
        (to.as_str(), done.as_deref()),
        (page.as_str(), Some("detached"))
    );
    let html = t
        .page(&format!("{page}?done=detached"), Some(&person.s))
        .await;
    assert_eq!(
        done_box(&html).map(|b| b.contains("已删除附件")),
        Some(true)
    );
    assert!(!html.contains(&remove), "{html}");
    // And the other over the API.
    let api = format!("/api/v1/applications/{id}/attachments/{second}");
    let a = t.api(Method::DELETE, &api, Some(&person.s), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let v = person.read(&format!("/api/v1/applications/{id}")).await;
    let ids: Vec<i64> = v["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .collect();
    assert!(!ids.contains(&first) && !ids.contains(&second), "{v}");
    // Once submitted, the materials are sealed (A14.3) and the page offers no removal.
    let scan = ids[0];
    ok(&person.submit(id, "industry:industry-it").await);
    let a = t
        .api(
            Method::DELETE,
            &format!("/api/v1/applications/{id}/attachments/{scan}"),
            Some(&person.s),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert_eq!(a.rule(), "A14.3");
    let html = t.page(&page, Some(&person.s)).await;
    assert!(!html.contains("/remove"), "{html}");
}

async fn a15_1_a_return_s_reason_heads_the_applicant_s_page_above_the_tracker(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.user("applicant-org").await;
    let id = org.prepare(crate::common::ORG).await;
    ok(&org.submit(id, "county:xinfu").await);
    let page = format!("/applications/{id}");
    let html = t.page(&page, Some(&org.s)).await;
    // The steps in order, the current one marked for screen readers.
    let steps = [
        "起草",
        "单位内部公示",
        "报送审核",
        "审核通过",
        "推荐",
        "形式审查",
        "受理名单公示",
        "受理",
        "评审",
    ];
    let at: Vec<usize> = steps
        .iter()
        .map(|s| {
            html.find(&format!("<strong>{s}</strong>"))
                .unwrap_or_else(|| panic!("{s}: {html}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    let current = &html[html.find(r#"aria-current="step""#).expect("a current step")..];
    assert!(
        current.starts_with(r#"aria-current="step"><strong>报送审核</strong>"#),
        "{current}"
    );
    // The reviewer returns it through the page; the queue says so.
    let reviewer: Session = t.login("county-reviewer").await;
    let form = [
        ("decision", "return"),
        ("reason", "请补充近三年的质量奖惩证明"),
        ("in_unit_notice_clear", "true"),
    ];
    let (to, done) = t
        .form_done(&format!("{page}/review"), &reviewer, &form)
        .await;
    assert_eq!((to.as_str(), done.as_deref()), ("/queue", Some("returned")));
    let queue = t.page("/queue?done=returned", Some(&reviewer)).await;
    assert!(
        done_box(&queue).is_some_and(|b| b.contains("已退回补正")),
        "{queue}"
    );
    // The applicant reads the reason first, above the tracker and the forms.
    let html = t.page(&page, Some(&org.s)).await;
    let reason = html.find("请补充近三年的质量奖惩证明").expect("the reason");
    let tracker = html.find("办理进度").expect("the tracker");
    let sections = html.find("<h2>申报材料</h2>").unwrap_or(html.len());
    assert!(reason < tracker && tracker < sections, "{html}");
    assert!(html.contains(r#"role="alert""#), "{html}");
}

async fn every_form_says_what_it_did_once_and_an_unknown_code_says_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.login("applicant-org").await;
    let (to, done) = t.form_done("/applications/start", &org, &[]).await;
    assert_eq!(done.as_deref(), Some("started"));
    let (back, done) = t
        .form_done(&format!("{to}/draft"), &org, &[("authenticity", "true")])
        .await;
    assert_eq!(
        (back.as_str(), done.as_deref()),
        (to.as_str(), Some("draft-saved"))
    );
    let html = t.page(&format!("{to}?done=draft-saved"), Some(&org)).await;
    assert!(
        done_box(&html).is_some_and(|b| b.contains("已保存草稿")),
        "{html}"
    );
    // The next reading of the page says nothing more.
    assert_eq!(done_box(&t.page(&to, Some(&org)).await), None);
    // Unknown codes say nothing, and the parameter is never echoed.
    for q in [
        "done=bogus",
        "done=%3Cscript%3E",
        "done=",
        "done=draft-saved-x",
    ] {
        let html = t.page(&format!("{to}?{q}"), Some(&org)).await;
        assert_eq!(done_box(&html), None, "{q}");
        assert!(!html.contains("bogus") && !html.contains("<script>"), "{q}");
    }
    // Pages everyone reads say it too, after logging out.
    let (home, done) = t.form_done("/logout", &org, &[]).await;
    assert_eq!((home.as_str(), done.as_deref()), ("/", Some("logged-out")));
    let html = t.page("/?done=logged-out", None).await;
    assert!(
        done_box(&html).is_some_and(|b| b.contains("已退出登录")),
        "{html}"
    );
}

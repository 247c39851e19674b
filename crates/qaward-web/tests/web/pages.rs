//! The pages as a browser without JavaScript uses them: form posts from the page,
//! redirects back, refusals shown with their rule, labels in Chinese. Earlier steps of a
//! story are taken through the use cases (`qaward_app::testing`), so that each test
//! shows the pages of its own step.

use crate::common::{self, Session, TestApp, last_id, location};
use axum::http::{Method, StatusCode};
use qaward_app::objections;
use qaward_app::testing::Backend;
use qaward_app::testing::d;

qaward_app::testing::on_both!(
    a14_3_the_applicant_drafts_through_the_pages_with_its_commitments,
    a14_1_a14_2_a_running_notice_holds_the_submission_then_it_goes_through,
    a15_1_the_channel_reviews_and_recommends_through_the_pages,
    a16_2_the_office_and_the_departments_work_through_their_pages,
    a16_3_the_public_objects_without_login_and_the_leading_group_handles_it,
);

const DECLARATIONS: [(&str, &str); 6] = [
    ("declarations[]", "A10.1"),
    ("declarations[]", "A10.2"),
    ("declarations[]", "A10.3"),
    ("declarations[]", "A10.4"),
    ("authenticity", "true"),
    ("no_state_secrets", "true"),
];

async fn a14_3_the_applicant_drafts_through_the_pages_with_its_commitments(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.login("applicant-org").await;
    // Home lists the application; the start page starts it.
    assert!(
        t.page("/", Some(&org))
            .await
            .contains("href=\"/applications/mine\"")
    );
    let start = t.page("/applications/mine", Some(&org)).await;
    assert!(start.contains("action=\"/applications/start\""), "{start}");
    let page = t.form_redirects("/applications/start", &org, &[]).await;
    let id = last_id(&page);
    assert_eq!(
        location(&t.get("/applications/mine", Some(&org)).await),
        page
    );

    // The draft form names every section of the rubric and every declaration.
    let body = t.page(&page, Some(&org)).await;
    for needle in [
        "name=\"sections[4.1]\"",
        "name=\"sections[4.7]\"",
        "value=\"A10.4\"",
        "name=\"authenticity\"",
        "收取任何费用",
        "草稿",
    ] {
        assert!(body.contains(needle), "{needle}");
    }
    let mut fields = vec![("sections[4.1]", "高层领导作用……")];
    fields.extend(DECLARATIONS);
    assert_eq!(
        t.form_redirects(&format!("/applications/{id}/draft"), &org, &fields)
            .await,
        page
    );
    let body = t.page(&page, Some(&org)).await;
    assert!(
        body.contains("高层领导作用……") && !body.contains("尚未满足"),
        "{body}"
    );
}

/// The demo enterprise's draft, started on 2026-11-24 and saved through the pages with
/// every declaration; its page's path and id.
async fn drafted(t: &TestApp, org: &Session) -> (String, i64) {
    let page = t
        .on_day("2026-11-24", async || {
            t.form_redirects("/applications/start", org, &[]).await
        })
        .await;
    let id = last_id(&page);
    t.form_redirects(&format!("/applications/{id}/draft"), org, &DECLARATIONS)
        .await;
    (page, id)
}

async fn a14_1_a14_2_a_running_notice_holds_the_submission_then_it_goes_through(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.login("applicant-org").await;
    let (page, id) = drafted(&t, &org).await;
    // A notice still running: the submission is refused with its rule and its end.
    let notice = [("start", "2026-11-24"), ("end", "")];
    t.form_redirects(&format!("/applications/{id}/in-unit-notice"), &org, &notice)
        .await;
    assert!(
        t.page(&page, Some(&org))
            .await
            .contains("2026年11月24日 – 2026年11月30日")
    );
    let a = t
        .post_form(
            &format!("/applications/{id}/submit"),
            Some(&org),
            &[("channel", "county:xinfu")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("第十四条（A14.1）") && a.body.contains("2026年11月30日"),
        "{}",
        a.body
    );

    // A form without its field is refused naming the field, and nothing changes.
    let a = t
        .post_form(&format!("/applications/{id}/submit"), Some(&org), &[])
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("报送渠道：此项为必填项"), "{}", a.body);
    assert_eq!(t.state_of(&org, id).await, "in-unit-notice");

    // With the notice run, the submission still needs the scan of the posted notice.
    t.set_today("2026-12-01");
    let to = [("channel", "county:xinfu")];
    let a = t
        .post_form(&format!("/applications/{id}/submit"), Some(&org), &to)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("A14.1"), "{}", a.body);
    let scan = [
        ("class", "internal"),
        ("purpose", "in-unit-scan"),
        ("section", ""),
    ];
    let path = format!("/applications/{id}/attachments");
    let a = t
        .upload_form(&path, Some(&org), &scan, "公示.pdf", b"%PDF-1.7 notice")
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    // Then it goes through and the page says so in Chinese.
    assert_eq!(
        t.form_redirects(&format!("/applications/{id}/submit"), &org, &to)
            .await,
        page
    );
    let body = t.page(&page, Some(&org)).await;
    assert!(
        body.contains("已报送，待审核") && body.contains("报送：单位内部公示中 → 已报送，待审核"),
        "{body}"
    );
    assert!(
        !body.contains("in-unit-notice"),
        "no machine codes on the page: {body}"
    );
}

async fn a15_1_the_channel_reviews_and_recommends_through_the_pages(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org_p = t.as_user("applicant-org").await;
    let id = t.submitted(&org_p, "county:xinfu").await.0;
    let page = format!("/applications/{id}");
    let reviewer = t.login("county-reviewer").await;
    let queue = t.page("/queue", Some(&reviewer)).await;
    assert!(
        queue.contains(&format!("href=\"{page}\"")) && queue.contains("已报送，待审核"),
        "{queue}"
    );
    let body = t.page(&page, Some(&reviewer)).await;
    assert!(
        body.contains(&format!("action=\"{page}/review\""))
            && !body.contains("name=\"sections[4.1]\""),
        "{body}"
    );

    // A rejection without its reason is refused with the rule; a pass keeps its checklist.
    let a = t
        .post_form(
            &format!("{page}/review"),
            Some(&reviewer),
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("A15.1"), "{}", a.body);
    // Passing needs the reviewer's confirmation that the in-unit notice ran clear.
    let pass = [("decision", "pass"), ("completeness", "齐全")];
    let a = t
        .post_form(&format!("{page}/review"), Some(&reviewer), &pass)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("A14.1"), "{}", a.body);
    let pass = [
        ("decision", "pass"),
        ("completeness", "齐全"),
        ("in_unit_notice_clear", "true"),
    ];
    assert_eq!(
        t.form_redirects(&format!("{page}/review"), &reviewer, &pass)
            .await,
        "/queue"
    );
    let org = t.login("applicant-org").await;
    let body = t.page(&page, Some(&org)).await;
    assert!(
        body.contains("审核部门审核") && body.contains("完整性：齐全"),
        "{body}"
    );

    // The county government recommends from its queue and gets the letter to print.
    let gov = t.login("county-government").await;
    assert!(t.page("/", Some(&gov)).await.contains("待审核推荐: 1"));
    let a = t
        .post_form(
            "/recommend",
            Some(&gov),
            &[("applications", &id.to_string())],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for needle in [
        "关于推荐申报忻州市市长质量奖的函",
        "忻府区人民政府",
        "2026年11月27日",
        "<li>忻州市示例精密机械有限公司</li>",
    ] {
        assert!(a.body.contains(needle), "{needle}: {}", a.body);
    }
    assert!(
        t.page(&page, Some(&org))
            .await
            .contains("已推荐，待形式审查")
    );
}

async fn a16_2_the_office_and_the_departments_work_through_their_pages(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    assert!(
        t.page("/office", Some(&office))
            .await
            .contains("忻州市示例精密机械有限公司")
    );
    let ask = [("departments[]", "public-security"), ("due", "2026-12-04")];
    assert_eq!(
        t.form_redirects(&format!("/office/{id}/opinions"), &office, &ask)
            .await,
        "/office"
    );

    let police = t.login("opinion-dept").await;
    let queue = t
        .call(Method::GET, "/api/v1/opinion-queue", &police, None)
        .await["items"]
        .clone();
    let rid = queue[0]["id"].as_i64().unwrap();
    let page = t.page("/opinions", Some(&police)).await;
    assert!(
        page.contains(&format!("href=\"/opinions/{rid}\"")) && page.contains("2026年12月4日"),
        "{page}"
    );
    let letter = t.page(&format!("/opinions/{rid}"), Some(&police)).await;
    assert!(
        letter.contains(&format!("action=\"/opinions/{rid}/answer\""))
            && letter.contains("91140900AY4CL12THD"),
        "{letter}"
    );
    let answer = [("adverse", "false"), ("answer", "")];
    assert_eq!(
        t.form_redirects(&format!("/opinions/{rid}/answer"), &police, &answer)
            .await,
        "/opinions"
    );

    // The Office's queue counts the answered opinion against the right application.
    let queue = t
        .call(Method::GET, "/api/v1/office-queue", &office, None)
        .await["items"]
        .clone();
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(
        (
            item["opinions_requested"].as_i64(),
            item["opinions_answered"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let pass = [("decision", "pass")];
    assert_eq!(
        t.form_redirects(&format!("/office/{id}/formal-review"), &office, &pass)
            .await,
        "/office"
    );
    let list = [
        ("applications[]", &*id.to_string()),
        ("start", "2026-11-30"),
        ("contact", "0350-3000000"),
    ];
    let notice = t
        .form_redirects("/office/acceptance-list", &office, &list)
        .await;
    assert!(notice.starts_with("/notices/"), "{notice}");
    assert!(
        t.page("/office", Some(&office))
            .await
            .contains("受理名单公示中")
    );
}

/// Puts the formally reviewed demo enterprise on an acceptance list from Monday
/// 2026-11-30 (to Friday 2026-12-04); returns the application and the notice's path.
async fn listed(t: &TestApp) -> (i64, String) {
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let n = qaward_app::acceptance::publish_acceptance_list(
        &t.app,
        &office,
        &[id],
        d("2026-11-30"),
        None,
        "0350-3000000",
    )
    .await
    .unwrap();
    (id.0, format!("/notices/{n}"))
}

async fn object(t: &TestApp, notice: &str, id: i64, content: &str) -> common::Answer {
    let fields = [
        ("application", &*id.to_string()),
        ("content", content),
        ("name", ""),
        ("contact", ""),
    ];
    t.post_form(&format!("{notice}/objections"), None, &fields)
        .await
}

async fn a16_3_the_public_objects_without_login_and_the_leading_group_handles_it(backend: Backend) {
    let t = TestApp::new(backend).await;
    let (id, notice) = listed(&t).await;
    t.set_today("2026-12-01");
    assert!(
        t.page("/notices", None)
            .await
            .contains(&format!("href=\"{notice}\""))
    );
    let body = t.page(&notice, None).await;
    for needle in [
        "忻州市示例精密机械有限公司",
        "2026年11月30日 – 2026年12月4日",
        "0350-3000000",
        &format!("action=\"{notice}/objections\""),
    ] {
        assert!(body.contains(needle), "{needle}: {body}");
    }
    assert!(!body.contains("<script"), "{body}");
    // An objection without its content is refused on the notice, the rest kept.
    let fields = [
        ("application", &*id.to_string()),
        ("content", ""),
        ("evidence", "附件：工作证明复印件"),
    ];
    let a = t
        .post_form(&format!("{notice}/objections"), None, &fields)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("此项为必填项")
            && a.body.contains("附件：工作证明复印件</textarea>")
            && a.body.contains(&format!("action=\"{notice}/objections\"")),
        "{}",
        a.body
    );
    let a = object(&t, &notice, id, "质量工作年限存疑").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let code = common::between(&a.body, "<strong>", "</strong>")
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 16, "{code}");
    let status = t
        .post_form("/objections/status", None, &[("code", &code)])
        .await;
    assert!(status.body.contains("待处理"), "{}", status.body);

    // The Leading Group sees and dismisses it on its page; the follow-up shows why.
    let lg = t.login("leading-group").await;
    assert!(t.page("/", Some(&lg)).await.contains("异议处理: 1"));
    let lg_p = t.as_user("leading-group").await;
    let oid = objections::objection_queue(&t.app, &lg_p)
        .await
        .unwrap()
        .items[0]
        .id;
    let dismiss = [("decision", "dismiss"), ("reason", "经核实属实")];
    assert_eq!(
        t.form_redirects(&format!("/objections/{oid}/handle"), &lg, &dismiss)
            .await,
        "/objections"
    );
    let status = t
        .post_form("/objections/status", None, &[("code", &code)])
        .await;
    assert!(
        status.body.contains("异议不成立：经核实属实"),
        "{}",
        status.body
    );

    // After the window the form is gone and a post is refused with the rule.
    t.set_today("2026-12-07");
    let body = t.page(&notice, None).await;
    assert!(
        body.contains("公示期已结束") && !body.contains(&format!("action=\"{notice}/objections\"")),
        "{body}"
    );
    let a = object(&t, &notice, id, "迟到").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body.contains("（A16.3）") && a.body.contains("2026年12月4日"),
        "{}",
        a.body
    );
    accept_from_the_office_page(&t, id).await;
}

async fn accept_from_the_office_page(t: &TestApp, id: i64) {
    let office: Session = t.login("office").await;
    assert_eq!(
        t.form_redirects(&format!("/office/{id}/accept"), &office, &[])
            .await,
        "/office"
    );
    let org = t.login("applicant-org").await;
    assert!(
        t.page(&format!("/applications/{id}"), Some(&org))
            .await
            .contains("已受理")
    );
}

//! The working-day calendar's years through the page and the API (issue #13 item 3), on
//! SQLite and PostgreSQL: the administrator previews a year and loads it with the State
//! Council notice's number, a refusal keeping the file as pasted; the Office reads the
//! years and what a load moved, and cannot load; nobody else reaches either.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;

use crate::common::TestApp;

const FICTIONAL_2027: &str =
    include_str!("../../../qaward-domain/tests/data/calendar-2027-fictional.toml");

qaward_app::testing::on_both!(
    a16_3_an_acceptance_list_ending_in_a_missing_year_waits_for_it_on_the_form,
    the_administrator_previews_and_loads_a_year_on_the_page,
    the_api_loads_a_year_and_refuses_everyone_else,
);

async fn the_administrator_previews_and_loads_a_year_on_the_page(b: Backend) {
    let t = TestApp::new(b).await;
    let admin = t.login("admin").await;
    let page = t.page("/calendar", Some(&admin)).await;
    assert!(
        page.contains("2026年12月31日")
            && page.contains("随系统提供")
            && page.contains("f-preview"),
        "{page}"
    );
    // The format by example: the latest year, which reads back as it is written.
    assert!(
        page.contains("数据格式样例") && page.contains("year = 2026"),
        "{page}"
    );
    let r = t
        .post_form(
            "/calendar/preview",
            Some(&admin),
            &[("text", FICTIONAL_2027)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("新增年份") && r.body.contains("春节 2027年2月6日 – 2027年2月13日（8天）"),
        "{}",
        r.body
    );
    // No notice number: refused above its field, the preview and the file kept.
    let r = t
        .post_form(
            "/calendar",
            Some(&admin),
            &[("text", FICTIONAL_2027), ("document_number", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("此项为必填项") && r.body.contains("新增年份"),
        "{}",
        r.body
    );
    let (to, done) = t
        .form_done(
            "/calendar",
            &admin,
            &[
                ("text", FICTIONAL_2027),
                ("document_number", "国办发明电〔2026〕99号"),
            ],
        )
        .await;
    assert_eq!(
        (to.as_str(), done.as_deref()),
        ("/calendar", Some("calendar-loaded"))
    );
    // Loaded again without asking to replace: refused, the file as pasted.
    let r = t
        .post_form(
            "/calendar/preview",
            Some(&admin),
            &[("text", FICTIONAL_2027)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("替换已有年份") && r.body.contains("测试用虚构安排"),
        "{}",
        r.body
    );
    // A make-up working day on a Friday: refused in Chinese, naming the day.
    let friday = FICTIONAL_2027.replace("date = 2027-01-31", "date = 2027-01-29");
    let r = t
        .post_form(
            "/calendar/preview",
            Some(&admin),
            &[("text", friday.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("调休上班日2027年1月29日本是工作日"),
        "{}",
        r.body
    );
    // The Office reads the years, with the notice's number, and has no form to load.
    let office = t.login("office").await;
    let page = t.page("/calendar", Some(&office)).await;
    assert!(
        page.contains("2027年12月31日")
            && page.contains("国办发明电〔2026〕99号")
            && !page.contains("f-preview"),
        "{page}"
    );
    let r = t
        .post_form(
            "/calendar/preview",
            Some(&office),
            &[("text", FICTIONAL_2027)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

async fn the_api_loads_a_year_and_refuses_everyone_else(b: Backend) {
    let t = TestApp::new(b).await;
    let admin = t.login("admin").await;
    let p = t
        .call(
            Method::POST,
            "/api/v1/calendar/years/preview",
            &admin,
            Some(serde_json::json!({ "text": FICTIONAL_2027 })),
        )
        .await;
    assert_eq!(p["year"]["year"], 2027);
    assert_eq!(p["replaces"], false);
    for who in [
        "office",
        "county-reviewer",
        "leading-group",
        "supervisor",
        "applicant-org",
    ] {
        let s = t.login(who).await;
        let body = serde_json::json!({ "text": FICTIONAL_2027, "document_number": "x" });
        let r = t
            .api(Method::POST, "/api/v1/calendar/years", Some(&s), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
    }
    for who in [
        "county-reviewer",
        "leading-group",
        "supervisor",
        "applicant-org",
    ] {
        let s = t.login(who).await;
        let r = t.api(Method::GET, "/api/v1/calendar", Some(&s), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        assert!(!r.body.contains("2026-12-31"), "{}", r.body);
    }
    let r = t
        .api(
            Method::POST,
            "/api/v1/calendar/years",
            Some(&admin),
            Some(serde_json::json!({ "text": FICTIONAL_2027, "document_number": "国办发明电〔2026〕99号" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let office = t.login("office").await;
    let v = t.call(Method::GET, "/api/v1/calendar", &office, None).await;
    assert_eq!(v["last"], "2027-12-31");
    assert_eq!(v["years"][0]["year"], 2027);
    assert_eq!(v["years"][0]["loaded"], true);
    assert_eq!(v["years"][0]["document_number"], "国办发明电〔2026〕99号");
    assert_eq!(v["years"][1]["loaded"], false);
}

/// An acceptance list published on Monday 2026-12-28 would end in 2027, which is not
/// loaded: the Office stays on its page with the reason in Chinese and what it typed; once
/// the administrator loads 2027, the same form publishes it, ending on 2027-01-04.
async fn a16_3_an_acceptance_list_ending_in_a_missing_year_waits_for_it_on_the_form(b: Backend) {
    let t = TestApp::new(b).await;
    let id = t.formally_reviewed().await.0.to_string();
    let office = t.login("office").await;
    let list = [
        ("applications[]", id.as_str()),
        ("start", "2026-12-28"),
        ("contact", "0350-3000000"),
    ];
    let r = t
        .post_form("/office/acceptance-list", Some(&office), &list)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("待国务院公布次年安排后确定")
            && r.body.contains("0350-3000000")
            && r.body.contains("2026-12-28"),
        "{}",
        r.body
    );
    let admin = t.login("admin").await;
    let load =
        serde_json::json!({ "text": FICTIONAL_2027, "document_number": "国办发明电〔2026〕99号" });
    let r = t
        .api(
            Method::POST,
            "/api/v1/calendar/years",
            Some(&admin),
            Some(load),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let notice = t
        .form_redirects("/office/acceptance-list", &office, &list)
        .await;
    assert!(notice.starts_with("/notices/"), "{notice}");
    let page = t.page(&notice, None).await;
    assert!(page.contains("2027年1月4日"), "{page}");
}

//! The versions of the measures through the page and the API (issue #13; A33, A34), on
//! SQLite and PostgreSQL: the Office previews a successor's file and sees what it changes
//! in Chinese, a refusal keeps the file and the document as typed, the adoption is listed
//! as the version in force; the API tells the same story; nobody else reaches either.
//! Once a cycle runs under the successor, its pages' hints cite the successor's article
//! numbers, prizes, notice lengths and years, while the running cycle's cite 2021's.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;

use crate::common::TestApp;

const SUCCESSOR: &str = include_str!("../../../qaward-domain/tests/data/hypothetical-2027.toml");

qaward_app::testing::on_both!(
    a34_the_office_previews_a_successor_on_the_page_and_adopts_it_with_its_document,
    a34_the_api_previews_and_adopts_and_refuses_everyone_else,
    a34_each_cycle_s_pages_cite_its_own_version_s_articles_prizes_and_lengths,
);

async fn a34_the_office_previews_a_successor_on_the_page_and_adopts_it_with_its_document(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let office = t.login("office").await;
    let page = t.page("/policies", Some(&office)).await;
    assert!(
        page.contains("xinzhou-2021") && page.contains("现行版本"),
        "{page}"
    );
    let r = t
        .post_form("/policies/preview", Some(&office), &[("source", SUCCESSOR)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("市长质量奖名额（个）") && r.body.contains("第四条（A4.3）"),
        "{}",
        r.body
    );
    // A document dated in the future: refused above its form, everything kept.
    let r = t
        .post_form(
            "/policies",
            Some(&office),
            &[
                ("source", SUCCESSOR),
                ("document_number", "忻政办发〔2026〕99号"),
                ("document_date", "2030-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("尚未到来")
            && r.body.contains("忻政办发〔2026〕99号")
            && r.body.contains("市长质量奖名额（个）"),
        "{}",
        r.body
    );
    let (to, done) = t
        .form_done(
            "/policies",
            &office,
            &[
                ("source", SUCCESSOR),
                ("document_number", "忻政办发〔2026〕99号"),
                ("document_date", "2026-11-26"),
            ],
        )
        .await;
    assert_eq!(
        (to.as_str(), done.as_deref()),
        ("/policies", Some("policy-adopted"))
    );
    let page = t.page("/policies", Some(&office)).await;
    assert!(
        page.contains("xinzhou-2027-test") && page.contains("忻政办发〔2026〕99号"),
        "{page}"
    );
    // A file that does not load: the message, and the text as sent.
    let r = t
        .post_form("/policies/preview", Some(&office), &[("source", "id = 1")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("办法数据文件有误") && r.body.contains("id = 1"),
        "{}",
        r.body
    );
    // Said in Chinese: where, and what kind of mistake.
    assert!(
        r.body.contains("第1行第6列：字段“id”的值类型不对"),
        "{}",
        r.body
    );
    // A value the measures cannot have (a fee, against A9.1): named and said in Chinese.
    let fee = SUCCESSOR.replace(
        "application_fee_yuan = { value = 0,",
        "application_fee_yuan = { value = 100,",
    );
    let r = t
        .post_form(
            "/policies/preview",
            Some(&office),
            &[("source", fee.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("fees.application_fee_yuan.value")
            && r.body.contains("本系统只支持不收取评审费用的管理办法"),
        "{}",
        r.body
    );
}

async fn a34_the_api_previews_and_adopts_and_refuses_everyone_else(b: Backend) {
    let t = TestApp::new(b).await;
    let admin = t.login("admin").await;
    let p = t
        .call(
            Method::POST,
            "/api/v1/policies/preview",
            &admin,
            Some(serde_json::json!({ "source": SUCCESSOR })),
        )
        .await;
    assert_eq!(p["code"], "xinzhou-2027-test");
    assert!(
        p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["article_after"] == "A4.3" && c["after"] == "5"),
        "{p}"
    );
    for who in ["county-reviewer", "leading-group", "supervisor"] {
        let s = t.login(who).await;
        let r = t.api(Method::GET, "/api/v1/policies", Some(&s), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        let body = serde_json::json!({ "source": SUCCESSOR, "document_number": "x", "document_date": "2026-11-26" });
        let r = t
            .api(Method::POST, "/api/v1/policies", Some(&s), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
        assert!(!r.body.contains("xinzhou-2027-test"), "{}", r.body);
    }
    let r = t
        .api(
            Method::POST,
            "/api/v1/policies",
            Some(&admin),
            Some(serde_json::json!({ "source": SUCCESSOR, "document_number": "忻政办发〔2026〕99号", "document_date": "2026-11-26" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = t.call(Method::GET, "/api/v1/policies", &admin, None).await;
    assert_eq!(v["versions"][0]["code"], "xinzhou-2027-test");
    assert_eq!(v["versions"][0]["in_force"], true);
    assert_eq!(v["versions"][1]["cycles"], 1);
}

/// The demo's cycle runs under 2021 while cycle 3 opens under the successor, which
/// renumbers articles 14 to 34, raises the prizes and lengthens the notices: each page
/// says what the version of the cycle it shows says (issue #13, item 2).
async fn a34_each_cycle_s_pages_cite_its_own_version_s_articles_prizes_and_lengths(b: Backend) {
    let t = TestApp::new(b).await;
    let office = t.login("office").await;
    let desk = t.page("/commendation", Some(&office)).await;
    assert!(
        desk.contains("奖金20万元") && desk.contains("（第二十一条）"),
        "{desk}"
    );
    let org = t.as_user("applicant-org").await;
    let running = t.prepared(&org).await;
    t.successor_with_a_cycle().await;
    let person = t.as_user("applicant-person").await;
    let next = t.prepared(&person).await;
    // The running cycle's application: 2021's article and five working days.
    let page = t
        .page(
            &format!("/applications/{}", running.0),
            Some(&t.login("applicant-org").await),
        )
        .await;
    assert!(
        page.contains("内部公示（第十四条）") && page.contains("不少于5个工作日"),
        "{page}"
    );
    // The new cycle's: the successor's fifteenth article and seven working days.
    let page = t
        .page(
            &format!("/applications/{}", next.0),
            Some(&t.login("applicant-person").await),
        )
        .await;
    assert!(
        page.contains("内部公示（第十五条）")
            && page.contains("不少于7个工作日")
            && !page.contains("第十四条"),
        "{page}"
    );
    // The desk works on the newest cycle: the successor's prizes and article.
    let desk = t.page("/commendation", Some(&office)).await;
    assert!(
        desk.contains("奖金30万元")
            && desk.contains("奖金4万元")
            && desk.contains("（第二十二条）"),
        "{desk}"
    );
    assert!(!desk.contains("20万元"), "{desk}");
    // The public home speaks for the newest cycle: every two years.
    let home = t.page("/", None).await;
    assert!(home.contains("每2年评选一届"), "{home}");
}

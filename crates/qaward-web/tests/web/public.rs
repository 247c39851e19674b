//! The public face: the home page with the award, the current cycle's timeline, the
//! latest notices and the Office's contact; notices that read as documents with their
//! issuer and date and print without the page's furniture; the recommendation letter
//! opened again from the application.

use axum::http::StatusCode;
use qaward_app::testing::Backend;
use qaward_app::testing::d;

use crate::common::TestApp;

qaward_app::testing::on_both!(
    the_public_home_page_shows_the_timeline_the_notices_and_the_contact,
    a16_3_a_notice_reads_as_a_document_with_its_issuer_and_date,
    a15_2_the_recommendation_letter_opens_again_from_the_application,
);

/// The signature block (落款) of a document page.
fn signature(page: &str) -> &str {
    let start = page.find("class=\"signature\"").expect("a signature");
    let end = page[start..].find("</p>").unwrap() + start;
    &page[start..end]
}

async fn the_public_home_page_shows_the_timeline_the_notices_and_the_contact(backend: Backend) {
    let t = TestApp::new(backend).await;
    let home = t.page("/", None).await;
    for text in [
        "忻州市市长质量奖",
        "评选日程",
        "第2届",
        "2026年11月2日 – 2026年12月18日",
        "推荐截止",
        "形式审查截止",
        "暂无公示",
        qaward_web::DEFAULT_OFFICE_CONTACT,
    ] {
        assert!(home.contains(text), "{text}: {home}");
    }
    let list = t.page("/notices", None).await;
    assert!(list.contains("暂无公示"), "{list}");
    assert!(!list.contains("待办"), "{list}");
    // Once the Office publishes the acceptance list, the home page links it.
    let notice = crate::cache::publish_beside_http(&t).await;
    let home = t.page("/", None).await;
    assert!(
        home.contains(&format!("href=\"/notices/{notice}\"")),
        "{home}"
    );
    assert!(!home.contains("暂无公示"));
    assert!(home.contains("href=\"/notices\">全部公示"), "{home}");
}

async fn a16_3_a_notice_reads_as_a_document_with_its_issuer_and_date(backend: Backend) {
    let t = TestApp::new(backend).await;
    let listed = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let notice = qaward_app::acceptance::publish_acceptance_list(
        &t.app,
        &office,
        &[listed],
        d("2026-11-30"),
        None,
        "市长质量奖办公室 0350-1234567",
    )
    .await
    .unwrap();
    let page = t.page(&format!("/notices/{notice}"), None).await;
    for text in [
        "根据《忻州市市长质量奖管理办法》第十六条规定",
        "现将受理名单予以公示，公示期为2026年11月30日 – ",
        "市长质量奖办公室 0350-1234567",
        "忻州市示例精密机械有限公司",
    ] {
        assert!(page.contains(text), "{text}: {page}");
    }
    // 落款: the Office, and a date written as documents are, never after the first day.
    let sig = signature(&page);
    assert!(
        sig.contains("忻州市标准化和质量强市领导小组办公室<br>2026年"),
        "{sig}"
    );
    assert!(sig.ends_with('日'), "{sig}");
    // The period, contact and objection form are outside the document, and printing
    // leaves them out.
    let doc_end = page.find("</article>").unwrap();
    assert!(page.find("class=\"card no-print\"").unwrap() > doc_end);
    let css = t.page("/static/qaward.css", None).await;
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    for hidden in ["header.top", "nav", "button", "form", ".no-print"] {
        assert!(print.contains(hidden), "{hidden} in print: {print}");
    }
    // In English, the text is English and the 落款 stays the document's.
    let en = t
        .send(
            axum::http::Request::get(format!("/notices/{notice}"))
                .header(axum::http::header::HOST, crate::common::HOST)
                .header(axum::http::header::COOKIE, "lang=en")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        en.body.contains("Under Article 16 of the measures"),
        "{}",
        en.body
    );
    assert!(signature(&en.body).contains("年"), "{}", en.body);
}

async fn a15_2_the_recommendation_letter_opens_again_from_the_application(backend: Backend) {
    let t = TestApp::new(backend).await;
    // Before the recommendation there is no letter.
    let org = t.as_user("applicant-org").await;
    let submitted = t.submitted(&org, "county:xinfu").await;
    let s = t.login("applicant-org").await;
    let page = t
        .page(&format!("/applications/{submitted}"), Some(&s))
        .await;
    assert!(!page.contains("/letter\""), "{page}");
    let a = t
        .get(&format!("/applications/{submitted}/letter"), Some(&s))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let letter_path = format!("/applications/{id}/letter");
    for who in ["applicant-org", "county-government", "office"] {
        let s = t.login(who).await;
        let page = t.page(&format!("/applications/{id}"), Some(&s)).await;
        assert!(
            page.contains(&format!("href=\"{letter_path}\"")),
            "{who}: {page}"
        );
        let letter = t.page(&letter_path, Some(&s)).await;
        for text in [
            "关于推荐申报忻州市市长质量奖的函",
            "忻州市示例精密机械有限公司",
            "请予受理",
        ] {
            assert!(letter.contains(text), "{who}: {text}: {letter}");
        }
        let sig = signature(&letter);
        assert!(
            sig.contains("忻府区人民政府<br>2026年") && sig.ends_with('日'),
            "{sig}"
        );
        // The read is the application's, audited.
        let newest = t.newest_audit(1).await;
        assert_eq!(
            newest[0],
            ("application.view".into(), format!("application {id}"))
        );
    }
    // Whoever may not see the application learns nothing of its letter.
    let other = t.login("applicant-person").await;
    let a = t.get(&letter_path, Some(&other)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(!a.body.contains("忻州市示例精密机械有限公司"), "{}", a.body);
}

//! A revocation made public through HTTP (issue #12; A28.2), on SQLite and PostgreSQL: once
//! the Government revokes an award, anyone reads its announcement in the Government's name
//! (in Chinese, and in English), downloads it as a Word document, finds it among the
//! notices and from the certificate's verification page; before the decision there is
//! nothing to find.

use axum::http::{Method, StatusCode};
use qaward_app::revocation::{self, DecisionIn, RequestIn};
use qaward_app::testing::{Backend, d};
use qaward_domain::application::RevocationCause;

use crate::common::TestApp;

qaward_app::testing::on_both!(a28_2_the_revocation_is_announced_on_a_public_page_among_the_notices,);

async fn a28_2_the_revocation_is_announced_on_a_public_page_among_the_notices(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.awarded(&[80]).await;
    t.set_today("2027-01-12");
    let (office, gov) = (t.as_user("office").await, t.as_user("government").await);
    let asked = RequestIn {
        cause: RevocationCause::MajorAccident,
        finding: "2026年12月发生重大生产安全事故，经应急管理部门调查认定。".into(),
        evidence: "事故调查报告".into(),
        complaint: None,
        obligation: None,
    };
    let q = revocation::request(&t.app, &office, ids[0], &asked)
        .await
        .unwrap();
    let page = format!("/revocations/published/{q}");
    // Requested, not decided: nothing to find, on the page, the document or the API.
    for path in [
        page.clone(),
        format!("{page}/document.docx"),
        format!("/api/v1{page}"),
    ] {
        assert_eq!(
            t.get(&path, None).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let decided = DecisionIn::Revoke {
        number: "忻政发〔2027〕3号".into(),
        dated: d("2027-01-11"),
    };
    revocation::decide(&t.app, &gov, q, &decided).await.unwrap();
    let html = t.page(&page, None).await;
    for part in [
        "的公告",
        "忻政发〔2027〕3号",
        "发生重大质量、安全、环境事故",
        "忻州市人民政府<br>2027年1月11日",
        "document.docx",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    assert!(!html.contains("应急管理部门调查认定"), "{html}");
    let doc = t.get(&format!("{page}/document.docx"), None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(
        qaward_docs::inspect::docx_text(&doc.bytes)
            .unwrap()
            .contains("忻政发〔2027〕3号")
    );
    // Among the notices, and from the certificate's verification page.
    assert!(t.page("/notices", None).await.contains(&page));
    let code = t
        .app
        .store
        .commendation_lines(cycle)
        .await
        .unwrap()
        .into_iter()
        .find_map(|l| l.award)
        .unwrap()
        .verification_code;
    let verify = t.page(&format!("/verify?code={code}"), None).await;
    assert!(verify.contains(&page), "{verify}");
    // In English, the same facts in English under the document's own title and 落款.
    let en = t
        .send(
            axum::http::Request::get(&page)
                .header(axum::http::header::HOST, crate::common::HOST)
                .header(axum::http::header::COOKIE, "lang=en")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        en.body.contains("Under Article 28 of the measures") && en.body.contains("2027年1月11日"),
        "{}",
        en.body
    );
    let office = t.login("office").await;
    let a = t
        .call(Method::GET, &format!("/api/v1{page}"), &office, None)
        .await;
    assert_eq!(a["decision_number"], "忻政发〔2027〕3号");
    assert_eq!(a["ban_until_year"], 2035);
    assert_eq!(a["decided_on"], "2027-01-11");
}

//! The commendation's pages and API (issue #11), on SQLite and PostgreSQL: the Office
//! proposes the candidate list from its desk (a choice against the score without a reason
//! comes back with the article and what was chosen), the Leading Group deliberates and the
//! Government decides on the same desk, the certificate verifies on the public page; two
//! concurrent requests for the last Award place over HTTP: one passes.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use qaward_domain::policy::Level;

use crate::common::TestApp;

qaward_app::testing::on_both!(
    a18_1_a19_1_a20_2_a21_1_a23_the_commendation_runs_from_the_desk_to_a_verified_certificate,
    a4_3_two_concurrent_requests_for_the_last_place_over_http_one_passes,
    a31_a_forged_code_is_unknown_and_the_page_says_nothing_else,
    a18_3_the_leading_group_is_offered_no_return_for_a_candidate,
);

async fn a18_1_a19_1_a20_2_a21_1_a23_the_commendation_runs_from_the_desk_to_a_verified_certificate(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 55]).await;
    let (a, n) = (ids[0].0.to_string(), ids[1].0.to_string());
    let office = t.login("office").await;
    let desk = t.page("/commendation", Some(&office)).await;
    assert!(
        desk.contains("表彰工作台") && desk.contains("忻州市第0测试有限公司"),
        "{desk}"
    );
    // The Award's candidate moved down without a reason: refused, the choice kept.
    let (la, ln, oa, on) = (
        format!("level.{a}"),
        format!("level.{n}"),
        format!("order.{a}"),
        format!("order.{n}"),
    );
    let down = [
        (la.as_str(), "nomination"),
        (oa.as_str(), "1"),
        (ln.as_str(), "nomination"),
        (on.as_str(), "2"),
    ];
    let r = t
        .post_form("/commendation/candidates", Some(&office), &down)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("A18.1") && r.body.contains("须写明理由"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(r#"<option value="nomination" selected>"#),
        "{}",
        r.body
    );
    let by_score = [
        (la.as_str(), "award"),
        (oa.as_str(), "1"),
        (ln.as_str(), "nomination"),
        (on.as_str(), "2"),
    ];
    t.form_redirects("/commendation/candidates", &office, &by_score)
        .await;
    t.candidates_cleared(cycle, &ids).await;
    // The Leading Group deliberates on the desk.
    let lg = t.login("leading-group").await;
    let outcome = [
        (la.as_str(), "award"),
        (ln.as_str(), "nomination"),
        ("meeting", "领导小组2026年第5次会议"),
    ];
    t.form_redirects("/commendation/deliberation", &lg, &outcome)
        .await;
    t.reported(cycle).await;
    let gov = t.login("government").await;
    let decision = [
        (la.as_str(), "award"),
        (ln.as_str(), "none"),
        ("number", "忻政发〔2026〕30号"),
        ("dated", "2026-12-21"),
    ];
    t.form_redirects("/commendation/decision", &gov, &decision)
        .await;
    let desk = t.page("/commendation", Some(&office)).await;
    assert!(
        desk.contains("XZZLJ-2026-A01") && desk.contains("200000 元"),
        "{desk}"
    );
    // The prize is the policy's (A21.1): another amount comes back with what was typed.
    let pay = format!("/commendation/awards/{a}/payment");
    let wrong = [
        ("amount_yuan", "30000"),
        ("paid_on", "2026-12-21"),
        ("voucher", "凭证118"),
    ];
    let r = t.post_form(&pay, Some(&office), &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("A21.1") && r.body.contains(r#"value="凭证118""#),
        "{}",
        r.body
    );
    let right = [
        ("amount_yuan", "200000"),
        ("paid_on", "2026-12-21"),
        ("voucher", "凭证118"),
    ];
    t.form_redirects(&pay, &office, &right).await;
    let hand = [("handed_on", "2026-12-21"), ("note", "表彰大会")];
    t.form_redirects(
        &format!("/commendation/awards/{a}/handover"),
        &office,
        &hand,
    )
    .await;
    let desk = t.page("/commendation", Some(&office)).await;
    assert!(
        desk.contains("凭证118") && desk.contains("表彰大会"),
        "{desk}"
    );
    documents_read_back(&t, a.parse().unwrap(), n.parse().unwrap()).await;
    let lines = t.app.store.commendation_lines(cycle).await.unwrap();
    let code = lines
        .iter()
        .find(|l| l.row.id == ids[0])
        .unwrap()
        .award
        .clone()
        .unwrap()
        .verification_code;
    let page = t.page(&format!("/verify?code={code}"), None).await;
    assert!(
        page.contains("有效")
            && page.contains("忻州市第0测试有限公司")
            && page.contains("忻政发〔2026〕30号"),
        "{page}"
    );
    let roll = t.page("/honours", None).await;
    assert!(
        roll.contains("忻州市第0测试有限公司") && !roll.contains("忻州市第1测试有限公司"),
        "{roll}"
    );
    assert!(roll.contains("不得在产品及其包装上使用"), "{roll}");
}

async fn a4_3_two_concurrent_requests_for_the_last_place_over_http_one_passes(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 80, 80, 80]).await;
    t.candidates_by_score(cycle, &ids).await;
    t.candidates_cleared(cycle, &ids).await;
    t.deliberated(
        cycle,
        &[(ids[0], Some(Level::Award)), (ids[1], Some(Level::Award))],
    )
    .await
    .unwrap();
    let (one, two) = (
        t.login("leading-group").await,
        t.login("leading-group").await,
    );
    let path = format!("/api/v1/cycles/{}/deliberation", cycle.0);
    let body = |id: i64| serde_json::json!({ "outcomes": [{ "application": id, "level": "award" }], "meeting": "第6次会议" });
    let (x, y) = tokio::join!(
        t.api(Method::POST, &path, Some(&one), Some(body(ids[2].0))),
        t.api(Method::POST, &path, Some(&two), Some(body(ids[3].0)))
    );
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::NO_CONTENT, StatusCode::UNPROCESSABLE_ENTITY],
        "{} {}",
        x.body,
        y.body
    );
    let refused = if x.status == StatusCode::NO_CONTENT {
        y
    } else {
        x
    };
    assert!(refused.body.contains("A4.3"), "{}", refused.body);
}

async fn a31_a_forged_code_is_unknown_and_the_page_says_nothing_else(b: Backend) {
    let t = TestApp::new(b).await;
    let page = t.page("/verify?code=FORGED1234567890", None).await;
    assert!(page.contains("查无此证"), "{page}");
    let api = t.get("/api/v1/certificates/FORGED1234567890", None).await;
    assert_eq!(api.json()["status"], "unknown", "{}", api.body);
    // A code of NUL bytes or of any length is an answer, never an error.
    let long = "A".repeat(500);
    assert_eq!(
        t.get(&format!("/verify?code={long}%00"), None).await.status,
        StatusCode::OK
    );
}

/// The documents of the story, opened and read: the certificate (PDF) for the Office and
/// the winner, not for another applicant; the decision (Word); the lists (Excel); a notice.
async fn documents_read_back(t: &TestApp, a: i64, n: i64) {
    use qaward_docs::inspect::{docx_text, pdf_text, xlsx_strings};
    let office = t.login("office").await;
    let pdf = t
        .get(&format!("/commendation/certificates/{a}"), Some(&office))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    let lines = t
        .app
        .store
        .commendation_lines(t.cycle().await)
        .await
        .unwrap();
    let award = lines
        .iter()
        .find(|l| l.row.id.0 == a)
        .unwrap()
        .award
        .clone()
        .unwrap();
    let text = pdf_text(&pdf.bytes).unwrap();
    for s in [
        "荣誉证书",
        "忻州市第0测试有限公司",
        "忻州市市长质量奖",
        "二〇二六年十二月二十一日",
        "XZZLJ-2026-A01",
        award.verification_code.as_str(),
    ] {
        assert!(text.contains(s), "{s} missing from the certificate: {text}");
    }
    let winner = t.login_with("org0", "correct-horse-1").await;
    let own = t
        .get(
            &format!("/api/v1/applications/{a}/certificate"),
            Some(&winner),
        )
        .await;
    assert_eq!(
        (own.status, own.bytes.starts_with(b"%PDF")),
        (StatusCode::OK, true)
    );
    // The one the Government dropped has none, and says why; a stranger finds nothing.
    let dropped = t.login_with("org1", "correct-horse-1").await;
    let r = t
        .get(
            &format!("/api/v1/applications/{n}/certificate"),
            Some(&dropped),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("A21.1"), "{}", r.body);
    let r = t
        .get(
            &format!("/api/v1/applications/{a}/certificate"),
            Some(&dropped),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let gov = t.login("government").await;
    let docx = t.get("/commendation/decision.docx", Some(&gov)).await;
    assert_eq!(docx.status, StatusCode::OK);
    let text = docx_text(&docx.bytes).unwrap();
    for s in [
        "忻政发〔2026〕30号",
        "表彰第二届忻州市市长质量奖",
        "忻州市第0测试有限公司",
        "XZZLJ-2026-A01",
        "二〇二六年十二月二十一日",
    ] {
        assert!(text.contains(s), "{s} missing from the decision: {text}");
    }
    assert!(!text.contains("忻州市第1测试有限公司"), "{text}");
    // The Government attaches the signed decision; a disguised file is refused.
    let path = format!(
        "/api/v1/cycles/{}/decision/signed?filename=signed.pdf",
        t.cycle().await.0
    );
    let exe = t.raw_upload(&path, &gov, b"MZ\x90\x00 not a pdf").await;
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", exe.body);
    let signed = b"%PDF-1.4\n% the signed decision\n";
    let up = t.raw_upload(&path, &gov, signed).await;
    assert_eq!(up.status, StatusCode::NO_CONTENT, "{}", up.body);
    let back = t.get("/commendation/decision/signed", Some(&office)).await;
    assert_eq!(
        (back.status, back.bytes.as_slice()),
        (StatusCode::OK, &signed[..])
    );
    let before = t.audit_entries().await;
    let xlsx = t.get("/commendation/lists.xlsx", Some(&office)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let strings = xlsx_strings(&xlsx.bytes).unwrap();
    for s in [
        "申报主体",
        "忻州市第0测试有限公司",
        "XZZLJ-2026-A01",
        "凭证118",
        "忻州市市长质量奖提名奖",
    ] {
        assert!(strings.iter().any(|x| x == s), "{s} missing: {strings:?}");
    }
    assert_eq!(
        t.audit_entries().await,
        before + 1,
        "the export is recorded"
    );
    let list = t.get("/office/applications.xlsx", Some(&office)).await;
    let strings = xlsx_strings(&list.bytes).unwrap();
    for s in [
        "申报主体",
        "报送渠道",
        "忻州市第0测试有限公司",
        "忻州市第1测试有限公司",
        "忻府区市场监督管理局",
    ] {
        assert!(strings.iter().any(|x| x == s), "{s} missing: {strings:?}");
    }
    let id = qaward_domain::ids::ApplicationId(a);
    let notice = t
        .app
        .store
        .notice_of(id, qaward_domain::policy::NoticeKind::Candidates)
        .await
        .unwrap()
        .unwrap();
    let doc = t
        .get(&format!("/notices/{}/document.docx", notice.id), None)
        .await;
    let text = docx_text(&doc.bytes).unwrap();
    assert!(
        text.contains(&notice.title)
            && text.contains("忻州市第0测试有限公司")
            && text.contains("〇"),
        "{text}"
    );
}

async fn a18_3_the_leading_group_is_offered_no_return_for_a_candidate(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80]).await;
    t.candidates_by_score(cycle, &ids).await;
    let office = t.as_user("office").await;
    let notices = qaward_app::commendation::candidates::publish_candidate_notices(
        &t.app,
        &office,
        cycle,
        qaward_app::testing::d("2026-12-07"),
        None,
        "0350",
    )
    .await
    .unwrap();
    let o = qaward_app::objections::NewObjection {
        application: ids[0],
        name: None,
        contact: None,
        content: "数据存疑".into(),
        evidence: None,
    };
    qaward_app::objections::raise_objection(&t.app, notices[0], &o, "192.0.2.3")
        .await
        .unwrap();
    let lg = t.login("leading-group").await;
    let page = t.page("/objections", Some(&lg)).await;
    assert!(
        page.contains("数据存疑") && page.contains(r#"value="reject""#),
        "{page}"
    );
    assert!(!page.contains(r#"value="return""#), "{page}");
}

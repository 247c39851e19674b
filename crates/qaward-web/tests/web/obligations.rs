//! Winners' obligations through the pages and the API (issue #12; A22, A25), on SQLite and
//! PostgreSQL: the Office sets a prize-use report on its desk, the winner fills the rows
//! of the categories it used (a refused report comes back with the article and every row
//! as typed), the Office returns it and accepts it, and the API tells the same story; the
//! winner's voucher files go up through the desk's form and the API, and only the Office
//! and the winner read them.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;

use crate::common::TestApp;

qaward_app::testing::on_both!(
    a22_a25_the_obligations_desk_sets_takes_a_report_by_category_and_reviews_it,
    a22_voucher_files_go_up_on_the_desk_and_over_the_api_and_only_the_office_and_winner_read_them,
);

async fn a22_a25_the_obligations_desk_sets_takes_a_report_by_category_and_reviews_it(b: Backend) {
    let t = TestApp::new(b).await;
    let (_, ids) = t.awarded(&[80]).await;
    let office = t.login("office").await;
    let desk = t.page("/obligations", Some(&office)).await;
    assert!(
        desk.contains("获奖后报告") && desk.contains("忻州市第0测试有限公司"),
        "{desk}"
    );
    let app = ids[0].0.to_string();
    t.form_redirects(
        "/obligations",
        &office,
        &[
            ("application", &app),
            ("kind", "prize-use"),
            ("due_on", "2027-06-30"),
            ("request", "报告2026年度奖金使用情况"),
        ],
    )
    .await;
    let winner = t.login_with("org0", "correct-horse-1").await;
    let mine = t.page("/obligations", Some(&winner)).await;
    assert!(
        mine.contains("报告2026年度奖金使用情况") && mine.contains("人员培训"),
        "{mine}"
    );
    let id = t
        .call(Method::GET, "/api/v1/obligations", &winner, None)
        .await["obligations"][0]["id"]
        .as_i64()
        .unwrap();
    // A row with an amount and no purpose, and no vouchers: refused under A22, kept.
    let path = format!("/obligations/{id}/report");
    let r = t
        .post_form(
            &path,
            Some(&winner),
            &[
                ("kind", "prize-use"),
                ("lines[0][category]", "quality-improvement"),
                ("lines[4][category]", "training"),
                ("lines[4][yuan]", "80000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("A22") && r.body.contains("证明奖金使用情况的凭证"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="80000""#), "{}", r.body);
    t.form_redirects(
        &path,
        &winner,
        &[
            ("kind", "prize-use"),
            ("lines[0][category]", "quality-improvement"),
            ("lines[4][category]", "training"),
            ("lines[4][yuan]", "80000"),
            ("lines[4][purpose]", "全员质量管理培训"),
            ("vouchers", "培训合同及发票"),
        ],
    )
    .await;
    // The Office returns it with what to mend, through the page; the winner mends it over
    // the API; the Office accepts it over the API.
    let review = format!("/obligations/{id}/review");
    t.form_redirects(
        &review,
        &office,
        &[("decision", "return"), ("note", "请附付款记录")],
    )
    .await;
    let again = serde_json::json!({
        "lines": [{ "category": "training", "yuan": 80000, "purpose": "全员质量管理培训" }],
        "vouchers": "培训合同、发票及付款记录",
    });
    let a = t
        .api(
            Method::POST,
            &format!("/api/v1/obligations/{id}/report"),
            Some(&winner),
            Some(again),
        )
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let accept = serde_json::json!({ "decision": "accept" });
    let a = t
        .api(
            Method::POST,
            &format!("/api/v1/obligations/{id}/review"),
            Some(&office),
            Some(accept),
        )
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let o = &t
        .call(Method::GET, "/api/v1/obligations", &office, None)
        .await["obligations"][0];
    assert_eq!(
        (o["status"].as_str(), o["lines"][0]["yuan"].as_u64()),
        (Some("accepted"), Some(80000))
    );
    assert!(
        t.page("/obligations", Some(&winner))
            .await
            .contains("已审核通过")
    );
}

async fn a22_voucher_files_go_up_on_the_desk_and_over_the_api_and_only_the_office_and_winner_read_them(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (_, ids) = t.awarded(&[80]).await;
    let office = t.login("office").await;
    let app = ids[0].0.to_string();
    t.form_redirects(
        "/obligations",
        &office,
        &[
            ("application", &app),
            ("kind", "prize-use"),
            ("due_on", "2027-06-30"),
            ("request", "报告奖金使用情况"),
        ],
    )
    .await;
    let winner = t.login_with("org0", "correct-horse-1").await;
    // The winner's application page leads to the desk, beside the certificate.
    let mine = t.page(&format!("/applications/{app}"), Some(&winner)).await;
    assert!(mine.contains(r#" · <a href="/obligations">"#), "{mine}");
    let id = t
        .call(Method::GET, "/api/v1/obligations", &winner, None)
        .await["obligations"][0]["id"]
        .as_i64()
        .unwrap();
    let desk = t.page("/obligations", Some(&winner)).await;
    assert!(
        desk.contains("上传凭证文件") && desk.contains(&format!("/obligations/{id}/vouchers")),
        "{desk}"
    );
    // A disguised file: refused on the desk, in Chinese, the desk served again.
    let path = format!("/obligations/{id}/vouchers");
    let r = t
        .upload_form(
            &path,
            Some(&winner),
            &[],
            "发票.pdf",
            b"MZ\x90\x00not a pdf",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains(r#"role="alert""#) && r.body.contains("凭证文件"),
        "{}",
        r.body
    );
    let r = t
        .upload_form(
            &path,
            Some(&winner),
            &[],
            "培训合同",
            b"%PDF-1.4\n% contract\n%%EOF\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = t
        .raw_upload(
            &format!("/api/v1/obligations/{id}/vouchers?filename=发票.pdf"),
            &winner,
            b"%PDF-1.4\n% invoice\n%%EOF\n",
        )
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    let o = &t
        .call(Method::GET, "/api/v1/obligations", &office, None)
        .await["obligations"][0];
    let files = o["files"].as_array().unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|f| f["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["培训合同.pdf", "发票.pdf"]);
    let first = files[0]["id"].as_i64().unwrap();
    let file = format!("/obligations/{id}/vouchers/{first}");
    assert!(t.page("/obligations", Some(&office)).await.contains(&file));
    // The Office and the winner download it; an expert and the public learn nothing.
    for s in [&office, &winner] {
        let r = t.get(&file, Some(s)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let expert = t.login("expert1").await;
    assert_eq!(
        t.get(&file, Some(&expert)).await.status,
        StatusCode::NOT_FOUND
    );
    let api_file = format!("/api/v1/obligations/{id}/vouchers/{first}");
    let a = t.api(Method::DELETE, &api_file, Some(&office), None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    // The winner removes it on the desk; the API no longer finds it.
    t.form_redirects(&format!("{file}/remove"), &winner, &[])
        .await;
    let a = t.api(Method::GET, &api_file, Some(&winner), None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
}

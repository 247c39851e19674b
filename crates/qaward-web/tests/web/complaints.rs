//! The supervision group's case page through HTTP (issue #12; A27.2), on SQLite and
//! PostgreSQL: the group adds a file of its own investigation with a multipart form (a
//! disguised file is refused on the page, above that form, in Chinese), the file shows in
//! the history under the member's name with its download, and the reporter's follow-up
//! page shows none of it.

use axum::http::StatusCode;
use qaward_app::complaints::{self, NewComplaint};
use qaward_app::testing::Backend;
use qaward_domain::complaint::Topic;

use crate::common::TestApp;

qaward_app::testing::on_both!(a27_2_the_group_uploads_its_own_investigation_file_on_the_case_page,);

async fn a27_2_the_group_uploads_its_own_investigation_file_on_the_case_page(b: Backend) {
    let t = TestApp::new(b).await;
    let c = NewComplaint {
        topic: Some(Topic::Winner),
        about: "某获奖企业".into(),
        content: "检测报告系伪造。".into(),
        name: None,
        contact: None,
        program: None,
    };
    let code = complaints::file_complaint(&t.app, &c, "192.0.2.40")
        .await
        .unwrap();
    let id = t.newest_complaint().await;
    let case = format!("/supervision/complaints/{id}");
    let member = t.as_user("supervisor").await;
    complaints::handling::register(&t.app, &member, id, member.user.id, None)
        .await
        .unwrap();
    let sup = t.login("supervisor").await;
    let page = t.page(&case, Some(&sup)).await;
    assert!(
        page.contains("上传调查材料") && page.contains(&format!("{case}/evidence")),
        "{page}"
    );
    let path = format!("{case}/evidence");
    let r = t
        .upload_form(
            &path,
            Some(&sup),
            &[],
            "谈话记录.pdf",
            b"MZ\x90\x00not a pdf",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(r#"id="f-evidence-error""#), "{}", r.body);
    let r = t
        .upload_form(
            &path,
            Some(&sup),
            &[],
            "谈话记录",
            b"%PDF-1.4\n% interview\n%%EOF\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.page(&case, Some(&sup)).await;
    assert!(
        page.contains("谈话记录.pdf") && page.contains("/files/"),
        "{page}"
    );
    // The Office is told there is no such complaint; the reporter's page shows no file.
    let office = t.login("office").await;
    let r = t
        .upload_form(
            &path,
            Some(&office),
            &[],
            "x.pdf",
            b"%PDF-1.4\n% x\n%%EOF\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = t
        .post_form("/complaints/status", None, &[("code", &code)])
        .await;
    assert!(
        r.status.is_success() && !r.body.contains("谈话记录"),
        "{}",
        r.body
    );
}

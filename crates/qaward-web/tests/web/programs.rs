//! Several programs through HTTP (issue #13, item 4): the administrator grants a role in a
//! second program through the API (`program`), and that program's Office, logged in, gets
//! "not found" for the first program's application, page and API alike, and an empty desk.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;
use serde_json::json;

use crate::common::TestApp;

qaward_app::testing::on_both!(a_second_program_s_office_learns_nothing_of_the_first_s_applications);

async fn a_second_program_s_office_learns_nothing_of_the_first_s_applications(b: Backend) {
    let t = TestApp::new(b).await;
    let policy = t.app.policy().await.unwrap();
    let mut tx = t.app.store.write().await.unwrap();
    let p2 = tx
        .create_program("yuanping", "原平市市长质量奖", &policy.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let admin = t.login("admin").await;
    let created = t
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({
                "username": "yp-office",
                "display_name": "原平市领导小组办公室",
                "password": qaward_app::demo::PASSWORD,
                "grants": [{ "role": "office", "scope": "", "program": p2.0 }],
            })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["grants"][0]["program"], p2.0);
    // A program that does not exist is named as the field at fault.
    let unknown = t
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({
                "username": "nowhere-office",
                "display_name": "无",
                "password": qaward_app::demo::PASSWORD,
                "grants": [{ "role": "office", "scope": "", "program": 999 }],
            })),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert_eq!(unknown.error("field"), "program", "{}", unknown.body);

    let id = t.recommended().await.0;
    let city = t.login("office").await;
    let theirs = t.login("yp-office").await;
    for path in [
        format!("/applications/{id}"),
        format!("/api/v1/applications/{id}"),
    ] {
        assert_eq!(
            t.get(&path, Some(&city)).await.status,
            StatusCode::OK,
            "{path}"
        );
        let a = t.get(&path, Some(&theirs)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!a.body.contains("忻州市示例精密机械有限公司"), "{path}");
    }
    let desk = t.page("/office", Some(&theirs)).await;
    assert!(!desk.contains("忻州市示例精密机械有限公司"), "{desk}");
    let desk = t.page("/office", Some(&city)).await;
    assert!(desk.contains("忻州市示例精密机械有限公司"));
}

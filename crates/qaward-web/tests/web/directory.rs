//! Administration for non-developers (issue #9 item 13): accounts found by name on the
//! server, roles and scopes chosen from lists built from the domain and the policy, and
//! the API tokens listed and revoked from the page, after which the token no longer
//! authenticates.

use axum::http::{Method, StatusCode};
use qaward_app::testing::Backend;

use crate::common::{TestApp, between};

qaward_app::testing::on_both!(
    an_admin_finds_accounts_by_name_and_chooses_roles_and_scopes_from_lists,
    a_token_revoked_from_the_admin_page_no_longer_authenticates,
);

async fn an_admin_finds_accounts_by_name_and_chooses_roles_and_scopes_from_lists(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.login("admin").await;
    let page = t.page("/admin/users?q=county", Some(&admin)).await;
    assert!(page.contains("county-reviewer") && page.contains("county-government"));
    assert!(!page.contains("<td>expert1</td>"), "{page}");
    // By display name too, in Chinese.
    let page = t
        .page("/admin/users?q=%E5%85%AC%E5%AE%89", Some(&admin))
        .await;
    assert!(page.contains("<td>opinion-dept</td>"), "{page}");
    let none = t.page("/admin/users?q=nobody-here", Some(&admin)).await;
    assert!(none.contains("没有符合条件的账号"));
    // Scopes are chosen from the policy's lists: no field to type one.
    let page = t.page("/admin/users", Some(&admin)).await;
    for option in [
        "value=\"county:xinfu\"",
        "value=\"industry:industry-it\"",
        "value=\"opinion-dept:tax\"",
        "value=\"program\"",
        "value=\"installation\"",
        "value=\"cycles:1\"",
    ] {
        assert!(page.contains(option), "{option}");
    }
    assert!(page.contains("<select id=\"scope\" name=\"grants[0][scope]\""));
    assert!(!page.contains("<input id=\"scope\""));
    assert!(!page.contains("<input id=\"g_scope\""));
    let made = [
        ("username", "hequ-reviewer"),
        ("display_name", "河曲县市场监督管理局"),
        ("password", "hequ-password-1"),
        ("grants[0][role]", "county-reviewer"),
        ("grants[0][scope]", "county:hequ"),
    ];
    assert_eq!(
        t.form_redirects("/admin/users", &admin, &made).await,
        "/admin/users"
    );
    let page = t.page("/admin/users?q=hequ", Some(&admin)).await;
    assert!(page.contains("county:hequ"), "{page}");
    // A scope of the wrong kind for the role is still refused.
    let wrong = [
        ("username", "wrong-scope"),
        ("display_name", "Wrong"),
        ("password", "wrong-password-1"),
        ("grants[0][role]", "office"),
        ("grants[0][scope]", "county:xinfu"),
    ];
    let a = t.post_form("/admin/users", Some(&admin), &wrong).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The same search through the API.
    let v = t
        .call(Method::GET, "/api/v1/users?q=expert", &admin, None)
        .await;
    assert_eq!(v.as_array().unwrap().len(), 3);
}

async fn a_token_revoked_from_the_admin_page_no_longer_authenticates(backend: Backend) {
    let t = TestApp::new(backend).await;
    let bot = crate::fixtures::service_account(&t, "report-bot").await;
    let admin = t.login("admin").await;
    let page = t.page("/admin/users", Some(&admin)).await;
    assert!(page.contains("尚未签发API令牌"));
    let issued = t
        .post_form(
            "/admin/tokens",
            Some(&admin),
            &[
                ("user_id", &bot.to_string()),
                ("name", "月报脚本"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let token = between(&issued.body, "<code>", "</code>")
        .unwrap()
        .to_owned();
    let me = t.bearer(Method::GET, "/api/v1/me", &token, None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    // Listed with its account and purpose, never the token itself.
    let page = t.page("/admin/users", Some(&admin)).await;
    assert!(page.contains("月报脚本") && page.contains("report-bot") && page.contains("有效"));
    assert!(!page.contains(&token));
    let id = between(&page, "name=\"token_id\" value=\"", "\"")
        .unwrap()
        .to_owned();
    assert_eq!(
        t.form_redirects("/admin/tokens/revoke", &admin, &[("token_id", &id)])
            .await,
        "/admin/users"
    );
    let me = t.bearer(Method::GET, "/api/v1/me", &token, None).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let page = t.page("/admin/users", Some(&admin)).await;
    assert!(page.contains("已吊销"));
    let list = t.call(Method::GET, "/api/v1/tokens", &admin, None).await;
    assert!(list[0]["revoked_at"].is_string(), "{list}");
    let log = t.newest_audit(10).await;
    assert!(log.iter().any(|(a, _)| a == "token.revoke"), "{log:?}");
    assert!(log.iter().any(|(a, _)| a == "tokens.list"), "{log:?}");
    // Others see neither the list nor the API's.
    let office = t.login("office").await;
    assert_eq!(
        t.api(Method::GET, "/api/v1/tokens", Some(&office), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

//! Protected links (from notification e-mails too): a logged-out reader is led to the
//! login form and, once logged in, back to the page; never to another site. The API
//! keeps answering 401. A forgotten password is the Office's to reset.

use axum::http::{Method, StatusCode};
use qaward_app::demo::PASSWORD;
use qaward_app::testing::Backend;

use crate::common::{TestApp, cookie_value, location};

qaward_app::testing::on_both!(
    a_protected_link_leads_through_the_login_back_to_the_page,
    the_login_never_leads_to_another_site,
    a_forgotten_password_is_for_the_office,
);

async fn a_protected_link_leads_through_the_login_back_to_the_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    for (page, next) in [
        ("/applications/mine", "%2Fapplications%2Fmine"),
        ("/notifications?from=mail", "%2Fnotifications%3Ffrom%3Dmail"),
    ] {
        let a = t.get(page, None).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{page}: {}", a.body);
        assert_eq!(location(&a), format!("/login?next={next}"));
        assert!(a.body.is_empty(), "a refusal that says nothing: {}", a.body);
    }
    // The form says why, and carries the page on.
    let form = t.page("/login?next=%2Fapplications%2Fmine", None).await;
    assert!(form.contains("请先登录"), "{form}");
    assert!(
        form.contains("name=\"next\" value=\"&#x2f;applications&#x2f;mine\"")
            || form.contains("name=\"next\" value=\"/applications/mine\""),
        "{form}"
    );
    let fields = [
        ("username", "applicant-org"),
        ("password", PASSWORD),
        ("next", "/applications/mine"),
    ];
    let a = t.post_form("/login", None, &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(location(&a), "/applications/mine");
    assert!(cookie_value(&a.headers).is_some());
    // A wrong password keeps the page to go back to.
    let wrong = [
        ("username", "applicant-org"),
        ("password", "wrong"),
        ("next", "/applications/mine"),
    ];
    let a = t.post_form("/login", None, &wrong).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.body.contains("name=\"next\""), "{}", a.body);
    // The API still answers 401, in JSON.
    let a = t.api(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.error("code"), "unauthenticated");
    // Someone logged in who opens the login form with a page goes straight there.
    let s = t.login("applicant-org").await;
    let a = t.get("/login?next=%2Fnotifications", Some(&s)).await;
    assert_eq!(location(&a), "/notifications");
}

async fn the_login_never_leads_to_another_site(backend: Backend) {
    let t = TestApp::new(backend).await;
    let s = t.login("office").await;
    for bad in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
    ] {
        let q = serde_urlencoded::to_string([("next", bad)]).unwrap();
        let form = t.page(&format!("/login?{q}"), None).await;
        assert!(!form.contains("name=\"next\""), "{bad:?}: {form}");
        assert!(!form.contains("evil.example"), "{bad:?}");
        let fields = [
            ("username", "office"),
            ("password", PASSWORD),
            ("next", bad),
        ];
        let a = t.post_form("/login", None, &fields).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{bad:?}");
        assert_eq!(location(&a), "/", "{bad:?}");
        let a = t.get(&format!("/login?{q}"), Some(&s)).await;
        assert_eq!(location(&a), "/", "{bad:?}");
    }
}

async fn a_forgotten_password_is_for_the_office(backend: Backend) {
    let mut t = TestApp::new(backend).await;
    let form = t.page("/login", None).await;
    assert!(form.contains("忘记密码"), "{form}");
    assert!(form.contains("不能通过电子邮件找回密码"), "{form}");
    assert!(form.contains(qaward_web::DEFAULT_OFFICE_CONTACT), "{form}");
    let config = qaward_web::WebConfig {
        office_contact: "市长质量奖办公室，电话 0350-1234567".into(),
        ..crate::common::config()
    };
    t.router = qaward_web::build(t.app.clone(), config);
    let form = t.page("/login", None).await;
    assert!(form.contains("电话 0350-1234567"), "{form}");
    assert!(t.page("/", None).await.contains("电话 0350-1234567"));
}

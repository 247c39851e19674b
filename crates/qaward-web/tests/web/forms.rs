//! A refused form keeps the person on it: the application page again, the message above
//! the form in Chinese, what was typed still in the fields; a submission lists every
//! unmet condition at once with where each is fixed; consequential choices start
//! unselected and a rejection is confirmed with its reason in view.

use axum::http::StatusCode;
use qaward_app::testing::Backend;

use crate::common::TestApp;

qaward_app::testing::on_both!(
    a14_1_a_refused_form_shows_the_page_again_with_what_was_typed,
    a14_1_a14_3_a16_4_a_submission_lists_every_unmet_condition_with_where_to_fix_it,
    a15_1_a_review_starts_unselected_and_a_rejection_is_confirmed_with_its_reason,
    a16_1_the_formal_review_starts_unselected_and_a_rejection_is_confirmed,
    a4_2_a_refused_cycle_keeps_its_dates_on_the_dashboard,
    a14_1_in_english_the_same_refusal_reads_in_english,
    a_refused_new_account_keeps_what_was_typed_but_the_password,
    a10_4_a_refused_accident_keeps_what_was_typed_on_the_register,
    a16_2_a_refused_opinion_request_keeps_what_was_typed_on_the_desk,
    a10_1_a_refused_confirmation_keeps_what_was_typed,
    a29_a_refused_declaration_of_interest_stays_on_the_application,
    a15_2_a_refused_recommendation_stays_on_the_queue,
    an_error_page_keeps_the_menu_and_speaks_of_forms_only_for_forms,
);

async fn a14_1_a_refused_form_shows_the_page_again_with_what_was_typed(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org_p = t.as_user("applicant-org").await;
    let id = t.prepared(&org_p).await;
    let page = format!("/applications/{id}");
    let org = t.login("applicant-org").await;
    // An objection dated before the notice: refused with its article, beside the form,
    // with the date and the text as typed.
    let typed = "对申报材料中的获奖情况有异议";
    let a = t
        .post_form(
            &format!("{page}/in-unit-objections"),
            Some(&org),
            &[("received_on", "2026-11-01"), ("content", typed)],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-objection\"", "</form>").unwrap();
    assert!(
        form.contains("role=\"alert\"") && form.contains("依据《管理办法》第十四条"),
        "{form}"
    );
    assert!(
        form.contains("value=\"2026-11-01\"") && form.contains(typed),
        "{form}"
    );
    // The rest of the page is there, with its menu, and says where the message is.
    assert!(
        a.body.contains("href=\"#f-objection\"") && a.body.contains("<nav"),
        "{}",
        a.body
    );
    // A malformed date is refused the same way, naming the field in words.
    let a = t
        .post_form(
            &format!("{page}/in-unit-notice"),
            Some(&org),
            &[("start", "2026-13-01")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = crate::common::between(&a.body, "id=\"f-notice\"", "</form>").unwrap();
    assert!(
        form.contains("公示开始日期") && form.contains("value=\"2026-13-01\""),
        "{form}"
    );
    // Someone who may not see the application learns nothing from posting to it.
    let other = t.login("applicant-person").await;
    let a = t
        .post_form(
            &format!("{page}/in-unit-objections"),
            Some(&other),
            &[("received_on", "2026-11-17"), ("content", "x")],
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(!a.body.contains("f-objection"));
}

async fn a14_1_a14_3_a16_4_a_submission_lists_every_unmet_condition_with_where_to_fix_it(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let org = t.login("applicant-org").await;
    // A draft with its notice run, but no scan, no declarations and no commitments.
    t.set_today("2026-11-16");
    let page = t.form_redirects("/applications/start", &org, &[]).await;
    t.form_redirects(
        &format!("{page}/in-unit-notice"),
        &org,
        &[("start", "2026-11-16")],
    )
    .await;
    t.set_today("2026-11-27");
    let a = t
        .post_form(
            &format!("{page}/submit"),
            Some(&org),
            &[("channel", "county:xinfu")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-submit\"", "</form>").unwrap();
    for needle in [
        "请上传单位内部公示张贴情况的扫描件或照片",
        "请承诺所报材料完整、真实、准确",
        "请确认所报材料不涉及国家安全和国家秘密",
        "尚未声明：近3年内无重大质量、安全、环保等事故",
        "href=\"#f-attach\"",
        "href=\"#f-declarations\"",
        "href=\"#f-commitments\"",
        "第十四条",
        "第十六条",
    ] {
        assert!(form.contains(needle), "{needle}: {form}");
    }
    // The API says the same, every condition with its rule.
    let api = t
        .api(
            axum::http::Method::POST,
            &format!("/api/v1{page}/submit"),
            Some(&org),
            Some(serde_json::json!({ "channel": "county:xinfu" })),
        )
        .await;
    let unmet = api.json()["error"]["unmet"].clone();
    let rules: Vec<&str> = unmet
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "A14.1", "A10.1", "A10.2", "A10.3", "A10.4", "A14.3", "A16.4"
        ],
        "{}",
        api.body
    );
}

async fn a15_1_a_review_starts_unselected_and_a_rejection_is_confirmed_with_its_reason(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let org_p = t.as_user("applicant-org").await;
    let id = t.submitted(&org_p, "county:xinfu").await.0;
    let page = format!("/applications/{id}");
    let reviewer = t.login("county-reviewer").await;
    let body = t.page(&page, Some(&reviewer)).await;
    let form = crate::common::between(&body, "id=\"f-review\"", "</form>").unwrap();
    assert!(!form.contains("checked"), "{form}");
    // No choice: refused naming the field, nothing changes.
    let a = t
        .post_form(
            &format!("{page}/review"),
            Some(&reviewer),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("审核结论：此项为必填项"), "{}", a.body);
    // A rejection is asked for again, its reason in view, and nothing changes yet.
    let reason = "申报材料中的专利证书与国家知识产权局登记不符";
    let reject = [("decision", "reject"), ("reason", reason)];
    let a = t
        .post_form(&format!("{page}/review"), Some(&reviewer), &reject)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-review\"", "</form>").unwrap();
    assert!(
        form.contains("确认不予通过")
            && form.contains(reason)
            && form.contains("name=\"confirm\" value=\"true\""),
        "{form}"
    );
    assert_eq!(t.state_of(&reviewer, id).await, "submitted");
    // Confirmed, it is done.
    let confirmed = [
        ("decision", "reject"),
        ("reason", reason),
        ("confirm", "true"),
    ];
    assert_eq!(
        t.form_redirects(&format!("{page}/review"), &reviewer, &confirmed)
            .await,
        "/queue"
    );
    assert_eq!(t.state_of(&reviewer, id).await, "rejected");
}

async fn a16_1_the_formal_review_starts_unselected_and_a_rejection_is_confirmed(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    let desk = t.page("/office", Some(&office)).await;
    let form = crate::common::between(
        &desk,
        &format!("action=\"/office/{id}/formal-review\""),
        "</form>",
    )
    .unwrap();
    assert!(!form.contains("checked"), "{form}");
    let reason = "近三年内发生重大安全事故，不符合第十条";
    let path = format!("/office/{id}/formal-review");
    let a = t
        .post_form(
            &path,
            Some(&office),
            &[("decision", "reject"), ("reason", reason)],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(
        a.body.contains(reason) && a.body.contains("name=\"confirm\" value=\"true\""),
        "{}",
        a.body
    );
    assert_eq!(t.state_of(&office, id).await, "recommended");
    let confirmed = [
        ("decision", "reject"),
        ("reason", reason),
        ("confirm", "true"),
    ];
    t.form_redirects(&path, &office, &confirmed).await;
    assert_eq!(t.state_of(&office, id).await, "rejected");
}

async fn a4_2_a_refused_cycle_keeps_its_dates_on_the_dashboard(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.login("office").await;
    // Cycle 3 in the same year as cycle 2: one evaluation every three years.
    let fields = [
        ("ordinal", "3"),
        ("year", "2026"),
        ("application_opens", "2026-11-15"),
        ("application_closes", "2026-12-20"),
        ("channel_review_due", "2026-12-25"),
        ("formal_review_due", "2026-12-30"),
    ];
    let a = t.post_form("/cycles", Some(&office), &fields).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-cycle\"", "</form>").unwrap();
    assert!(form.contains("依据《管理办法》第四条"), "{form}");
    for (_, v) in fields {
        assert!(form.contains(&format!("value=\"{v}\"")), "{v}: {form}");
    }
}

async fn a14_1_in_english_the_same_refusal_reads_in_english(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org_p = t.as_user("applicant-org").await;
    let id = t.prepared(&org_p).await;
    let s = t.login("applicant-org").await;
    // The session cookie and the language cookie together.
    let english = crate::common::Session {
        cookie: format!("{}; lang=en", s.cookie),
        csrf: s.csrf.clone(),
    };
    let a = t
        .post_form(
            &format!("/applications/{id}/in-unit-objections"),
            Some(&english),
            &[
                ("received_on", "2026-11-01"),
                ("content", "typed in English"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-objection\"", "</form>").unwrap();
    assert!(
        form.contains("Under Article 14 of the Measures (A14.1)")
            && form.contains("In-unit notice: objections are taken from 16 November 2026")
            && form.contains("typed in English")
            && !form.contains("依据"),
        "{form}"
    );
    assert!(a.body.contains("lang=\"en\""), "{}", a.body);
}

async fn a_refused_new_account_keeps_what_was_typed_but_the_password(backend: Backend) {
    let t = TestApp::new(backend).await;
    let admin = t.login("admin").await;
    let fields = [
        ("username", "office"),
        ("display_name", "第二位办公室工作人员"),
        ("password", "a-secret-password-1"),
        ("grants[0][role]", "office"),
        ("grants[0][scope]", "program"),
    ];
    let a = t.post_form("/admin/users", Some(&admin), &fields).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-user\"", "</form>").unwrap();
    assert!(
        form.contains("用户名“office”已被使用")
            && form.contains("value=\"第二位办公室工作人员\"")
            && !a.body.contains("a-secret-password-1"),
        "{form}"
    );
    // A token for too long: refused on its own form, its purpose kept.
    let a = t
        .post_form(
            "/admin/tokens",
            Some(&admin),
            &[
                ("user_id", "1"),
                ("name", "夜间备份脚本"),
                ("days", "99999"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-token\"", "</form>").unwrap();
    assert!(
        form.contains("role=\"alert\"") && form.contains("value=\"夜间备份脚本\""),
        "{form}"
    );
}

async fn a10_4_a_refused_accident_keeps_what_was_typed_on_the_register(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.subject_of("applicant-org").await.0;
    let office = t.login("office").await;
    // An accident dated after today: refused, the description kept.
    let fields = [
        ("date", "2027-01-05"),
        ("major", "true"),
        ("description", "车间粉尘爆炸，三人受伤"),
        ("reference", "忻应急〔2027〕1号"),
    ];
    let a = t
        .post_form(&format!("/subjects/{id}/accidents"), Some(&office), &fields)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-accident\"", "</form>").unwrap();
    assert!(
        form.contains("事故须在发生后登记")
            && form.contains("车间粉尘爆炸，三人受伤</textarea>")
            && form.contains("value=\"忻应急〔2027〕1号\"")
            && form.contains("checked"),
        "{form}"
    );
}

async fn a16_2_a_refused_opinion_request_keeps_what_was_typed_on_the_desk(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await.0;
    let office = t.login("office").await;
    // A due date in the past: refused, the departments chosen and the date kept.
    let fields = [
        ("departments[]", "public-security"),
        ("departments[]", "tax"),
        ("due", "2026-11-01"),
    ];
    let a = t
        .post_form(&format!("/office/{id}/opinions"), Some(&office), &fields)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form =
        crate::common::between(&a.body, &format!("id=\"f-opinions-{id}\""), "</form>").unwrap();
    assert!(
        form.contains("2026年11月1日已经过去")
            && form.contains("value=\"2026-11-01\"")
            && form.contains("value=\"tax\" checked"),
        "{form}"
    );
}

async fn a10_1_a_refused_confirmation_keeps_what_was_typed(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.registered("unconfirmed-org", "2015-03-01").await;
    let id = t.subject_of("unconfirmed-org").await.0;
    let reviewer = t.login("county-reviewer").await;
    let long = "营业执照".repeat(60);
    let a = t
        .post_form(
            &format!("/registrations/{id}/confirm"),
            Some(&reviewer),
            &[("document", long.as_str())],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form =
        crate::common::between(&a.body, &format!("id=\"f-confirm-{id}\""), "</form>").unwrap();
    assert!(
        form.contains("最多 200 个字符") && form.contains(&format!("value=\"{long}\"")),
        "{form}"
    );
}

async fn a29_a_refused_declaration_of_interest_stays_on_the_application(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org_p = t.as_user("applicant-org").await;
    let id = t.submitted(&org_p, "county:xinfu").await.0;
    let subject = t.subject_of("applicant-org").await.0;
    let reviewer = t.login("county-reviewer").await;
    let long = "亲属关系".repeat(600);
    let a = t
        .post_form(
            &format!("/subjects/{subject}/interests"),
            Some(&reviewer),
            &[
                ("application", &id.to_string()),
                ("kind", "kinship"),
                ("reason", long.as_str()),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let form = crate::common::between(&a.body, "id=\"f-interest\"", "</form>").unwrap();
    assert!(
        form.contains("role=\"alert\"") && form.contains(&format!("value=\"{long}\"")),
        "{form}"
    );
    // Not recused: the declaration was refused, so the reviewer still sees the application.
    assert_eq!(t.state_of(&reviewer, id).await, "submitted");
}

async fn a15_2_a_refused_recommendation_stays_on_the_queue(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org_p = t.as_user("applicant-org").await;
    // Submitted, not yet passed by the county's reviewer.
    let id = t.submitted(&org_p, "county:xinfu").await.0;
    let gov = t.login("county-government").await;
    let a = t
        .post_form(
            "/recommend",
            Some(&gov),
            &[("applications", &id.to_string())],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    let card = crate::common::between(&a.body, "id=\"f-recommend-card\"", "</section>").unwrap();
    assert!(
        card.contains("role=\"alert\"") && card.contains("依据《管理办法》第十五条"),
        "{card}"
    );
}

async fn an_error_page_keeps_the_menu_and_speaks_of_forms_only_for_forms(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.login("office").await;
    let a = t.get("/applications/99999", Some(&office)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(
        a.body.contains("<nav")
            && a.body.contains("href=\"/office\"")
            && a.body.contains("没有找到")
            && !a.body.contains("按提示修改后再提交"),
        "{}",
        a.body
    );
    // Logged out, the bare page still leads home.
    let a = t.get("/no-such-page", None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(
        a.body.contains("没有这个页面") && a.body.contains("href=\"/\""),
        "{}",
        a.body
    );
}

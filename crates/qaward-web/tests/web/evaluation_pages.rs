//! The evaluation's pages (issue #10), on SQLite and PostgreSQL: the Office runs a draw
//! and a stage from the desk with the supervision group's value, an expert scores on the
//! score sheet, a refused sheet comes back with what was typed and the article, a
//! conflicted expert finds no trace of the application, and the applicant asks for an
//! exclusion from its own page.

use axum::http::StatusCode;
use qaward_app::evaluation::{panels, pool};
use qaward_domain::application::Stage;

use crate::common::TestApp;
use qaward_app::testing::Backend;

qaward_app::testing::on_both!(
    a17_1_the_office_draws_a_panel_from_the_desk_with_the_supervision_groups_value,
    a17_2_an_expert_scores_on_the_sheet_and_a_refused_sheet_keeps_what_was_typed,
    a29_a_conflicted_expert_finds_no_trace_of_the_application_on_any_page,
    a29_the_applicant_asks_for_an_exclusion_from_its_evaluation_page,
    a17_2_the_office_completes_the_evaluation_and_the_desk_shows_each_score_s_derivation,
);

async fn a17_1_the_office_draws_a_panel_from_the_desk_with_the_supervision_groups_value(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let office = t.login("office").await;
    let desk = t.page("/evaluation", Some(&office)).await;
    assert!(
        desk.contains("评审工作台") && desk.contains("尚未制定评审方案"),
        "{desk}"
    );
    // A plan whose weights do not add up comes back with the article and the values typed.
    let mut plan = vec![
        ("weight_material", "40"),
        ("weight_on_site", "40"),
        ("weight_defense", "30"),
        ("aggregation", "mean"),
        ("spread", "20"),
        ("threshold", "600"),
        ("nomination_threshold", "500"),
        ("panel_size", "3"),
    ];
    let a = t.post_form("/evaluation/plan", Some(&office), &plan).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("A17.1") && a.body.contains(r#"value="30""#),
        "{}",
        a.body
    );
    plan[2].1 = "20";
    t.form_redirects("/evaluation/plan", &office, &plan).await;
    t.form_redirects(
        "/evaluation/panels",
        &office,
        &[("name", "第一评审组"), ("field", "综合")],
    )
    .await;
    let cycle = t.cycle().await;
    let office_p = t.as_user("office").await;
    let panel = panels::panels(&t.app, &office_p, cycle).await.unwrap()[0]
        .0
        .id;
    let sid = id.to_string();
    t.form_redirects(
        &format!("/evaluation/panels/{panel}/applications"),
        &office,
        &[("applications", sid.as_str())],
    )
    .await;
    t.form_redirects(&format!("/evaluation/panels/{panel}/draws"), &office, &[])
        .await;
    let draw = panels::panels(&t.app, &office_p, cycle).await.unwrap()[0].1[0].id;
    // The Office cannot draw before the supervision group has given its value.
    let early = t
        .post_form(
            &format!("/evaluation/draws/{draw}/draw"),
            Some(&office),
            &[],
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    let supervisor = t.login("supervisor").await;
    let page = t.page("/evaluation", Some(&supervisor)).await;
    assert!(
        page.contains("提交随机值"),
        "the supervision group is offered the contribution"
    );
    t.form_redirects(
        &format!("/evaluation/draws/{draw}/contribution"),
        &supervisor,
        &[("value", "摇号 0371")],
    )
    .await;
    t.form_redirects(&format!("/evaluation/draws/{draw}/draw"), &office, &[])
        .await;
    let page = t.page("/evaluation", Some(&office)).await;
    for name in ["赵质量", "钱卓越", "孙标准"] {
        assert!(page.contains(name), "{name} drawn and shown");
    }
    // The supervision group reads the desk but has none of the Office's forms.
    let page = t.page("/evaluation", Some(&supervisor)).await;
    assert!(!page.contains(r#"action="/evaluation/plan""#));
    let e = t
        .post_form("/evaluation/plan", Some(&supervisor), &plan)
        .await;
    assert_eq!(e.status, StatusCode::FORBIDDEN);
}

async fn a17_2_an_expert_scores_on_the_sheet_and_a_refused_sheet_keeps_what_was_typed(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let (_, members) = t.material_open(id).await;
    let expert = t.expert(members[0]).await.user.username;
    let s = t.login(&expert).await;
    let tasks = t.page("/evaluation/tasks", Some(&s)).await;
    assert!(tasks.contains("忻州市示例精密机械有限公司"), "{tasks}");
    // The plan is published to the panels: the expert reads what they score under.
    assert!(
        tasks.contains("评审方案") && tasks.contains("合议触发幅度"),
        "{tasks}"
    );
    let path = format!("/evaluation/sheets/{id}/material");
    let sheet = t.page(&path, Some(&s)).await;
    assert!(
        sheet.contains("高层领导的作用") && sheet.contains("得分率"),
        "{sheet}"
    );
    // 33 % is not a score: the article, and the finding typed, come back.
    let bad = t
        .post_form(
            &path,
            Some(&s),
            &[
                ("items[4.1.2][percent]", "33"),
                ("items[4.1.2][finding]", "领导作用突出"),
                ("submit", "false"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("A13") && bad.body.contains("领导作用突出"),
        "{}",
        bad.body
    );
    // Every item at 60 % with a finding: submitted and sealed.
    let rubric = &t.app.rubrics.organization;
    let mut fields: Vec<(String, String)> = rubric
        .items()
        .flat_map(|i| {
            [
                (format!("items[{}][percent]", i.code), "60".to_owned()),
                (
                    format!("items[{}][finding]", i.code),
                    format!("{}：有据可查", i.name),
                ),
            ]
        })
        .collect();
    fields.push(("submit".into(), "true".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (_, done) = t.form_done(&path, &s, &pairs).await;
    assert_eq!(done.as_deref(), Some("sheet-submitted"));
    let sheet = t.page(&path, Some(&s)).await;
    assert!(
        sheet.contains("修改分数") && !sheet.contains("提交评分表</button>"),
        "sealed"
    );
    // A second submission is refused by A26, the page shown again.
    let again = t.post_form(&path, Some(&s), &pairs).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert!(again.body.contains("A26"), "{}", again.body);
    // The Office's desk lists the stage as open; the evaluation is nowhere near done.
    let office = t.login("office").await;
    let e = t
        .post_form(
            &format!("/evaluation/stages/{}/complete", Stage::Material.code()),
            Some(&office),
            &[],
        )
        .await;
    assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", e.body);
    assert!(e.body.contains("A17.2"), "{}", e.body);
}

async fn a29_a_conflicted_expert_finds_no_trace_of_the_application_on_any_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let (_, members) = t.material_open(id).await;
    let org = t.as_user("applicant-org").await;
    let office = t.as_user("office").await;
    let req = pool::request_exclusion(&t.app, &org, id, "某专家", "", "曾为我公司提供咨询")
        .await
        .unwrap();
    pool::decide_exclusion(&t.app, &office, req, Some(members[0]), "属实")
        .await
        .unwrap();
    let expert = t.expert(members[0]).await.user.username;
    let s = t.login(&expert).await;
    let tasks = t.page("/evaluation/tasks", Some(&s)).await;
    assert!(!tasks.contains("忻州市示例精密机械有限公司"), "{tasks}");
    let ghost = id.0 + 1000;
    for path in [
        "/evaluation/sheets/{}/material",
        "/applications/{}/evaluation",
        "/applications/{}",
    ] {
        let real = t.get(&path.replace("{}", &id.to_string()), Some(&s)).await;
        let none = t
            .get(&path.replace("{}", &ghost.to_string()), Some(&s))
            .await;
        assert_eq!(real.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(real.status, none.status, "{path}");
        assert!(!real.body.contains("忻州市示例精密机械有限公司"), "{path}");
    }
    let post = t
        .post_form(
            &format!("/evaluation/sheets/{id}/material"),
            Some(&s),
            &[("submit", "false")],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
}

async fn a29_the_applicant_asks_for_an_exclusion_from_its_evaluation_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let org = t.login("applicant-org").await;
    let path = format!("/applications/{id}/evaluation");
    let page = t.page(&path, Some(&org)).await;
    assert!(page.contains("申请回避"), "{page}");
    // Without a reason: refused, the name typed still there.
    let post = format!("/applications/{id}/exclusions");
    let a = t
        .post_form(&post, Some(&org), &[("expert_name", "张某某")])
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("张某某"), "{}", a.body);
    let (_, done) = t
        .form_done(
            &post,
            &org,
            &[
                ("expert_name", "张某某"),
                ("expert_employer", "某大学"),
                ("reason", "曾任我公司顾问"),
            ],
        )
        .await;
    assert_eq!(done.as_deref(), Some("exclusion-requested"));
    let page = t.page(&path, Some(&org)).await;
    assert!(page.contains("张某某") && page.contains("待决定"), "{page}");
    // The Office sees it on its desk to decide; another applicant sees nothing.
    let office = t.login("office").await;
    let desk = t.page("/evaluation", Some(&office)).await;
    assert!(desk.contains("曾任我公司顾问"), "{desk}");
    let person = t.login("applicant-person").await;
    assert_eq!(
        t.get(&path, Some(&person)).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn a17_2_the_office_completes_the_evaluation_and_the_desk_shows_each_score_s_derivation(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    t.through_the_stages(id, 60).await;
    let office = t.login("office").await;
    let sid = id.to_string();
    t.form_redirects(
        "/evaluation/complete",
        &office,
        &[("applications", sid.as_str())],
    )
    .await;
    let desk = t.page("/evaluation", Some(&office)).await;
    assert!(
        desk.contains("600.00") && desk.contains("材料评审 600.00（3）"),
        "{desk}"
    );
    assert!(desk.contains("市长质量奖"), "the level reached");
    let csv = t.get("/evaluation/results.csv", Some(&office)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with('\u{feff}')
            && csv.body.contains("1,\"忻州市示例精密机械有限公司\",600.00"),
        "{}",
        csv.body
    );
    // The applicant reads none of it.
    let org = t.login("applicant-org").await;
    assert_eq!(
        t.get("/evaluation/results.csv", Some(&org)).await.status,
        StatusCode::FORBIDDEN
    );
}

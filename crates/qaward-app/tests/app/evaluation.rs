//! The evaluation's panels, conflicts, plan and supervision through the use cases (issue
//! #10; A17.1, A17.3, A29): a draw re-run from its record gives the same panel, too few
//! experts say how many are missing, the register's conflicts and the applicant's
//! requests keep an expert away without telling them the application exists, the plan
//! freezes when scoring opens, and the supervision group reads all and changes nothing.

use qaward_app::AppError;
use qaward_app::evaluation::{panels, plan, pool, results, sessions, sheets};
use qaward_app::testing::evaluation::{items, plan as story_plan};
use qaward_app::testing::{TestApp, refused};
use qaward_domain::application::Stage;
use qaward_domain::evaluation::conflict::ConflictSource;
use qaward_domain::evaluation::draw::{self, Exclusion};
use qaward_domain::message::Arg;
use qaward_store::Backend;

qaward_store::on_both!(
    a17_1_a_draw_rerun_from_its_record_gives_the_same_panel,
    a17_1_a_draw_with_too_few_experts_says_how_many_are_missing,
    a29_the_register_detects_an_expert_of_the_applicant_before_the_draw,
    a29_a_conflicted_expert_learns_nothing_of_the_application,
    a17_1_the_plan_is_frozen_once_scoring_opens,
    a17_3_the_supervision_group_reads_everything_and_changes_nothing,
    a17_1_only_the_office_or_its_agency_runs_the_evaluation,
    a9_2_the_office_entrusts_an_agency_with_one_cycle_by_a_document,
);

async fn a17_1_a_draw_rerun_from_its_record_gives_the_same_panel(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (panel, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    let list = panels::panels(&t.app, &office, cycle).await.unwrap();
    let (_, draws) = list.iter().find(|(p, _)| p.id == panel).unwrap();
    let record = panels::draw_record(&t.app, &office, cycle, draws[0].id)
        .await
        .unwrap();
    assert_eq!(record.drawn, members);
    assert_eq!(draw::verify(&record).unwrap(), members);
    // The seed was committed before the supervision group's value: its hash matches.
    assert_eq!(
        draw::commitment(record.seed.as_deref().unwrap()),
        record.commitment
    );
    let mut forged = record.clone();
    forged.drawn.reverse();
    assert_eq!(
        draw::verify(&forged).unwrap_err().message.key,
        "draw-result-differs"
    );
    // The same panel cannot be drawn twice; a second commit is refused.
    let e = panels::commit_draw(&t.app, &office, cycle, panel, None)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.1", "draw-panel-drawn"), "{e:?}");
}

async fn a17_1_a_draw_with_too_few_experts_says_how_many_are_missing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.cycle().await;
    let office = t.as_user("office").await;
    let mut p = story_plan();
    p.panel_size = 5;
    plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap();
    let panel = panels::create_panel(&t.app, &office, cycle, "第一评审组", "综合")
        .await
        .unwrap();
    panels::assign(&t.app, &office, cycle, panel, &[id])
        .await
        .unwrap();
    let e = panels::commit_draw(&t.app, &office, cycle, panel, None)
        .await
        .unwrap_err();
    let AppError::Refused(r) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (r.rule.as_str(), r.message.key),
        ("A17.1", "draw-too-few-experts")
    );
    assert_eq!(r.message.get("missing"), Some(&Arg::Int(2)));
    // Nothing was written: no draw is waiting.
    let list = panels::panels(&t.app, &office, cycle).await.unwrap();
    assert!(list[0].1.is_empty());
}

async fn a29_the_register_detects_an_expert_of_the_applicant_before_the_draw(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.cycle().await;
    let office = t.as_user("office").await;
    // expert1 works for the applicant: the register knows it by the employer's name.
    let mut e = pool::ExpertInput {
        name: "赵质量".into(),
        employer: "忻州市示例精密机械有限公司".into(),
        employer_code: None,
        title: "总工程师".into(),
        fields: vec!["综合".into()],
        region: "忻州市".into(),
        contact: "0350-1".into(),
        available: true,
    };
    let expert1 = pool::put_expert(&t.app, &office, "expert1", &e)
        .await
        .unwrap();
    e.employer_code = Some("not a code".into());
    let bad = pool::put_expert(&t.app, &office, "expert1", &e)
        .await
        .unwrap_err();
    assert!(
        matches!(&bad, AppError::Invalid { field, .. } if field == "employer_code"),
        "{bad:?}"
    );
    let mut p = story_plan();
    p.panel_size = 2;
    plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap();
    let (_, members) = t.panel_drawn(&[id]).await;
    assert_eq!(members.len(), 2);
    assert!(
        !members.contains(&expert1),
        "a conflicted expert is never drawn"
    );
    let list = panels::panels(&t.app, &office, cycle).await.unwrap();
    let record = &list[0].1[0].record;
    let entry = record.pool.iter().find(|x| x.expert == expert1).unwrap();
    assert_eq!(entry.excluded, Some(Exclusion::Conflict));
    // The conflict is in the register from now on, for the supervision group to see.
    let supervisor = t.as_user("supervisor").await;
    let r = results::record(&t.app, &supervisor, cycle).await.unwrap();
    assert!(
        r.conflicts
            .iter()
            .any(|c| c.user_id == expert1 && c.source == ConflictSource::Detected)
    );
}

async fn a29_a_conflicted_expert_learns_nothing_of_the_application(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    let out = members[1];
    let expert = t.expert(out).await;
    assert_eq!(sheets::my_tasks(&t.app, &expert).await.unwrap().len(), 1);
    // The applicant asks that the expert be kept away; the Office upholds it.
    let org = t.as_user("applicant-org").await;
    let req = pool::request_exclusion(
        &t.app,
        &org,
        id,
        "某专家",
        "某大学",
        "曾为我公司提供咨询服务",
    )
    .await
    .unwrap();
    pool::decide_exclusion(&t.app, &office, req, Some(out), "咨询关系属实")
        .await
        .unwrap();
    // Gone from the list, and every door answers as for an application that does not
    // exist: not a refusal that would say it does.
    assert!(sheets::my_tasks(&t.app, &expert).await.unwrap().is_empty());
    let ghost = qaward_domain::ids::ApplicationId(id.0 + 1000);
    let r = items(&t.app.rubrics.organization, 50);
    for target in [id, ghost] {
        let e = sheets::sheet(&t.app, &expert, target, Stage::Material)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
        let e = sheets::save_sheet(&t.app, &expert, target, Stage::Material, &r, false)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
        let e = sessions::visits(&t.app, &expert, target).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    }
    // The others still score it; the excluded expert's sheet is not awaited.
    let rest: Vec<_> = members.iter().copied().filter(|m| *m != out).collect();
    t.scored(id, Stage::Material, &rest, 60).await;
    plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    // A decided request cannot be decided again.
    let again = pool::decide_exclusion(&t.app, &office, req, None, "重复")
        .await
        .unwrap_err();
    assert!(matches!(again, AppError::Conflict(_)), "{again:?}");
}

async fn a17_1_the_plan_is_frozen_once_scoring_opens(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let office = t.as_user("office").await;
    let mut p = story_plan();
    p.spread = qaward_domain::scoring::Percent::new(15).unwrap();
    // Before scoring opens the Office may change its plan freely.
    plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap();
    let e = plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.1", "stage-panels-not-ready"), "{e:?}");
    t.panel_drawn(&[id]).await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    p.spread = qaward_domain::scoring::Percent::new(10).unwrap();
    let e = plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.1", "plan-frozen"), "{e:?}");
    plan::set_plan(
        &t.app,
        &office,
        cycle,
        &p,
        Some("专家意见分歧较大，收紧合议幅度"),
    )
    .await
    .unwrap();
    let supervisor = t.as_user("supervisor").await;
    let r = results::record(&t.app, &supervisor, cycle).await.unwrap();
    let last = r.amendments.last().unwrap();
    assert!(last.after_freeze);
    assert_eq!(last.reason, "专家意见分歧较大，收紧合议幅度");
    assert_eq!(r.amendments.len(), 2);
}

async fn a17_3_the_supervision_group_reads_everything_and_changes_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    let supervisor = t.as_user("supervisor").await;
    // It changes nothing of the Office's.
    for e in [
        plan::set_plan(&t.app, &supervisor, cycle, &story_plan(), Some("x"))
            .await
            .unwrap_err(),
        plan::open_stage(&t.app, &supervisor, cycle, Stage::Material)
            .await
            .unwrap_err(),
        panels::create_panel(&t.app, &supervisor, cycle, "监督组的组", "综合")
            .await
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    }
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    // A stage is signed off only once complete.
    let e = plan::sign_off_stage(&t.app, &supervisor, cycle, Stage::Material)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.3", "stage-not-to-sign"), "{e:?}");
    t.scored(id, Stage::Material, &members, 70).await;
    plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    plan::sign_off_stage(&t.app, &supervisor, cycle, Stage::Material)
        .await
        .unwrap();
    // An observation the Office answers, once; the supervision group cannot answer it.
    let n = plan::observe(
        &t.app,
        &supervisor,
        cycle,
        Some(Stage::Material),
        "请说明专家评审意见的依据。",
    )
    .await
    .unwrap();
    let e = plan::answer_observation(&t.app, &supervisor, cycle, n, "自答")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    plan::answer_observation(&t.app, &office, cycle, n, "已补充依据。")
        .await
        .unwrap();
    let r = results::record(&t.app, &supervisor, cycle).await.unwrap();
    assert_eq!(r.sheets.len(), 3);
    assert_eq!(r.observations[0].answer.as_deref(), Some("已补充依据。"));
    let stage = &r.stages[0];
    assert_eq!(stage.signed_off_by.as_deref(), Some("supervisor"));
    assert!(r.panels[0].1[0].record.seed.is_some());
}

async fn a17_1_only_the_office_or_its_agency_runs_the_evaluation(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.accepted().await;
    let cycle = t.cycle().await;
    for user in qaward_app::testing::DEMO_USERS {
        let p = t.as_user(user).await;
        let may_plan = plan::set_plan(&t.app, &p, cycle, &story_plan(), Some("演练"))
            .await
            .is_ok();
        assert_eq!(
            may_plan,
            matches!(*user, "office" | "agency"),
            "{user} set the plan"
        );
        let may_read = results::record(&t.app, &p, cycle).await.is_ok();
        assert_eq!(
            may_read,
            matches!(*user, "office" | "agency" | "supervisor"),
            "{user} read the record"
        );
        let may_see_pool = pool::experts(&t.app, &p).await.is_ok();
        assert_eq!(
            may_see_pool,
            matches!(*user, "office" | "agency" | "supervisor"),
            "{user} read the pool"
        );
    }
}

async fn a9_2_the_office_entrusts_an_agency_with_one_cycle_by_a_document(backend: Backend) {
    use qaward_app::accounts::{self, NewStaff};
    use qaward_domain::permission::{Grant, Role, Scope};
    let t = TestApp::new(backend).await;
    let cycle = t.cycle().await;
    let admin = t.as_user("admin").await;
    // An agency working for another cycle only.
    let elsewhere = Grant::new(
        Role::Agency,
        Scope::Cycles(vec![qaward_domain::ids::CycleId(cycle.0 + 100)]),
    )
    .unwrap();
    let staff = NewStaff {
        username: "agency-two".into(),
        display_name: "山西某质量评价中心".into(),
        password: qaward_app::demo::PASSWORD.into(),
        email: None,
        grants: vec![elsewhere],
        service: false,
    };
    accounts::create_staff(&t.app, &admin, &staff)
        .await
        .unwrap();
    let agency = t.as_user("agency-two").await;
    let e = plan::set_plan(&t.app, &agency, cycle, &story_plan(), None)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    // Only the Office entrusts, and with a document.
    let e = pool::entrust(&t.app, &agency, cycle, "agency-two", "自荐")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let office = t.as_user("office").await;
    let e = pool::entrust(&t.app, &office, cycle, "agency-two", " ")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "document"),
        "{e:?}"
    );
    pool::entrust(
        &t.app,
        &office,
        cycle,
        "agency-two",
        "忻质奖办〔2026〕3号 关于委托开展评审工作的函",
    )
    .await
    .unwrap();
    let again = pool::entrust(&t.app, &office, cycle, "agency-two", "重复")
        .await
        .unwrap_err();
    assert!(matches!(again, AppError::Conflict(_)), "{again:?}");
    // From now on it acts within that cycle.
    let agency = t.as_user("agency-two").await;
    plan::set_plan(&t.app, &agency, cycle, &story_plan(), None)
        .await
        .unwrap();
    let list = pool::entrustments(&t.app, &office, cycle).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].document.starts_with("忻质奖办〔2026〕3号"));
}

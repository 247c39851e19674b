//! Score sheets through the use cases (issue #10; A17.2, A26): stages in order and scores
//! only in an open stage, independence until one's own submission, sealed sheets whose
//! changes keep their history, consensus on flagged items by the panel leader, and the
//! step to Evaluated with the final score's derivation.

use qaward_app::AppError;
use qaward_app::evaluation::{panels, plan, results, sessions, sheets};
use qaward_app::testing::evaluation::items;
use qaward_app::testing::{TestApp, refused};
use qaward_domain::application::{Stage, State};
use qaward_domain::evaluation::stage::ItemScore;
use qaward_domain::policy::Level;
use qaward_domain::scoring::Percent;
use qaward_store::Backend;

qaward_store::on_both!(
    a17_2_stages_run_in_order_and_scores_only_while_open,
    a17_2_nobody_sees_another_experts_scores_before_submitting,
    a26_a_submitted_sheet_is_sealed_and_a_change_keeps_its_history,
    a17_2_flagged_items_need_the_leaders_consensus_before_the_stage_completes,
    a17_2_the_evaluation_completes_with_a_derived_score,
    a17_2_an_expert_off_the_panel_cannot_score,
    a13_a_sheet_scores_only_the_items_of_the_applicants_rubric,
    a17_2_the_presentation_is_recorded_with_attendance_and_questions,
    a17_2_an_expert_sees_the_stage_deadline_and_when_the_sheet_is_late,
);

async fn a17_2_stages_run_in_order_and_scores_only_while_open(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    let e1 = t.expert(members[0]).await;
    let r = items(&t.app.rubrics.organization, 60);
    let e = sheets::save_sheet(&t.app, &e1, id, Stage::Material, &r, false)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-not-open"), "{e:?}");
    let e = plan::open_stage(&t.app, &office, cycle, Stage::OnSite)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-previous-not-complete"), "{e:?}");
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    // Incomplete sheets are kept as drafts but not submitted.
    let mut half = r.clone();
    half.remove("4.7.2");
    sheets::save_sheet(&t.app, &e1, id, Stage::Material, &half, false)
        .await
        .unwrap();
    let e = sheets::save_sheet(&t.app, &e1, id, Stage::Material, &half, true)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "sheet-incomplete"), "{e:?}");
    let e = plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-outstanding"), "{e:?}");
    t.scored(id, Stage::Material, &members, 60).await;
    plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    // A score after the stage closed is refused, a change as much as a new sheet.
    let e = sheets::save_sheet(&t.app, &e1, id, Stage::Material, &r, true)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-closed"), "{e:?}");
    let e = sheets::amend_sheet(&t.app, &e1, id, Stage::Material, &r, "复核")
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-closed"), "{e:?}");
    // The on-site review needs its visit scheduled before it completes.
    plan::open_stage(&t.app, &office, cycle, Stage::OnSite)
        .await
        .unwrap();
    t.scored(id, Stage::OnSite, &members, 60).await;
    let e = plan::complete_stage(&t.app, &office, cycle, Stage::OnSite)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-outstanding"), "{e:?}");
}

async fn a17_2_nobody_sees_another_experts_scores_before_submitting(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    t.scored(id, Stage::Material, &members[..1], 70).await;
    let e2 = t.expert(members[1]).await;
    let r = items(&t.app.rubrics.organization, 60);
    sheets::save_sheet(&t.app, &e2, id, Stage::Material, &r, false)
        .await
        .unwrap();
    let view = sheets::sheet(&t.app, &e2, id, Stage::Material)
        .await
        .unwrap();
    assert!(view.others.is_empty(), "a draft shows nobody else's scores");
    assert!(view.flags.is_empty());
    sheets::save_sheet(&t.app, &e2, id, Stage::Material, &r, true)
        .await
        .unwrap();
    let view = sheets::sheet(&t.app, &e2, id, Stage::Material)
        .await
        .unwrap();
    assert_eq!(view.others.len(), 1);
    assert_eq!(view.others[0].expert, members[0]);
    // The applicant reads the dates that concern it, never the scores.
    let org = t.as_user("applicant-org").await;
    assert!(sessions::visits(&t.app, &org, id).await.unwrap().is_empty());
    let e = sheets::sheet(&t.app, &org, id, Stage::Material)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
}

async fn a26_a_submitted_sheet_is_sealed_and_a_change_keeps_its_history(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    t.scored(id, Stage::Material, &members[..1], 60).await;
    let e1 = t.expert(members[0]).await;
    let r = items(&t.app.rubrics.organization, 80);
    let e = sheets::save_sheet(&t.app, &e1, id, Stage::Material, &r, false)
        .await
        .unwrap_err();
    assert!(refused(&e, "A26", "sheet-already-submitted"), "{e:?}");
    let change: std::collections::BTreeMap<_, _> = [(
        "4.1.2".to_owned(),
        ItemScore {
            percent: Percent::new(75).unwrap(),
            finding: "复核后上调".into(),
        },
    )]
    .into();
    let e = sheets::amend_sheet(&t.app, &e1, id, Stage::Material, &change, " ")
        .await
        .unwrap_err();
    assert!(refused(&e, "A26", "amend-needs-reason"), "{e:?}");
    sheets::amend_sheet(
        &t.app,
        &e1,
        id,
        Stage::Material,
        &change,
        "补充材料显示高层领导作用突出",
    )
    .await
    .unwrap();
    let view = sheets::sheet(&t.app, &e1, id, Stage::Material)
        .await
        .unwrap();
    let mine = view.mine.unwrap();
    assert_eq!(mine.items["4.1.2"].percent.get(), 75);
    assert_eq!(view.history.len(), 1);
    let h = &view.history[0];
    assert_eq!(
        (h.old_percent, h.new_percent, h.by.as_str()),
        (60, 75, e1.user.username.as_str())
    );
    // The supervision group sees who changed what, when and why.
    let supervisor = t.as_user("supervisor").await;
    let record = results::record(&t.app, &supervisor, cycle).await.unwrap();
    assert_eq!(record.changes[0].1.reason, "补充材料显示高层领导作用突出");
}

async fn a17_2_flagged_items_need_the_leaders_consensus_before_the_stage_completes(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    t.scored(id, Stage::Material, &members[1..], 50).await;
    // The leader scores 4.1.2 at 90 %: 40 points above the others, over the spread of 20.
    let leader = t.expert(members[0]).await;
    let mut r = items(&t.app.rubrics.organization, 50);
    r.get_mut("4.1.2").unwrap().percent = Percent::new(90).unwrap();
    sheets::save_sheet(&t.app, &leader, id, Stage::Material, &r, true)
        .await
        .unwrap();
    let e = plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-outstanding"), "{e:?}");
    let sixty = Percent::new(60).unwrap();
    let other = t.expert(members[1]).await;
    let e = sheets::record_consensus(&t.app, &other, id, Stage::Material, "4.1.2", sixty, "合议")
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.1", "consensus-leader-only"), "{e:?}");
    let e = sheets::record_consensus(&t.app, &leader, id, Stage::Material, "4.1.3", sixty, "合议")
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "consensus-not-flagged"), "{e:?}");
    sheets::record_consensus(
        &t.app,
        &leader,
        id,
        Stage::Material,
        "4.1.2",
        sixty,
        "经合议，按现场证据取 60%",
    )
    .await
    .unwrap();
    plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
}

async fn a17_2_the_evaluation_completes_with_a_derived_score(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let office = t.as_user("office").await;
    let e = results::complete(&t.app, &office, &[id]).await.unwrap_err();
    assert!(refused(&e, "A17.2", "stages-incomplete"), "{e:?}");
    t.through_the_stages(id, 60).await;
    let expert = t.as_user("expert1").await;
    let e = results::complete(&t.app, &expert, &[id]).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    assert_eq!(
        results::complete(&t.app, &office, &[id]).await.unwrap(),
        vec![State::Evaluated]
    );
    let cycle = t.cycle().await;
    let list = results::results(&t.app, &office, cycle).await.unwrap();
    assert_eq!(list.len(), 1);
    let first = &list[0];
    assert_eq!(
        (first.rank, first.score.to_string().as_str()),
        (1, "600.00")
    );
    assert_eq!(first.level, Some(Level::Award));
    assert_eq!(first.derivation["final_score"], "600.00");
    // Nothing more is scored once evaluated.
    let r = items(&t.app.rubrics.organization, 90);
    let member = t
        .expert(
            panels::panels(&t.app, &office, cycle).await.unwrap()[0]
                .0
                .members[0],
        )
        .await;
    let e = sheets::save_sheet(&t.app, &member, id, Stage::Defense, &r, true)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Refused(_)), "{e:?}");
}

async fn a17_2_an_expert_off_the_panel_cannot_score(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.cycle().await;
    let office = t.as_user("office").await;
    let mut p = qaward_app::testing::evaluation::plan();
    p.panel_size = 2;
    plan::set_plan(&t.app, &office, cycle, &p, None)
        .await
        .unwrap();
    let (_, members) = t.panel_drawn(&[id]).await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    let mut outsider = None;
    for u in ["expert1", "expert2", "expert3"] {
        let p = t.as_user(u).await;
        if !members.contains(&p.user.id) {
            outsider = Some(p);
        }
    }
    let p = outsider.expect("one demo expert is not drawn");
    let r = items(&t.app.rubrics.organization, 60);
    let e = sheets::save_sheet(&t.app, &p, id, Stage::Material, &r, true)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    assert!(sheets::my_tasks(&t.app, &p).await.unwrap().is_empty());
}

async fn a13_a_sheet_scores_only_the_items_of_the_applicants_rubric(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let cycle = t.planned().await;
    let (_, members) = t.panel_drawn(&[id]).await;
    let office = t.as_user("office").await;
    plan::open_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    let e1 = t.expert(members[0]).await;
    // The organization is scored on the GB/T 19580 layout, not on the individual rubric.
    let person_items = items(&t.app.rubrics.individual, 50);
    let e = sheets::save_sheet(&t.app, &e1, id, Stage::Material, &person_items, false)
        .await
        .unwrap_err();
    assert!(refused(&e, "A13", "score-unknown-item"), "{e:?}");
    let view = sheets::sheet(&t.app, &e1, id, Stage::Material)
        .await
        .unwrap();
    assert_eq!(view.rubric.id, t.app.rubrics.organization.id);
    assert!(view.mine.is_none(), "nothing was saved");
}

async fn a17_2_the_presentation_is_recorded_with_attendance_and_questions(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let (cycle, members) = t.material_open(id).await;
    let office = t.as_user("office").await;
    // Nothing to record before a session is scheduled, nor outside an open stage.
    let e = sessions::record_minutes(&t.app, &office, id, Stage::Material, "总经理", "无")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "stage"),
        "{e:?}"
    );
    t.scored(id, Stage::Material, &members, 60).await;
    plan::complete_stage(&t.app, &office, cycle, Stage::Material)
        .await
        .unwrap();
    plan::open_stage(&t.app, &office, cycle, Stage::OnSite)
        .await
        .unwrap();
    let day = qaward_app::testing::d("2026-12-10");
    sessions::schedule(
        &t.app,
        &office,
        id,
        Stage::OnSite,
        day,
        "公司总部",
        members.clone(),
    )
    .await
    .unwrap();
    let e = sessions::record_minutes(&t.app, &office, id, Stage::Defense, "总经理", "问")
        .await
        .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-not-open"), "{e:?}");
    sessions::record_minutes(
        &t.app,
        &office,
        id,
        Stage::OnSite,
        "总经理、质量部长",
        "问：质量损失率如何统计？答：按月统计。",
    )
    .await
    .unwrap();
    // The applicant sees the date, the place and who came, never a score; it was told of
    // the visit, and so was the team.
    let org = t.as_user("applicant-org").await;
    let told = qaward_app::notify::list(&t.app, &org).await.unwrap();
    assert!(
        told.iter()
            .any(|n| n.text.contains("已安排现场评审：2026年12月10日")),
        "{told:?}"
    );
    let member = t.expert(members[0]).await;
    let told = qaward_app::notify::list(&t.app, &member).await.unwrap();
    assert!(told.iter().any(|n| n.text.contains("已被抽取")), "{told:?}");
    assert!(
        told.iter().any(|n| n.text.contains("请参加现场评审")),
        "{told:?}"
    );
    let v = sessions::visits(&t.app, &org, id).await.unwrap();
    assert_eq!(v[0].attendance.as_deref(), Some("总经理、质量部长"));
    let supervisor = t.as_user("supervisor").await;
    let r = results::record(&t.app, &supervisor, cycle).await.unwrap();
    let m = r.sessions[0].minutes.as_ref().unwrap();
    assert!(m.questions.contains("质量损失率"));
    // A photo of the visit joins the application as its record, internal; a disguised file
    // does not, and nor does anything for a stage with no visit scheduled.
    let photo =
        |b: &'static [u8]| futures_util::stream::iter([Ok::<_, qaward_app::files::BodyError>(b)]);
    let jpeg: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 site photo";
    sessions::attach_record(&t.app, &office, id, Stage::OnSite, "现场.jpg", photo(jpeg))
        .await
        .unwrap();
    let e = sessions::attach_record(
        &t.app,
        &office,
        id,
        Stage::OnSite,
        "记录.pdf",
        photo(b"MZ\x90\x00 not a pdf"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, AppError::Invalid { .. } | AppError::Refused(_)),
        "{e:?}"
    );
    let e = sessions::attach_record(&t.app, &org, id, Stage::OnSite, "x.jpg", photo(jpeg))
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let v = qaward_app::applications::view(&t.app, &org, id)
        .await
        .unwrap();
    let records: Vec<_> = v
        .attachments
        .iter()
        .filter(|a| a.purpose == qaward_domain::material::Purpose::EvaluationRecord)
        .collect();
    assert_eq!(records.len(), 1);
}

async fn a17_2_an_expert_sees_the_stage_deadline_and_when_the_sheet_is_late(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.accepted().await;
    let (cycle, members) = t.material_open(id).await;
    let office = t.as_user("office").await;
    let e = plan::set_stage_due(
        &t.app,
        &office,
        cycle,
        Stage::Material,
        qaward_app::testing::d("2026-12-01"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "due"),
        "{e:?}"
    );
    let e = plan::set_stage_due(
        &t.app,
        &office,
        cycle,
        Stage::OnSite,
        qaward_app::testing::d("2026-12-20"),
    )
    .await
    .unwrap_err();
    assert!(refused(&e, "A17.2", "stage-not-open"), "{e:?}");
    plan::set_stage_due(
        &t.app,
        &office,
        cycle,
        Stage::Material,
        qaward_app::testing::d("2026-12-11"),
    )
    .await
    .unwrap();
    let expert = t.expert(members[0]).await;
    let tasks = sheets::my_tasks(&t.app, &expert).await.unwrap();
    assert_eq!(
        tasks[0].due,
        vec![(Stage::Material, qaward_app::testing::d("2026-12-11"), false)]
    );
    t.set_today("2026-12-14");
    let tasks = sheets::my_tasks(&t.app, &expert).await.unwrap();
    assert!(
        tasks[0].due[0].2,
        "late once the day has passed without the sheet"
    );
    t.scored(id, Stage::Material, &members[..1], 60).await;
    let tasks = sheets::my_tasks(&t.app, &expert).await.unwrap();
    assert!(!tasks[0].due[0].2, "submitted: not late any more");
}

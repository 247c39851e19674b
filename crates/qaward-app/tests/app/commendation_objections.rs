//! The commendation's later checks through the use cases (issue #11; A18.2, A18.3, A19.2,
//! A20.2, A4.3): the Office proceeding without an overdue background opinion, an objection
//! upheld against a candidate, an open objection holding the report and the decision, and
//! the Nomination Award's quota.

use qaward_app::commendation::{candidates, decision};
use qaward_app::testing::{TestApp, d, refused};
use qaward_domain::application::State;
use qaward_domain::policy::Level;
use qaward_store::Backend;

use super::commendation::{A, N, names};

qaward_store::on_both!(
    a18_2_the_office_reads_the_background_opinions_and_proceeds_without_an_overdue_one,
    a18_3_an_objection_upheld_by_the_leading_group_takes_the_candidate_off,
    a4_3_an_eleventh_nomination_award_is_refused,
    a19_2_a20_2_an_open_objection_to_a_proposed_winner_holds_the_report_and_the_decision,
);

async fn a18_2_the_office_reads_the_background_opinions_and_proceeds_without_an_overdue_one(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80]).await;
    t.candidates_by_score(cycle, &ids).await;
    let office = t.as_user("office").await;
    candidates::publish_candidate_notices(&t.app, &office, cycle, d("2026-12-07"), None, "0350")
        .await
        .unwrap();
    let reviewer = t.as_user("county-reviewer").await;
    let depts = ["public-security".to_owned(), "tax".to_owned()];
    candidates::request_background_opinions(&t.app, &reviewer, ids[0], &depts, d("2026-12-09"))
        .await
        .unwrap();
    t.answer_all().await;
    let read = qaward_app::opinions::of_application(&t.app, &office, ids[0])
        .await
        .unwrap();
    let tax = read
        .requests
        .iter()
        .find(|r| r.request.dept_id == "tax")
        .unwrap();
    assert!(tax.open && tax.request.answered_at.is_none());
    let answered = read
        .requests
        .iter()
        .find(|r| r.request.dept_id == "public-security")
        .unwrap();
    assert_eq!(answered.request.answer.as_deref(), Some("无违法犯罪记录"));
    // Not before its due date.
    let e = qaward_app::opinions::proceed_without(&t.app, &office, tax.request.id, "逾期未复函")
        .await
        .unwrap_err();
    assert!(refused(&e, "A18.2", "opinion-not-yet-overdue"), "{e:?}");
    t.set_today("2026-12-14");
    let e = t.deliberated(cycle, &[(ids[0], A)]).await.unwrap_err();
    assert!(names(&e, "A18.2", "opinions-unanswered"), "{e:?}");
    qaward_app::opinions::proceed_without(
        &t.app,
        &office,
        tax.request.id,
        "逾期未复函，经电话核实无不良记录",
    )
    .await
    .unwrap();
    assert_eq!(
        t.deliberated(cycle, &[(ids[0], A)]).await.unwrap(),
        [State::Proposed(Level::Award)]
    );
    let desk = qaward_app::commendation::desk(&t.app, &office, cycle)
        .await
        .unwrap();
    let o = desk.background[&ids[0]];
    assert_eq!((o.requested, o.answered, o.adverse), (2, 2, 0));
}

async fn a18_3_an_objection_upheld_by_the_leading_group_takes_the_candidate_off(b: Backend) {
    use qaward_app::objections::{self, Consequence, NewObjection};
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 80]).await;
    t.candidates_by_score(cycle, &ids).await;
    let office = t.as_user("office").await;
    let notices = candidates::publish_candidate_notices(
        &t.app,
        &office,
        cycle,
        d("2026-12-07"),
        None,
        "0350",
    )
    .await
    .unwrap();
    let o = NewObjection {
        application: ids[1],
        name: None,
        contact: None,
        content: "该单位去年发生重大质量事故".into(),
        evidence: Some("市场监管部门通报".into()),
    };
    let code = objections::raise_objection(&t.app, notices[0], &o, "192.0.2.9")
        .await
        .unwrap();
    let lg = t.as_user("leading-group").await;
    let queue = objections::objection_queue(&t.app, &lg).await.unwrap();
    let objection = queue
        .items
        .iter()
        .find(|x| x.application_id == ids[1])
        .unwrap()
        .id;
    // An open objection holds the deliberation on that candidate (A18.3).
    let reviewer = t.as_user("county-reviewer").await;
    for id in &ids {
        candidates::request_background_opinions(
            &t.app,
            &reviewer,
            *id,
            &["public-security".into()],
            d("2026-12-11"),
        )
        .await
        .unwrap();
    }
    t.answer_all().await;
    t.set_today("2026-12-14");
    let e = t.deliberated(cycle, &[(ids[1], A)]).await.unwrap_err();
    assert!(names(&e, "A18.3", "objections-unhandled"), "{e:?}");
    // A candidate cannot be sent back for correction: upheld, it leaves the list.
    let e = objections::handle_objection(
        &t.app,
        &lg,
        objection,
        Some(Consequence::Return),
        "查证属实",
    )
    .await
    .unwrap_err();
    assert!(format!("{e:?}").contains("move-not-possible"), "{e:?}");
    objections::handle_objection(
        &t.app,
        &lg,
        objection,
        Some(Consequence::Reject),
        "查证属实",
    )
    .await
    .unwrap();
    assert_eq!(
        t.app.store.application(ids[1]).await.unwrap().state,
        State::Rejected
    );
    assert_eq!(
        objections::objection_status(&t.app, &code, "192.0.2.1")
            .await
            .unwrap()
            .1
            .as_deref(),
        Some("查证属实")
    );
    assert_eq!(
        t.deliberated(cycle, &[(ids[0], A)]).await.unwrap(),
        [State::Proposed(Level::Award)]
    );
}

async fn a4_3_an_eleventh_nomination_award_is_refused(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[55; 11]).await;
    t.candidates_by_score(cycle, &ids).await;
    t.candidates_cleared(cycle, &ids).await;
    let all: Vec<_> = ids.iter().map(|id| (*id, N)).collect();
    let e = t.deliberated(cycle, &all).await.unwrap_err();
    assert!(names(&e, "A4.3", "quota-taken"), "{e:?}");
    t.deliberated(cycle, &all[..10]).await.unwrap();
    let e = t.deliberated(cycle, &all[10..]).await.unwrap_err();
    assert!(names(&e, "A4.3", "quota-taken"), "{e:?}");
    assert_eq!(
        t.deliberated(cycle, &[(ids[10], None)]).await.unwrap(),
        [State::NotAwarded]
    );
}

async fn a19_2_a20_2_an_open_objection_to_a_proposed_winner_holds_the_report_and_the_decision(
    b: Backend,
) {
    use qaward_app::objections::{self, NewObjection};
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80]).await;
    t.candidates_by_score(cycle, &ids).await;
    t.candidates_cleared(cycle, &ids).await;
    t.deliberated(cycle, &[(ids[0], A)]).await.unwrap();
    let office = t.as_user("office").await;
    let notices =
        decision::publish_proposed_winners(&t.app, &office, cycle, d("2026-12-14"), None, "0350")
            .await
            .unwrap();
    let o = NewObjection {
        application: ids[0],
        name: Some("张三".into()),
        contact: Some("13800000000".into()),
        content: "申报材料中的检测报告存疑".into(),
        evidence: None,
    };
    objections::raise_objection(&t.app, notices[0], &o, "192.0.2.7")
        .await
        .unwrap();
    t.set_today("2026-12-21");
    let e = decision::file_joint_report(
        &t.app,
        &office,
        cycle,
        "忻质奖办〔2026〕9号",
        d("2026-12-21"),
    )
    .await
    .unwrap_err();
    assert!(names(&e, "A19.2", "objections-unhandled"), "{e:?}");
    let gov = t.as_user("government").await;
    let e = decision::decide(
        &t.app,
        &gov,
        cycle,
        "忻政发〔2026〕30号",
        d("2026-12-21"),
        &[(ids[0], A)],
    )
    .await
    .unwrap_err();
    assert!(names(&e, "A19.2", "objections-unhandled"), "{e:?}");
}

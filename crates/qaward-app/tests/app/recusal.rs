//! Recusal everywhere (A29, issue #8 item 2): once staff declare an interest in an
//! applicant, every queue hides its items — saying how many are hidden, never which — and
//! every read and action about it is refused, whoever they are: the opinion department,
//! the Leading Group, the Office keeping the register.

use qaward_app::testing::{TestApp, d};
use qaward_app::{AppError, acceptance, objections, subjects};
use qaward_domain::permission::Denial;
use qaward_domain::policy::{Level, NoticeKind};
use qaward_domain::subject::{AwardRecord, CycleRef};
use qaward_store::Backend;

qaward_store::on_both!(
    a29_a_recused_opinion_department_sees_a_count_and_cannot_answer,
    a29_a_recused_leading_group_member_cannot_see_or_dismiss_the_objection,
    a29_a_recused_office_user_cannot_touch_the_register,
    a29_a_recused_supervisor_cannot_read_the_log_about_the_applicant,
);

fn recused<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::Forbidden(Denial::Recused(_))))
}

async fn a29_a_recused_opinion_department_sees_a_count_and_cannot_answer(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let office = t.as_user("office").await;
    let depts = ["public-security".to_owned()];
    acceptance::request_opinions(&t.app, &office, id, &depts, d("2026-12-04"))
        .await
        .unwrap();
    let dept = t.as_user("opinion-dept").await;
    let request = acceptance::opinion_queue(&t.app, &dept)
        .await
        .unwrap()
        .items[0]
        .request
        .id;
    let subject = t.subject_of("applicant-org").await;
    subjects::declare_interest(
        &t.app,
        &dept,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "经办人系该企业股东",
    )
    .await
    .unwrap();
    let q = acceptance::opinion_queue(&t.app, &dept).await.unwrap();
    assert_eq!((q.items.len(), q.hidden), (0, 1));
    let answer = acceptance::answer_opinion(&t.app, &dept, request, false, "无").await;
    assert!(recused(answer));
}

async fn a29_a_recused_leading_group_member_cannot_see_or_dismiss_the_objection(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let start = d("2026-11-30");
    acceptance::publish_acceptance_list(&t.app, &office, &[id], start, None, "0350")
        .await
        .unwrap();
    let notice = t
        .app
        .store
        .notice_of(id, NoticeKind::AcceptanceList)
        .await
        .unwrap()
        .unwrap();
    t.set_today("2026-12-01");
    let o = objections::NewObjection {
        application: id,
        name: Some("王某".into()),
        contact: Some("13800000000".into()),
        content: "该企业去年发生质量事故".into(),
        evidence: None,
    };
    objections::raise_objection(&t.app, notice.id, &o, "192.0.2.1")
        .await
        .unwrap();
    let lg = t.as_user("leading-group").await;
    let oid = objections::objection_queue(&t.app, &lg)
        .await
        .unwrap()
        .items[0]
        .id;
    let subject = t.subject_of("applicant-org").await;
    subjects::declare_interest(
        &t.app,
        &lg,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "近亲属任该企业高管",
    )
    .await
    .unwrap();
    // The objector's name and contact are no longer shown; only that one item is hidden.
    let q = objections::objection_queue(&t.app, &lg).await.unwrap();
    assert_eq!((q.items.len(), q.hidden), (0, 1));
    let dismiss = objections::handle_objection(&t.app, &lg, oid, None, "不成立").await;
    assert!(recused(dismiss));
    let uphold = Some(objections::Consequence::Reject);
    assert!(recused(
        objections::handle_objection(&t.app, &lg, oid, uphold, "成立").await
    ));
}

async fn a29_a_recused_office_user_cannot_touch_the_register(backend: Backend) {
    let t = TestApp::new(backend).await;
    let office = t.as_user("office").await;
    let subject = t.subject_of("applicant-org").await;
    subjects::declare_interest(
        &t.app,
        &office,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "曾在该企业任职",
    )
    .await
    .unwrap();
    let award = AwardRecord {
        cycle: CycleRef {
            ordinal: 1,
            year: 2023,
        },
        level: Level::Award,
        revoked_on: None,
        barred_until: None,
        ban_until: None,
    };
    // An award that would bar the applicant for two cycles (A12.1): refused.
    let r = subjects::record_award(&t.app, &office, subject, award, "忻政发〔2023〕1号").await;
    assert!(recused(r));
    assert!(recused(subjects::register(&t.app, &office, subject).await));
    assert!(t.app.store.award_history(subject).await.unwrap().is_empty());
}

async fn a29_a_recused_supervisor_cannot_read_the_log_about_the_applicant(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    let supervisor = t.as_user("supervisor").await;
    let about = qaward_app::audit::Object::Application(id);
    assert!(
        qaward_app::audit::about(&t.app, &supervisor, about.clone(), 10)
            .await
            .is_ok()
    );
    let subject = t.subject_of("applicant-org").await;
    subjects::declare_interest(
        &t.app,
        &supervisor,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "配偶任该企业财务",
    )
    .await
    .unwrap();
    assert!(recused(
        qaward_app::audit::about(&t.app, &supervisor, about, 10).await
    ));
    let of_subject = qaward_app::audit::Object::Subject(subject);
    assert!(recused(
        qaward_app::audit::about(&t.app, &supervisor, of_subject, 10).await
    ));
}

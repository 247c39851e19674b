//! What the register holds is what eligibility reads, at submission and again at formal
//! review (issue #8 items 9–11): the Leading Group's approval relaxing the years of
//! operation (A10.1), accidents (A10.4, looked back from the day of the first submission,
//! so that the same facts give the same answer at every check), and revocations (A28.3,
//! by the application's date), each bar frozen in the register when it is recorded
//! (A12.1, A28.3: 评选周期 counted in years of the policy then in force).

use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::{TestApp, d};
use qaward_app::{AppError, acceptance, registrations, subjects};
use qaward_domain::application::{Channel, ReviewStep, State};
use qaward_domain::eligibility::LeadingGroupApproval;
use qaward_domain::policy::Level;
use qaward_domain::subject::{Accident, AwardRecord, CycleRef};
use qaward_store::Backend;

qaward_store::on_both!(
    a10_1_a_recorded_leading_group_approval_lets_a_young_organization_submit,
    a10_4_an_accident_recorded_after_submission_bars_at_formal_review_counted_from_submission,
    a28_3_a_revocation_before_the_application_bars_it_and_one_after_does_not,
    a12_1_a28_3_the_register_freezes_each_bar_and_a_later_policy_does_not_shorten_it,
);

fn refused_under(r: &Result<impl std::fmt::Debug, AppError>, article: &str) -> bool {
    matches!(r, Err(AppError::Refused(x)) if x.rule.as_str() == article)
}

async fn a10_1_a_recorded_leading_group_approval_lets_a_young_organization_submit(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let young = t.registered("young", "2025-03-01").await;
    let subject = young.user.subject_id.unwrap();
    let office = t.as_user("office").await;
    registrations::confirm(&t.app, &office, subject, "营业执照")
        .await
        .unwrap();
    let id = t.prepared(&young).await;
    let xinfu = || Channel::County("xinfu".into());
    let r = qaward_app::applications::draft::submit(&t.app, &young, id, xinfu()).await;
    assert!(refused_under(&r, "A10.1"), "{r:?}");
    // Decided after today: not yet an approval.
    let late = LeadingGroupApproval {
        reference: "领导小组会议纪要〔2026〕9号".into(),
        decided_on: d("2026-12-20"),
    };
    let r = subjects::record_relaxation(&t.app, &office, subject, &late).await;
    assert!(matches!(r, Err(AppError::Invalid { ref field, .. }) if field == "decided_on"));
    let approval = LeadingGroupApproval {
        reference: "领导小组会议纪要〔2026〕7号".into(),
        decided_on: d("2026-11-20"),
    };
    subjects::record_relaxation(&t.app, &office, subject, &approval)
        .await
        .unwrap();
    let s = qaward_app::applications::draft::submit(&t.app, &young, id, xinfu()).await;
    assert_eq!(s.unwrap(), State::Submitted);
    let register = subjects::register(&t.app, &office, subject).await.unwrap();
    assert_eq!(register.relaxations[0].recorded_by, "office");
}

async fn a10_4_an_accident_recorded_after_submission_bars_at_formal_review_counted_from_submission(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await; // submitted on 2026-11-27
    let office = t.as_user("office").await;
    let subject = t.subject_of("applicant-org").await;
    let record = |date: &str, major: bool| Accident {
        date: d(date),
        description: "车间火灾".into(),
        major,
    };
    // Minor, or before the three years back from the submission: no bar.
    for (date, major) in [("2025-06-01", false), ("2023-11-26", true)] {
        subjects::record_accident(
            &t.app,
            &office,
            subject,
            &record(date, major),
            "应急管理局通报",
        )
        .await
        .unwrap();
    }
    t.set_today("2026-11-30");
    let depts = ["public-security".to_owned()];
    acceptance::request_opinions(&t.app, &office, id, &depts, d("2026-12-04"))
        .await
        .unwrap();
    let dept = t.as_user("opinion-dept").await;
    let rid = acceptance::opinion_queue(&t.app, &dept)
        .await
        .unwrap()
        .items[0]
        .request
        .id;
    acceptance::answer_opinion(&t.app, &dept, rid, false, "无")
        .await
        .unwrap();
    let (list, pass) = (Checklist::default(), Decision::Pass);
    // A major one inside the three years before the submission, learned of afterwards:
    // counted back from today it would fall outside them (before 2023-11-30).
    subjects::record_accident(
        &t.app,
        &office,
        subject,
        &record("2023-11-28", true),
        "应急管理局通报",
    )
    .await
    .unwrap();
    let r = review::review(&t.app, &office, id, ReviewStep::Formal, &pass, &list).await;
    assert!(refused_under(&r, "A10.4"), "{r:?}");
    assert_eq!(
        t.app.store.application(id).await.unwrap().state,
        State::Recommended
    );
}

async fn a28_3_a_revocation_before_the_application_bars_it_and_one_after_does_not(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let office = t.as_user("office").await;
    let award = |revoked: &str| AwardRecord {
        cycle: CycleRef {
            ordinal: 1,
            year: 2020,
        },
        level: Level::Award,
        revoked_on: Some(d(revoked)),
        barred_until: None,
        ban_until: None,
    };
    // The enterprise's application was submitted on 2026-11-27; its old award is revoked
    // by the Government the next day. The ban runs from the revocation: the formal review
    // on 2026-11-30 still passes it, whatever year its cycle opened.
    let id = t.recommended().await;
    let subject = t.subject_of("applicant-org").await;
    t.award_confirmed(subject, award("2026-11-28"), "忻政发〔2026〕30号")
        .await;
    t.set_today("2026-11-30");
    t.opinion_answered(id).await;
    let (list, pass) = (Checklist::default(), Decision::Pass);
    let s = review::review(&t.app, &office, id, ReviewStep::Formal, &pass, &list).await;
    assert_eq!(s.unwrap(), State::FormallyReviewed);
    // The person's award was revoked before it applies: barred.
    let person = t.as_user("applicant-person").await;
    let p_subject = t.subject_of("applicant-person").await;
    t.award_confirmed(p_subject, award("2026-11-10"), "忻政发〔2026〕29号")
        .await;
    let pid = t.prepared(&person).await;
    let xinfu = Channel::County("xinfu".into());
    let r = qaward_app::applications::draft::submit(&t.app, &person, pid, xinfu).await;
    assert!(refused_under(&r, "A28.3"), "{r:?}");
}

async fn a12_1_a28_3_the_register_freezes_each_bar_and_a_later_policy_does_not_shorten_it(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let person = t.as_user("applicant-person").await;
    let subject = t.subject_of("applicant-person").await;
    // An Award of the cycle opened in 2020 bars its own cycle and the two after it:
    // through 2028 under three-year cycles, frozen so in the register at entry.
    let award = AwardRecord {
        cycle: CycleRef {
            ordinal: 1,
            year: 2020,
        },
        level: Level::Award,
        revoked_on: None,
        barred_until: Some(2040),
        ban_until: None,
    };
    t.award_confirmed(subject, award, "忻政发〔2020〕12号")
        .await;
    let stored = t.app.store.award_history(subject).await.unwrap();
    assert_eq!(
        stored[0].record.barred_until,
        Some(2028),
        "frozen by the use case under the policy in force, not as the caller sent it"
    );
    // A successor policy of two-year cycles would end the bar in 2025; the frozen 2028
    // still bars the person's application of 2026.
    // (A process that knows the cycle's version with two-year cycles.)
    let mut later = t.app.clone();
    let mut policy = (*t.app.policy().await.unwrap()).clone();
    policy.cycle_years.value = 2;
    later.policies = std::sync::Arc::new(qaward_app::policies::Policies::new(
        policy,
        qaward_app::testing::POLICY,
        false,
    ));
    let id = t.prepared(&person).await;
    let xinfu = Channel::County("xinfu".into());
    let r = qaward_app::applications::draft::submit(&later, &person, id, xinfu).await;
    assert!(refused_under(&r, "A12.1"), "{r:?}");
}

//! Registrations confirmed against the licence through the use cases, on both backends:
//! a recused reviewer (A29) neither sees nor confirms the organization, and a submission
//! before the confirmation is refused by the kernel's guard and writes nothing.

use qaward_app::applications::ActedAs;
use qaward_app::testing::TestApp;
use qaward_app::{AppError, applications, registrations, subjects};
use qaward_domain::application::{Channel, State};
use qaward_domain::permission::Denial;
use qaward_domain::rule;
use qaward_store::Backend;

qaward_store::on_both!(
    a29_a_recused_reviewer_neither_lists_nor_confirms_a_registration,
    a10_1_an_unconfirmed_organization_is_refused_by_the_kernel_and_nothing_is_written,
);

async fn a29_a_recused_reviewer_neither_lists_nor_confirms_a_registration(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.registered("recusal-org", "2012-04-01").await;
    let subject = org.user.subject_id.unwrap();
    let reviewer = t.as_user("county-reviewer").await;
    let waiting = registrations::unconfirmed(&t.app, &reviewer).await.unwrap();
    assert_eq!(waiting.len(), 1);
    subjects::declare_interest(
        &t.app,
        &reviewer,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "亲属在该企业任职",
    )
    .await
    .unwrap();
    assert!(
        registrations::unconfirmed(&t.app, &reviewer)
            .await
            .unwrap()
            .is_empty()
    );
    match registrations::confirm(&t.app, &reviewer, subject, "营业执照").await {
        Err(AppError::Forbidden(Denial::Recused(r))) => assert_eq!(r, rule::A29),
        other => panic!("{other:?}"),
    }
    // The Office confirms it instead.
    let office = t.as_user("office").await;
    registrations::confirm(&t.app, &office, subject, "营业执照")
        .await
        .unwrap();
    let id = t.prepared(&org).await;
    let view = applications::view(&t.app, &org, id).await.unwrap();
    assert!(view.registration_confirmed);
}

async fn a10_1_an_unconfirmed_organization_is_refused_by_the_kernel_and_nothing_is_written(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    let org = t.registered("unconfirmed-org", "2012-04-01").await;
    let id = t.prepared(&org).await;
    assert!(
        !applications::view(&t.app, &org, id)
            .await
            .unwrap()
            .registration_confirmed
    );
    let before = applications::view(&t.app, &org, id).await.unwrap().history;
    let channel: Channel = "county:xinfu".parse().unwrap();
    match applications::draft::submit(&t.app, &org, id, channel).await {
        Err(AppError::Refused(r)) => assert_eq!(r.rule, rule::A10_1),
        other => panic!("{other:?}"),
    }
    let view = applications::view(&t.app, &org, id).await.unwrap();
    assert_eq!(view.row.state, State::InUnitNotice);
    assert_eq!(view.history.len(), before.len(), "no history row written");
    // An applicant's history names the applicant, never its account.
    let me = ActedAs::Applicant("忻州市unconfirmed-org有限公司".into());
    assert!(
        view.history
            .iter()
            .all(|h| h.by == me && h.account.is_none())
    );
}

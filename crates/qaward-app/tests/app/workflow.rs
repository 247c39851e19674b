//! The workflow kernel through the use cases, on both backends: every step writes its
//! state, its history row and exactly one typed audit entry together; a step refused, or
//! racing another, writes nothing; recusal and the sealing of submitted materials hold
//! inside the kernel.

use qaward_app::audit::{self, AuditAction, Object};
use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::{TestApp, d};
use qaward_app::{AppError, acceptance, applications, subjects};
use qaward_domain::application::{ActionKind, ReviewStep, State};
use qaward_domain::ids::ApplicationId;
use qaward_domain::permission::Denial;
use qaward_store::Backend;

qaward_store::on_both!(
    every_step_writes_its_state_its_history_and_one_typed_audit_entry,
    a15_1_two_reviews_at_once_one_wins_and_the_other_is_a_conflict,
    a15_2_a_refused_batch_moves_nothing_and_names_the_applicant,
    a14_3_submitted_materials_are_sealed_inside_the_transaction,
    a29_a_recused_reviewer_is_refused_by_the_kernel,
    a16_3_acceptance_list_and_acceptance_through_the_kernel,
);

/// The audit entries about an application, oldest first, as (action, before, after).
async fn entries(t: &TestApp, id: ApplicationId) -> Vec<(AuditAction, String, String)> {
    let supervisor = t.as_user("supervisor").await;
    let mut log = audit::about(&t.app, &supervisor, Object::Application(id), 100)
        .await
        .unwrap();
    log.reverse();
    log.into_iter()
        .filter(|e| e.known != Some(AuditAction::ApplicationView))
        .map(|e| {
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
            let state = |k: &str| detail[k]["state"].as_str().unwrap_or("").to_owned();
            (
                e.known.expect("a known action"),
                state("before"),
                state("after"),
            )
        })
        .collect()
}

async fn every_step_writes_its_state_its_history_and_one_typed_audit_entry(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let office = t.as_user("office").await;
    let history = applications::view(&t.app, &office, id)
        .await
        .unwrap()
        .history;
    let steps: Vec<_> = history
        .iter()
        .map(|h| (h.from_state, h.action, h.to_state))
        .collect();
    assert_eq!(
        steps,
        [
            (
                State::Draft,
                ActionKind::OpenInUnitNotice,
                State::InUnitNotice
            ),
            (State::InUnitNotice, ActionKind::Submit, State::Submitted),
            (
                State::Submitted,
                ActionKind::ChannelPass,
                State::ChannelPassed
            ),
            (
                State::ChannelPassed,
                ActionKind::Recommend,
                State::Recommended
            ),
        ]
    );
    let changes: Vec<_> = entries(&t, id)
        .await
        .into_iter()
        .filter(|(_, before, after)| before != after && !after.is_empty())
        .collect();
    assert_eq!(
        changes,
        [
            (AuditAction::ApplicationStart, String::new(), "draft".into()),
            (
                AuditAction::InUnitNoticeOpen,
                "draft".into(),
                "in-unit-notice".into()
            ),
            (
                AuditAction::ApplicationSubmit,
                "in-unit-notice".into(),
                "submitted".into()
            ),
            (
                AuditAction::ChannelReview,
                "submitted".into(),
                "channel-passed".into()
            ),
            (
                AuditAction::Recommend,
                "channel-passed".into(),
                "recommended".into()
            ),
        ],
        "one typed entry per change, with the states as codes"
    );
}

async fn a15_1_two_reviews_at_once_one_wins_and_the_other_is_a_conflict(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    let reviewer = t.as_user("county-reviewer").await;
    let list = Checklist::notice_clear();
    let pass = Decision::Pass;
    let back = Decision::Return("补充材料".into());
    let (a, b) = tokio::join!(
        review::review(&t.app, &reviewer, id, ReviewStep::Channel, &pass, &list),
        review::review(&t.app, &reviewer, id, ReviewStep::Channel, &back, &list),
    );
    let outcomes = [a.is_ok(), b.is_ok()];
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(
        matches!(loser, Err(AppError::Conflict(_) | AppError::Refused(_))),
        "{loser:?}"
    );
    let reviews = applications::view(&t.app, &reviewer, id)
        .await
        .unwrap()
        .reviews;
    assert_eq!(reviews.len(), 1, "the loser's checklist was not written");
}

async fn a15_2_a_refused_batch_moves_nothing_and_names_the_applicant(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let passed = t.submitted(&org, "county:xinfu").await;
    let reviewer = t.as_user("county-reviewer").await;
    let list = Checklist::notice_clear();
    review::review(
        &t.app,
        &reviewer,
        passed,
        ReviewStep::Channel,
        &Decision::Pass,
        &list,
    )
    .await
    .unwrap();
    // A second applicant of the same county, submitted but not yet reviewed.
    let other = t.as_user("applicant-person").await;
    let waiting = t.submitted(&other, "county:xinfu").await;
    let gov = t.as_user("county-government").await;
    let e = review::recommend(&t.app, &gov, &[passed, waiting])
        .await
        .unwrap_err();
    match e {
        AppError::Refused(r) => assert!(r.message.to_string().contains("李质量"), "{r}"),
        other => panic!("{other:?}"),
    }
    let state = applications::view(&t.app, &gov, passed)
        .await
        .unwrap()
        .row
        .state;
    assert_eq!(
        state,
        State::ChannelPassed,
        "the passed one did not move either"
    );
    let recommended = entries(&t, passed).await;
    assert!(
        recommended
            .iter()
            .all(|(a, ..)| *a != AuditAction::Recommend)
    );
}

async fn a14_3_submitted_materials_are_sealed_inside_the_transaction(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    let draft = applications::draft::DraftInput::default();
    let e = applications::draft::save_draft(&t.app, &org, id, &draft)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Refused(r) if r.rule.as_str() == "A14.3"),
        "{e:?}"
    );
    let e = applications::draft::record_in_unit_objection(&t.app, &org, id, d("2026-11-17"), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Refused(r) if r.rule.as_str() == "A14.3"),
        "{e:?}"
    );
    let sealed = applications::view(&t.app, &org, id).await.unwrap();
    assert!(sealed.objections.is_empty());
}

async fn a29_a_recused_reviewer_is_refused_by_the_kernel(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    let reviewer = t.as_user("county-reviewer").await;
    let subject = org.user.subject_id.unwrap();
    subjects::declare_interest(
        &t.app,
        &reviewer,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "亲属在该企业任职",
    )
    .await
    .unwrap();
    let list = Checklist::notice_clear();
    let e = review::review(
        &t.app,
        &reviewer,
        id,
        ReviewStep::Channel,
        &Decision::Pass,
        &list,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, AppError::Forbidden(Denial::Recused(_))),
        "{e:?}"
    );
    let q = review::channel_queue(&t.app, &reviewer).await.unwrap();
    assert_eq!((q.items.len(), q.hidden), (0, 1));
    let state = applications::view(&t.app, &org, id)
        .await
        .unwrap()
        .row
        .state;
    assert_eq!(state, State::Submitted);
}

async fn a16_3_acceptance_list_and_acceptance_through_the_kernel(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let start = d("2026-11-30");
    let notice = acceptance::publish_acceptance_list(&t.app, &office, &[id], start, None, "0350")
        .await
        .unwrap();
    // Before the notice has run, acceptance is refused with A16.3.
    let e = acceptance::accept(&t.app, &office, id).await.unwrap_err();
    assert!(
        matches!(&e, AppError::Refused(r) if r.rule.as_str() == "A16.3"),
        "{e:?}"
    );
    t.set_today("2026-12-07");
    assert_eq!(
        acceptance::accept(&t.app, &office, id).await.unwrap(),
        State::Accepted
    );
    let log = entries(&t, id).await;
    let last: Vec<_> = log.iter().rev().take(2).map(|(a, ..)| *a).collect();
    assert_eq!(
        last,
        [AuditAction::Accept, AuditAction::AcceptanceListEntry]
    );
    let (n, listed) = qaward_app::objections::notice(&t.app, notice)
        .await
        .unwrap();
    assert_eq!((n.end, listed.len()), (d("2026-12-04"), 1));
}

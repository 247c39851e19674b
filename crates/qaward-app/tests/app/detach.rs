//! An attachment removed before submission (issue #9 item 6): by the applicant only,
//! while the materials are editable (before submission and after a return, A14.3), with
//! an audit entry; the stored file stays, so another attachment with the same content
//! still opens. Replacing a file is removing it and attaching the new one.

use qaward_app::applications::{self, draft};
use qaward_app::audit::{self, Object};
use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::TestApp;
use qaward_app::{AppError, applications::progress::Milestone};
use qaward_domain::application::{ActionKind, ReviewStep, State};
use qaward_domain::material::Purpose;
use qaward_store::Backend;

qaward_store::on_both!(
    a14_3_an_attachment_is_removed_before_submission_and_not_after,
    a3_only_the_applicant_removes_its_attachments,
    a15_1_the_tracker_shows_the_return_and_its_reason,
);

fn sealed(r: &Result<(), AppError>) -> bool {
    matches!(r, Err(AppError::Refused(x)) if x.rule.as_str() == "A14.3")
}

async fn a14_3_an_attachment_is_removed_before_submission_and_not_after(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.prepared(&org).await;
    // The same content twice: one stored file, two attachments.
    let first = t
        .attach(&org, id, Purpose::Evidence, b"%PDF-1.7 evidence")
        .await;
    let second = t
        .attach(&org, id, Purpose::Evidence, b"%PDF-1.7 evidence")
        .await;
    let files = t.blob_files();
    draft::detach(&t.app, &org, id, first).await.unwrap();
    let v = applications::view(&t.app, &org, id).await.unwrap();
    assert!(v.attachments.iter().all(|a| a.id != first));
    assert!(v.attachments.iter().any(|a| a.id == second));
    // The other attachment with that content still opens; nothing was deleted.
    applications::open_attachment(&t.app, &org, id, second)
        .await
        .expect("the twin still opens");
    assert_eq!(t.blob_files(), files);
    // Removing it again: it is not there.
    assert!(matches!(
        draft::detach(&t.app, &org, id, first).await,
        Err(AppError::NotFound(_))
    ));
    // The removal is audited, naming the file.
    let sup = t.as_user("supervisor").await;
    let log = audit::about(&t.app, &sup, Object::Application(id), 50)
        .await
        .unwrap();
    assert!(
        log.iter().any(|e| e.action == "application.detach"),
        "{log:?}"
    );
    // After submission the materials are sealed (A14.3).
    draft::submit(&t.app, &org, id, "county:xinfu".parse().unwrap())
        .await
        .unwrap();
    assert!(sealed(&draft::detach(&t.app, &org, id, second).await));
    // A return opens them again.
    let reviewer = t.as_user("county-reviewer").await;
    review::review(
        &t.app,
        &reviewer,
        id,
        ReviewStep::Channel,
        &Decision::Return("请补充证明材料".into()),
        &Checklist::notice_clear(),
    )
    .await
    .unwrap();
    draft::detach(&t.app, &org, id, second).await.unwrap();
}

async fn a3_only_the_applicant_removes_its_attachments(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.prepared(&org).await;
    let at = t
        .attach(&org, id, Purpose::Evidence, b"%PDF-1.7 evidence")
        .await;
    // Another applicant and the Office do not see a draft at all (drafts are private).
    for who in ["applicant-person", "office"] {
        let p = t.as_user(who).await;
        assert!(
            matches!(
                draft::detach(&t.app, &p, id, at).await,
                Err(AppError::NotFound(_))
            ),
            "{who}"
        );
    }
    // Once submitted, staff who see it may still not edit it.
    draft::submit(&t.app, &org, id, "county:xinfu".parse().unwrap())
        .await
        .unwrap();
    let reviewer = t.as_user("county-reviewer").await;
    assert!(matches!(
        draft::detach(&t.app, &reviewer, id, at).await,
        Err(AppError::Forbidden(_))
    ));
    let v = applications::view(&t.app, &org, id).await.unwrap();
    assert!(v.attachments.iter().any(|a| a.id == at));
}

async fn a15_1_the_tracker_shows_the_return_and_its_reason(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    let v = applications::view(&t.app, &org, id).await.unwrap();
    let current: Vec<Milestone> = v
        .progress
        .steps
        .iter()
        .filter(|s| s.status == applications::progress::Status::Current)
        .map(|s| s.milestone)
        .collect();
    assert_eq!(current, [Milestone::Submitted]);
    assert!(v.progress.setback.is_none());
    let reviewer = t.as_user("county-reviewer").await;
    review::review(
        &t.app,
        &reviewer,
        id,
        ReviewStep::Channel,
        &Decision::Return("请补充证明材料".into()),
        &Checklist::notice_clear(),
    )
    .await
    .unwrap();
    let v = applications::view(&t.app, &org, id).await.unwrap();
    let sb = v.progress.setback.expect("the return");
    assert_eq!(sb.action, ActionKind::Return);
    assert!(matches!(sb.state, State::Returned(_)));
    assert_eq!(sb.reason.as_deref(), Some("请补充证明材料"));
    // The applicant learns the unit, not the account (see `history`).
    assert_eq!(sb.account, None);
}

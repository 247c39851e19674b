//! A version of the measures without the acceptance-list notice (issue #13 item 2): the
//! Office accepts straight after the formal review, publishing the list is refused, and
//! the Office's queue offers acceptance rather than the list.

use qaward_app::acceptance;
use qaward_app::testing::{POLICY, TODAY, TestApp, d, refused};
use qaward_domain::application::State;
use qaward_store::Backend;

/// The 2021 measures without the acceptance-list notice.
pub(crate) fn without_the_list() -> String {
    let policy = POLICY.replace("acceptance-list = {", "# acceptance-list = {");
    assert_ne!(
        policy, POLICY,
        "the 2021 file holds the acceptance-list notice"
    );
    policy
}

async fn a16_3_a_version_without_the_acceptance_list_accepts_after_formal_review(backend: Backend) {
    let t = TestApp::with_policy(backend, TODAY, &without_the_list()).await;
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let queue = acceptance::office_queue(&t.app, &office).await.unwrap();
    let item = queue.items.iter().find(|i| i.id == id).expect("queued");
    assert!(item.acceptable && !item.listable);
    let e = acceptance::publish_acceptance_list(
        &t.app,
        &office,
        &[id],
        d("2026-11-30"),
        None,
        "0350-3000000",
    )
    .await
    .unwrap_err();
    assert!(refused(&e, "A16.3", "notice-not-in-version"), "{e:?}");
    assert_eq!(
        acceptance::accept(&t.app, &office, id).await.unwrap(),
        State::Accepted
    );
}

async fn a16_3_under_2021_the_office_accepts_only_from_the_list(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.formally_reviewed().await;
    let office = t.as_user("office").await;
    let queue = acceptance::office_queue(&t.app, &office).await.unwrap();
    let item = queue.items.iter().find(|i| i.id == id).expect("queued");
    assert!(item.listable && !item.acceptable);
    let e = acceptance::accept(&t.app, &office, id).await.unwrap_err();
    assert!(
        refused(&e, "A16.3", "accept-after-acceptance-list"),
        "{e:?}"
    );
}

qaward_store::on_both!(
    a16_3_a_version_without_the_acceptance_list_accepts_after_formal_review,
    a16_3_under_2021_the_office_accepts_only_from_the_list,
);

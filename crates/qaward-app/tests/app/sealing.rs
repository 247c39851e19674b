//! Sealed after submission (A14.3, issue #8 item 5), under races: the state is checked
//! inside the writing transaction, so an upload whose body was still streaming when the
//! application was submitted does not attach, and a draft save racing a (re)submission
//! either commits before it — and is what was submitted — or is refused.

use futures_util::stream;
use qaward_app::applications::draft::{self, AttachInput, DraftInput};
use qaward_app::audit::{self, AuditAction, Object};
use qaward_app::files::BodyError;
use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::TestApp;
use qaward_app::{AppError, applications};
use qaward_domain::application::{Channel, ReviewStep, State};
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_store::Backend;
use tokio::sync::oneshot;

qaward_store::on_both!(
    a14_3_an_upload_still_streaming_at_submission_does_not_attach,
    a14_3_a_draft_save_racing_the_resubmission_never_commits_after_it,
);

fn sealed(r: &Result<impl std::fmt::Debug, AppError>) -> bool {
    matches!(r, Err(AppError::Refused(x)) if x.rule.as_str() == "A14.3")
}

async fn a14_3_an_upload_still_streaming_at_submission_does_not_attach(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.prepared(&org).await;
    let before = applications::view(&t.app, &org, id)
        .await
        .unwrap()
        .attachments
        .len();
    // A body that sends its first bytes, then waits for the submission to commit.
    let (started, on_start) = oneshot::channel::<()>();
    let (release, on_release) = oneshot::channel::<()>();
    let body = stream::unfold(
        (0, Some(started), Some(on_release)),
        |(step, s, r)| async move {
            match step {
                0 => {
                    let _ = s.unwrap().send(());
                    Some((
                        Ok::<_, BodyError>(b"%PDF-1.7 trade secret ".to_vec()),
                        (1, None, r),
                    ))
                }
                1 => {
                    let _ = r.unwrap().await;
                    Some((Ok(b"process".to_vec()), (2, None, None)))
                }
                _ => None,
            }
        },
    );
    let input = AttachInput {
        filename: "工艺.pdf".into(),
        class: Confidentiality::TradeSecret,
        purpose: Purpose::Evidence,
        section: None,
    };
    let upload = draft::attach(&t.app, &org, id, Box::pin(body), &input);
    let submit = async {
        on_start.await.unwrap();
        let s = draft::submit(&t.app, &org, id, Channel::County("xinfu".into())).await;
        release.send(()).unwrap();
        s
    };
    let (uploaded, submitted) = tokio::join!(upload, submit);
    assert_eq!(submitted.unwrap(), State::Submitted);
    assert!(sealed(&uploaded), "{uploaded:?}");
    let after = applications::view(&t.app, &org, id)
        .await
        .unwrap()
        .attachments
        .len();
    assert_eq!(after, before, "nothing joined the submitted application");
}

async fn a14_3_a_draft_save_racing_the_resubmission_never_commits_after_it(backend: Backend) {
    let t = TestApp::new(backend).await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    let reviewer = t.as_user("county-reviewer").await;
    let supervisor = t.as_user("supervisor").await;
    let mut input = DraftInput {
        authenticity: true,
        no_state_secrets: true,
        ..DraftInput::default()
    };
    input.declarations = ["A10.1", "A10.2", "A10.3", "A10.4"]
        .iter()
        .map(|r| r.parse().unwrap())
        .collect();
    for round in 0..6 {
        let back = Decision::Return(format!("第{round}次补充"));
        review::review(
            &t.app,
            &reviewer,
            id,
            ReviewStep::Channel,
            &back,
            &Checklist::default(),
        )
        .await
        .unwrap();
        input
            .sections
            .insert("4.1".into(), format!("修改稿{round}"));
        let (saved, resubmitted) = tokio::join!(
            draft::save_draft(&t.app, &org, id, &input),
            draft::resubmit(&t.app, &org, id),
        );
        assert_eq!(resubmitted.unwrap(), State::Submitted, "round {round}");
        if saved.is_err() {
            assert!(sealed(&saved), "round {round}: {saved:?}");
            continue;
        }
        // The save committed: then it came first in the audit log, which is written in the
        // same transactions, in commit order.
        let log = audit::about(&t.app, &supervisor, Object::Application(id), 4)
            .await
            .unwrap();
        let order: Vec<_> = log.iter().filter_map(|e| e.known).collect();
        let at = |action| order.iter().position(|a| *a == action).expect("in the log");
        let (save, resubmit) = (
            at(AuditAction::ApplicationSave),
            at(AuditAction::ApplicationResubmit),
        );
        // Newest first: the resubmission is the newer one.
        assert!(resubmit < save, "round {round}: {order:?}");
    }
}

//! Who moves an application, and from where (issue #8, item 1): every demo account ×
//! every state the demo enterprise's application can be in × every move, through the use
//! cases. Outside the domain's table ([`Move`]: the move's rightful actor, from the states
//! it names) every attempt is refused — the rightful actor by the move's own article, anyone
//! else without learning more than the permission function lets them — and nothing
//! changes. The table's own triples are each story's business (the scenario helpers take
//! every one of them); their refusals, if any, come from the guards.

use qaward_app::commendation::{candidates, decision};
use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::{DEMO_USERS, TestApp, d};
use qaward_app::{AppError, Principal, acceptance, applications, objections};
use qaward_domain::application::{Channel, Move, ReturnTo, ReviewStep, State};
use qaward_domain::ids::ApplicationId;
use qaward_domain::text::Vocabulary;
use qaward_store::Backend;

qaward_store::on_both!(a3_a15_a16_a6_only_the_table_s_moves_get_past_the_kernel);

/// The accounts that take each move on the demo enterprise's application, which is
/// submitted to Xinfu's market supervision department: one each, but for the evaluation,
/// which the Office or the agency entrusted with the cycle runs (A9.2).
fn rightful(mv: Move) -> &'static [&'static str] {
    match mv {
        Move::RecordInUnitNotice | Move::Submit | Move::Resubmit | Move::Withdraw => {
            &["applicant-org"]
        }
        Move::ChannelReview => &["county-reviewer"],
        Move::Recommend | Move::Decline => &["county-government"],
        Move::FormalReview | Move::PublishAcceptanceList | Move::Accept => &["office"],
        Move::UpholdObjection => &["leading-group"],
        Move::CompleteEvaluation => &["office", "agency"],
        Move::ProposeCandidates => &["office"],
        Move::Deliberate => &["leading-group"],
        Move::Decide | Move::Revoke => &["government"],
    }
}

const STATES: [State; 12] = [
    State::Draft,
    State::InUnitNotice,
    State::Submitted,
    State::ChannelPassed,
    State::Recommended,
    State::FormallyReviewed,
    State::OnAcceptanceList,
    State::Accepted,
    State::Returned(ReturnTo::Channel),
    State::Returned(ReturnTo::Office),
    State::Rejected,
    State::Withdrawn,
];

/// The demo enterprise's application, brought to `state` the way people would.
async fn reach(t: &TestApp, state: State) -> ApplicationId {
    let org = t.as_user("applicant-org").await;
    let reviewer = t.as_user("county-reviewer").await;
    let office = t.as_user("office").await;
    let channel = |id, decision: Decision| {
        let reviewer = reviewer.clone();
        async move {
            let list = Checklist::notice_clear();
            review::review(&t.app, &reviewer, id, ReviewStep::Channel, &decision, &list)
                .await
                .unwrap();
            id
        }
    };
    match state {
        State::Draft => applications::draft::start(&t.app, &org).await.unwrap(),
        State::InUnitNotice => t.prepared(&org).await,
        State::Submitted => t.submitted(&org, "county:xinfu").await,
        State::ChannelPassed => {
            channel(t.submitted(&org, "county:xinfu").await, Decision::Pass).await
        }
        State::Returned(ReturnTo::Channel) => {
            let id = t.submitted(&org, "county:xinfu").await;
            channel(id, Decision::Return("补充".into())).await
        }
        State::Rejected => {
            let id = t.submitted(&org, "county:xinfu").await;
            channel(id, Decision::Reject("不符合条件".into())).await
        }
        State::Recommended => t.recommended().await,
        State::Returned(ReturnTo::Office) => {
            let id = t.recommended().await;
            let back = Decision::Return("补充".into());
            let list = Checklist::default();
            review::review(&t.app, &office, id, ReviewStep::Formal, &back, &list)
                .await
                .unwrap();
            id
        }
        State::FormallyReviewed => t.formally_reviewed().await,
        State::OnAcceptanceList | State::Accepted => {
            let id = t.formally_reviewed().await;
            acceptance::publish_acceptance_list(
                &t.app,
                &office,
                &[id],
                d("2026-11-30"),
                None,
                "0350",
            )
            .await
            .unwrap();
            if state == State::Accepted {
                t.set_today("2026-12-07");
                acceptance::accept(&t.app, &office, id).await.unwrap();
            }
            id
        }
        State::Withdrawn => {
            let id = t.prepared(&org).await;
            applications::draft::withdraw(&t.app, &org, id)
                .await
                .unwrap();
            id
        }
        other => panic!("no way to {other} in this test"),
    }
}

/// Takes `mv` on `id` as `by` through its use case. The objection, when the application
/// has one, is what the Leading Group would uphold.
async fn attempt(
    t: &TestApp,
    by: &Principal,
    id: ApplicationId,
    mv: Move,
    objection: Option<i64>,
) -> Result<(), AppError> {
    let (app, today) = (&t.app, t.app.today());
    let reject = Decision::Reject("试探".into());
    let list = Checklist::notice_clear();
    use qaward_app::applications::draft as a;
    match mv {
        Move::RecordInUnitNotice => a::record_in_unit_notice(app, by, id, today, None)
            .await
            .map(drop),
        Move::Submit => a::submit(app, by, id, Channel::County("xinfu".into()))
            .await
            .map(drop),
        Move::Resubmit => a::resubmit(app, by, id).await.map(drop),
        Move::Withdraw => a::withdraw(app, by, id).await.map(drop),
        Move::ChannelReview => review::review(app, by, id, ReviewStep::Channel, &reject, &list)
            .await
            .map(drop),
        Move::Recommend => review::recommend(app, by, &[id]).await.map(drop),
        Move::Decline => review::decline(app, by, id, &reject).await.map(drop),
        Move::FormalReview => review::review(app, by, id, ReviewStep::Formal, &reject, &list)
            .await
            .map(drop),
        Move::PublishAcceptanceList => {
            acceptance::publish_acceptance_list(app, by, &[id], today, None, "0350")
                .await
                .map(drop)
        }
        Move::Accept => acceptance::accept(app, by, id).await.map(drop),
        Move::CompleteEvaluation => qaward_app::evaluation::results::complete(app, by, &[id])
            .await
            .map(drop),
        Move::ProposeCandidates => {
            let choice = qaward_domain::commendation::Choice {
                id,
                level: Some(qaward_domain::policy::Level::Nomination),
                reason: "试探".into(),
            };
            candidates::propose_candidates(app, by, t.cycle().await, &[choice])
                .await
                .map(drop)
        }
        Move::Deliberate => {
            let award = Some(qaward_domain::policy::Level::Award);
            decision::deliberate(app, by, t.cycle().await, &[(id, award)], "试探")
                .await
                .map(drop)
        }
        Move::Decide => decision::decide(app, by, t.cycle().await, "试探", today, &[(id, None)])
            .await
            .map(drop),
        Move::Revoke => unreachable!("skipped above"),
        Move::UpholdObjection => {
            let o = objection.expect("an objection to uphold");
            let upheld = Some(objections::Consequence::Reject);
            objections::handle_objection(app, by, o, upheld, "试探").await
        }
    }
}

/// An objection raised by the public against the listed application.
async fn objection_to(t: &TestApp, id: ApplicationId) -> i64 {
    let notice = t
        .app
        .store
        .notice_of(id, qaward_domain::policy::NoticeKind::AcceptanceList)
        .await
        .unwrap()
        .expect("the acceptance list");
    let o = objections::NewObjection {
        application: id,
        name: None,
        contact: None,
        content: "数据存疑".into(),
        evidence: None,
    };
    t.set_today("2026-12-01");
    objections::raise_objection(&t.app, notice.id, &o, "192.0.2.1")
        .await
        .unwrap();
    t.app.store.objections(notice.id, id).await.unwrap()[0].id
}

async fn a3_a15_a16_a6_only_the_table_s_moves_get_past_the_kernel(backend: Backend) {
    for state in STATES {
        let t = TestApp::new(backend).await;
        let id = reach(&t, state).await;
        let objection = match state {
            State::OnAcceptanceList => Some(objection_to(&t, id).await),
            _ => None,
        };
        let history = t.app.store.transitions(id).await.unwrap().len();
        // The withdrawn one here was withdrawn before it was ever submitted.
        let unsubmitted = matches!(state, State::Draft | State::InUnitNotice | State::Withdrawn);
        let mut people = Vec::new();
        for name in DEMO_USERS {
            people.push((*name, t.as_user(name).await));
        }
        for &mv in Move::ALL {
            if mv == Move::UpholdObjection && objection.is_none() {
                continue; // Only a listed application has objections to uphold.
            }
            if mv == Move::Revoke {
                // A revocation decides the Office's request, which exists only for an
                // award; none of these states has one (see tests/app/revocation.rs).
                continue;
            }
            for (name, by) in &people {
                let mine = rightful(mv).contains(name);
                if mine && mv.from().contains(&state) {
                    continue;
                }
                let r = attempt(&t, by, id, mv, objection).await;
                let what = format!("{name} {} from {}: {r:?}", mv.code(), state.code());
                match r {
                    Err(AppError::Refused(r)) if mine => {
                        assert!(
                            r.rule == mv.rule() && r.message.key == "move-wrong-state",
                            "{what}"
                        );
                    }
                    Err(AppError::Forbidden(_) | AppError::NotFound(_)) if !mine => {}
                    // An unsubmitted draft is its applicant's alone: staff do not see it.
                    Err(AppError::NotFound(_)) if unsubmitted => {}
                    _ => panic!("{what}"),
                }
            }
        }
        let after = t.app.store.application(id).await.unwrap().state;
        assert_eq!(after, state, "a refused move changed the application");
        assert_eq!(t.app.store.transitions(id).await.unwrap().len(), history);
    }
}

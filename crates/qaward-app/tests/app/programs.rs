//! Several programs on one installation (issue #13, item 4): a second award beside the
//! city's, with staff of its own. A grant holds in its program alone: the second
//! program's Office, county reviewer and supervision group neither see nor act on the
//! first program's applications and complaints, nor hear of them, though the county
//! bears the same code; one person holding a role in both programs works in both.

use qaward_app::complaints;
use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::TestApp;
use qaward_app::{AppError, Principal, applications};
use qaward_domain::application::ReviewStep;
use qaward_domain::complaint::Topic;
use qaward_domain::ids::{ApplicationId, ProgramId};
use qaward_domain::permission::{Grant, Role, Scope};
use qaward_store::Backend;

qaward_store::on_both!(
    a_second_program_s_staff_neither_see_nor_act_on_the_first_s_applications,
    a27_2_a_complaint_goes_to_its_own_program_s_supervision_group,
    one_person_with_roles_in_two_programs_works_in_both,
    a_cycle_opens_in_the_office_s_own_program,
    the_office_s_queue_and_dashboard_are_its_own_program_s,
    a17_1_an_opinion_department_and_the_expert_pool_are_their_own_program_s,
);

fn grant(role: Role, scope: Scope, p: ProgramId) -> Grant {
    Grant::new(role, scope).unwrap().in_program(p)
}

fn not_found<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::NotFound(_)))
}

async fn a_second_program_s_staff_neither_see_nor_act_on_the_first_s_applications(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    // The same county code as the city award's reviewer: the program tells them apart.
    let county2 = t
        .staff(
            "yp-county",
            vec![grant(
                Role::CountyReviewer,
                Scope::County("xinfu".into()),
                p2,
            )],
        )
        .await;
    let office2 = t
        .staff("yp-office", vec![grant(Role::Office, Scope::Program, p2)])
        .await;
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;

    // Nothing of it reaches the second program: not the application, not the queue.
    for who in [&county2, &office2] {
        assert!(
            not_found(applications::view(&t.app, who, id).await),
            "{}",
            who.user.username
        );
    }
    let queue = review::channel_queue(&t.app, &county2).await.unwrap();
    assert!(queue.items.is_empty() && queue.hidden == 0);
    let city = t.as_user("county-reviewer").await;
    let queue = review::channel_queue(&t.app, &city).await.unwrap();
    assert_eq!(
        queue.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![id]
    );
    // Nor can it be reviewed from there; the city's reviewer still can.
    let refused = review::review(
        &t.app,
        &county2,
        id,
        ReviewStep::Channel,
        &Decision::Pass,
        &Checklist::default(),
    )
    .await;
    assert!(not_found(refused));
    // The submission told the city's reviewer, not the other program's.
    assert!(unread(&t, &county2).await == 0);
    assert!(unread(&t, &city).await > 0);
    assert_app(&t, id).await;
}

async fn unread(t: &TestApp, p: &Principal) -> i64 {
    t.app.store.unread_notifications(p.user.id).await.unwrap()
}

/// The application is still the first program's, untouched by the refusals.
async fn assert_app(t: &TestApp, id: ApplicationId) {
    let row = t.app.store.application(id).await.unwrap();
    assert_eq!(row.state, qaward_domain::application::State::Submitted);
}

async fn a27_2_a_complaint_goes_to_its_own_program_s_supervision_group(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let sup2 = t
        .staff(
            "yp-supervisor",
            vec![grant(Role::Supervisor, Scope::Program, p2)],
        )
        .await;
    complaints::file_complaint(
        &t.app,
        &complaints::NewComplaint {
            topic: Some(Topic::Evaluation),
            about: "评审过程".into(),
            content: "评审专家与申报单位有利害关系。".into(),
            name: None,
            contact: None,
            program: None,
        },
        "192.0.2.77",
    )
    .await
    .unwrap();
    let city = t.as_user("supervisor").await;
    let mine = complaints::complaint_queue(&t.app, &city).await.unwrap();
    assert_eq!(mine.items.len(), 1);
    let id = mine.items[0].id;
    let theirs = complaints::complaint_queue(&t.app, &sup2).await.unwrap();
    assert!(theirs.items.is_empty() && theirs.hidden == 0);
    assert_eq!(
        complaints::complaints_waiting(&t.app, &sup2).await.unwrap(),
        0
    );
    assert_eq!(
        complaints::complaints_waiting(&t.app, &city).await.unwrap(),
        1
    );
    assert!(not_found(
        complaints::complaint_case(&t.app, &sup2, id).await
    ));
    assert_eq!(unread(&t, &sup2).await, 0);
    // The city's group may assign it only to its own members.
    let assigned = complaints::handling::register(&t.app, &city, id, sup2.user.id, None).await;
    assert!(
        matches!(assigned, Err(AppError::Invalid { .. })),
        "{assigned:?}"
    );
}

async fn one_person_with_roles_in_two_programs_works_in_both(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let p1 = qaward_app::programs::home(&t.app).await.unwrap().id;
    let both = t
        .staff(
            "both-office",
            vec![
                grant(Role::Office, Scope::Program, p1),
                grant(Role::Office, Scope::Program, p2),
            ],
        )
        .await;
    assert_eq!(both.programs_as(Role::Office), vec![p1, p2]);
    let org = t.as_user("applicant-org").await;
    let id = t.submitted(&org, "county:xinfu").await;
    assert!(applications::view(&t.app, &both, id).await.is_ok());
}

async fn a_cycle_opens_in_the_office_s_own_program(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let office2 = t
        .staff("yp-office", vec![grant(Role::Office, Scope::Program, p2)])
        .await;
    let opened = qaward_app::cycles::open_cycle(
        &t.app,
        &office2,
        qaward_domain::subject::CycleRef {
            ordinal: 1,
            year: 2026,
        },
        qaward_domain::cycle::Timeline {
            application_opens: qaward_app::testing::d("2026-11-28"),
            application_closes: qaward_app::testing::d("2027-01-29"),
            channel_review_due: qaward_app::testing::d("2027-02-26"),
            formal_review_due: qaward_app::testing::d("2027-03-31"),
        },
    )
    .await
    .expect("the second program's Office opens its first cycle");
    let cycle = t.app.store.cycle(opened).await.unwrap();
    assert_eq!(cycle.program_id, p2);
    // The city award's cycles are as they were: its Office did not open this one.
    let p1 = qaward_app::programs::home(&t.app).await.unwrap().id;
    assert!(
        t.app
            .store
            .cycles(p1)
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != opened)
    );
}

async fn the_office_s_queue_and_dashboard_are_its_own_program_s(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let office2 = t
        .staff("yp-office", vec![grant(Role::Office, Scope::Program, p2)])
        .await;
    let id = t.recommended().await;
    let city = t.as_user("office").await;
    let queue = qaward_app::acceptance::office_queue(&t.app, &city)
        .await
        .unwrap();
    assert_eq!(
        queue.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![id]
    );
    // The second program has no cycle yet: its Office's desk is empty, not the city's.
    let theirs = qaward_app::acceptance::office_queue(&t.app, &office2)
        .await
        .unwrap();
    assert!(theirs.items.is_empty() && theirs.hidden == 0);
    assert!(
        qaward_app::cycles::dashboard(&t.app, &office2)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        qaward_app::cycles::dashboard(&t.app, &city)
            .await
            .unwrap()
            .is_some()
    );
}

async fn a17_1_an_opinion_department_and_the_expert_pool_are_their_own_program_s(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let dept2 = t
        .staff(
            "yp-police",
            vec![grant(
                Role::OpinionDept,
                Scope::OpinionDept("public-security".into()),
                p2,
            )],
        )
        .await;
    let office2 = t
        .staff("yp-office", vec![grant(Role::Office, Scope::Program, p2)])
        .await;
    let id = t.recommended().await;
    t.opinion_answered(id).await;
    // The same department of the other program has no request to answer.
    let queue = qaward_app::acceptance::opinion_queue(&t.app, &dept2)
        .await
        .unwrap();
    assert!(queue.items.is_empty() && queue.hidden == 0);
    // The city's experts are not the second program's: its Office lists none, and a
    // panel of its cycles could draw none of them.
    let city = t.as_user("office").await;
    assert!(
        !qaward_app::evaluation::pool::experts(&t.app, &city)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        qaward_app::evaluation::pool::experts(&t.app, &office2)
            .await
            .unwrap()
            .is_empty()
    );
}

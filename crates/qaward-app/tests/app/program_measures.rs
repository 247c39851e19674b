//! Programs the administrator adds, each under its own measures (issue #13, item 4;
//! A33, A34): a successor one program adopts leaves the other's measures as they were; a
//! person with roles in two programs chooses the one they work in; a complaint names the
//! program whose award it concerns.

use qaward_app::policies::{self, Document};
use qaward_app::programs::{self, NewProgram};
use qaward_app::testing::programs::{SECOND, SECOND_NAME, SECOND_POLICY, second_policy};
use qaward_app::testing::versions::SUCCESSOR;
use qaward_app::testing::{TestApp, d};
use qaward_app::{AppError, audit, complaints, cycles, home};
use qaward_domain::complaint::Topic;
use qaward_domain::cycle::Timeline;
use qaward_domain::ids::ProgramId;
use qaward_domain::permission::{Grant, Role, Scope};
use qaward_domain::subject::CycleRef;
use qaward_store::Backend;

qaward_store::on_both!(
    a33_each_program_keeps_its_own_measures_when_another_adopts_a_successor,
    adding_a_program_is_the_administrator_s_and_checks_its_code_and_measures,
    a_person_works_in_the_program_they_choose_among_their_own,
    a27_2_a_complaint_goes_to_the_supervision_group_of_the_program_it_names,
    a_supervision_group_reads_the_log_of_its_own_program_and_what_is_shared,
    an_e_mail_names_the_award_whose_matter_awaits,
);

fn in_program(role: Role, p: ProgramId) -> Grant {
    Grant::new(role, Scope::Program).unwrap().in_program(p)
}

fn office_of(p: ProgramId) -> Grant {
    in_program(Role::Office, p)
}

/// A complaint about the evaluation, naming the program with code `program`.
fn complaint(program: Option<&str>) -> complaints::NewComplaint {
    complaints::NewComplaint {
        topic: Some(Topic::Evaluation),
        about: "评审过程".into(),
        content: "评审专家与申报单位有利害关系。".into(),
        name: None,
        contact: None,
        program: program.map(str::to_owned),
    }
}

fn timeline() -> Timeline {
    Timeline {
        application_opens: d("2026-11-30"),
        application_closes: d("2027-01-29"),
        channel_review_due: d("2027-02-26"),
        formal_review_due: d("2027-03-31"),
    }
}

async fn a33_each_program_keeps_its_own_measures_when_another_adopts_a_successor(b: Backend) {
    let t = TestApp::new_at(b, "2026-11-30").await;
    let p2 = t.second_program().await;
    let p1 = programs::home(&t.app).await.unwrap().id;
    assert_eq!(t.app.policy_in(p1).await.unwrap().id, "xinzhou-2021");
    assert_eq!(t.app.policy_in(p2).await.unwrap().id, SECOND_POLICY);
    assert_eq!(t.app.policy_in(p2).await.unwrap().program, SECOND_NAME);

    // The second program's Office adopts a successor for its program.
    let office2 = t.staff("yp-office", vec![office_of(p2)]).await;
    let document = Document {
        number: "原政办发〔2026〕9号".into(),
        date: d("2026-11-27"),
    };
    let preview = policies::preview(&t.app, &office2, SUCCESSOR)
        .await
        .unwrap();
    assert_eq!(preview.in_force, SECOND_POLICY);
    policies::adopt(&t.app, &office2, SUCCESSOR, &document)
        .await
        .unwrap();
    assert_eq!(t.app.policy_in(p2).await.unwrap().id, "xinzhou-2027-test");
    // The city award's measures, and the installation's, are as they were.
    assert_eq!(t.app.policy_in(p1).await.unwrap().id, "xinzhou-2021");
    assert_eq!(t.app.policy().await.unwrap().id, "xinzhou-2021");

    // Each Office lists its own program's versions only.
    let city = t.as_user("office").await;
    let listed: Vec<(String, bool)> = policies::versions(&t.app, &city)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.code, v.in_force))
        .collect();
    assert_eq!(listed, vec![("xinzhou-2021".to_owned(), true)]);
    let listed: Vec<(String, bool)> = policies::versions(&t.app, &office2)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.code, v.in_force))
        .collect();
    assert_eq!(
        listed,
        vec![
            ("xinzhou-2027-test".to_owned(), true),
            (SECOND_POLICY.to_owned(), false)
        ]
    );

    // A cycle the second program opens runs under its successor (whose cycles are two
    // years apart); the city's stays under 2021.
    let opened = cycles::open_cycle(
        &t.app,
        &office2,
        CycleRef {
            ordinal: 1,
            year: 2026,
        },
        timeline(),
    )
    .await
    .unwrap();
    let cycle = t.app.store.cycle(opened).await.unwrap();
    assert_eq!(cycle.policy_id, "xinzhou-2027-test");
    let city_cycle = home::current_cycle(&t.app, Some(&city))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(city_cycle.policy_id, "xinzhou-2021");
}

async fn adding_a_program_is_the_administrator_s_and_checks_its_code_and_measures(b: Backend) {
    let t = TestApp::new(b).await;
    let admin = t.as_user("admin").await;
    let office = t.as_user("office").await;
    let new = |code: &str, source: String| NewProgram {
        code: code.into(),
        source,
        document: Document {
            number: "原政发〔2021〕1号".into(),
            date: d("2021-11-30"),
        },
    };
    let refused = programs::add(&t.app, &office, &new(SECOND, second_policy())).await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    for code in ["Y", "yuan ping", "原平", "1yuanping", "yuanping_2021"] {
        let e = programs::add(&t.app, &admin, &new(code, second_policy())).await;
        assert!(
            matches!(&e, Err(AppError::Invalid { field, .. }) if field == "code"),
            "{code}: {e:?}"
        );
    }
    // The measures are read as any version is: a file whose id is held is refused.
    let e = programs::add(
        &t.app,
        &admin,
        &new(SECOND, qaward_app::testing::POLICY.into()),
    )
    .await;
    assert!(matches!(e, Err(AppError::Conflict(_))), "{e:?}");
    let e = programs::add(&t.app, &admin, &new(SECOND, "id = ".into())).await;
    assert!(
        matches!(&e, Err(AppError::Invalid { field, .. }) if field == "source"),
        "{e:?}"
    );
    // Nothing of the refused tries was kept.
    assert_eq!(programs::all(&t.app).await.unwrap().len(), 1);

    let id = programs::add(&t.app, &admin, &new(SECOND, second_policy()))
        .await
        .unwrap();
    let all = programs::all(&t.app).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[1].id, all[1].name.as_str()), (id, SECOND_NAME));
    // Each numbers its certificates apart: two awards deciding in one year never issue
    // one number twice.
    assert_eq!(all[0].certificate_prefix, "XZZLJ");
    assert_eq!(all[1].certificate_prefix, "YUANPING");
    let third = second_policy().replace(SECOND_POLICY, "xzzlj-2021");
    let e = programs::add(&t.app, &admin, &new("xzzlj", third)).await;
    assert!(
        matches!(&e, Err(AppError::Invalid { field, .. }) if field == "code"),
        "{e:?}"
    );
    // A code is the program's for good.
    let again = second_policy().replace(SECOND_POLICY, "yuanping-2021b");
    let e = programs::add(&t.app, &admin, &new(SECOND, again)).await;
    assert!(matches!(e, Err(AppError::Conflict(_))), "{e:?}");
    assert_eq!(programs::by_code(&t.app, SECOND).await.unwrap().id, id);
    let e = programs::by_code(&t.app, "nowhere").await;
    assert!(
        matches!(&e, Err(AppError::Invalid { field, .. }) if field == "program"),
        "{e:?}"
    );
}

async fn a_person_works_in_the_program_they_choose_among_their_own(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let p1 = programs::home(&t.app).await.unwrap().id;
    let mut both = t
        .staff("both-office", vec![office_of(p1), office_of(p2)])
        .await;
    let mut only2 = t.staff("yp-office", vec![office_of(p2)]).await;
    let mut admin = t.as_user("admin").await;
    let city = t.as_user("office").await;
    // Who has a choice is offered it; one program's staff are not.
    assert_eq!(programs::choices(&t.app, &both).await.unwrap().len(), 2);
    assert_eq!(programs::choices(&t.app, &admin).await.unwrap().len(), 2);
    assert!(programs::choices(&t.app, &only2).await.unwrap().is_empty());
    assert!(programs::choices(&t.app, &city).await.unwrap().is_empty());

    // Unchosen, the first program; chosen, the second: its (empty) desk.
    let first = home::current_cycle(&t.app, Some(&both)).await.unwrap();
    assert_eq!(first.map(|c| c.program_id), Some(p1));
    programs::choose(&t.app, &mut both, Some(p2)).await.unwrap();
    assert_eq!(both.program, Some(p2));
    assert_eq!(both.programs_as(Role::Office), vec![p2, p1]);
    assert!(
        home::current_cycle(&t.app, Some(&both))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(programs::working(&t.app, &both).await.unwrap(), p2);

    // A program one holds no role in, or that does not exist, is not taken.
    programs::choose(&t.app, &mut only2, Some(p1))
        .await
        .unwrap();
    assert_eq!(only2.program, None);
    assert_eq!(programs::working(&t.app, &only2).await.unwrap(), p2);
    programs::choose(&t.app, &mut both, Some(ProgramId(999)))
        .await
        .unwrap();
    assert_eq!(both.program, None);
    // The administrator may work in any program there is.
    programs::choose(&t.app, &mut admin, Some(p2))
        .await
        .unwrap();
    assert_eq!(admin.program, Some(p2));
    programs::choose(&t.app, &mut admin, Some(ProgramId(999)))
        .await
        .unwrap();
    assert_eq!(admin.program, None);
}

async fn a27_2_a_complaint_goes_to_the_supervision_group_of_the_program_it_names(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let sup2 = t
        .staff("yp-supervisor", vec![in_program(Role::Supervisor, p2)])
        .await;
    let city = t.as_user("supervisor").await;
    let e = complaints::file_complaint(&t.app, &complaint(Some("nowhere")), "192.0.2.5").await;
    assert!(
        matches!(&e, Err(AppError::Invalid { field, .. }) if field == "program"),
        "{e:?}"
    );
    complaints::file_complaint(&t.app, &complaint(Some(SECOND)), "192.0.2.5")
        .await
        .unwrap();
    let theirs = complaints::complaint_queue(&t.app, &sup2).await.unwrap();
    assert_eq!(theirs.items.len(), 1);
    let mine = complaints::complaint_queue(&t.app, &city).await.unwrap();
    assert!(mine.items.is_empty() && mine.hidden == 0);
}

async fn a_supervision_group_reads_the_log_of_its_own_program_and_what_is_shared(b: Backend) {
    let t = TestApp::new(b).await;
    let id = t.recommended().await;
    let p2 = t.second_program().await;
    let sup2 = t
        .staff("yp-supervisor", vec![in_program(Role::Supervisor, p2)])
        .await;
    complaints::file_complaint(&t.app, &complaint(Some(SECOND)), "192.0.2.5")
        .await
        .unwrap();
    let city = t.as_user("supervisor").await;
    let objects = |log: Vec<audit::LogEntry>| -> Vec<(String, String)> {
        log.into_iter()
            .map(|e| (e.object_type, e.object_id))
            .collect()
    };
    let app_entry = ("application".to_owned(), id.0.to_string());
    let mine = objects(audit::log(&t.app, &city, 1000).await.unwrap());
    assert!(mine.contains(&app_entry));
    assert!(!mine.iter().any(|(t, _)| t == "complaint"), "{mine:?}");
    assert!(!mine.contains(&("program".to_owned(), p2.0.to_string())));
    let theirs = objects(audit::log(&t.app, &sup2, 1000).await.unwrap());
    assert!(!theirs.contains(&app_entry), "{theirs:?}");
    assert!(
        !theirs
            .iter()
            .any(|(t, _)| t == "application" || t == "cycle")
    );
    assert!(theirs.iter().any(|(t, _)| t == "complaint"));
    assert!(theirs.contains(&("program".to_owned(), p2.0.to_string())));
    // What the installation shares is read by both: the account made for the group.
    let account = ("user".to_owned(), sup2.user.id.0.to_string());
    assert!(mine.contains(&account) && theirs.contains(&account));
    // The chain is whole.
    assert!(audit::verify(&t.app, &city).await.unwrap().ok);
}

async fn an_e_mail_names_the_award_whose_matter_awaits(b: Backend) {
    let t = TestApp::new(b).await;
    let p2 = t.second_program().await;
    let admin = t.as_user("admin").await;
    qaward_app::accounts::create_staff(
        &t.app,
        &admin,
        &qaward_app::accounts::NewStaff {
            username: "yp-office".into(),
            display_name: "原平市领导小组办公室".into(),
            password: qaward_app::demo::PASSWORD.into(),
            email: Some("yp-office@example.test".into()),
            grants: vec![office_of(p2)],
            service: false,
        },
    )
    .await
    .unwrap();
    // Loading a year tells every program's Office.
    let year = qaward_app::calendars::LoadYear {
        text: include_str!("../../../qaward-domain/tests/data/calendar-2027-fictional.toml"),
        document_number: "国办发明电〔2026〕99号",
        replace: false,
    };
    qaward_app::calendars::load(&t.app, &admin, &year)
        .await
        .unwrap();
    let mail = qaward_app::notify::outbox(&t.app, &admin).await.unwrap();
    let theirs = mail
        .iter()
        .find(|m| m.to_address == "yp-office@example.test")
        .expect("the second program's Office is written to");
    assert_eq!(
        theirs.subject,
        format!("{SECOND_NAME}评审管理系统：您有新的待办事项")
    );
    assert!(theirs.body.contains(SECOND_NAME) && !theirs.body.contains("忻州"));
}

//! Complaints and reports to the supervision group through the use cases (issue #12;
//! A27, A29, A30): filed by anyone, by name or anonymously, with evidence; the reporter's
//! identity sealed and opened only by the supervision group, each time recorded; handled
//! step by step through the kernel; followed with a code that tells the status and the
//! conclusion and nothing else, and that cannot be guessed.

use qaward_app::AppError;
use qaward_app::complaints::{self, NewComplaint, handling};
use qaward_app::testing::{TestApp, refused};
use qaward_domain::complaint::{Outcome, Status, Topic};
use qaward_domain::evaluation::conflict::InterestKind;
use qaward_store::Backend;
use qaward_store::seal;

qaward_store::on_both!(
    a27_1_anyone_files_a_complaint_and_follows_it_with_the_code,
    a27_2_the_reporter_s_identity_is_sealed_and_only_the_supervision_group_opens_it,
    a27_2_the_handling_goes_step_by_step_and_refuses_what_is_out_of_order,
    a27_2_a_wrong_follow_up_code_is_unknown_and_guessing_is_throttled,
    a27_1_evidence_is_limited_in_number_and_closed_with_the_complaint,
    a29_a_member_recused_from_the_subject_does_not_see_its_complaints,
    a27_2_the_group_adds_its_own_evidence_beside_the_reporter_s_and_no_one_else_may,
);

pub(crate) const NAME: &str = "张举报";
pub(crate) const CONTACT: &str = "13900001111";

pub(crate) fn named(topic: Topic) -> NewComplaint {
    NewComplaint {
        topic: Some(topic),
        about: "某获奖企业".into(),
        content: "申报材料中的检测报告系伪造。".into(),
        name: Some(NAME.into()),
        contact: Some(CONTACT.into()),
        program: None,
    }
}

pub(crate) async fn file(t: &TestApp, c: &NewComplaint) -> (i64, String) {
    let code = complaints::file_complaint(&t.app, c, "192.0.2.10")
        .await
        .unwrap();
    let id = t.newest_complaint().await;
    (id, code)
}

async fn a27_1_anyone_files_a_complaint_and_follows_it_with_the_code(b: Backend) {
    let t = TestApp::new(b).await;
    // Anonymously: no name, no contact.
    let anonymous = NewComplaint {
        name: None,
        contact: None,
        ..named(Topic::Evaluation)
    };
    let (id, code) = file(&t, &anonymous).await;
    let s = complaints::complaint_status(&t.app, &code, "198.51.100.1")
        .await
        .unwrap();
    assert_eq!(
        (s.status, s.outcome, s.answer),
        (Status::Received, None, None)
    );
    assert!(!t.app.store.complaint(id).await.unwrap().named());
    // A complaint without its content or topic is refused, naming the field.
    let e = complaints::file_complaint(
        &t.app,
        &NewComplaint {
            content: " ".into(),
            ..named(Topic::Winner)
        },
        "192.0.2.10",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "content"),
        "{e:?}"
    );
    let e = complaints::file_complaint(
        &t.app,
        &NewComplaint {
            topic: None,
            ..named(Topic::Winner)
        },
        "192.0.2.10",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "topic"),
        "{e:?}"
    );
    // The supervision group was told; the answer reaches the reporter through the code,
    // with the outcome, once answered.
    let sup = t.as_user("supervisor").await;
    handling::decline(&t.app, &sup, id, "不属于监督组受理范围，已转有关部门。")
        .await
        .unwrap();
    let s = complaints::complaint_status(&t.app, &code, "198.51.100.1")
        .await
        .unwrap();
    assert_eq!((s.status, s.outcome), (Status::Concluded, None));
    handling::answer(
        &t.app,
        &sup,
        id,
        "您反映的问题不属于本组受理范围，已转市场监管部门。",
    )
    .await
    .unwrap();
    let s = complaints::complaint_status(&t.app, &code.to_lowercase(), "198.51.100.1")
        .await
        .unwrap();
    assert_eq!(s.status, Status::Answered);
    assert_eq!(s.outcome, Some(Outcome::Declined));
    assert!(s.answer.unwrap().contains("已转市场监管部门"));
}

async fn a27_2_the_reporter_s_identity_is_sealed_and_only_the_supervision_group_opens_it(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (id, _) = file(&t, &named(Topic::Winner)).await;
    // Sealed at rest: the row holds neither the name nor the contact.
    let row = t.app.store.complaint(id).await.unwrap();
    let sealed = row.reporter_sealed.clone().unwrap();
    assert!(sealed.starts_with("sm4gcm:"), "{sealed}");
    assert!(!sealed.contains(NAME) && !sealed.contains(CONTACT));
    // Sealed for its place: moved to another place, it does not open.
    let keys = t.app.store.seal_keys().unwrap();
    assert!(keys.open(seal::RESIDENT_ID, &sealed).is_err());
    // The Office, the applicant, an expert, the government: not found, not refused.
    for who in ["office", "expert1", "government", "applicant-org"] {
        let p = t.as_user(who).await;
        let e = complaints::reporter_identity(&t.app, &p, id)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
        let e = complaints::complaint_case(&t.app, &p, id)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
    }
    // The supervision group reads the complaint without the identity, and opens it on
    // purpose; the opening is recorded, the identity is not.
    let sup = t.as_user("supervisor").await;
    let case = complaints::complaint_case(&t.app, &sup, id).await.unwrap();
    assert!(case.named && case.may_reveal);
    let json = serde_json::to_string(&case).unwrap();
    assert!(!json.contains(NAME) && !json.contains(CONTACT) && !json.contains("sm4gcm"));
    let who = complaints::reporter_identity(&t.app, &sup, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (who.name.as_deref(), who.contact.as_deref()),
        (Some(NAME), Some(CONTACT))
    );
    let log = qaward_store::audit::recent(&t.app.store, 200, None)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "complaint.reporter-read" && e.object_id == id.to_string()),
        "the opening is recorded"
    );
    for e in &log {
        let text = &e.detail;
        assert!(
            !text.contains(NAME) && !text.contains(CONTACT),
            "{}",
            e.action
        );
    }
    // Nor do notifications or mail carry it.
    for m in t.app.store.outbox(100).await.unwrap() {
        let text = format!("{m:?}");
        assert!(!text.contains(NAME) && !text.contains(CONTACT));
    }
}

async fn a27_2_the_handling_goes_step_by_step_and_refuses_what_is_out_of_order(b: Backend) {
    let t = TestApp::new(b).await;
    let (id, code) = file(&t, &named(Topic::Winner)).await;
    let sup = t.as_user("supervisor").await;
    // Not concluded before it is taken up; not answered before it is concluded.
    let e = handling::conclude(&t.app, &sup, id, Outcome::Founded, "属实")
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-wrong-status"), "{e:?}");
    let e = handling::answer(&t.app, &sup, id, "答复")
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-wrong-status"), "{e:?}");
    // Only a member of the group is assigned; the Office cannot take a complaint up.
    let office = t.as_user("office").await;
    let e = handling::register(&t.app, &sup, id, office.user.id, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "assignee"),
        "{e:?}"
    );
    let e = handling::register(&t.app, &office, id, sup.user.id, None)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    let subject = t.subject_of("applicant-org").await;
    assert_eq!(
        handling::register(&t.app, &sup, id, sup.user.id, Some(subject))
            .await
            .unwrap(),
        Status::Registered
    );
    // Taken up once only.
    let e = handling::register(&t.app, &sup, id, sup.user.id, None)
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-wrong-status"), "{e:?}");
    handling::note(
        &t.app,
        &sup,
        id,
        "调取了申报材料中的检测报告，向出具机构核实。",
    )
    .await
    .unwrap();
    let e = handling::conclude(&t.app, &sup, id, Outcome::Founded, " ")
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-findings-required"), "{e:?}");
    handling::conclude(
        &t.app,
        &sup,
        id,
        Outcome::Founded,
        "检测报告系伪造，情况属实。",
    )
    .await
    .unwrap();
    // Concluded, the complaint takes no more notes; the reporter sees no outcome until
    // answered.
    let e = handling::note(&t.app, &sup, id, "补记").await.unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-closed"), "{e:?}");
    let s = complaints::complaint_status(&t.app, &code, "198.51.100.2")
        .await
        .unwrap();
    assert_eq!((s.status, s.outcome), (Status::Concluded, None));
    handling::answer(&t.app, &sup, id, "经核查，您反映的情况属实，已依规处理。")
        .await
        .unwrap();
    let c = t.app.store.complaint(id).await.unwrap();
    assert_eq!(c.subject_id, Some(subject));
    assert!(qaward_domain::complaint::supports_revocation(
        c.topic, c.outcome
    ));
    let kinds: Vec<String> = t
        .app
        .store
        .complaint_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["filed", "register", "note", "conclude", "answer"]);
}

async fn a27_2_a_wrong_follow_up_code_is_unknown_and_guessing_is_throttled(b: Backend) {
    let t = TestApp::new(b).await;
    let (_, code) = file(&t, &named(Topic::Evaluation)).await;
    let mut app = t.app.clone();
    let limit = 5;
    app.settings.throttle.follow_up_lookups_per_address = limit;
    let guesser = "203.0.113.9";
    for i in 0..limit {
        let e = complaints::complaint_status(&app, &format!("{i:016X}"), guesser)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    }
    // Past the limit, even the right code is not looked up from that address…
    let e = complaints::complaint_status(&app, &code, guesser)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::TooManyAttempts { .. }), "{e:?}");
    // …nor an objection's; another address is not held back.
    let e = qaward_app::objections::objection_status(&app, "ABCDEF", guesser)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::TooManyAttempts { .. }), "{e:?}");
    complaints::complaint_status(&app, &code, "198.51.100.3")
        .await
        .unwrap();
}

async fn a27_1_evidence_is_limited_in_number_and_closed_with_the_complaint(b: Backend) {
    let t = TestApp::new(b).await;
    let (id, code) = file(&t, &named(Topic::HonourMark)).await;
    let pdf = |n: usize| {
        let body = format!("%PDF-1.4\n% evidence {n}\n%%EOF\n").into_bytes();
        futures_util::stream::iter([Ok::<_, qaward_app::files::BodyError>(body)])
    };
    for n in 0..complaints::MAX_FILES as usize {
        complaints::add_evidence(&t.app, &code, pdf(n), "照片.pdf", "192.0.2.20")
            .await
            .unwrap();
    }
    let e = complaints::add_evidence(&t.app, &code, pdf(9), "多余.pdf", "192.0.2.20")
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.1", "complaint-too-many-files"), "{e:?}");
    // A disguised file is refused by its content.
    let (_, code2) = file(&t, &named(Topic::Winner)).await;
    let exe = futures_util::stream::iter([Ok::<_, qaward_app::files::BodyError>(
        b"MZ\x90\x00not a pdf".to_vec(),
    )]);
    let e = complaints::add_evidence(&t.app, &code2, exe, "证据.pdf", "192.0.2.20")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "file"),
        "{e:?}"
    );
    // The supervision group reads the files; once the complaint is concluded, none is added.
    let sup = t.as_user("supervisor").await;
    let case = complaints::complaint_case(&t.app, &sup, id).await.unwrap();
    let hash = case
        .events
        .iter()
        .find_map(|e| e.blob_hash.clone())
        .unwrap();
    let (name, kind, _) = complaints::evidence_file(&t.app, &sup, id, &hash)
        .await
        .unwrap();
    assert_eq!(
        (name.as_str(), kind.as_str()),
        ("照片.pdf", "application/pdf")
    );
    let office = t.as_user("office").await;
    assert!(matches!(
        complaints::evidence_file(&t.app, &office, id, &hash).await,
        Err(AppError::NotFound(_))
    ));
    handling::decline(&t.app, &sup, id, "无法核实")
        .await
        .unwrap();
    let e = complaints::add_evidence(&t.app, &code, pdf(7), "晚到.pdf", "192.0.2.21")
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-closed"), "{e:?}");
}

async fn a29_a_member_recused_from_the_subject_does_not_see_its_complaints(b: Backend) {
    let t = TestApp::new(b).await;
    let (id, _) = file(&t, &named(Topic::Winner)).await;
    let (other, _) = file(&t, &named(Topic::Evaluation)).await;
    let sup = t.as_user("supervisor").await;
    let subject = t.subject_of("applicant-org").await;
    handling::register(&t.app, &sup, id, sup.user.id, Some(subject))
        .await
        .unwrap();
    qaward_app::subjects::declare_interest(&t.app, &sup, subject, InterestKind::Other, "亲属任职")
        .await
        .unwrap();
    let q = complaints::complaint_queue(&t.app, &sup).await.unwrap();
    assert_eq!(q.hidden, 1);
    assert_eq!(q.items.iter().map(|c| c.id).collect::<Vec<_>>(), [other]);
    let e = complaints::complaint_case(&t.app, &sup, id)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            AppError::Forbidden(qaward_domain::permission::Denial::Recused(_))
        ),
        "{e:?}"
    );
    let e = complaints::reporter_identity(&t.app, &sup, id)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
}

async fn a27_2_the_group_adds_its_own_evidence_beside_the_reporter_s_and_no_one_else_may(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (id, code) = file(&t, &named(Topic::Winner)).await;
    let pdf = |n: usize| {
        let body = format!("%PDF-1.4\n% record {n}\n%%EOF\n").into_bytes();
        futures_util::stream::iter([Ok::<_, qaward_app::files::BodyError>(body)])
    };
    // The reporter's files fill the reporter's limit only.
    for n in 0..complaints::MAX_FILES as usize {
        complaints::add_evidence(&t.app, &code, pdf(n), "举报材料.pdf", "192.0.2.30")
            .await
            .unwrap();
    }
    let sup = t.as_user("supervisor").await;
    // Whoever may not handle the complaint learns nothing, and nothing of theirs is kept.
    for who in ["office", "applicant-org", "expert1"] {
        let p = t.as_user(who).await;
        let e = handling::add_group_evidence(&t.app, &p, id, pdf(90), "x.pdf")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
        assert_eq!(t.app.store.uploaded_bytes(p.user.id).await.unwrap(), 0);
    }
    let s = handling::add_group_evidence(&t.app, &sup, id, pdf(100), "谈话记录")
        .await
        .unwrap();
    assert_eq!(s, Status::Received);
    // A disguised file is refused by its content, and adds nothing to the history.
    let exe = futures_util::stream::iter([Ok::<_, qaward_app::files::BodyError>(
        b"MZ\x90\x00not a pdf".to_vec(),
    )]);
    let e = handling::add_group_evidence(&t.app, &sup, id, exe, "证明.pdf")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "file"),
        "{e:?}"
    );
    let case = complaints::complaint_case(&t.app, &sup, id).await.unwrap();
    let files: Vec<_> = case
        .events
        .iter()
        .filter(|e| e.blob_hash.is_some())
        .collect();
    assert_eq!(files.len(), complaints::MAX_FILES as usize + 1);
    let mine = files.iter().find(|e| e.user_id.is_some()).unwrap();
    assert_eq!(mine.user_id, Some(sup.user.id));
    // Its name is made to end as its content's kind; the group reads it, the Office not.
    let hash = mine.blob_hash.clone().unwrap();
    let (name, kind, _) = complaints::evidence_file(&t.app, &sup, id, &hash)
        .await
        .unwrap();
    assert_eq!(
        (name.as_str(), kind.as_str()),
        ("谈话记录.pdf", "application/pdf")
    );
    let office = t.as_user("office").await;
    assert!(matches!(
        complaints::evidence_file(&t.app, &office, id, &hash).await,
        Err(AppError::NotFound(_))
    ));
    // The step is recorded with its author; the reporter's status shows none of it.
    let log = qaward_store::audit::recent(&t.app.store, 50, Some(("complaint", &id.to_string())))
        .await
        .unwrap();
    let added: Vec<_> = log
        .iter()
        .filter(|e| e.action == "complaint.group-evidence")
        .map(|e| e.actor_user_id)
        .collect();
    assert_eq!(added, [Some(sup.user.id.0)]);
    let v = complaints::complaint_status(&t.app, &code, "198.51.100.4")
        .await
        .unwrap();
    assert_eq!(v.status, Status::Received);
    // Closed, the complaint takes no more files from the group either.
    handling::decline(&t.app, &sup, id, "不属于受理范围")
        .await
        .unwrap();
    let e = handling::add_group_evidence(&t.app, &sup, id, pdf(101), "补充.pdf")
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-closed"), "{e:?}");
}

//! The supervision group asks the Office about a complaint it investigates, and the Office
//! answers (issue #12 item 3; A27.2, A29, A30), on both backends: only a complaint taken
//! up is asked about; the Office reads the request and who asked, never the complaint, its
//! reporter or its code; each request is answered once; nobody but the Office answers or
//! lists them, and an Office member recused from the applicant sees the request counted,
//! not shown.

use qaward_app::AppError;
use qaward_app::complaints::{self, handling, office};
use qaward_app::home::{self, Await};
use qaward_app::testing::{TestApp, refused};
use qaward_domain::complaint::{Status, Topic};
use qaward_domain::evaluation::conflict::InterestKind;
use qaward_store::Backend;

use super::complaints::{CONTACT, NAME, file, named};

qaward_store::on_both!(
    a27_2_the_group_asks_the_office_which_answers_once_without_seeing_the_complaint,
    a29_an_office_member_recused_from_the_applicant_neither_reads_nor_answers_the_request,
);

const QUESTION: &str = "请提供该企业申报材料中检测报告的原件及形式审查记录。";

async fn a27_2_the_group_asks_the_office_which_answers_once_without_seeing_the_complaint(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (id, code) = file(&t, &named(Topic::Winner)).await;
    let sup = t.as_user("supervisor").await;
    // A complaint not yet taken up is not investigated.
    let e = office::ask_office(&t.app, &sup, id, QUESTION)
        .await
        .unwrap_err();
    assert!(refused(&e, "A27.2", "complaint-wrong-status"), "{e:?}");
    handling::register(&t.app, &sup, id, sup.user.id, None)
        .await
        .unwrap();
    // Only the group asks; an empty question names the field.
    let office_user = t.as_user("office").await;
    let e = office::ask_office(&t.app, &office_user, id, QUESTION)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    let e = office::ask_office(&t.app, &sup, id, " ").await.unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "text"),
        "{e:?}"
    );
    assert_eq!(
        office::ask_office(&t.app, &sup, id, QUESTION)
            .await
            .unwrap(),
        Status::Registered
    );
    // Its home page counts it; the Office reads the request and who asked, nothing of
    // the complaint.
    let waits = |p| {
        let app = t.app.clone();
        async move { home::awaits(&app, &p).await.unwrap().0 }
    };
    assert!(
        waits(office_user.clone())
            .await
            .contains(&Await::SupervisionRequests(1))
    );
    let q = office::office_requests(&t.app, &office_user).await.unwrap();
    assert_eq!((q.items.len(), q.hidden), (1, 0));
    let request = q.items[0].id;
    let seen = serde_json::to_string(&q.items).unwrap();
    assert!(seen.contains(QUESTION));
    let content = t.app.store.complaint(id).await.unwrap().content;
    for secret in [NAME, CONTACT, content.as_str(), code.as_str()] {
        assert!(!seen.contains(secret), "{secret} in {seen}");
    }
    // Nobody else lists or answers them, and they learn nothing of the request.
    for who in ["supervisor", "expert1", "government", "applicant-org"] {
        let p = t.as_user(who).await;
        let e = office::office_requests(&t.app, &p).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{who}: {e:?}");
        let e = office::answer_office_request(&t.app, &p, request, "已核查")
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
    }
    // Answered once; the answer joins the complaint's record.
    office::answer_office_request(
        &t.app,
        &office_user,
        request,
        "原件已调取，形式审查记录附后。",
    )
    .await
    .unwrap();
    let e = office::answer_office_request(&t.app, &office_user, request, "再答")
        .await
        .unwrap_err();
    assert!(
        refused(&e, "A27.2", "office-request-answered-already"),
        "{e:?}"
    );
    let case = complaints::complaint_case(&t.app, &sup, id).await.unwrap();
    let kinds: Vec<&str> = case.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["filed", "register", "office-request", "office-reply"]
    );
    let q = office::office_requests(&t.app, &office_user).await.unwrap();
    assert!(q.items[0].answer.is_some());
    assert!(
        !waits(office_user.clone())
            .await
            .iter()
            .any(|a| matches!(a, Await::SupervisionRequests(_)))
    );
    // An unknown request is unknown.
    let e = office::answer_office_request(&t.app, &office_user, request + 100, "x")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
}

async fn a29_an_office_member_recused_from_the_applicant_neither_reads_nor_answers_the_request(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let (id, _) = file(&t, &named(Topic::Winner)).await;
    let sup = t.as_user("supervisor").await;
    let subject = t.subject_of("applicant-org").await;
    handling::register(&t.app, &sup, id, sup.user.id, Some(subject))
        .await
        .unwrap();
    office::ask_office(&t.app, &sup, id, QUESTION)
        .await
        .unwrap();
    let office_user = t.as_user("office").await;
    let request = office::office_requests(&t.app, &office_user)
        .await
        .unwrap()
        .items[0]
        .id;
    qaward_app::subjects::declare_interest(
        &t.app,
        &office_user,
        subject,
        InterestKind::Other,
        "曾在该企业任职",
    )
    .await
    .unwrap();
    let q = office::office_requests(&t.app, &office_user).await.unwrap();
    assert_eq!((q.items.len(), q.hidden), (0, 1));
    let e = office::answer_office_request(&t.app, &office_user, request, "已核查")
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            AppError::Forbidden(qaward_domain::permission::Denial::Recused(_))
        ),
        "{e:?}"
    );
    // A second member of the Office, not recused, answers it.
    let office2 = t.as_user("office2").await;
    office::answer_office_request(&t.app, &office2, request, "已核查")
        .await
        .unwrap();
}

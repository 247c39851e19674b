//! Written opinions at the Office (A16.2, issue #9 item 10): answers read in full and
//! audited, answers received on paper recorded with their scan, the Office proceeding
//! without an overdue answer (after the due date, with its reason, not recused), and what
//! a department reads of the applicant it is asked about.

use qaward_app::audit::{self, Object};
use qaward_app::opinions::{self, PaperInput};
use qaward_app::review::{self, Checklist, Decision};
use qaward_app::testing::TestApp;
use qaward_app::{AppError, acceptance, subjects};
use qaward_domain::application::{ReviewStep, State};
use qaward_domain::ids::ApplicationId;
use qaward_store::Backend;

qaward_store::on_both!(
    a16_2_the_office_proceeds_without_an_overdue_opinion_giving_its_reason,
    a16_2_the_office_records_an_answer_received_on_paper_with_its_scan,
    a16_2_the_office_reads_every_answer_in_full_and_the_read_is_audited,
    a16_2_a_department_reads_its_request_with_the_identity_it_needs,
    a16_2_the_demo_has_an_account_for_every_opinion_department_of_the_policy,
);

fn refused_under(r: &Result<impl std::fmt::Debug, AppError>, article: &str) -> bool {
    matches!(r, Err(AppError::Refused(x)) if x.rule.as_str() == article)
}

/// Requests the opinions of `depts` on `id`, due today; returns the requests' ids.
async fn asked(t: &TestApp, id: ApplicationId, depts: &[&str]) -> Vec<i64> {
    let office = t.as_user("office").await;
    let depts: Vec<String> = depts.iter().map(|d| (*d).to_owned()).collect();
    acceptance::request_opinions(&t.app, &office, id, &depts, t.app.today())
        .await
        .unwrap()
}

async fn formal_pass(t: &TestApp, id: ApplicationId) -> Result<State, AppError> {
    let office = t.as_user("office").await;
    review::review(
        &t.app,
        &office,
        id,
        ReviewStep::Formal,
        &Decision::Pass,
        &Checklist::default(),
    )
    .await
}

fn pdf()
-> impl futures_util::Stream<Item = Result<&'static [u8], qaward_app::files::BodyError>> + Send + Unpin
{
    futures_util::stream::iter([Ok::<&'static [u8], _>(b"%PDF-1.7 paper answer".as_slice())])
}

async fn a16_2_the_office_proceeds_without_an_overdue_opinion_giving_its_reason(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let reqs = asked(&t, id, &["public-security", "tax"]).await;
    let office = t.as_user("office").await;
    // On the due date itself the department may still answer.
    let r = opinions::proceed_without(&t.app, &office, reqs[0], "逾期未复").await;
    assert!(refused_under(&r, "A16.2"), "{r:?}");
    t.set_today("2026-11-30");
    let office = t.as_user("office").await;
    let r = opinions::proceed_without(&t.app, &office, reqs[0], "  ").await;
    assert!(
        matches!(r, Err(AppError::Invalid { ref field, .. }) if field == "reason"),
        "{r:?}"
    );
    // The channel sees the application but does not settle the Office's requests; a
    // department learns nothing of a request not addressed to it.
    let reviewer = t.as_user("county-reviewer").await;
    let r = opinions::proceed_without(&t.app, &reviewer, reqs[0], "x").await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    let dept = t.as_user("opinion-dept").await;
    let r = opinions::proceed_without(&t.app, &dept, reqs[0], "x").await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
    let r = opinions::proceed_without(&t.app, &office, 99_999, "x").await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
    // Until every request is settled the formal review cannot pass.
    let r = formal_pass(&t, id).await;
    assert!(refused_under(&r, "A16.2"), "{r:?}");
    opinions::proceed_without(
        &t.app,
        &office,
        reqs[0],
        "公安机关逾期未答复，经电话催告仍未回复",
    )
    .await
    .unwrap();
    let again = opinions::proceed_without(&t.app, &office, reqs[0], "再次").await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    // A late answer after the Office decided is refused: the request is settled.
    let late = acceptance::answer_opinion(&t.app, &dept, reqs[0], false, "无").await;
    assert!(matches!(late, Err(AppError::Conflict(_))), "{late:?}");
    let tax = t.as_user("opinion-tax").await;
    acceptance::answer_opinion(&t.app, &tax, reqs[1], false, "无欠税记录")
        .await
        .unwrap();
    assert_eq!(formal_pass(&t, id).await.unwrap(), State::FormallyReviewed);
    let seen = opinions::of_application(&t.app, &office, id).await.unwrap();
    let p = seen.requests[0].request.proceeded.as_ref().unwrap();
    assert_eq!(
        (p.by.as_str(), p.reason.as_str()),
        ("office", "公安机关逾期未答复，经电话催告仍未回复")
    );
    // One typed audit entry, with the reason.
    let sup = t.as_user("supervisor").await;
    let log = audit::about(&t.app, &sup, Object::Application(id), 100)
        .await
        .unwrap();
    let entries: Vec<_> = log
        .iter()
        .filter(|e| e.action == "opinion.proceed-without")
        .collect();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].detail.contains("经电话催告"),
        "{}",
        entries[0].detail
    );
    // A recused Office user is told A29 and nothing else.
    let subject = t.subject_of("applicant-org").await;
    subjects::declare_interest(
        &t.app,
        &office,
        subject,
        qaward_domain::evaluation::conflict::InterestKind::Other,
        "曾在该企业任职",
    )
    .await
    .unwrap();
    let r = opinions::proceed_without(&t.app, &office, reqs[1], "x").await;
    assert!(
        matches!(
            r,
            Err(AppError::Forbidden(
                qaward_domain::permission::Denial::Recused(_)
            ))
        ),
        "{r:?}"
    );
}

async fn a16_2_the_office_records_an_answer_received_on_paper_with_its_scan(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let reqs = asked(&t, id, &["public-security"]).await;
    let office = t.as_user("office").await;
    let adverse_blank = PaperInput {
        adverse: true,
        answer: " ".into(),
        filename: "复函.pdf".into(),
    };
    let r = opinions::record_paper(&t.app, &office, reqs[0], pdf(), &adverse_blank).await;
    assert!(
        matches!(r, Err(AppError::Invalid { ref field, .. }) if field == "answer"),
        "{r:?}"
    );
    let blobs = t.blob_files();
    let reviewer = t.as_user("county-reviewer").await;
    let input = PaperInput {
        adverse: false,
        answer: "经查，该企业无违法犯罪记录。".into(),
        filename: "公安复函.pdf".into(),
    };
    let r = opinions::record_paper(&t.app, &reviewer, reqs[0], pdf(), &input).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
    assert_eq!(t.blob_files(), blobs, "a refused recording stores nothing");
    opinions::record_paper(&t.app, &office, reqs[0], pdf(), &input)
        .await
        .unwrap();
    let seen = opinions::of_application(&t.app, &office, id).await.unwrap();
    let r = &seen.requests[0].request;
    assert!(r.on_paper);
    assert_eq!(r.answer.as_deref(), Some("经查，该企业无违法犯罪记录。"));
    let scan = r.scan.as_ref().unwrap();
    assert_eq!(scan.filename, "公安复函.pdf");
    let (_, mut file) = opinions::open_scan(&t.app, &office, reqs[0]).await.unwrap();
    let mut bytes = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut file, &mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, b"%PDF-1.7 paper answer");
    // Recorded once: the department can no longer answer in the system.
    let dept = t.as_user("opinion-dept").await;
    let r = acceptance::answer_opinion(&t.app, &dept, reqs[0], false, "无").await;
    assert!(matches!(r, Err(AppError::Conflict(_))), "{r:?}");
    assert_eq!(formal_pass(&t, id).await.unwrap(), State::FormallyReviewed);
    let sup = t.as_user("supervisor").await;
    let log = audit::about(&t.app, &sup, Object::Application(id), 100)
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"opinion.record-paper"), "{actions:?}");
    assert!(actions.contains(&"opinion.open-scan"), "{actions:?}");
}

async fn a16_2_the_office_reads_every_answer_in_full_and_the_read_is_audited(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let reqs = asked(&t, id, &["public-security", "tax"]).await;
    let dept = t.as_user("opinion-dept").await;
    let text = "该企业法定代表人2019年曾因交通肇事受到行政处罚，证据：忻公交罚〔2019〕12号。";
    acceptance::answer_opinion(&t.app, &dept, reqs[0], true, text)
        .await
        .unwrap();
    let office = t.as_user("office").await;
    let seen = opinions::of_application(&t.app, &office, id).await.unwrap();
    assert_eq!(
        seen.identity.credit_code.as_deref(),
        Some("91140900AY4CL12THD")
    );
    let ps = &seen.requests[0];
    assert_eq!(ps.dept_name, "公安机关");
    assert_eq!(ps.request.adverse, Some(true));
    assert_eq!(ps.request.answer.as_deref(), Some(text));
    assert_eq!(ps.request.answered_by.as_deref(), Some("opinion-dept"));
    assert!(!ps.request.on_paper);
    assert!(seen.requests[1].request.answered_at.is_none());
    // Others do not read the answers: the department itself, a channel, an applicant.
    for who in [
        "opinion-dept",
        "county-reviewer",
        "applicant-org",
        "applicant-person",
    ] {
        let p = t.as_user(who).await;
        let r = opinions::of_application(&t.app, &p, id).await;
        assert!(
            matches!(r, Err(AppError::NotFound(_) | AppError::Forbidden(_))),
            "{who}: {r:?}"
        );
    }
    let sup = t.as_user("supervisor").await;
    let log = audit::about(&t.app, &sup, Object::Application(id), 100)
        .await
        .unwrap();
    let reads: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "opinions.read")
        .map(|e| e.actor_name.as_str())
        .collect();
    assert_eq!(reads, ["office"]);
}

async fn a16_2_a_department_reads_its_request_with_the_identity_it_needs(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = t.recommended().await;
    let reqs = asked(&t, id, &["public-security"]).await;
    let dept = t.as_user("opinion-dept").await;
    let letter = opinions::request_letter(&t.app, &dept, reqs[0])
        .await
        .unwrap();
    assert_eq!(letter.identity.name, "忻州市示例精密机械有限公司");
    assert_eq!(
        letter.identity.credit_code.as_deref(),
        Some("91140900AY4CL12THD")
    );
    assert_eq!(
        letter.identity.legal_representative.as_deref(),
        Some("王示例")
    );
    assert_eq!(letter.dept_name, "公安机关");
    // Another department, and the applicant, learn nothing, not even that it exists.
    for who in ["opinion-tax", "applicant-org", "county-reviewer"] {
        let p = t.as_user(who).await;
        let r = opinions::request_letter(&t.app, &p, reqs[0]).await;
        assert!(matches!(r, Err(AppError::NotFound(_))), "{who}: {r:?}");
    }
    let r = opinions::request_letter(&t.app, &dept, 99_999).await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
    // A person's resident ID is masked for the department.
    let person = t.as_user("applicant-person").await;
    let pid = t.submitted(&person, "county:xinfu").await;
    let reviewer = t.as_user("county-reviewer").await;
    review::review(
        &t.app,
        &reviewer,
        pid,
        ReviewStep::Channel,
        &Decision::Pass,
        &Checklist::notice_clear(),
    )
    .await
    .unwrap();
    let gov = t.as_user("county-government").await;
    review::recommend(&t.app, &gov, &[pid]).await.unwrap();
    let preq = asked(&t, pid, &["public-security"]).await;
    let letter = opinions::request_letter(&t.app, &dept, preq[0])
        .await
        .unwrap();
    assert_eq!(
        letter.identity.resident_id.as_deref(),
        Some("1409**********009X")
    );
    assert!(letter.identity.id_masked);
    let office = t.as_user("office").await;
    let full = opinions::of_application(&t.app, &office, pid)
        .await
        .unwrap();
    assert_eq!(
        full.identity.resident_id.as_deref(),
        Some("14090219850615009X")
    );
    let sup = t.as_user("supervisor").await;
    let log = audit::about(&t.app, &sup, Object::Application(pid), 100)
        .await
        .unwrap();
    assert!(log.iter().any(|e| e.action == "opinion.read-request"));
}

async fn a16_2_the_demo_has_an_account_for_every_opinion_department_of_the_policy(
    backend: Backend,
) {
    let t = TestApp::new(backend).await;
    for d in &t.app.policy().await.unwrap().opinion_depts {
        let name = if d.id == "public-security" {
            "opinion-dept".to_owned()
        } else {
            format!("opinion-{}", d.id)
        };
        let p = t.as_user(&name).await;
        assert!(
            p.grants
                .iter()
                .any(|g| g.scope.to_string() == format!("opinion-dept:{}", d.id)),
            "{name}: {:?}",
            p.grants
        );
    }
}

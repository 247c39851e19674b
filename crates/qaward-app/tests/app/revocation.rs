//! Revocation through the use cases (issue #12; A28): the Office requests, only the
//! Government's decision revokes, once; the certificate then reads revoked, the honour roll
//! drops the award, the register carries the decision's date for A28.3 with the ban's end
//! frozen; the plaque comes back and the prize is recovered, never more than was paid.

use qaward_app::AppError;
use qaward_app::commendation::{delivery, public};
use qaward_app::complaints::{self, NewComplaint, handling};
use qaward_app::revocation::{self, DecisionIn, RequestIn};
use qaward_app::testing::{TestApp, d, refused};
use qaward_domain::application::{RevocationCause, State};
use qaward_domain::complaint::{Outcome, Topic};
use qaward_domain::evaluation::conflict::InterestKind;
use qaward_domain::ids::ApplicationId;
use qaward_domain::permission::Denial;
use qaward_domain::policy::Level;
use qaward_store::Backend;

qaward_store::on_both!(
    a28_1_only_the_government_s_decision_revokes_and_the_certificate_then_says_so,
    a28_1_a_request_needs_a_finding_evidence_and_a_fitting_complaint,
    a28_2_the_prize_is_recovered_up_to_what_was_paid_and_the_plaque_taken_back,
    a29_a_recused_member_neither_sees_nor_decides_the_request,
    a28_2_a_revocation_is_announced_in_the_government_s_name_once_decided,
);

fn asked(complaint: Option<i64>) -> RequestIn {
    RequestIn {
        cause: RevocationCause::FalseMaterials,
        finding: "申报材料中的检测报告系伪造，经出具机构书面确认。".into(),
        evidence: "市场监管局调查报告（2027年1月5日）".into(),
        complaint,
        obligation: None,
    }
}

fn revoke() -> DecisionIn {
    DecisionIn::Revoke {
        number: "忻政发〔2027〕2号".into(),
        dated: d("2027-01-10"),
    }
}

/// An award of 2026 with its prize paid; the day is 2027-01-12.
async fn one_award(t: &TestApp) -> ApplicationId {
    let (_, ids) = t.awarded(&[80]).await;
    let office = t.as_user("office").await;
    t.set_today("2027-01-12");
    delivery::record_payment(&t.app, &office, ids[0], 200_000, d("2026-12-25"), "凭证1")
        .await
        .unwrap();
    ids[0]
}

async fn code_of(t: &TestApp, id: ApplicationId) -> String {
    let cycle = t.app.store.application(id).await.unwrap().cycle_id;
    let lines = t.app.store.commendation_lines(cycle).await.unwrap();
    let line = lines.iter().find(|l| l.row.id == id).unwrap();
    line.award.clone().unwrap().verification_code
}

async fn a28_1_only_the_government_s_decision_revokes_and_the_certificate_then_says_so(b: Backend) {
    let t = TestApp::new(b).await;
    let id = one_award(&t).await;
    let (office, gov) = (t.as_user("office").await, t.as_user("government").await);
    // The Government does not request; the Office does not decide.
    let e = revocation::request(&t.app, &gov, id, &asked(None))
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let q = revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap();
    let e = revocation::decide(&t.app, &office, q, &revoke())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    // Requested, the award stands.
    let code = code_of(&t, id).await;
    assert!(matches!(
        public::verify(&t.app, &code).await.unwrap(),
        public::Verified::Valid(_)
    ));
    assert_eq!(
        t.app.store.application(id).await.unwrap().state,
        State::Awarded(Level::Award)
    );
    // A decision dated after today is refused; then the Government revokes.
    let e = revocation::decide(
        &t.app,
        &gov,
        q,
        &DecisionIn::Revoke {
            number: "忻政发〔2027〕2号".into(),
            dated: d("2027-02-01"),
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "dated"),
        "{e:?}"
    );
    revocation::decide(&t.app, &gov, q, &revoke())
        .await
        .unwrap();
    assert_eq!(
        t.app.store.application(id).await.unwrap().state,
        State::Revoked(Level::Award)
    );
    assert!(matches!(
        public::verify(&t.app, &code).await.unwrap(),
        public::Verified::Revoked(_)
    ));
    assert!(public::honour_roll(&t.app).await.unwrap().is_empty());
    // A second decision on the same request is refused under A28.1.
    let e = revocation::decide(
        &t.app,
        &gov,
        q,
        &DecisionIn::Refuse {
            reason: "再议".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(refused(&e, "A28.1", "revocation-decided-already"), "{e:?}");
    // The register carries the decision's date, which A28.3 counts from; the ban's end is
    // frozen with the decision (2027 + 3 cycles × 3 years − 1).
    let subject = t.app.store.application(id).await.unwrap().subject_id;
    let register = qaward_app::subjects::register(&t.app, &office, subject)
        .await
        .unwrap();
    assert_eq!(register.awards[0].record.revoked_on, Some(d("2027-01-10")));
    let r = t.app.store.revocation_request(q).await.unwrap();
    assert_eq!(r.ban_until_year, Some(2035));
    assert_eq!(register.awards[0].record.ban_until, Some(2035));
    // Published: who, which award, the decision.
    let p = revocation::published(&t.app).await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].decision_number, "忻政发〔2027〕2号");
}

async fn a28_1_a_request_needs_a_finding_evidence_and_a_fitting_complaint(b: Backend) {
    let t = TestApp::new(b).await;
    let id = one_award(&t).await;
    let office = t.as_user("office").await;
    let e = revocation::request(
        &t.app,
        &office,
        id,
        &RequestIn {
            finding: " ".into(),
            ..asked(None)
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "finding"),
        "{e:?}"
    );
    // A complaint about someone else, or not founded, is no ground.
    let sup = t.as_user("supervisor").await;
    let file = |topic| NewComplaint {
        topic: Some(topic),
        about: "获奖企业".into(),
        content: "材料造假".into(),
        name: None,
        contact: None,
        program: None,
    };
    complaints::file_complaint(&t.app, &file(Topic::Winner), "192.0.2.5")
        .await
        .unwrap();
    let c = t.newest_complaint().await;
    let subject = t.app.store.application(id).await.unwrap().subject_id;
    handling::register(&t.app, &sup, c, sup.user.id, Some(subject))
        .await
        .unwrap();
    let e = revocation::request(&t.app, &office, id, &asked(Some(c)))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "complaint"),
        "{e:?}"
    );
    handling::conclude(&t.app, &sup, c, Outcome::Founded, "检测报告系伪造。")
        .await
        .unwrap();
    let q = revocation::request(&t.app, &office, id, &asked(Some(c)))
        .await
        .unwrap();
    assert_eq!(
        t.app
            .store
            .revocation_request(q)
            .await
            .unwrap()
            .complaint_id,
        Some(c)
    );
    // One open request per award.
    let e = revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    // Refused with a reason, the award stands and a new request may follow.
    let gov = t.as_user("government").await;
    revocation::decide(
        &t.app,
        &gov,
        q,
        &DecisionIn::Refuse {
            reason: "情节轻微".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        t.app.store.application(id).await.unwrap().state,
        State::Awarded(Level::Award)
    );
    revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap();
}

async fn a28_2_the_prize_is_recovered_up_to_what_was_paid_and_the_plaque_taken_back(b: Backend) {
    let t = TestApp::new(b).await;
    let id = one_award(&t).await;
    let (office, gov) = (t.as_user("office").await, t.as_user("government").await);
    let on = d("2027-01-11");
    // Nothing is recovered of an award that stands.
    let e = revocation::record_recovery(&t.app, &office, id, 1, on, "追1")
        .await
        .unwrap_err();
    assert!(refused(&e, "A28.2", "revocation-not-revoked"), "{e:?}");
    let q = revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap();
    revocation::decide(&t.app, &gov, q, &revoke())
        .await
        .unwrap();
    revocation::record_recovery(&t.app, &office, id, 150_000, on, "追1")
        .await
        .unwrap();
    let e = revocation::record_recovery(&t.app, &office, id, 50_001, on, "追2")
        .await
        .unwrap_err();
    assert!(refused(&e, "A28.2", "recovery-exceeds-payment"), "{e:?}");
    revocation::record_recovery(&t.app, &office, id, 50_000, on, "追2")
        .await
        .unwrap();
    revocation::record_return(&t.app, &office, id, on, "企业负责人交回奖牌和证书")
        .await
        .unwrap();
    let e = revocation::record_return(&t.app, &office, id, on, "再次")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    // The government records neither.
    let e = revocation::record_recovery(&t.app, &gov, id, 1, on, "x")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let r = t.app.store.revocation_request(q).await.unwrap();
    assert_eq!(
        (r.paid_yuan, r.recovered_yuan, r.returned_on),
        (Some(200_000), 200_000, Some(on))
    );
}

async fn a29_a_recused_member_neither_sees_nor_decides_the_request(b: Backend) {
    let t = TestApp::new(b).await;
    let id = one_award(&t).await;
    let (office, gov) = (t.as_user("office").await, t.as_user("government").await);
    let q = revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap();
    let subject = t.app.store.application(id).await.unwrap().subject_id;
    for who in [&office, &gov] {
        qaward_app::subjects::declare_interest(
            &t.app,
            who,
            subject,
            InterestKind::Other,
            "亲属任职",
        )
        .await
        .unwrap();
        let desk = revocation::desk(&t.app, who).await.unwrap();
        assert!(desk.requests.is_empty() && desk.standing.is_empty());
        assert!(desk.hidden >= 1);
    }
    let e = revocation::decide(&t.app, &gov, q, &revoke())
        .await
        .unwrap_err();
    assert!(
        matches!(e, AppError::Forbidden(Denial::Recused(_))),
        "{e:?}"
    );
    // The expert, who may not decide, learns nothing of the request.
    let expert = t.as_user("expert1").await;
    let e = revocation::decide(&t.app, &expert, q, &revoke())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    assert_eq!(
        t.app.store.application(id).await.unwrap().state,
        State::Awarded(Level::Award)
    );
}

async fn a28_2_a_revocation_is_announced_in_the_government_s_name_once_decided(b: Backend) {
    use qaward_app::revocation::announcement;
    let t = TestApp::new(b).await;
    let id = one_award(&t).await;
    let (office, gov) = (t.as_user("office").await, t.as_user("government").await);
    // Neither a request waiting for the decision nor one declined is announced.
    let q = revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap();
    let unknown = |e: AppError| matches!(e, AppError::NotFound(_));
    assert!(unknown(
        announcement::announcement(&t.app, q).await.unwrap_err()
    ));
    let declined = DecisionIn::Refuse {
        reason: "证据不足".into(),
    };
    revocation::decide(&t.app, &gov, q, &declined)
        .await
        .unwrap();
    assert!(unknown(
        announcement::announcement(&t.app, q).await.unwrap_err()
    ));
    assert!(unknown(
        announcement::announcement_docx(&t.app, q)
            .await
            .unwrap_err()
    ));
    assert!(revocation::published(&t.app).await.unwrap().is_empty());
    let q = revocation::request(&t.app, &office, id, &asked(None))
        .await
        .unwrap();
    revocation::decide(&t.app, &gov, q, &revoke())
        .await
        .unwrap();
    // Revoked, it is announced in the Government's name, dated the decision's day: the
    // award, the cause's category, the decision's number, the ban's last year — and not
    // the finding, which stays with the Office.
    let a = announcement::announcement(&t.app, q).await.unwrap();
    let name = &a.revocation.subject_name;
    assert_eq!(
        a.revocation.title,
        format!("关于撤销{name}第二届忻州市市长质量奖的公告")
    );
    assert_eq!(
        (a.issuer.as_str(), a.decided_on),
        ("忻州市人民政府", d("2027-01-10"))
    );
    let text = a.paragraphs.join("\n");
    for part in [
        "忻政发〔2027〕2号",
        "弄虚作假或以不正当手段骗取荣誉",
        "第二十八条",
        "2035年底",
        "收回奖牌、证书",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(
        !text.contains("检测报告") && !text.contains("调查报告"),
        "{text}"
    );
    // The certificate's verification leads to it; the Word document reads the same.
    match public::verify(&t.app, &code_of(&t, id).await)
        .await
        .unwrap()
    {
        public::Verified::Revoked(c) => assert_eq!(c.announcement, Some(q)),
        other => panic!("{other:?}"),
    }
    let doc = announcement::announcement_docx(&t.app, q).await.unwrap();
    let words = qaward_docs::inspect::docx_text(&doc.bytes).unwrap();
    assert!(
        words.contains(&a.revocation.title) && words.contains("忻政发〔2027〕2号"),
        "{words}"
    );
    let p = revocation::published(&t.app).await.unwrap();
    assert_eq!((p.len(), p[0].id), (1, q));
}

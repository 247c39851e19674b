//! Winners' obligations through the use cases (issue #12 item 6; A22, A25, A28.1, A29), on
//! both backends: the Office sets a report and its date on an award that stands; the
//! winner reports, every fault refused at once under its article; the Office returns it
//! with what to mend or accepts it; nobody else reports or reviews, and learns nothing of
//! it; an obligation past its date and not reported is overdue, and a revocation for cause
//! (3) may cite it; a member recused from the
//! winner sees it counted, not shown.

use qaward_app::home::{self, Await};
use qaward_app::obligations::{self, Desk};
use qaward_app::revocation::{self, RequestIn};
use qaward_app::testing::{TestApp, d, refused};
use qaward_app::{AppError, Principal};
use qaward_domain::application::RevocationCause;
use qaward_domain::evaluation::conflict::InterestKind;
use qaward_domain::ids::ApplicationId;
use qaward_domain::obligation::{Kind, Report, Status, UseCategory, UseLine};
use qaward_domain::permission::Denial;
use qaward_store::Backend;

qaward_store::on_both!(
    a22_a25_the_office_sets_the_winner_reports_and_the_office_returns_or_accepts,
    a28_1_an_obligation_past_its_date_and_not_reported_is_overdue,
    a29_an_office_member_recused_from_the_winner_neither_sees_nor_reviews_its_report,
);

fn prize_use() -> Report {
    Report::PrizeUse {
        lines: vec![
            UseLine {
                category: UseCategory::Training,
                yuan: 80_000,
                purpose: "全员质量管理培训".into(),
            },
            UseLine {
                category: UseCategory::Laboratory,
                yuan: 120_000,
                purpose: "计量实验室检测设备".into(),
            },
        ],
        vouchers: "培训合同、设备采购发票及付款记录".into(),
    }
}

/// An Award of 2026 (today 2026-12-07) and its winner's account.
async fn award(t: &TestApp) -> ApplicationId {
    let (_, ids) = t.awarded(&[80]).await;
    ids[0]
}

/// A demo account, or the winner `org0` (registered with its own password).
async fn as_user(t: &TestApp, who: &str) -> Principal {
    if who == "org0" {
        qaward_app::auth::login(&t.app, who, "correct-horse-1", "test")
            .await
            .unwrap()
            .principal
    } else {
        t.as_user(who).await
    }
}

async fn desk(t: &TestApp, who: &str) -> Desk {
    let p = as_user(t, who).await;
    obligations::desk(&t.app, &p).await.unwrap()
}

async fn a22_a25_the_office_sets_the_winner_reports_and_the_office_returns_or_accepts(b: Backend) {
    let t = TestApp::new(b).await;
    let id = award(&t).await;
    let office = t.as_user("office").await;
    let winner = as_user(&t, "org0").await;
    let set = |kind, due: &str, request: &str| {
        let (office, due, request) = (office.clone(), d(due), request.to_owned());
        let app = t.app.clone();
        async move { obligations::set_obligation(&app, &office, id, kind, due, &request).await }
    };
    let e = set(Kind::PrizeUse, "2026-12-01", "报告奖金使用情况")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "due_on"),
        "{e:?}"
    );
    let e = set(Kind::PrizeUse, "2027-06-30", " ").await.unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "request"),
        "{e:?}"
    );
    let o = set(Kind::PrizeUse, "2027-06-30", "报告奖金使用情况并附凭证")
        .await
        .unwrap();
    // Only the Office sets; the winner cannot.
    let e = obligations::set_obligation(&t.app, &winner, id, Kind::PrizeUse, d("2027-06-30"), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(e, AppError::Forbidden(_) | AppError::NotFound(_)),
        "{e:?}"
    );
    // The winner sees it on its desk, counted on its home page.
    let waits = |p: Principal| {
        let app = t.app.clone();
        async move { home::awaits(&app, &p).await.unwrap().0 }
    };
    assert!(
        waits(winner.clone())
            .await
            .contains(&Await::ObligationsToReport(1))
    );
    let mine = desk(&t, "org0").await;
    assert_eq!(mine.lines.len(), 1);
    assert!(!mine.lines[0].overdue && !mine.may_set);
    // Every fault at once, under A22.
    let bad = Report::PrizeUse {
        lines: vec![UseLine {
            category: UseCategory::Research,
            yuan: 0,
            purpose: " ".into(),
        }],
        vouchers: String::new(),
    };
    match obligations::report(&t.app, &winner, o, &bad)
        .await
        .unwrap_err()
    {
        AppError::Unmet(v) => {
            assert_eq!(v.len(), 2);
            assert!(v.iter().all(|r| r.rule.as_str() == "A22"));
        }
        other => panic!("{other:?}"),
    }
    // Nobody else reports, and they learn nothing of it.
    for who in ["applicant-org", "expert1", "supervisor"] {
        let p = t.as_user(who).await;
        let e = obligations::report(&t.app, &p, o, &prize_use())
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{who}: {e:?}");
    }
    obligations::report(&t.app, &winner, o, &prize_use())
        .await
        .unwrap();
    assert!(
        waits(office.clone())
            .await
            .contains(&Await::ObligationsToReview(1))
    );
    assert!(
        !waits(winner.clone())
            .await
            .iter()
            .any(|a| matches!(a, Await::ObligationsToReport(_)))
    );
    let e = obligations::report(&t.app, &winner, o, &prize_use())
        .await
        .unwrap_err();
    assert!(refused(&e, "A22", "obligation-wrong-status"), "{e:?}");
    // Returned with what to mend, reported again, accepted.
    let e = obligations::review(&t.app, &office, o, false, "")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "note"),
        "{e:?}"
    );
    obligations::review(&t.app, &office, o, false, "请补充设备验收单")
        .await
        .unwrap();
    assert_eq!(
        t.app.store.obligation(o).await.unwrap().status,
        Status::Returned
    );
    obligations::report(&t.app, &winner, o, &prize_use())
        .await
        .unwrap();
    obligations::review(&t.app, &office, o, true, "")
        .await
        .unwrap();
    let row = t.app.store.obligation(o).await.unwrap();
    assert_eq!(row.status, Status::Accepted);
    assert_eq!(row.report.unwrap().total_yuan(), 200_000);
    // A promotion report (A25) is not answered with a prize-use report.
    let p = set(
        Kind::Promotion,
        "2027-03-31",
        "报告质量管理经验的宣传推广情况",
    )
    .await
    .unwrap();
    let e = obligations::report(&t.app, &winner, p, &prize_use())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Unmet(v) if v[0].rule.as_str() == "A25"),
        "{e:?}"
    );
    let promoted = Report::Promotion {
        activities: "2027年3月在市质量大会介绍卓越绩效管理经验".into(),
    };
    obligations::report(&t.app, &winner, p, &promoted)
        .await
        .unwrap();
    assert_eq!(desk(&t, "office").await.lines.len(), 2);
}

async fn a28_1_an_obligation_past_its_date_and_not_reported_is_overdue(b: Backend) {
    let t = TestApp::new(b).await;
    let id = award(&t).await;
    let office = t.as_user("office").await;
    let o = obligations::set_obligation(
        &t.app,
        &office,
        id,
        Kind::PrizeUse,
        d("2027-01-31"),
        "报告奖金使用情况",
    )
    .await
    .unwrap();
    assert!(!desk(&t, "office").await.lines[0].overdue);
    t.set_today("2027-02-01");
    assert!(desk(&t, "office").await.lines[0].overdue);
    assert!(desk(&t, "org0").await.lines[0].overdue);
    // Overdue, it may be cited for a revocation under cause (3), and only under it.
    let ask = |cause| RequestIn {
        cause,
        finding: "获奖后逾期未报告奖金使用情况，经催告仍未报告。".into(),
        evidence: "催告函及送达回证".into(),
        complaint: None,
        obligation: Some(o),
    };
    let e = revocation::request(&t.app, &office, id, &ask(RevocationCause::FalseMaterials))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, AppError::Invalid { field, .. } if field == "obligation"),
        "{e:?}"
    );
    let q = revocation::request(&t.app, &office, id, &ask(RevocationCause::MarkMisuse))
        .await
        .unwrap();
    assert_eq!(
        t.app
            .store
            .revocation_request(q)
            .await
            .unwrap()
            .obligation_id,
        Some(o)
    );
    // Reported late, it is no longer overdue: the winner has done its part.
    let winner = as_user(&t, "org0").await;
    obligations::report(&t.app, &winner, o, &prize_use())
        .await
        .unwrap();
    assert!(!desk(&t, "office").await.lines[0].overdue);
}

async fn a29_an_office_member_recused_from_the_winner_neither_sees_nor_reviews_its_report(
    b: Backend,
) {
    let t = TestApp::new(b).await;
    let id = award(&t).await;
    let office = t.as_user("office").await;
    let o = obligations::set_obligation(
        &t.app,
        &office,
        id,
        Kind::PrizeUse,
        d("2027-06-30"),
        "报告奖金使用情况",
    )
    .await
    .unwrap();
    let winner = as_user(&t, "org0").await;
    obligations::report(&t.app, &winner, o, &prize_use())
        .await
        .unwrap();
    let subject = t.app.store.application(id).await.unwrap().subject_id;
    qaward_app::subjects::declare_interest(
        &t.app,
        &office,
        subject,
        InterestKind::Other,
        "亲属任职",
    )
    .await
    .unwrap();
    let d = desk(&t, "office").await;
    assert_eq!((d.lines.len(), d.hidden), (0, 1));
    assert!(d.standing.iter().all(|a| a.subject_id != subject));
    let e = obligations::review(&t.app, &office, o, true, "")
        .await
        .unwrap_err();
    assert!(
        matches!(e, AppError::Forbidden(Denial::Recused(_))),
        "{e:?}"
    );
    let office2 = t.as_user("office2").await;
    obligations::review(&t.app, &office2, o, true, "")
        .await
        .unwrap();
}

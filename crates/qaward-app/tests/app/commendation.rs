//! From the results to the commendation through the use cases (issue #11; A18–A21,
//! A4.3–A4.4, A12.1): the candidate list by the scores with reasons against them, the
//! background opinions asked by the body that received the materials, the notices, the
//! deliberation under the quotas — also when two proposals race for the last place —,
//! the joint report that needs both signatures, and the decision that writes the awards,
//! their certificates and the register A12.1 reads.

use qaward_app::AppError;
use qaward_app::commendation::{candidates, decision, delivery, documents, public};
use qaward_app::subjects;
use qaward_app::testing::{TestApp, d, refused};
use qaward_domain::application::State;
use qaward_domain::commendation::Choice;
use qaward_domain::policy::Level;
use qaward_domain::subject::{AwardRecord, CycleRef};
use qaward_store::Backend;

qaward_store::on_both!(
    a20_2_the_decision_writes_the_awards_their_certificates_and_the_register,
    a4_3_a4_4_a19_1_a_fourth_award_is_refused_and_fewer_is_fine,
    a4_3_two_proposals_for_the_last_place_cannot_both_pass,
    a18_1_moving_against_the_score_needs_a_written_reason,
    a18_2_a18_3_deliberation_waits_for_the_opinions_and_the_notice,
    a18_2_the_receiving_body_asks_for_the_background_opinions_not_the_office,
    a19_2_a20_1_only_the_hr_bureau_cosigns_and_the_decision_waits_for_it,
    a12_1_a_cycle_run_in_the_system_takes_no_hand_entered_award,
    a21_1_the_prize_is_the_policy_s_and_the_nomination_award_has_none,
    a21_1_without_its_font_a_certificate_says_what_is_missing,
);

/// Refused under `rule` for `key`, also when the refusal names the application of a batch
/// it concerns.
pub(crate) fn names(e: &AppError, rule: &str, key: &str) -> bool {
    refused(e, rule, key) || (refused(e, rule, "in-batch") && format!("{e:?}").contains(key))
}

pub(crate) const A: Option<Level> = Some(Level::Award);
pub(crate) const N: Option<Level> = Some(Level::Nomination);

async fn a20_2_the_decision_writes_the_awards_their_certificates_and_the_register(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 55, 40]).await;
    t.candidates_by_score(cycle, &ids).await;
    assert_eq!(
        t.app.store.application(ids[2]).await.unwrap().state,
        State::NotAwarded
    );
    t.candidates_cleared(cycle, &ids[..2]).await;
    t.deliberated(cycle, &[(ids[0], A), (ids[1], N)])
        .await
        .unwrap();
    t.reported(cycle).await;
    let gov = t.as_user("government").await;
    // The Government raises the Nomination Award's candidate? Its 55 % is below the
    // Award's threshold (A4.4); it confirms both instead.
    let e = decision::decide(
        &t.app,
        &gov,
        cycle,
        "忻政发〔2026〕30号",
        d("2026-12-21"),
        &[(ids[0], A), (ids[1], A)],
    )
    .await
    .unwrap_err();
    assert!(names(&e, "A4.4", "score-below-threshold"), "{e:?}");
    let states = decision::decide(
        &t.app,
        &gov,
        cycle,
        "忻政发〔2026〕30号",
        d("2026-12-21"),
        &[(ids[0], A), (ids[1], N)],
    )
    .await
    .unwrap();
    assert_eq!(
        states,
        [
            State::Awarded(Level::Award),
            State::Awarded(Level::Nomination)
        ]
    );
    let lines = t.app.store.commendation_lines(cycle).await.unwrap();
    let award = lines
        .iter()
        .find(|l| l.row.id == ids[0])
        .unwrap()
        .award
        .clone()
        .unwrap();
    assert!(
        award.certificate_number.starts_with("XZZLJ-2026-A"),
        "{award:?}"
    );
    match public::verify(&t.app, &award.verification_code.to_lowercase())
        .await
        .unwrap()
    {
        public::Verified::Valid(c) => {
            assert_eq!(c.level, Level::Award);
            assert_eq!(c.decision_number, "忻政发〔2026〕30号");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        public::verify(&t.app, "FORGED0000000000").await.unwrap(),
        public::Verified::Unknown
    );
    let roll = public::honour_roll(&t.app).await.unwrap();
    assert_eq!(roll.len(), 2);
    assert_eq!(roll[0].level, Level::Award);
    // The register that A12.1 reads has the award, from the decision.
    let subject = t.app.store.application(ids[0]).await.unwrap().subject_id;
    let history = t.app.store.award_history(subject).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].record.level, Level::Award);
    assert_eq!(history[0].reference, "忻政发〔2026〕30号");
    // A second decision is refused: nobody is proposed any more.
    let e = decision::decide(
        &t.app,
        &gov,
        cycle,
        "忻政发〔2026〕31号",
        d("2026-12-21"),
        &[(ids[0], A)],
    )
    .await
    .unwrap_err();
    assert!(refused(&e, "A20.2", "move-wrong-state"), "{e:?}");
}

async fn a4_3_a4_4_a19_1_a_fourth_award_is_refused_and_fewer_is_fine(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 80, 80, 80]).await;
    t.candidates_by_score(cycle, &ids).await;
    t.candidates_cleared(cycle, &ids).await;
    let all: Vec<_> = ids.iter().map(|id| (*id, A)).collect();
    let e = t.deliberated(cycle, &all).await.unwrap_err();
    assert!(names(&e, "A4.3", "quota-taken"), "{e:?}");
    for id in &ids {
        assert_eq!(
            t.app.store.application(*id).await.unwrap().state,
            State::Candidate
        );
    }
    // Two Awards and two vacant places (A4.4): the other two get the Nomination Award.
    let states = t
        .deliberated(
            cycle,
            &[(ids[0], A), (ids[1], A), (ids[2], N), (ids[3], None)],
        )
        .await
        .unwrap();
    assert_eq!(states[3], State::NotAwarded);
}

async fn a4_3_two_proposals_for_the_last_place_cannot_both_pass(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 80, 80, 80]).await;
    t.candidates_by_score(cycle, &ids).await;
    t.candidates_cleared(cycle, &ids).await;
    t.deliberated(cycle, &[(ids[0], A), (ids[1], A)])
        .await
        .unwrap();
    // Two members of the Leading Group propose for the third and last place at once.
    let (third, fourth) = ([(ids[2], A)], [(ids[3], A)]);
    let (x, y) = tokio::join!(t.deliberated(cycle, &third), t.deliberated(cycle, &fourth));
    let passed = [x.is_ok(), y.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(passed, 1, "{x:?} {y:?}");
    let e = x.err().or(y.err()).unwrap();
    assert!(refused(&e, "A4.3", "quota-taken"), "{e:?}");
    assert_eq!(
        t.app.store.taken(cycle, &[]).await.unwrap()[&Level::Award],
        3
    );
}

async fn a18_1_moving_against_the_score_needs_a_written_reason(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80, 55]).await;
    let office = t.as_user("office").await;
    let choice = |i: usize, level, reason: &str| Choice {
        id: ids[i],
        level,
        reason: reason.into(),
    };
    // The Award's candidate moved down and the other above it, without reasons.
    let e = candidates::propose_candidates(
        &t.app,
        &office,
        cycle,
        &[choice(1, N, ""), choice(0, N, "")],
    )
    .await
    .unwrap_err();
    match &e {
        qaward_app::AppError::Unmet(rs) => {
            assert_eq!(rs.len(), 2, "{rs:?}");
            assert!(rs.iter().all(|r| r.rule.as_str() == "A18.1"));
        }
        other => panic!("{other:?}"),
    }
    // Above its score, even with a reason (A4.4).
    let e = candidates::propose_candidates(
        &t.app,
        &office,
        cycle,
        &[choice(0, A, ""), choice(1, A, "群众口碑好")],
    )
    .await
    .unwrap_err();
    assert!(format!("{e:?}").contains("A4.4"), "{e:?}");
    // With reasons, the list stands; nothing was written before.
    let states = candidates::propose_candidates(
        &t.app,
        &office,
        cycle,
        &[
            choice(1, N, "现场评审发现其质量管理更为扎实"),
            choice(0, N, "存在未整改的质量问题"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(states, [State::Candidate, State::Candidate]);
    let lines = t.app.store.commendation_lines(cycle).await.unwrap();
    let first = lines
        .iter()
        .find(|l| l.row.id == ids[1])
        .unwrap()
        .candidate
        .clone()
        .unwrap();
    assert_eq!((first.level, first.position), (Level::Nomination, 1));
}

async fn a18_2_a18_3_deliberation_waits_for_the_opinions_and_the_notice(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80]).await;
    t.candidates_by_score(cycle, &ids).await;
    let e = t.deliberated(cycle, &[(ids[0], A)]).await.unwrap_err();
    assert!(refused(&e, "A18.2", "opinions-not-requested"), "{e:?}");
    let office = t.as_user("office").await;
    // Shorter than five working days: refused (A18.3).
    let e = candidates::publish_candidate_notices(
        &t.app,
        &office,
        cycle,
        d("2026-12-07"),
        Some(d("2026-12-10")),
        "0350",
    )
    .await
    .unwrap_err();
    assert!(format!("{e:?}").contains("A18.3"), "{e:?}");
    let notices = candidates::publish_candidate_notices(
        &t.app,
        &office,
        cycle,
        d("2026-12-07"),
        None,
        "0350",
    )
    .await
    .unwrap();
    assert_eq!(notices.len(), 1);
    let reviewer = t.as_user("county-reviewer").await;
    candidates::request_background_opinions(
        &t.app,
        &reviewer,
        ids[0],
        &["public-security".into()],
        d("2026-12-11"),
    )
    .await
    .unwrap();
    let e = t.deliberated(cycle, &[(ids[0], A)]).await.unwrap_err();
    assert!(refused(&e, "A18.2", "opinions-unanswered"), "{e:?}");
    t.answer_all().await;
    t.set_today("2026-12-14");
    // The notice is published within the candidate's own county (A18.3).
    let (n, entries) = qaward_app::objections::notice(&t.app, notices[0])
        .await
        .unwrap();
    assert_eq!(
        n.scope,
        qaward_domain::notice::NoticeScope::County("xinfu".into())
    );
    assert_eq!(entries.len(), 1);
    assert_eq!(
        t.deliberated(cycle, &[(ids[0], A)]).await.unwrap(),
        [State::Proposed(Level::Award)]
    );
}

async fn a18_2_the_receiving_body_asks_for_the_background_opinions_not_the_office(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80]).await;
    t.candidates_by_score(cycle, &ids).await;
    let office = t.as_user("office").await;
    let e = candidates::request_background_opinions(
        &t.app,
        &office,
        ids[0],
        &["public-security".into()],
        d("2026-12-11"),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, qaward_app::AppError::Forbidden(_)), "{e:?}");
    // Another county's reviewer does not even learn the candidate exists.
    let reviewer = t.as_user("county-reviewer").await;
    let depts = candidates::background_departments(&t.app, &reviewer, ids[0])
        .await
        .unwrap();
    let chosen: Vec<&str> = depts
        .iter()
        .filter(|d| d.chosen)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(
        chosen,
        [
            "public-security",
            "hr-social-security",
            "ecology-environment",
            "emergency-management",
            "market-supervision",
            "tax"
        ]
    );
    let govt = t.as_user("county-government").await;
    assert!(
        candidates::background_departments(&t.app, &govt, ids[0])
            .await
            .is_err()
    );
}

async fn a19_2_a20_1_only_the_hr_bureau_cosigns_and_the_decision_waits_for_it(b: Backend) {
    let t = TestApp::new(b).await;
    let (cycle, ids) = t.evaluated(&[80]).await;
    t.candidates_by_score(cycle, &ids).await;
    t.candidates_cleared(cycle, &ids).await;
    t.deliberated(cycle, &[(ids[0], A)]).await.unwrap();
    let office = t.as_user("office").await;
    // Before the proposed winners' notice has run, no report (A19.2).
    decision::publish_proposed_winners(&t.app, &office, cycle, d("2026-12-14"), None, "0350")
        .await
        .unwrap();
    let e = decision::file_joint_report(
        &t.app,
        &office,
        cycle,
        "忻质奖办〔2026〕9号",
        d("2026-12-14"),
    )
    .await
    .unwrap_err();
    assert!(format!("{e:?}").contains("A19.2"), "{e:?}");
    t.set_today("2026-12-21");
    decision::file_joint_report(
        &t.app,
        &office,
        cycle,
        "忻质奖办〔2026〕9号",
        d("2026-12-21"),
    )
    .await
    .unwrap();
    let gov = t.as_user("government").await;
    let e = decision::decide(
        &t.app,
        &gov,
        cycle,
        "忻政发〔2026〕30号",
        d("2026-12-21"),
        &[(ids[0], A)],
    )
    .await
    .unwrap_err();
    assert!(refused(&e, "A20.1", "joint-report-missing"), "{e:?}");
    for who in ["office", "opinion-dept", "government"] {
        let p = t.as_user(who).await;
        let e = decision::cosign_joint_report(&t.app, &p, cycle)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{who}: {e:?}");
    }
    let hr = t.as_user("hr-bureau").await;
    decision::cosign_joint_report(&t.app, &hr, cycle)
        .await
        .unwrap();
    assert!(
        decision::cosign_joint_report(&t.app, &hr, cycle)
            .await
            .is_err()
    );
    let s = decision::decide(
        &t.app,
        &gov,
        cycle,
        "忻政发〔2026〕30号",
        d("2026-12-21"),
        &[(ids[0], None)],
    )
    .await
    .unwrap();
    assert_eq!(s, [State::NotAwarded]);
}

async fn a12_1_a_cycle_run_in_the_system_takes_no_hand_entered_award(b: Backend) {
    let t = TestApp::new(b).await;
    let office = t.as_user("office").await;
    let subject = t.subject_of("applicant-org").await;
    let award = |ordinal, year| AwardRecord {
        cycle: CycleRef { ordinal, year },
        level: Level::Award,
        revoked_on: None,
        barred_until: None,
        ban_until: None,
    };
    let e = subjects::record_award(
        &t.app,
        &office,
        subject,
        award(2, 2026),
        "忻政发〔2026〕1号",
    )
    .await
    .unwrap_err();
    assert!(refused(&e, "A20.2", "award-of-a-run-cycle"), "{e:?}");
    // A pre-system award bars only once a second person confirms it (four eyes).
    let id = subjects::record_award(
        &t.app,
        &office,
        subject,
        award(1, 2023),
        "忻政发〔2023〕1号",
    )
    .await
    .unwrap();
    let org = t.as_user("applicant-org").await;
    let app_id = t.prepared(&org).await;
    let pending = qaward_app::applications::draft::submit(
        &t.app,
        &org,
        app_id,
        "county:xinfu".parse().unwrap(),
    )
    .await;
    assert!(
        pending.is_ok(),
        "an unconfirmed award bars nobody: {pending:?}"
    );
    let e = subjects::confirm_award(&t.app, &office, subject, id)
        .await
        .unwrap_err();
    assert!(refused(&e, "A12.1", "award-confirmed-by-another"), "{e:?}");
    let second = t.as_user("office2").await;
    subjects::confirm_award(&t.app, &second, subject, id)
        .await
        .unwrap();
    let e = subjects::confirm_award(&t.app, &second, subject, id)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    let history = t.app.store.award_history(subject).await.unwrap();
    assert_eq!(history[0].confirmed_by.as_deref(), Some("office2"));
}

async fn a21_1_the_prize_is_the_policy_s_and_the_nomination_award_has_none(b: Backend) {
    let t = TestApp::new(b).await;
    let (_, ids) = t.awarded(&[80, 55, 40]).await;
    let office = t.as_user("office").await;
    let pay = |id, amount| {
        delivery::record_payment(
            &t.app,
            &office,
            id,
            amount,
            d("2026-12-21"),
            "付款凭证2026-118",
        )
    };
    // An organization's Award: 200,000 yuan, once.
    let e = pay(ids[0], 30_000).await.unwrap_err();
    assert!(refused(&e, "A21.1", "prize-amount-differs"), "{e:?}");
    pay(ids[0], 200_000).await.unwrap();
    let e = pay(ids[0], 200_000).await.unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    // The Nomination Award has no prize; the one left off has no award at all.
    let e = pay(ids[1], 0).await.unwrap_err();
    assert!(refused(&e, "A21.1", "no-prize-for-level"), "{e:?}");
    let e = pay(ids[2], 200_000).await.unwrap_err();
    assert!(refused(&e, "A21.1", "award-not-made"), "{e:?}");
    // Plaques and certificates for both winners, not in the future.
    let e = delivery::record_handover(&t.app, &office, ids[1], d("2026-12-31"), "表彰大会")
        .await
        .unwrap_err();
    assert!(format!("{e:?}").contains("date-in-the-future"), "{e:?}");
    for id in &ids[..2] {
        delivery::record_handover(&t.app, &office, *id, d("2026-12-21"), "表彰大会")
            .await
            .unwrap();
    }
    // Nobody but the Office records them.
    let gov = t.as_user("government").await;
    let e = delivery::record_payment(&t.app, &gov, ids[0], 200_000, d("2026-12-21"), "x")
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let cycle = t.cycle().await;
    let desk = qaward_app::commendation::desk(&t.app, &office, cycle)
        .await
        .unwrap();
    let paid: Vec<_> = desk
        .deliveries
        .iter()
        .map(|l| (l.prize_yuan, l.delivery.amount_yuan))
        .collect();
    assert_eq!(paid, [(200_000, Some(200_000)), (0, None)]);
}

async fn a21_1_without_its_font_a_certificate_says_what_is_missing(b: Backend) {
    let mut t = TestApp::new(b).await;
    let (_, ids) = t.awarded(&[80]).await;
    let office = t.as_user("office").await;
    let doc = documents::certificate(&t.app, &office, ids[0], "https://award.example")
        .await
        .unwrap();
    assert!(doc.bytes.starts_with(b"%PDF") && doc.filename.starts_with("XZZLJ-2026-A"));
    t.app.settings.cjk_font = "/nonexistent/font.ttf".into();
    let e = documents::certificate(&t.app, &office, ids[0], "https://award.example")
        .await
        .unwrap_err();
    match e {
        AppError::Unavailable { message, detail } => {
            assert_eq!(message.key, "certificate-font-missing");
            assert!(detail.contains("/nonexistent/font.ttf"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

//! The state machine after acceptance: evaluation, the candidate list, deliberation, the
//! decision with its quotas, and revocation.

use super::*;

#[test]
fn a17_2_evaluation_needs_all_three_stages() {
    let mut f = good_facts();
    f.stages_done.remove(&Stage::OnSite);
    let r = step(State::Accepted, Action::CompleteEvaluation, &f).unwrap_err();
    assert_eq!(r.rule, rule::A17_2);
    assert!(r.message.to_string().contains("on-site"), "{r}");
}

#[test]
fn a18_1_candidate_list_and_a4_4_threshold() {
    let mut f = good_facts();
    f.score = Some(ScoreFacts {
        score: Decimal::new(5995, 1),
        award: Decimal::new(800, 0),
        nomination: Decimal::new(600, 0),
    });
    assert_eq!(
        step(
            State::Evaluated,
            Action::ProposeCandidate {
                level: Level::Nomination
            },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A4_4
    );
    f.score = None;
    assert_eq!(
        step(
            State::Evaluated,
            Action::ProposeCandidate {
                level: Level::Nomination
            },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A18_1
    );
    assert_eq!(
        step(
            State::Evaluated,
            Action::NotSelected { reason: "".into() },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A18_1
    );
    assert_eq!(
        step(
            State::Evaluated,
            Action::NotSelected {
                reason: "排名靠后".into()
            },
            &f
        ),
        Ok(State::NotAwarded)
    );
}

#[test]
fn a18_2_a18_3_deliberation_waits_for_opinions_and_the_candidate_notice() {
    let mut f = good_facts();
    f.candidate_opinions.answered = 2;
    let r = step(
        State::Candidate,
        Action::Deliberate {
            outcome: Some(Level::Award),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A18_2);
    let mut f = good_facts();
    f.today = d("2026-06-05");
    let r = step(
        State::Candidate,
        Action::Deliberate {
            outcome: Some(Level::Award),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A18_3);
}

#[test]
fn a19_1_leading_group_may_propose_no_level() {
    assert_eq!(
        step(
            State::Candidate,
            Action::Deliberate { outcome: None },
            &good_facts()
        ),
        Ok(State::NotAwarded)
    );
}

#[test]
fn a4_3_quota_checked_at_deliberation_and_again_at_decision() {
    let mut f = good_facts();
    f.quota_taken.insert(Level::Award, 3);
    let r = step(
        State::Candidate,
        Action::Deliberate {
            outcome: Some(Level::Award),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A4_3);
    assert_eq!(
        step(
            State::Proposed(Level::Award),
            Action::Decide {
                outcome: Some(Level::Award)
            },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A4_3
    );
    // Declining is always possible (A4.4).
    assert_eq!(
        step(
            State::Proposed(Level::Award),
            Action::Decide { outcome: None },
            &f
        ),
        Ok(State::NotAwarded)
    );
    f.quota_taken.insert(Level::Nomination, 9);
    assert_eq!(
        step(
            State::Candidate,
            Action::Deliberate {
                outcome: Some(Level::Nomination)
            },
            &f
        ),
        Ok(State::Proposed(Level::Nomination))
    );
}

#[test]
fn a19_2_a20_1_decision_waits_for_the_notice_and_the_joint_report() {
    let mut f = good_facts();
    f.notices
        .get_mut(&NoticeKind::ProposedWinners)
        .unwrap()
        .notice
        .end = d("2026-06-20");
    let r = step(
        State::Proposed(Level::Award),
        Action::Decide {
            outcome: Some(Level::Award),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A19_2);
    let mut f = good_facts();
    f.joint_report_filed = false;
    let r = step(
        State::Proposed(Level::Award),
        Action::Decide {
            outcome: Some(Level::Award),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A20_1);
}

#[test]
fn a20_2_decision_records_the_level() {
    assert_eq!(
        step(
            State::Proposed(Level::Nomination),
            Action::Decide {
                outcome: Some(Level::Nomination)
            },
            &good_facts()
        ),
        Ok(State::Awarded(Level::Nomination))
    );
}

#[test]
fn a28_1_revocation_needs_a_verified_finding_and_an_award() {
    let f = good_facts();
    let revoke = |finding: &str| Action::Revoke {
        cause: RevocationCause::FalseMaterials,
        finding: finding.into(),
    };
    assert_eq!(
        step(State::Awarded(Level::Award), revoke(" "), &f)
            .unwrap_err()
            .rule,
        rule::A28_1
    );
    assert_eq!(
        step(
            State::Awarded(Level::Award),
            revoke("经查证提供虚假检测报告"),
            &f
        ),
        Ok(State::Revoked(Level::Award))
    );
    assert!(step(State::NotAwarded, revoke("x"), &f).is_err());
}

#[test]
fn a20_2_the_government_may_change_the_level_within_the_thresholds() {
    let mut f = good_facts();
    assert_eq!(
        step(
            State::Proposed(Level::Nomination),
            Action::Decide {
                outcome: Some(Level::Award)
            },
            &f
        ),
        Ok(State::Awarded(Level::Award))
    );
    f.score = Some(ScoreFacts {
        score: Decimal::new(700, 0),
        award: Decimal::new(800, 0),
        nomination: Decimal::new(600, 0),
    });
    assert_eq!(
        step(
            State::Proposed(Level::Nomination),
            Action::Decide {
                outcome: Some(Level::Award)
            },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A4_4
    );
    assert_eq!(
        step(
            State::Candidate,
            Action::Deliberate {
                outcome: Some(Level::Award)
            },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A4_4
    );
    assert_eq!(
        step(
            State::Evaluated,
            Action::ProposeCandidate {
                level: Level::Award
            },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A4_4
    );
}

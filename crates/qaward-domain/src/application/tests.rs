//! Tests of the state machine: the two paths to an award, each guard's refusal, and a
//! property test that no path reaches an award without every notice step and the quota.

use super::*;
use crate::calendar::tests::d;
use crate::eligibility::Unmet;
use crate::notice::{NoticeScope, ObjectionStatus};
use crate::policy::tests::xinzhou;
use crate::text::Vocabulary;

mod later;
mod steps;
mod walks;

const TODAY: &str = "2026-06-15";

/// A notice that ran from 2026-06-01 to 2026-06-05.
fn run_notice(kind: NoticeKind) -> NoticeFacts {
    NoticeFacts {
        notice: Notice {
            kind,
            scope: NoticeScope::City,
            start: d("2026-06-01"),
            end: d("2026-06-05"),
        },
        objections: vec![],
    }
}

fn good_facts() -> Facts {
    let opinions = OpinionFacts {
        requested: 3,
        answered: 3,
        adverse: 0,
    };
    Facts {
        today: d(TODAY),
        window: (d("2026-05-01"), d("2026-06-30")),
        subject_county: "xinfu".into(),
        channel: Some(Channel::County("xinfu".into())),
        eligibility: vec![],
        notices: NoticeKind::ALL
            .iter()
            .map(|k| (*k, run_notice(*k)))
            .collect(),
        acceptance_opinions: opinions,
        candidate_opinions: opinions,
        stages_done: Stage::ALL.iter().copied().collect(),
        score: Some(ScoreFacts {
            score: Decimal::new(820, 0),
            award: Decimal::new(800, 0),
            nomination: Decimal::new(600, 0),
        }),
        quota_taken: BTreeMap::new(),
        joint_report_filed: true,
        authenticity_committed: true,
        no_state_secrets_confirmed: true,
        in_unit_scan: true,
        started_on: Some(d("2026-05-01")),
        in_unit_unanswered: 0,
        registration_confirmed: true,
    }
}

fn step(state: State, action: Action, facts: &Facts) -> Result<State, Refusal> {
    transition(state, &action, facts, &xinzhou())
}

fn walk(facts: &Facts, actions: Vec<Action>) -> Result<State, Refusal> {
    actions
        .into_iter()
        .try_fold(State::Draft, |s, a| step(s, a, facts))
}

fn county_path(level: Level) -> Vec<Action> {
    vec![
        Action::OpenInUnitNotice,
        Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        Action::ChannelPass,
        Action::Recommend {
            by: Recommender::CountyGovernment,
        },
        Action::FormalReviewPass,
        Action::PublishAcceptanceList,
        Action::Accept,
        Action::CompleteEvaluation,
        Action::ProposeCandidate {
            level: Level::Nomination,
        },
        Action::Deliberate {
            outcome: Some(level),
        },
        Action::Decide {
            outcome: Some(level),
        },
    ]
}

#[test]
fn a15_2_county_path_reaches_the_award() {
    assert_eq!(
        walk(&good_facts(), county_path(Level::Award)),
        Ok(State::Awarded(Level::Award))
    );
}

#[test]
fn a15_3_industry_path_reaches_the_nomination_award() {
    let mut f = good_facts();
    f.channel = Some(Channel::Industry("industry-it".into()));
    let mut actions = county_path(Level::Nomination);
    actions[1] = Action::Submit {
        channel: Channel::Industry("industry-it".into()),
    };
    actions[3] = Action::Recommend {
        by: Recommender::IndustryDept,
    };
    assert_eq!(walk(&f, actions), Ok(State::Awarded(Level::Nomination)));
}

#[test]
fn a15_2_a15_3_the_recommender_must_match_the_channel() {
    let f = good_facts();
    let r = step(
        State::ChannelPassed,
        Action::Recommend {
            by: Recommender::IndustryDept,
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A15_2);
    let mut f = good_facts();
    f.channel = Some(Channel::Industry("industry-it".into()));
    let r = step(
        State::ChannelPassed,
        Action::Recommend {
            by: Recommender::CountyGovernment,
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A15_3);
}

#[test]
fn a14_1_submission_waits_for_the_in_unit_notice() {
    let mut f = good_facts();
    f.notices.get_mut(&NoticeKind::InUnit).unwrap().notice.end = d(TODAY);
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A14_1);
    assert!(
        r.message
            .to_string()
            .contains("notice-still-running {kind: in-unit, end: 2026-06-15}"),
        "{r}"
    );
    let mut f = good_facts();
    f.notices.get_mut(&NoticeKind::InUnit).unwrap().objections = vec![Objection {
        raised_on: d("2026-06-02"),
        status: ObjectionStatus::Open,
    }];
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A14_1);
    let mut f = good_facts();
    f.notices.remove(&NoticeKind::InUnit);
    assert_eq!(
        step(State::Draft, Action::OpenInUnitNotice, &f)
            .unwrap_err()
            .rule,
        rule::A14_1
    );
}

#[test]
fn a14_3_a16_4_submission_needs_the_commitment_and_the_state_secret_confirmation() {
    let submit = || Action::Submit {
        channel: Channel::County("xinfu".into()),
    };
    let mut f = good_facts();
    f.authenticity_committed = false;
    assert_eq!(
        step(State::InUnitNotice, submit(), &f).unwrap_err().rule,
        rule::A14_3
    );
    let mut f = good_facts();
    f.no_state_secrets_confirmed = false;
    assert_eq!(
        step(State::InUnitNotice, submit(), &f).unwrap_err().rule,
        rule::A16_4
    );
}

#[test]
fn a16_1_office_returns_or_rejects_at_formal_review() {
    let f = good_facts();
    assert_eq!(
        step(
            State::Recommended,
            Action::Return {
                reason: "缺少营业执照副本".into()
            },
            &f
        ),
        Ok(State::Returned(ReturnTo::Office))
    );
    assert_eq!(
        step(
            State::Recommended,
            Action::Reject {
                reason: "不符合基本条件".into()
            },
            &f
        ),
        Ok(State::Rejected)
    );
    assert_eq!(
        step(
            State::Recommended,
            Action::Return { reason: " ".into() },
            &f
        )
        .unwrap_err()
        .rule,
        rule::A16_1
    );
}

#[test]
fn a14_2_submission_after_the_window_names_the_date() {
    let mut f = good_facts();
    f.today = d("2026-07-01");
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A14_2);
    assert!(r.message.to_string().contains("2026-06-30"), "{r}");
}

#[test]
fn a14_2_channel_is_the_own_county_or_a_known_industry() {
    let f = good_facts();
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::County("yuanping".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A14_2);
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::Industry("banking".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A14_2);
}

#[test]
fn a10_1_an_unconfirmed_registration_cannot_submit() {
    let mut f = good_facts();
    f.registration_confirmed = false;
    let submit = || Action::Submit {
        channel: Channel::County("xinfu".into()),
    };
    let r = step(State::InUnitNotice, submit(), &f).unwrap_err();
    assert_eq!(r.rule, rule::A10_1);
    assert!(r.message.key == "registration-unconfirmed", "{r}");
    // Once confirmed, the same submission goes through; later steps never ask again.
    f.registration_confirmed = true;
    assert_eq!(
        step(State::InUnitNotice, submit(), &f),
        Ok(State::Submitted)
    );
}

#[test]
fn a10_a12_ineligible_subject_cannot_submit_nor_pass_formal_review() {
    let mut f = good_facts();
    f.eligibility = vec![
        Unmet {
            rule: rule::A12_1,
            message: crate::msg!("award-ban", cycle = 2),
        },
        Unmet {
            rule: rule::A10_4,
            message: crate::msg!("major-accident"),
        },
    ];
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A12_1);
    assert_eq!(r.message.key, "award-ban", "{r}");
    assert_eq!(
        step(State::Recommended, Action::FormalReviewPass, &f)
            .unwrap_err()
            .rule,
        rule::A12_1
    );
}

#[test]
fn a16_2_formal_review_needs_every_opinion_and_none_adverse() {
    for (o, fragment) in [
        (
            OpinionFacts {
                requested: 0,
                answered: 0,
                adverse: 0,
            },
            "opinions-not-requested",
        ),
        (
            OpinionFacts {
                requested: 3,
                answered: 2,
                adverse: 0,
            },
            "opinions-unanswered",
        ),
        (
            OpinionFacts {
                requested: 3,
                answered: 3,
                adverse: 1,
            },
            "opinions-adverse",
        ),
    ] {
        let mut f = good_facts();
        f.acceptance_opinions = o;
        let r = step(State::Recommended, Action::FormalReviewPass, &f).unwrap_err();
        assert_eq!(r.rule, rule::A16_2);
        assert!(r.message.key == fragment, "{r}");
    }
}

#[test]
fn a16_3_acceptance_waits_for_the_notice_and_open_objections() {
    let mut f = good_facts();
    f.notices
        .get_mut(&NoticeKind::AcceptanceList)
        .unwrap()
        .objections = vec![Objection {
        raised_on: d("2026-06-03"),
        status: ObjectionStatus::Open,
    }];
    let r = step(State::OnAcceptanceList, Action::Accept, &f).unwrap_err();
    assert_eq!(r.rule, rule::A16_3);
    f.notices
        .get_mut(&NoticeKind::AcceptanceList)
        .unwrap()
        .objections[0]
        .status = ObjectionStatus::Dismissed("不属实".into());
    assert_eq!(
        step(State::OnAcceptanceList, Action::Accept, &f),
        Ok(State::Accepted)
    );
    f.notices.remove(&NoticeKind::AcceptanceList);
    assert_eq!(
        step(State::FormallyReviewed, Action::PublishAcceptanceList, &f)
            .unwrap_err()
            .rule,
        rule::A16_3
    );
}

#[test]
fn a3_only_the_applicant_moves_a_draft_and_may_withdraw_before_a_decision() {
    let f = good_facts();
    for s in [
        State::Draft,
        State::InUnitNotice,
        State::Submitted,
        State::Candidate,
        State::Proposed(Level::Award),
        State::Returned(ReturnTo::Office),
    ] {
        assert_eq!(step(s, Action::Withdraw, &f), Ok(State::Withdrawn), "{s}");
    }
    for s in [
        State::Awarded(Level::Award),
        State::NotAwarded,
        State::Rejected,
        State::Withdrawn,
        State::Revoked(Level::Award),
    ] {
        assert!(step(s, Action::Withdraw, &f).is_err(), "{s}");
    }
}

#[test]
fn a15_1_a16_1_every_return_goes_back_through_the_channel_review() {
    let f = good_facts();
    let ret = || Action::Return {
        reason: "补充近三年财务报表".into(),
    };
    assert_eq!(
        step(State::Submitted, ret(), &f),
        Ok(State::Returned(ReturnTo::Channel))
    );
    assert_eq!(
        step(State::Returned(ReturnTo::Channel), Action::Resubmit, &f),
        Ok(State::Submitted)
    );
    assert_eq!(
        step(State::OnAcceptanceList, ret(), &f),
        Ok(State::Returned(ReturnTo::Office))
    );
    assert_eq!(
        step(State::Returned(ReturnTo::Office), Action::Resubmit, &f),
        Ok(State::Submitted)
    );
    assert_eq!(
        step(State::ChannelPassed, ret(), &f),
        Ok(State::Returned(ReturnTo::Channel))
    );
    let r = step(State::Submitted, Action::Return { reason: "".into() }, &f).unwrap_err();
    assert_eq!(r.rule, rule::A15_1);
    let r = step(State::Candidate, Action::Reject { reason: "".into() }, &f).unwrap_err();
    assert_eq!(r.rule, rule::A19_1);
}

#[test]
fn impossible_actions_name_the_state() {
    let r = step(State::Draft, Action::Accept, &good_facts()).unwrap_err();
    assert!(
        r.message.to_string() == "move-not-possible {action: accept, state: draft}",
        "{r}"
    );
}

#[test]
fn every_state_has_one_code_that_reads_back() {
    assert_eq!(<State as Vocabulary>::ALL.len(), 21);
    for s in <State as Vocabulary>::ALL {
        assert_eq!(s.code().parse::<State>(), Ok(*s));
    }
    assert!("returned".parse::<State>().is_err());
    assert!("nonsense".parse::<State>().is_err());
}

#[test]
fn a14_3_a16_4_a10_resubmission_checks_the_commitments_and_conditions_again() {
    let back = State::Returned(ReturnTo::Office);
    let mut f = good_facts();
    f.authenticity_committed = false;
    assert_eq!(
        step(back, Action::Resubmit, &f).unwrap_err().rule,
        rule::A14_3
    );
    let mut f = good_facts();
    f.no_state_secrets_confirmed = false;
    assert_eq!(
        step(back, Action::Resubmit, &f).unwrap_err().rule,
        rule::A16_4
    );
    let mut f = good_facts();
    f.eligibility = vec![crate::eligibility::Unmet {
        rule: rule::A10_4,
        message: crate::msg!("major-accident"),
    }];
    assert_eq!(
        step(back, Action::Resubmit, &f).unwrap_err().rule,
        rule::A10_4
    );
}

#[test]
fn a14_1_submission_needs_the_scan_and_an_account_of_each_objection() {
    let mut f = good_facts();
    f.in_unit_unanswered = 1;
    let submit = Action::Submit {
        channel: Channel::County("xinfu".into()),
    };
    let r = step(State::InUnitNotice, submit, &f).unwrap_err();
    assert!(r.message.key == "in-unit-objections-unanswered", "{r}");
    f.in_unit_unanswered = 0;
    f.in_unit_scan = false;
    let r = step(
        State::InUnitNotice,
        Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        &f,
    )
    .unwrap_err();
    assert_eq!(r.rule, rule::A14_1);
    // Until submission the notice may be corrected.
    assert_eq!(
        step(State::InUnitNotice, Action::OpenInUnitNotice, &good_facts()),
        Ok(State::InUnitNotice)
    );
}

#[test]
fn a14_1_the_in_unit_notice_cannot_start_before_the_application() {
    let mut f = good_facts();
    f.started_on = Some(d("2026-06-02"));
    let r = step(State::Draft, Action::OpenInUnitNotice, &f).unwrap_err();
    assert_eq!(r.rule, rule::A14_1);
    assert!(r.message.to_string().contains("2026-06-02"), "{r}");
    f.started_on = Some(d("2026-06-01"));
    assert_eq!(
        step(State::Draft, Action::OpenInUnitNotice, &f),
        Ok(State::InUnitNotice)
    );
}

#[test]
fn a14_1_a14_3_a16_4_a_submission_lists_every_unmet_condition_at_once() {
    let mut f = good_facts();
    f.in_unit_scan = false;
    f.authenticity_committed = false;
    f.no_state_secrets_confirmed = false;
    let submit = Action::Submit {
        channel: Channel::County("xinfu".into()),
    };
    let p = xinzhou();
    let all = all_refusals(State::InUnitNotice, &submit, &f, &p);
    let keys: Vec<&str> = all.iter().map(|r| r.message.key).collect();
    assert_eq!(
        keys,
        [
            "in-unit-scan-missing",
            "commitment-missing",
            "no-secrets-missing"
        ]
    );
    // The transition refuses with the first of them.
    let r = step(State::InUnitNotice, submit, &f).unwrap_err();
    assert_eq!(r, all[0]);
    assert!(all_refusals(State::InUnitNotice, &Action::Withdraw, &f, &p).is_empty());
}

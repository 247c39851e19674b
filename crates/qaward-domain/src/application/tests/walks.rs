//! Property tests of the state machine: random worlds and random walks through it.

use super::*;
use proptest::prelude::*;

// ---- property test -------------------------------------------------------------------

/// One draw of the world for one step: each fact is good or bad by chance.
#[derive(Debug, Clone)]
struct World {
    notice_over: [bool; 4],
    objection: [u8; 4],
    quota_taken: [u32; 2],
    eligible: bool,
    opinions_ok: bool,
    stages: bool,
    score_ok: bool,
    report: bool,
    in_window: bool,
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::array::uniform4(prop::bool::weighted(0.85)),
        prop::array::uniform4(prop::sample::select(vec![0u8, 0, 0, 0, 1, 2, 3])),
        (0u32..5, 0u32..12),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
    )
        .prop_map(
            |(
                notice_over,
                objection,
                (a, n),
                eligible,
                opinions_ok,
                stages,
                score_ok,
                report,
                in_window,
            )| World {
                notice_over,
                objection,
                quota_taken: [a, n],
                eligible,
                opinions_ok,
                stages,
                score_ok,
                report,
                in_window,
            },
        )
}

fn facts_of(w: &World) -> Facts {
    let mut f = good_facts();
    for (i, kind) in NoticeKind::ALL.iter().enumerate() {
        let n = f.notices.get_mut(kind).unwrap();
        if !w.notice_over[i] {
            n.notice.end = f.today;
        }
        n.objections = match w.objection[i] {
            1 => vec![Objection {
                raised_on: d("2026-06-02"),
                status: ObjectionStatus::Open,
            }],
            2 => vec![Objection {
                raised_on: d("2026-06-02"),
                status: ObjectionStatus::Upheld("x".into()),
            }],
            3 => vec![Objection {
                raised_on: d("2026-06-02"),
                status: ObjectionStatus::Dismissed("x".into()),
            }],
            _ => vec![],
        };
    }
    f.quota_taken = [
        (Level::Award, w.quota_taken[0]),
        (Level::Nomination, w.quota_taken[1]),
    ]
    .into();
    if !w.eligible {
        f.eligibility = vec![Unmet {
            rule: rule::A10_1,
            message: crate::msg!("major-accident"),
        }];
    }
    if !w.opinions_ok {
        f.acceptance_opinions.answered = 0;
        f.candidate_opinions.adverse = 1;
    }
    if !w.stages {
        f.stages_done.clear();
    }
    if !w.score_ok {
        f.score = Some(ScoreFacts {
            score: Decimal::ZERO,
            award: Decimal::ONE,
            nomination: Decimal::ONE,
        });
    }
    f.joint_report_filed = w.report;
    if !w.in_window {
        f.today = d("2026-07-01");
    }
    f
}

/// Independent of the guards' code: is this notice clear in these facts?
fn clear(f: &Facts, kind: NoticeKind) -> bool {
    let n = &f.notices[&kind];
    f.today > n.notice.end
        && n.objections
            .iter()
            .all(|o| matches!(o.status, ObjectionStatus::Dismissed(_)))
}

/// The actions that make sense in a state, the forward one weighted up, so that random
/// walks get far; [`any_action`] adds the ones that do not.
fn plausible(state: State) -> Vec<Action> {
    let forward = match state {
        State::Draft => Action::OpenInUnitNotice,
        State::InUnitNotice => Action::Submit {
            channel: Channel::County("xinfu".into()),
        },
        State::Submitted => Action::ChannelPass,
        State::ChannelPassed => Action::Recommend {
            by: Recommender::CountyGovernment,
        },
        State::Recommended => Action::FormalReviewPass,
        State::FormallyReviewed => Action::PublishAcceptanceList,
        State::OnAcceptanceList => Action::Accept,
        State::Accepted => Action::CompleteEvaluation,
        State::Evaluated => Action::ProposeCandidate {
            level: Level::Nomination,
        },
        State::Candidate => Action::Deliberate {
            outcome: Some(Level::Award),
        },
        State::Proposed(l) => Action::Decide { outcome: Some(l) },
        State::Returned(_) => Action::Resubmit,
        _ => Action::Withdraw,
    };
    let mut v = vec![forward; 12];
    v.push(Action::Deliberate {
        outcome: Some(Level::Nomination),
    });
    v.push(Action::Return {
        reason: "fix".into(),
    });
    v.push(Action::Reject {
        reason: "no".into(),
    });
    v
}

/// One step of a walk: either a plausible action for the state (picked by `pick`) or any
/// action at all.
fn walk_step() -> impl Strategy<Value = (prop::sample::Index, bool, Action, World)> {
    (
        any::<prop::sample::Index>(),
        prop::bool::weighted(0.2),
        any_action(),
        world(),
    )
}

fn choose(
    state: State,
    (pick, wild, action, _): &(prop::sample::Index, bool, Action, World),
) -> Action {
    if *wild {
        action.clone()
    } else {
        pick.get(&plausible(state)).clone()
    }
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => Just(Action::OpenInUnitNotice),
        3 => Just(Action::Submit { channel: Channel::County("xinfu".into()) }),
        3 => Just(Action::ChannelPass),
        3 => Just(Action::Recommend { by: Recommender::CountyGovernment }),
        3 => Just(Action::FormalReviewPass),
        3 => Just(Action::PublishAcceptanceList),
        3 => Just(Action::Accept),
        3 => Just(Action::CompleteEvaluation),
        3 => Just(Action::ProposeCandidate { level: Level::Nomination }),
        3 => prop::option::of(prop::sample::select(vec![Level::Award, Level::Nomination])).prop_map(|outcome| Action::Deliberate { outcome }),
        3 => prop::option::of(prop::sample::select(vec![Level::Award, Level::Nomination])).prop_map(|outcome| Action::Decide { outcome }),
        1 => Just(Action::Return { reason: "fix".into() }),
        1 => Just(Action::Resubmit),
        1 => Just(Action::ReviseDraft),
        1 => Just(Action::Reject { reason: "no".into() }),
        1 => Just(Action::Withdraw),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Whatever the order of actions and the state of the world at each step, an
    /// application that ends Awarded went through the in-unit notice, the acceptance
    /// list, the candidate list and the proposed-winners list, each step leaving its
    /// notice only when the notice had run with no objection open or upheld, and passed
    /// the quota check both at deliberation and at the decision.
    #[test]
    fn no_award_without_every_notice_step_and_the_quota(steps in prop::collection::vec(walk_step(), 1..80)) {
        let policy = xinzhou();
        let mut state = State::Draft;
        let mut trail: Vec<(State, State, Facts)> = Vec::new();
        for s in &steps {
            let action = choose(state, s);
            let f = facts_of(&s.3);
            if let Ok(next) = transition(state, &action, &f, &policy) {
                trail.push((state, next, f));
                state = next;
            }
        }
        if let State::Awarded(level) = state {
            // The last pass through each notice step, since a return may repeat steps.
            let left = |from: State, to: fn(&State) -> bool| trail.iter().rev().find(|(s, n, _)| *s == from && to(n));
            let (_, _, f) = left(State::InUnitNotice, |n| *n == State::Submitted).expect("passed the in-unit notice");
            prop_assert!(clear(f, NoticeKind::InUnit));
            prop_assert!(f.eligibility.is_empty());
            let (_, _, f) = left(State::OnAcceptanceList, |n| *n == State::Accepted).expect("passed the acceptance list");
            prop_assert!(clear(f, NoticeKind::AcceptanceList));
            let (_, n, f) = left(State::Candidate, |n| matches!(n, State::Proposed(_))).expect("passed the candidate list");
            prop_assert!(clear(f, NoticeKind::Candidates));
            if let State::Proposed(proposed) = n {
                prop_assert!(f.quota_taken[proposed] < policy.level(*proposed).quota.value);
            }
            let (_, _, f) = trail.last().unwrap();
            prop_assert!(clear(f, NoticeKind::ProposedWinners));
            prop_assert!(f.quota_taken[&level] < policy.level(level).quota.value);
            prop_assert!(f.joint_report_filed);
            // And the states were visited in the order of the measures.
            let order = [State::InUnitNotice, State::Submitted, State::Recommended, State::OnAcceptanceList, State::Accepted, State::Evaluated, State::Candidate];
            let mut at = 0;
            for (s, _, _) in &trail {
                if at < order.len() && *s == order[at] { at += 1; }
            }
            prop_assert_eq!(at, order.len());
        }
    }

    /// Terminal states stay terminal but for the revocation of an award.
    #[test]
    fn terminal_states_accept_nothing(action in any_action(), w in world()) {
        let f = facts_of(&w);
        for s in [State::NotAwarded, State::Rejected, State::Withdrawn, State::Revoked(Level::Award)] {
            prop_assert!(transition(s, &action, &f, &xinzhou()).is_err());
        }
    }
}

/// The property test above is only worth something if random walks do reach an award:
/// check that a fair share of them does.
#[test]
fn random_walks_do_reach_awards() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strat = prop::collection::vec(walk_step(), 1..80);
    let policy = xinzhou();
    let mut awarded = 0;
    for _ in 0..2000 {
        let steps = strat.new_tree(&mut runner).unwrap().current();
        let mut state = State::Draft;
        for s in &steps {
            if let Ok(n) = transition(state, &choose(state, s), &facts_of(&s.3), &policy) {
                state = n;
            }
        }
        if matches!(state, State::Awarded(_)) {
            awarded += 1;
        }
    }
    assert!(
        awarded > 100,
        "only {awarded} of 2000 walks reached an award"
    );
}

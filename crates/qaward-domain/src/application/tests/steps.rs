//! Versions that drop a public notice step (issue #13 item 2): the step after it does not
//! wait for it, and publishing it is refused; the 2021 measures keep every step.

use super::*;
use crate::policy::Policy;

/// The 2021 measures without the public notices of `dropped`.
fn without(dropped: &[NoticeKind]) -> Policy {
    let mut p = xinzhou();
    for k in dropped {
        p.notices.remove(k);
    }
    p
}

#[test]
fn a16_3_without_the_acceptance_list_the_office_accepts_after_formal_review() {
    let f = good_facts();
    let p = without(&[NoticeKind::AcceptanceList]);
    assert_eq!(
        transition(State::FormallyReviewed, &Action::Accept, &f, &p),
        Ok(State::Accepted)
    );
    let r = transition(
        State::FormallyReviewed,
        &Action::PublishAcceptanceList,
        &f,
        &p,
    )
    .unwrap_err();
    assert_eq!(
        (r.rule, r.message.key),
        (rule::A16_3, "notice-not-in-version")
    );
    // Under 2021 the list comes first.
    let r = step(State::FormallyReviewed, Action::Accept, &f).unwrap_err();
    assert_eq!(
        (r.rule, r.message.key),
        (rule::A16_3, "accept-after-acceptance-list")
    );
}

#[test]
fn a18_3_a19_2_without_their_notices_deliberation_and_decision_do_not_wait() {
    let mut f = good_facts();
    f.notices.remove(&NoticeKind::Candidates);
    f.notices.remove(&NoticeKind::ProposedWinners);
    let deliberate = Action::Deliberate {
        outcome: Some(Level::Award),
    };
    let decide = Action::Decide {
        outcome: Some(Level::Award),
    };
    // Under 2021 each waits for its notice.
    assert!(step(State::Candidate, deliberate.clone(), &f).is_err());
    assert!(step(State::Proposed(Level::Award), decide.clone(), &f).is_err());
    let p = without(&[NoticeKind::Candidates, NoticeKind::ProposedWinners]);
    assert_eq!(
        transition(State::Candidate, &deliberate, &f, &p),
        Ok(State::Proposed(Level::Award))
    );
    assert_eq!(
        transition(State::Proposed(Level::Award), &decide, &f, &p),
        Ok(State::Awarded(Level::Award))
    );
}

#[test]
fn a34_a_version_may_drop_a_public_notice_but_not_the_in_unit_one() {
    let text = crate::policy::tests::XINZHOU_2021.replace(
        "acceptance-list = { value = 5, article = \"A16.3\"",
        "# acceptance-list = { value = 5, article = \"A16.3\"",
    );
    let p = Policy::from_toml("no-list.toml", &text).unwrap();
    assert!(p.notice_min(NoticeKind::AcceptanceList).is_none());
    assert_eq!(p.notice_article(NoticeKind::AcceptanceList), rule::A16_3);
    let changes = crate::policy::diff::compare(&xinzhou(), &p);
    assert!(changes.iter().any(|c| c.item
        == crate::policy::diff::Item::NoticeDays(NoticeKind::AcceptanceList)
        && c.before.as_deref() == Some("5")
        && c.after.is_none()));
    let text = crate::policy::tests::XINZHOU_2021.replace("in-unit = {", "# in-unit = {");
    let e = Policy::from_toml("no-in-unit.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(e.contains("in_unit") || e.contains("in-unit"), "{e}");
}

//! What a submission needs (A10–A12, A14.1–A14.3, A16.4), as a list: every unmet
//! condition at once, in the order the applicant meets them on its page, so that the
//! page can show them together with where each is fixed. The transition refuses with the
//! first; the use case shows them all.

use super::{Channel, Facts, refuse, unit_name};
use crate::msg;
use crate::policy::{NoticeKind, Policy};
use crate::rule::{self, Refusal};

/// Every unmet condition of a first submission to `channel`.
pub(super) fn unmet(facts: &Facts, channel: &Channel, policy: &Policy) -> Vec<Refusal> {
    let mut out = Vec::new();
    let (open, close) = facts.window;
    if facts.today > close {
        out.push(refuse(rule::A14_2, msg!("window-closed", close = close)));
    }
    if facts.today < open {
        out.push(refuse(rule::A14_2, msg!("window-not-open", open = open)));
    }
    if !facts.registration_confirmed {
        out.push(refuse(rule::A10_1, msg!("registration-unconfirmed")));
    }
    if let Err(r) = super::notice_clear(facts, NoticeKind::InUnit, policy) {
        out.push(r);
    }
    if facts.in_unit_unanswered > 0 {
        out.push(refuse(
            rule::A14_1,
            msg!(
                "in-unit-objections-unanswered",
                count = facts.in_unit_unanswered
            ),
        ));
    }
    if !facts.in_unit_scan {
        out.push(refuse(rule::A14_1, msg!("in-unit-scan-missing")));
    }
    out.extend(unmet_again(facts));
    match channel {
        Channel::County(id) if *id != facts.subject_county => out.push(refuse(
            rule::A14_2,
            msg!(
                "channel-not-own-county",
                own = unit_name(policy, &facts.subject_county),
                chosen = unit_name(policy, id)
            ),
        )),
        Channel::County(id) if policy.county(id).is_none() => out.push(refuse(
            rule::A14_2,
            msg!("channel-unknown-county", id = id.as_str()),
        )),
        Channel::Industry(id) if policy.industry(id).is_none() => out.push(refuse(
            rule::A14_2,
            msg!("channel-unknown-industry", id = id.as_str()),
        )),
        _ => {}
    }
    out
}

/// What a resubmission after a return is checked for again: the conditions (A10–A12)
/// and the commitments (A14.3, A16.4).
pub(super) fn unmet_again(facts: &Facts) -> Vec<Refusal> {
    let mut out: Vec<Refusal> = facts
        .eligibility
        .iter()
        .map(|u| refuse(u.rule.clone(), u.message.clone()))
        .collect();
    if !facts.authenticity_committed {
        out.push(refuse(rule::A14_3, msg!("commitment-missing")));
    }
    if !facts.no_state_secrets_confirmed {
        out.push(refuse(rule::A16_4, msg!("no-secrets-missing")));
    }
    out
}

//! What an award gives and what a revocation takes back (A21.1, A28.2).

use serde::Serialize;

use crate::policy::{Level, Policy};
use crate::rule::{self, RuleId};

/// The prize money for one recipient, in whole yuan (A21.1): organizations and
/// individuals receive different amounts; the Nomination Award carries none under the
/// 2021 measures.
pub fn prize_yuan(policy: &Policy, level: Level, individual: bool) -> u64 {
    let l = policy.level(level);
    if individual {
        l.prize_individual_yuan.value
    } else {
        l.prize_organization_yuan.value
    }
}

/// Checks a prize payment to one recipient (A21.1): the level must carry a prize, and the
/// amount paid is the policy's amount for the level and the kind of recipient. Returns the
/// amount due.
pub fn check_payment(
    policy: &Policy,
    level: Level,
    individual: bool,
    amount_yuan: u64,
) -> Result<u64, crate::rule::Refusal> {
    let due = prize_yuan(policy, level, individual);
    if due == 0 {
        return Err(crate::rule::Refusal::new(
            rule::A21_1,
            crate::msg!(
                "no-prize-for-level",
                level = crate::message::Term::of(level)
            ),
        ));
    }
    if amount_yuan != due {
        return Err(crate::rule::Refusal::new(
            rule::A21_1,
            crate::msg!(
                "prize-amount-differs",
                amount = amount_yuan.to_string(),
                due = due.to_string()
            ),
        ));
    }
    Ok(due)
}

/// What follows from a revocation (A28.2, A28.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevocationConsequences {
    /// The plaque and certificate are taken back.
    pub reclaim_plaque_and_certificate: bool,
    /// The prize money paid is recovered, in whole yuan.
    pub recover_yuan: u64,
    /// The revocation is published.
    pub publish: bool,
    /// Years of the application ban that follows, from the year of revocation (A28.3).
    pub ban_years: u32,
    pub rules: Vec<RuleId>,
}

/// The consequences of revoking an award of `level` on which `paid_yuan` was paid.
pub fn revocation_consequences(policy: &Policy, paid_yuan: u64) -> RevocationConsequences {
    RevocationConsequences {
        reclaim_plaque_and_certificate: true,
        recover_yuan: paid_yuan,
        publish: true,
        ban_years: policy
            .eligibility
            .revocation_ban_cycles
            .value
            .saturating_mul(policy.cycle_years.value),
        rules: vec![rule::A28_2, rule::A28_3],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tests::xinzhou;

    #[test]
    fn a21_1_a_payment_is_the_policy_s_prize_and_the_nomination_has_none() {
        let p = xinzhou();
        assert_eq!(check_payment(&p, Level::Award, false, 200_000), Ok(200_000));
        assert_eq!(
            check_payment(&p, Level::Award, true, 200_000)
                .unwrap_err()
                .rule,
            rule::A21_1
        );
        assert_eq!(
            check_payment(&p, Level::Nomination, false, 0)
                .unwrap_err()
                .rule,
            rule::A21_1
        );
    }

    #[test]
    fn a21_1_prize_depends_on_level_and_kind_of_recipient() {
        let p = xinzhou();
        assert_eq!(prize_yuan(&p, Level::Award, false), 200_000);
        assert_eq!(prize_yuan(&p, Level::Award, true), 30_000);
        assert_eq!(prize_yuan(&p, Level::Nomination, false), 0);
        assert_eq!(prize_yuan(&p, Level::Nomination, true), 0);
    }

    #[test]
    fn a28_2_revocation_takes_back_plaque_and_money_and_is_published() {
        let p = xinzhou();
        let c = revocation_consequences(&p, prize_yuan(&p, Level::Award, false));
        assert!(c.reclaim_plaque_and_certificate && c.publish);
        assert_eq!(c.recover_yuan, 200_000);
        assert_eq!(c.ban_years, 9);
    }
}

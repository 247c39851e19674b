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

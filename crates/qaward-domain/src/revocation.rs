//! Revocation (撤销, A28): the Office asks the Municipal Government to revoke an award for
//! one of the four causes of A28.1, on a verified finding with its evidence; only the
//! Government's decision revokes (the application's `Revoke` move). Then the plaque and the
//! certificate are taken back, the prize recovered and the revocation published (A28.2),
//! and the subject may not apply for three cycles from the year of revocation (A28.3).
//!
//! The ban's end is computed here once, at the decision, under the policy then in force,
//! and stored with it: a later policy with another cycle length does not move a running
//! ban (issue #12 item 5).

use chrono::{Datelike, NaiveDate};

use crate::msg;
use crate::policy::Policy;
use crate::rule::{self, Refusal};

/// Where a revocation request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    /// Asked of the Government, not yet decided.
    Requested,
    /// The Government revoked the award.
    Revoked,
    /// The Government did not revoke it.
    Refused,
}

crate::vocabulary!(RequestStatus, "RevocationStatus", {
    RequestStatus::Requested => ("requested", "已提请，待市政府决定", "Requested"),
    RequestStatus::Revoked => ("revoked", "市政府已决定撤销", "Revoked"),
    RequestStatus::Refused => ("refused", "市政府决定不予撤销", "Not revoked"),
});

/// The last calendar year of the A28.3 ban for a revocation decided on `decided_on`:
/// from that year, for the policy's ban cycles times its cycle length.
pub fn ban_until_year(policy: &Policy, decided_on: NaiveDate) -> i32 {
    let years = policy
        .eligibility
        .revocation_ban_cycles
        .value
        .saturating_mul(policy.cycle_years.value);
    decided_on
        .year()
        .saturating_add(i32::try_from(years).unwrap_or(i32::MAX))
        .saturating_sub(1)
}

/// Whether `amount` more yuan may be recorded as recovered of a prize of `paid` yuan of
/// which `recovered` came back already: never more than was paid (A28.2).
pub fn check_recovery(paid: u64, recovered: u64, amount: u64) -> Result<(), Refusal> {
    if amount == 0 {
        return Err(Refusal::new(rule::A28_2, msg!("recovery-amount-zero")));
    }
    if recovered.saturating_add(amount) > paid {
        return Err(Refusal::new(
            rule::A28_2,
            msg!(
                "recovery-exceeds-payment",
                paid = paid,
                recovered = recovered,
                amount = amount
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tests::xinzhou;

    #[test]
    fn a28_3_the_ban_runs_three_cycles_from_the_year_of_the_decision() {
        let d = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap();
        assert_eq!(ban_until_year(&xinzhou(), d), 2035);
    }

    #[test]
    fn a28_2_no_more_is_recovered_than_was_paid() {
        assert!(check_recovery(200_000, 0, 200_000).is_ok());
        assert!(check_recovery(200_000, 150_000, 50_000).is_ok());
        let e = check_recovery(200_000, 150_000, 50_001).unwrap_err();
        assert_eq!(
            (e.rule, e.message.key),
            (rule::A28_2, "recovery-exceeds-payment")
        );
        assert_eq!(check_recovery(0, 0, 0).unwrap_err().rule, rule::A28_2);
    }
}

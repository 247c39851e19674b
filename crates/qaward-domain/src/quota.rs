//! Per-cycle quotas (A4.3) and vacancy (A4.4).
//!
//! At most 3 Awards and 10 Nomination Awards in a cycle under the 2021 measures,
//! organizations and individuals together. Fewer is always allowed: a quota is a ceiling,
//! and an applicant below the evaluation plan's threshold is never proposed to fill it.
//! The check runs when the Leading Group proposes and again when the Government decides,
//! each inside the transaction that writes the decision, so concurrent decisions cannot
//! both take the last place.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::message::Term;
use crate::policy::{Level, Policy};
use crate::rule::{self, Refusal};
use crate::text::Vocabulary;

/// Whether one more recipient of `level` fits, given `taken` recipients already proposed
/// or decided in the cycle (not counting this one).
pub fn check(policy: &Policy, level: Level, taken: u32) -> Result<(), Refusal> {
    let quota = &policy.level(level).quota;
    if taken >= quota.value {
        return Err(Refusal::new(
            quota.article.clone(),
            crate::msg!(
                "quota-taken",
                level = Term::of(level),
                quota = quota.value,
                taken = taken
            ),
        ));
    }
    Ok(())
}

/// Whether a score reaches the plan's threshold for a proposal (A4.4).
pub fn meets_threshold(score: Decimal, threshold: Decimal) -> Result<(), Refusal> {
    if score < threshold {
        return Err(Refusal::new(
            rule::A4_4,
            crate::msg!(
                "score-below-threshold",
                score = score.to_string(),
                threshold = threshold.to_string()
            ),
        ));
    }
    Ok(())
}

/// How many places of each level a cycle leaves vacant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vacancy {
    pub level: Level,
    pub quota: u32,
    pub taken: u32,
    pub vacant: u32,
}

/// The vacancy of every level, given how many were taken.
pub fn vacancies(policy: &Policy, taken: impl Fn(Level) -> u32) -> Vec<Vacancy> {
    Level::ALL
        .iter()
        .map(|&level| {
            let quota = policy.level(level).quota.value;
            let taken = taken(level);
            Vacancy {
                level,
                quota,
                taken,
                vacant: quota.saturating_sub(taken),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tests::xinzhou;

    #[test]
    fn a4_3_at_most_three_awards_and_ten_nominations() {
        let p = xinzhou();
        for taken in 0..3 {
            assert!(check(&p, Level::Award, taken).is_ok());
        }
        let r = check(&p, Level::Award, 3).unwrap_err();
        assert_eq!(r.rule, rule::A4_3);
        assert!(r.message.to_string().contains("quota: 3"), "{r}");
        assert!(check(&p, Level::Nomination, 9).is_ok());
        assert_eq!(
            check(&p, Level::Nomination, 10).unwrap_err().rule,
            rule::A4_3
        );
    }

    #[test]
    fn a4_4_vacancy_is_allowed_and_reported() {
        let p = xinzhou();
        let v = vacancies(&p, |l| if l == Level::Award { 1 } else { 0 });
        assert_eq!(
            v[0],
            Vacancy {
                level: Level::Award,
                quota: 3,
                taken: 1,
                vacant: 2
            }
        );
        assert_eq!(v[1].vacant, 10);
    }

    #[test]
    fn a4_4_below_threshold_is_never_proposed() {
        let t = Decimal::new(600, 0);
        assert!(meets_threshold(Decimal::new(6000, 1), t).is_ok());
        let r = meets_threshold(Decimal::new(5999, 1), t).unwrap_err();
        assert_eq!(r.rule, rule::A4_4);
    }
}

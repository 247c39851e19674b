//! The cycle (届) and its timeline: one evaluation every `cycle_years` years (A4.2) under
//! the policy in force when it opens (A33, A34), with the dates the Office sets.
//!
//! The measures fix no application window or review deadlines; the Office sets them when
//! it opens a cycle. What the measures do fix is checked here: the spacing of cycles and
//! the policy's validity. Submissions outside the window are refused by the application
//! state machine with the date in the message (A14.2).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::message::Arg;
use crate::msg;
use crate::policy::Policy;
use crate::rule::{self, Refusal};
use crate::subject::CycleRef;

/// The dates the Office sets when it opens a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub application_opens: NaiveDate,
    pub application_closes: NaiveDate,
    /// Channels finish their reviews and recommendations by this day (A15).
    pub channel_review_due: NaiveDate,
    /// The Office finishes formal review and opinions by this day (A16).
    pub formal_review_due: NaiveDate,
}

/// Where a cycle stands by the calendar of its timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    NotYetOpen,
    Applications,
    ChannelReview,
    FormalReview,
    /// After formal review: evaluation and decision, driven by actions, not dates.
    Evaluation,
}

impl Timeline {
    pub fn phase(&self, today: NaiveDate) -> Phase {
        if today < self.application_opens {
            Phase::NotYetOpen
        } else if today <= self.application_closes {
            Phase::Applications
        } else if today <= self.channel_review_due {
            Phase::ChannelReview
        } else if today <= self.formal_review_due {
            Phase::FormalReview
        } else {
            Phase::Evaluation
        }
    }
}

/// Checks a new cycle: its ordinal and year against the previous cycle (A4.2), the policy
/// in force on its opening day (A33, A34), and the order of its dates.
pub fn check_new_cycle(
    policy: &Policy,
    cycle: CycleRef,
    previous: Option<CycleRef>,
    t: &Timeline,
) -> Result<(), Refusal> {
    if !policy.in_force_on(t.application_opens) {
        return Err(if t.application_opens < policy.effective.value {
            Refusal::new(
                rule::A33,
                msg!(
                    "cycle-before-measures",
                    opens = t.application_opens,
                    title = &policy.title,
                    effective = policy.effective.value
                ),
            )
        } else {
            Refusal::new(
                rule::A34,
                msg!(
                    "cycle-after-measures",
                    opens = t.application_opens,
                    title = &policy.title,
                    last_day = policy.last_day_in_force().unwrap_or(NaiveDate::MAX)
                ),
            )
        });
    }
    if t.application_opens.year() != cycle.year {
        return Err(Refusal::new(
            rule::A4_2,
            msg!(
                "cycle-opens-in-its-year",
                year = cycle.year,
                opens = t.application_opens
            ),
        ));
    }
    match previous {
        None if cycle.ordinal == 0 => {
            return Err(Refusal::new(rule::A4_2, msg!("cycle-numbered-from-one")));
        }
        None => {}
        Some(prev) => {
            if cycle.ordinal != prev.ordinal + 1 {
                return Err(Refusal::new(
                    rule::A4_2,
                    msg!(
                        "cycle-number-follows",
                        previous = prev.ordinal,
                        expected = prev.ordinal + 1,
                        given = cycle.ordinal
                    ),
                ));
            }
            let years = policy.cycle_years.value as i32;
            if cycle.year < prev.year + years {
                return Err(Refusal::new(
                    policy.cycle_years.article.clone(),
                    msg!(
                        "cycle-too-soon",
                        years = years,
                        previous = prev.ordinal,
                        previous_year = prev.year,
                        earliest = prev.year + years
                    ),
                ));
            }
        }
    }
    // The names are message keys of the catalog, so that the dates are named in words.
    let order = [
        (t.application_opens, "application-opens"),
        (t.application_closes, "application-closes"),
        (t.channel_review_due, "channel-review-due"),
        (t.formal_review_due, "formal-review-due"),
    ];
    for w in order.windows(2) {
        if w[1].0 < w[0].0 {
            return Err(Refusal::new(
                rule::A14_2,
                msg!(
                    "cycle-dates-out-of-order",
                    later = Arg::Key(w[1].1),
                    later_date = w[1].0,
                    earlier = Arg::Key(w[0].1),
                    earlier_date = w[0].0
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::tests::d;
    use crate::policy::tests::xinzhou;

    fn timeline(opens: &str) -> Timeline {
        let o = d(opens);
        Timeline {
            application_opens: o,
            application_closes: o + chrono::Duration::days(60),
            channel_review_due: o + chrono::Duration::days(90),
            formal_review_due: o + chrono::Duration::days(120),
        }
    }

    #[test]
    fn a4_2_one_cycle_every_three_years() {
        let p = xinzhou();
        let prev = Some(CycleRef {
            ordinal: 1,
            year: 2022,
        });
        assert!(
            check_new_cycle(
                &p,
                CycleRef {
                    ordinal: 2,
                    year: 2025
                },
                prev,
                &timeline("2025-03-01")
            )
            .is_ok()
        );
        let r = check_new_cycle(
            &p,
            CycleRef {
                ordinal: 2,
                year: 2024,
            },
            prev,
            &timeline("2024-03-01"),
        )
        .unwrap_err();
        assert_eq!(r.rule, rule::A4_2);
        assert!(r.message.to_string().contains("earliest: 2025"), "{r}");
        let r = check_new_cycle(
            &p,
            CycleRef {
                ordinal: 3,
                year: 2025,
            },
            prev,
            &timeline("2025-03-01"),
        )
        .unwrap_err();
        assert_eq!(r.rule, rule::A4_2);
        let r = check_new_cycle(
            &p,
            CycleRef {
                ordinal: 2,
                year: 2026,
            },
            prev,
            &timeline("2025-12-01"),
        )
        .unwrap_err();
        assert_eq!(r.rule, rule::A4_2);
    }

    #[test]
    fn a33_a34_cycle_opens_only_while_the_measures_are_in_force() {
        let p = xinzhou();
        let r = check_new_cycle(
            &p,
            CycleRef {
                ordinal: 1,
                year: 2021,
            },
            None,
            &timeline("2021-11-01"),
        )
        .unwrap_err();
        assert_eq!(r.rule, rule::A33);
        let r = check_new_cycle(
            &p,
            CycleRef {
                ordinal: 1,
                year: 2026,
            },
            None,
            &timeline("2026-11-30"),
        )
        .unwrap_err();
        assert_eq!(r.rule, rule::A34);
        assert!(
            check_new_cycle(
                &p,
                CycleRef {
                    ordinal: 1,
                    year: 2026
                },
                None,
                &timeline("2026-11-29")
            )
            .is_ok()
        );
    }

    #[test]
    fn timeline_dates_must_be_in_order_and_phases_follow_them() {
        let p = xinzhou();
        let mut t = timeline("2025-03-01");
        t.channel_review_due = t.application_closes - chrono::Duration::days(1);
        let r = check_new_cycle(
            &p,
            CycleRef {
                ordinal: 1,
                year: 2025,
            },
            None,
            &t,
        )
        .unwrap_err();
        assert!(r.message.to_string().contains("channel-review-due"), "{r}");
        let t = timeline("2025-03-01");
        assert_eq!(t.phase(d("2025-02-28")), Phase::NotYetOpen);
        assert_eq!(t.phase(d("2025-03-01")), Phase::Applications);
        assert_eq!(t.phase(d("2025-04-30")), Phase::Applications);
        assert_eq!(t.phase(d("2025-05-01")), Phase::ChannelReview);
        assert_eq!(t.phase(d("2025-06-29")), Phase::FormalReview);
        assert_eq!(t.phase(d("2025-06-30")), Phase::Evaluation);
    }
}

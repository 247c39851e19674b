//! Eligibility (A10, A11, A12, A28.3): whether a subject may apply in a cycle.
//!
//! [`evaluate`] returns every unmet condition with its rule ID, not just the first, so
//! that an applicant fixes everything at once. It is checked when the applicant submits
//! and again at the Office's formal review (DESIGN.md §3).
//!
//! Decisions written down here, where the measures leave room:
//! - 评选周期 is counted one way in A12.1 and A28.3: a cycle is `cycle_years` calendar
//!   years (A4.2, 每3年评选一届), and a bar of n cycles is n × `cycle_years` years, ending
//!   with a last barred year that is frozen in the register when the award is recorded or
//!   revoked ([`AwardRecord::frozen`]); the application's date decides. A28.3 cannot be
//!   counted by ordinals — it starts "from the year of revocation", which is no cycle's
//!   boundary — and ordinals would shift with a skipped or extra cycle, so years it is.
//! - A12.1: the award's own cycle and the `award_ban_cycles` after it: won in the cycle
//!   opened in 2023, no application through 2031, free from 2032 (the cycles of 2026 and
//!   2029 barred, as "the two cycles after it" says). The award never bars the
//!   application that won it. A revoked award no longer bars under A12.1; A28.3 does.
//! - A28.3: from the year of revocation, `revocation_ban_cycles` × `cycle_years` years:
//!   revoked in 2020, no application through 2028.
//! - The conditions that need judgement (A10.2, A10.3, A11.1 and the "no violation" part
//!   of A10.1) are declarations by the applicant with evidence, judged by the reviewers;
//!   here a missing declaration is an unmet condition.
//! - The A10.1 relaxation of operating years exists only as a recorded Leading Group
//!   approval (A6), never as a flag.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::message::{Arg, Message};
use crate::msg;
use crate::policy::{Level, Policy};
use crate::rule::{self, RuleId};
use crate::subject::{CycleRef, History, Subject};

/// A Leading Group decision to relax the A10.1 operating years for one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadingGroupApproval {
    /// The minutes or document that records the decision.
    pub reference: String,
    pub decided_on: NaiveDate,
}

/// Everything eligibility looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The application's date: the day it was first submitted (or the day of the check,
    /// before it is). The look-back of A10.4, the years of A10.1 and A11.2 and the ban of
    /// A28.3 count to it, so that the same facts give the same answer at every check.
    pub date: NaiveDate,
    /// The cycle applied for.
    pub cycle: CycleRef,
    pub subject: Subject,
    #[serde(default)]
    pub history: History,
    /// The rule IDs of the conditions the applicant declares met, with evidence.
    #[serde(default)]
    pub declarations: BTreeSet<RuleId>,
    #[serde(default)]
    pub leading_group_approval: Option<LeadingGroupApproval>,
}

/// One unmet condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmet {
    pub rule: RuleId,
    pub message: Message,
}

impl std::fmt::Display for Unmet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

/// The declarations an organization makes (A10) and a person makes (A11), each with the
/// message key of the sentence the applicant signs (the catalog holds the words).
pub fn required_declarations(subject: &Subject) -> &'static [(RuleId, &'static str)] {
    const ORG: &[(RuleId, &str)] = &[
        (rule::A10_1, "declaration-a10-1"),
        (rule::A10_2, "declaration-a10-2"),
        (rule::A10_3, "declaration-a10-3"),
        (rule::A10_4, "declaration-a10-4"),
    ];
    const PERSON: &[(RuleId, &str)] = &[
        (rule::A11_1, "declaration-a11-1"),
        (rule::A11_2, "declaration-a11-2"),
    ];
    if subject.is_person() { PERSON } else { ORG }
}

/// Every unmet condition for `case` under `policy`; empty when the subject may apply.
pub fn evaluate(case: &Case, policy: &Policy) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    let mut push = |rule: RuleId, message: Message| unmet.push(Unmet { rule, message });
    let e = &policy.eligibility;

    if policy.county(case.subject.county()).is_none() {
        // An organization must be established in the city (A10.1: 在我市行政区域内依法设立);
        // A11 says nothing of a person's location, but a person applies through the
        // county where it is (A14.2: 所在地的县级市场监管部门), and outside the city there
        // is none.
        let r = if case.subject.is_person() {
            rule::A14_2
        } else {
            rule::A10_1
        };
        push(r, msg!("subject-outside-city", program = &policy.program));
    }

    for (r, what) in required_declarations(&case.subject) {
        if !case.declarations.contains(r) {
            push(r.clone(), msg!("not-declared", what = Arg::Key(what)));
        }
    }

    match &case.subject {
        Subject::Organization(org) => {
            let years = e.organization_operating_years.value;
            if !years_elapsed(org.founded, years, case.date) {
                match &case.leading_group_approval {
                    Some(a) if a.decided_on <= case.date => {}
                    Some(a) => push(
                        rule::A10_1,
                        msg!(
                            "approval-after-application",
                            reference = &a.reference,
                            decided = a.decided_on,
                            date = case.date
                        ),
                    ),
                    None => push(
                        rule::A10_1,
                        msg!(
                            "organization-too-young",
                            founded = org.founded,
                            years = years,
                            date = case.date
                        ),
                    ),
                }
            }
            let lookback = e.accident_lookback_years.value;
            let since = case
                .date
                .checked_sub_months(Months::new(lookback.saturating_mul(12)))
                .unwrap_or(NaiveDate::MIN);
            for a in &case.history.accidents {
                if a.major && a.date > since && a.date <= case.date {
                    push(
                        rule::A10_4,
                        msg!(
                            "major-accident",
                            date = a.date,
                            description = &a.description,
                            years = lookback
                        ),
                    );
                }
            }
        }
        Subject::Person(p) => {
            let years = e.individual_quality_work_years.value;
            if !years_elapsed(p.quality_work_since, years, case.date) {
                push(
                    rule::A11_2,
                    msg!(
                        "quality-work-too-short",
                        since = p.quality_work_since,
                        years = years,
                        date = case.date
                    ),
                );
            }
        }
    }

    let year = case.date.year();
    for award in &case.history.awards {
        match award.revoked_on {
            None if award.level == Level::Award => {
                let last = award
                    .barred_until
                    .unwrap_or_else(|| award_bar_until_year(policy, award.cycle.year));
                if award.cycle.ordinal < case.cycle.ordinal && year <= last {
                    push(
                        rule::A12_1,
                        msg!(
                            "award-ban",
                            cycle = award.cycle.ordinal,
                            year = award.cycle.year,
                            ban = e.award_ban_cycles.value,
                            last = last,
                            again = last.saturating_add(1)
                        ),
                    );
                }
            }
            // A12.2: a Nomination Award does not bar.
            None => {}
            Some(revoked) => {
                let last = award
                    .ban_until
                    .unwrap_or_else(|| crate::revocation::ban_until_year(policy, revoked));
                // 自撤销奖项当年起: counted by the application's date, not by the year
                // its cycle opened, and only once the decision is made.
                if revoked <= case.date && year <= last {
                    push(
                        rule::A28_3,
                        msg!(
                            "revocation-ban",
                            cycle = award.cycle.ordinal,
                            revoked = revoked,
                            ban = e.revocation_ban_cycles.value,
                            from = revoked.year(),
                            last = last,
                            again = last.saturating_add(1)
                        ),
                    );
                }
            }
        }
    }
    unmet
}

/// The last year in which the winner of an Award in the cycle opened in `cycle_year`
/// may not apply (A12.1): that cycle and the `award_ban_cycles` after it, each
/// `cycle_years` long.
pub fn award_bar_until_year(policy: &Policy, cycle_year: i32) -> i32 {
    let years = policy
        .eligibility
        .award_ban_cycles
        .value
        .saturating_add(1)
        .saturating_mul(policy.cycle_years.value);
    cycle_year
        .saturating_add(i32::try_from(years).unwrap_or(i32::MAX))
        .saturating_sub(1)
}

/// Whether `years` full years have passed from `since` to `on`.
fn years_elapsed(since: NaiveDate, years: u32, on: NaiveDate) -> bool {
    since
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .is_some_and(|due| due <= on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CreditCode, ResidentId};
    use crate::policy::tests::xinzhou;
    use crate::subject::{Accident, AwardRecord, OrgKind, Organization, Person};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cycle(ordinal: u32, year: i32) -> CycleRef {
        CycleRef { ordinal, year }
    }

    fn org_case(founded: &str) -> Case {
        Case {
            date: d("2026-06-01"),
            cycle: cycle(3, 2026),
            subject: Subject::Organization(Organization {
                name: "忻州市示例精密机械有限公司".into(),
                credit_code: CreditCode::parse("91140900AY4CL12THD").unwrap(),
                kind: OrgKind::Enterprise,
                county: "xinfu".into(),
                founded: d(founded),
                industry: None,
                legal_representative: None,
            }),
            history: History::default(),
            declarations: [rule::A10_1, rule::A10_2, rule::A10_3, rule::A10_4].into(),
            leading_group_approval: None,
        }
    }

    fn person_case(since: &str) -> Case {
        Case {
            date: d("2026-06-01"),
            cycle: cycle(3, 2026),
            subject: Subject::Person(Person {
                name: "李质量".into(),
                resident_id: ResidentId::parse("14090219850615009X").unwrap(),
                employer: "忻州市示例精密机械有限公司".into(),
                employer_kind: OrgKind::Enterprise,
                county: "yuanping".into(),
                position: Some("质量总监".into()),
                quality_work_since: d(since),
            }),
            history: History::default(),
            declarations: [rule::A11_1, rule::A11_2].into(),
            leading_group_approval: None,
        }
    }

    fn rules(case: &Case) -> Vec<RuleId> {
        evaluate(case, &xinzhou())
            .into_iter()
            .map(|u| u.rule)
            .collect()
    }

    #[test]
    fn an_eligible_organization_and_person_have_nothing_unmet() {
        assert_eq!(rules(&org_case("2010-01-01")), vec![]);
        assert_eq!(rules(&person_case("2015-03-01")), vec![]);
    }

    #[test]
    fn a10_1_three_years_of_operation_to_the_day() {
        assert_eq!(rules(&org_case("2023-06-01")), vec![]);
        let unmet = evaluate(&org_case("2023-06-02"), &xinzhou());
        assert_eq!(unmet.len(), 1);
        assert_eq!(unmet[0].rule, rule::A10_1);
        assert!(
            unmet[0].message.to_string().contains("2023-06-02"),
            "{}",
            unmet[0]
        );
    }

    #[test]
    fn a10_1_relaxed_only_by_a_recorded_leading_group_approval() {
        let mut case = org_case("2025-01-01");
        assert_eq!(rules(&case), vec![rule::A10_1]);
        case.leading_group_approval = Some(LeadingGroupApproval {
            reference: "领导小组2026年第2次会议纪要".into(),
            decided_on: d("2026-05-20"),
        });
        assert_eq!(rules(&case), vec![]);
        // An approval dated after the check does not count yet.
        case.leading_group_approval.as_mut().unwrap().decided_on = d("2026-06-02");
        assert_eq!(rules(&case), vec![rule::A10_1]);
    }

    #[test]
    fn a10_1_subject_outside_the_city_is_refused() {
        let mut case = org_case("2010-01-01");
        if let Subject::Organization(o) = &mut case.subject {
            o.county = "taiyuan".into();
        }
        assert_eq!(rules(&case), vec![rule::A10_1]);
    }

    #[test]
    fn a10_2_a10_3_declarations_are_required() {
        let mut case = org_case("2010-01-01");
        case.declarations = [rule::A10_1, rule::A10_4].into();
        assert_eq!(rules(&case), vec![rule::A10_2, rule::A10_3]);
    }

    #[test]
    fn a10_4_major_accident_within_three_years_bars() {
        let mut case = org_case("2010-01-01");
        case.history.accidents = vec![
            Accident {
                date: d("2023-06-01"),
                description: "older than three years".into(),
                major: true,
            },
            Accident {
                date: d("2025-02-01"),
                description: "minor".into(),
                major: false,
            },
        ];
        assert_eq!(rules(&case), vec![]);
        case.history.accidents.push(Accident {
            date: d("2023-06-02"),
            description: "重大安全事故".into(),
            major: true,
        });
        assert_eq!(rules(&case), vec![rule::A10_4]);
    }

    #[test]
    fn a11_1_person_must_declare_conduct() {
        let mut case = person_case("2015-03-01");
        case.declarations = [rule::A11_2].into();
        assert_eq!(rules(&case), vec![rule::A11_1]);
    }

    #[test]
    fn a11_2_three_years_of_quality_work() {
        assert_eq!(rules(&person_case("2023-06-01")), vec![]);
        assert_eq!(rules(&person_case("2024-01-01")), vec![rule::A11_2]);
    }

    #[test]
    fn a12_1_winner_barred_for_two_cycles() {
        // Won in the cycle opened in 2023: the cycles of 2026 and 2029 are barred, that of
        // 2032 is free; the award never bars the application that won it.
        for (current, date, barred) in [
            (1, "2023-05-01", false),
            (2, "2026-05-01", true),
            (3, "2029-05-01", true),
            (3, "2031-12-31", true),
            (4, "2032-05-01", false),
        ] {
            let mut case = org_case("2000-01-01");
            case.date = d(date);
            case.cycle = cycle(current, 2020 + 3 * current as i32);
            case.history.awards = vec![AwardRecord::new(&xinzhou(), cycle(1, 2023), Level::Award)];
            let got = rules(&case);
            assert_eq!(got.contains(&rule::A12_1), barred, "{date}: {got:?}");
        }
    }

    #[test]
    fn a12_1_a28_3_a_frozen_bar_holds_under_a_later_policy() {
        // A successor policy with two-year cycles would end the A12.1 bar of an award of
        // 2023 in 2028 and the A28.3 ban of a revocation of 2024 in 2029; the register
        // froze 2031 and 2032 under the policy in force, and those hold.
        let old = xinzhou();
        let mut later = xinzhou();
        later.cycle_years.value = 2;
        let standing = AwardRecord::new(&old, cycle(1, 2023), Level::Award);
        let revoked = AwardRecord {
            revoked_on: Some(d("2024-03-01")),
            ..AwardRecord::new(&old, cycle(2, 2023), Level::Award)
        }
        .frozen(&old);
        assert_eq!(
            (standing.barred_until, revoked.ban_until),
            (Some(2031), Some(2032))
        );
        for (award, date, rule) in [
            (standing, "2030-05-01", rule::A12_1),
            (revoked, "2031-05-01", rule::A28_3),
        ] {
            let mut case = org_case("2000-01-01");
            case.date = d(date);
            case.cycle = cycle(5, 2030);
            case.history.awards = vec![award.clone()];
            assert!(
                evaluate(&case, &later).iter().any(|u| u.rule == rule),
                "{date}"
            );
            // Unfrozen, the later policy would have let it through.
            case.history.awards = vec![AwardRecord {
                barred_until: None,
                ban_until: None,
                ..award
            }];
            assert!(
                !evaluate(&case, &later).iter().any(|u| u.rule == rule),
                "{date}"
            );
        }
    }

    #[test]
    fn a12_2_nomination_winner_may_apply_again() {
        let mut case = org_case("2000-01-01");
        case.cycle = cycle(2, 2026);
        case.history.awards = vec![AwardRecord::new(
            &xinzhou(),
            cycle(1, 2023),
            Level::Nomination,
        )];
        assert_eq!(rules(&case), vec![]);
    }

    #[test]
    fn a28_3_revoked_barred_for_three_cycles_from_the_year_of_revocation() {
        let award = |revoked: &str| AwardRecord {
            revoked_on: Some(d(revoked)),
            ..AwardRecord::new(&xinzhou(), cycle(1, 2017), Level::Award)
        };
        // Revoked on 2020-07-01: applications made from that day through 2028 are barred;
        // free from 2029, and not before the decision.
        for (date, barred) in [
            ("2020-07-01", true),
            ("2023-03-01", true),
            ("2028-12-31", true),
            ("2029-01-01", false),
            ("2020-06-30", false),
        ] {
            let mut case = org_case("2000-01-01");
            case.date = d(date);
            case.cycle = cycle(9, 2020);
            case.history.awards = vec![award("2020-07-01")];
            assert_eq!(rules(&case).contains(&rule::A28_3), barred, "{date}");
            // A revoked award no longer bars under A12.1.
            assert!(!rules(&case).contains(&rule::A12_1));
        }
        // By the application's date, not the year its cycle opened: revoked on
        // 2024-01-10, an application of 2024-01-20 in a cycle opened in 2023 is barred.
        let mut case = org_case("2000-01-01");
        case.date = d("2024-01-20");
        case.cycle = cycle(3, 2023);
        case.history.awards = vec![award("2024-01-10")];
        assert!(rules(&case).contains(&rule::A28_3));
    }

    #[test]
    fn a10_1_a14_2_a_subject_outside_the_city_is_refused_under_the_rule_that_places_it() {
        let mut org = org_case("2000-01-01");
        if let Subject::Organization(o) = &mut org.subject {
            o.county = "taiyuan".into();
        }
        assert_eq!(rules(&org), vec![rule::A10_1]);
        let mut person = person_case("2015-03-01");
        if let Subject::Person(p) = &mut person.subject {
            p.county = "taiyuan".into();
        }
        assert_eq!(rules(&person), vec![rule::A14_2]);
    }

    #[test]
    fn every_unmet_condition_is_listed_not_just_the_first() {
        let mut case = org_case("2025-01-01");
        case.declarations.clear();
        case.history.awards = vec![AwardRecord::new(&xinzhou(), cycle(2, 2023), Level::Award)];
        let got = rules(&case);
        assert_eq!(
            got,
            vec![
                rule::A10_1,
                rule::A10_2,
                rule::A10_3,
                rule::A10_4,
                rule::A10_1,
                rule::A12_1
            ]
        );
    }

    #[test]
    fn a_case_reads_from_json_as_documented() {
        let json = r#"{
            "date": "2026-06-01",
            "cycle": { "ordinal": 3, "year": 2026 },
            "subject": {
                "type": "organization", "name": "示例", "credit_code": "91140900AY4CL12THD",
                "kind": "enterprise", "county": "xinfu", "founded": "2024-01-01"
            },
            "history": { "awards": [ { "cycle": { "ordinal": 2, "year": 2023 }, "level": "award" } ] },
            "declarations": ["A10.1", "A10.2", "A10.3", "A10.4"]
        }"#;
        let case: Case = serde_json::from_str(json).unwrap();
        assert_eq!(rules(&case), vec![rule::A10_1, rule::A12_1]);
    }
}

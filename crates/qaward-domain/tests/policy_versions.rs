//! A34: the measures are valid for five years, and the next version must load without
//! code changes. This test loads a hypothetical successor file in which every number
//! differs and checks that the rules follow the file, not the code.

use chrono::NaiveDate;
use qaward_domain::calendar::WorkingCalendar;
use qaward_domain::eligibility::{self, Case};
use qaward_domain::notice::{Notice, NoticeScope};
use qaward_domain::policy::{Level, NoticeKind, Policy};
use qaward_domain::{quota, rule};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn successor() -> Policy {
    Policy::from_toml(
        "tests/data/hypothetical-2027.toml",
        include_str!("data/hypothetical-2027.toml"),
    )
    .unwrap()
}

#[test]
fn a34_a_successor_policy_loads_without_code_changes() {
    let p = successor();
    assert_eq!(p.id, "xinzhou-2027-test");
    assert_eq!(p.cycle_years.value, 2);
    assert_eq!(p.level(Level::Award).quota.value, 5);
    assert_eq!(p.industries.len(), 1);
    assert_eq!(p.last_day_in_force(), Some(d("2032-11-29")));
    assert!(p.in_force_on(d("2026-11-30")));
}

#[test]
fn a4_3_quota_follows_the_loaded_policy() {
    let p = successor();
    assert!(quota::check(&p, Level::Award, 4).is_ok());
    assert_eq!(
        quota::check(&p, Level::Award, 5).unwrap_err().rule,
        rule::A4_3
    );
}

#[test]
fn a14_1_notice_length_follows_the_loaded_policy() {
    let p = successor();
    let cal = WorkingCalendar::from_toml(
        "calendar",
        include_str!("../../../calendar/cn-working-days.toml"),
    )
    .unwrap();
    let n = Notice::plan(
        NoticeKind::InUnit,
        NoticeScope::Unit,
        d("2026-11-02"),
        None,
        &p,
        &cal,
    )
    .unwrap();
    // Seven working days: Nov 2–6 and 9–10.
    assert_eq!(n.end, d("2026-11-10"));
}

#[test]
fn a10_1_a12_1_eligibility_follows_the_loaded_policy() {
    let p = successor();
    let case: Case = serde_json::from_str(
        r#"{
            "date": "2027-03-01",
            "cycle": { "ordinal": 3, "year": 2027 },
            "subject": { "type": "organization", "name": "示例", "credit_code": "91140900AY4CL12THD",
                         "kind": "enterprise", "county": "xinfu", "founded": "2023-01-01" },
            "history": { "awards": [ { "cycle": { "ordinal": 1, "year": 2023 }, "level": "award" } ] },
            "declarations": ["A10.1", "A10.2", "A10.3", "A10.4"]
        }"#,
    )
    .unwrap();
    // Under 2021 rules: 4 years of operation suffice and cycle 3 is barred by a cycle-1
    // award. Under the successor: 5 years are needed and the ban lasts one cycle.
    let rules: Vec<_> = eligibility::evaluate(&case, &p)
        .into_iter()
        .map(|u| u.rule)
        .collect();
    assert_eq!(rules, vec![rule::A10_1]);
}

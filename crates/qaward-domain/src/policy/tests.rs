//! The 2021 Xinzhou policy as data: every number and list of the measures read back.

use super::*;
use crate::rule;

pub(crate) const XINZHOU_2021: &str = include_str!("../../../../policy/xinzhou-2021.toml");

pub(crate) fn xinzhou() -> Policy {
    static POLICY: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    POLICY
        .get_or_init(|| Policy::from_toml("policy/xinzhou-2021.toml", XINZHOU_2021).unwrap())
        .clone()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn a4_1_two_levels_award_and_nomination() {
    let p = xinzhou();
    assert_eq!(p.levels.len(), 2);
    assert_eq!(p.level(Level::Award).name, "忻州市市长质量奖");
    assert_eq!(p.level(Level::Nomination).name, "忻州市市长质量奖提名奖");
}

#[test]
fn a4_2_cycle_every_three_years() {
    let p = xinzhou();
    assert_eq!(p.cycle_years.value, 3);
    assert_eq!(p.cycle_years.article, rule::A4_2);
}

#[test]
fn a4_3_quotas_three_and_ten() {
    let p = xinzhou();
    assert_eq!(p.level(Level::Award).quota.value, 3);
    assert_eq!(p.level(Level::Nomination).quota.value, 10);
    assert_eq!(p.level(Level::Award).quota.article, rule::A4_3);
}

#[test]
fn a21_1_prizes_in_whole_yuan() {
    let p = xinzhou();
    let a = p.level(Level::Award);
    assert_eq!(a.prize_organization_yuan.value, 200_000);
    assert_eq!(a.prize_individual_yuan.value, 30_000);
    let n = p.level(Level::Nomination);
    assert_eq!(n.prize_organization_yuan.value, 0);
    assert_eq!(n.prize_individual_yuan.value, 0);
    assert_eq!(a.prize_organization_yuan.article, rule::A21_1);
}

#[test]
fn a9_1_no_fee_and_a_fee_is_refused() {
    let p = xinzhou();
    assert_eq!(p.fee_yuan.value, 0);
    assert_eq!(p.fee_yuan.article, rule::A9_1);
    let text = XINZHOU_2021.replace(
        "application_fee_yuan = { value = 0",
        "application_fee_yuan = { value = 100",
    );
    let e = Policy::from_toml("x.toml", &text).unwrap_err().to_string();
    assert!(
        e.contains("fees.application_fee_yuan.value") && e.contains("A9.1"),
        "{e}"
    );
}

#[test]
fn notices_have_their_minimum_working_days() {
    let p = xinzhou();
    for (kind, article) in [
        (NoticeKind::InUnit, rule::A14_1),
        (NoticeKind::AcceptanceList, rule::A16_3),
        (NoticeKind::Candidates, rule::A18_3),
        (NoticeKind::ProposedWinners, rule::A19_2),
    ] {
        let c = p.notice_min(kind).expect("2021 holds every notice");
        assert_eq!(c.value.get(), 5, "{kind:?}");
        assert_eq!(c.article, article);
    }
    // The measures set no length for the acceptance list: the file says so.
    assert!(
        p.notice_min(NoticeKind::AcceptanceList)
            .unwrap()
            .note
            .is_some()
    );
}

#[test]
fn a10_1_a10_4_a11_2_a12_1_a28_3_numbers_come_from_the_file() {
    let e = xinzhou().eligibility;
    assert_eq!(
        (
            e.organization_operating_years.value,
            e.organization_operating_years.article
        ),
        (3, rule::A10_1)
    );
    assert_eq!(
        (
            e.accident_lookback_years.value,
            e.accident_lookback_years.article
        ),
        (3, rule::A10_4)
    );
    assert_eq!(
        (
            e.individual_quality_work_years.value,
            e.individual_quality_work_years.article
        ),
        (3, rule::A11_2)
    );
    assert_eq!(
        (e.award_ban_cycles.value, e.award_ban_cycles.article),
        (2, rule::A12_1)
    );
    assert_eq!(
        (
            e.revocation_ban_cycles.value,
            e.revocation_ban_cycles.article
        ),
        (3, rule::A28_3)
    );
}

#[test]
fn a8_a15_sixteen_county_level_units_and_industry_departments() {
    let p = xinzhou();
    assert_eq!(p.counties.len(), 16);
    assert_eq!(p.channel_article, rule::A15_1);
    let names: Vec<&str> = p.counties.iter().map(|c| c.name.as_str()).collect();
    for n in [
        "忻府区",
        "原平市",
        "偏关县",
        "忻州经济开发区",
        "五台山风景名胜区",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    assert_eq!(
        p.county("xinfu").unwrap().division.as_deref(),
        Some("140902")
    );
    assert!(!p.industries.is_empty());
}

#[test]
fn a18_2_opinion_departments_by_subject_kind() {
    let p = xinzhou();
    let ids = |k| -> Vec<String> {
        p.opinion_depts_for(k)
            .iter()
            .map(|d| d.id.clone())
            .collect()
    };
    assert_eq!(
        ids(OrgKind::Enterprise),
        [
            "public-security",
            "hr-social-security",
            "ecology-environment",
            "emergency-management",
            "market-supervision",
            "tax"
        ]
    );
    assert_eq!(
        ids(OrgKind::GovernmentOrgan),
        [
            "public-security",
            "discipline-inspection",
            "organization-personnel"
        ]
    );
    assert_eq!(
        ids(OrgKind::PublicInstitution),
        ids(OrgKind::GovernmentOrgan)
    );
    assert_eq!(ids(OrgKind::SocialOrganization), ["public-security"]);
    assert_eq!(
        p.opinions_by_kind[&OrgKind::Enterprise].article,
        rule::A18_2
    );
}

#[test]
fn a33_a34_in_force_2021_11_30_to_2026_11_29() {
    let p = xinzhou();
    assert_eq!(p.effective.value, d("2021-11-30"));
    assert_eq!(p.last_day_in_force(), Some(d("2026-11-29")));
    assert!(!p.in_force_on(d("2021-11-29")));
    assert!(p.in_force_on(d("2021-11-30")));
    assert!(p.in_force_on(d("2026-11-29")));
    assert!(!p.in_force_on(d("2026-11-30")));
    assert_eq!(p.repeals.as_ref().unwrap().value, "忻政办发〔2018〕118号");
}

#[test]
fn a34_warns_ahead_of_expiry_and_after_it() {
    let p = xinzhou();
    assert_eq!(p.validity_warning(d("2026-01-01"), 3), None);
    // Three months ahead: from the day after 2026-08-29.
    assert_eq!(p.validity_warning(d("2026-08-29"), 3), None);
    assert!(p.validity_warning(d("2026-08-30"), 3).is_some());
    let w = p.validity_warning(d("2026-11-26"), 3).unwrap();
    assert_eq!(w.rule.as_str(), "A34");
    assert!(w.to_string().contains("left: 3"), "{w}");
    let w = p.validity_warning(d("2026-12-01"), 3).unwrap();
    assert!(
        w.to_string().contains("measures-expired") && w.to_string().contains("last: 2026-11-29"),
        "{w}"
    );
}

fn err(text: &str) -> String {
    Policy::from_toml("bad.toml", text).unwrap_err().to_string()
}

#[test]
fn a_bad_policy_file_names_the_file_and_the_field() {
    let e = err(&XINZHOU_2021.replace(
        "[cycle]\nyears = { value = 3, article = \"A4.2\" }\n",
        "[cycle]\n",
    ));
    assert!(
        e.starts_with("bad.toml: field `cycle`") && e.contains("years"),
        "{e}"
    );
    let e = err(&XINZHOU_2021.replace("quota = { value = 3,", "quota = { value = \"three\","));
    assert!(e.contains("levels.award.quota.value"), "{e}");
    let e = err(&XINZHOU_2021.replace(
        "revocation_ban_cycles = { value = 3,",
        "revocation_ban_cycles = { value = 1000000000,",
    ));
    assert!(
        e.contains("eligibility.revocation_ban_cycles.value") && e.contains("implausibly"),
        "{e}"
    );
    let e = err(&XINZHOU_2021.replace("quota = { value = 3,", "quota = { value = 0,"));
    assert!(
        e.contains("levels.award.quota.value") && e.contains("at least 1"),
        "{e}"
    );
    let e = err(&XINZHOU_2021.replace("article = \"A4.2\"", "article = \"4.2\""));
    assert!(
        e.contains("cycle.years.article") && e.contains("rule ID"),
        "{e}"
    );
    let e = err(&XINZHOU_2021.replacen("in-unit = { value = 5", "in-unit = { value = 0", 1));
    assert!(
        e.contains("notices.in-unit.value") && e.contains("at least 1"),
        "{e}"
    );
    let e = err(&XINZHOU_2021.replacen(
        "\"public-security\", \"discipline-inspection\"",
        "\"police\", \"discipline-inspection\"",
        1,
    ));
    assert!(
        e.contains("opinions.by_kind.") && e.contains("`police`"),
        "{e}"
    );
    let e = err(&XINZHOU_2021.replacen("id = \"dingxiang\"", "id = \"xinfu\"", 1));
    assert!(e.contains("channels.county") && e.contains("twice"), "{e}");
    let e = err(&XINZHOU_2021.replace(
        "effective = { value = 2021-11-30",
        "effective = { value = 2021-11-31",
    ));
    assert!(e.starts_with("bad.toml: not valid TOML"), "{e}");
    let e = err("id = \"x\"\n");
    assert!(e.contains("title") || e.contains("missing"), "{e}");
    let e = err(&format!("{XINZHOU_2021}\n[surprise]\nx = 1\n"));
    assert!(e.contains("surprise"), "{e}");
}

/// A successor that inserts an article: refusals under it cite its own numbers, the rule
/// IDs stay the stable names, and the diff lists each renumbered article.
#[test]
fn a34_a_successor_renumbers_and_its_refusals_cite_its_numbers() {
    let old = xinzhou();
    let new = Policy::from_toml(
        "hypothetical-2027.toml",
        include_str!("../../tests/data/hypothetical-2027.toml"),
    )
    .unwrap();
    assert_eq!(old.article_number(&rule::A14_1), 14);
    assert_eq!(new.article_number(&rule::A14_1), 15);
    assert_eq!(new.article_number(&rule::A4_3), 4);
    let r = crate::rule::Refusal::new(rule::A14_1, crate::msg!("not-found"));
    assert_eq!(
        (r.cited_article(), r.cited_rule()),
        (14, "A14.1".to_owned())
    );
    let r = new.cite(r);
    assert_eq!(
        (r.cited_article(), r.cited_rule()),
        (15, "A15.1".to_owned())
    );
    assert_eq!(r.rule, rule::A14_1, "the stable name stays");
    let changes = diff::compare(&old, &new);
    assert!(
        changes
            .iter()
            .any(|c| c.item == diff::Item::ArticleNumber(28)
                && c.before.as_deref() == Some("28")
                && c.after.as_deref() == Some("29"))
    );
    // A renumbering that is no number is refused, naming the field.
    let bad = XINZHOU_2021.to_owned() + "\n[renumber]\n\"x\" = 15\n";
    let e = Policy::from_toml("bad.toml", &bad).unwrap_err().to_string();
    assert!(e.contains("renumber.x"), "{e}");
}

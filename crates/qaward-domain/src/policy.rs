//! One version of the measures as data: every number and list the measures give, each
//! value carrying the article it comes from.
//!
//! The file format is TOML (`policy/xinzhou-2021.toml` is the 2021 Xinzhou measures). A
//! cited value is written `{ value = 3, article = "A4.2" }`, optionally with a `note` where
//! the measures leave the value to the Office. [`Policy::from_toml`] checks everything and
//! reports a bad file with its origin, the field and what is wrong, so that the next
//! version of the measures is a new file, not new code.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingDays;
use crate::load::{self, LoadError};
use crate::rule::RuleId;
use crate::subject::OrgKind;
use crate::text::Vocabulary;

/// A value of the measures with the article it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cited<T> {
    pub value: T,
    pub article: RuleId,
    /// Why the value is what it is where the measures leave it open.
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCited<T> {
    value: T,
    article: RuleId,
    #[serde(default)]
    note: Option<String>,
}

impl<T> From<RawCited<T>> for Cited<T> {
    fn from(r: RawCited<T>) -> Self {
        Self {
            value: r.value,
            article: r.article,
            note: r.note,
        }
    }
}

/// The two award levels of A4.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 市长质量奖.
    Award,
    /// 市长质量奖提名奖.
    Nomination,
}

crate::vocabulary!(Level, "AwardLevel", {
    Level::Award => ("award", "市长质量奖", "Mayor's Quality Award"),
    Level::Nomination => ("nomination", "市长质量奖提名奖", "Nomination Award"),
});

/// What one award level gives and how many may receive it in a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelPolicy {
    pub name: String,
    pub name_en: String,
    /// At most this many recipients per cycle, organizations and individuals together.
    pub quota: Cited<u32>,
    /// Prize money in whole yuan.
    pub prize_organization_yuan: Cited<u64>,
    pub prize_individual_yuan: Cited<u64>,
}

/// The kinds of public notice (DESIGN.md §4) that have a minimum length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoticeKind {
    /// Inside the applicant's own organization or unit (A14.1).
    InUnit,
    /// The acceptance list, to society (A16.3).
    AcceptanceList,
    /// The candidate list, in the candidate's region or industry (A18.3).
    Candidates,
    /// The proposed winners, city-wide (A19.2).
    ProposedWinners,
}

crate::vocabulary!(NoticeKind, "NoticeKind", {
    NoticeKind::InUnit => ("in-unit", "单位内部公示", "In-unit notice"),
    NoticeKind::AcceptanceList => ("acceptance-list", "受理名单公示", "Acceptance-list notice"),
    NoticeKind::Candidates => ("candidates", "候选名单公示", "Candidate-list notice"),
    NoticeKind::ProposedWinners => ("proposed-winners", "获奖建议名单公示", "Proposed-winners notice"),
});

/// The eligibility numbers of A10–A12 and A28.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EligibilityPolicy {
    /// An organization operates normally for at least this many years (A10.1).
    pub organization_operating_years: Cited<u32>,
    /// No major accident within this many years (A10.4).
    pub accident_lookback_years: Cited<u32>,
    /// An individual works in quality for at least this many years (A11.2).
    pub individual_quality_work_years: Cited<u32>,
    /// A winner of the top level may not apply in this many cycles after it (A12.1).
    pub award_ban_cycles: Cited<u32>,
    /// After a revocation, no application for this many cycles from its year (A28.3).
    pub revocation_ban_cycles: Cited<u32>,
}

/// A county-level unit: a county, city or district, or the Development Zone or Scenic
/// Area committee that the measures treat alike (A8, A15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountyUnit {
    /// Stable identifier used in data and URLs.
    pub id: String,
    pub name: String,
    /// The administrative division code, where the unit has one.
    #[serde(default)]
    pub division: Option<String>,
    /// The market supervision department that reviews (A15.1).
    pub reviewer: String,
    /// The government or committee that recommends to the Office (A15.2).
    pub government: String,
}

/// A municipal industry department that reviews and recommends directly (A15.1, A15.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryDept {
    pub id: String,
    pub name: String,
}

/// A department asked for opinions (A16.2, A18.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionDept {
    pub id: String,
    pub name: String,
}

/// One version of the measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub id: String,
    pub title: String,
    pub program: String,
    pub issuer: String,
    pub effective: Cited<NaiveDate>,
    pub valid_years: Cited<u32>,
    pub repeals: Option<Cited<String>>,
    pub cycle_years: Cited<u32>,
    pub levels: BTreeMap<Level, LevelPolicy>,
    pub notices: BTreeMap<NoticeKind, Cited<WorkingDays>>,
    pub eligibility: EligibilityPolicy,
    pub fee_yuan: Cited<u64>,
    pub channel_article: RuleId,
    pub counties: Vec<CountyUnit>,
    pub industries: Vec<IndustryDept>,
    pub opinion_article: RuleId,
    pub opinion_depts: Vec<OpinionDept>,
    /// Which departments give opinions on a subject of each kind (A18.2).
    pub opinions_by_kind: BTreeMap<OrgKind, Cited<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: String,
    title: String,
    program: String,
    issuer: String,
    validity: RawValidity,
    cycle: RawCycle,
    levels: RawLevels,
    notices: RawNotices,
    eligibility: RawEligibility,
    fees: RawFees,
    channels: RawChannels,
    opinions: RawOpinions,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidity {
    effective: RawCited<toml::value::Datetime>,
    valid_years: RawCited<u32>,
    #[serde(default)]
    repeals: Option<RawCited<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCycle {
    years: RawCited<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevels {
    award: RawLevel,
    nomination: RawLevel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    name: String,
    name_en: String,
    quota: RawCited<u32>,
    prize_organization_yuan: RawCited<u64>,
    prize_individual_yuan: RawCited<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawNotices {
    in_unit: RawCited<WorkingDays>,
    acceptance_list: RawCited<WorkingDays>,
    candidates: RawCited<WorkingDays>,
    proposed_winners: RawCited<WorkingDays>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEligibility {
    organization_operating_years: RawCited<u32>,
    accident_lookback_years: RawCited<u32>,
    individual_quality_work_years: RawCited<u32>,
    award_ban_cycles: RawCited<u32>,
    revocation_ban_cycles: RawCited<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFees {
    application_fee_yuan: RawCited<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannels {
    article: RuleId,
    county: Vec<CountyUnit>,
    industry: Vec<IndustryDept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOpinions {
    article: RuleId,
    department: Vec<OpinionDept>,
    by_kind: RawByKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawByKind {
    enterprise: RawCited<Vec<String>>,
    government_organ: RawCited<Vec<String>>,
    public_institution: RawCited<Vec<String>>,
    social_organization: RawCited<Vec<String>>,
}

impl Policy {
    /// Loads and checks a policy file. `origin` names the file in error messages.
    pub fn from_toml(origin: &str, text: &str) -> Result<Self, LoadError> {
        let raw: RawPolicy = load::parse_toml(origin, text)?;
        let invalid = |field: &str, problem: String| LoadError::Invalid {
            origin: origin.to_owned(),
            field: field.to_owned(),
            problem,
        };
        for (field, value) in [
            ("id", &raw.id),
            ("title", &raw.title),
            ("program", &raw.program),
            ("issuer", &raw.issuer),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(field, "must not be empty".into()));
            }
        }
        if !raw
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(
                "id",
                format!("`{}` may hold only a-z, 0-9 and `-`", raw.id),
            ));
        }
        let effective_date = load::date(&raw.validity.effective.value)
            .map_err(|p| invalid("validity.effective.value", p))?;
        let effective = Cited {
            value: effective_date,
            article: raw.validity.effective.article,
            note: raw.validity.effective.note,
        };
        // Bounds keep the arithmetic of bans and validity far from overflow; no version of
        // such measures comes near them.
        let positive = |field: &str, c: &RawCited<u32>| {
            if c.value == 0 {
                Err(invalid(field, "must be at least 1".into()))
            } else if c.value > 1000 {
                Err(invalid(
                    field,
                    format!("{} is implausibly large (at most 1000)", c.value),
                ))
            } else {
                Ok(())
            }
        };
        positive("validity.valid_years.value", &raw.validity.valid_years)?;
        positive("cycle.years.value", &raw.cycle.years)?;
        if raw.cycle.years.value > 20 {
            return Err(invalid(
                "cycle.years.value",
                "at most 20 years between cycles".into(),
            ));
        }
        positive("levels.award.quota.value", &raw.levels.award.quota)?;
        positive(
            "levels.nomination.quota.value",
            &raw.levels.nomination.quota,
        )?;
        let e = raw.eligibility;
        positive(
            "eligibility.accident_lookback_years.value",
            &e.accident_lookback_years,
        )?;
        positive("eligibility.award_ban_cycles.value", &e.award_ban_cycles)?;
        positive(
            "eligibility.revocation_ban_cycles.value",
            &e.revocation_ban_cycles,
        )?;
        for (field, c) in [
            (
                "eligibility.organization_operating_years.value",
                &e.organization_operating_years,
            ),
            (
                "eligibility.individual_quality_work_years.value",
                &e.individual_quality_work_years,
            ),
        ] {
            if c.value > 100 {
                return Err(invalid(
                    field,
                    format!("{} years is implausibly long (at most 100)", c.value),
                ));
            }
        }
        if raw.fees.application_fee_yuan.value != 0 {
            // A9.1 is a promise to applicants; a version of the measures that charges a
            // fee is a different product decision, not a number to load silently.
            return Err(invalid(
                "fees.application_fee_yuan.value",
                "qaward supports only measures that charge no fee (A9.1 of the 2021 measures)"
                    .into(),
            ));
        }

        unique_ids(
            "channels.county",
            raw.channels.county.iter().map(|c| c.id.as_str()),
        )
        .map_err(|p| invalid("channels.county", p))?;
        unique_ids(
            "channels.industry",
            raw.channels.industry.iter().map(|c| c.id.as_str()),
        )
        .map_err(|p| invalid("channels.industry", p))?;
        if raw.channels.county.is_empty() {
            return Err(invalid(
                "channels.county",
                "list at least one county-level unit".into(),
            ));
        }
        for (i, c) in raw.channels.county.iter().enumerate() {
            for (name, v) in [
                ("name", &c.name),
                ("reviewer", &c.reviewer),
                ("government", &c.government),
            ] {
                if v.trim().is_empty() {
                    return Err(invalid(
                        &format!("channels.county[{i}].{name}"),
                        "must not be empty".into(),
                    ));
                }
            }
            if let Some(div) = &c.division
                && (div.len() != 6 || !div.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(invalid(
                    &format!("channels.county[{i}].division"),
                    format!("`{div}` is not a 6-digit division code"),
                ));
            }
        }
        unique_ids(
            "opinions.department",
            raw.opinions.department.iter().map(|d| d.id.as_str()),
        )
        .map_err(|p| invalid("opinions.department", p))?;
        let known: BTreeSet<&str> = raw
            .opinions
            .department
            .iter()
            .map(|d| d.id.as_str())
            .collect();
        let by_kind = raw.opinions.by_kind;
        let mut opinions_by_kind = BTreeMap::new();
        for (kind, key, list) in [
            (OrgKind::Enterprise, "enterprise", by_kind.enterprise),
            (
                OrgKind::GovernmentOrgan,
                "government-organ",
                by_kind.government_organ,
            ),
            (
                OrgKind::PublicInstitution,
                "public-institution",
                by_kind.public_institution,
            ),
            (
                OrgKind::SocialOrganization,
                "social-organization",
                by_kind.social_organization,
            ),
        ] {
            let field = format!("opinions.by_kind.{key}.value");
            if list.value.is_empty() {
                return Err(invalid(&field, "name at least one department".into()));
            }
            for id in &list.value {
                if !known.contains(id.as_str()) {
                    return Err(invalid(
                        &field,
                        format!("`{id}` is not listed under [[opinions.department]]"),
                    ));
                }
            }
            opinions_by_kind.insert(kind, Cited::from(list));
        }

        let level = |l: RawLevel| LevelPolicy {
            name: l.name,
            name_en: l.name_en,
            quota: l.quota.into(),
            prize_organization_yuan: l.prize_organization_yuan.into(),
            prize_individual_yuan: l.prize_individual_yuan.into(),
        };
        let n = raw.notices;
        let policy = Self {
            id: raw.id,
            title: raw.title,
            program: raw.program,
            issuer: raw.issuer,
            effective,
            valid_years: raw.validity.valid_years.into(),
            repeals: raw.validity.repeals.map(Into::into),
            cycle_years: raw.cycle.years.into(),
            levels: BTreeMap::from([
                (Level::Award, level(raw.levels.award)),
                (Level::Nomination, level(raw.levels.nomination)),
            ]),
            notices: BTreeMap::from([
                (NoticeKind::InUnit, n.in_unit.into()),
                (NoticeKind::AcceptanceList, n.acceptance_list.into()),
                (NoticeKind::Candidates, n.candidates.into()),
                (NoticeKind::ProposedWinners, n.proposed_winners.into()),
            ]),
            eligibility: EligibilityPolicy {
                organization_operating_years: e.organization_operating_years.into(),
                accident_lookback_years: e.accident_lookback_years.into(),
                individual_quality_work_years: e.individual_quality_work_years.into(),
                award_ban_cycles: e.award_ban_cycles.into(),
                revocation_ban_cycles: e.revocation_ban_cycles.into(),
            },
            fee_yuan: raw.fees.application_fee_yuan.into(),
            channel_article: raw.channels.article,
            counties: raw.channels.county,
            industries: raw.channels.industry,
            opinion_article: raw.opinions.article,
            opinion_depts: raw.opinions.department,
            opinions_by_kind,
        };
        if policy.last_day_in_force().is_none() {
            return Err(invalid("validity.valid_years.value", "too large".into()));
        }
        Ok(policy)
    }

    pub fn level(&self, level: Level) -> &LevelPolicy {
        // Both levels are required by the file format.
        &self.levels[&level]
    }

    /// The minimum length of a notice of this kind.
    pub fn notice_min(&self, kind: NoticeKind) -> &Cited<WorkingDays> {
        &self.notices[&kind]
    }

    /// The last day the measures are in force: effective date plus the validity, less a
    /// day (the 2021 measures, in force from 2021-11-30 for 5 years, end on 2026-11-29).
    pub fn last_day_in_force(&self) -> Option<NaiveDate> {
        self.effective
            .value
            .checked_add_months(Months::new(self.valid_years.value.checked_mul(12)?))?
            .checked_sub_days(Days::new(1))
    }

    /// Whether the measures are in force on `date` (A33, A34).
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.effective.value && self.last_day_in_force().is_some_and(|last| date <= last)
    }

    /// A warning for people who run cycles under this policy, when `today` is within
    /// `ahead_days` of the end of validity or past it.
    pub fn validity_warning(&self, today: NaiveDate, ahead_days: u64) -> Option<String> {
        let last = self.last_day_in_force()?;
        if today > last {
            Some(format!(
                "{}: {} expired on {last} ({} years from {}); load the measures now in force",
                self.valid_years.article, self.title, self.valid_years.value, self.effective.value
            ))
        } else if today.checked_add_days(Days::new(ahead_days))? > last {
            let left = (last - today).num_days();
            Some(format!(
                "{}: {} stays in force until {last}, {left} days from now; prepare the next version",
                self.valid_years.article, self.title
            ))
        } else {
            None
        }
    }

    pub fn county(&self, id: &str) -> Option<&CountyUnit> {
        self.counties.iter().find(|c| c.id == id)
    }

    pub fn industry(&self, id: &str) -> Option<&IndustryDept> {
        self.industries.iter().find(|c| c.id == id)
    }

    /// The opinion departments for a subject of this kind (A18.2).
    pub fn opinion_depts_for(&self, kind: OrgKind) -> Vec<&OpinionDept> {
        self.opinions_by_kind[&kind]
            .value
            .iter()
            .filter_map(|id| self.opinion_depts.iter().find(|d| &d.id == id))
            .collect()
    }

    /// A one-screen summary for `qaward policy check`.
    pub fn summary(&self) -> String {
        let a = self.level(Level::Award);
        let n = self.level(Level::Nomination);
        let notices = NoticeKind::ALL
            .iter()
            .map(|k| {
                let c = self.notice_min(*k);
                format!("{k} {} ({})", c.value, c.article)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let last = self
            .last_day_in_force()
            .map(|d| d.to_string())
            .unwrap_or_default();
        format!(
            "{id}: {title} ({program})\n\
             in force {eff} to {last} ({va}, {vb})\n\
             cycle every {cy} years ({cya})\n\
             quotas: {an} {aq}, {nn} {nq} ({qa})\n\
             prizes: organization {apo} yuan, individual {api} yuan ({pa})\n\
             notices (working days): {notices}\n\
             channels: {counties} county-level units, {industries} industry departments ({cha})\n\
             opinion departments: {opinions} ({oa})",
            id = self.id,
            title = self.title,
            program = self.program,
            eff = self.effective.value,
            va = self.effective.article,
            vb = self.valid_years.article,
            cy = self.cycle_years.value,
            cya = self.cycle_years.article,
            an = a.name,
            aq = a.quota.value,
            nn = n.name,
            nq = n.quota.value,
            qa = a.quota.article,
            apo = a.prize_organization_yuan.value,
            api = a.prize_individual_yuan.value,
            pa = a.prize_organization_yuan.article,
            counties = self.counties.len(),
            industries = self.industries.len(),
            cha = self.channel_article,
            opinions = self.opinion_depts.len(),
            oa = self.opinion_article,
        )
    }
}

fn unique_ids<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(format!("an entry of {what} has an empty id"));
        }
        if !seen.insert(id) {
            return Err(format!("id `{id}` appears twice"));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rule;

    pub(crate) const XINZHOU_2021: &str = include_str!("../../../policy/xinzhou-2021.toml");

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
            let c = p.notice_min(kind);
            assert_eq!(c.value.get(), 5, "{kind:?}");
            assert_eq!(c.article, article);
        }
        // The measures set no length for the acceptance list: the file says so.
        assert!(p.notice_min(NoticeKind::AcceptanceList).note.is_some());
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
        assert_eq!(p.validity_warning(d("2026-01-01"), 90), None);
        let w = p.validity_warning(d("2026-11-26"), 90).unwrap();
        assert!(w.starts_with("A34:") && w.contains("3 days"), "{w}");
        let w = p.validity_warning(d("2026-12-01"), 90).unwrap();
        assert!(w.contains("expired on 2026-11-29"), "{w}");
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
}

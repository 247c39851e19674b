//! Reading a policy file: the file's shape (every field named, unknown ones refused) and
//! the checks that turn it into a [`Policy`], each error naming the file and the field.

use super::*;
use crate::load::{self, Refused};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: String,
    title: String,
    program: String,
    issuer: String,
    office: String,
    validity: RawValidity,
    cycle: RawCycle,
    levels: RawLevels,
    notices: RawNotices,
    eligibility: RawEligibility,
    fees: RawFees,
    channels: RawChannels,
    opinions: RawOpinions,
    /// The articles numbered differently from 2021: `"14" = 15`.
    #[serde(default)]
    renumber: BTreeMap<String, u32>,
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
    // A version may drop a public notice step: it then holds no such notice, and the
    // step after it does not wait for one.
    #[serde(default)]
    acceptance_list: Option<RawCited<WorkingDays>>,
    #[serde(default)]
    candidates: Option<RawCited<WorkingDays>>,
    #[serde(default)]
    proposed_winners: Option<RawCited<WorkingDays>>,
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
        Self::parse(origin, text).map_err(|e| e.into_load_error(origin))
    }

    /// [`Self::from_toml`], with a value's problem typed for the reader's language.
    pub fn parse(origin: &str, text: &str) -> Result<Self, Refused<PolicyProblem>> {
        let raw: RawPolicy = load::parse_toml(origin, text)?;
        let invalid = |field: &str, problem: PolicyProblem| Refused::Value {
            field: field.to_owned(),
            problem,
        };
        for (field, value) in [
            ("id", &raw.id),
            ("title", &raw.title),
            ("program", &raw.program),
            ("issuer", &raw.issuer),
            ("office", &raw.office),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(field, PolicyProblem::Empty));
            }
        }
        if !raw
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(
                "id",
                PolicyProblem::IdCharacters { id: raw.id.clone() },
            ));
        }
        let effective_date = load::date(&raw.validity.effective.value)
            .map_err(|p| invalid("validity.effective.value", PolicyProblem::BadDate(p)))?;
        let effective = Cited {
            value: effective_date,
            article: raw.validity.effective.article,
            note: raw.validity.effective.note,
        };
        // Bounds keep the arithmetic of bans and validity far from overflow; no version of
        // such measures comes near them.
        let positive = |field: &str, c: &RawCited<u32>| {
            if c.value == 0 {
                Err(invalid(field, PolicyProblem::Zero))
            } else if c.value > 1000 {
                Err(invalid(
                    field,
                    PolicyProblem::TooLarge {
                        value: u64::from(c.value),
                        max: 1000,
                    },
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
                PolicyProblem::TooLarge {
                    value: u64::from(raw.cycle.years.value),
                    max: 20,
                },
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
                    PolicyProblem::TooLarge {
                        value: u64::from(c.value),
                        max: 100,
                    },
                ));
            }
        }
        if raw.fees.application_fee_yuan.value != 0 {
            // A9.1 is a promise to applicants; a version of the measures that charges a
            // fee is a different product decision, not a number to load silently.
            return Err(invalid(
                "fees.application_fee_yuan.value",
                PolicyProblem::Fee,
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
            return Err(invalid("channels.county", PolicyProblem::NoCounty));
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
                        PolicyProblem::Empty,
                    ));
                }
            }
            if let Some(div) = &c.division
                && (div.len() != 6 || !div.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(invalid(
                    &format!("channels.county[{i}].division"),
                    PolicyProblem::BadDivision { code: div.clone() },
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
                return Err(invalid(&field, PolicyProblem::NoDepartment));
            }
            for id in &list.value {
                if !known.contains(id.as_str()) {
                    return Err(invalid(
                        &field,
                        PolicyProblem::UnknownDepartment { id: id.clone() },
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
        let mut renumber = BTreeMap::new();
        for (from, to) in &raw.renumber {
            let field = format!("renumber.{from}");
            let from_n: u32 = from
                .parse()
                .ok()
                .filter(|n| (1..=99).contains(n))
                .ok_or_else(|| invalid(&field, PolicyProblem::RenumberFrom))?;
            if !(1..=99).contains(to) {
                return Err(invalid(&field, PolicyProblem::RenumberTo));
            }
            if from_n != *to {
                renumber.insert(from_n, *to);
            }
        }
        let n = raw.notices;
        let policy = Self {
            id: raw.id,
            title: raw.title,
            program: raw.program,
            issuer: raw.issuer,
            office: raw.office,
            effective,
            valid_years: raw.validity.valid_years.into(),
            repeals: raw.validity.repeals.map(Into::into),
            cycle_years: raw.cycle.years.into(),
            levels: BTreeMap::from([
                (Level::Award, level(raw.levels.award)),
                (Level::Nomination, level(raw.levels.nomination)),
            ]),
            notices: [
                (NoticeKind::InUnit, Some(n.in_unit)),
                (NoticeKind::AcceptanceList, n.acceptance_list),
                (NoticeKind::Candidates, n.candidates),
                (NoticeKind::ProposedWinners, n.proposed_winners),
            ]
            .into_iter()
            .filter_map(|(k, c)| c.map(|c| (k, c.into())))
            .collect(),
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
            renumber,
        };
        if policy.last_day_in_force().is_none() {
            return Err(invalid(
                "validity.valid_years.value",
                PolicyProblem::ValidityTooLong,
            ));
        }
        Ok(policy)
    }
}

fn unique_ids<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), PolicyProblem> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(PolicyProblem::EmptyId {
                list: what.to_owned(),
            });
        }
        if !seen.insert(id) {
            return Err(PolicyProblem::DuplicateId { id: id.to_owned() });
        }
    }
    Ok(())
}

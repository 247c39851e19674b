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
use crate::load::LoadError;
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

impl NoticeKind {
    /// The article that provides for the notice, in the 2021 measures' rule IDs: cited when
    /// a version has no such notice.
    pub fn rule(self) -> RuleId {
        match self {
            NoticeKind::InUnit => crate::rule::A14_1,
            NoticeKind::AcceptanceList => crate::rule::A16_3,
            NoticeKind::Candidates => crate::rule::A18_3,
            NoticeKind::ProposedWinners => crate::rule::A19_2,
        }
    }
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
    /// The office that runs the award day to day and issues its notices (A6, A7: the
    /// Leading Group's office), by its full name as documents print it.
    pub office: String,
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
    /// The articles this version numbers differently from 2021, whose numbering the rule
    /// IDs keep as stable names: 2021's number → this version's.
    pub renumber: BTreeMap<u32, u32>,
}

impl Policy {
    pub fn level(&self, level: Level) -> &LevelPolicy {
        // Both levels are required by the file format.
        &self.levels[&level]
    }

    /// The number this version gives the article a rule ID names (its own where the
    /// version renumbers it, else the same).
    pub fn article_number(&self, rule: &RuleId) -> u32 {
        let n = rule.article();
        self.renumber.get(&n).copied().unwrap_or(n)
    }

    /// `r` citing this version's numbering: a case governed by a version that renumbers
    /// the measures is told its own version's article.
    pub fn cite(&self, mut r: crate::rule::Refusal) -> crate::rule::Refusal {
        if let Some(&n) = self.renumber.get(&r.rule.article()) {
            r.article = Some(n);
        }
        r
    }

    /// The minimum length of a notice of this kind; `None` for a public notice this
    /// version does not hold (a successor may drop the acceptance-list, candidate or
    /// proposed-winners notice; the in-unit notice is always there).
    pub fn notice_min(&self, kind: NoticeKind) -> Option<&Cited<WorkingDays>> {
        self.notices.get(&kind)
    }

    /// The article a notice of this kind is published under: the version's, or the
    /// rule's own where the version holds no such notice.
    pub fn notice_article(&self, kind: NoticeKind) -> RuleId {
        self.notice_min(kind)
            .map_or_else(|| kind.rule(), |c| c.article.clone())
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
    /// `ahead_months` of the end of validity or past it.
    /// The warning cites the article (A34) like a refusal does.
    pub fn validity_warning(
        &self,
        today: NaiveDate,
        ahead_months: u32,
    ) -> Option<crate::rule::Refusal> {
        let last = self.last_day_in_force()?;
        let from = last.checked_sub_months(Months::new(ahead_months))?;
        let message = if today > last {
            crate::msg!(
                "measures-expired",
                title = &self.title,
                last = last,
                years = self.valid_years.value,
                effective = self.effective.value
            )
        } else if today > from {
            crate::msg!(
                "measures-expiring",
                title = &self.title,
                last = last,
                left = (last - today).num_days()
            )
        } else {
            return None;
        };
        Some(crate::rule::Refusal::new(
            self.valid_years.article.clone(),
            message,
        ))
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
            .map(|k| match self.notice_min(*k) {
                Some(c) => format!("{k} {} ({})", c.value, c.article),
                None => format!("{k} none"),
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

pub mod diff;
mod file;
mod problem;

pub use problem::PolicyProblem;
#[cfg(test)]
pub(crate) mod tests;

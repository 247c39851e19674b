//! Subjects — the organizations and people who apply — and their history across cycles.
//!
//! Eligibility bars (A12.1, A28.3) come from this history, never from a hand-set flag
//! (DESIGN.md §2): a subject's awards, with their cycles and any revocation, and its
//! recorded accidents.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{CreditCode, ResidentId};
use crate::policy::Level;

/// The kind of an organization (A18.2 asks different departments for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrgKind {
    /// 企业.
    Enterprise,
    /// 机关.
    GovernmentOrgan,
    /// 事业单位.
    PublicInstitution,
    /// 社会组织.
    SocialOrganization,
}

crate::vocabulary!(OrgKind, "OrgKind", {
    OrgKind::Enterprise => ("enterprise", "企业", "Enterprise"),
    OrgKind::GovernmentOrgan => ("government-organ", "机关", "Government organ"),
    OrgKind::PublicInstitution => ("public-institution", "事业单位", "Public institution"),
    OrgKind::SocialOrganization => ("social-organization", "社会组织", "Social organization"),
});

/// An organization that applies (A10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    pub credit_code: CreditCode,
    pub kind: OrgKind,
    /// The county-level unit of its location (an id of the policy's `channels.county`).
    pub county: String,
    /// The date it was legally established (A10.1 counts operating years from it).
    pub founded: NaiveDate,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub legal_representative: Option<String>,
}

/// A person who applies (A11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub resident_id: ResidentId,
    pub employer: String,
    /// The employer's kind decides the opinion departments (A18.2: 企业及其负责人,
    /// 机关事业单位及其工作人员).
    pub employer_kind: OrgKind,
    /// The county-level unit where the person works.
    pub county: String,
    #[serde(default)]
    pub position: Option<String>,
    /// Since when the person works in quality-related work (A11.2 counts years from it).
    pub quality_work_since: NaiveDate,
}

/// Who applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Subject {
    Organization(Organization),
    Person(Person),
}

impl Subject {
    pub fn name(&self) -> &str {
        match self {
            Subject::Organization(o) => &o.name,
            Subject::Person(p) => &p.name,
        }
    }

    pub fn county(&self) -> &str {
        match self {
            Subject::Organization(o) => &o.county,
            Subject::Person(p) => &p.county,
        }
    }

    /// The kind that decides the opinion departments (A18.2).
    pub fn opinion_kind(&self) -> OrgKind {
        match self {
            Subject::Organization(o) => o.kind,
            Subject::Person(p) => p.employer_kind,
        }
    }

    pub fn is_person(&self) -> bool {
        matches!(self, Subject::Person(_))
    }
}

/// A cycle (届) as history refers to it: its ordinal and the year it was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleRef {
    /// 第 N 届, counting from 1.
    pub ordinal: u32,
    /// The year the cycle opened.
    pub year: i32,
}

/// An award a subject received, and its revocation if there was one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardRecord {
    pub cycle: CycleRef,
    pub level: Level,
    /// The date of the Government's revocation decision (A28.1), if revoked.
    #[serde(default)]
    pub revoked_on: Option<NaiveDate>,
    /// The last year in which A12.1 bars a new application, frozen when the award was
    /// recorded ([`crate::eligibility::award_bar_until_year`]); none for a Nomination
    /// Award, which does not bar (A12.2).
    #[serde(default)]
    pub barred_until: Option<i32>,
    /// The last year in which A28.3 bars a new application, frozen at the revocation
    /// decision ([`crate::revocation::ban_until_year`]).
    #[serde(default)]
    pub ban_until: Option<i32>,
}

impl AwardRecord {
    /// An award of `level` in `cycle`, not revoked, with its A12.1 bar frozen under
    /// `policy`.
    pub fn new(policy: &crate::policy::Policy, cycle: CycleRef, level: Level) -> Self {
        Self {
            cycle,
            level,
            revoked_on: None,
            barred_until: None,
            ban_until: None,
        }
        .frozen(policy)
    }

    /// This record with the bars it lacks frozen under `policy`: what the register
    /// stores, so that a later policy with another cycle length neither shortens nor
    /// lengthens a running bar (MEASURES.md, readings: 评选周期).
    pub fn frozen(mut self, policy: &crate::policy::Policy) -> Self {
        if self.level == Level::Award && self.barred_until.is_none() {
            self.barred_until = Some(crate::eligibility::award_bar_until_year(
                policy,
                self.cycle.year,
            ));
        }
        if let (Some(on), None) = (self.revoked_on, self.ban_until) {
            self.ban_until = Some(crate::revocation::ban_until_year(policy, on));
        }
        self
    }
}

/// An accident on record (A10.4, A28.1(2)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accident {
    pub date: NaiveDate,
    pub description: String,
    /// Only a major (重大) quality, safety or environmental accident bars (A10.4).
    pub major: bool,
}

/// What the register knows of a subject from earlier cycles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    #[serde(default)]
    pub awards: Vec<AwardRecord>,
    #[serde(default)]
    pub accidents: Vec<Accident>,
}

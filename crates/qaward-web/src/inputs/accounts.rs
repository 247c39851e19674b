//! The inputs of sessions, registration, the register, accounts and cycles.

use chrono::NaiveDate;
use qaward_app::AppError;
use qaward_domain::policy::Level;
use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;
use crate::codes;

// ---- sessions and registration ---------------------------------------------------------

/// The input of an action that takes none beyond its path (the form still carries its
/// CSRF token).
#[derive(Debug, Deserialize)]
pub struct Empty {}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginIn {
    pub username: String,
    pub password: String,
}

/// The login form of the pages: the login, and the page to go back to afterwards (only
/// a path of this site is followed: [`crate::session::safe_next`]).
#[derive(Debug, Deserialize)]
pub struct LoginFormIn {
    #[serde(flatten)]
    pub login: LoginIn,
    #[serde(default)]
    pub next: Option<String>,
}

/// An organization and its account (A10).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrgRegistrationIn {
    #[serde(default)]
    pub name: String,
    /// Unified social credit code (GB 32100-2015).
    #[serde(default)]
    pub credit_code: String,
    /// `enterprise`, `government-organ`, `public-institution` or `social-organization`.
    #[serde(default)]
    pub kind: String,
    /// A county-level unit id of the policy (`xinfu`, `yuanping`, …).
    #[serde(default)]
    pub county: String,
    pub industry: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub founded: String,
    #[serde(default)]
    pub legal_representative: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    pub contact_email: Option<String>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

/// A person and their account (A11).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PersonRegistrationIn {
    #[serde(default)]
    pub name: String,
    /// Resident identity number (GB 11643-1999).
    #[serde(default)]
    pub resident_id: String,
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub employer_kind: String,
    #[serde(default)]
    pub county: String,
    pub position: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub quality_work_since: String,
    #[serde(default)]
    pub contact_phone: String,
    pub contact_email: Option<String>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

impl From<OrgRegistrationIn> for qaward_app::accounts::OrgRegistration {
    fn from(r: OrgRegistrationIn) -> Self {
        Self {
            name: r.name,
            credit_code: r.credit_code,
            kind: r.kind,
            county: r.county,
            industry: r.industry,
            founded: r.founded,
            legal_representative: r.legal_representative,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            username: r.username,
            password: r.password,
        }
    }
}

impl From<PersonRegistrationIn> for qaward_app::accounts::PersonRegistration {
    fn from(r: PersonRegistrationIn) -> Self {
        Self {
            name: r.name,
            resident_id: r.resident_id,
            employer: r.employer,
            employer_kind: r.employer_kind,
            county: r.county,
            position: r.position,
            quality_work_since: r.quality_work_since,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            username: r.username,
            password: r.password,
        }
    }
}

// ---- the register, accounts and cycles --------------------------------------------------

/// A declaration of interest (A29).
#[derive(Debug, Deserialize, ToSchema)]
pub struct InterestIn {
    /// What ties you to the applicant.
    #[schema(value_type = codes::InterestKind)]
    pub kind: qaward_domain::evaluation::conflict::InterestKind,
    /// The interest in your words.
    pub reason: String,
}

/// An award of a subject, recorded in the register (with its revocation, if any).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AwardIn {
    #[serde(deserialize_with = "lenient::number")]
    pub cycle_ordinal: u32,
    #[serde(deserialize_with = "lenient::number")]
    pub cycle_year: i32,
    #[schema(value_type = codes::AwardLevel)]
    pub level: Level,
    /// YYYY-MM-DD, when the award was revoked.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub revoked_on: Option<NaiveDate>,
    /// The decision or document it is recorded from.
    pub reference: String,
}

/// The Leading Group's approval relaxing the years of operation (A10.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RelaxationIn {
    /// YYYY-MM-DD, the day the Leading Group decided.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub decided_on: NaiveDate,
    /// The minutes or document that records the decision.
    pub reference: String,
}

/// An accident of a subject (A10.4).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccidentIn {
    /// YYYY-MM-DD, the day it happened.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// A major (重大) quality, safety or environmental accident: only these bar.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub major: bool,
    pub description: String,
    /// The document it is recorded from.
    pub reference: String,
}

impl AccidentIn {
    pub fn accident(&self) -> qaward_domain::subject::Accident {
        qaward_domain::subject::Accident {
            date: self.date,
            description: self.description.clone(),
            major: self.major,
        }
    }
}

/// The confirmation of an organization's registration (A10.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmRegistrationIn {
    /// The business licence (or other document) checked: its number, or what it was.
    pub document: String,
}

/// A role with its scope.
#[derive(Debug, Clone, Deserialize, serde::Serialize, ToSchema)]
pub struct GrantIn {
    /// A role of DESIGN.md §1: `office`, `county-reviewer`, …
    pub role: String,
    /// `county:xinfu`, `industry:industry-it`, `opinion-dept:tax`, `cycles:1,2`,
    /// `subject:5`; empty for the program or the installation.
    #[serde(default)]
    pub scope: String,
    /// The number of the program the role holds in, for a role bound to one; left out,
    /// the installation's first program.
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub program: Option<i64>,
}

impl GrantIn {
    /// The grant, read by the domain, the field at fault named.
    pub fn grant(&self) -> Result<qaward_domain::permission::Grant, AppError> {
        qaward_app::accounts::parse_grant(&self.role, &self.scope, self.program)
    }
}

/// A staff account with its grants.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserIn {
    pub username: String,
    pub display_name: String,
    /// At least 10 characters; leave empty for a service account.
    #[serde(default)]
    pub password: String,
    pub email: Option<String>,
    pub grants: Vec<GrantIn>,
    /// A service account: no password login, API tokens only.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub service: bool,
}

impl CreateUserIn {
    /// The grants, each read by the domain, the field at fault named.
    pub fn grants(&self) -> Result<Vec<qaward_domain::permission::Grant>, AppError> {
        self.grants.iter().map(GrantIn::grant).collect()
    }
}

/// An account to deactivate (`false`) or reactivate (`true`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActiveIn {
    #[serde(deserialize_with = "lenient::flag")]
    pub active: bool,
}

/// A new password set by an administrator, handed over out of band.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordIn {
    pub password: String,
}

/// Accounts to find by name: part of the login name or the display name.
#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindUsersIn {
    /// Part of a login name or display name; leave out for every account.
    pub q: Option<String>,
}

/// An API token to issue.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenIn {
    /// What the token is for.
    pub name: String,
    /// Days until it expires (1–3650, default 90).
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub days: Option<i64>,
}

/// A cycle to open (A4.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CycleIn {
    /// 第 N 届.
    #[serde(deserialize_with = "lenient::number")]
    pub ordinal: u32,
    #[serde(deserialize_with = "lenient::number")]
    pub year: i32,
    /// YYYY-MM-DD, each.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub application_opens: NaiveDate,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub application_closes: NaiveDate,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub channel_review_due: NaiveDate,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub formal_review_due: NaiveDate,
}

impl CycleIn {
    pub fn cycle(&self) -> qaward_domain::subject::CycleRef {
        qaward_domain::subject::CycleRef {
            ordinal: self.ordinal,
            year: self.year,
        }
    }

    pub fn timeline(&self) -> qaward_domain::cycle::Timeline {
        qaward_domain::cycle::Timeline {
            application_opens: self.application_opens,
            application_closes: self.application_closes,
            channel_review_due: self.channel_review_due,
            formal_review_due: self.formal_review_due,
        }
    }
}

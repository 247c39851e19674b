//! The inputs of the application's steps: the applicant's draft, attachments, in-unit
//! notice and submission; the channel's review and recommendation; the Office's opinions,
//! formal review and acceptance list.

use qaward_domain::msg;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use qaward_app::AppError;
use qaward_domain::application::Channel;
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::rule::RuleId;
use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;
use crate::codes;

// ---- applications -----------------------------------------------------------------------

/// The draft: sections, declarations and commitments.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftIn {
    /// Rubric category code → text (a form writes `sections[4.1]`).
    #[serde(default)]
    pub sections: BTreeMap<String, String>,
    /// Rule IDs declared met: A10.1–A10.4 for an organization, A11.1–A11.2 for a person.
    #[serde(default, deserialize_with = "lenient::list")]
    #[schema(value_type = Vec<String>)]
    pub declarations: Vec<RuleId>,
    /// A14.3: the materials are complete, true and accurate.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub authenticity: bool,
    /// A16.4: nothing touches national security or state secrets.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub no_state_secrets: bool,
}

/// An attachment's particulars; the file is the request's body (or the form's file).
#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachIn {
    /// The file's name (a form takes it from the file itself).
    pub filename: Option<String>,
    #[schema(value_type = codes::Confidentiality)]
    #[param(value_type = codes::Confidentiality)]
    pub class: Confidentiality,
    #[schema(value_type = codes::AttachmentPurpose)]
    #[param(value_type = codes::AttachmentPurpose)]
    pub purpose: Purpose,
    /// The rubric section, for section material.
    pub section: Option<String>,
}

impl DraftIn {
    /// The draft as the use case takes it.
    pub fn into_input(self) -> qaward_app::applications::draft::DraftInput {
        qaward_app::applications::draft::DraftInput {
            sections: self.sections,
            declarations: self.declarations.into_iter().collect(),
            authenticity: self.authenticity,
            no_state_secrets: self.no_state_secrets,
        }
    }
}

impl AttachIn {
    /// The particulars as the use case takes them; a form names the file by the file.
    pub fn into_input(
        self,
        filename: Option<String>,
    ) -> Result<qaward_app::applications::draft::AttachInput, AppError> {
        Ok(qaward_app::applications::draft::AttachInput {
            filename: filename
                .or(self.filename)
                .ok_or_else(|| AppError::invalid("filename", msg!("field-required")))?,
            class: self.class,
            purpose: self.purpose,
            section: self.section.filter(|s| !s.trim().is_empty()),
        })
    }
}

/// The in-unit notice (A14.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct InUnitNoticeIn {
    /// The first day of the notice, YYYY-MM-DD.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    /// A later last day, if the unit posted it longer than the minimum.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<NaiveDate>,
}

/// An objection received during the in-unit notice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InUnitObjectionIn {
    /// YYYY-MM-DD, within the notice.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub received_on: NaiveDate,
    pub content: String,
}

/// How an in-unit objection was settled.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SettlementIn {
    /// How the unit handled the objection; the channel's reviewer judges it (A15.1).
    pub settlement: String,
}

/// Where to submit (A14.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitIn {
    /// `county:ID` (the market supervision department of the applicant's county-level
    /// unit) or `industry:ID` (a municipal industry department).
    #[schema(value_type = String, example = "county:xinfu")]
    pub channel: Channel,
}

// ---- review -----------------------------------------------------------------------------

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionIn {
    Pass,
    Return,
    Reject,
}

impl DecisionIn {
    /// The decision with its reason (what to fix, or why rejected).
    pub fn with(self, reason: Option<String>) -> qaward_app::review::Decision {
        use qaward_app::review::Decision;
        let reason = reason.unwrap_or_default();
        match self {
            DecisionIn::Pass => Decision::Pass,
            DecisionIn::Return => Decision::Return(reason),
            DecisionIn::Reject => Decision::Reject(reason),
        }
    }
}

/// The channel's review with its checklist (A15.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChannelReviewIn {
    pub decision: DecisionIn,
    /// What to fix (return) or why (reject).
    pub reason: Option<String>,
    #[serde(default)]
    pub completeness: String,
    #[serde(default)]
    pub authenticity: String,
    #[serde(default)]
    pub accuracy: String,
    #[serde(default)]
    pub legality: String,
    /// The reviewer confirms that the in-unit notice ran without objection standing
    /// (公示无异议, A14.1): required to pass.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub in_unit_notice_clear: bool,
    /// A rejection confirmed on its second page (pages ask before rejecting; an API
    /// caller states its decision once).
    #[serde(default, deserialize_with = "lenient::flag")]
    pub confirm: bool,
}

impl ChannelReviewIn {
    /// The channel's checklist: the four qualities of A15.1.
    pub fn checklist(&self) -> qaward_app::review::Checklist {
        qaward_app::review::Checklist {
            completeness: self.completeness.clone(),
            authenticity: self.authenticity.clone(),
            accuracy: self.accuracy.clone(),
            legality: self.legality.clone(),
            in_unit_notice_clear: self.in_unit_notice_clear,
        }
    }
}

/// The county government's or the industry department's refusal to recommend a passed
/// application: back for correction, or rejected, with the reason (A15.2, A15.3).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeclineIn {
    /// `return` or `reject` (to pass it on, recommend it).
    pub decision: DecisionIn,
    pub reason: Option<String>,
    /// A rejection confirmed on its second page, as for [`ChannelReviewIn::confirm`].
    #[serde(default, deserialize_with = "lenient::flag")]
    pub confirm: bool,
}

/// Applications chosen together: a recommendation (A15.2, A15.3).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecommendIn {
    #[serde(deserialize_with = "lenient::list")]
    pub applications: Vec<i64>,
}

// ---- acceptance -------------------------------------------------------------------------

/// Departments asked for their written opinions (A16.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpinionRequestsIn {
    /// Opinion department ids of the policy (`public-security`, `tax`, …).
    #[serde(default, deserialize_with = "lenient::list")]
    pub departments: Vec<String>,
    /// YYYY-MM-DD.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
}

/// A department's answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpinionAnswerIn {
    /// An adverse finding (with reasons and evidence in `answer`), or no objection. The
    /// page's choice starts unselected: a missing choice is refused, naming the field.
    #[serde(deserialize_with = "lenient::flag")]
    pub adverse: bool,
    #[serde(default)]
    pub answer: String,
    /// The page's second step: an adverse finding is confirmed on a page of its own
    /// before it is sent. The API's caller states `adverse` itself and may leave it out.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub confirm: bool,
}

/// The Office's formal review (A16.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FormalReviewIn {
    pub decision: DecisionIn,
    pub reason: Option<String>,
    #[serde(default)]
    pub basic_conditions: String,
    #[serde(default)]
    pub completeness: String,
    /// A rejection confirmed on its second page, as for [`ChannelReviewIn::confirm`].
    #[serde(default, deserialize_with = "lenient::flag")]
    pub confirm: bool,
}

impl FormalReviewIn {
    /// The Office's checklist: the basic conditions and completeness (A16.1).
    pub fn checklist(&self) -> qaward_app::review::Checklist {
        qaward_app::review::Checklist {
            completeness: self.completeness.clone(),
            legality: self.basic_conditions.clone(),
            ..Default::default()
        }
    }
}

/// The acceptance list to publish (A16.3).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptanceListIn {
    #[serde(deserialize_with = "lenient::list")]
    pub applications: Vec<i64>,
    /// The notice's first day, YYYY-MM-DD, today or later.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    /// A later last day than the minimum, if the Office chooses one.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<NaiveDate>,
    /// Whom to contact about objections.
    pub contact: String,
}

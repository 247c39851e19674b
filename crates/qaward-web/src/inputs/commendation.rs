//! The commendation's inputs (issue #11): the candidate list, background opinions, the
//! notices, the deliberation, the joint report and the decision, as the API reads them
//! (the pages, when they come, read into the same structs).

use chrono::NaiveDate;
use qaward_domain::commendation::Choice;
use qaward_domain::ids::ApplicationId;
use qaward_domain::policy::Level;
use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;
use crate::codes;

/// The Office's choice for one evaluated application.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChoiceIn {
    pub application: i64,
    /// The level proposed; leave out (or `null`) to leave it off the list.
    #[serde(default)]
    #[schema(value_type = Option<codes::AwardLevel>)]
    pub level: Option<Level>,
    /// Why, where the choice stands against the score (A18.1).
    #[serde(default)]
    pub reason: String,
}

/// The candidate list: every evaluated application once, each level's list in order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CandidatesIn {
    pub choices: Vec<ChoiceIn>,
}

impl CandidatesIn {
    pub fn choices(&self) -> Vec<Choice> {
        self.choices
            .iter()
            .map(|c| Choice {
                id: ApplicationId(c.application),
                level: c.level,
                reason: c.reason.clone(),
            })
            .collect()
    }
}

/// One outcome of a deliberation or a decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeIn {
    pub application: i64,
    /// The level; leave out (or `null`) for none.
    #[serde(default)]
    #[schema(value_type = Option<codes::AwardLevel>)]
    pub level: Option<Level>,
}

fn outcomes(list: &[OutcomeIn]) -> Vec<(ApplicationId, Option<Level>)> {
    list.iter()
        .map(|o| (ApplicationId(o.application), o.level))
        .collect()
}

/// The Leading Group's deliberation (A19.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeliberationIn {
    #[serde(default)]
    pub outcomes: Vec<OutcomeIn>,
    /// The meeting's reference: its minutes' number or date.
    pub meeting: String,
}

impl DeliberationIn {
    pub fn outcomes(&self) -> Vec<(ApplicationId, Option<Level>)> {
        outcomes(&self.outcomes)
    }
}

/// The Government's decision (A20.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommendationDecisionIn {
    #[serde(default)]
    pub outcomes: Vec<OutcomeIn>,
    /// The commendation decision's number (文号).
    pub number: String,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub dated: NaiveDate,
}

impl CommendationDecisionIn {
    pub fn outcomes(&self) -> Vec<(ApplicationId, Option<Level>)> {
        outcomes(&self.outcomes)
    }
}

/// A notice of the candidates (A18.3) or of the proposed winners (A19.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommendationNoticeIn {
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<NaiveDate>,
    pub contact: String,
}

/// The joint report's document (A20.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct JointReportIn {
    pub number: String,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub dated: NaiveDate,
}

/// Background opinions asked on a candidate (A18.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BackgroundIn {
    #[serde(deserialize_with = "lenient::words")]
    #[schema(value_type = Vec<String>)]
    pub departments: Vec<String>,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
}

/// An award's plaque and certificate handed over (A21.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct HandoverIn {
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub handed_on: NaiveDate,
    /// Who received them, and where.
    #[serde(default)]
    pub note: String,
}

/// An award's prize paid (A21.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct PaymentIn {
    /// In whole yuan: the policy's amount for the level and the kind of recipient.
    #[serde(deserialize_with = "lenient::number")]
    pub amount_yuan: u64,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub paid_on: NaiveDate,
    /// The payment voucher's number (凭证号).
    pub voucher: String,
}

/// The signed decision's file name, when the file comes as the request's body (the API; a
/// form takes it from the file itself).
#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignedIn {
    pub filename: String,
}

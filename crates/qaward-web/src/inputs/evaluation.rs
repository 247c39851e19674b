//! The evaluation's inputs (issue #10): the expert pool, exclusion requests, the plan,
//! panels and draws, score sheets, consensus, visits and sessions, observations.

use std::collections::BTreeMap;

use qaward_app::AppError;
use qaward_domain::application::Stage;
use qaward_domain::evaluation::stage::ItemScore;
use qaward_domain::ids::{ApplicationId, UserId};
use qaward_domain::msg;
use qaward_domain::scoring::{Aggregation, Percent, Plan};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::lenient;
use crate::codes;

/// An expert's entry in the pool; the account (with the expert role) exists already.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExpertIn {
    /// The expert's login name.
    pub username: String,
    pub name: String,
    pub employer: String,
    /// The employer's unified social credit code, if known.
    #[serde(default)]
    pub employer_code: Option<String>,
    pub title: String,
    /// The fields (专业领域): a list, or one text separated by 、 , ; or spaces.
    #[serde(deserialize_with = "lenient::words")]
    #[schema(value_type = Vec<String>)]
    pub fields: Vec<String>,
    pub region: String,
    pub contact: String,
    /// Available for panels; an unticked box is no.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub available: bool,
}

impl ExpertIn {
    pub fn input(self) -> qaward_app::evaluation::pool::ExpertInput {
        qaward_app::evaluation::pool::ExpertInput {
            name: self.name,
            employer: self.employer,
            employer_code: self.employer_code,
            title: self.title,
            fields: self.fields,
            region: self.region,
            contact: self.contact,
            available: self.available,
        }
    }
}

/// An applicant's request that an expert be kept off its evaluation (A29).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExclusionIn {
    pub expert_name: String,
    #[serde(default)]
    pub expert_employer: Option<String>,
    pub reason: String,
}

/// The Office's decision on an exclusion request: the pool's expert when upheld.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExclusionDecisionIn {
    #[serde(default, deserialize_with = "lenient::flag")]
    pub upheld: bool,
    /// The pool's expert the request names (account id), when upheld.
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub expert: Option<i64>,
    pub reason: String,
}

impl ExclusionDecisionIn {
    /// The expert to recuse, or none for a dismissal; upheld without an expert is an error
    /// naming the field.
    pub fn expert(&self) -> Result<Option<UserId>, AppError> {
        match (self.upheld, self.expert) {
            (true, Some(e)) => Ok(Some(UserId(e))),
            (true, None) => Err(AppError::invalid("expert", msg!("field-required"))),
            (false, _) => Ok(None),
        }
    }
}

/// The evaluation plan (A17.1, A4.4); `reason` is needed once scoring has opened.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanIn {
    /// The stages' weights in percent, adding up to 100.
    #[serde(deserialize_with = "lenient::number")]
    pub weight_material: u32,
    #[serde(deserialize_with = "lenient::number")]
    pub weight_on_site: u32,
    #[serde(deserialize_with = "lenient::number")]
    pub weight_defense: u32,
    #[schema(value_type = codes::Aggregation)]
    pub aggregation: Aggregation,
    /// The spread in points of 100 above which an item is flagged for consensus.
    #[serde(deserialize_with = "lenient::number")]
    pub spread: u32,
    /// The minimum final score for the Award.
    #[serde(deserialize_with = "lenient::number")]
    #[schema(value_type = String)]
    pub threshold: Decimal,
    /// The minimum final score for the Nomination Award.
    #[serde(deserialize_with = "lenient::number")]
    #[schema(value_type = String)]
    pub nomination_threshold: Decimal,
    #[serde(deserialize_with = "lenient::number")]
    pub panel_size: u32,
    #[serde(default)]
    pub reason: Option<String>,
}

impl PlanIn {
    pub fn plan(&self) -> Result<Plan, AppError> {
        Ok(Plan {
            weights: [
                (Stage::Material, self.weight_material),
                (Stage::OnSite, self.weight_on_site),
                (Stage::Defense, self.weight_defense),
            ]
            .into(),
            aggregation: self.aggregation,
            spread: Percent::new(self.spread)?,
            threshold: self.threshold,
            nomination_threshold: self.nomination_threshold,
            panel_size: self.panel_size,
        })
    }
}

/// A new panel for a field.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PanelIn {
    pub name: String,
    pub field: String,
}

/// Applications to put on a panel.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignIn {
    #[serde(deserialize_with = "lenient::list")]
    pub applications: Vec<i64>,
}

impl AssignIn {
    pub fn ids(&self) -> Vec<ApplicationId> {
        self.applications
            .iter()
            .copied()
            .map(ApplicationId)
            .collect()
    }
}

/// A member of a panel: to lead it, or to leave it with the reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberIn {
    #[serde(deserialize_with = "lenient::number")]
    pub expert: i64,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A draw to commit: the panel's first, or the replacement of a member who left.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DrawIn {
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub replaces: Option<i64>,
}

/// The supervision group's value for a committed draw.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContributionIn {
    pub value: String,
}

/// One item of a score sheet: the percentage (0–100 in steps of 5) and the finding.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemIn {
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub percent: Option<u32>,
    #[serde(default)]
    pub finding: Option<String>,
}

/// A score sheet: the items scored so far; `submit` seals it (A26).
#[derive(Debug, Deserialize, ToSchema)]
pub struct SheetIn {
    #[serde(default)]
    pub items: BTreeMap<String, ItemIn>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub submit: bool,
    /// Why a submitted sheet changes (A26); a change without one is refused.
    #[serde(default)]
    pub reason: Option<String>,
}

impl SheetIn {
    /// The items with a percentage, each checked to be 0–100 in steps of 5 (A13); a
    /// finding without a percentage names its field.
    pub fn items(&self) -> Result<BTreeMap<String, ItemScore>, AppError> {
        let mut out = BTreeMap::new();
        for (code, item) in &self.items {
            let finding = item.finding.clone().unwrap_or_default();
            match item.percent {
                Some(p) => {
                    out.insert(
                        code.clone(),
                        ItemScore {
                            percent: Percent::new(p)?,
                            finding,
                        },
                    );
                }
                None if !finding.trim().is_empty() => {
                    return Err(AppError::invalid(
                        &format!("items.{code}.percent"),
                        msg!("field-required"),
                    ));
                }
                None => {}
            }
        }
        Ok(out)
    }
}

/// A consensus score of a flagged item, with the reasoning.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsensusIn {
    pub item: String,
    #[serde(deserialize_with = "lenient::number")]
    pub percent: u32,
    pub reasoning: String,
}

/// An on-site visit or presentation session: when, where, who.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SessionIn {
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub on_date: chrono::NaiveDate,
    pub place: String,
    /// The experts attending (account ids), from the application's panel.
    #[serde(deserialize_with = "lenient::list")]
    pub team: Vec<i64>,
}

/// An observation of the supervision group, on a stage or on the whole.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObservationIn {
    #[serde(default)]
    #[schema(value_type = Option<codes::EvaluationStage>)]
    pub stage: Option<Stage>,
    pub body: String,
}

/// The Office's answer to an observation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerIn {
    pub answer: String,
}

/// Applications to complete the evaluation of.
#[derive(Debug, Deserialize, ToSchema, IntoParams)]
pub struct CompleteIn {
    #[serde(deserialize_with = "lenient::list")]
    pub applications: Vec<i64>,
}

/// An agency entrusted with the cycle's evaluation work, by a document (A9.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct EntrustIn {
    /// The agency's staff account (login name).
    pub agency: String,
    /// The entrusting document: its reference number (文号) and title.
    pub document: String,
}

/// The record of a visit or session: who attended for the applicant, the questions.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MinutesIn {
    pub attendance: String,
    #[serde(default)]
    pub questions: Option<String>,
}

/// A record of a visit or session to attach: its file name (the page takes the uploaded
/// file's; the API sends it in the query, the file as the raw body).
#[derive(Debug, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordIn {
    #[serde(default)]
    pub filename: Option<String>,
}

/// The day an open stage's sheets are due.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DueIn {
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub due: chrono::NaiveDate,
}

//! The inputs of winners' obligations (A22, A25): the Office sets one, the winner reports,
//! the Office reviews. A page's report form writes its lines as `lines[0][category]`,
//! `lines[0][yuan]`, `lines[0][purpose]`, one row per category of A22; a row left blank is
//! no line.

use chrono::NaiveDate;
use qaward_domain::obligation::{Kind, Report, UseCategory, UseLine};
use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;
use crate::codes;

/// An obligation the Office sets on an award that stands.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObligationIn {
    /// The awarded application.
    #[serde(deserialize_with = "lenient::number")]
    pub application: i64,
    #[schema(value_type = codes::ObligationKind)]
    pub kind: Kind,
    /// Today or later.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub due_on: NaiveDate,
    /// What the winner is to report, in the Office's words.
    pub request: String,
}

/// One use of the prize (A22).
#[derive(Debug, Deserialize, ToSchema)]
pub struct UseLineIn {
    #[schema(value_type = codes::PrizeUseCategory)]
    pub category: UseCategory,
    /// Yuan spent.
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub yuan: Option<u64>,
    /// What it paid for.
    pub purpose: Option<String>,
}

/// A winner's report: the uses of the prize with their vouchers (A22), or the promotion's
/// activities (A25).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObligationReportIn {
    /// The obligation's kind, which the page's form sends; the API may leave it out, a
    /// report with `activities` being a promotion report.
    #[schema(value_type = Option<codes::ObligationKind>)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub lines: Vec<UseLineIn>,
    pub vouchers: Option<String>,
    pub activities: Option<String>,
}

impl ObligationReportIn {
    /// The report it makes; blank rows are no lines.
    pub fn report(self) -> Report {
        let promotion = self.kind == Some(Kind::Promotion)
            || (self.kind.is_none() && self.activities.is_some());
        if promotion {
            return Report::Promotion {
                activities: self.activities.unwrap_or_default(),
            };
        }
        Report::PrizeUse {
            lines: self
                .lines
                .into_iter()
                .filter(|l| l.yuan.is_some() || l.purpose.is_some())
                .map(|l| UseLine {
                    category: l.category,
                    yuan: l.yuan.unwrap_or(0),
                    purpose: l.purpose.unwrap_or_default(),
                })
                .collect(),
            vouchers: self.vouchers.unwrap_or_default(),
        }
    }
}

/// The Office's verdict on a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ObligationVerdict {
    Accept,
    Return,
}

/// The Office's review of a report: accepted, or returned with what to mend.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObligationReviewIn {
    pub decision: ObligationVerdict,
    /// Required for a return.
    pub note: Option<String>,
}

//! The inputs of complaints and reports (A27) — the public form and the supervision
//! group's steps — and of revocation (A28).

use qaward_domain::complaint::{Outcome, Topic};
use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;
use crate::codes;

/// A complaint to the supervision group (anyone). Leave out the name and the contact to
/// complain anonymously.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ComplaintIn {
    #[schema(value_type = codes::ComplaintTopic)]
    pub topic: Topic,
    /// Whom or what it concerns: a name, a certificate number, a step of the evaluation.
    pub about: String,
    pub content: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    /// The code of the program whose award it concerns; left out, the installation's
    /// first.
    #[serde(default)]
    pub program: Option<String>,
}

impl From<ComplaintIn> for qaward_app::complaints::NewComplaint {
    fn from(r: ComplaintIn) -> Self {
        Self {
            topic: Some(r.topic),
            about: r.about,
            content: r.content,
            name: r.name,
            contact: r.contact,
            program: r.program,
        }
    }
}

/// Taking a complaint up: the member assigned, and the subject it concerns if known.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterComplaintIn {
    #[serde(deserialize_with = "lenient::number")]
    pub assignee: i64,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub subject: Option<i64>,
}

/// Reassigning a registered complaint, or naming the subject it concerns.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignComplaintIn {
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub assignee: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub subject: Option<i64>,
}

/// A text the step records: the reason of a refusal, a note, the answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ComplaintTextIn {
    pub text: String,
}

/// The conclusion of an investigation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConcludeComplaintIn {
    /// `unfounded` or `founded` (`declined` is the decline step's).
    #[schema(value_type = codes::ComplaintOutcome)]
    pub outcome: Outcome,
    pub findings: String,
}

// ---- revocation (A28) ------------------------------------------------------------------

/// The Office's request to revoke an award (A28.1). The page's form names the award; the
/// API takes it from the path.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevocationRequestIn {
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub application: Option<i64>,
    #[schema(value_type = codes::RevocationCause)]
    pub cause: qaward_domain::application::RevocationCause,
    /// The verified finding.
    pub finding: String,
    /// What proves it.
    pub evidence: String,
    /// A founded complaint about this winner it rests on.
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub complaint: Option<i64>,
    /// For cause (3): the overdue obligation of this award it rests on (A22, A25).
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub obligation: Option<i64>,
}

impl From<RevocationRequestIn> for qaward_app::revocation::RequestIn {
    fn from(r: RevocationRequestIn) -> Self {
        Self {
            cause: r.cause,
            finding: r.finding,
            evidence: r.evidence,
            complaint: r.complaint,
            obligation: r.obligation,
        }
    }
}

/// The Government's decision on a request: revoke it (with the decision's number and
/// date) or not (with the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationVerdict {
    Revoke,
    Refuse,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RevocationDecisionIn {
    pub decision: RevocationVerdict,
    /// The decision's document number (revoke).
    pub number: Option<String>,
    /// The decision's date (revoke).
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub dated: Option<chrono::NaiveDate>,
    /// Why not (refuse).
    pub reason: Option<String>,
}

impl TryFrom<RevocationDecisionIn> for qaward_app::revocation::DecisionIn {
    type Error = qaward_app::AppError;

    fn try_from(r: RevocationDecisionIn) -> Result<Self, Self::Error> {
        let missing = |f: &str| {
            qaward_app::AppError::invalid(f, qaward_domain::msg!("revocation-field-required"))
        };
        Ok(match r.decision {
            RevocationVerdict::Revoke => Self::Revoke {
                number: r.number.ok_or_else(|| missing("number"))?,
                dated: r.dated.ok_or_else(|| missing("dated"))?,
            },
            RevocationVerdict::Refuse => Self::Refuse {
                reason: r.reason.ok_or_else(|| missing("reason"))?,
            },
        })
    }
}

/// The plaque and the certificate of a revoked award taken back (A28.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevocationReturnIn {
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub returned_on: chrono::NaiveDate,
    /// Who returned them, and how.
    pub note: String,
}

/// Prize money of a revoked award recovered (A28.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecoveryIn {
    #[serde(deserialize_with = "lenient::number")]
    pub amount_yuan: u64,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub recovered_on: chrono::NaiveDate,
    /// The voucher's number (凭证号).
    pub voucher: String,
}

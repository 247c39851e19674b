//! The inputs of complaints and reports (A27): the public form, and the supervision
//! group's steps.

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
}

impl From<ComplaintIn> for qaward_app::complaints::NewComplaint {
    fn from(r: ComplaintIn) -> Self {
        Self {
            topic: Some(r.topic),
            about: r.about,
            content: r.content,
            name: r.name,
            contact: r.contact,
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

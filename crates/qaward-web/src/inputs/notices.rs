//! The inputs of public notices and objections.

use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;

// ---- notices and objections -------------------------------------------------------------

/// An objection to an entry of a notice (anyone).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObjectionIn {
    /// The entry objected to.
    #[serde(deserialize_with = "lenient::number")]
    pub application: i64,
    /// Leave out to object anonymously.
    pub name: Option<String>,
    pub contact: Option<String>,
    pub content: String,
    pub evidence: Option<String>,
}

impl From<ObjectionIn> for qaward_app::objections::NewObjection {
    fn from(r: ObjectionIn) -> Self {
        Self {
            application: qaward_domain::ids::ApplicationId(r.application),
            name: r.name,
            contact: r.contact,
            content: r.content,
            evidence: r.evidence,
        }
    }
}

/// An objection's follow-up code.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FollowUpIn {
    pub code: String,
}

/// How the Leading Group handles an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HandlingIn {
    /// The objection does not hold.
    Dismiss,
    /// It holds: the application goes back for correction.
    Return,
    /// It holds: the application is rejected.
    Reject,
}

/// The Leading Group's handling, with its reason (A6).
#[derive(Debug, Deserialize, ToSchema)]
pub struct HandleObjectionIn {
    /// The page's choice starts unselected: a missing choice is refused, naming the field.
    pub decision: HandlingIn,
    pub reason: String,
    /// The page's second step: an upheld objection is confirmed on a page of its own
    /// before it is sent. The API's caller states `decision` itself and may leave it out.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub confirm: bool,
}

impl HandlingIn {
    pub fn consequence(self) -> Option<qaward_app::objections::Consequence> {
        use qaward_app::objections::Consequence;
        match self {
            HandlingIn::Dismiss => None,
            HandlingIn::Return => Some(Consequence::Return),
            HandlingIn::Reject => Some(Consequence::Reject),
        }
    }
}

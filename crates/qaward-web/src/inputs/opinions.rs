//! The inputs of the Office's handling of written opinions (A16.2): an answer received on
//! paper, recorded with its scan, and the decision to proceed without an overdue answer.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::lenient;

/// An answer a department sent on paper. The page sends these fields before the scan in
/// one multipart form; the API sends them in the query and the scan as the raw body.
#[derive(Debug, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaperAnswerIn {
    /// The letter states an adverse finding (its reasons in `answer`), or no objection.
    #[serde(deserialize_with = "lenient::flag")]
    pub adverse: bool,
    /// The letter's finding as it states it.
    #[serde(default)]
    pub answer: String,
    /// The scan's file name (the page takes the uploaded file's).
    pub filename: Option<String>,
    /// The page's second step for an adverse finding; the API may leave it out.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub confirm: bool,
}

impl PaperAnswerIn {
    pub fn into_input(self, filename: Option<String>) -> qaward_app::opinions::PaperInput {
        qaward_app::opinions::PaperInput {
            adverse: self.adverse,
            answer: self.answer,
            filename: filename.or(self.filename).unwrap_or_default(),
        }
    }
}

/// The Office proceeds without an answer past its due date, giving its reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProceedIn {
    /// Why the Office does not wait longer (required).
    #[serde(default)]
    pub reason: String,
}

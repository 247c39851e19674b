//! The inputs of loading a successor version of the measures (A33, A34): the file's text
//! to preview, and with it the issuing document to adopt it.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::lenient;

/// A policy file to preview.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PolicySourceIn {
    /// The policy file's text (TOML), as `policy/xinzhou-2021.toml` is written.
    pub source: String,
}

/// A policy file to adopt, with the document that issued it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PolicyAdoptIn {
    /// The policy file's text (TOML).
    pub source: String,
    /// The issuing document's number (文号), e.g. 忻政办发〔2027〕1号.
    pub document_number: String,
    /// The day the document was issued; not in the future.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub document_date: NaiveDate,
}

impl PolicyAdoptIn {
    /// The issuing document as the use case takes it.
    pub fn document(&self) -> qaward_app::policies::Document {
        qaward_app::policies::Document {
            number: self.document_number.clone(),
            date: self.document_date,
        }
    }
}

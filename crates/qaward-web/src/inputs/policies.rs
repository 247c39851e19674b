//! The inputs of loading a successor version of the measures (A33, A34) and a year of the
//! working-day calendar: the file's text to preview, and with it the issuing document to
//! adopt it.

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

/// A program to add (issue #13, item 4): its code and its measures with their document.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgramAddIn {
    /// Lower-case letters, digits and hyphens (2–32), beginning with a letter.
    pub code: String,
    /// The policy file of its measures (TOML).
    pub source: String,
    /// The issuing document's number (文号).
    pub document_number: String,
    /// The day the document was issued; not in the future.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub document_date: NaiveDate,
}

impl ProgramAddIn {
    /// The program as the use case takes it.
    pub fn program(&self) -> qaward_app::programs::NewProgram {
        qaward_app::programs::NewProgram {
            code: self.code.clone(),
            source: self.source.clone(),
            document: qaward_app::policies::Document {
                number: self.document_number.clone(),
                date: self.document_date,
            },
        }
    }
}

/// A year of the working-day calendar to preview (issue #13).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CalendarYearIn {
    /// The year's data file (TOML, one `[[year]]`, as `calendar/cn-working-days.toml` is
    /// written).
    pub text: String,
    /// Replace the year the calendar holds (a correction); a year held is never replaced
    /// without it.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub replace: bool,
}

/// A year of the working-day calendar to load, with the State Council notice's number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CalendarLoadIn {
    /// The year's data file (TOML).
    pub text: String,
    /// The State Council notice's number (文号), e.g. 国办发明电〔2026〕7号.
    pub document_number: String,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub replace: bool,
}

impl CalendarLoadIn {
    /// The load as the use case takes it.
    pub fn load(&self) -> qaward_app::calendars::LoadYear<'_> {
        qaward_app::calendars::LoadYear {
            text: &self.text,
            document_number: &self.document_number,
            replace: self.replace,
        }
    }
}

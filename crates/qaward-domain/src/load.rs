//! Reading the domain's data files (policy, calendar, rubrics) with errors that name the
//! file, the field and what is wrong.
//!
//! The parsing itself is pure: callers hand in the text and a name for it ("origin",
//! usually the path), so that the domain stays free of I/O.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

/// A data file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Not TOML at all.
    #[error("{origin}: not valid TOML: {message}")]
    Syntax { origin: String, message: String },
    /// A field that is missing, of the wrong type, or unknown.
    #[error("{origin}: field `{field}`: {problem}")]
    Field {
        origin: String,
        field: String,
        problem: String,
    },
    /// Every field is there, but a value breaks a rule of the file.
    #[error("{origin}: field `{field}`: {problem}")]
    Invalid {
        origin: String,
        field: String,
        problem: String,
    },
}

/// Parses `text` into `T`, reporting the dotted path of a bad field.
pub fn parse_toml<T: DeserializeOwned>(origin: &str, text: &str) -> Result<T, LoadError> {
    let de = toml::Deserializer::parse(text).map_err(|e| LoadError::Syntax {
        origin: origin.to_owned(),
        message: one_line(&e.to_string()),
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        LoadError::Field {
            origin: origin.to_owned(),
            field: if field == "." {
                "(top level)".to_owned()
            } else {
                field
            },
            problem: one_line(&e.into_inner().to_string()),
        }
    })
}

/// toml's messages quote the offending line over several lines; a one-line message is
/// what a command line and a log need. The line and column stay in the text.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !is_quoted_source(l) && !l.chars().all(|c| c == '^' || c == ' ')
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// toml quotes the file as `  |`, `3 | text` and `  ^^^` lines.
fn is_quoted_source(line: &str) -> bool {
    let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
    digits.trim_start().starts_with('|')
}

/// A TOML local date (`2021-11-30`), refusing times and offsets: the measures count days.
pub fn date(value: &toml::value::Datetime) -> Result<NaiveDate, String> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| format!("{value} is not a calendar date"))
        }
        _ => Err(format!("expected a date such as 2021-11-30, got {value}")),
    }
}

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

/// Why a data file was refused: its shape (not TOML, a field missing or of the wrong
/// type), or one of its values, at `field`, with a problem `P` the reader is told in their
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused<P> {
    File(LoadError),
    Value { field: String, problem: P },
}

impl<P: std::fmt::Display> Refused<P> {
    /// The refusal as a [`LoadError`], its problem in English (the console's).
    pub fn into_load_error(self, origin: &str) -> LoadError {
        match self {
            Refused::File(e) => e,
            Refused::Value { field, problem } => LoadError::Invalid {
                origin: origin.to_owned(),
                field,
                problem: problem.to_string(),
            },
        }
    }
}

impl<P> From<LoadError> for Refused<P> {
    fn from(e: LoadError) -> Self {
        Refused::File(e)
    }
}

impl LoadError {
    /// What the reader is told, from the catalog: where (the line and column, or the
    /// field) and what kind of mistake, with the parser's own words as the detail.
    pub fn message(&self) -> crate::message::Message {
        use crate::msg;
        match self {
            LoadError::Syntax { message, .. } => {
                msg!("data-syntax", at = at(message), detail = detail(message))
            }
            LoadError::Field { field, problem, .. } => {
                let quoted = |after: &str| {
                    problem
                        .split_once(after)
                        .and_then(|(_, rest)| rest.split('`').next())
                        .map(str::to_owned)
                };
                if let Some(name) = quoted("unknown field `") {
                    msg!("data-unknown-field", at = at(problem), name = name)
                } else if let Some(name) = quoted("missing field `") {
                    msg!("data-missing-field", name = name, field = field.as_str())
                } else if problem.contains("invalid type") || problem.contains("invalid value") {
                    msg!(
                        "data-wrong-type",
                        at = at(problem),
                        field = field.as_str(),
                        detail = detail(problem)
                    )
                } else {
                    msg!(
                        "data-field",
                        field = field.as_str(),
                        detail = detail(problem)
                    )
                }
            }
            LoadError::Invalid { field, problem, .. } => {
                msg!(
                    "data-invalid",
                    field = field.as_str(),
                    detail = problem.as_str()
                )
            }
        }
    }
}

/// Where toml says the mistake is: "line 2, column 9", as the reader writes it.
fn at(message: &str) -> crate::message::Message {
    let number_after = |word: &str| {
        message
            .split_once(word)
            .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<i64>().ok())
    };
    match (number_after("line "), number_after("column ")) {
        (Some(line), Some(column)) => {
            crate::msg!("data-at-line", line = line, column = column)
        }
        _ => crate::msg!("data-at-file"),
    }
}

/// The parser's words without the position, which [`at`] says.
fn detail(message: &str) -> String {
    match message.split_once("; ") {
        Some((head, rest)) if head.contains("parse error") => rest.to_owned(),
        _ => message.to_owned(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Arg;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shape {
        id: String,
        year: u32,
    }

    fn key_and_at(text: &str) -> (&'static str, Option<Arg>) {
        let m = parse_toml::<Shape>("t.toml", text).unwrap_err().message();
        (m.key, m.get("at").cloned())
    }

    #[test]
    fn a_bad_file_is_told_by_kind_and_place() {
        let line = |l: i64, c: i64| {
            Some(Arg::Nested(Box::new(crate::msg!(
                "data-at-line",
                line = l,
                column = c
            ))))
        };
        assert_eq!(
            key_and_at("id = \"x\"\nyear = \n"),
            ("data-syntax", line(2, 8))
        );
        assert_eq!(
            key_and_at("id = \"x\"\nyear = 1\nbogus = 1\n"),
            ("data-unknown-field", line(3, 1))
        );
        assert_eq!(key_and_at("id = 5\nyear = 1\n").0, "data-wrong-type");
        let m = parse_toml::<Shape>("t.toml", "id = \"x\"\n")
            .unwrap_err()
            .message();
        assert_eq!(
            (m.key, m.get("name")),
            ("data-missing-field", Some(&Arg::Text("year".into())))
        );
    }
}

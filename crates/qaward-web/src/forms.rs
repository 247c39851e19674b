//! Reading form fields and JSON strings: one place for the parsing every handler does,
//! so that a malformed date or id gets the same clear message everywhere.

use chrono::NaiveDate;
use qaward_app::AppError;

/// A form as its fields, in order, repeated names kept.
pub type Fields = Vec<(String, String)>;

/// The first value of a field, or "".
pub fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// A date of the form YYYY-MM-DD, naming the field when it is not one.
pub fn date(name: &str, v: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| v.trim().len() == 10)
        .ok_or_else(|| {
            AppError::invalid(name, format!("`{v}` is not a date of the form YYYY-MM-DD"))
        })
}

/// A whole number, naming the field when it is not one.
pub fn number(name: &str, v: &str) -> Result<i64, AppError> {
    v.trim()
        .parse()
        .map_err(|_| AppError::invalid(name, format!("`{v}` is not a number")))
}

//! How much anyone may type into each kind of field (issue #8 item 20). Every text a use
//! case stores passes one of these checks: trimmed, free of U+0000 (which PostgreSQL cannot
//! store), and no longer than its kind allows — refused with a message naming the field,
//! never cut short in silence. The web layer refuses any single value longer than the
//! longest kind ([`SECTION`]) before a use case sees it.

use crate::AppError;
use qaward_domain::msg;

/// Names, phone numbers, e-mail addresses, document references, contacts.
pub const NAME: usize = 200;
/// Reasons, remarks, settlements, descriptions, checklists' notes.
pub const REASON: usize = 2_000;
/// Objections, opinions and other free statements.
pub const STATEMENT: usize = 10_000;
/// A section of the application (the longest text anyone writes).
pub const SECTION: usize = 50_000;

/// `v` trimmed, if it holds no NUL and at most `max` characters.
pub fn bounded<'a>(field: &str, v: &'a str, max: usize) -> Result<&'a str, AppError> {
    let v = v.trim();
    crate::error::no_nul(field, v)?;
    if v.chars().count() > max {
        return Err(AppError::invalid(field, msg!("field-too-long", max = max)));
    }
    Ok(v)
}

/// [`bounded`], and not empty.
pub fn required<'a>(field: &str, v: &'a str, max: usize) -> Result<&'a str, AppError> {
    let v = bounded(field, v, max)?;
    if v.is_empty() {
        return Err(AppError::invalid(field, msg!("field-required")));
    }
    Ok(v)
}

/// [`bounded`] for an optional field: blank is none.
pub fn optional(field: &str, v: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match v {
        None => Ok(None),
        Some(v) => {
            let v = bounded(field, v, max)?;
            Ok((!v.is_empty()).then(|| v.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_free_of_nul() {
        assert_eq!(bounded("name", "  忻州  ", NAME).unwrap(), "忻州");
        assert!(bounded("name", &"长".repeat(NAME + 1), NAME).is_err());
        assert!(bounded("name", &"长".repeat(NAME), NAME).is_ok());
        assert!(bounded("name", "a\0b", NAME).is_err());
        assert!(required("name", "   ", NAME).is_err());
        assert_eq!(optional("contact", Some("  "), NAME).unwrap(), None);
    }
}

//! The use cases' error type: what went wrong in terms a person can act on. The web layer
//! maps each variant to an HTTP status and renders it as a page or as JSON.

use qaward_domain::permission::Denial;
use qaward_domain::rule::Refusal;
use qaward_store::StoreError;
use qaward_store::blobs::BlobError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A field of the input is missing or malformed.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("log in first")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(Denial),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A rule of the measures refused the action.
    #[error("{0}")]
    Refused(Refusal),
    /// A throttle refused: too many failed logins, or registrations, from here or for this
    /// account.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    /// The account's uploads would pass its quota.
    #[error(
        "this account has uploaded {used} of the {quota} bytes it may upload in all, and the file does not fit"
    )]
    OverQuota { quota: u64, used: u64 },
    /// The sender stopped sending the request's body.
    #[error("the upload stalled: nothing arrived for too long")]
    TimedOut,
    /// Something on our side; the message is logged, not shown.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The refusal of a text with U+0000 in it, naming the field.
pub const NUL_MESSAGE: &str = "the text contains a NUL character (U+0000), which cannot be stored";

/// Refuses text with U+0000: PostgreSQL cannot store it in a text column (SQLite could,
/// and the two backends must answer alike). The web layer refuses it in every input
/// already; the use cases that take text from the public check again.
pub fn no_nul(field: &str, v: &str) -> Result<(), AppError> {
    if v.contains('\0') {
        Err(AppError::invalid(field, NUL_MESSAGE))
    } else {
        Ok(())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => AppError::NotFound(m),
            StoreError::Conflict(m) => AppError::Conflict(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<BlobError> for AppError {
    fn from(e: BlobError) -> Self {
        match e {
            BlobError::TooLarge { limit } => AppError::TooLarge { limit },
            BlobError::Upload(m) => {
                AppError::invalid("file", format!("the upload was interrupted: {m}"))
            }
            BlobError::TimedOut => AppError::TimedOut,
            BlobError::NotFound(h) => AppError::NotFound(format!("file {h}")),
            BlobError::Refused(m) => AppError::invalid("file", m),
            BlobError::Io(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

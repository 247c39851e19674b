//! The use cases' error type: what went wrong in terms a person can act on. The web layer
//! maps each variant to an HTTP status and renders it as a page or as JSON.

use qaward_domain::message::Message;
use qaward_domain::msg;
use qaward_domain::permission::Denial;
use qaward_domain::rule::Refusal;
use qaward_domain::text::Lang;
use qaward_store::StoreError;
use qaward_store::blobs::BlobError;

/// What went wrong. Every variant says it as a [`Message`] (see [`AppError::message`]),
/// rendered from the reader's catalog; `Display` renders the English catalog, for logs
/// and the command line.
#[derive(Debug)]
pub enum AppError {
    /// A field of the input is missing or malformed.
    Invalid {
        field: String,
        message: Message,
    },
    Unauthenticated,
    BadCredentials,
    Forbidden(Denial),
    /// What was not found, for the log; the reader is told only that it was not found.
    NotFound(String),
    Conflict(Message),
    /// A rule of the measures refused the action.
    Refused(Refusal),
    /// Several rules refused at once: every unmet condition of a submission, so that the
    /// applicant sees them all together (the first is also the one the kernel returns).
    Unmet(Vec<Refusal>),
    /// A throttle refused: too many failed logins, or registrations, from here or for this
    /// account.
    TooManyAttempts {
        retry_after_secs: u64,
    },
    TooLarge {
        limit: u64,
    },
    /// The account's uploads would pass its quota.
    OverQuota {
        quota: u64,
        used: u64,
    },
    /// The sender stopped sending the request's body.
    TimedOut,
    /// Something the installation lacks (the certificates' font): the reader is told what,
    /// and to ask the administrator; the detail is logged.
    Unavailable {
        message: Message,
        detail: String,
    },
    /// Something on our side; the message is logged, not shown.
    Internal(String),
}

impl AppError {
    /// The error citing `policy`'s numbering of the measures: a case governed by a version
    /// that renumbers them is told that version's articles (A33, A34).
    pub fn cited(self, policy: &qaward_domain::policy::Policy) -> Self {
        match self {
            AppError::Refused(r) => AppError::Refused(policy.cite(r)),
            AppError::Unmet(rs) => {
                AppError::Unmet(rs.into_iter().map(|r| policy.cite(r)).collect())
            }
            other => other,
        }
    }

    pub fn invalid(field: &str, message: Message) -> Self {
        AppError::Invalid {
            field: field.to_owned(),
            message,
        }
    }

    /// What the reader is told. A refusal's message is its own; the article it cites is
    /// added by [`crate::messages::refusal`].
    pub fn message(&self) -> Message {
        match self {
            AppError::Invalid { message, .. } => message.clone(),
            AppError::Unauthenticated => msg!("log-in-first"),
            AppError::BadCredentials => msg!("bad-credentials"),
            AppError::Forbidden(d) => d.message(),
            AppError::NotFound(_) => msg!("not-found"),
            AppError::Conflict(m) => m.clone(),
            AppError::Refused(r) => r.message.clone(),
            AppError::Unmet(rs) => rs
                .first()
                .map_or_else(|| msg!("not-found"), |r| r.message.clone()),
            AppError::TooManyAttempts { retry_after_secs } => {
                msg!("too-many-attempts", minutes = retry_after_secs.div_ceil(60))
            }
            AppError::TooLarge { limit } => msg!("file-too-large", mib = limit.div_ceil(1 << 20)),
            AppError::OverQuota { quota, used } => msg!(
                "upload-quota",
                used_mib = used.div_ceil(1 << 20),
                quota_mib = quota / (1 << 20)
            ),
            AppError::TimedOut => msg!("upload-stalled"),
            AppError::Unavailable { message, .. } => message.clone(),
            AppError::Internal(_) => msg!("internal-error"),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Refused(r) => f.write_str(&crate::messages::refusal(Lang::En, r)),
            AppError::Unmet(rs) => {
                let all: Vec<String> = rs
                    .iter()
                    .map(|r| crate::messages::refusal(Lang::En, r))
                    .collect();
                f.write_str(&all.join("; "))
            }
            AppError::Invalid { field, message } => {
                write!(f, "{field}: {}", crate::messages::render(Lang::En, message))
            }
            AppError::Internal(m) => write!(f, "internal error: {m}"),
            other => f.write_str(&crate::messages::render(Lang::En, &other.message())),
        }
    }
}

impl std::error::Error for AppError {}

/// The refusal of a text with U+0000 in it.
pub fn nul_message() -> Message {
    msg!("text-has-nul")
}

/// Refuses text with U+0000: PostgreSQL cannot store it in a text column (SQLite could,
/// and the two backends must answer alike). The web layer refuses it in every input
/// already; the use cases that take text from the public check again.
pub fn no_nul(field: &str, v: &str) -> Result<(), AppError> {
    if v.contains('\0') {
        Err(AppError::invalid(field, nul_message()))
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
                AppError::invalid("file", msg!("upload-interrupted", detail = m))
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

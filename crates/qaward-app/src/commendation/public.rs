//! What anyone may read of the awards: the certificate's verification (A31) and the
//! honour roll (A23).

use qaward_domain::permission::{Perm, Target};
pub use qaward_store::commendation::{Certificate, Honour};
use serde::Serialize;

use crate::{App, AppError, check};

/// What the verification page answers for a code (A31).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verified {
    /// The certificate stands.
    Valid(Certificate),
    /// The award was revoked (A28.2).
    Revoked(Certificate),
    /// No certificate carries this code: forged, mistyped, or never issued.
    Unknown,
}

/// The longest code the page looks up; a longer one is unknown without a query.
const MAX_CODE: usize = 64;

/// Verifies a certificate by the code printed on it; anyone may ask.
pub async fn verify(app: &App, code: &str) -> Result<Verified, AppError> {
    check(None, Perm::VerifyCertificate, &Target::default())?;
    let code = code.trim().to_uppercase();
    if code.is_empty() || code.len() > MAX_CODE || code.contains('\0') {
        return Ok(Verified::Unknown);
    }
    Ok(match app.store.certificate(&code).await? {
        Some(c) if c.revoked => Verified::Revoked(c),
        Some(c) => Verified::Valid(c),
        None => Verified::Unknown,
    })
}

/// The awards that stand, newest cycle first (A23).
pub async fn honour_roll(app: &App) -> Result<Vec<Honour>, AppError> {
    check(None, Perm::ReadNotices, &Target::default())?;
    Ok(app.store.honour_roll().await?)
}

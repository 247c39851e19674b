//! Why the permission function refuses, and what the reader is told.

use crate::rule::RuleId;

/// Why an action is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    #[error("log in first")]
    NotLoggedIn,
    #[error("none of your roles may do this")]
    NoRole,
    #[error("this is outside the scope of your roles")]
    OutOfScope,
    #[error("{0}: you declared an interest in this applicant and are recused from it")]
    Recused(RuleId),
    /// No one changes their own roles or account: another administrator must.
    #[error("you cannot change your own roles or account; ask another administrator")]
    OwnAccount,
}

impl Denial {
    /// What the reader is told, from the catalog.
    pub fn message(&self) -> crate::message::Message {
        match self {
            Denial::NotLoggedIn => crate::msg!("denied-not-logged-in"),
            Denial::NoRole => crate::msg!("denied-no-role"),
            Denial::OutOfScope => crate::msg!("denied-out-of-scope"),
            Denial::Recused(_) => crate::msg!("denied-recused"),
            Denial::OwnAccount => crate::msg!("denied-own-account"),
        }
    }
}

//! What is wrong with a policy file's values: said in the reader's language on the
//! versions page ([`PolicyProblem::message`]), in English on the console.

use std::fmt;

use crate::message::Message;
use crate::msg;

/// One value of a policy file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyProblem {
    Empty,
    /// An `id` with other characters than a-z, 0-9 and `-`.
    IdCharacters {
        id: String,
    },
    /// A date that is not a date (the text says why).
    BadDate(String),
    Zero,
    TooLarge {
        value: u64,
        max: u64,
    },
    /// A9.1: qaward runs only measures that charge no fee.
    Fee,
    EmptyId {
        list: String,
    },
    DuplicateId {
        id: String,
    },
    NoCounty,
    BadDivision {
        code: String,
    },
    NoDepartment,
    UnknownDepartment {
        id: String,
    },
    RenumberFrom,
    RenumberTo,
    ValidityTooLong,
}

impl PolicyProblem {
    /// What the reader is told, from the catalog.
    pub fn message(&self) -> Message {
        match self {
            PolicyProblem::Empty => msg!("policy-empty"),
            PolicyProblem::IdCharacters { id } => msg!("policy-id-characters", id = id.as_str()),
            PolicyProblem::BadDate(why) => msg!("calendar-bad-date", why = why.as_str()),
            PolicyProblem::Zero => msg!("policy-zero"),
            PolicyProblem::TooLarge { value, max } => {
                msg!("policy-too-large", value = *value, max = *max)
            }
            PolicyProblem::Fee => msg!("policy-fee"),
            PolicyProblem::EmptyId { list } => msg!("policy-empty-id", list = list.as_str()),
            PolicyProblem::DuplicateId { id } => msg!("policy-duplicate-id", id = id.as_str()),
            PolicyProblem::NoCounty => msg!("policy-no-county"),
            PolicyProblem::BadDivision { code } => {
                msg!("policy-bad-division", code = code.as_str())
            }
            PolicyProblem::NoDepartment => msg!("policy-no-department"),
            PolicyProblem::UnknownDepartment { id } => {
                msg!("policy-unknown-department", id = id.as_str())
            }
            PolicyProblem::RenumberFrom | PolicyProblem::RenumberTo => {
                msg!("policy-renumber")
            }
            PolicyProblem::ValidityTooLong => msg!("policy-validity-too-long"),
        }
    }
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyProblem::Empty => write!(f, "must not be empty"),
            PolicyProblem::IdCharacters { id } => {
                write!(f, "`{id}` may hold only a-z, 0-9 and `-`")
            }
            PolicyProblem::BadDate(why) => f.write_str(why),
            PolicyProblem::Zero => write!(f, "must be at least 1"),
            PolicyProblem::TooLarge { value, max } => {
                write!(f, "{value} is implausibly large (at most {max})")
            }
            PolicyProblem::Fee => write!(
                f,
                "qaward supports only measures that charge no fee (A9.1 of the 2021 measures)"
            ),
            PolicyProblem::EmptyId { list } => write!(f, "an entry of {list} has an empty id"),
            PolicyProblem::DuplicateId { id } => write!(f, "id `{id}` appears twice"),
            PolicyProblem::NoCounty => write!(f, "list at least one county-level unit"),
            PolicyProblem::BadDivision { code } => {
                write!(f, "`{code}` is not a 6-digit division code")
            }
            PolicyProblem::NoDepartment => write!(f, "name at least one department"),
            PolicyProblem::UnknownDepartment { id } => {
                write!(f, "`{id}` is not listed under [[opinions.department]]")
            }
            PolicyProblem::RenumberFrom => {
                write!(f, "an article of 2021 is a number from 1 to 99")
            }
            PolicyProblem::RenumberTo => write!(f, "an article is a number from 1 to 99"),
            PolicyProblem::ValidityTooLong => write!(f, "too large"),
        }
    }
}

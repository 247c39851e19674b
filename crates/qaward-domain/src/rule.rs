//! Rule identifiers and refusals.
//!
//! Every article of the measures is restated as rules with IDs (`A14.1`, `A28.3`, …).
//! A domain function that refuses something returns a [`Refusal`] naming the rule it
//! applied, so that the message reaching a user, an API client or the audit log always
//! says which article decided.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::message::Message;

/// The ID of one rule of the measures, such as `A14.1` or `A33`.
///
/// The form is `A` followed by the article number and optionally `.` and a paragraph
/// number. Which IDs exist is a matter of the policy version, not of this type.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(Cow<'static, str>);

impl RuleId {
    /// A rule ID known at compile time. The constants below are the only callers; the
    /// unit test `constants_are_well_formed` checks their form.
    const fn fixed(id: &'static str) -> Self {
        Self(Cow::Borrowed(id))
    }

    /// Parses `A<article>[.<paragraph>]`.
    pub fn parse(s: &str) -> Result<Self, String> {
        if is_well_formed(s) {
            Ok(Self(Cow::Owned(s.to_owned())))
        } else {
            Err(format!("`{s}` is not a rule ID of the form A14 or A14.1"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The article number: `14` for `A14.1`.
    pub fn article(&self) -> u32 {
        self.0[1..]
            .split('.')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
}

fn is_well_formed(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('A') else {
        return false;
    };
    let mut parts = rest.split('.');
    let digits = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty() && !p.starts_with('0') && p.bytes().all(|b| b.is_ascii_digit())
        })
    };
    if !digits(parts.next()) {
        return false;
    }
    match parts.next() {
        None => true,
        Some(p) => digits(Some(p)) && parts.next().is_none(),
    }
}

impl std::str::FromStr for RuleId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        RuleId::parse(s)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleId({})", self.0)
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

macro_rules! rules {
    ($($name:ident = $id:literal;)*) => {
        $(#[doc = concat!("Rule ", $id, " of the measures.")] pub const $name: RuleId = RuleId::fixed($id);)*
        /// Every rule constant the domain refers to, for tests and tooling.
        pub const ALL_REFERENCED: &[RuleId] = &[$($name),*];
    };
}

rules! {
    A3 = "A3";
    A4_2 = "A4.2";
    A4_3 = "A4.3";
    A4_4 = "A4.4";
    A6 = "A6";
    A9_1 = "A9.1";
    A10_1 = "A10.1";
    A10_2 = "A10.2";
    A10_3 = "A10.3";
    A10_4 = "A10.4";
    A11_1 = "A11.1";
    A11_2 = "A11.2";
    A12_1 = "A12.1";
    A12_2 = "A12.2";
    A13 = "A13";
    A14_1 = "A14.1";
    A14_2 = "A14.2";
    A14_3 = "A14.3";
    A15_1 = "A15.1";
    A15_2 = "A15.2";
    A15_3 = "A15.3";
    A16_1 = "A16.1";
    A16_2 = "A16.2";
    A16_3 = "A16.3";
    A16_4 = "A16.4";
    A17_1 = "A17.1";
    A17_2 = "A17.2";
    A17_3 = "A17.3";
    A18_1 = "A18.1";
    A18_2 = "A18.2";
    A18_3 = "A18.3";
    A19_1 = "A19.1";
    A19_2 = "A19.2";
    A20_1 = "A20.1";
    A20_2 = "A20.2";
    A21_1 = "A21.1";
    A22 = "A22";
    A25 = "A25";
    A26 = "A26";
    A27_1 = "A27.1";
    A27_2 = "A27.2";
    A28_1 = "A28.1";
    A28_2 = "A28.2";
    A28_3 = "A28.3";
    A29 = "A29";
    A30 = "A30";
    A33 = "A33";
    A34 = "A34";
}

/// A rule refused an action: which rule, and what a person can act on, as a message key
/// and its arguments (rendered from the reader's catalog, never here).
///
/// Rule IDs keep the 2021 numbering as stable names. A later version of the measures that
/// numbers the same rule differently says so ([`crate::policy::Policy::cite`]); `article`
/// is then the article the reader is told, under the version that governs the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{rule}: {message}")]
pub struct Refusal {
    pub rule: RuleId,
    pub message: Message,
    /// The article in the governing version's own numbering, where it renumbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<u32>,
}

impl Refusal {
    pub fn new(rule: RuleId, message: Message) -> Self {
        Self {
            rule,
            message,
            article: None,
        }
    }

    /// The article the reader is told: the governing version's number for the rule.
    pub fn cited_article(&self) -> u32 {
        self.article.unwrap_or_else(|| self.rule.article())
    }

    /// The rule as the reader is told it: `A14.1`, or `A15.1` under a version that
    /// numbers article 14 of 2021 as 15.
    pub fn cited_rule(&self) -> String {
        match self.article {
            None => self.rule.to_string(),
            Some(n) => match self.rule.as_str().split_once('.') {
                Some((_, paragraph)) => format!("A{n}.{paragraph}"),
                None => format!("A{n}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_well_formed() {
        for r in ALL_REFERENCED {
            assert!(is_well_formed(r.as_str()), "{r}");
        }
    }

    #[test]
    fn parse_accepts_articles_and_paragraphs_only() {
        assert_eq!(RuleId::parse("A14.1").unwrap().article(), 14);
        assert_eq!(RuleId::parse("A33").unwrap().article(), 33);
        for bad in [
            "", "A", "a14", "A14.", "A.1", "A14.1.2", "A014", "B14", "A14.x",
        ] {
            assert!(RuleId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refusal_message_names_the_rule() {
        let r = Refusal::new(A14_1, crate::msg!("notice-too-short", ran = 4));
        assert_eq!(r.to_string(), "A14.1: notice-too-short {ran: 4}");
    }
}

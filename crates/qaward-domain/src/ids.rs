//! The two national identifiers a subject is known by, as parse-don't-validate newtypes.
//!
//! - [`CreditCode`]: the unified social credit code of an organization (GB 32100-2015).
//! - [`ResidentId`]: the resident identity number of a person (GB 11643-1999).
//!
//! A value of either type has passed its check character, so code that holds one never
//! checks again. A resident ID is personal data (A30): its `Display` and `Debug` show it
//! masked, and the full number is only reachable through [`ResidentId::expose`].

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a code was refused: one line a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("expected 18 characters, got {0}")]
    Length(usize),
    /// `expected` is the message key of what the position allows.
    #[error("character {position} (`{found}`) is not allowed there: {expected}")]
    Character {
        position: usize,
        found: char,
        expected: &'static str,
    },
    #[error("check character is `{found}`, but the code's other characters give `{expected}`")]
    Check { found: char, expected: char },
    #[error("the birth date `{0}` in characters 7–14 is not a valid date")]
    BirthDate(String),
    #[error(
        "as a unified social credit code (GB 32100-2015): {credit_code}; as a resident identity number (GB 11643-1999): {resident_id}"
    )]
    Neither {
        credit_code: Box<IdError>,
        resident_id: Box<IdError>,
    },
}

impl IdError {
    /// What the reader is told, from the catalog. `expected` of a bad character is the
    /// key of the sentence saying what the position allows.
    pub fn message(&self) -> crate::message::Message {
        use crate::message::Arg;
        use crate::msg;
        match self {
            IdError::Length(n) => msg!("id-length", got = *n),
            IdError::Character {
                position,
                found,
                expected,
            } => msg!(
                "id-character",
                position = *position,
                found = found.to_string(),
                expected = Arg::Key(expected)
            ),
            IdError::Check { found, expected } => msg!(
                "id-check",
                found = found.to_string(),
                expected = expected.to_string()
            ),
            IdError::BirthDate(d) => msg!("id-birth-date", date = d),
            IdError::Neither {
                credit_code,
                resident_id,
            } => {
                msg!(
                    "id-neither",
                    credit_code = credit_code.message(),
                    resident_id = resident_id.message()
                )
            }
        }
    }
}

/// GB 32100-2015 alphabet: digits and capital letters without I, O, Z, S, V.
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn uscc_value(c: u8) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Normalizes user input: trims, drops inner spaces and hyphens that people type for
/// readability, and upper-cases (a lower-case `x` in an ID number is common).
fn compact(input: &str) -> String {
    input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A unified social credit code (统一社会信用代码), GB 32100-2015.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let code = compact(input);
        let bytes = code.as_bytes();
        let len = code.chars().count();
        if len != 18 || bytes.len() != 18 {
            return Err(IdError::Length(len));
        }
        for (i, &b) in bytes.iter().enumerate() {
            let position = i + 1;
            let found = b as char;
            let ok = match position {
                // Registration authority: 1–9, A, N, Y … (never 0).
                1 => b != b'0' && uscc_value(b).is_some(),
                // Organization type within that authority: a digit 1–9.
                2 => (b'1'..=b'9').contains(&b),
                // Administrative division code of the registering authority.
                3..=8 => b.is_ascii_digit(),
                _ => uscc_value(b).is_some(),
            };
            if !ok {
                let expected = match position {
                    1 => "id-expect-authority",
                    2 => "id-expect-org-type",
                    3..=8 => "id-expect-division",
                    _ => "id-expect-code-char",
                };
                return Err(IdError::Character {
                    position,
                    found,
                    expected,
                });
            }
        }
        let total: u32 = bytes[..17]
            .iter()
            .zip(USCC_WEIGHTS)
            .map(|(&b, w)| uscc_value(b).unwrap_or(0) * w)
            .sum();
        let expected = USCC_ALPHABET[((31 - total % 31) % 31) as usize] as char;
        let found = bytes[17] as char;
        if found != expected {
            return Err(IdError::Check { found, expected });
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The administrative division code (characters 3–8) of the registering authority.
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.0)
    }
}

/// A resident identity number (公民身份号码), GB 11643-1999, 18 characters.
///
/// Personal data: shown masked by `Display` and `Debug` (`1409**********009X`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

const RIC_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RIC_CHECK: &[u8; 11] = b"10X98765432";

impl ResidentId {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let id = compact(input);
        let len = id.chars().count();
        if len != 18 || id.len() != 18 {
            return Err(IdError::Length(len));
        }
        let bytes = id.as_bytes();
        for (i, &b) in bytes[..17].iter().enumerate() {
            let ok = if i == 0 {
                (b'1'..=b'9').contains(&b)
            } else {
                b.is_ascii_digit()
            };
            if !ok {
                return Err(IdError::Character {
                    position: i + 1,
                    found: b as char,
                    expected: if i == 0 {
                        "id-expect-digit-1-9"
                    } else {
                        "id-expect-digit"
                    },
                });
            }
        }
        let birth = &id[6..14];
        let date = NaiveDate::parse_from_str(birth, "%Y%m%d")
            .map_err(|_| IdError::BirthDate(birth.to_owned()))?;
        if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
            return Err(IdError::BirthDate(birth.to_owned()));
        }
        // ISO 7064 MOD 11-2.
        let total: u32 = bytes[..17]
            .iter()
            .zip(RIC_WEIGHTS)
            .map(|(&b, w)| u32::from(b - b'0') * w)
            .sum();
        let expected = RIC_CHECK[(total % 11) as usize] as char;
        let found = bytes[17] as char;
        if found != expected {
            return Err(IdError::Check { found, expected });
        }
        Ok(Self(id))
    }

    /// The date of birth the number encodes.
    pub fn birth_date(&self) -> NaiveDate {
        // Checked in `parse`.
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").unwrap_or(NaiveDate::MIN)
    }

    /// The number masked for lists: first four and last four characters.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }

    /// The full number. Only for the person and the Office (DESIGN.md §2); callers decide
    /// through the permission function before they call this.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

/// Either identifier, as told apart by `qaward id check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyId {
    CreditCode(CreditCode),
    ResidentId(ResidentId),
}

impl AnyId {
    /// Tries both forms. An 18-character string of digits could in principle be both; a
    /// credit code's second character is a type digit and a resident ID's characters 7–14
    /// a birth date, so the check characters decide. Credit codes are tried first.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let credit_code = match CreditCode::parse(input) {
            Ok(c) => return Ok(Self::CreditCode(c)),
            Err(e) => e,
        };
        let resident_id = match ResidentId::parse(input) {
            Ok(r) => return Ok(Self::ResidentId(r)),
            Err(e) => e,
        };
        // Say what is wrong with the form the input looks like: a resident ID is digits
        // with an optional final X; anything with other letters can only be a credit code.
        let c = compact(input);
        let id_shaped = c.len() == 18
            && c.bytes().take(17).all(|b| b.is_ascii_digit())
            && (c.as_bytes()[17].is_ascii_digit() || c.ends_with('X'));
        if id_shaped {
            Err(IdError::Neither {
                credit_code: Box::new(credit_code),
                resident_id: Box::new(resident_id),
            })
        } else if c.len() == 18 {
            Err(credit_code)
        } else {
            Err(IdError::Length(c.chars().count()))
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::CreditCode(_) => "credit-code",
            Self::ResidentId(_) => "resident-id",
        }
    }
}

macro_rules! serde_via_parse {
    ($t:ty, $get:ident) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$get())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_via_parse!(CreditCode, as_str);
serde_via_parse!(ResidentId, expose);

/// Row identifiers of the system's entities, one type each so that a subject's id cannot
/// be passed where a user's is expected.
macro_rules! entity_ids {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

entity_ids! {
    /// An award program the installation runs (the city award; a county's own award).
    ProgramId;
    /// A user account.
    UserId;
    /// A subject in the register.
    SubjectId;
    /// A cycle (届) of a program.
    CycleId;
    /// An application of a subject in a cycle.
    ApplicationId;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Generated with python-stdnum's `stdnum.cn.uscc` and `stdnum.cn.ric` as an
    // independent oracle (stdnum requires digits in positions 1–8, so the codes with a
    // letter authority were computed with its `calc_check_digit`).
    const VALID_USCC: &[&str] = &[
        "91140900AY4CL12THD",
        "121409003BJ1XG612N",
        "11140900DD272HD1T4",
        "51140900J3Y7LLJY1F",
        "52140902JJC171HU4U",
        "911409029D4H3J9HTA",
        "N2140900M53JJL6B35",
        "Y1140900HN2J1K6FMG",
    ];
    const VALID_RIC: &[&str] = &[
        "140902198001010411",
        "140902199912310196",
        "140981200002290502",
        "110101197001010833",
        "110105194912310062",
        "11010519491231002X",
        "14090219850615009X",
    ];

    #[test]
    fn credit_codes_from_the_oracle_parse() {
        for c in VALID_USCC {
            let code = CreditCode::parse(c).unwrap();
            assert_eq!(code.as_str(), *c);
        }
        assert_eq!(
            CreditCode::parse(" 9114 0900-AY4C L12T hd ")
                .unwrap()
                .as_str(),
            "91140900AY4CL12THD"
        );
    }

    #[test]
    fn credit_code_with_wrong_check_character_names_the_expected_one() {
        let err = CreditCode::parse("91140900AY4CL12THE").unwrap_err();
        assert_eq!(
            err,
            IdError::Check {
                found: 'E',
                expected: 'D'
            }
        );
        assert!(err.to_string().contains("`D`"));
    }

    #[test]
    fn credit_code_refuses_bad_shapes() {
        assert_eq!(
            CreditCode::parse("91140900AY4CL12TH"),
            Err(IdError::Length(17))
        );
        assert!(matches!(
            CreditCode::parse("91140900AY4CL12TID"),
            Err(IdError::Character { position: 17, .. })
        ));
        assert!(matches!(
            CreditCode::parse("9114A900AY4CL12THD"),
            Err(IdError::Character { position: 5, .. })
        ));
        assert!(matches!(
            CreditCode::parse("01140900AY4CL12THD"),
            Err(IdError::Character { position: 1, .. })
        ));
        assert_eq!(
            CreditCode::parse("忻州市忻府区质量协会"),
            Err(IdError::Length(10))
        );
    }

    #[test]
    fn resident_ids_from_the_oracle_parse() {
        for c in VALID_RIC {
            ResidentId::parse(c).unwrap();
        }
        let lower = ResidentId::parse("14090219850615009x").unwrap();
        assert_eq!(lower.expose(), "14090219850615009X");
        assert_eq!(
            lower.birth_date(),
            NaiveDate::from_ymd_opt(1985, 6, 15).unwrap()
        );
    }

    #[test]
    fn resident_id_is_masked_in_display_and_debug() {
        let id = ResidentId::parse("14090219850615009X").unwrap();
        assert_eq!(id.to_string(), "1409**********009X");
        assert_eq!(format!("{id:?}"), "ResidentId(1409**********009X)");
        assert!(!format!("{id:?}").contains("19850615"));
    }

    #[test]
    fn resident_id_refuses_bad_check_digit_and_impossible_birth_dates() {
        assert_eq!(
            ResidentId::parse("140902198001010412"),
            Err(IdError::Check {
                found: '2',
                expected: '1'
            })
        );
        // 2001 is not a leap year.
        assert!(matches!(
            ResidentId::parse("140902200102290000"),
            Err(IdError::BirthDate(_))
        ));
        assert!(matches!(
            ResidentId::parse("14090218991231000X"),
            Err(IdError::BirthDate(_))
        ));
        assert_eq!(
            ResidentId::parse("1409021980010104"),
            Err(IdError::Length(16))
        );
    }

    #[test]
    fn any_id_tells_the_kinds_apart() {
        assert_eq!(AnyId::parse(VALID_USCC[0]).unwrap().kind(), "credit-code");
        assert_eq!(AnyId::parse(VALID_RIC[0]).unwrap().kind(), "resident-id");
        let err = AnyId::parse("140902198001010412").unwrap_err().to_string();
        assert!(
            err.contains("as a resident identity number") && err.contains("give `1`"),
            "{err}"
        );
        // With letters in it, only the credit-code reading is explained.
        let err = AnyId::parse("91140900AY4CL12THE").unwrap_err().to_string();
        assert!(err.starts_with("check character is `E`"), "{err}");
        assert_eq!(AnyId::parse("123"), Err(IdError::Length(3)));
    }

    proptest! {
        /// Changing any one character of a valid code to another allowed character
        /// breaks the check: both algorithms detect every single-character error.
        #[test]
        fn single_character_errors_are_always_caught(
            idx in 0usize..VALID_USCC.len(),
            pos in 0usize..18,
            repl in 0usize..31,
        ) {
            let code = VALID_USCC[idx];
            let mut bytes = code.as_bytes().to_vec();
            let new = USCC_ALPHABET[repl];
            prop_assume!(bytes[pos] != new);
            bytes[pos] = new;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(CreditCode::parse(&changed).is_err());
        }

        #[test]
        fn resident_id_single_digit_errors_are_caught(
            idx in 0usize..VALID_RIC.len(),
            pos in 0usize..17,
            digit in 0u8..10,
        ) {
            let mut bytes = VALID_RIC[idx].as_bytes().to_vec();
            prop_assume!(bytes[pos] != b'0' + digit);
            bytes[pos] = b'0' + digit;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(ResidentId::parse(&changed).is_err());
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC{0,40}") {
            let _ = AnyId::parse(&s);
        }
    }
}

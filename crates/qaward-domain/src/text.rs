//! The text forms of the domain's values, kept with their types.
//!
//! A closed vocabulary (a state, an action, a role, a confidentiality class…) has one
//! stable machine code per value — kebab-case, like the policy file's, e.g.
//! `returned-to-channel` — used in storage, in the API, in the audit log and on the
//! command line, and one human label per language for the interface. Both come from one
//! table per type, written with [`vocabulary!`](crate::vocabulary), so that a code is
//! formatted and parsed in one place and a value without a label does not compile.
//! `Debug` strings never leave the process.

use std::fmt;

/// A language of the interface: Simplified Chinese first, English second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A value of a closed vocabulary: one machine code and one label per language.
pub trait Vocabulary: Copy + Eq + Sized + 'static {
    /// The vocabulary's name, as the API document names its schema (`ApplicationState`).
    const NAME: &'static str;
    /// Every value, in a stable order.
    const ALL: &'static [Self];

    /// The stable machine code.
    fn code(self) -> &'static str;

    /// The human label in `lang`.
    fn label(self, lang: Lang) -> &'static str;

    /// The value with this code, if any.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// Every code, in order: for error messages and the API's enums.
    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.code()).collect()
    }
}

/// A code that names no value of its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
    pub expected: Vec<&'static str>,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not one of: {}",
            self.code,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownCode {}

impl UnknownCode {
    /// What the reader is told, from the catalog: the value sent is not one of the
    /// choices (a forged or outdated form, since forms offer only the choices).
    pub fn message(&self) -> crate::message::Message {
        crate::msg!("unknown-choice", code = &self.code)
    }
}

/// Parses a code of `T`.
pub fn parse<T: Vocabulary>(code: &str) -> Result<T, UnknownCode> {
    T::from_code(code).ok_or_else(|| UnknownCode {
        vocabulary: T::NAME,
        code: code.to_owned(),
        expected: T::codes(),
    })
}

/// Declares a type's vocabulary: each value (a unit variant, or a variant with one unit
/// payload such as `State::Proposed(Level::Award)`) with its code, Chinese label and
/// English label. Implements [`Vocabulary`], `Display` and `FromStr` (the code), and
/// serde as the code.
#[macro_export]
macro_rules! vocabulary {
    ($ty:ident, $name:literal, {
        $( $t:ident :: $v:ident $(( $it:ident :: $iv:ident ))? => ($code:literal, $zh:literal, $en:literal) ),* $(,)?
    }) => {
        impl $crate::text::Vocabulary for $ty {
            const NAME: &'static str = $name;
            const ALL: &'static [$ty] = &[ $( $t::$v $(($it::$iv))? ),* ];

            fn code(self) -> &'static str {
                match self { $( $t::$v $(($it::$iv))? => $code, )* }
            }

            fn label(self, lang: $crate::text::Lang) -> &'static str {
                match lang {
                    $crate::text::Lang::Zh => match self { $( $t::$v $(($it::$iv))? => $zh, )* },
                    $crate::text::Lang::En => match self { $( $t::$v $(($it::$iv))? => $en, )* },
                }
            }
        }

        impl $ty {
            /// The stable machine code.
            pub fn code(self) -> &'static str {
                $crate::text::Vocabulary::code(self)
            }

            /// The human label in `lang`.
            pub fn label(self, lang: $crate::text::Lang) -> &'static str {
                $crate::text::Vocabulary::label(self, lang)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::text::Vocabulary::code(*self))
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::text::UnknownCode;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::text::parse::<$ty>(s)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($crate::text::Vocabulary::code(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let code = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $crate::text::parse::<$ty>(&code).map_err(::serde::de::Error::custom)
            }
        }
    };
}

/// Implements `Display`/`FromStr` and serde as a string for a type whose text form is
/// not a closed vocabulary (a channel `county:xinfu`, a scope `opinion-dept:tax`).
#[macro_export]
macro_rules! text_form {
    ($ty:ty) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

/// 1–99 in Chinese numerals, as articles are numbered (第十四条, 第三十四条).
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    if n >= 100 {
        return n.to_string();
    }
    let mut s = String::new();
    match tens {
        0 => {}
        1 => s.push('十'),
        t => {
            s.push_str(DIGITS[t as usize]);
            s.push('十');
        }
    }
    if ones > 0 || n == 0 {
        s.push_str(DIGITS[ones as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{ActionKind, State};
    use crate::material::{Confidentiality, Purpose};
    use crate::notice::ObjectionState;
    use crate::permission::Role;
    use crate::policy::{Level, NoticeKind};
    use crate::subject::OrgKind;

    fn round_trips<T: Vocabulary + fmt::Debug + std::str::FromStr>() {
        let mut seen = std::collections::BTreeSet::new();
        for v in T::ALL {
            let code = v.code();
            assert!(seen.insert(code), "{}: code `{code}` twice", T::NAME);
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: `{code}` is not kebab-case",
                T::NAME
            );
            assert_eq!(T::from_code(code), Some(*v));
            assert!(!v.label(Lang::Zh).is_empty() && !v.label(Lang::En).is_empty());
            assert!(
                v.label(Lang::Zh).chars().any(|c| c as u32 > 0x2E80),
                "{}: the Chinese label of `{code}` has no Chinese",
                T::NAME
            );
        }
        assert!(parse::<T>("no-such-code").is_err());
    }

    #[test]
    fn every_vocabulary_round_trips_with_unique_kebab_codes_and_both_labels() {
        round_trips::<State>();
        round_trips::<ActionKind>();
        round_trips::<Role>();
        round_trips::<Level>();
        round_trips::<NoticeKind>();
        round_trips::<OrgKind>();
        round_trips::<Confidentiality>();
        round_trips::<Purpose>();
        round_trips::<ObjectionState>();
    }

    #[test]
    fn states_are_codes_on_the_wire_never_debug_strings() {
        use crate::application::ReturnTo;
        let s = State::Returned(ReturnTo::Channel);
        assert_eq!(s.to_string(), "returned-to-channel");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            "\"returned-to-channel\""
        );
        let back: State = serde_json::from_str("\"proposed-nomination\"").unwrap();
        assert_eq!(back, State::Proposed(Level::Nomination));
        let e = serde_json::from_str::<State>("\"returned\"").unwrap_err();
        assert!(e.to_string().contains("returned-to-office"), "{e}");
    }
}

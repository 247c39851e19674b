//! Messages as data: a key and its parameters, never display text.
//!
//! A refusal, a validation error or an unmet condition says *what* happened as a
//! [`Message`] — a stable key such as `notice-too-short` and named arguments — and the
//! interface renders it in the reader's language from one catalog per language
//! (`qaward_app::messages`, Fluent files). The domain therefore never chooses words, and a
//! new language is a new catalog, not a code change. Arguments that name a value of a
//! closed vocabulary carry that value's labels, so a state or a role reads in the
//! reader's language too.

use chrono::NaiveDate;
use serde::Serialize;

use crate::rule::RuleId;
use crate::text::{Lang, Vocabulary};

/// One message: a catalog key and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    /// A count or an amount; the catalog chooses the plural form by it.
    Int(i64),
    /// A name, a reason or a code, shown as it is.
    Text(String),
    /// A date, written as people write dates in the reader's language.
    Date(NaiveDate),
    /// A value of a closed vocabulary, shown by its label in the reader's language.
    Term(Term),
    /// Another message of the catalog, without arguments, rendered in the reader's
    /// language: the name of a date, the sentence of a declaration.
    Key(&'static str),
    /// Another message with its own arguments, rendered in place.
    Nested(Box<Message>),
    /// Several arguments, listed in the reader's way (、 in Chinese, commas in English).
    List(Vec<Arg>),
}

/// The labels of one vocabulary value, so that the renderer needs no domain lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub code: &'static str,
    #[serde(skip)]
    pub zh: &'static str,
    #[serde(skip)]
    pub en: &'static str,
}

impl Term {
    pub fn of<V: Vocabulary>(v: V) -> Self {
        Self {
            code: v.code(),
            zh: v.label(Lang::Zh),
            en: v.label(Lang::En),
        }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

impl Message {
    /// A message without arguments.
    pub const fn key(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// The message with one more argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The argument named `name`, if any: for tests and for the API's machine form.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

impl std::fmt::Display for Message {
    /// The key and arguments, for logs; people read the catalog's rendering.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)?;
        for (i, (name, value)) in self.args.iter().enumerate() {
            let sep = if i == 0 { " {" } else { ", " };
            write!(f, "{sep}{name}: {value}")?;
        }
        if !self.args.is_empty() {
            f.write_str("}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Int(n) => write!(f, "{n}"),
            Arg::Text(s) => f.write_str(s),
            Arg::Date(d) => write!(f, "{d}"),
            Arg::Term(t) => f.write_str(t.code),
            Arg::Key(k) => f.write_str(k),
            Arg::Nested(m) => write!(f, "({m})"),
            Arg::List(items) => {
                for (i, a) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                Ok(())
            }
        }
    }
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_arg!(i32, i64, u8, u16, u32, u64, usize);

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<NaiveDate> for Arg {
    fn from(d: NaiveDate) -> Self {
        Arg::Date(d)
    }
}

impl From<&RuleId> for Arg {
    fn from(r: &RuleId) -> Self {
        Arg::Text(r.to_string())
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Self {
        Arg::Nested(Box::new(m))
    }
}

impl From<Term> for Arg {
    fn from(t: Term) -> Self {
        Arg::Term(t)
    }
}

impl<T: Into<Arg>> From<Vec<T>> for Arg {
    fn from(items: Vec<T>) -> Self {
        Arg::List(items.into_iter().map(Into::into).collect())
    }
}

/// Builds a [`Message`]: `msg!("notice-too-short", ran = 4, required = 5)`. The catalog
/// test finds every key and argument name written this way and checks that each
/// language's catalog has the message with exactly these arguments.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::message::Message::key($key)$(.arg(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_key_and_named_arguments() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let m = msg!("notice-too-short", ran = 4u32, until = d, who = "甲");
        assert_eq!(m.key, "notice-too-short");
        assert_eq!(m.get("ran"), Some(&Arg::Int(4)));
        assert_eq!(m.get("until"), Some(&Arg::Date(d)));
        assert_eq!(
            m.to_string(),
            "notice-too-short {ran: 4, until: 2026-12-01, who: 甲}"
        );
    }
}

//! The typed input of every action, shared by its page handler and its API handler: a
//! form and a JSON body deserialize into the same struct, and a missing or malformed
//! field is an error naming the field, never an empty string.
//!
//! A form is read into the JSON shape first ([`from_form`]): `a=1` is `{"a": "1"}`,
//! `a[]=1` or a repeated `a` an array, `a[k]=1` an object, `a[0][k]=1` an array of
//! objects; an empty value counts as absent, so an optional field left blank is `None`
//! and a required one left blank is missing. Fields whose JSON type is not a string
//! (flags, numbers, lists) read the form's text through the [`lenient`] helpers.

use qaward_domain::msg;
use std::collections::BTreeMap;

use qaward_app::AppError;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

mod accounts;
mod applications;
mod commendation;
mod complaints;
mod evaluation;
mod notices;
mod obligations;
mod opinions;
mod policies;

pub use accounts::*;
pub use applications::*;
pub use commendation::*;
pub use complaints::*;
pub use evaluation::*;
pub use notices::*;
pub use obligations::*;
pub use opinions::*;
pub use policies::*;

/// Reads a URL-encoded form into `T`. A field that is not UTF-8 text is refused, never
/// read with replacement characters in place of what was sent.
pub fn from_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    utf8_form(body)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::invalid("form", msg!("form-unreadable", detail = e.to_string())))?;
    read(form_value(pairs))
}

/// A URL-encoded form's fields as they were typed, checked to be UTF-8 text: for a page
/// that shows a refused form again with what was typed in it.
pub fn form_pairs(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    utf8_form(body)?;
    serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::invalid("form", msg!("form-unreadable", detail = e.to_string())))
}

/// Reads form fields already split into pairs (a multipart form's small fields).
pub fn from_pairs<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Result<T, AppError> {
    read(form_value(pairs))
}

/// Reads a JSON document into `T`. (Whether a body is JSON at all is the API's first
/// check: malformed JSON is a 400, not a field's fault.)
pub fn from_json<T: DeserializeOwned>(v: Value) -> Result<T, AppError> {
    read(v)
}

/// Checks that every name and value of a URL-encoded form decodes to UTF-8 text.
fn utf8_form(body: &[u8]) -> Result<(), AppError> {
    let decode = |s: &[u8]| -> Option<String> {
        let plus: Vec<u8> = s
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        percent_encoding::percent_decode(&plus)
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    for part in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut kv = part.splitn(2, |b| *b == b'=');
        let (k, v) = (kv.next().unwrap_or_default(), kv.next().unwrap_or_default());
        let Some(name) = decode(k) else {
            return Err(AppError::invalid("form", msg!("text-not-utf8")));
        };
        if decode(v).is_none() {
            return Err(AppError::invalid(&name, msg!("text-not-utf8")));
        }
    }
    Ok(())
}

fn read<T: DeserializeOwned>(v: Value) -> Result<T, AppError> {
    if let Some(field) = nul_at(&v, "") {
        return Err(AppError::invalid(&field, qaward_app::error::nul_message()));
    }
    if let Some(field) = too_long_at(&v, "") {
        let max = qaward_app::limits::SECTION;
        return Err(AppError::invalid(&field, msg!("field-too-long", max = max)));
    }
    serde_path_to_error::deserialize(v)
        .map_err(|e| field_error(&e.path().to_string(), &e.inner().to_string()))
}

/// The field holding a U+0000, named as [`field_error`] names fields (`a.b`, `a[0]`), or
/// `body` at the top. Refused for every input alike, before any use case sees it:
/// PostgreSQL cannot store the character and SQLite could, and the two must answer alike.
fn nul_at(v: &Value, path: &str) -> Option<String> {
    let here = || {
        if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }
    };
    match v {
        Value::String(s) => s.contains('\0').then(here),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_at(x, &format!("{}[{i}]", here()))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            if k.contains('\0') {
                return Some(here());
            }
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            nul_at(x, &p)
        }),
        _ => None,
    }
}

/// The field holding a text longer than the longest any field takes (a backstop: each use
/// case bounds its own fields more tightly, [`qaward_app::limits`]).
fn too_long_at(v: &Value, path: &str) -> Option<String> {
    let name = |p: &str| {
        if p.is_empty() {
            "body".to_owned()
        } else {
            p.to_owned()
        }
    };
    match v {
        Value::String(s) => (s.chars().count() > qaward_app::limits::SECTION).then(|| name(path)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| too_long_at(x, &format!("{}[{i}]", name(path)))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            too_long_at(x, &p)
        }),
        _ => None,
    }
}

/// Names the field at fault: the path to it, or the missing field serde names.
fn field_error(path: &str, message: &str) -> AppError {
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        let field = if path == "." {
            missing.to_owned()
        } else {
            format!("{path}.{missing}")
        };
        return AppError::invalid(&field, msg!("field-required"));
    }
    let field = if path == "." { "body" } else { path };
    AppError::invalid(field, msg!("field-malformed", detail = message))
}

/// The keys of a form field's name: `a[b][0]` → `a`, `b`, `0`; `a[]` → `a`, ``.
fn keys(name: &str) -> Vec<&str> {
    match name.find('[') {
        Some(i) if name.ends_with(']') => {
            let mut out = vec![&name[..i]];
            out.extend(name[i + 1..name.len() - 1].split("]["));
            out
        }
        _ => vec![name],
    }
}

fn insert(slot: &mut Value, path: &[&str], value: String) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let Value::Object(map) = slot else { return };
    if rest.is_empty() {
        match map.get_mut(*first) {
            // A repeated name is a list.
            Some(Value::Array(a)) => a.push(Value::String(value)),
            Some(old @ Value::String(_)) => {
                let prev = old.take();
                *old = Value::Array(vec![prev, Value::String(value)]);
            }
            _ => {
                map.insert((*first).to_owned(), Value::String(value));
            }
        }
        return;
    }
    if rest == [""] {
        let entry = map
            .entry((*first).to_owned())
            .or_insert_with(|| Value::Array(vec![]));
        match entry {
            Value::Array(a) => a.push(Value::String(value)),
            other => *other = Value::Array(vec![other.take(), Value::String(value)]),
        }
        return;
    }
    let entry = map
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    insert(entry, rest, value);
}

/// An object whose keys are all indices becomes an array, in index order.
fn arrays(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let indexed: Option<BTreeMap<usize, Value>> = (!map.is_empty())
                .then(|| {
                    map.iter()
                        .map(|(k, v)| k.parse::<usize>().ok().map(|i| (i, v.clone())))
                        .collect()
                })
                .flatten();
            match indexed {
                Some(items) => Value::Array(items.into_values().map(arrays).collect()),
                None => Value::Object(map.into_iter().map(|(k, v)| (k, arrays(v))).collect()),
            }
        }
        Value::Array(a) => Value::Array(a.into_iter().map(arrays).collect()),
        other => other,
    }
}

fn form_value(pairs: Vec<(String, String)>) -> Value {
    let mut root = Value::Object(Map::new());
    for (name, value) in pairs {
        // The CSRF token belongs to the session check, not to the action.
        if name == "csrf" || value.is_empty() {
            continue;
        }
        insert(&mut root, &keys(&name), value);
    }
    arrays(root)
}

/// Deserializers that take a JSON value or the text a form sends for it.
pub mod lenient {
    use std::fmt::Display;
    use std::str::FromStr;

    use chrono::NaiveDate;
    use serde::de::{DeserializeOwned, Error};
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// The flag a form's text says: a ticked checkbox's (`true`, `on`, `1`, `yes`) or its
    /// opposite; `None` for anything else.
    pub fn yes(s: &str) -> Option<bool> {
        match s {
            "true" | "on" | "1" | "yes" => Some(true),
            "false" | "off" | "0" | "no" => Some(false),
            _ => None,
        }
    }

    /// A flag: `true`/`false`, or a ticked checkbox's text (see [`yes`]).
    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(b),
            Value::String(s) => {
                yes(&s).ok_or_else(|| D::Error::custom(format!("`{s}` is not yes or no")))
            }
            other => Err(D::Error::custom(format!("{other} is not yes or no"))),
        }
    }

    fn scalar<T: FromStr + DeserializeOwned, E: Error>(v: Value) -> Result<T, E>
    where
        T::Err: Display,
    {
        match v {
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|e| E::custom(format!("`{s}`: {e}"))),
            other => serde_json::from_value(other).map_err(E::custom),
        }
    }

    /// A number, as JSON has it or as a form writes it.
    pub fn number<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr + DeserializeOwned,
        T::Err: Display,
    {
        scalar(Value::deserialize(d)?)
    }

    /// An optional number.
    pub fn opt_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr + DeserializeOwned,
        T::Err: Display,
    {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            v => scalar(v).map(Some),
        }
    }

    /// A list, as a JSON array, a form's repeated field, or one value alone.
    pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr + DeserializeOwned,
        T::Err: Display,
    {
        match Value::deserialize(d)? {
            Value::Array(items) => items.into_iter().map(scalar).collect(),
            Value::Null => Ok(vec![]),
            one => Ok(vec![scalar(one)?]),
        }
    }

    /// Words: a JSON array of texts, or one text separated by 、 , ， ; ； or white space
    /// (a form's single field); blanks and repeats dropped.
    pub fn words<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let raw: Vec<String> = match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(D::Error::custom(format!("{other} is not a text"))),
                })
                .collect::<Result<_, _>>()?,
            Value::String(s) => s
                .split(|c: char| "、,，;；".contains(c) || c.is_whitespace())
                .map(str::to_owned)
                .collect(),
            Value::Null => vec![],
            other => return Err(D::Error::custom(format!("{other} is not a list of texts"))),
        };
        let mut out: Vec<String> = Vec::new();
        for w in raw.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
            if !out.iter().any(|x| x == w) {
                out.push(w.to_owned());
            }
        }
        Ok(out)
    }

    fn parse_date<E: Error>(s: &str) -> Result<NaiveDate, E> {
        let s = s.trim();
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|_| s.len() == 10)
            .ok_or_else(|| E::custom(format!("`{s}` is not a date of the form YYYY-MM-DD")))
    }

    /// A date, `YYYY-MM-DD`.
    pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        parse_date(&String::deserialize(d)?)
    }

    /// An optional date; an empty text is none.
    pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) if !s.trim().is_empty() => parse_date(&s).map(Some),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_json_read_into_the_same_struct() {
        let form: DraftIn = from_form(
            b"csrf=x&sections%5B4.1%5D=%E9%A2%86%E5%AF%BC&declarations%5B%5D=A10.1&declarations%5B%5D=A10.2&authenticity=true",
        )
        .unwrap();
        let json: DraftIn = from_json(serde_json::json!({
            "sections": { "4.1": "领导" }, "declarations": ["A10.1", "A10.2"], "authenticity": true
        }))
        .unwrap();
        for d in [&form, &json] {
            assert_eq!(d.sections["4.1"], "领导");
            assert_eq!(d.declarations.len(), 2);
            assert!(d.authenticity && !d.no_state_secrets);
        }
    }

    #[test]
    fn a_missing_or_malformed_field_is_named() {
        match from_form::<SubmitIn>(b"csrf=x&channel=") {
            Err(AppError::Invalid { field, .. }) => assert_eq!(field, "channel"),
            other => panic!("{other:?}"),
        }
        match from_form::<SubmitIn>(b"channel=city") {
            Err(AppError::Invalid { field, .. }) => assert_eq!(field, "channel"),
            other => panic!("{other:?}"),
        }
        match from_json::<InUnitNoticeIn>(serde_json::json!({ "start": "2026-13-01" })) {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(field, "start");
                assert!(message.to_string().contains("YYYY-MM-DD"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        match from_json::<CreateUserIn>(serde_json::json!({
            "username": "a", "display_name": "b", "grants": [{ "scope": "x" }]
        })) {
            Err(AppError::Invalid { field, .. }) => assert_eq!(field, "grants[0].role"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_nul_anywhere_is_refused_naming_its_field() {
        let field = |r: Result<DraftIn, AppError>| match r {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(message.key, "text-has-nul", "{message}");
                field
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(field(from_form(b"sections%5B4.1%5D=a%00b")), "sections.4.1");
        assert_eq!(
            field(from_json(
                serde_json::json!({ "sections": {}, "declarations": ["A10.1", "A\u{0}"] })
            )),
            "declarations[1]"
        );
        match from_form::<LoginIn>(b"username=off%00ice&password=x") {
            Err(AppError::Invalid { field, .. }) => assert_eq!(field, "username"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn indexed_form_fields_are_lists_of_objects() {
        let u: CreateUserIn = from_form(
            b"username=a&display_name=b&grants%5B0%5D%5Brole%5D=office&grants%5B1%5D%5Brole%5D=county-reviewer&grants%5B1%5D%5Bscope%5D=county%3Axinfu&service=true",
        )
        .unwrap();
        assert_eq!(u.grants.len(), 2);
        assert_eq!(u.grants[1].scope, "county:xinfu");
        assert!(u.service);
        let r: RecommendIn = from_form(b"applications=3").unwrap();
        assert_eq!(r.applications, [3]);
        let r: RecommendIn = from_form(b"applications=3&applications=4").unwrap();
        assert_eq!(r.applications, [3, 4]);
    }
}

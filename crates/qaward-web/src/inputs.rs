//! The typed input of every action, shared by its page handler and its API handler: a
//! form and a JSON body deserialize into the same struct, and a missing or malformed
//! field is an error naming the field, never an empty string.
//!
//! A form is read into the JSON shape first ([`from_form`]): `a=1` is `{"a": "1"}`,
//! `a[]=1` or a repeated `a` an array, `a[k]=1` an object, `a[0][k]=1` an array of
//! objects; an empty value counts as absent, so an optional field left blank is `None`
//! and a required one left blank is missing. Fields whose JSON type is not a string
//! (flags, numbers, lists) read the form's text through the [`lenient`] helpers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use qaward_app::AppError;
use qaward_domain::application::Channel;
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::policy::Level;
use qaward_domain::rule::RuleId;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::codes;

/// Reads a URL-encoded form into `T`.
pub fn from_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::invalid("form", format!("the form cannot be read: {e}")))?;
    read(form_value(pairs))
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

fn read<T: DeserializeOwned>(v: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(v)
        .map_err(|e| field_error(&e.path().to_string(), &e.inner().to_string()))
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
        return AppError::invalid(&field, "fill in this field");
    }
    let field = if path == "." { "body" } else { path };
    AppError::invalid(field, message)
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

    /// A flag: `true`/`false`, or a ticked checkbox's text (`true`, `on`, `1`, `yes`).
    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(b),
            Value::String(s) => match s.as_str() {
                "true" | "on" | "1" | "yes" => Ok(true),
                "false" | "off" | "0" | "no" => Ok(false),
                other => Err(D::Error::custom(format!("`{other}` is not yes or no"))),
            },
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

// ---- sessions and registration ---------------------------------------------------------

/// The input of an action that takes none beyond its path (the form still carries its
/// CSRF token).
#[derive(Debug, Deserialize)]
pub struct Empty {}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginIn {
    pub username: String,
    pub password: String,
}

/// An organization and its account (A10).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrgRegistrationIn {
    #[serde(default)]
    pub name: String,
    /// Unified social credit code (GB 32100-2015).
    #[serde(default)]
    pub credit_code: String,
    /// `enterprise`, `government-organ`, `public-institution` or `social-organization`.
    #[serde(default)]
    pub kind: String,
    /// A county-level unit id of the policy (`xinfu`, `yuanping`, …).
    #[serde(default)]
    pub county: String,
    pub industry: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub founded: String,
    #[serde(default)]
    pub legal_representative: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    pub contact_email: Option<String>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

/// A person and their account (A11).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PersonRegistrationIn {
    #[serde(default)]
    pub name: String,
    /// Resident identity number (GB 11643-1999).
    #[serde(default)]
    pub resident_id: String,
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub employer_kind: String,
    #[serde(default)]
    pub county: String,
    pub position: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub quality_work_since: String,
    #[serde(default)]
    pub contact_phone: String,
    pub contact_email: Option<String>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

impl From<OrgRegistrationIn> for qaward_app::accounts::OrgRegistration {
    fn from(r: OrgRegistrationIn) -> Self {
        Self {
            name: r.name,
            credit_code: r.credit_code,
            kind: r.kind,
            county: r.county,
            industry: r.industry,
            founded: r.founded,
            legal_representative: r.legal_representative,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            username: r.username,
            password: r.password,
        }
    }
}

impl From<PersonRegistrationIn> for qaward_app::accounts::PersonRegistration {
    fn from(r: PersonRegistrationIn) -> Self {
        Self {
            name: r.name,
            resident_id: r.resident_id,
            employer: r.employer,
            employer_kind: r.employer_kind,
            county: r.county,
            position: r.position,
            quality_work_since: r.quality_work_since,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            username: r.username,
            password: r.password,
        }
    }
}

// ---- applications -----------------------------------------------------------------------

/// The draft: sections, declarations and commitments.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftIn {
    /// Rubric category code → text (a form writes `sections[4.1]`).
    #[serde(default)]
    pub sections: BTreeMap<String, String>,
    /// Rule IDs declared met: A10.1–A10.4 for an organization, A11.1–A11.2 for a person.
    #[serde(default, deserialize_with = "lenient::list")]
    #[schema(value_type = Vec<String>)]
    pub declarations: Vec<RuleId>,
    /// A14.3: the materials are complete, true and accurate.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub authenticity: bool,
    /// A16.4: nothing touches national security or state secrets.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub no_state_secrets: bool,
}

/// An attachment's particulars; the file is the request's body (or the form's file).
#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachIn {
    /// The file's name (a form takes it from the file itself).
    pub filename: Option<String>,
    #[schema(value_type = codes::Confidentiality)]
    #[param(value_type = codes::Confidentiality)]
    pub class: Confidentiality,
    #[schema(value_type = codes::AttachmentPurpose)]
    #[param(value_type = codes::AttachmentPurpose)]
    pub purpose: Purpose,
    /// The rubric section, for section material.
    pub section: Option<String>,
}

impl DraftIn {
    /// The draft as the use case takes it.
    pub fn into_input(self) -> qaward_app::applications::draft::DraftInput {
        qaward_app::applications::draft::DraftInput {
            sections: self.sections,
            declarations: self.declarations.into_iter().collect(),
            authenticity: self.authenticity,
            no_state_secrets: self.no_state_secrets,
        }
    }
}

impl AttachIn {
    /// The particulars as the use case takes them; a form names the file by the file.
    pub fn into_input(
        self,
        filename: Option<String>,
    ) -> Result<qaward_app::applications::draft::AttachInput, AppError> {
        Ok(qaward_app::applications::draft::AttachInput {
            filename: filename
                .or(self.filename)
                .ok_or_else(|| AppError::invalid("filename", "fill in this field"))?,
            class: self.class,
            purpose: self.purpose,
            section: self.section.filter(|s| !s.trim().is_empty()),
        })
    }
}

/// The in-unit notice (A14.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct InUnitNoticeIn {
    /// The first day of the notice, YYYY-MM-DD.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    /// A later last day, if the unit posted it longer than the minimum.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<NaiveDate>,
}

/// An objection received during the in-unit notice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InUnitObjectionIn {
    /// YYYY-MM-DD, within the notice.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub received_on: NaiveDate,
    pub content: String,
}

/// How an in-unit objection was settled.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SettlementIn {
    #[serde(deserialize_with = "lenient::flag")]
    pub upheld: bool,
    pub settlement: String,
}

/// Where to submit (A14.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitIn {
    /// `county:ID` (the market supervision department of the applicant's county-level
    /// unit) or `industry:ID` (a municipal industry department).
    #[schema(value_type = String, example = "county:xinfu")]
    pub channel: Channel,
}

// ---- review -----------------------------------------------------------------------------

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionIn {
    Pass,
    Return,
    Reject,
}

impl DecisionIn {
    /// The decision with its reason (what to fix, or why rejected).
    pub fn with(self, reason: Option<String>) -> qaward_app::review::Decision {
        use qaward_app::review::Decision;
        let reason = reason.unwrap_or_default();
        match self {
            DecisionIn::Pass => Decision::Pass,
            DecisionIn::Return => Decision::Return(reason),
            DecisionIn::Reject => Decision::Reject(reason),
        }
    }
}

/// The channel's review with its checklist (A15.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChannelReviewIn {
    pub decision: DecisionIn,
    /// What to fix (return) or why (reject).
    pub reason: Option<String>,
    #[serde(default)]
    pub completeness: String,
    #[serde(default)]
    pub authenticity: String,
    #[serde(default)]
    pub accuracy: String,
    #[serde(default)]
    pub legality: String,
}

impl ChannelReviewIn {
    /// The channel's checklist: the four qualities of A15.1.
    pub fn checklist(&self) -> qaward_app::review::Checklist {
        qaward_app::review::Checklist {
            completeness: self.completeness.clone(),
            authenticity: self.authenticity.clone(),
            accuracy: self.accuracy.clone(),
            legality: self.legality.clone(),
        }
    }
}

/// Applications chosen together: a recommendation (A15.2, A15.3).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecommendIn {
    #[serde(deserialize_with = "lenient::list")]
    pub applications: Vec<i64>,
}

// ---- acceptance -------------------------------------------------------------------------

/// Departments asked for their written opinions (A16.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpinionRequestsIn {
    /// Opinion department ids of the policy (`public-security`, `tax`, …).
    #[serde(default, deserialize_with = "lenient::list")]
    pub departments: Vec<String>,
    /// YYYY-MM-DD.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
}

/// A department's answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpinionAnswerIn {
    /// An adverse finding (with reasons and evidence in `answer`), or no objection.
    #[serde(deserialize_with = "lenient::flag")]
    pub adverse: bool,
    #[serde(default)]
    pub answer: String,
}

/// The Office's formal review (A16.1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FormalReviewIn {
    pub decision: DecisionIn,
    pub reason: Option<String>,
    #[serde(default)]
    pub basic_conditions: String,
    #[serde(default)]
    pub completeness: String,
}

impl FormalReviewIn {
    /// The Office's checklist: the basic conditions and completeness (A16.1).
    pub fn checklist(&self) -> qaward_app::review::Checklist {
        qaward_app::review::Checklist {
            completeness: self.completeness.clone(),
            legality: self.basic_conditions.clone(),
            ..Default::default()
        }
    }
}

/// The acceptance list to publish (A16.3).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptanceListIn {
    #[serde(deserialize_with = "lenient::list")]
    pub applications: Vec<i64>,
    /// The notice's first day, YYYY-MM-DD, today or later.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    /// A later last day than the minimum, if the Office chooses one.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<NaiveDate>,
    /// Whom to contact about objections.
    pub contact: String,
}

// ---- notices and objections -------------------------------------------------------------

/// An objection to an entry of a notice (anyone).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ObjectionIn {
    /// The entry objected to.
    #[serde(deserialize_with = "lenient::number")]
    pub application: i64,
    /// Leave out to object anonymously.
    pub name: Option<String>,
    pub contact: Option<String>,
    pub content: String,
    pub evidence: Option<String>,
}

impl From<ObjectionIn> for qaward_app::objections::NewObjection {
    fn from(r: ObjectionIn) -> Self {
        Self {
            application: qaward_domain::ids::ApplicationId(r.application),
            name: r.name,
            contact: r.contact,
            content: r.content,
            evidence: r.evidence,
        }
    }
}

/// An objection's follow-up code.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FollowUpIn {
    pub code: String,
}

/// How the Leading Group handles an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HandlingIn {
    /// The objection does not hold.
    Dismiss,
    /// It holds: the application goes back for correction.
    Return,
    /// It holds: the application is rejected.
    Reject,
}

/// The Leading Group's handling, with its reason (A6).
#[derive(Debug, Deserialize, ToSchema)]
pub struct HandleObjectionIn {
    pub decision: HandlingIn,
    pub reason: String,
}

impl HandlingIn {
    pub fn consequence(self) -> Option<qaward_app::objections::Consequence> {
        use qaward_app::objections::Consequence;
        match self {
            HandlingIn::Dismiss => None,
            HandlingIn::Return => Some(Consequence::Return),
            HandlingIn::Reject => Some(Consequence::Reject),
        }
    }
}

// ---- the register, accounts and cycles --------------------------------------------------

/// A declaration of interest (A29).
#[derive(Debug, Deserialize, ToSchema)]
pub struct InterestIn {
    /// What the interest is: employment, directorship, kinship, financial, other.
    pub reason: String,
}

/// An award of a subject, recorded in the register (with its revocation, if any).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AwardIn {
    #[serde(deserialize_with = "lenient::number")]
    pub cycle_ordinal: u32,
    #[serde(deserialize_with = "lenient::number")]
    pub cycle_year: i32,
    #[schema(value_type = codes::AwardLevel)]
    pub level: Level,
    /// YYYY-MM-DD, when the award was revoked.
    #[serde(default, deserialize_with = "lenient::opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub revoked_on: Option<NaiveDate>,
    /// The decision or document it is recorded from.
    pub reference: String,
}

/// A role with its scope.
#[derive(Debug, Clone, Deserialize, serde::Serialize, ToSchema)]
pub struct GrantIn {
    /// A role of DESIGN.md §1: `office`, `county-reviewer`, …
    pub role: String,
    /// `county:xinfu`, `industry:industry-it`, `opinion-dept:tax`, `cycles:1,2`,
    /// `subject:5`; empty for the program or the installation.
    #[serde(default)]
    pub scope: String,
}

/// A staff account with its grants.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserIn {
    pub username: String,
    pub display_name: String,
    /// At least 10 characters; leave empty for a service account.
    #[serde(default)]
    pub password: String,
    pub email: Option<String>,
    pub grants: Vec<GrantIn>,
    /// A service account: no password login, API tokens only.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub service: bool,
}

impl CreateUserIn {
    /// The grants, each read by the domain, the field at fault named.
    pub fn grants(&self) -> Result<Vec<qaward_domain::permission::Grant>, AppError> {
        self.grants
            .iter()
            .map(|g| qaward_app::accounts::parse_grant(&g.role, &g.scope))
            .collect()
    }
}

/// An API token to issue.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenIn {
    /// What the token is for.
    pub name: String,
    /// Days until it expires (1–3650, default 90).
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub days: Option<i64>,
}

/// A cycle to open (A4.2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CycleIn {
    /// 第 N 届.
    #[serde(deserialize_with = "lenient::number")]
    pub ordinal: u32,
    #[serde(deserialize_with = "lenient::number")]
    pub year: i32,
    /// YYYY-MM-DD, each.
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub application_opens: NaiveDate,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub application_closes: NaiveDate,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub channel_review_due: NaiveDate,
    #[serde(deserialize_with = "lenient::date")]
    #[schema(value_type = String, format = Date)]
    pub formal_review_due: NaiveDate,
}

impl CycleIn {
    pub fn cycle(&self) -> qaward_domain::subject::CycleRef {
        qaward_domain::subject::CycleRef {
            ordinal: self.ordinal,
            year: self.year,
        }
    }

    pub fn timeline(&self) -> qaward_domain::cycle::Timeline {
        qaward_domain::cycle::Timeline {
            application_opens: self.application_opens,
            application_closes: self.application_closes,
            channel_review_due: self.channel_review_due,
            formal_review_due: self.formal_review_due,
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
                assert!(message.contains("YYYY-MM-DD"), "{message}");
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

//! Accounts: staff accounts and their grants (made by an admin, or at the console for the
//! first admin), and applicants' self-registration with their subject.

mod directory;
mod manage;

pub use directory::{ScopeChoice, find_users, scope_choices, tokens};
pub use manage::{end_sessions, remove_grant, reset_password, set_active};

use crate::audit::{self, AuditAction, Object, Who};
use chrono::NaiveDate;
use qaward_domain::ids::{CreditCode, ResidentId, UserId};
use qaward_domain::msg;
use qaward_domain::permission::UserKind;
use qaward_domain::permission::{Grant, Perm, Role, Scope, Target};
use qaward_domain::policy::Policy;
use qaward_domain::subject::{OrgKind, Organization, Person, Subject};
use qaward_domain::text::UnknownCode;
use qaward_store::subjects::Contact;
use qaward_store::users::{NewUser, User};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{check_new_password, hash_password};
use crate::{App, AppError, Principal, check};

/// Usernames: 2–40 of a-z, 0-9, `.`, `_`, `-`, starting with a letter or digit.
pub fn check_username(u: &str) -> Result<(), AppError> {
    let ok = (2..=40).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && u.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid("username", msg!("username-form")))
    }
}

/// A registration's or an account's field: names, numbers, addresses.
fn required<'a>(field: &str, v: &'a str) -> Result<&'a str, AppError> {
    crate::limits::required(field, v, crate::limits::NAME)
}

fn optional(field: &str, v: &Option<String>) -> Result<Option<String>, AppError> {
    crate::limits::optional(field, v.as_deref(), crate::limits::NAME)
}

fn date(field: &str, v: &str) -> Result<NaiveDate, AppError> {
    let v = required(field, v)?;
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|_| v.len() == 10)
        .ok_or_else(|| AppError::invalid(field, msg!("date-form", value = v)))
}

/// A date that must not be after `today` (the settings' clock, so that `--today` counts).
fn past_date(field: &str, v: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let d = date(field, v)?;
    if d > today {
        return Err(AppError::invalid(
            field,
            msg!("date-in-the-future", date = d),
        ));
    }
    Ok(d)
}

fn org_kind(field: &str, v: &str) -> Result<OrgKind, AppError> {
    v.trim()
        .parse()
        .map_err(|e: UnknownCode| AppError::invalid(field, e.message()))
}

fn county(policy: &Policy, v: &str) -> Result<String, AppError> {
    let v = required("county", v)?;
    policy
        .county(v)
        .map(|c| c.id.clone())
        .ok_or_else(|| AppError::invalid("county", msg!("unknown-county", value = v)))
}

/// Checks that a grant's scope names things the policy knows.
pub fn check_grant(policy: &Policy, g: &Grant) -> Result<(), AppError> {
    if matches!(g.role, Role::ApplicantOrg | Role::ApplicantPerson) {
        return Err(AppError::invalid(
            "role",
            msg!("applicant-roles-by-registration"),
        ));
    }
    let known = match &g.scope {
        Scope::County(c) => policy.county(c).is_some(),
        Scope::Industry(i) => policy.industry(i).is_some(),
        Scope::OpinionDept(d) => policy.opinion_depts.iter().any(|o| &o.id == d),
        _ => true,
    };
    if known {
        Ok(())
    } else {
        Err(AppError::invalid("scope", msg!("scope-not-in-policy")))
    }
}

/// `g` bound to its program ([`crate::programs::bind`]) and checked against the measures
/// in force there: a county, industry or department of one program's measures may be
/// unknown to another's.
async fn bound_grant(app: &App, g: &Grant) -> Result<Grant, AppError> {
    let g = crate::programs::bind(app, g).await?;
    let policy = match g.program {
        Some(p) => app.policy_in(p).await?,
        None => app.policy().await?,
    };
    check_grant(&policy, &g)?;
    Ok(g)
}

/// A staff account to create.
#[derive(Debug, Clone, Deserialize)]
pub struct NewStaff {
    pub username: String,
    pub display_name: String,
    /// Ignored for a service account, which cannot log in with a password.
    pub password: String,
    #[serde(default)]
    pub email: Option<String>,
    pub grants: Vec<Grant>,
    /// A service account, for a script with an API token.
    #[serde(default)]
    pub service: bool,
}

/// The stored password hash of a service account: no password verifies against it.
const NO_PASSWORD: &str = "!service-account";

async fn insert_staff(
    app: &App,
    s: &NewStaff,
    actor: Who<'_>,
) -> Result<(User, Vec<Grant>), AppError> {
    check_username(&s.username)?;
    let display = required("display_name", &s.display_name)?;
    if !s.service {
        check_new_password(&s.password)?;
    }
    if s.grants.is_empty() {
        return Err(AppError::invalid("grants", msg!("account-needs-a-role")));
    }
    let mut grants = Vec::with_capacity(s.grants.len());
    for g in &s.grants {
        grants.push(bound_grant(app, g).await?);
    }
    let hash = if s.service {
        NO_PASSWORD.to_owned()
    } else {
        hash_password(&s.password).await?
    };
    let email = optional("email", &s.email)?;
    let mut tx = app.store.write().await?;
    let user = tx
        .create_user(NewUser {
            username: &s.username,
            display_name: display,
            password_hash: &hash,
            kind: UserKind::Staff,
            subject_id: None,
            email: email.as_deref(),
            service: s.service,
        })
        .await?;
    for g in &grants {
        tx.add_grant(user.id, g).await?;
    }
    audit::append(
        &mut tx,
        actor,
        AuditAction::UserCreate,
        Object::User(user.id),
        json!({ "after": { "username": user.username, "display_name": user.display_name, "service": s.service, "grants": grants } }),
    )
    .await?;
    tx.commit().await?;
    Ok((user, grants))
}

/// An admin creates a staff account with its grants; returns the account and its grants
/// as stored (each program-bound one in its program).
pub async fn create_staff(
    app: &App,
    by: &Principal,
    s: &NewStaff,
) -> Result<(User, Vec<Grant>), AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    insert_staff(app, s, Who::Principal(by)).await
}

/// The operator at the server console creates an account (the first admin):
/// `qaward admin create-user`. Recorded in the audit log as the console.
pub async fn create_staff_at_console(
    app: &App,
    s: &NewStaff,
) -> Result<(User, Vec<Grant>), AppError> {
    insert_staff(app, s, Who::Console).await
}

/// An admin adds a grant to someone else's account (never their own: see [`manage`]).
pub async fn add_grant(app: &App, by: &Principal, user: UserId, g: &Grant) -> Result<(), AppError> {
    let target = manage::other_account(app, by, user).await?;
    let g = &bound_grant(app, g).await?;
    if target.kind != UserKind::Staff {
        return Err(AppError::invalid("user", msg!("grants-for-staff")));
    }
    let mut tx = app.store.write().await?;
    tx.add_grant(user, g).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::GrantAdd,
        Object::User(user),
        json!({ "after": g }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an organization fills in to register.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgRegistration {
    pub name: String,
    pub credit_code: String,
    pub kind: String,
    pub county: String,
    #[serde(default)]
    pub industry: Option<String>,
    pub founded: String,
    pub legal_representative: String,
    pub contact_name: String,
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: Option<String>,
    pub username: String,
    pub password: String,
}

/// What a person fills in to register.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonRegistration {
    pub name: String,
    pub resident_id: String,
    pub employer: String,
    pub employer_kind: String,
    pub county: String,
    #[serde(default)]
    pub position: Option<String>,
    pub quality_work_since: String,
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: Option<String>,
    pub username: String,
    pub password: String,
}

impl OrgRegistration {
    fn parse(&self, policy: &Policy, today: NaiveDate) -> Result<(Subject, Contact), AppError> {
        let subject = Subject::Organization(Organization {
            name: required("name", &self.name)?.to_owned(),
            credit_code: CreditCode::parse(required("credit_code", &self.credit_code)?)
                .map_err(|e| AppError::invalid("credit_code", e.message()))?,
            kind: org_kind("kind", &self.kind)?,
            county: county(policy, &self.county)?,
            founded: past_date("founded", &self.founded, today)?,
            industry: optional("industry", &self.industry)?,
            legal_representative: Some(
                required("legal_representative", &self.legal_representative)?.to_owned(),
            ),
        });
        let contact = Contact {
            name: required("contact_name", &self.contact_name)?.to_owned(),
            phone: required("contact_phone", &self.contact_phone)?.to_owned(),
            email: optional("contact_email", &self.contact_email)?,
        };
        Ok((subject, contact))
    }
}

impl PersonRegistration {
    fn parse(&self, policy: &Policy, today: NaiveDate) -> Result<(Subject, Contact), AppError> {
        let name = required("name", &self.name)?.to_owned();
        let subject = Subject::Person(Person {
            name: name.clone(),
            resident_id: ResidentId::parse(required("resident_id", &self.resident_id)?)
                .map_err(|e| AppError::invalid("resident_id", e.message()))?,
            employer: required("employer", &self.employer)?.to_owned(),
            employer_kind: org_kind("employer_kind", &self.employer_kind)?,
            county: county(policy, &self.county)?,
            position: optional("position", &self.position)?,
            quality_work_since: past_date("quality_work_since", &self.quality_work_since, today)?,
        });
        let contact = Contact {
            name,
            phone: required("contact_phone", &self.contact_phone)?.to_owned(),
            email: optional("contact_email", &self.contact_email)?,
        };
        Ok((subject, contact))
    }
}

/// A registration of either kind.
pub enum Registration<'a> {
    Organization(&'a OrgRegistration),
    Person(&'a PersonRegistration),
}

/// Registers an applicant: the subject, its account and the applicant grant, in one
/// transaction. Anyone may register (A3: application is voluntary and starts with the
/// applicant), as often as the throttle allows from one address; an organization then
/// waits for its county to confirm the registration against its business licence before
/// it can submit ([`crate::registrations`]; its county's reviewers find it counted on
/// their home page). A taken
/// credit code or identity number is refused without saying whose, or echoing it.
pub async fn register(app: &App, r: Registration<'_>, address: &str) -> Result<User, AppError> {
    let today = app.today();
    // A subject registers under the version in force: its counties and kinds.
    let policy = app.policy().await?;
    let (subject, contact, username, password, email, role) = match r {
        Registration::Organization(o) => {
            let (s, c) = o.parse(&policy, today)?;
            (
                s,
                c,
                &o.username,
                &o.password,
                optional("contact_email", &o.contact_email)?,
                Role::ApplicantOrg,
            )
        }
        Registration::Person(p) => {
            let (s, c) = p.parse(&policy, today)?;
            (
                s,
                c,
                &p.username,
                &p.password,
                optional("contact_email", &p.contact_email)?,
                Role::ApplicantPerson,
            )
        }
    };
    check_username(username)?;
    check_new_password(password)?;
    crate::throttle::registration_attempt(app, address).await?;
    let hash = hash_password(password).await?;
    let mut tx = app.store.write().await?;
    let subject_id = tx.create_subject(&subject, &contact).await?;
    let user = tx
        .create_user(NewUser {
            username,
            display_name: subject.name(),
            password_hash: &hash,
            kind: UserKind::Applicant,
            subject_id: Some(subject_id),
            email: email.as_deref(),
            service: false,
        })
        .await?;
    let grant = Grant::new(role, Scope::Subject(subject_id)).map_err(AppError::Internal)?;
    tx.add_grant(user.id, &grant).await?;
    let shown = match &subject {
        Subject::Organization(o) => {
            json!({ "kind": "organization", "name": o.name, "credit_code": o.credit_code.as_str(), "county": o.county })
        }
        Subject::Person(p) => {
            json!({ "kind": "person", "name": p.name, "resident_id": p.resident_id.masked(), "county": p.county })
        }
    };
    audit::append(
        &mut tx,
        Who::Account {
            user: user.id,
            name: &user.username,
            role,
        },
        AuditAction::SubjectRegister,
        Object::Subject(subject_id),
        json!({ "after": shown, "address": address }),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// All accounts, for admins: a read of personal data (applicants' names), logged.
pub async fn list_users(app: &App, by: &Principal) -> Result<Vec<(User, Vec<Grant>)>, AppError> {
    find_users(app, by, "").await
}

/// Reads a grant written as a role and a scope: `county:xinfu`, `industry:industry-it`,
/// `opinion-dept:tax`, `cycles:1,2`, or empty for the program or the installation; and
/// the program it holds in, by number (none: the installation's first program, for the
/// roles bound to one).
pub fn parse_grant(role: &str, scope: &str, program: Option<i64>) -> Result<Grant, AppError> {
    Grant::parse(role, scope)
        .map(|g| g.within(program.map(qaward_domain::ids::ProgramId)))
        .map_err(|(field, detail)| AppError::invalid(field, msg!("grant-invalid", detail = detail)))
}

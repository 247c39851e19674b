//! The versions of the measures (A33, A34): which version governs what, and loading a
//! successor.
//!
//! Every version the installation has loaded is stored with its full text and hash, for
//! the program it was adopted for: each program runs under its own measures (issue #13,
//! item 4). A cycle is bound to the version in force when it opened and is checked by
//! that version to its end ([`App::policy_of`]); a successor governs only cycles opened
//! after it was adopted ([`App::policy_in`] is the version a program's new cycles open
//! under; [`App::policy`], the first program's, rules what the installation shares: the
//! subject register and its counties and departments). Versions never change
//! once stored, so each process keeps the parsed ones it has needed; which version is in
//! force is one small read, so that every instance sharing a database sees an adoption
//! at once.
//!
//! Loading a successor is two steps, for the Office or the administrator (and
//! `qaward policy load`): [`preview`] validates the file fully and lists what it changes
//! from the version in force; [`adopt`] records it with its issuing document.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use qaward_domain::ids::{CycleId, ProgramId};
use qaward_domain::load::Refused;
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Target};
use qaward_domain::policy::Policy;
use qaward_domain::policy::diff::{self, Change};
use qaward_store::policy_versions::{NewVersion, PolicyVersion, digest};
use qaward_store::programs::Cycle;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditAction, Object, Who};
use crate::{App, AppError, Principal, check};

/// The parsed versions a process has needed, and the file it was started with.
pub struct Policies {
    /// The configured policy file: the first version of an installation that holds none.
    seed: Arc<Policy>,
    seed_source: Arc<str>,
    /// Whether the file was named by the configuration (then it must be a stored version)
    /// rather than the embedded default.
    configured: bool,
    parsed: RwLock<HashMap<String, Arc<Policy>>>,
}

impl Policies {
    /// The versions of a process started with `seed` (the text it was parsed from).
    pub fn new(seed: Policy, seed_source: &str, configured: bool) -> Self {
        let seed = Arc::new(seed);
        let parsed = HashMap::from([(seed.id.clone(), seed.clone())]);
        Self {
            seed,
            seed_source: Arc::from(seed_source),
            configured,
            parsed: RwLock::new(parsed),
        }
    }

    fn cached(&self, code: &str) -> Option<Arc<Policy>> {
        self.parsed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(code)
            .cloned()
    }

    fn keep(&self, policy: Arc<Policy>) {
        self.parsed
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(policy.id.clone(), policy);
    }
}

/// Parses a stored version's text.
fn parse(v: &PolicyVersion) -> Result<Policy, AppError> {
    Policy::from_toml(&format!("stored policy version {}", v.code), &v.source)
        .map_err(|e| AppError::Internal(format!("stored policy version {}: {e}", v.code)))
}

impl App {
    /// The version in force for the installation's first program: the measures of what
    /// the installation shares (the subject register, its counties and departments), and
    /// of new cycles before any program is made.
    pub async fn policy(&self) -> Result<Arc<Policy>, AppError> {
        let Some(code) = self.store.policy_code_in_force(None).await? else {
            // Before the first start has stored a version (a store set up by hand).
            return Ok(self.policies.seed.clone());
        };
        self.policy_version(&code).await
    }

    /// The version the new cycles of `program` open under: the one adopted for it last.
    pub async fn policy_in(&self, program: ProgramId) -> Result<Arc<Policy>, AppError> {
        match self.store.policy_code_in_force(Some(program)).await? {
            Some(code) => self.policy_version(&code).await,
            None => Ok(self.policies.seed.clone()),
        }
    }

    /// The version a cycle was opened under, which governs it to its end.
    pub async fn policy_of(&self, cycle: &Cycle) -> Result<Arc<Policy>, AppError> {
        self.policy_version(&cycle.policy_id).await
    }

    /// The version the cycle `id` was opened under.
    pub async fn policy_of_cycle(&self, id: CycleId) -> Result<Arc<Policy>, AppError> {
        self.policy_of(&self.store.cycle(id).await?).await
    }

    /// The version of the newest cycle `by` works on, or the version in force when no
    /// cycle is open yet.
    pub async fn policy_of_current_cycle(
        &self,
        by: Option<&crate::Principal>,
    ) -> Result<Arc<Policy>, AppError> {
        match crate::home::current_cycle(self, by).await? {
            Some(c) => self.policy_of(&c).await,
            None => self.policy().await,
        }
    }

    /// A stored version by its code.
    pub async fn policy_version(&self, code: &str) -> Result<Arc<Policy>, AppError> {
        if let Some(p) = self.policies.cached(code) {
            return Ok(p);
        }
        let v =
            self.store.policy_version(code).await?.ok_or_else(|| {
                AppError::Internal(format!("policy version {code} is not stored"))
            })?;
        let p = Arc::new(parse(&v)?);
        self.policies.keep(p.clone());
        Ok(p)
    }
}

/// Makes the store's versions ready at start: hashes versions carried over from before
/// versions were stored, stores the configured file as the first version of an
/// installation that holds none, refuses a configured file that differs from the stored
/// version of its id or is not stored, and refuses to start when a cycle's version is
/// missing or does not parse. Returns what it did, for the log.
pub async fn install(app: &App) -> Result<Vec<String>, AppError> {
    let mut said = Vec::new();
    let hashed = app.store.hash_policy_versions().await?;
    if hashed > 0 {
        said.push(format!("hashed {hashed} policy version(s) carried over"));
    }
    let stored = app.store.policy_versions().await?;
    let seed = &app.policies.seed;
    if stored.is_empty() {
        match store_first_version(app).await {
            Ok(()) => said.push(format!("stored policy {} as the first version", seed.id)),
            // Another instance sharing the database stored it first: the check below
            // holds a configured file to the text stored.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let stored = app.store.policy_versions().await?;
    if app.policies.configured {
        match stored.iter().find(|v| v.code == seed.id) {
            Some(v) if v.sm3 == digest(&app.policies.seed_source) => {}
            Some(_) => {
                return Err(AppError::Conflict(msg!(
                    "policy-configured-differs",
                    code = seed.id.as_str()
                )));
            }
            None => {
                return Err(AppError::Conflict(msg!(
                    "policy-configured-not-loaded",
                    code = seed.id.as_str()
                )));
            }
        }
    }
    for v in &stored {
        let p = parse(v)?;
        if p.id != v.code {
            return Err(AppError::Internal(format!(
                "stored policy version {} holds a file whose id is {}",
                v.code, p.id
            )));
        }
        app.policies.keep(Arc::new(p));
    }
    for code in app.store.cycle_policy_codes().await? {
        if !stored.iter().any(|v| v.code == code) {
            return Err(AppError::Conflict(msg!(
                "policy-version-missing",
                code = code.as_str()
            )));
        }
    }
    Ok(said)
}

/// Stores the configured file as the first version of an installation that holds none.
async fn store_first_version(app: &App) -> Result<(), AppError> {
    let (seed, source) = (&app.policies.seed, &app.policies.seed_source);
    let mut tx = app.store.write().await?;
    tx.adopt_policy_version(&NewVersion {
        program: None,
        code: &seed.id,
        title: &seed.title,
        source,
        document_number: None,
        document_date: seed.effective.value,
        adopted_by: "installation",
    })
    .await?;
    audit::append(
        &mut tx,
        Who::System,
        AuditAction::PolicyAdopt,
        Object::Policy(seed.id.clone()),
        json!({ "after": { "code": seed.id, "sm3": digest(source), "first": true } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The issuing document of a version being adopted.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Document {
    /// 文号, e.g. 忻政办发〔2026〕1号.
    pub number: String,
    pub date: NaiveDate,
}

/// A stored version as the versions page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// The policy file's `id`.
    pub code: String,
    pub title: String,
    /// Hex SM3 of the file's text as stored.
    pub sm3: String,
    /// The issuing document: its number (unknown for the version that came with the
    /// installation) and date.
    pub document_number: Option<String>,
    pub document_date: String,
    /// `installation`, `migration`, `console` or the adopter's login name.
    pub adopted_by: String,
    pub adopted_at: String,
    pub in_force: bool,
    pub effective: NaiveDate,
    pub last_day: Option<NaiveDate>,
    /// How many cycles it governs.
    pub cycles: usize,
}

/// The program whose measures `by` keeps: the one they work in, once they may keep
/// measures at all (so that no one else's asking makes or reads a program).
async fn kept_by(app: &App, by: &Principal) -> Result<ProgramId, AppError> {
    check(Some(by), Perm::LoadPolicy, &Target::default())?;
    let program = crate::programs::working(app, by).await?;
    check(
        Some(by),
        Perm::LoadPolicy,
        &Target {
            program: Some(program),
            ..Target::default()
        },
    )?;
    Ok(program)
}

/// Every version stored for the program `by` works in, newest first, with how many
/// cycles each governs.
pub async fn versions(app: &App, by: &Principal) -> Result<Vec<Version>, AppError> {
    let program = kept_by(app, by).await?;
    let stored = app.store.policy_versions_of(program).await?;
    let cycles: HashMap<String, i64> = app.store.cycles_per_policy().await?.into_iter().collect();
    let in_force = app.store.policy_code_in_force(Some(program)).await?;
    let mut out = Vec::with_capacity(stored.len());
    for v in stored.into_iter().rev() {
        let p = app.policy_version(&v.code).await?;
        out.push(Version {
            in_force: in_force.as_deref() == Some(v.code.as_str()),
            effective: p.effective.value,
            last_day: p.last_day_in_force(),
            cycles: cycles.get(&v.code).copied().unwrap_or(0) as usize,
            code: v.code,
            title: v.title,
            sm3: v.sm3,
            document_number: v.document_number,
            document_date: v.document_date,
            adopted_by: v.adopted_by,
            adopted_at: v.adopted_at,
        });
    }
    Ok(out)
}

/// What loading a file would do: the version it is, and what it changes.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub code: String,
    pub title: String,
    pub effective: NaiveDate,
    pub last_day: Option<NaiveDate>,
    /// The version in force now, which the changes are counted from.
    pub in_force: String,
    pub changes: Vec<Change>,
}

/// Validates a policy file fully and lists what it changes from the version in force for
/// the program `by` works in. Refused: a file that does not load, an id already stored, a
/// successor that takes effect before the version in force did.
pub async fn preview(app: &App, by: &Principal, source: &str) -> Result<Preview, AppError> {
    let program = kept_by(app, by).await?;
    preview_at_console(app, Some(program), source).await
}

/// [`preview`] for the operator at the console (`qaward policy load`), for `program` or
/// the installation's first.
pub async fn preview_at_console(
    app: &App,
    program: Option<ProgramId>,
    source: &str,
) -> Result<Preview, AppError> {
    let (new, old) = validate(app, program, source).await?;
    Ok(Preview {
        code: new.id.clone(),
        title: new.title.clone(),
        effective: new.effective.value,
        last_day: new.last_day_in_force(),
        in_force: old.id.clone(),
        changes: diff::compare(&old, &new),
    })
}

async fn validate(
    app: &App,
    program: Option<ProgramId>,
    source: &str,
) -> Result<(Policy, Arc<Policy>), AppError> {
    let new = parse_new(app, source).await?;
    let old = match program {
        Some(p) => app.policy_in(p).await?,
        None => app.policy().await?,
    };
    if new.effective.value < old.effective.value {
        return Err(AppError::invalid(
            "source",
            msg!(
                "policy-effective-before-in-force",
                effective = new.effective.value,
                current = old.title.as_str(),
                current_effective = old.effective.value
            ),
        ));
    }
    Ok((new, old))
}

/// A policy file read for storing: whole, parsed and validated, its id not yet held.
pub(crate) async fn parse_new(app: &App, source: &str) -> Result<Policy, AppError> {
    // No NUL, no longer than the longest text anyone types; stored as sent.
    if crate::limits::bounded("source", source, crate::limits::SECTION)?.is_empty() {
        return Err(AppError::invalid("source", msg!("policy-file-required")));
    }
    let new = Policy::parse("policy", source).map_err(|e| {
        let told = match e {
            Refused::File(e) => msg!("policy-file-invalid", problem = e.message()),
            Refused::Value { field, problem } => msg!(
                "policy-value-invalid",
                field = field.as_str(),
                problem = problem.message()
            ),
        };
        AppError::invalid("source", told)
    })?;
    if app.store.policy_version(&new.id).await?.is_some() {
        return Err(AppError::Conflict(msg!(
            "policy-version-exists",
            code = new.id.as_str()
        )));
    }
    Ok(new)
}

/// The issuing document's number, checked: given, and not dated after today.
pub(crate) fn document_number<'a>(app: &App, document: &'a Document) -> Result<&'a str, AppError> {
    let number = crate::limits::bounded("document_number", &document.number, crate::limits::NAME)?;
    if number.is_empty() {
        return Err(AppError::invalid(
            "document_number",
            msg!("policy-document-required"),
        ));
    }
    if document.date > app.today() {
        return Err(AppError::invalid(
            "document_date",
            msg!("policy-document-in-future", date = document.date),
        ));
    }
    Ok(number)
}

/// Adopts a successor for the program `by` works in: validated again as it is stored,
/// recorded with its issuing document, in force for every cycle of that program opened
/// from now on; running cycles keep theirs, and other programs keep their own measures.
pub async fn adopt(
    app: &App,
    by: &Principal,
    source: &str,
    document: &Document,
) -> Result<String, AppError> {
    let program = kept_by(app, by).await?;
    adopt_as(
        app,
        Who::Principal(by),
        &by.user.username,
        Some(program),
        source,
        document,
    )
    .await
}

/// [`adopt`] for the operator at the console (`qaward policy load`), for `program` or the
/// installation's first (or, before any program is made, for the one to be made first).
pub async fn adopt_at_console(
    app: &App,
    program: Option<ProgramId>,
    source: &str,
    document: &Document,
) -> Result<String, AppError> {
    adopt_as(app, Who::Console, "console", program, source, document).await
}

async fn adopt_as(
    app: &App,
    who: Who<'_>,
    name: &str,
    program: Option<ProgramId>,
    source: &str,
    document: &Document,
) -> Result<String, AppError> {
    let number = document_number(app, document)?;
    let (new, old) = validate(app, program, source).await?;
    let program = match program {
        Some(p) => Some(p),
        None => app.store.programs().await?.first().map(|p| p.id),
    };
    let changes = diff::compare(&old, &new).len();
    let mut tx = app.store.write().await?;
    tx.adopt_policy_version(&NewVersion {
        program,
        code: &new.id,
        title: &new.title,
        source,
        document_number: Some(number),
        document_date: document.date,
        adopted_by: name,
    })
    .await?;
    audit::append(
        &mut tx,
        who,
        AuditAction::PolicyAdopt,
        Object::Policy(new.id.clone()),
        json!({
            "program": program.map(|p| p.0),
            "before": { "in_force": old.id },
            "after": { "code": new.id, "sm3": digest(source), "document": number,
                       "document_date": document.date, "changes": changes },
        }),
    )
    .await?;
    tx.commit().await?;
    let code = new.id.clone();
    app.policies.keep(Arc::new(new));
    Ok(code)
}

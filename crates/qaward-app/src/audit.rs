//! The audit log as the use cases write and read it.
//!
//! Every entry names one [`AuditAction`] — a closed vocabulary with a stable code
//! (`application.submit`) and a label per language — and one [`Object`]; call sites never
//! spell an action as a string. A change appends its entry inside its own transaction
//! ([`append`]); a read of protected data records its entry on its own ([`record`]).
//! Supervisors read the log and recompute the chain through [`log`] and [`verify`], and
//! both reads are themselves recorded.

use std::fmt;

mod action;

use qaward_domain::permission::{Perm, Target};
use qaward_domain::text::Vocabulary;
use qaward_store::WriteTx;
use qaward_store::audit::{self as store_audit, NewEntry};
use serde::Serialize;
use serde_json::Value;

use crate::{App, AppError, Principal, check};

pub use action::AuditAction;

/// What an entry is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    Application(qaward_domain::ids::ApplicationId),
    Subject(qaward_domain::ids::SubjectId),
    User(qaward_domain::ids::UserId),
    /// Every account (the admin's list).
    AllUsers,
    /// A login name that is no account, or a registration not yet an account: the name
    /// typed is not kept (it may be a password typed into the wrong field).
    UnknownAccount,
    /// Subjects of the register as a list (organizations awaiting confirmation).
    AllSubjects,
    Notification(i64),
    Program(qaward_domain::ids::ProgramId),
    /// A version of the measures, by its code.
    Policy(String),
    /// A year of the working-day calendar.
    CalendarYear(i32),
    Cycle(qaward_domain::ids::CycleId),
    Notice(i64),
    /// An uploaded file, by its content hash.
    File(String),
    AuditLog,
    /// The objections of the Leading Group's queue (which ones: in the entry's detail).
    AllObjections,
    /// The e-mail outbox.
    Outbox,
    /// Every declaration of interest.
    AllInterests,
    /// The expert pool as a whole.
    ExpertPool,
    Panel(i64),
    Draw(i64),
    Complaint(i64),
    /// Complaints as a list (the supervision group's queue, the Office's requests).
    AllComplaints,
}

impl Object {
    /// The stored object type and id.
    fn parts(&self) -> (&'static str, String) {
        match self {
            Object::Application(id) => ("application", id.to_string()),
            Object::Subject(id) => ("subject", id.to_string()),
            Object::User(id) => ("user", id.to_string()),
            Object::AllUsers => ("user", "*".into()),
            Object::UnknownAccount => ("username", "unknown".into()),
            Object::AllSubjects => ("subject", "*".into()),
            Object::Notification(id) => ("notification", id.to_string()),
            Object::Program(id) => ("program", id.to_string()),
            Object::Cycle(id) => ("cycle", id.to_string()),
            Object::Policy(code) => ("policy", code.clone()),
            Object::CalendarYear(y) => ("calendar", y.to_string()),
            Object::Notice(id) => ("notice", id.to_string()),
            Object::File(hash) => ("file", hash.clone()),
            Object::AuditLog => ("audit", "log".into()),
            Object::AllObjections => ("objection", "*".into()),
            Object::Outbox => ("outbox", "*".into()),
            Object::AllInterests => ("interest", "*".into()),
            Object::ExpertPool => ("expert", "*".into()),
            Object::Panel(id) => ("panel", id.to_string()),
            Object::Draw(id) => ("draw", id.to_string()),
            Object::Complaint(id) => ("complaint", id.to_string()),
            Object::AllComplaints => ("complaint", "*".into()),
        }
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (t, id) = self.parts();
        write!(f, "{t} {id}")
    }
}

/// Who acted, as the log names them.
pub enum Who<'a> {
    Principal(&'a Principal),
    /// Someone not logged in.
    Public,
    /// The system itself (the demo's seed).
    System,
    /// The operator at the server console (`qaward admin create-user`).
    Console,
    /// An account acting before it has a session: an applicant registering.
    Account {
        user: qaward_domain::ids::UserId,
        name: &'a str,
        role: qaward_domain::permission::Role,
    },
}

impl Who<'_> {
    fn actor(&self) -> store_audit::Actor {
        match self {
            Who::Principal(p) => p.audit_actor(),
            Who::Public => store_audit::Actor::public(),
            Who::System => store_audit::Actor::system(),
            Who::Console => store_audit::Actor {
                user_id: None,
                name: "console".into(),
                role: "console".into(),
            },
            Who::Account { user, name, role } => store_audit::Actor {
                user_id: Some(user.0),
                name: (*name).to_owned(),
                role: role.code().to_owned(),
            },
        }
    }
}

impl<'a> From<&'a Principal> for Who<'a> {
    fn from(p: &'a Principal) -> Self {
        Who::Principal(p)
    }
}

fn entry(who: Who<'_>, action: AuditAction, object: Object, detail: Value) -> NewEntry {
    let (object_type, object_id) = object.parts();
    NewEntry {
        actor: who.actor(),
        action: action.code().to_owned(),
        object_type: object_type.to_owned(),
        object_id,
        detail,
    }
}

/// Appends an entry inside the transaction of the change it records.
pub(crate) async fn append<'a>(
    tx: &mut WriteTx,
    who: impl Into<Who<'a>>,
    action: AuditAction,
    object: Object,
    detail: Value,
) -> Result<(), AppError> {
    store_audit::append(tx, entry(who.into(), action, object, detail)).await?;
    Ok(())
}

/// Records a read of protected data (or another event without a change of its own).
pub(crate) async fn record<'a>(
    app: &App,
    who: impl Into<Who<'a>>,
    action: AuditAction,
    object: Object,
    detail: Value,
) -> Result<(), AppError> {
    store_audit::record(&app.store, entry(who.into(), action, object, detail)).await?;
    Ok(())
}

/// An entry as a supervisor reads it.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub seq: i64,
    pub at: String,
    pub actor_name: String,
    pub actor_role: String,
    /// The action's code as stored (entries written by earlier versions keep theirs).
    pub action: String,
    /// The action, where its code is one this version knows.
    pub known: Option<AuditAction>,
    pub object_type: String,
    pub object_id: String,
    pub detail: String,
    pub hash: String,
}

/// The newest entries, for supervisors: those about their programs' objects and about
/// what the installation shares (accounts, the register), not another program's (issue
/// #13, item 4); the read itself is recorded.
pub async fn log(app: &App, by: &Principal, limit: i64) -> Result<Vec<LogEntry>, AppError> {
    check(Some(by), Perm::ViewAuditLog, &Target::default())?;
    let limit = limit.clamp(1, 1000);
    record(
        app,
        by,
        AuditAction::AuditView,
        Object::AuditLog,
        serde_json::json!({ "limit": limit }),
    )
    .await?;
    let programs: Vec<i64> = by
        .programs_as(qaward_domain::permission::Role::Supervisor)
        .iter()
        .map(|p| p.0)
        .collect();
    Ok(store_audit::recent_in(&app.store, limit, &programs)
        .await?
        .into_iter()
        .map(LogEntry::from)
        .collect())
}

impl From<store_audit::Entry> for LogEntry {
    fn from(e: store_audit::Entry) -> Self {
        LogEntry {
            known: AuditAction::from_code(&e.action),
            seq: e.seq,
            at: e.at,
            actor_name: e.actor_name,
            actor_role: e.actor_role,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            detail: e.detail,
            hash: e.hash,
        }
    }
}

/// What recomputing the chain found.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// Whether every entry was checked and holds: hashes and links, and the MACs of keyed
    /// entries under the installation's audit key.
    pub ok: bool,
    /// What was checked (entries, which are keyed, the key's id, the head), or the first
    /// entry that does not hold, in English.
    pub result: String,
    /// The same in Chinese.
    pub result_zh: String,
}

/// Recomputes the chain on request (it reads every entry, so it is not done on every
/// view), with the MACs under the installation's key; the verification is recorded with
/// its result.
pub async fn verify(app: &App, by: &Principal) -> Result<Verification, AppError> {
    check(Some(by), Perm::ViewAuditLog, &Target::default())?;
    let v = match store_audit::verify(&app.store).await? {
        Ok(v) => Verification {
            ok: v.complete(),
            result: v.to_string(),
            result_zh: v.zh(),
        },
        Err(b) => Verification {
            ok: false,
            result: b.to_string(),
            result_zh: b.zh(),
        },
    };
    record(
        app,
        by,
        AuditAction::AuditVerify,
        Object::AuditLog,
        serde_json::json!({ "ok": v.ok, "result": v.result }),
    )
    .await?;
    Ok(v)
}

/// The entries about one object, newest first, for supervisors; the read is recorded.
pub async fn about(
    app: &App,
    by: &Principal,
    object: Object,
    limit: i64,
) -> Result<Vec<LogEntry>, AppError> {
    // The log about one applicant is about that applicant: a reader recused from it (A29)
    // is refused, as for the application itself.
    // An application's log is its program's: a supervisor of another award is refused.
    let (subject, cycle) = match &object {
        Object::Application(a) => {
            let row = app.store.application(*a).await?;
            (
                Some(row.subject_id),
                Some(app.store.cycle(row.cycle_id).await?),
            )
        }
        Object::Subject(s) => (Some(*s), None),
        _ => (None, None),
    };
    let mut target = cycle
        .as_ref()
        .map(crate::workflow::target_of_cycle)
        .unwrap_or_default();
    if let Some(s) = subject {
        target.subject = Some(s);
        target.recused = app.store.recused_users(s).await?;
    }
    check(Some(by), Perm::ViewAuditLog, &target)?;
    let (t, id) = object.parts();
    record(
        app,
        by,
        AuditAction::AuditView,
        Object::AuditLog,
        serde_json::json!({ "object": object.to_string(), "limit": limit }),
    )
    .await?;
    Ok(
        store_audit::recent(&app.store, limit.clamp(1, 1000), Some((t, &id)))
            .await?
            .into_iter()
            .map(LogEntry::from)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_events_are_the_store_s_codes() {
        // The store writes those entries itself; the log must still name them.
        assert_eq!(
            AuditAction::AuditKeyCreated.code(),
            qaward_store::audit::KEY_CREATED
        );
        assert_eq!(
            AuditAction::AuditKeyReplaced.code(),
            qaward_store::audit::KEY_REPLACED
        );
    }
}

//! Public notices and the objections raised in them (A6, A26): anyone reads the notices
//! and may object to an entry during its window, by name or anonymously, and follow the
//! objection with the code shown once; the Leading Group handles each — upheld (the
//! application is returned or rejected through the workflow kernel) or dismissed, always
//! with the reason.

use qaward_domain::application::{Action, Move};
use qaward_domain::ids::ApplicationId;
use qaward_domain::msg;
use qaward_domain::notice::{Notice, ObjectionState};
use qaward_domain::permission::{Perm, Role, Scope, Target};
use qaward_domain::rule::{self, Refusal};
use qaward_store::WriteTx;
use qaward_store::notices::{NoticeEntry, NoticeRow};
use qaward_store::objections::{NewObjection as StoredObjection, ObjectionRow};
use serde_json::{Value, json};

use crate::audit::{self, AuditAction, Object, Who};
use crate::auth::{random_secret, secret_hash};
use crate::workflow::{self, Cx, Loaded, Step};
use crate::{App, AppError, Principal, Queue, check, limits};

/// The public notices, newest first.
pub async fn notices(app: &App) -> Result<Vec<NoticeRow>, AppError> {
    Ok(app.store.notices().await?)
}

/// The public notices of one program.
#[derive(Debug, Clone)]
pub struct ProgramNotices {
    pub program: crate::records::Program,
    pub notices: Vec<NoticeRow>,
}

/// The public notices, newest first, grouped by program in the programs' order (issue
/// #13, item 4): the public page heads each program's notices with its name. A program
/// with no notice yet is listed with none.
pub async fn notices_by_program(app: &App) -> Result<Vec<ProgramNotices>, AppError> {
    let mut groups: Vec<ProgramNotices> = app
        .store
        .programs()
        .await?
        .into_iter()
        .map(|program| ProgramNotices {
            program,
            notices: Vec::new(),
        })
        .collect();
    for (program, n) in app.store.notices_with_program().await? {
        if let Some(g) = groups.iter_mut().find(|g| g.program.id == program) {
            g.notices.push(n);
        }
    }
    Ok(groups)
}

/// One public notice with its entries.
pub async fn notice(app: &App, id: i64) -> Result<(NoticeRow, Vec<NoticeEntry>), AppError> {
    let n = app.store.notice(id).await?;
    let entries = app.store.notice_entries(id).await?;
    Ok((n, entries))
}

/// An objection as anyone may raise it (A6, A26): by name or anonymously.
#[derive(Debug, Clone)]
pub struct NewObjection {
    pub application: ApplicationId,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub content: String,
    /// What supports it: documents, witnesses, where to look.
    pub evidence: Option<String>,
}

/// The longest objection text accepted.
pub const MAX_OBJECTION_CHARS: usize = limits::STATEMENT;

/// Raises an objection against an entry of a notice during its window; returns the
/// follow-up code, shown once, with which the objector can see how it was handled.
pub async fn raise_objection(
    app: &App,
    notice_id: i64,
    o: &NewObjection,
    address: &str,
) -> Result<String, AppError> {
    check(None, Perm::RaiseObjection, &Target::default())?;
    let n = app.store.notice(notice_id).await?;
    let notice = Notice {
        kind: n.kind,
        scope: n.scope,
        start: n.start,
        end: n.end,
    };
    let policy = app.policy_of_cycle(n.cycle_id).await?;
    notice.accepts_objection(app.today(), &policy)?;
    if !app
        .store
        .notice_entries(notice_id)
        .await?
        .iter()
        .any(|e| e.application_id == o.application)
    {
        return Err(AppError::invalid(
            "application",
            msg!("choose-a-notice-entry"),
        ));
    }
    let content = limits::bounded("content", &o.content, MAX_OBJECTION_CHARS)?;
    if content.is_empty() {
        return Err(AppError::invalid(
            "content",
            msg!("objection-content-required"),
        ));
    }
    let name = limits::optional("name", o.name.as_deref(), limits::NAME)?;
    let contact = limits::optional("contact", o.contact.as_deref(), limits::NAME)?;
    let evidence = limits::optional("evidence", o.evidence.as_deref(), limits::REASON)?;
    // Counted only once the objection is one that would be recorded.
    crate::throttle::objection_attempt(app, address).await?;
    let code = random_secret()[..16].to_uppercase();
    let text = match &evidence {
        Some(e) => format!("{content}\n\n证据 / evidence: {e}"),
        None => content.to_owned(),
    };
    let program = crate::programs::of_cycle(app, n.cycle_id).await?;
    let mut tx = app.store.write().await?;
    let oid = tx
        .add_objection(&StoredObjection {
            notice: notice_id,
            application: o.application,
            raised_on: app.today(),
            name: name.as_deref(),
            contact: contact.as_deref(),
            content: &text,
            follow_up_hash: &secret_hash(&code),
        })
        .await?;
    crate::notify::role(
        &mut tx,
        app,
        (Role::LeadingGroup, Scope::Program),
        program,
        "新的异议待处理",
        "/objections",
    )
    .await?;
    audit::append(
        &mut tx,
        Who::Public,
        AuditAction::ObjectionRaise,
        Object::Application(o.application),
        json!({ "after": { "objection": oid, "notice": notice_id, "named": name.is_some() } }),
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// Where an objection stands, by its follow-up code: the status and the reason, nothing
/// else. Codes that match nothing are counted against `address`; past the limit none is
/// looked up ([`crate::throttle::follow_up_allowed`]).
pub async fn objection_status(
    app: &App,
    code: &str,
    address: &str,
) -> Result<(ObjectionState, Option<String>), AppError> {
    crate::throttle::follow_up_allowed(app, address).await?;
    match app
        .store
        .objection_by_code(&secret_hash(&code.trim().to_uppercase()))
        .await?
    {
        Some(o) => Ok((o.status, o.reason)),
        None => {
            crate::throttle::follow_up_missed(app, address).await?;
            Err(AppError::NotFound(
                "no objection with this follow-up code".into(),
            ))
        }
    }
}

/// The open objections the reader may handle; those about applicants the reader is
/// recused from are counted, not shown (A29).
async fn open_for(app: &App, by: &Principal) -> Result<Queue<ObjectionRow>, AppError> {
    check(Some(by), Perm::HandleObjection, &Target::default())?;
    let recused = app.store.recusals_of(by.user.id).await?;
    // The Leading Group of one program handles that program's objections (A6).
    let open = app
        .store
        .open_objections(&by.programs_as(Role::LeadingGroup))
        .await?;
    Ok(Queue::without(
        open.into_iter().map(|o| (o.subject_id, o)).collect(),
        &recused,
    ))
}

/// The objections the Leading Group has yet to handle (A6), with the objectors' names and
/// contacts; those about applicants the reader is recused from are counted, not shown
/// (A29). Names and contacts are personal data of people who spoke up against an
/// applicant: reading them is recorded, naming the objections whose objector gave either.
pub async fn objection_queue(app: &App, by: &Principal) -> Result<Queue<ObjectionRow>, AppError> {
    let open = open_for(app, by).await?;
    let named: Vec<i64> = open
        .items
        .iter()
        .filter(|o| o.objector_name.is_some() || o.objector_contact.is_some())
        .map(|o| o.id)
        .collect();
    if !named.is_empty() {
        audit::record(
            app,
            by,
            AuditAction::ObjectionIdentitiesRead,
            Object::AllObjections,
            json!({ "objections": named }),
        )
        .await?;
    }
    Ok(open)
}

/// How many objections wait for the reader, for the home page: a count shows nobody's
/// identity, so it is not recorded.
pub async fn objections_waiting(app: &App, by: &Principal) -> Result<usize, AppError> {
    Ok(open_for(app, by).await?.items.len())
}

/// What an upheld objection does to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consequence {
    Return,
    Reject,
}

/// An upheld objection: the application is returned or rejected with the reason, and the
/// objection is marked handled in the same transaction.
struct Uphold<'a> {
    objection: i64,
    consequence: Consequence,
    reason: &'a str,
}

async fn mark_handled(
    tx: &mut WriteTx,
    by: &Principal,
    objection: i64,
    upheld: bool,
    reason: &str,
) -> Result<(), AppError> {
    if tx
        .handle_objection(objection, upheld, reason, &by.user.username)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::Conflict(msg!("objection-already-handled")))
    }
}

impl Step for Uphold<'_> {
    fn audit(&self) -> AuditAction {
        AuditAction::ObjectionHandle
    }

    fn mv(&self) -> Move {
        Move::UpholdObjection
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        let reason = self.reason.to_owned();
        Ok(match self.consequence {
            Consequence::Return => Action::Return { reason },
            Consequence::Reject => Action::Reject { reason },
        })
    }

    async fn write(&self, cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        let (tx, by) = (&mut *cx.tx, cx.by);
        mark_handled(tx, by, self.objection, true, self.reason).await?;
        Ok(json!({ "objection": self.objection, "upheld": true }))
    }
}

/// Whether the reader may handle `objection` (the Leading Group, not recused from the
/// applicant): checked before a page asks to confirm an upheld objection, so that the
/// confirmation shows nothing to anyone else.
pub async fn handling_allowed(app: &App, by: &Principal, objection: i64) -> Result<(), AppError> {
    check(Some(by), Perm::HandleObjection, &Target::default())?;
    let o = app.store.objection(objection).await?;
    workflow::load(app, by, o.application_id, Perm::HandleObjection).await?;
    Ok(())
}

/// The Leading Group handles an objection: upheld (the application is returned or
/// rejected with the reason) or dismissed (with the reason).
pub async fn handle_objection(
    app: &App,
    by: &Principal,
    objection: i64,
    upheld: Option<Consequence>,
    reason: &str,
) -> Result<(), AppError> {
    check(Some(by), Perm::HandleObjection, &Target::default())?;
    let reason = limits::bounded("reason", reason, limits::REASON)?;
    if reason.is_empty() {
        return Err(AppError::Refused(Refusal::new(
            rule::A6,
            msg!("objection-reason-required"),
        )));
    }
    let o = app.store.objection(objection).await?;
    if let Some(consequence) = upheld {
        let step = Uphold {
            objection,
            consequence,
            reason,
        };
        workflow::run(app, by, o.application_id, &step).await?;
        return Ok(());
    }
    // Dismissed: the application stays where it is; the reader must still be one who may
    // handle objections about it (recusal included).
    workflow::load(app, by, o.application_id, Perm::HandleObjection).await?;
    let mut tx = app.store.write().await?;
    mark_handled(&mut tx, by, objection, false, reason).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::ObjectionHandle,
        Object::Application(o.application_id),
        json!({ "after": { "objection": objection, "upheld": false }, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

//! The kernel's path for a complaint's handling (A27): every step of the supervision
//! group — taking it up, declining it, a note, a request to the Office, the conclusion,
//! the answer — is a [`ComplaintStep`] run by [`complaint_step`], the way an
//! application's step is run by `run`:
//!
//! 1. **load** the complaint; a reader without the step's permission is told it does not
//!    exist (ids cannot be probed); a member recused from the applicant it concerns (A29)
//!    gets the A29 refusal;
//! 2. **transition** through the domain's complaint state machine (a step that moves it),
//!    or the step's own check of the status (an edit);
//! 3. **write**, in one transaction: the status against the status read (`WHERE status =
//!    $from`, the row held), the history event, the step's own writes, and one typed
//!    audit entry; then **commit**.

use qaward_domain::complaint::{self, Action, Status};
use qaward_domain::permission::{Denial, Perm, Target};
use qaward_domain::rule::Refusal;
use qaward_store::WriteTx;
use qaward_store::complaints::{Change, ComplaintRow, NewEvent};
use serde_json::{Value, json};

use crate::audit::{self, AuditAction, Object};
use crate::{App, AppError, Principal, check};

/// What a complaint step's writes work with.
pub(crate) struct ComplaintCx<'a> {
    pub app: &'a App,
    pub tx: &'a mut WriteTx,
    pub complaint: &'a ComplaintRow,
}

/// One step of a complaint's handling.
pub(crate) trait ComplaintStep: Sync {
    /// The audit log's name for the step.
    const AUDIT: AuditAction;

    /// The permission the step needs.
    fn perm(&self) -> Perm {
        Perm::HandleComplaint
    }

    /// The domain action, for a step that moves the complaint; none for an edit.
    fn action(&self) -> Option<Action> {
        None
    }

    /// What a step changes beside the status.
    fn change(&self) -> Change<'_> {
        Change::default()
    }

    /// An edit's check of the status: by default, only while the complaint is open.
    fn allowed(&self, status: Status) -> Result<(), Refusal> {
        complaint::ensure_open(status)
    }

    /// The step's checks of its input against what is stored (a member to assign, a
    /// subject to name), run once the reader is known to may take the step: whoever may
    /// not learns nothing, not even what the form lacks.
    async fn prepare(&self, _app: &App, _complaint: &ComplaintRow) -> Result<(), AppError> {
        Ok(())
    }

    /// The history event the step leaves: its kind and text.
    fn event(&self) -> (&'static str, Option<&str>);

    /// The file the step's event carries (its stored content's hash and its name): the
    /// supervision group's own evidence.
    fn file(&self) -> Option<(&str, &str)> {
        None
    }

    /// The request to the Office the step's event answers, for the Office's reply.
    fn reply_to(&self) -> Option<i64> {
        None
    }

    /// The step's own writes; returns what the audit entry's detail adds.
    async fn write(&self, _cx: &mut ComplaintCx<'_>) -> Result<Value, AppError> {
        Ok(Value::Null)
    }
}

/// The permission target of a complaint, with the users recused from the applicant it
/// concerns.
pub(crate) async fn target(app: &App, c: &ComplaintRow) -> Result<Target, AppError> {
    Ok(Target {
        subject: c.subject_id,
        program: Some(c.program),
        recused: match c.subject_id {
            Some(s) => app.store.recused_users(s).await?,
            None => vec![],
        },
        ..Target::default()
    })
}

/// Reads complaint `id` for `by`, who must hold `perm` on it: else "not found", or the
/// A29 refusal for a member recused from its applicant.
pub(crate) async fn load(
    app: &App,
    by: &Principal,
    id: i64,
    perm: Perm,
) -> Result<ComplaintRow, AppError> {
    let c = app.store.complaint(id).await?;
    let t = target(app, &c).await?;
    match check(Some(by), perm, &t) {
        Ok(()) => Ok(c),
        Err(AppError::Forbidden(Denial::Recused(r))) => {
            Err(AppError::Forbidden(Denial::Recused(r)))
        }
        Err(AppError::Forbidden(_)) => Err(AppError::NotFound(format!("complaint {id}"))),
        Err(e) => Err(e),
    }
}

/// Runs `s` on complaint `id`; returns the complaint's status after it.
pub(crate) async fn complaint_step<S: ComplaintStep>(
    app: &App,
    by: &Principal,
    id: i64,
    s: &S,
) -> Result<Status, AppError> {
    let c = load(app, by, id, s.perm()).await?;
    s.prepare(app, &c).await?;
    let action = s.action();
    let next = match &action {
        Some(a) => complaint::transition(c.status, a)?,
        None => {
            s.allowed(c.status)?;
            c.status
        }
    };
    let mut tx = app.store.write().await?;
    if tx.lock_complaint(id).await? != c.status {
        return Err(AppError::Conflict(qaward_domain::msg!(
            "complaint-changed-meanwhile"
        )));
    }
    if action.is_some() {
        tx.set_complaint_status(id, c.status, next, &s.change(), app.today())
            .await?;
    }
    let (kind, text) = s.event();
    tx.add_complaint_event(
        id,
        &NewEvent {
            kind,
            user: Some(by.user.id),
            by_name: &by.user.display_name,
            text,
            file: s.file(),
            reply_to: s.reply_to(),
        },
    )
    .await?;
    let mut cx = ComplaintCx {
        app,
        tx: &mut tx,
        complaint: &c,
    };
    let extra = s.write(&mut cx).await?;
    audit::append(
        &mut tx,
        by,
        S::AUDIT,
        Object::Complaint(id),
        json!({
            "before": { "status": c.status.code() },
            "after": { "status": next.code() },
            "event": kind,
            "step": extra,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

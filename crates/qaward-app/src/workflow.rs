//! The workflow kernel: the one path every step of the cycle takes.
//!
//! A *step* changes an application's state ([`Step`], run by [`run`] and [`run_batch`]);
//! an *edit* changes what hangs off an application without changing its state
//! ([`Edit`], run by [`edit`]). Both go the same way:
//!
//! 1. **load** each application with the permission check: a reader who may not see it
//!    gets "not found" (ids cannot be probed), a recused one (A29) the A29 refusal, and
//!    one without the step's permission its refusal ([`load`]);
//! 2. **facts**: what the guards look at, read from storage for today ([`facts`]);
//! 3. **move**: a step is a [`Move`] of the domain's table, which names the permission it
//!    needs and the states it starts from; anything else is refused before the state
//!    machine is asked, whatever the actor may do elsewhere;
//! 4. **transition** through the domain's state machine (a step), or the edit's own check
//!    of the state (an edit);
//! 5. **write**, in one transaction: the state against the state read (`WHERE state =
//!    $from`, so a concurrent change is a conflict, never an overwrite) with its history
//!    row, the step's own writes, the notifications of whoever acts next, and one typed
//!    audit entry per application; an edit re-reads the state inside the transaction,
//!    holding the row, and checks it again;
//! 6. **commit**.
//!
//! Nothing else in the code base writes an application's state. What a cycle holds
//! beside its applications (the evaluation's plan, stages, panels, draws and sheets)
//! changes through [`cycle_edit`], the same path for an object that is not an application.

use qaward_domain::message::Term;
use qaward_domain::msg;

use qaward_domain::application::{self, Action, Facts, Move, State};
use qaward_domain::ids::{ApplicationId, ProgramId};
use qaward_domain::permission::{Denial, Perm, Role, Target};
use qaward_domain::policy::Policy;
use qaward_domain::rule::Refusal;
use qaward_store::WriteTx;
use qaward_store::applications::ApplicationRow;
use qaward_store::programs::Cycle;
use qaward_store::subjects::StoredSubject;
use serde_json::{Value, json};

use crate::audit::{self, AuditAction, Object};
use crate::{App, AppError, Principal, check};

pub(crate) mod complaint;
mod cycle;
mod facts;
pub(crate) use cycle::{CycleCx, CycleEdit, cycle_edit, cycle_target, target_of_cycle};
pub(crate) use facts::{eligibility_of, facts, with_notice};

/// An application read for a step, with what every step needs beside it.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub row: ApplicationRow,
    pub subject: StoredSubject,
    pub cycle: Cycle,
    /// The permission target, with the users recused from the applicant (A29).
    pub target: Target,
}

impl Loaded {
    pub fn id(&self) -> ApplicationId {
        self.row.id
    }
}

/// The permission target of an application of `program` (its cycle's), without
/// recusals.
pub fn target_of(row: &ApplicationRow, program: ProgramId) -> Target {
    Target {
        subject: Some(row.subject_id),
        program: Some(program),
        cycle: Some(row.cycle_id),
        channel: row.channel.clone(),
        unsubmitted: row.channel.is_none(),
        ..Target::default()
    }
}

/// Reads an application for `by`, who must see it (else "not found", or the A29 refusal
/// when recused) and hold `perm` on it.
pub(crate) async fn load(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    perm: Perm,
) -> Result<Loaded, AppError> {
    let row = app.store.application(id).await?;
    let cycle = app.store.cycle(row.cycle_id).await?;
    let mut target = target_of(&row, cycle.program_id);
    target.recused = app.store.recused_users(row.subject_id).await?;
    // A member of the panel recused from the applicant is not assigned: the application
    // is not in their queue at all (A29). Only an expert's grant looks at the panel, so no
    // one else's read pays for the query.
    if by.grants.iter().any(|g| g.role == Role::Expert) {
        target.assigned_experts = app
            .store
            .panel_members_of(id)
            .await?
            .into_iter()
            .filter(|u| !target.recused.contains(u))
            .collect();
    }
    match check(Some(by), Perm::ViewApplication, &target) {
        Ok(()) => {}
        Err(AppError::Forbidden(Denial::Recused(r))) => {
            return Err(hidden(by, &target, id).unwrap_or(AppError::Forbidden(Denial::Recused(r))));
        }
        Err(AppError::Forbidden(_)) => return Err(AppError::NotFound(format!("application {id}"))),
        Err(e) => return Err(e),
    }
    if perm != Perm::ViewApplication {
        check(Some(by), perm, &target)?;
    }
    let subject = app.store.subject(row.subject_id).await?;
    Ok(Loaded {
        row,
        subject,
        cycle,
        target,
    })
}

/// "Not found" for a recused reader who could not see the application anyway: an expert
/// kept off its panel by a conflict (A29) must not learn from the refusal that it exists.
/// `None` when the reader could see it but for the recusal: they declared the interest
/// themselves, and the A29 refusal tells them why the door is shut.
pub(crate) fn hidden(by: &Principal, target: &Target, id: ApplicationId) -> Option<AppError> {
    let unrecused = Target {
        recused: vec![],
        ..target.clone()
    };
    check(Some(by), Perm::ViewApplication, &unrecused)
        .is_err()
        .then(|| AppError::NotFound(format!("application {id}")))
}

/// Something a step creates once for its whole batch (the notice whose entries the
/// applications become), recorded with its own audit entry.
pub(crate) struct Created {
    pub id: i64,
    pub audit: AuditAction,
    pub object: Object,
    pub detail: Value,
}

/// A state change of an application: the move it is (who takes it, from which states),
/// which domain action it is, and what it writes beside the state.
pub(crate) trait Step: Sync {
    /// The audit log's name for the step.
    fn audit(&self) -> AuditAction;

    /// The move the step is: who takes it and from which states ([`Move`]).
    fn mv(&self) -> Move;

    /// The domain action the step takes on `a`; one the move takes.
    fn action(&self, a: &Loaded) -> Result<Action, AppError>;

    /// Facts the step brings itself for `a` (a notice published by this very step, the
    /// places the rest of the batch takes).
    fn adjust(&self, _a: &Loaded, _facts: &mut Facts) {}

    /// Writes once for the batch, before the changes.
    async fn begin(
        &self,
        _app: &App,
        _by: &Principal,
        _tx: &mut WriteTx,
        _batch: &[Loaded],
    ) -> Result<Option<Created>, AppError> {
        Ok(None)
    }

    /// Writes of the step's own for one application, after its state changed (with what
    /// [`Step::begin`] created, if anything); returns what the audit entry's detail adds.
    async fn write(&self, _cx: &mut Cx<'_>, _created: Option<i64>) -> Result<Value, AppError> {
        Ok(Value::Null)
    }
}

/// Runs `step` on one application; returns its new state.
pub(crate) async fn run<S: Step>(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    step: &S,
) -> Result<State, AppError> {
    let done = run_batch(app, by, &[id], step).await?;
    Ok(done.states[0])
}

/// What a batch did: each application as it was read, its new state, and what the step
/// created for the batch.
pub(crate) struct Done {
    pub loaded: Vec<Loaded>,
    pub states: Vec<State>,
    pub created: Option<i64>,
}

/// Everything a step checks before it writes: each application loaded with permission
/// and recusal, the move's role and starting state, the facts and the transition.
async fn prepare<S: Step>(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
    step: &S,
) -> Result<(Vec<Loaded>, Vec<(Action, State)>), AppError> {
    let mut batch = Vec::with_capacity(ids.len());
    let mut moves = Vec::with_capacity(ids.len());
    for &id in ids {
        if batch.iter().any(|a: &Loaded| a.id() == id) {
            return Err(AppError::invalid(
                "applications",
                msg!("application-chosen-twice"),
            ));
        }
        let probe = load(app, by, id, Perm::ViewApplication).await?;
        // The cycle's own version of the measures decides (A33, A34), and its numbering
        // is what a refusal cites.
        let policy = app.policy_of(&probe.cycle).await?;
        let (action, next) = check_move(app, by, ids.len(), step, &probe, &policy)
            .await
            .map_err(|e| e.cited(&policy))?;
        moves.push((action, next));
        batch.push(probe);
    }
    Ok((batch, moves))
}

/// One application's move checked: the role, the starting state, the step's action and
/// the domain's transition under `policy`.
async fn check_move<S: Step>(
    app: &App,
    by: &Principal,
    batch: usize,
    step: &S,
    probe: &Loaded,
    policy: &Policy,
) -> Result<(Action, State), AppError> {
    let mv = step.mv();
    check(Some(by), mv.perm(probe.row.channel.as_ref()), &probe.target)?;
    mv.starts_from(probe.row.state)
        .map_err(|r| in_batch(r, batch, probe))?;
    let action = step.action(probe)?;
    if !mv.takes(&action) {
        return Err(AppError::Internal(format!(
            "the move {mv} does not take the action {}",
            action.kind()
        )));
    }
    let mut f = facts(app, probe).await?;
    step.adjust(probe, &mut f);
    let next = application::transition(probe.row.state, &action, &f, policy).map_err(|r| {
        // A submission that meets several conditions unmet says them all.
        let all = application::all_refusals(probe.row.state, &action, &f, policy);
        if batch == 1 && all.len() > 1 {
            AppError::Unmet(all)
        } else {
            in_batch(r, batch, probe)
        }
    })?;
    Ok((action, next))
}

/// Whether `step` would go through on `id` now, writing nothing: a page asks before a
/// consequential step (a rejection) only when the step itself would be allowed.
pub(crate) async fn would<S: Step>(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    step: &S,
) -> Result<State, AppError> {
    let (_, moves) = prepare(app, by, &[id], step).await?;
    Ok(moves[0].1)
}

/// Runs `step` on every application of `ids` in one transaction: all of them move, or
/// none (the first refusal names its application).
pub(crate) async fn run_batch<S: Step>(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
    step: &S,
) -> Result<Done, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid(
            "applications",
            msg!("choose-an-application"),
        ));
    }
    let (batch, moves) = prepare(app, by, ids, step).await?;
    // What the step's own writes refuse cites the cycle's version too (A33, A34).
    let policy = app.policy_of(&batch[0].cycle).await?;
    let (states, created) = write_batch(app, by, step, &batch, moves)
        .await
        .map_err(|e| e.cited(&policy))?;
    Ok(Done {
        loaded: batch,
        states,
        created,
    })
}

/// The writes of a checked batch, in one transaction.
async fn write_batch<S: Step>(
    app: &App,
    by: &Principal,
    step: &S,
    batch: &[Loaded],
    moves: Vec<(Action, State)>,
) -> Result<(Vec<State>, Option<i64>), AppError> {
    let mut tx = app.store.write().await?;
    let created = step.begin(app, by, &mut tx, batch).await?;
    if let Some(c) = &created {
        audit::append(&mut tx, by, c.audit, c.object.clone(), c.detail.clone()).await?;
    }
    let created_id = created.as_ref().map(|c| c.id);
    let mut states = Vec::with_capacity(batch.len());
    for (a, (action, next)) in batch.iter().zip(moves) {
        let reason = action.reason();
        tx.set_state(
            a.id(),
            a.row.state,
            next,
            action.kind(),
            &by.audit_actor(),
            reason,
        )
        .await?;
        let mut cx = Cx {
            app,
            tx: &mut tx,
            by,
            a,
        };
        let extra = step.write(&mut cx, created_id).await?;
        let channel = match &action {
            Action::Submit { channel } => Some(channel),
            _ => a.row.channel.as_ref(),
        };
        crate::notify::after_transition(&mut tx, app, a, channel, next).await?;
        audit::append(
            &mut tx,
            by,
            step.audit(),
            Object::Application(a.id()),
            json!({
                "before": { "state": a.row.state },
                "after": { "state": next },
                "action": action.kind(),
                "reason": reason,
                "step": extra,
            }),
        )
        .await?;
        states.push(next);
    }
    tx.commit().await?;
    Ok((states, created_id))
}

/// A refusal in a batch names the application it concerns.
fn in_batch(r: Refusal, n: usize, a: &Loaded) -> AppError {
    if n == 1 {
        return AppError::Refused(r);
    }
    AppError::Refused(Refusal::new(
        r.rule.clone(),
        msg!(
            "in-batch",
            name = a.subject.subject.name(),
            message = r.message
        ),
    ))
}

/// What a step's or an edit's own writes work with: the transaction, who acts, and the
/// application as it was read.
pub(crate) struct Cx<'a> {
    pub app: &'a App,
    pub tx: &'a mut WriteTx,
    pub by: &'a Principal,
    pub a: &'a Loaded,
}

/// The applicant's materials may change only before submission and after a return for
/// correction (A14.3).
pub(crate) fn materials_editable(state: State) -> Result<(), Refusal> {
    if state.editable() {
        Ok(())
    } else {
        Err(Refusal::new(
            qaward_domain::rule::A14_3,
            msg!("materials-sealed", state = Term::of(state)),
        ))
    }
}

/// A change of what hangs off an application, without a change of state. By default an
/// edit of the applicant's materials.
pub(crate) trait Edit: Sync {
    /// The audit log's name for the edit.
    const AUDIT: AuditAction;
    /// What the edit gives back to its caller.
    type Output: Send;

    /// The permission the edit needs on the application (beyond seeing it).
    fn perm(&self) -> Perm {
        Perm::EditApplication
    }

    /// Whether the application's state allows the edit: checked when it is read and
    /// again inside the transaction.
    fn allowed(&self, state: State) -> Result<(), Refusal> {
        materials_editable(state)
    }

    /// The edit's writes; returns its output and what the audit entry's detail holds.
    async fn write(&self, cx: &mut Cx<'_>) -> Result<(Self::Output, Value), AppError>;
}

/// Runs `e` on application `id`.
pub(crate) async fn edit<E: Edit>(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    e: &E,
) -> Result<E::Output, AppError> {
    let a = load(app, by, id, e.perm()).await?;
    // A refusal cites the articles as the cycle's own version numbers them (A33, A34).
    let policy = app.policy_of(&a.cycle).await?;
    async {
        e.allowed(a.row.state)?;
        let mut tx = app.store.write().await?;
        e.allowed(tx.lock_application(id).await?)?;
        let mut cx = Cx {
            app,
            tx: &mut tx,
            by,
            a: &a,
        };
        let (out, detail) = e.write(&mut cx).await?;
        audit::append(&mut tx, by, E::AUDIT, Object::Application(id), detail).await?;
        tx.commit().await?;
        Ok(out)
    }
    .await
    .map_err(|err: AppError| err.cited(&policy))
}

//! The kernel's path for what a cycle holds beside its applications — the evaluation
//! plan, the stages, panels and their draws, score sheets, observations (A17): a
//! [`CycleEdit`] is run by [`cycle_edit`] the way a step is run by `run`:
//!
//! 1. **load** the cycle (an unknown one is "not found");
//! 2. **permission** on the cycle's target, with the users recused from the applicant
//!    when the edit concerns one application (A29): a recused reader who could not see it
//!    anyway learns nothing, not even that it exists ([`super::hidden`]);
//! 3. **write** in one transaction: the edit re-checks its rule against what it reads and
//!    writes with conditions (`WHERE status = …`), so that a concurrent change is a
//!    refusal, never a lost update;
//! 4. **one typed audit entry** in the same transaction, then **commit**.

use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::permission::{Perm, Target};
use qaward_store::WriteTx;
use qaward_store::programs::Cycle;
use serde_json::Value;

use crate::audit::{self, AuditAction, Object};
use crate::{App, AppError, Principal, check};

/// What a cycle edit's writes work with.
pub(crate) struct CycleCx<'a> {
    pub app: &'a App,
    pub tx: &'a mut WriteTx,
    pub by: &'a Principal,
    pub cycle: &'a Cycle,
}

/// A change of something a cycle holds.
pub(crate) trait CycleEdit: Sync {
    /// The audit log's name for the edit.
    fn audit(&self) -> AuditAction;
    /// What the edit gives back.
    type Output: Send;

    /// The permission the edit needs on the cycle.
    fn perm(&self) -> Perm;

    /// The application the edit concerns, if one: its recusals apply (A29), and a reader
    /// who may not see it is told it does not exist.
    fn application(&self) -> Option<ApplicationId> {
        None
    }

    /// The edit's checks and writes; returns its output, the audit entry's object and
    /// detail.
    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<(Self::Output, Object, Value), AppError>;
}

/// The permission target of a cycle: its program's staff act on it (A9).
pub(crate) fn target_of_cycle(cycle: &Cycle) -> Target {
    Target {
        program: Some(cycle.program_id),
        cycle: Some(cycle.id),
        ..Target::default()
    }
}

/// The permission target of cycle `id`, read (an unknown cycle is "not found").
pub(crate) async fn cycle_target(app: &App, id: CycleId) -> Result<Target, AppError> {
    Ok(target_of_cycle(&app.store.cycle(id).await?))
}

/// Runs `e` on cycle `id`.
pub(crate) async fn cycle_edit<E: CycleEdit>(
    app: &App,
    by: &Principal,
    id: CycleId,
    e: &E,
) -> Result<E::Output, AppError> {
    let cycle = app.store.cycle(id).await?;
    match e.application() {
        Some(a) => {
            let loaded = super::load(app, by, a, Perm::ViewApplication).await?;
            if loaded.row.cycle_id != id {
                return Err(AppError::NotFound(format!("application {a} in cycle {id}")));
            }
            check(Some(by), e.perm(), &loaded.target)?;
        }
        None => check(Some(by), e.perm(), &target_of_cycle(&cycle))?,
    }
    // A refusal cites the articles as the cycle's own version numbers them (A33, A34).
    let policy = app.policy_of(&cycle).await?;
    async {
        let mut tx = app.store.write().await?;
        let mut cx = CycleCx {
            app,
            tx: &mut tx,
            by,
            cycle: &cycle,
        };
        let (out, object, detail) = e.write(&mut cx).await?;
        audit::append(&mut tx, by, e.audit(), object, detail).await?;
        tx.commit().await?;
        Ok(out)
    }
    .await
    .map_err(|err: AppError| err.cited(&policy))
}

//! The award programs an installation runs (issue #13, item 4): the city award, and
//! perhaps a county's own award beside it. Each program has its cycles, and its staff's
//! grants hold in it alone ([`qaward_domain::permission::Role::program_bound`]): the
//! permission function refuses a grant of one program on another program's application,
//! cycle or complaint. An applicant's account and the subject register serve every
//! program; the administrator's grant is the installation's.
//!
//! The installation's first program (its *home*) is made when first needed, named by the
//! measures in force, so that the first Office account has a program to hold its grant
//! in before any cycle is opened.

use qaward_domain::ids::{CycleId, ProgramId};
use qaward_domain::permission::Grant;
use qaward_store::StoreError;
use qaward_store::programs::Program;

use crate::{App, AppError};

/// The code of the program an installation makes for itself.
const HOME_CODE: &str = "program";

/// The installation's first program, made under the measures in force when there is
/// none yet.
pub async fn home(app: &App) -> Result<Program, AppError> {
    if let Some(p) = app.store.programs().await?.into_iter().next() {
        return Ok(p);
    }
    let policy = app.policy().await?;
    let mut tx = app.store.write().await?;
    match tx
        .create_program(HOME_CODE, &policy.program, &policy.id)
        .await
    {
        Ok(_) => tx.commit().await?,
        // Another instance made it first: read theirs.
        Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    app.store
        .programs()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal("the first program was not made".into()))
}

/// The program cycle `id` belongs to.
pub async fn of_cycle(app: &App, id: CycleId) -> Result<ProgramId, AppError> {
    Ok(app.store.cycle(id).await?.program_id)
}

/// `g` bound to a program: its own if it names one (which must exist), else the home
/// program, for a role bound to one; a role bound to none stays unbound.
pub async fn bind(app: &App, g: &Grant) -> Result<Grant, AppError> {
    if !g.role.program_bound() {
        return Ok(g.clone().within(None));
    }
    let program = match g.program {
        Some(p) => {
            let known = app.store.programs().await?.iter().any(|x| x.id == p);
            if !known {
                return Err(AppError::invalid(
                    "program",
                    qaward_domain::msg!("program-unknown", program = p.0),
                ));
            }
            p
        }
        None => home(app).await?.id,
    };
    Ok(g.clone().in_program(program))
}

/// The program `by` acts in as `role` where no page has chosen one yet: their first
/// program in that role, else the home program (whose check then refuses them).
pub async fn acting(
    app: &App,
    by: &crate::Principal,
    role: qaward_domain::permission::Role,
) -> Result<ProgramId, AppError> {
    match by.programs_as(role).first() {
        Some(p) => Ok(*p),
        None => Ok(home(app).await?.id),
    }
}

/// The programs `by` reads as staff: those of their program-bound grants, and those of the
/// cycles an agency is entrusted with (A9.2).
pub async fn of_reader(app: &App, by: &crate::Principal) -> Result<Vec<ProgramId>, AppError> {
    let mut programs = by.programs();
    for g in &by.grants {
        if let qaward_domain::permission::Scope::Cycles(cycles) = &g.scope {
            for c in cycles {
                let p = of_cycle(app, *c).await?;
                if !programs.contains(&p) {
                    programs.push(p);
                }
            }
        }
    }
    Ok(programs)
}

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
use qaward_domain::msg;
use qaward_domain::permission::{Grant, Perm, Role, Target};
use qaward_store::StoreError;
use qaward_store::policy_versions::{NewVersion, digest};
use qaward_store::programs::Program;
use serde_json::json;

use crate::audit::Object;
use crate::audit::{self, AuditAction, Who};
use crate::{App, AppError};

/// The code of the program an installation makes for itself.
const HOME_CODE: &str = "program";
/// What the first program's certificate numbers begin with (忻州质量奖), as they always
/// have; a program added later numbers with its code, upper-cased.
pub const FIRST_CERTIFICATE_PREFIX: &str = "XZZLJ";

/// The installation's first program, made under the measures in force when there is
/// none yet.
pub async fn home(app: &App) -> Result<Program, AppError> {
    if let Some(p) = app.store.programs().await?.into_iter().next() {
        return Ok(p);
    }
    let policy = app.policy().await?;
    let mut tx = app.store.write().await?;
    match tx
        .create_program(
            HOME_CODE,
            &policy.program,
            &policy.id,
            FIRST_CERTIFICATE_PREFIX,
        )
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
            if app.store.program(p).await?.is_none() {
                return Err(AppError::invalid(
                    "program",
                    msg!("program-unknown", program = p.0),
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

/// The program `by` works in: the one they chose, else their first, else the home
/// program (an applicant, the administrator before choosing).
pub async fn working(app: &App, by: &crate::Principal) -> Result<ProgramId, AppError> {
    match by.program.or_else(|| by.first_program()) {
        Some(p) => Ok(p),
        None => Ok(home(app).await?.id),
    }
}

/// Whether `by` administers the installation: they may work in every program.
fn administers(by: &crate::Principal) -> bool {
    by.grants.iter().any(|g| g.role == Role::Admin)
}

/// Takes `by`'s choice of program (the switcher's, kept in a cookie) when they may work
/// in it: they hold a role in it, or they administer the installation. Any other choice
/// is ignored, as if none had been made.
pub async fn choose(
    app: &App,
    by: &mut crate::Principal,
    choice: Option<ProgramId>,
) -> Result<(), AppError> {
    by.program = None;
    let Some(p) = choice else { return Ok(()) };
    if by.programs().contains(&p) || (administers(by) && app.store.program(p).await?.is_some()) {
        by.program = Some(p);
    }
    Ok(())
}

/// The programs `by` may switch between, when there is a choice (more than one); empty
/// otherwise, so that the pages of someone in one program show no switcher.
pub async fn choices(app: &App, by: &crate::Principal) -> Result<Vec<Program>, AppError> {
    let mine = by.programs();
    if mine.len() < 2 && !administers(by) {
        return Ok(Vec::new());
    }
    let all = app.store.programs().await?;
    let open: Vec<Program> = if administers(by) {
        all
    } else {
        all.into_iter().filter(|p| mine.contains(&p.id)).collect()
    };
    Ok(if open.len() > 1 { open } else { Vec::new() })
}

/// Every program of the installation (the public pages group their notices by program).
pub async fn all(app: &App) -> Result<Vec<Program>, AppError> {
    Ok(app.store.programs().await?)
}

/// A program by its code (`qaward … --program CODE`).
pub async fn by_code(app: &App, code: &str) -> Result<Program, AppError> {
    app.store
        .programs()
        .await?
        .into_iter()
        .find(|p| p.code == code)
        .ok_or_else(|| AppError::invalid("program", msg!("program-code-unknown", code = code)))
}

/// A new program: its code (letters, digits and hyphens, for addresses and the console)
/// and its measures, with the document that issued them.
#[derive(Debug, Clone)]
pub struct NewProgram {
    pub code: String,
    pub source: String,
    pub document: crate::policies::Document,
}

/// Adds a program (the administrator): the file of its measures is validated as a
/// successor is and stored as the program's first version, named by the file's program
/// name; its cycles, staff and notices are its own from then on.
pub async fn add(
    app: &App,
    by: &crate::Principal,
    new: &NewProgram,
) -> Result<ProgramId, AppError> {
    crate::check(Some(by), Perm::ManageAccounts, &Target::default())?;
    add_as(app, Who::Principal(by), &by.user.username, new).await
}

/// [`add`] for the operator at the console (`qaward program add`).
pub async fn add_at_console(app: &App, new: &NewProgram) -> Result<ProgramId, AppError> {
    add_as(app, Who::Console, "console", new).await
}

async fn add_as(
    app: &App,
    who: Who<'_>,
    name: &str,
    new: &NewProgram,
) -> Result<ProgramId, AppError> {
    let code = new.code.trim();
    let fits = (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && code.starts_with(|c: char| c.is_ascii_lowercase());
    if !fits {
        return Err(AppError::invalid("code", msg!("program-code-invalid")));
    }
    let number = crate::policies::document_number(app, &new.document)?;
    let policy = crate::policies::parse_new(app, &new.source).await?;
    // The installation's first program is made from the stored first version: making
    // another before it would let the new one claim that version.
    home(app).await?;
    // Its certificates are numbered with its code; the first program's prefix is taken.
    let prefix = code.to_uppercase();
    if app
        .store
        .programs()
        .await?
        .iter()
        .any(|p| p.certificate_prefix == prefix && p.code != code)
    {
        return Err(AppError::invalid(
            "code",
            msg!("program-prefix-taken", code = code),
        ));
    }
    let mut tx = app.store.write().await?;
    tx.adopt_policy_version(&NewVersion {
        program: None,
        code: &policy.id,
        title: &policy.title,
        source: &new.source,
        document_number: Some(number),
        document_date: new.document.date,
        adopted_by: name,
    })
    .await?;
    let id = tx
        .create_program(code, &policy.program, &policy.id, &prefix)
        .await?;
    audit::append(
        &mut tx,
        who,
        AuditAction::ProgramAdd,
        Object::Program(id),
        json!({ "after": { "code": code, "name": policy.program, "policy": policy.id,
                           "sm3": digest(&new.source), "document": number,
                           "document_date": new.document.date } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

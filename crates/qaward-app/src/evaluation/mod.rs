//! The evaluation of accepted applications (A17, A13, A26, A29; DESIGN.md §5, issue #10).
//!
//! - [`pool`]: the expert pool, applicants' requests to exclude an expert, conflicts.
//! - [`plan`]: the evaluation plan, its freezing and amendments, the stages in order, the
//!   supervision group's sign-off and observations.
//! - [`panels`]: panels by field, and the reproducible draw that fills them.
//! - [`sheets`]: the experts' tasks and score sheets, sealed on submission, consensus on
//!   flagged items.
//! - [`sessions`]: on-site visits and presentation sessions, scheduled and recorded.
//! - [`desk`]: the evaluation desk, everything of a cycle's evaluation on one page.
//! - [`results`]: the step to Evaluated with the final score's derivation, the ranked
//!   results and the supervision group's record of it all.
//!
//! Every change goes through the kernel: an application's state through
//! [`crate::workflow::run`], everything else a cycle holds through
//! [`crate::workflow::cycle_edit`], each with its typed audit entry.

mod board;
pub mod desk;
pub mod panels;
pub mod plan;
pub mod pool;
pub mod results;
pub mod sessions;
pub mod sheets;

use qaward_domain::application::State;
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::msg;
use qaward_domain::rubric::Rubric;
use qaward_domain::rule::{self, Refusal};
use qaward_domain::subject::Subject;
use qaward_store::evaluation::plans::StoredPlan;

use crate::{App, AppError};

/// The plan of a cycle, or the refusal that there is none yet (A17.1).
pub(crate) async fn plan_of(app: &App, cycle: CycleId) -> Result<StoredPlan, AppError> {
    app.store
        .plan(cycle)
        .await?
        .ok_or_else(|| AppError::Refused(Refusal::new(rule::A17_1, msg!("plan-missing"))))
}

/// The rubric a subject is scored on.
pub(crate) fn rubric_for<'a>(app: &'a App, subject: &Subject) -> &'a Rubric {
    match subject {
        Subject::Organization(_) => &app.rubrics.organization,
        Subject::Person(_) => &app.rubrics.individual,
    }
}

/// The rubrics the plan names, checked against those in force: a plan set under another
/// edition is not scored under this one (A13).
pub(crate) fn check_rubrics(app: &App, plan: &StoredPlan) -> Result<(), AppError> {
    for (named, loaded) in [
        (&plan.rubric_organization, &app.rubrics.organization),
        (&plan.rubric_individual, &app.rubrics.individual),
    ] {
        if *named != loaded.id {
            return Err(AppError::Refused(Refusal::new(
                rule::A13,
                msg!(
                    "plan-rubric-changed",
                    planned = named.as_str(),
                    loaded = loaded.id.as_str()
                ),
            )));
        }
    }
    Ok(())
}

/// The accepted applications of a cycle: what the evaluation works on.
pub(crate) async fn accepted(app: &App, cycle: CycleId) -> Result<Vec<ApplicationId>, AppError> {
    Ok(app
        .store
        .cycle_applications(cycle)
        .await?
        .into_iter()
        .filter(|l| l.row.state == State::Accepted)
        .map(|l| l.row.id)
        .collect())
}

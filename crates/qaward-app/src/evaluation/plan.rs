//! The evaluation plan and the stages (A17.1, A17.2), with the supervision group's part
//! (A17.3): the plan is set before scoring and frozen when the first stage opens — a
//! later amendment needs the Office's reason and is shown to the supervision group; the
//! stages open and complete in order, each completion only with every sheet in, every
//! flagged item agreed and every visit or session scheduled; the supervision group signs
//! each completed stage off and records observations the Office answers.

use qaward_domain::application::Stage;
use qaward_domain::evaluation::stage::{self, StageStatus};
use qaward_domain::ids::CycleId;
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_domain::rule::{self, Refusal};
use qaward_domain::scoring::Plan;
use serde_json::{Value, json};

pub use qaward_store::evaluation::plans::StoredPlan;

use super::board::Board;
use super::plan_of;
use crate::audit::{AuditAction, Object};
use crate::limits::{self, REASON, STATEMENT};
use crate::workflow::{CycleCx, CycleEdit, cycle_edit};
use crate::{App, AppError, Principal};

/// Sets the plan of a cycle, or amends it (with `reason` once scoring has opened).
struct SetPlan<'a> {
    plan: &'a Plan,
    reason: Option<&'a str>,
    amend: bool,
}

impl CycleEdit for SetPlan<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        if self.amend {
            AuditAction::PlanAmend
        } else {
            AuditAction::PlanSet
        }
    }

    fn perm(&self) -> Perm {
        Perm::ManagePanels
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        let app = cx.app;
        let id = cx.cycle.id;
        for r in [&app.rubrics.organization, &app.rubrics.individual] {
            self.plan.check(r)?;
        }
        let rubrics = (
            app.rubrics.organization.id.as_str(),
            app.rubrics.individual.id.as_str(),
        );
        let by = cx.by.user.username.as_str();
        let before = app.store.plan(id).await?;
        let opened = !app.store.stages(id).await?.is_empty();
        let detail = match &before {
            None => {
                cx.tx.set_plan(id, self.plan, rubrics, None, by).await?;
                json!({ "after": self.plan, "rubrics": rubrics })
            }
            Some(old) => {
                for r in [&app.rubrics.organization, &app.rubrics.individual] {
                    old.plan
                        .check_amendment(self.plan, opened, self.reason, r)?;
                }
                let reason = self.reason.unwrap_or("");
                cx.tx
                    .set_plan(
                        id,
                        self.plan,
                        rubrics,
                        Some((&old.plan, reason, opened)),
                        by,
                    )
                    .await?;
                json!({ "before": old.plan, "after": self.plan, "reason": reason, "after_freeze": opened })
            }
        };
        Ok(((), Object::Cycle(id), detail))
    }
}

/// Sets the cycle's evaluation plan; once set, a second call amends it, which after
/// scoring opened needs `reason` (A17.1).
pub async fn set_plan(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    plan: &Plan,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let reason = match reason {
        Some(r) => Some(limits::bounded("reason", r, REASON)?).filter(|r| !r.is_empty()),
        None => None,
    };
    let amend = app.store.plan(cycle).await?.is_some();
    cycle_edit(
        app,
        by,
        cycle,
        &SetPlan {
            plan,
            reason,
            amend,
        },
    )
    .await
}

/// What is done to a stage.
#[derive(Clone, Copy)]
enum StageAct {
    Open,
    Complete,
    SignOff,
}

/// Opens, completes or signs off a stage.
struct StageMove {
    stage: Stage,
    to: StageAct,
}

impl CycleEdit for StageMove {
    type Output = ();

    fn audit(&self) -> AuditAction {
        match self.to {
            StageAct::Open => AuditAction::StageOpen,
            StageAct::Complete => AuditAction::StageComplete,
            StageAct::SignOff => AuditAction::StageSignOff,
        }
    }

    fn perm(&self) -> Perm {
        match self.to {
            StageAct::SignOff => Perm::SuperviseEvaluation,
            StageAct::Open | StageAct::Complete => Perm::ManagePanels,
        }
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        let app = cx.app;
        let id = cx.cycle.id;
        let by = cx.by.user.username.as_str();
        let stages = app.store.stages(id).await?;
        let plan = plan_of(app, id).await?;
        let s = self.stage;
        let detail = match self.to {
            StageAct::Open => {
                stage::check_open(&stages, s)?;
                super::check_rubrics(app, &plan)?;
                let board = Board::load(app, id).await?;
                let unready = board
                    .evaluated()
                    .filter(|l| board.assigned(l.row.id).len() < plan.plan.panel_size as usize)
                    .count();
                if s == Stage::Material && unready > 0 {
                    return Err(Refusal::new(
                        rule::A17_1,
                        msg!(
                            "stage-panels-not-ready",
                            count = unready as u32,
                            size = plan.plan.panel_size
                        ),
                    )
                    .into());
                }
                cx.tx.open_stage(id, s, by).await?;
                let mut experts: Vec<_> = board
                    .panels
                    .iter()
                    .flat_map(|p| p.members.iter().copied())
                    .collect();
                experts.sort();
                experts.dedup();
                let text = format!(
                    "{}环节已开始，请登录查看评审任务。",
                    s.label(qaward_domain::text::Lang::Zh)
                );
                crate::notify::users(cx.tx, app, &experts, &text, "/evaluation/tasks").await?;
                json!({ "stage": s, "after": { "status": StageStatus::Open } })
            }
            StageAct::Complete => {
                let board = Board::load(app, id).await?;
                let left = board.outstanding(&plan.plan, s);
                stage::check_complete(&stages, s, &left)?;
                if !cx.tx.complete_stage(id, s, by).await? {
                    return Err(AppError::Conflict(msg!("stage-changed-meanwhile")));
                }
                json!({ "stage": s, "after": { "status": StageStatus::Completed } })
            }
            StageAct::SignOff => {
                if !cx.tx.sign_off_stage(id, s, by).await? {
                    return Err(Refusal::new(
                        rule::A17_3,
                        msg!("stage-not-to-sign", stage = Term::of(s)),
                    )
                    .into());
                }
                json!({ "stage": s, "signed_off": true })
            }
        };
        Ok(((), Object::Cycle(id), detail))
    }
}

/// Opens `stage`: the first freezes the plan and needs every accepted application on a
/// full panel (A17.1); each later one needs the one before complete (A17.2).
pub async fn open_stage(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    stage: Stage,
) -> Result<(), AppError> {
    cycle_edit(
        app,
        by,
        cycle,
        &StageMove {
            stage,
            to: StageAct::Open,
        },
    )
    .await
}

/// Completes `stage`: every sheet submitted, every flagged item agreed, every visit or
/// session scheduled (A17.2).
pub async fn complete_stage(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    stage: Stage,
) -> Result<(), AppError> {
    cycle_edit(
        app,
        by,
        cycle,
        &StageMove {
            stage,
            to: StageAct::Complete,
        },
    )
    .await
}

/// The supervision group signs a completed stage off (A17.3).
pub async fn sign_off_stage(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    stage: Stage,
) -> Result<(), AppError> {
    cycle_edit(
        app,
        by,
        cycle,
        &StageMove {
            stage,
            to: StageAct::SignOff,
        },
    )
    .await
}

/// The day an open stage's sheets are due.
struct StageDue {
    stage: Stage,
    due: chrono::NaiveDate,
}

impl CycleEdit for StageDue {
    type Output = ();

    fn audit(&self) -> AuditAction {
        AuditAction::StageDue
    }

    fn perm(&self) -> Perm {
        Perm::ManagePanels
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        if self.due < cx.app.today() {
            return Err(AppError::invalid("due", msg!("due-in-the-past")));
        }
        if !cx
            .tx
            .set_stage_due(cx.cycle.id, self.stage, self.due)
            .await?
        {
            return Err(Refusal::new(
                rule::A17_2,
                msg!("stage-not-open", stage = Term::of(self.stage)),
            )
            .into());
        }
        Ok((
            (),
            Object::Cycle(cx.cycle.id),
            json!({ "stage": self.stage, "due": self.due }),
        ))
    }
}

/// Sets the day by which an open stage's sheets are due; the experts see it with their
/// tasks, and a sheet still missing after it is marked overdue.
pub async fn set_stage_due(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    stage: Stage,
    due: chrono::NaiveDate,
) -> Result<(), AppError> {
    cycle_edit(app, by, cycle, &StageDue { stage, due }).await
}

/// An observation of the supervision group, or the Office's answer to one.
enum Observation<'a> {
    Record { stage: Option<Stage>, body: &'a str },
    Answer { id: i64, answer: &'a str },
}

impl CycleEdit for Observation<'_> {
    type Output = i64;

    fn audit(&self) -> AuditAction {
        match self {
            Observation::Record { .. } => AuditAction::ObservationRecord,
            Observation::Answer { .. } => AuditAction::ObservationAnswer,
        }
    }

    fn perm(&self) -> Perm {
        match self {
            Observation::Record { .. } => Perm::SuperviseEvaluation,
            Observation::Answer { .. } => Perm::ManagePanels,
        }
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<(i64, Object, Value), AppError> {
        let id = cx.cycle.id;
        let by = cx.by.user.username.as_str();
        match self {
            Observation::Record { stage, body } => {
                let n = cx.tx.observe(id, *stage, body, by).await?;
                Ok((
                    n,
                    Object::Cycle(id),
                    json!({ "observation": n, "stage": stage, "body": body }),
                ))
            }
            Observation::Answer { id: n, answer } => {
                if !cx.tx.answer_observation(id, *n, answer, by).await? {
                    return Err(AppError::Conflict(msg!("observation-answered-or-unknown")));
                }
                Ok((
                    *n,
                    Object::Cycle(id),
                    json!({ "observation": n, "answer": answer }),
                ))
            }
        }
    }
}

fn statement<'a>(field: &str, v: &'a str) -> Result<&'a str, AppError> {
    let v = limits::bounded(field, v, STATEMENT)?;
    if v.is_empty() {
        return Err(AppError::invalid(field, msg!("field-required")));
    }
    Ok(v)
}

/// The supervision group records an observation on the evaluation, on a stage or on the
/// whole (A17.3); the Office must answer it.
pub async fn observe(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    stage: Option<Stage>,
    body: &str,
) -> Result<i64, AppError> {
    let body = statement("body", body)?;
    cycle_edit(app, by, cycle, &Observation::Record { stage, body }).await
}

/// The Office answers an observation, once.
pub async fn answer_observation(
    app: &App,
    by: &Principal,
    cycle: CycleId,
    id: i64,
    answer: &str,
) -> Result<(), AppError> {
    let answer = statement("answer", answer)?;
    cycle_edit(app, by, cycle, &Observation::Answer { id, answer }).await?;
    Ok(())
}

/// The plan of a cycle as it is published: its numbers, every amendment with its reason,
/// and where the stages stand.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanView {
    pub plan: Option<qaward_store::evaluation::plans::StoredPlan>,
    pub amendments: Vec<qaward_store::evaluation::plans::Amendment>,
    pub stages: Vec<qaward_store::evaluation::plans::StageRow>,
}

/// The plan as published to the panels (A17.1): those who run or oversee the evaluation,
/// and the experts sitting on a panel of the cycle, read it.
pub async fn view(app: &App, by: &Principal, cycle: CycleId) -> Result<PlanView, AppError> {
    if super::panels::may_oversee(app, by, cycle).await.is_err() {
        // An expert reads the plan of a cycle where some application is theirs to score:
        // on their panel, and they not recused from it (A29).
        let board = Board::load(app, cycle).await?;
        let sits = board
            .evaluated()
            .any(|l| board.assigned(l.row.id).contains(&by.user.id));
        if !sits {
            super::panels::may_oversee(app, by, cycle).await?;
        }
    }
    app.store.cycle(cycle).await?;
    Ok(PlanView {
        plan: app.store.plan(cycle).await?,
        amendments: app.store.plan_amendments(cycle).await?,
        stages: app.store.stage_rows(cycle).await?,
    })
}

//! The experts' work (A17.2, A26): their tasks, one score sheet per application and
//! stage, scored item by item in 5 % steps with a written finding. Nobody sees another
//! expert's scores before submitting their own; a submitted sheet is sealed, and a change
//! afterwards needs a reason and is kept with the old value. The panel leader records
//! the consensus score of an item the experts differ on by more than the plan allows.

use std::collections::{BTreeMap, BTreeSet};

use qaward_domain::application::{Stage, State};
use qaward_domain::evaluation::stage::{self, ItemScore, SheetStatus, StageStatus};
use qaward_domain::ids::{ApplicationId, CycleId, SubjectId};
use qaward_domain::message::Term;
use qaward_domain::msg;
use qaward_domain::permission::Perm;
use qaward_domain::rubric::Rubric;
use qaward_domain::rule::{self, Refusal};
use qaward_domain::scoring::{Consensus, Percent, SpreadFlag};
use qaward_domain::text::Vocabulary;
use qaward_store::evaluation::sheets::{ConsensusRow, ScoreChange, Session, Sheet};
use serde::Serialize;
use serde_json::{Value, json};

use super::board::Board;
use super::{plan_of, rubric_for};
use crate::audit::{self, AuditAction, Object};
use crate::limits;
use crate::workflow::{self, CycleCx, CycleEdit, cycle_edit};
use crate::{App, AppError, Principal};

/// One application on an expert's list: what to score, where each stage stands.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub application: ApplicationId,
    pub subject: String,
    pub cycle: CycleId,
    /// Each stage's status for the cycle and the expert's sheet in it, if started.
    pub stages: Vec<(Stage, StageStatus, Option<SheetStatus>)>,
    /// Each open stage's deadline, and whether the expert's sheet is past it unsubmitted.
    pub due: Vec<(Stage, chrono::NaiveDate, bool)>,
    /// The visits or sessions the expert attends.
    pub sessions: Vec<Session>,
}

/// The expert's tasks: the applications of their panels they are not recused from, with
/// nothing of the applications they are (A29). Reads the expert's own rows only: their
/// panels' applications, their recusals, their sheets' statuses (not the cycle's board).
pub async fn my_tasks(app: &App, by: &Principal) -> Result<Vec<Task>, AppError> {
    let me = by.user.id;
    let on = app.store.applications_of_expert(me).await?;
    let recused: BTreeSet<SubjectId> = app.store.recusals_of(me).await?.into_iter().collect();
    let statuses = app.store.sheet_statuses_of(me).await?;
    let mine = |id: ApplicationId, s: Stage| {
        statuses
            .iter()
            .find(|(a, st, _)| *a == id && *st == s)
            .map(|(_, _, status)| *status)
    };
    let mut cycles: Vec<CycleId> = on.iter().map(|(_, c)| *c).collect();
    cycles.dedup();
    let mut tasks = Vec::new();
    for cycle in cycles {
        let ids: Vec<ApplicationId> = on
            .iter()
            .filter(|(_, c)| *c == cycle)
            .map(|(a, _)| *a)
            .collect();
        let lines = app.store.application_lines(cycle, &ids).await?;
        let sessions = app.store.sessions(&ids).await?;
        let rows = app.store.stage_rows(cycle).await?;
        let stages: qaward_domain::evaluation::stage::Stages =
            rows.iter().map(|r| (r.stage, r.status)).collect();
        let evaluated = lines
            .iter()
            .filter(|l| matches!(l.row.state, State::Accepted | State::Evaluated))
            .filter(|l| !recused.contains(&l.row.subject_id));
        for l in evaluated {
            let id = l.row.id;
            tasks.push(Task {
                application: id,
                subject: l.subject_name.clone(),
                cycle,
                stages: Stage::ALL
                    .iter()
                    .map(|&s| (s, stages.get(&s).copied().unwrap_or_default(), mine(id, s)))
                    .collect(),
                due: rows
                    .iter()
                    .filter(|r| r.status == StageStatus::Open)
                    .filter_map(|r| {
                        let due = r.due?;
                        let late =
                            app.today() > due && mine(id, r.stage) != Some(SheetStatus::Submitted);
                        Some((r.stage, due, late))
                    })
                    .collect(),
                sessions: sessions
                    .iter()
                    .filter(|x| x.application_id == id && x.team.contains(&me))
                    .cloned()
                    .collect(),
            });
        }
    }
    Ok(tasks)
}

/// A sheet as its expert sees it, with the others' once theirs is submitted.
#[derive(Debug, Clone, Serialize)]
pub struct SheetView {
    pub application: ApplicationId,
    pub subject: String,
    pub stage: Stage,
    pub stage_status: StageStatus,
    pub rubric: Rubric,
    pub mine: Option<Sheet>,
    /// The other experts' submitted sheets: empty until the expert submitted their own.
    pub others: Vec<Sheet>,
    /// The items flagged for consensus, once the expert submitted.
    pub flags: Vec<SpreadFlag>,
    pub consensus: Vec<ConsensusRow>,
    /// Whether the expert leads the panel (and records consensus scores).
    pub leader: bool,
    pub history: Vec<ScoreChange>,
    /// The applicant's text by rubric category code, scored beside the items.
    pub sections: BTreeMap<String, String>,
}

/// The expert's sheet for `id` in `stage` (A17.2): the application must be on their
/// panel and they not recused — else it does not exist for them.
pub async fn sheet(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
) -> Result<SheetView, AppError> {
    let a = workflow::load(app, by, id, Perm::Score).await?;
    let cycle = a.row.cycle_id;
    let plan = plan_of(app, cycle).await?;
    let board = Board::of(app, cycle, &[id]).await?;
    let stages = app.store.stages(cycle).await?;
    let me = by.user.id;
    let mine = board
        .sheets
        .iter()
        .find(|s| s.application_id == id && s.stage == stage && s.expert == me)
        .cloned();
    let submitted = mine
        .as_ref()
        .is_some_and(|s| s.status == SheetStatus::Submitted);
    let others: Vec<Sheet> = if submitted {
        board
            .submitted(id, stage)
            .into_iter()
            .filter(|s| s.expert != me)
            .cloned()
            .collect()
    } else {
        vec![]
    };
    // The applicant's text the expert scores beside: a read of the application (A30).
    let sections: BTreeMap<String, String> = app.store.sections(id).await?.into_iter().collect();
    // One entry for the page: the others' scores once shown, else the material read.
    let (action, detail) = if submitted {
        let d = json!({ "stage": stage, "sheets": others.len(), "sections": sections.len() });
        (AuditAction::ScoresRead, d)
    } else {
        let d = json!({ "stage": stage, "sections": sections.len() });
        (AuditAction::ApplicationView, d)
    };
    audit::record(app, by, action, Object::Application(id), detail).await?;
    let mine_id = mine.as_ref().map(|s| s.id);
    Ok(SheetView {
        application: id,
        subject: a.subject.subject.name().to_owned(),
        stage,
        stage_status: stages.get(&stage).copied().unwrap_or_default(),
        rubric: rubric_for(app, &a.subject.subject).clone(),
        flags: if submitted {
            board.flags(&plan.plan, id, stage)
        } else {
            vec![]
        },
        consensus: board
            .consensus_of(id)
            .into_iter()
            .filter(|c| c.consensus.stage == stage)
            .cloned()
            .collect(),
        leader: board.panel_of(id).is_some_and(|p| p.leader == Some(me)),
        history: app
            .store
            .score_changes(id)
            .await?
            .into_iter()
            .filter(|c| Some(c.sheet_id) == mine_id)
            .collect(),
        mine,
        others,
        sections,
    })
}

/// A change of a sheet.
enum SheetEdit<'a> {
    Save {
        id: ApplicationId,
        stage: Stage,
        items: &'a BTreeMap<String, ItemScore>,
        submit: bool,
    },
    Amend {
        id: ApplicationId,
        stage: Stage,
        items: &'a BTreeMap<String, ItemScore>,
        reason: &'a str,
    },
    Consensus {
        id: ApplicationId,
        stage: Stage,
        item: &'a str,
        percent: Percent,
        reasoning: &'a str,
    },
}

impl SheetEdit<'_> {
    fn target(&self) -> (ApplicationId, Stage) {
        match self {
            SheetEdit::Save { id, stage, .. }
            | SheetEdit::Amend { id, stage, .. }
            | SheetEdit::Consensus { id, stage, .. } => (*id, *stage),
        }
    }
}

impl CycleEdit for SheetEdit<'_> {
    type Output = ();

    fn audit(&self) -> AuditAction {
        match self {
            SheetEdit::Save { submit: false, .. } => AuditAction::SheetSave,
            SheetEdit::Save { submit: true, .. } => AuditAction::SheetSubmit,
            SheetEdit::Amend { .. } => AuditAction::SheetAmend,
            SheetEdit::Consensus { .. } => AuditAction::ConsensusRecord,
        }
    }

    fn perm(&self) -> Perm {
        Perm::Score
    }

    fn application(&self) -> Option<ApplicationId> {
        Some(self.target().0)
    }

    async fn write(&self, cx: &mut CycleCx<'_>) -> Result<((), Object, Value), AppError> {
        let app = cx.app;
        let (id, stage) = self.target();
        let row = app.store.application(id).await?;
        if row.state != State::Accepted {
            return Err(Refusal::new(
                rule::A17_2,
                msg!("evaluation-closed", state = Term::of(row.state)),
            )
            .into());
        }
        let subject = app.store.subject(row.subject_id).await?;
        let rubric = rubric_for(app, &subject.subject);
        let stages = app.store.stages(row.cycle_id).await?;
        let me = cx.by.user.id;
        let detail = match self {
            SheetEdit::Save { items, submit, .. } => {
                stage::check_scoring(&stages, stage)?;
                if *submit {
                    stage::check_submit(rubric, items)?;
                } else {
                    stage::check_items(rubric, items)?;
                }
                if !cx.tx.save_sheet(id, stage, me, items, *submit).await? {
                    return Err(Refusal::new(rule::A26, msg!("sheet-already-submitted")).into());
                }
                json!({ "stage": stage, "submitted": submit, "items": items })
            }
            SheetEdit::Amend { items, reason, .. } => {
                stage::check_amend(&stages, stage, reason)?;
                stage::check_items(rubric, items)?;
                let sheet = app
                    .store
                    .sheet(id, stage, me)
                    .await?
                    .filter(|s| s.status == SheetStatus::Submitted);
                let Some(sheet) = sheet else {
                    return Err(Refusal::new(rule::A26, msg!("sheet-not-submitted")).into());
                };
                if items.iter().any(|(_, s)| s.finding.trim().is_empty()) {
                    return Err(AppError::invalid("items", msg!("sheet-finding-required")));
                }
                let before: BTreeMap<&String, &ItemScore> = sheet
                    .items
                    .iter()
                    .filter(|(k, _)| items.contains_key(*k))
                    .collect();
                cx.tx
                    .amend_sheet(&sheet, items, reason, &cx.by.user.username)
                    .await?;
                json!({ "stage": stage, "before": before, "after": items, "reason": reason })
            }
            SheetEdit::Consensus {
                item,
                percent,
                reasoning,
                ..
            } => {
                stage::check_scoring(&stages, stage)?;
                let board = Board::of(app, row.cycle_id, &[id]).await?;
                if board.panel_of(id).and_then(|p| p.leader) != Some(me) {
                    return Err(Refusal::new(rule::A17_1, msg!("consensus-leader-only")).into());
                }
                let plan = plan_of(app, row.cycle_id).await?;
                if !board
                    .flags(&plan.plan, id, stage)
                    .iter()
                    .any(|f| f.item == *item)
                {
                    return Err(Refusal::new(
                        rule::A17_2,
                        msg!("consensus-not-flagged", item = *item),
                    )
                    .into());
                }
                let c = Consensus {
                    stage,
                    item: (*item).to_owned(),
                    percent: *percent,
                };
                cx.tx
                    .record_consensus(id, &c, reasoning, &cx.by.user.username)
                    .await?;
                json!({ "stage": stage, "item": item, "percent": percent, "reasoning": reasoning })
            }
        };
        Ok(((), Object::Application(id), detail))
    }
}

async fn cycle_of(app: &App, id: ApplicationId) -> Result<CycleId, AppError> {
    Ok(app.store.application(id).await?.cycle_id)
}

/// Saves the expert's sheet as a draft, or submits it (sealed from then on, A26).
pub async fn save_sheet(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
    items: &BTreeMap<String, ItemScore>,
    submit: bool,
) -> Result<(), AppError> {
    findings(items)?;
    let cycle = cycle_of(app, id).await?;
    cycle_edit(
        app,
        by,
        cycle,
        &SheetEdit::Save {
            id,
            stage,
            items,
            submit,
        },
    )
    .await
}

/// Changes items of the expert's submitted sheet, with the reason (A26).
pub async fn amend_sheet(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
    items: &BTreeMap<String, ItemScore>,
    reason: &str,
) -> Result<(), AppError> {
    findings(items)?;
    let reason = limits::bounded("reason", reason, limits::REASON)?;
    let cycle = cycle_of(app, id).await?;
    cycle_edit(
        app,
        by,
        cycle,
        &SheetEdit::Amend {
            id,
            stage,
            items,
            reason,
        },
    )
    .await
}

/// The panel leader records the consensus score of a flagged item (A17.2).
pub async fn record_consensus(
    app: &App,
    by: &Principal,
    id: ApplicationId,
    stage: Stage,
    item: &str,
    percent: Percent,
    reasoning: &str,
) -> Result<(), AppError> {
    let reasoning = limits::bounded("reasoning", reasoning, limits::STATEMENT)?;
    if reasoning.is_empty() {
        return Err(AppError::invalid("reasoning", msg!("field-required")));
    }
    let cycle = cycle_of(app, id).await?;
    cycle_edit(
        app,
        by,
        cycle,
        &SheetEdit::Consensus {
            id,
            stage,
            item,
            percent,
            reasoning,
        },
    )
    .await
}

fn findings(items: &BTreeMap<String, ItemScore>) -> Result<(), AppError> {
    for s in items.values() {
        crate::error::no_nul("items", &s.finding)?;
    }
    Ok(())
}

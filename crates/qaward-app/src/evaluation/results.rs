//! The end of the evaluation: the step to Evaluated with the final score's derivation
//! (A17.2, A4.4), the ranked results by level that the candidate list starts from, and
//! the supervision group's full record of the evaluation (A17.3, A26).

use qaward_domain::application::{Action, Move, State};
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::msg;
use qaward_domain::policy::Level;
use qaward_domain::rule::{self, Refusal};
use qaward_domain::scoring::{self, Consensus, ScoreSheet};
use qaward_store::evaluation::panels::{DrawRow, Panel};
use qaward_store::evaluation::plans::{Amendment, Observation, StageRow, StoredPlan};
use qaward_store::evaluation::pool::ExclusionRequest;
use qaward_store::evaluation::sheets::{ConsensusRow, ScoreChange, Session, Sheet};
use qaward_store::subjects::Interest;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::board::Board;
use super::panels::may_oversee;
use super::{plan_of, rubric_for};
use crate::audit::{self, AuditAction, Object};
use crate::workflow::{self, Cx, Loaded, Step};
use crate::{App, AppError, Principal};

/// Closes the evaluation of an application: computes its final score from the plan, the
/// stages' submitted sheets and the consensus scores, records it with its derivation and
/// the level it reaches, and moves it to Evaluated.
struct CompleteEvaluation;

impl Step for CompleteEvaluation {
    fn audit(&self) -> AuditAction {
        AuditAction::EvaluationComplete
    }

    fn mv(&self) -> Move {
        Move::CompleteEvaluation
    }

    fn action(&self, _: &Loaded) -> Result<Action, AppError> {
        Ok(Action::CompleteEvaluation)
    }

    async fn write(&self, cx: &mut Cx<'_>, _: Option<i64>) -> Result<Value, AppError> {
        let app = cx.app;
        let a = cx.a;
        let plan = plan_of(app, a.row.cycle_id).await?;
        let board = Board::of(app, a.row.cycle_id, &[a.id()]).await?;
        let (sheets, consensus) = scored(&board, a.id());
        let rubric = rubric_for(app, &a.subject.subject);
        let d = scoring::final_score(&plan.plan, rubric, &sheets, &consensus).map_err(|e| {
            AppError::Refused(Refusal::new(
                rule::A17_2,
                msg!("evaluation-incomplete", problem = e.to_string()),
            ))
        })?;
        let level = plan.plan.level_for(d.final_score);
        cx.tx
            .record_result(a.id(), a.row.cycle_id, &d, level)
            .await?;
        Ok(json!({ "score": d.final_score.to_string(), "level": level, "derivation": d }))
    }
}

/// The submitted sheets of an application across the stages, and its consensus scores.
fn scored(board: &Board, id: ApplicationId) -> (Vec<ScoreSheet>, Vec<Consensus>) {
    let sheets = <qaward_domain::application::Stage as qaward_domain::text::Vocabulary>::ALL
        .iter()
        .flat_map(|&stage| {
            board
                .submitted(id, stage)
                .into_iter()
                .map(move |s| ScoreSheet {
                    stage,
                    items: s
                        .items
                        .iter()
                        .map(|(k, v)| (k.clone(), v.percent))
                        .collect(),
                })
        })
        .collect();
    let consensus = board
        .consensus_of(id)
        .into_iter()
        .map(|c| c.consensus.clone())
        .collect();
    (sheets, consensus)
}

/// Completes the evaluation of the applications `ids` once every stage is complete
/// (A17.2): all of them, or none.
pub async fn complete(
    app: &App,
    by: &Principal,
    ids: &[ApplicationId],
) -> Result<Vec<State>, AppError> {
    Ok(workflow::run_batch(app, by, ids, &CompleteEvaluation)
        .await?
        .states)
}

/// One line of the results.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub application: ApplicationId,
    pub subject: String,
    pub rank: u32,
    pub score: Decimal,
    /// The level the score reaches under the plan's thresholds, if any (A4.4).
    pub level: Option<Level>,
    pub derivation: Value,
}

/// The results of a cycle, ranked by score (ties share a rank), for the Office, the agency
/// and the supervision group; exportable, and the candidate list's starting point.
pub async fn results(app: &App, by: &Principal, cycle: CycleId) -> Result<Vec<Ranked>, AppError> {
    may_oversee(app, by, cycle).await?;
    let lines = app.store.cycle_applications(cycle).await?;
    let stored = app.store.results(cycle).await?;
    let entries: Vec<(usize, Decimal)> = stored
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.score.parse().unwrap_or(Decimal::ZERO)))
        .collect();
    let out = scoring::rank(&entries)
        .into_iter()
        .map(|(i, rank, score)| {
            let r = &stored[i];
            Ranked {
                application: r.application_id,
                subject: lines
                    .iter()
                    .find(|l| l.row.id == r.application_id)
                    .map(|l| l.subject_name.clone())
                    .unwrap_or_default(),
                rank,
                score,
                level: r.level,
                derivation: r.derivation.clone(),
            }
        })
        .collect::<Vec<_>>();
    audit::record(
        app,
        by,
        AuditAction::ScoresRead,
        Object::Cycle(cycle),
        json!({ "results": out.len() }),
    )
    .await?;
    Ok(out)
}

/// Everything of a cycle's evaluation, for the supervision group (A17.3): it reads all
/// and changes nothing.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub plan: Option<StoredPlan>,
    pub amendments: Vec<Amendment>,
    pub stages: Vec<StageRow>,
    pub panels: Vec<(Panel, Vec<DrawRow>)>,
    /// The declarations of interest concerning the cycle's applicants.
    pub conflicts: Vec<Interest>,
    pub exclusions: Vec<ExclusionRequest>,
    pub sheets: Vec<Sheet>,
    pub changes: Vec<(ApplicationId, ScoreChange)>,
    pub consensus: Vec<(ApplicationId, ConsensusRow)>,
    pub sessions: Vec<Session>,
    pub observations: Vec<Observation>,
}

/// The evaluation's record; reading it is audited.
pub async fn record(app: &App, by: &Principal, cycle: CycleId) -> Result<Record, AppError> {
    may_oversee(app, by, cycle).await?;
    let board = Board::load(app, cycle).await?;
    let subjects: Vec<_> = board.lines.iter().map(|l| l.row.subject_id).collect();
    let exclusions = app.store.cycle_exclusion_requests(cycle).await?;
    let r = Record {
        plan: app.store.plan(cycle).await?,
        amendments: app.store.plan_amendments(cycle).await?,
        stages: app.store.stage_rows(cycle).await?,
        panels: super::panels::panels(app, by, cycle).await?,
        conflicts: app
            .store
            .interests()
            .await?
            .into_iter()
            .filter(|i| subjects.contains(&i.subject_id))
            .collect(),
        exclusions,
        changes: app.store.cycle_score_changes(cycle).await?,
        observations: app.store.observations(cycle).await?,
        sheets: board.sheets,
        consensus: board.consensus,
        sessions: board.sessions,
    };
    audit::record(
        app,
        by,
        AuditAction::EvaluationRecordRead,
        Object::Cycle(cycle),
        json!({ "sheets": r.sheets.len(), "changes": r.changes.len() }),
    )
    .await?;
    Ok(r)
}

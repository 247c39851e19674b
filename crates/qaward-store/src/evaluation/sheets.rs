//! Score sheets with the history of every change after submission (A26), consensus
//! scores, scheduled visits and sessions, and each application's result.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use qaward_domain::application::Stage;
use qaward_domain::evaluation::stage::{ItemScore, SheetStatus};
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use qaward_domain::policy::Level;
use qaward_domain::scoring::{Consensus, Derivation, Percent};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::code;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// One expert's sheet for one application in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sheet {
    pub id: i64,
    pub application_id: ApplicationId,
    pub stage: Stage,
    pub expert: UserId,
    pub status: SheetStatus,
    pub items: BTreeMap<String, ItemScore>,
    pub updated_at: String,
    pub submitted_at: Option<String>,
}

/// A change of a submitted item: old and new, who, when and why (A26).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreChange {
    pub sheet_id: i64,
    pub item: String,
    pub old_percent: u32,
    pub new_percent: u32,
    pub old_finding: String,
    pub new_finding: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// A consensus score with the leader's reasoning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsensusRow {
    pub consensus: Consensus,
    pub reasoning: String,
    pub by: String,
    pub at: String,
}

/// A scheduled on-site visit or presentation session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub application_id: ApplicationId,
    pub stage: Stage,
    pub on_date: NaiveDate,
    pub place: String,
    pub team: Vec<UserId>,
    /// Recorded after it: who attended for the applicant, the questions asked and answered.
    pub minutes: Option<Minutes>,
}

/// What a visit or session's record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Minutes {
    pub attendance: String,
    pub questions: String,
    pub by: String,
    pub at: String,
}

/// An application's final score, the level it may be proposed for and how it came about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvaluationResult {
    pub application_id: ApplicationId,
    pub score: String,
    pub level: Option<Level>,
    pub derivation: serde_json::Value,
    pub computed_at: String,
}

fn sheet_from(r: &AnyRow) -> Result<Sheet> {
    let items: String = r.try_get("items")?;
    Ok(Sheet {
        id: r.try_get("id")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        stage: code(r, "stage")?,
        expert: UserId(r.try_get("expert_id")?),
        status: code(r, "status")?,
        items: serde_json::from_str(&items)
            .map_err(|e| StoreError::Corrupt(format!("score_sheets.items: {e}")))?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
    })
}

const SHEET_COLUMNS: &str =
    "id, application_id, stage, expert_id, status, items, updated_at, submitted_at";

/// The ids as an SQL list for `IN (…)` (integers only, so nothing to escape), or `None`
/// when there are none.
fn id_list(ids: &[ApplicationId]) -> Option<String> {
    (!ids.is_empty()).then(|| {
        ids.iter()
            .map(|i| i.0.to_string())
            .collect::<Vec<_>>()
            .join(",")
    })
}

fn percent(r: &AnyRow, col: &str) -> Result<Percent> {
    let p: i64 = r.try_get(col)?;
    u32::try_from(p)
        .ok()
        .and_then(|p| Percent::new(p).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("{col}: {p}")))
}

impl Store {
    /// Every sheet of the applications `ids` (drafts included), in one query.
    pub async fn sheets(&self, ids: &[ApplicationId]) -> Result<Vec<Sheet>> {
        let Some(list) = id_list(ids) else {
            return Ok(vec![]);
        };
        sqlx::query(&format!(
            "SELECT {SHEET_COLUMNS} FROM score_sheets WHERE application_id IN ({list}) ORDER BY application_id, stage, expert_id"
        ))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(sheet_from)
        .collect()
    }

    /// The status of every sheet one expert has started, by application and stage: one
    /// query for the expert's task list, without the items it does not show.
    pub async fn sheet_statuses_of(
        &self,
        expert: UserId,
    ) -> Result<Vec<(ApplicationId, Stage, SheetStatus)>> {
        sqlx::query("SELECT application_id, stage, status FROM score_sheets WHERE expert_id = $1")
            .bind(expert.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    ApplicationId(r.try_get("application_id")?),
                    code(r, "stage")?,
                    code(r, "status")?,
                ))
            })
            .collect()
    }

    /// One expert's sheet, if started.
    pub async fn sheet(
        &self,
        id: ApplicationId,
        stage: Stage,
        expert: UserId,
    ) -> Result<Option<Sheet>> {
        sqlx::query(&format!(
            "SELECT {SHEET_COLUMNS} FROM score_sheets WHERE application_id = $1 AND stage = $2 AND expert_id = $3"
        ))
        .bind(id.0)
        .bind(stage.code())
        .bind(expert.0)
        .fetch_optional(self.pool())
        .await?
        .as_ref()
        .map(sheet_from)
        .transpose()
    }

    /// The changes made to the sheets of an application after submission, oldest first.
    pub async fn score_changes(&self, id: ApplicationId) -> Result<Vec<ScoreChange>> {
        sqlx::query(
            "SELECT c.sheet_id, c.item, c.old_percent, c.new_percent, c.old_finding, c.new_finding, c.reason, c.changed_by, c.changed_at \
             FROM score_changes c JOIN score_sheets s ON s.id = c.sheet_id WHERE s.application_id = $1 ORDER BY c.id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(change_from)
        .collect()
    }

    /// The consensus scores of the applications `ids`.
    pub async fn consensus(
        &self,
        ids: &[ApplicationId],
    ) -> Result<Vec<(ApplicationId, ConsensusRow)>> {
        let Some(list) = id_list(ids) else {
            return Ok(vec![]);
        };
        sqlx::query(&format!(
            "SELECT application_id, stage, item, percent, reasoning, recorded_by, recorded_at FROM consensus_scores \
             WHERE application_id IN ({list}) ORDER BY application_id, stage, item"
        ))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok((
                ApplicationId(r.try_get("application_id")?),
                ConsensusRow {
                    consensus: Consensus {
                        stage: code(r, "stage")?,
                        item: r.try_get("item")?,
                        percent: percent(r, "percent")?,
                    },
                    reasoning: r.try_get("reasoning")?,
                    by: r.try_get("recorded_by")?,
                    at: r.try_get("recorded_at")?,
                },
            ))
        })
        .collect()
    }

    /// The visits and sessions scheduled for the applications `ids`.
    pub async fn sessions(&self, ids: &[ApplicationId]) -> Result<Vec<Session>> {
        let Some(list) = id_list(ids) else {
            return Ok(vec![]);
        };
        sqlx::query(&format!(
            "SELECT application_id, stage, on_date, place, team, attendance, questions, minutes_by, minutes_at FROM evaluation_sessions WHERE application_id IN ({list}) ORDER BY on_date, application_id"
        ))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let team: String = r.try_get("team")?;
            Ok(Session {
                application_id: ApplicationId(r.try_get("application_id")?),
                stage: code(r, "stage")?,
                on_date: crate::column::date(r, "on_date")?,
                place: r.try_get("place")?,
                team: serde_json::from_str(&team)
                    .map_err(|e| StoreError::Corrupt(format!("evaluation_sessions.team: {e}")))?,
                minutes: match r.try_get::<Option<String>, _>("minutes_at")? {
                    Some(at) => Some(Minutes {
                        attendance: r.try_get::<Option<String>, _>("attendance")?.unwrap_or_default(),
                        questions: r.try_get::<Option<String>, _>("questions")?.unwrap_or_default(),
                        by: r.try_get::<Option<String>, _>("minutes_by")?.unwrap_or_default(),
                        at,
                    }),
                    None => None,
                },
            })
        })
        .collect()
    }

    /// The results of a cycle's evaluated applications.
    pub async fn results(&self, cycle: CycleId) -> Result<Vec<EvaluationResult>> {
        sqlx::query(
            "SELECT application_id, score, level, derivation, computed_at FROM evaluation_results WHERE cycle_id = $1 ORDER BY application_id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let d: String = r.try_get("derivation")?;
            Ok(EvaluationResult {
                application_id: ApplicationId(r.try_get("application_id")?),
                score: r.try_get("score")?,
                level: match r.try_get::<Option<String>, _>("level")? {
                    Some(_) => Some(code(r, "level")?),
                    None => None,
                },
                derivation: serde_json::from_str(&d)
                    .map_err(|e| StoreError::Corrupt(format!("evaluation_results.derivation: {e}")))?,
                computed_at: r.try_get("computed_at")?,
            })
        })
        .collect()
    }
}

fn items_text(items: &BTreeMap<String, ItemScore>) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "{}".into())
}

impl WriteTx {
    /// Saves a draft sheet (creating it); false when the sheet was submitted already.
    pub async fn save_sheet(
        &mut self,
        id: ApplicationId,
        stage: Stage,
        expert: UserId,
        items: &BTreeMap<String, ItemScore>,
        submit: bool,
    ) -> Result<bool> {
        let now = now_text();
        let status = if submit { "submitted" } else { "draft" };
        let submitted = submit.then(|| now.clone());
        let n = sqlx::query(
            "UPDATE score_sheets SET items = $1, status = $2, updated_at = $3, submitted_at = $4 \
             WHERE application_id = $5 AND stage = $6 AND expert_id = $7 AND status = 'draft'",
        )
        .bind(items_text(items))
        .bind(status)
        .bind(&now)
        .bind(&submitted)
        .bind(id.0)
        .bind(stage.code())
        .bind(expert.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if n > 0 {
            return Ok(true);
        }
        let inserted = sqlx::query(
            "INSERT INTO score_sheets (application_id, stage, expert_id, status, items, created_at, updated_at, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (application_id, stage, expert_id) DO NOTHING",
        )
        .bind(id.0)
        .bind(stage.code())
        .bind(expert.0)
        .bind(status)
        .bind(items_text(items))
        .bind(&now)
        .bind(&submitted)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(inserted > 0)
    }

    /// Changes items of a submitted sheet, each change kept with its reason (A26).
    pub async fn amend_sheet(
        &mut self,
        sheet: &Sheet,
        changes: &BTreeMap<String, ItemScore>,
        reason: &str,
        by: &str,
    ) -> Result<()> {
        let now = now_text();
        let mut items = sheet.items.clone();
        for (code, new) in changes {
            let old = items.get(code).cloned();
            if old.as_ref() == Some(new) {
                continue;
            }
            sqlx::query(
                "INSERT INTO score_changes (sheet_id, item, old_percent, new_percent, old_finding, new_finding, reason, changed_by, changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(sheet.id)
            .bind(code)
            .bind(old.as_ref().map_or(0, |o| i64::from(o.percent.get())))
            .bind(i64::from(new.percent.get()))
            .bind(old.as_ref().map_or("", |o| o.finding.as_str()))
            .bind(&new.finding)
            .bind(reason)
            .bind(by)
            .bind(&now)
            .execute(&mut *self.tx)
            .await?;
            items.insert(code.clone(), new.clone());
        }
        sqlx::query("UPDATE score_sheets SET items = $1, updated_at = $2 WHERE id = $3 AND status = 'submitted'")
            .bind(items_text(&items))
            .bind(&now)
            .bind(sheet.id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records (or replaces) the consensus score of a flagged item.
    pub async fn record_consensus(
        &mut self,
        id: ApplicationId,
        c: &Consensus,
        reasoning: &str,
        by: &str,
    ) -> Result<()> {
        // One statement both databases take: the item's score is recorded or replaced.
        sqlx::query(
            "INSERT INTO consensus_scores (application_id, stage, item, percent, reasoning, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (application_id, stage, item) DO UPDATE SET \
             percent = excluded.percent, reasoning = excluded.reasoning, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        )
        .bind(id.0)
        .bind(c.stage.code())
        .bind(&c.item)
        .bind(i64::from(c.percent.get()))
        .bind(reasoning)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Schedules (or reschedules) an application's visit or session; its record, if any,
    /// stays.
    pub async fn schedule_session(&mut self, s: &Session, by: &str) -> Result<()> {
        let team = serde_json::to_string(&s.team).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO evaluation_sessions (application_id, stage, on_date, place, team, scheduled_by, scheduled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (application_id, stage) DO UPDATE SET \
             on_date = excluded.on_date, place = excluded.place, team = excluded.team, \
             scheduled_by = excluded.scheduled_by, scheduled_at = excluded.scheduled_at",
        )
        .bind(s.application_id.0)
        .bind(s.stage.code())
        .bind(s.on_date.to_string())
        .bind(&s.place)
        .bind(&team)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records what happened at a scheduled visit or session; false when none was
    /// scheduled.
    pub async fn record_minutes(
        &mut self,
        id: ApplicationId,
        stage: Stage,
        attendance: &str,
        questions: &str,
        by: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE evaluation_sessions SET attendance = $1, questions = $2, minutes_by = $3, minutes_at = $4 WHERE application_id = $5 AND stage = $6",
        )
        .bind(attendance)
        .bind(questions)
        .bind(by)
        .bind(now_text())
        .bind(id.0)
        .bind(stage.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Records an application's result.
    pub async fn record_result(
        &mut self,
        id: ApplicationId,
        cycle: CycleId,
        d: &Derivation,
        level: Option<Level>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO evaluation_results (application_id, cycle_id, score, level, derivation, computed_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(cycle.0)
        .bind(d.final_score.to_string())
        .bind(level.map(|l| l.code()))
        .bind(serde_json::to_string(d).unwrap_or_default())
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The final score of an application, once evaluated.
    pub async fn result_score(&self, id: ApplicationId) -> Result<Option<rust_decimal::Decimal>> {
        let s: Option<String> =
            sqlx::query_scalar("SELECT score FROM evaluation_results WHERE application_id = $1")
                .bind(id.0)
                .fetch_optional(self.pool())
                .await?;
        s.map(|s| {
            s.parse()
                .map_err(|_| StoreError::Corrupt(format!("evaluation_results.score `{s}`")))
        })
        .transpose()
    }

    /// Every change made after submission to the sheets of a cycle, oldest first.
    pub async fn cycle_score_changes(
        &self,
        cycle: CycleId,
    ) -> Result<Vec<(ApplicationId, ScoreChange)>> {
        sqlx::query(
            "SELECT s.application_id, c.sheet_id, c.item, c.old_percent, c.new_percent, c.old_finding, c.new_finding, c.reason, c.changed_by, c.changed_at \
             FROM score_changes c JOIN score_sheets s ON s.id = c.sheet_id JOIN applications a ON a.id = s.application_id \
             WHERE a.cycle_id = $1 ORDER BY c.id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((ApplicationId(r.try_get("application_id")?), change_from(r)?)))
        .collect()
    }
}

fn change_from(r: &AnyRow) -> Result<ScoreChange> {
    Ok(ScoreChange {
        sheet_id: r.try_get("sheet_id")?,
        item: r.try_get("item")?,
        old_percent: percent(r, "old_percent")?.get(),
        new_percent: percent(r, "new_percent")?.get(),
        old_finding: r.try_get("old_finding")?,
        new_finding: r.try_get("new_finding")?,
        reason: r.try_get("reason")?,
        by: r.try_get("changed_by")?,
        at: r.try_get("changed_at")?,
    })
}

//! A cycle's evaluation plan with its amendments, its stages (A17.2) and the supervision
//! group's observations on them (A17.3).

use qaward_domain::application::Stage;
use qaward_domain::evaluation::stage::{StageStatus, Stages};
use qaward_domain::ids::CycleId;
use qaward_domain::scoring::Plan;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::code;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A cycle's plan as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPlan {
    pub cycle_id: CycleId,
    pub plan: Plan,
    pub rubric_organization: String,
    pub rubric_individual: String,
    pub set_by: String,
    pub set_at: String,
}

/// A change of the plan, with the reason the Office gave once scoring had opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amendment {
    pub before: Plan,
    pub after: Plan,
    pub reason: String,
    pub after_freeze: bool,
    pub by: String,
    pub at: String,
}

/// A stage of a cycle's evaluation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageRow {
    pub stage: Stage,
    pub status: StageStatus,
    pub opened_by: String,
    pub opened_at: String,
    /// The day by which the sheets are due, when the Office set one.
    pub due: Option<chrono::NaiveDate>,
    pub completed_by: Option<String>,
    pub completed_at: Option<String>,
    pub signed_off_by: Option<String>,
    pub signed_off_at: Option<String>,
}

/// An observation of the supervision group, with the Office's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    pub id: i64,
    pub stage: Option<Stage>,
    pub body: String,
    pub by: String,
    pub at: String,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
}

fn json<T: serde::de::DeserializeOwned>(r: &AnyRow, col: &str) -> Result<T> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Store {
    /// The plan of a cycle, if one was set.
    pub async fn plan(&self, cycle: CycleId) -> Result<Option<StoredPlan>> {
        let Some(r) = sqlx::query(
            "SELECT cycle_id, plan, rubric_organization, rubric_individual, set_by, set_at FROM evaluation_plans WHERE cycle_id = $1",
        )
        .bind(cycle.0)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(StoredPlan {
            cycle_id: CycleId(r.try_get("cycle_id")?),
            plan: json(&r, "plan")?,
            rubric_organization: r.try_get("rubric_organization")?,
            rubric_individual: r.try_get("rubric_individual")?,
            set_by: r.try_get("set_by")?,
            set_at: r.try_get("set_at")?,
        }))
    }

    /// Every change of a cycle's plan, oldest first.
    pub async fn plan_amendments(&self, cycle: CycleId) -> Result<Vec<Amendment>> {
        sqlx::query(
            "SELECT before_plan, after_plan, reason, after_freeze, amended_by, amended_at FROM plan_amendments WHERE cycle_id = $1 ORDER BY id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Amendment {
                before: json(r, "before_plan")?,
                after: json(r, "after_plan")?,
                reason: r.try_get("reason")?,
                after_freeze: crate::column::flag(r, "after_freeze")?,
                by: r.try_get("amended_by")?,
                at: r.try_get("amended_at")?,
            })
        })
        .collect()
    }

    /// The stages of a cycle that have opened.
    pub async fn stage_rows(&self, cycle: CycleId) -> Result<Vec<StageRow>> {
        let mut v: Vec<StageRow> = sqlx::query(
            "SELECT stage, status, opened_by, opened_at, due, completed_by, completed_at, signed_off_by, signed_off_at FROM evaluation_stages WHERE cycle_id = $1",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(StageRow {
                stage: code(r, "stage")?,
                status: code(r, "status")?,
                opened_by: r.try_get("opened_by")?,
                opened_at: r.try_get("opened_at")?,
                due: crate::column::opt_date(r, "due")?,
                completed_by: r.try_get("completed_by")?,
                completed_at: r.try_get("completed_at")?,
                signed_off_by: r.try_get("signed_off_by")?,
                signed_off_at: r.try_get("signed_off_at")?,
            })
        })
        .collect::<Result<_>>()?;
        v.sort_by_key(|s| s.stage);
        Ok(v)
    }

    /// The statuses of a cycle's stages, for the domain's checks.
    pub async fn stages(&self, cycle: CycleId) -> Result<Stages> {
        Ok(self
            .stage_rows(cycle)
            .await?
            .into_iter()
            .map(|s| (s.stage, s.status))
            .collect())
    }

    /// The supervision group's observations on a cycle's evaluation, oldest first.
    pub async fn observations(&self, cycle: CycleId) -> Result<Vec<Observation>> {
        sqlx::query(
            "SELECT id, stage, body, observed_by, observed_at, answer, answered_by, answered_at FROM supervision_observations WHERE cycle_id = $1 ORDER BY id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Observation {
                id: r.try_get("id")?,
                stage: match r.try_get::<Option<String>, _>("stage")? {
                    Some(_) => Some(code(r, "stage")?),
                    None => None,
                },
                body: r.try_get("body")?,
                by: r.try_get("observed_by")?,
                at: r.try_get("observed_at")?,
                answer: r.try_get("answer")?,
                answered_by: r.try_get("answered_by")?,
                answered_at: r.try_get("answered_at")?,
            })
        })
        .collect()
    }
}

impl WriteTx {
    /// Sets a cycle's plan, recording the change when it replaces one.
    pub async fn set_plan(
        &mut self,
        cycle: CycleId,
        plan: &Plan,
        rubrics: (&str, &str),
        before: Option<(&Plan, &str, bool)>,
        by: &str,
    ) -> Result<()> {
        let now = now_text();
        if let Some((old, reason, after_freeze)) = before {
            sqlx::query(
                "INSERT INTO plan_amendments (cycle_id, before_plan, after_plan, reason, after_freeze, amended_by, amended_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(cycle.0)
            .bind(text(old))
            .bind(text(plan))
            .bind(reason)
            .bind(i64::from(after_freeze))
            .bind(by)
            .bind(&now)
            .execute(&mut *self.tx)
            .await?;
            sqlx::query(
                "UPDATE evaluation_plans SET plan = $1, rubric_organization = $2, rubric_individual = $3, set_by = $4, set_at = $5 WHERE cycle_id = $6",
            )
            .bind(text(plan))
            .bind(rubrics.0)
            .bind(rubrics.1)
            .bind(by)
            .bind(&now)
            .bind(cycle.0)
            .execute(&mut *self.tx)
            .await?;
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO evaluation_plans (cycle_id, plan, rubric_organization, rubric_individual, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(cycle.0)
        .bind(text(plan))
        .bind(rubrics.0)
        .bind(rubrics.1)
        .bind(by)
        .bind(&now)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("plan-already-set")))?;
        Ok(())
    }

    /// Opens a stage; a second opening of the same stage is a conflict.
    pub async fn open_stage(&mut self, cycle: CycleId, stage: Stage, by: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO evaluation_stages (cycle_id, stage, status, opened_by, opened_at) VALUES ($1, $2, 'open', $3, $4)",
        )
        .bind(cycle.0)
        .bind(stage.code())
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| {
            StoreError::unique(e, || {
                qaward_domain::msg!(
                    "stage-already-opened",
                    stage = qaward_domain::message::Term::of(stage)
                )
            })
        })?;
        Ok(())
    }

    /// Completes an open stage; false when it was not open any more.
    pub async fn complete_stage(&mut self, cycle: CycleId, stage: Stage, by: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE evaluation_stages SET status = 'completed', completed_by = $1, completed_at = $2 WHERE cycle_id = $3 AND stage = $4 AND status = 'open'",
        )
        .bind(by)
        .bind(now_text())
        .bind(cycle.0)
        .bind(stage.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Sets the day an open stage's sheets are due; false when the stage is not open.
    pub async fn set_stage_due(
        &mut self,
        cycle: CycleId,
        stage: Stage,
        due: chrono::NaiveDate,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE evaluation_stages SET due = $1 WHERE cycle_id = $2 AND stage = $3 AND status = 'open'",
        )
        .bind(due.to_string())
        .bind(cycle.0)
        .bind(stage.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// The supervision group signs a completed stage off; false when it is not complete
    /// or already signed.
    pub async fn sign_off_stage(&mut self, cycle: CycleId, stage: Stage, by: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE evaluation_stages SET signed_off_by = $1, signed_off_at = $2 WHERE cycle_id = $3 AND stage = $4 AND status = 'completed' AND signed_off_at IS NULL",
        )
        .bind(by)
        .bind(now_text())
        .bind(cycle.0)
        .bind(stage.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    pub async fn observe(
        &mut self,
        cycle: CycleId,
        stage: Option<Stage>,
        body: &str,
        by: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO supervision_observations (cycle_id, stage, body, observed_by, observed_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(cycle.0)
        .bind(stage.map(|s| s.code()))
        .bind(body)
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// The Office answers an observation once; false when it was answered already or
    /// belongs to another cycle.
    pub async fn answer_observation(
        &mut self,
        cycle: CycleId,
        id: i64,
        answer: &str,
        by: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE supervision_observations SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND cycle_id = $5 AND answer IS NULL",
        )
        .bind(answer)
        .bind(by)
        .bind(now_text())
        .bind(id)
        .bind(cycle.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

//! Programs (the award, bound to a policy version) and their cycles (届).

use qaward_domain::cycle::Timeline;
use qaward_domain::ids::{CycleId, ProgramId};
use qaward_domain::subject::CycleRef;
use serde::Serialize;
use sqlx::Row;

use crate::column::date;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A program with the version of its measures its new cycles open under (the text is
/// in `policy_versions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Program {
    pub id: ProgramId,
    pub code: String,
    pub name: String,
    pub policy_id: String,
    /// What its certificates' numbers begin with (`XZZLJ-2026-A01`).
    pub certificate_prefix: String,
}

/// A cycle with its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cycle {
    pub id: CycleId,
    pub program_id: ProgramId,
    pub cycle: CycleRef,
    pub policy_id: String,
    pub timeline: Timeline,
}

const PROGRAM_COLUMNS: &str = "id, code, name, policy_id, certificate_prefix";

fn program_from_row(r: &sqlx::any::AnyRow) -> Result<Program> {
    Ok(Program {
        id: ProgramId(r.try_get("id")?),
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        policy_id: r.try_get("policy_id")?,
        certificate_prefix: r.try_get("certificate_prefix")?,
    })
}

const CYCLE_COLUMNS: &str = "id, program_id, ordinal, year, policy_id, application_opens, application_closes, \
     channel_review_due, formal_review_due";

fn cycle_from_row(r: &sqlx::any::AnyRow) -> Result<Cycle> {
    Ok(Cycle {
        id: CycleId(r.try_get("id")?),
        program_id: ProgramId(r.try_get("program_id")?),
        cycle: CycleRef {
            ordinal: u32::try_from(r.try_get::<i64, _>("ordinal")?)
                .map_err(|_| StoreError::Corrupt("cycle ordinal".into()))?,
            year: i32::try_from(r.try_get::<i64, _>("year")?)
                .map_err(|_| StoreError::Corrupt("cycle year".into()))?,
        },
        policy_id: r.try_get("policy_id")?,
        timeline: Timeline {
            application_opens: date(r, "application_opens")?,
            application_closes: date(r, "application_closes")?,
            channel_review_due: date(r, "channel_review_due")?,
            formal_review_due: date(r, "formal_review_due")?,
        },
    })
}

impl WriteTx {
    /// Creates the program under a stored version of the measures (its text is copied
    /// from `policy_versions`, where every version is kept). The program claims the
    /// versions stored for no program yet: the installation's first, stored at its first
    /// start, or the one its maker stored for it in the same transaction.
    pub async fn create_program(
        &mut self,
        code: &str,
        name: &str,
        policy_id: &str,
        certificate_prefix: &str,
    ) -> Result<ProgramId> {
        let id = sqlx::query_scalar(
            "INSERT INTO programs (code, name, policy_id, policy_toml, created_at, certificate_prefix) \
             SELECT $1, $2, code, source, $3, $5 FROM policy_versions WHERE code = $4 RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(now_text())
        .bind(policy_id)
        .bind(certificate_prefix)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("program-exists", code = code)))?
        .ok_or_else(|| StoreError::NotFound(format!("policy version {policy_id}")))?;
        sqlx::query("UPDATE policy_versions SET program_id = $1 WHERE program_id = 0")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(ProgramId(id))
    }

    pub async fn create_cycle(
        &mut self,
        program_id: ProgramId,
        c: CycleRef,
        policy_id: &str,
        t: &Timeline,
    ) -> Result<CycleId> {
        let id = sqlx::query_scalar(
            "INSERT INTO cycles (program_id, ordinal, year, policy_id, application_opens, application_closes, \
             channel_review_due, formal_review_due, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(program_id.0)
        .bind(i64::from(c.ordinal))
        .bind(i64::from(c.year))
        .bind(policy_id)
        .bind(t.application_opens.to_string())
        .bind(t.application_closes.to_string())
        .bind(t.channel_review_due.to_string())
        .bind(t.formal_review_due.to_string())
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("cycle-exists", cycle = c.ordinal)))?;
        Ok(CycleId(id))
    }
}

impl Store {
    /// Every program, in the order made (the first is the installation's own).
    pub async fn programs(&self) -> Result<Vec<Program>> {
        let rows = sqlx::query(&format!(
            "SELECT {PROGRAM_COLUMNS} FROM programs ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(program_from_row).collect()
    }

    /// One program, if it exists.
    pub async fn program(&self, id: ProgramId) -> Result<Option<Program>> {
        let row = sqlx::query(&format!(
            "SELECT {PROGRAM_COLUMNS} FROM programs WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(program_from_row).transpose()
    }

    /// The cycles of a program, newest first.
    pub async fn cycles(&self, program_id: ProgramId) -> Result<Vec<Cycle>> {
        let rows = sqlx::query(&format!(
            "SELECT {CYCLE_COLUMNS} FROM cycles WHERE program_id = $1 ORDER BY ordinal DESC"
        ))
        .bind(program_id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(cycle_from_row).collect()
    }

    pub async fn cycle(&self, id: CycleId) -> Result<Cycle> {
        let r = sqlx::query(&format!("SELECT {CYCLE_COLUMNS} FROM cycles WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("cycle {id}")))?;
        cycle_from_row(&r)
    }
}

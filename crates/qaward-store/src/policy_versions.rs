//! The versions of the measures the installation holds (A33, A34): each file's full text
//! with its SM3 hash, the document that issued it and the program it was adopted for. A
//! cycle names its version by code; the version in force for a program's new cycles is
//! the one its program row names (`programs.policy_id`), the one adopted for it last.

use qaward_domain::ids::ProgramId;
use serde::Serialize;
use sm3::{Digest, Sm3};
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx, now_text};

/// One stored version of the measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyVersion {
    /// The order of adoption.
    pub seq: i64,
    /// The program it was adopted for; `None` while the installation has no program yet.
    pub program: Option<ProgramId>,
    /// The policy file's `id`.
    pub code: String,
    pub title: String,
    #[serde(skip)]
    pub source: String,
    /// Hex SM3 of the text.
    pub sm3: String,
    pub document_number: Option<String>,
    pub document_date: String,
    pub adopted_by: String,
    pub adopted_at: String,
}

/// The issuing document and adopter of a version being stored.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    /// The program it is adopted for; `None` for the installation's first version, stored
    /// before its first program is made, which claims it ([`WriteTx::create_program`]).
    pub program: Option<ProgramId>,
    pub code: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub document_number: Option<&'a str>,
    pub document_date: chrono::NaiveDate,
    pub adopted_by: &'a str,
}

/// Hex SM3 of a policy text, as stored.
pub fn digest(source: &str) -> String {
    hex::encode(Sm3::digest(source.as_bytes()))
}

const COLUMNS: &str = "id, program_id, code, title, source, sm3, document_number, document_date, adopted_by, adopted_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<PolicyVersion> {
    Ok(PolicyVersion {
        seq: r.try_get("id")?,
        program: Some(ProgramId(r.try_get("program_id")?)).filter(|p| p.0 != 0),
        code: r.try_get("code")?,
        title: r.try_get("title")?,
        source: r.try_get("source")?,
        sm3: r.try_get("sm3")?,
        document_number: r.try_get("document_number")?,
        document_date: r.try_get("document_date")?,
        adopted_by: r.try_get("adopted_by")?,
        adopted_at: r.try_get("adopted_at")?,
    })
}

impl WriteTx {
    /// Stores a version and makes it the one in force for its program's new cycles. A code
    /// already held is a conflict: a version's text never changes once stored.
    pub async fn adopt_policy_version(&mut self, v: &NewVersion<'_>) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO policy_versions (program_id, code, title, source, sm3, document_number, document_date, adopted_by, adopted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(v.program.map_or(0, |p| p.0))
        .bind(v.code)
        .bind(v.title)
        .bind(v.source)
        .bind(digest(v.source))
        .bind(v.document_number)
        .bind(v.document_date.to_string())
        .bind(v.adopted_by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| {
            StoreError::unique(e, || qaward_domain::msg!("policy-version-exists", code = v.code))
        })?;
        // The program names the version its next cycle opens under.
        if let Some(p) = v.program {
            sqlx::query("UPDATE programs SET policy_id = $1, policy_toml = $2 WHERE id = $3")
                .bind(v.code)
                .bind(v.source)
                .bind(p.0)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(id)
    }
}

impl Store {
    /// Every stored version of every program, in the order adopted.
    pub async fn policy_versions(&self) -> Result<Vec<PolicyVersion>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM policy_versions ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The versions adopted for `program`, in the order adopted (with the installation's
    /// first, if no program has claimed it yet).
    pub async fn policy_versions_of(&self, program: ProgramId) -> Result<Vec<PolicyVersion>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM policy_versions WHERE program_id IN ($1, 0) ORDER BY id"
        ))
        .bind(program.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The code of the version in force for new cycles of `program`, or of the
    /// installation's first program when `None`; before any program is made, the version
    /// stored last. One small read, so that every instance sharing the database sees an
    /// adoption at once.
    pub async fn policy_code_in_force(&self, program: Option<ProgramId>) -> Result<Option<String>> {
        let named: Option<String> = match program {
            Some(p) => {
                sqlx::query_scalar("SELECT policy_id FROM programs WHERE id = $1")
                    .bind(p.0)
                    .fetch_optional(self.pool())
                    .await?
            }
            None => {
                sqlx::query_scalar("SELECT policy_id FROM programs ORDER BY id LIMIT 1")
                    .fetch_optional(self.pool())
                    .await?
            }
        };
        match (named, program) {
            (Some(code), _) => Ok(Some(code)),
            (None, Some(p)) => Err(StoreError::NotFound(format!("program {}", p.0))),
            // No program yet: the version stored last.
            (None, None) => Ok(sqlx::query_scalar(
                "SELECT code FROM policy_versions ORDER BY id DESC LIMIT 1",
            )
            .fetch_optional(self.pool())
            .await?),
        }
    }

    /// One version by its code.
    pub async fn policy_version(&self, code: &str) -> Result<Option<PolicyVersion>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM policy_versions WHERE code = $1"
        ))
        .bind(code)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// How many cycles each version governs, by code (versions governing none are absent).
    pub async fn cycles_per_policy(&self) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT policy_id, count(*) FROM cycles GROUP BY policy_id ORDER BY policy_id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// The policy codes cycles are bound to, each once.
    pub async fn cycle_policy_codes(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT policy_id FROM cycles ORDER BY policy_id")
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Computes the hash of versions carried over by the migration; returns how many.
    pub async fn hash_policy_versions(&self) -> Result<usize> {
        let unhashed: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, source FROM policy_versions WHERE sm3 = ''")
                .fetch_all(self.pool())
                .await?;
        if unhashed.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write().await?;
        for (id, source) in &unhashed {
            sqlx::query("UPDATE policy_versions SET sm3 = $1 WHERE id = $2 AND sm3 = ''")
                .bind(digest(source))
                .bind(id)
                .execute(&mut *tx.tx)
                .await?;
        }
        tx.commit().await?;
        Ok(unhashed.len())
    }
}

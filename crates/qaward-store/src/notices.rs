//! Public notices (公示) with their entries: the acceptance list (A16.3) and, later, the
//! candidate and proposed-winner lists (A18.3, A19.2).

use chrono::NaiveDate;
use qaward_domain::ids::{ApplicationId, CycleId, ProgramId};
use qaward_domain::notice::NoticeScope;
use qaward_domain::policy::NoticeKind;
use serde::Serialize;
use sqlx::Row;

use crate::column::{code, date};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A public notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeRow {
    pub id: i64,
    pub cycle_id: CycleId,
    pub kind: NoticeKind,
    pub scope: NoticeScope,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub contact: String,
    pub published_at: String,
}

/// A notice to publish.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub cycle: CycleId,
    pub kind: NoticeKind,
    pub scope: &'a NoticeScope,
    pub title: &'a str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub contact: &'a str,
    pub by: &'a str,
}

/// An entry of a notice: an application and the subject's public particulars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeEntry {
    pub application_id: ApplicationId,
    pub subject_name: String,
    pub county: String,
}

const COLUMNS: &str =
    "id, cycle_id, kind, scope_kind, scope_id, title, start_date, end_date, contact, published_at";

fn notice_from(r: &sqlx::any::AnyRow) -> Result<NoticeRow> {
    let id: i64 = r.try_get("id")?;
    let kind: String = r.try_get("scope_kind")?;
    let scope_id: Option<String> = r.try_get("scope_id")?;
    Ok(NoticeRow {
        id,
        cycle_id: CycleId(r.try_get("cycle_id")?),
        kind: code(r, "kind")?,
        scope: NoticeScope::from_parts(&kind, scope_id.as_deref())
            .ok_or_else(|| StoreError::Corrupt(format!("scope of notice {id}")))?,
        title: r.try_get("title")?,
        start: date(r, "start_date")?,
        end: date(r, "end_date")?,
        contact: r.try_get("contact")?,
        published_at: r.try_get("published_at")?,
    })
}

impl WriteTx {
    pub async fn create_notice(&mut self, n: &NewNotice<'_>) -> Result<i64> {
        let (scope_kind, scope_id) = n.scope.parts();
        let id = sqlx::query_scalar(
            "INSERT INTO notices (cycle_id, kind, scope_kind, scope_id, title, start_date, end_date, contact, published_by, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(n.cycle.0)
        .bind(n.kind.code())
        .bind(scope_kind)
        .bind(scope_id)
        .bind(n.title)
        .bind(n.start.to_string())
        .bind(n.end.to_string())
        .bind(n.contact)
        .bind(n.by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    pub async fn add_notice_entry(&mut self, notice: i64, id: ApplicationId) -> Result<()> {
        sqlx::query("INSERT INTO notice_entries (notice_id, application_id) VALUES ($1, $2)")
            .bind(notice)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

impl Store {
    pub async fn notices(&self) -> Result<Vec<NoticeRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM notices ORDER BY start_date DESC, id DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(notice_from).collect()
    }

    /// Every notice with the program its cycle belongs to, newest first.
    pub async fn notices_with_program(&self) -> Result<Vec<(ProgramId, NoticeRow)>> {
        let rows = sqlx::query(&format!(
            "SELECT n.{}, c.program_id FROM notices n JOIN cycles c ON c.id = n.cycle_id \
             ORDER BY n.start_date DESC, n.id DESC",
            COLUMNS.replace(", ", ", n.")
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((ProgramId(r.try_get("program_id")?), notice_from(r)?)))
            .collect()
    }

    pub async fn notice(&self, id: i64) -> Result<NoticeRow> {
        let r = sqlx::query(&format!("SELECT {COLUMNS} FROM notices WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("notice {id}")))?;
        notice_from(&r)
    }

    /// The latest notice of `kind` an application is on.
    pub async fn notice_of(
        &self,
        id: ApplicationId,
        kind: NoticeKind,
    ) -> Result<Option<NoticeRow>> {
        let r = sqlx::query(&format!(
            "SELECT n.{} FROM notices n JOIN notice_entries e ON e.notice_id = n.id \
             WHERE e.application_id = $1 AND n.kind = $2 ORDER BY n.id DESC LIMIT 1",
            COLUMNS.replace(", ", ", n.")
        ))
        .bind(id.0)
        .bind(kind.code())
        .fetch_optional(self.pool())
        .await?;
        r.as_ref().map(notice_from).transpose()
    }

    pub async fn notice_entries(&self, notice: i64) -> Result<Vec<NoticeEntry>> {
        let rows = sqlx::query(
            "SELECT e.application_id, s.name, s.county FROM notice_entries e \
             JOIN applications a ON a.id = e.application_id JOIN subjects s ON s.id = a.subject_id \
             WHERE e.notice_id = $1 ORDER BY e.application_id",
        )
        .bind(notice)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(NoticeEntry {
                    application_id: ApplicationId(r.try_get("application_id")?),
                    subject_name: r.try_get("name")?,
                    county: r.try_get("county")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// What the operators watch (`/metrics`): the audit chain's length and the notices
    /// running on `today`. Two reads, no rows.
    pub async fn gauges(&self, today: NaiveDate) -> Result<(i64, i64)> {
        let chain: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_head WHERE id = 1")
                .fetch_one(self.pool())
                .await?;
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM notices WHERE start_date <= $1 AND end_date >= $1",
        )
        .bind(today.to_string())
        .fetch_one(self.pool())
        .await?;
        Ok((chain, open))
    }

    /// The database pool's connections: open, and idle among them.
    pub fn pool_connections(&self) -> (u32, usize) {
        (self.pool().size(), self.pool().num_idle())
    }
}

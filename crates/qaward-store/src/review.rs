//! Reviews with their checklists, written opinion requests, public notices with their
//! entries, and the objections raised in them.

use chrono::NaiveDate;
use qaward_domain::ids::{ApplicationId, CycleId};
use serde::Serialize;
use sqlx::Row;

use crate::audit::Actor;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A review at one step, with its checklist (JSON) and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub step: String,
    pub reviewer: String,
    pub checklist: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub at: String,
}

/// A written opinion asked of a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpinionRequest {
    pub id: i64,
    pub application_id: ApplicationId,
    /// `acceptance` (A16.2) or `candidate` (A18.2).
    pub stage: String,
    pub dept_id: String,
    pub due: NaiveDate,
    pub requested_at: String,
    pub answered_at: Option<String>,
    pub adverse: Option<bool>,
    pub answer: Option<String>,
}

/// A public notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeRow {
    pub id: i64,
    pub cycle_id: CycleId,
    pub kind: String,
    pub scope_kind: String,
    pub scope_id: Option<String>,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub contact: String,
    pub published_at: String,
}

/// An entry of a notice: an application and the subject's public particulars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeEntry {
    pub application_id: ApplicationId,
    pub subject_name: String,
    pub county: String,
}

/// An objection against one entry of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectionRow {
    pub id: i64,
    pub notice_id: i64,
    pub application_id: ApplicationId,
    pub raised_on: NaiveDate,
    pub objector_name: Option<String>,
    pub objector_contact: Option<String>,
    pub content: String,
    pub evidence: Option<String>,
    /// `open`, `upheld` or `dismissed`.
    pub status: String,
    pub reason: Option<String>,
    pub handled_at: Option<String>,
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("date `{s}`")))
}

fn opinion_from(r: &sqlx::any::AnyRow) -> Result<OpinionRequest> {
    Ok(OpinionRequest {
        id: r.try_get("id")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        stage: r.try_get("stage")?,
        dept_id: r.try_get("dept_id")?,
        due: date(&r.try_get::<String, _>("due")?)?,
        requested_at: r.try_get("requested_at")?,
        answered_at: r.try_get("answered_at")?,
        adverse: r.try_get::<Option<i64>, _>("adverse")?.map(|a| a != 0),
        answer: r.try_get("answer")?,
    })
}

fn notice_from(r: &sqlx::any::AnyRow) -> Result<NoticeRow> {
    Ok(NoticeRow {
        id: r.try_get("id")?,
        cycle_id: CycleId(r.try_get("cycle_id")?),
        kind: r.try_get("kind")?,
        scope_kind: r.try_get("scope_kind")?,
        scope_id: r.try_get("scope_id")?,
        title: r.try_get("title")?,
        start: date(&r.try_get::<String, _>("start_date")?)?,
        end: date(&r.try_get::<String, _>("end_date")?)?,
        contact: r.try_get("contact")?,
        published_at: r.try_get("published_at")?,
    })
}

fn objection_from(r: &sqlx::any::AnyRow) -> Result<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.try_get("id")?,
        notice_id: r.try_get("notice_id")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        raised_on: date(&r.try_get::<String, _>("raised_on")?)?,
        objector_name: r.try_get("objector_name")?,
        objector_contact: r.try_get("objector_contact")?,
        content: r.try_get("content")?,
        evidence: r.try_get("evidence")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        handled_at: r.try_get("handled_at")?,
    })
}

const OPINION_COLUMNS: &str =
    "id, application_id, stage, dept_id, due, requested_at, answered_at, adverse, answer";
const NOTICE_COLUMNS: &str =
    "id, cycle_id, kind, scope_kind, scope_id, title, start_date, end_date, contact, published_at";
const OBJECTION_COLUMNS: &str = "id, notice_id, application_id, raised_on, objector_name, objector_contact, content, evidence, status, reason, handled_at";

impl WriteTx {
    pub async fn add_review(
        &mut self,
        id: ApplicationId,
        step: &str,
        by: &Actor,
        checklist: &str,
        outcome: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO reviews (application_id, step, reviewer_user_id, reviewer_name, checklist, outcome, reason, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.0)
        .bind(step)
        .bind(by.user_id)
        .bind(&by.name)
        .bind(checklist)
        .bind(outcome)
        .bind(reason)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn request_opinion(
        &mut self,
        id: ApplicationId,
        stage: &str,
        dept: &str,
        due: NaiveDate,
        by: &str,
    ) -> Result<i64> {
        let rid = sqlx::query_scalar(
            "INSERT INTO opinion_requests (application_id, stage, dept_id, due, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id.0)
        .bind(stage)
        .bind(dept)
        .bind(due.to_string())
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || format!("{dept} has already been asked about application {id}")))?;
        Ok(rid)
    }

    /// Records a department's answer; false when the request was answered already.
    pub async fn answer_opinion(
        &mut self,
        request: i64,
        by: &str,
        adverse: bool,
        answer: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE opinion_requests SET answered_at = $1, answered_by = $2, adverse = $3, answer = $4 WHERE id = $5 AND answered_at IS NULL",
        )
        .bind(now_text())
        .bind(by)
        .bind(i64::from(adverse))
        .bind(answer)
        .bind(request)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn create_notice(
        &mut self,
        cycle: CycleId,
        kind: &str,
        scope_kind: &str,
        scope_id: Option<&str>,
        title: &str,
        start: NaiveDate,
        end: NaiveDate,
        contact: &str,
        by: &str,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO notices (cycle_id, kind, scope_kind, scope_id, title, start_date, end_date, contact, published_by, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(cycle.0)
        .bind(kind)
        .bind(scope_kind)
        .bind(scope_id)
        .bind(title)
        .bind(start.to_string())
        .bind(end.to_string())
        .bind(contact)
        .bind(by)
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

    #[allow(clippy::too_many_arguments)]
    pub async fn add_objection(
        &mut self,
        notice: i64,
        id: ApplicationId,
        raised_on: NaiveDate,
        name: Option<&str>,
        contact: Option<&str>,
        content: &str,
        evidence: Option<&str>,
        follow_up_hash: &str,
    ) -> Result<i64> {
        let oid = sqlx::query_scalar(
            "INSERT INTO objections (notice_id, application_id, raised_on, objector_name, objector_contact, content, evidence, follow_up_hash, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) RETURNING id",
        )
        .bind(notice)
        .bind(id.0)
        .bind(raised_on.to_string())
        .bind(name)
        .bind(contact)
        .bind(content)
        .bind(evidence)
        .bind(follow_up_hash)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(oid)
    }

    /// Records the Leading Group's handling; false when the objection was handled already.
    pub async fn handle_objection(
        &mut self,
        objection: i64,
        upheld: bool,
        reason: &str,
        by: &str,
    ) -> Result<bool> {
        let n = sqlx::query("UPDATE objections SET status = $1, reason = $2, handled_by = $3, handled_at = $4 WHERE id = $5 AND status = 'open'")
            .bind(if upheld { "upheld" } else { "dismissed" })
            .bind(reason)
            .bind(by)
            .bind(now_text())
            .bind(objection)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    pub async fn reviews(&self, id: ApplicationId) -> Result<Vec<Review>> {
        let rows = sqlx::query("SELECT step, reviewer_name, checklist, outcome, reason, at FROM reviews WHERE application_id = $1 ORDER BY id")
            .bind(id.0)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Review {
                    step: r.try_get("step")?,
                    reviewer: r.try_get("reviewer_name")?,
                    checklist: r.try_get("checklist")?,
                    outcome: r.try_get("outcome")?,
                    reason: r.try_get("reason")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    pub async fn opinion_requests(
        &self,
        id: ApplicationId,
        stage: &str,
    ) -> Result<Vec<OpinionRequest>> {
        let rows = sqlx::query(&format!("SELECT {OPINION_COLUMNS} FROM opinion_requests WHERE application_id = $1 AND stage = $2 ORDER BY id"))
            .bind(id.0)
            .bind(stage)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(opinion_from).collect()
    }

    /// Every opinion request of one stage in a cycle, in one query: the Office queue
    /// groups them by application instead of asking once per row.
    pub async fn opinion_requests_in_cycle(
        &self,
        cycle: CycleId,
        stage: &str,
    ) -> Result<Vec<OpinionRequest>> {
        let rows = sqlx::query(&format!(
            "SELECT o.{} FROM opinion_requests o JOIN applications a ON a.id = o.application_id \
             WHERE a.cycle_id = $1 AND o.stage = $2 ORDER BY o.id",
            OPINION_COLUMNS.replace(", ", ", o.")
        ))
        .bind(cycle.0)
        .bind(stage)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(opinion_from).collect()
    }

    pub async fn opinion_request(&self, request: i64) -> Result<OpinionRequest> {
        let r = sqlx::query(&format!(
            "SELECT {OPINION_COLUMNS} FROM opinion_requests WHERE id = $1"
        ))
        .bind(request)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("opinion request {request}")))?;
        opinion_from(&r)
    }

    /// The requests addressed to a department, with the subject's name, newest first.
    pub async fn opinion_queue(&self, dept: &str) -> Result<Vec<(OpinionRequest, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT o.{}, s.name AS subject_name FROM opinion_requests o \
             JOIN applications a ON a.id = o.application_id JOIN subjects s ON s.id = a.subject_id \
             WHERE o.dept_id = $1 ORDER BY o.answered_at IS NOT NULL, o.due, o.id",
            OPINION_COLUMNS.replace(", ", ", o.")
        ))
        .bind(dept)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((opinion_from(r)?, r.try_get("subject_name")?)))
            .collect()
    }

    pub async fn notices(&self) -> Result<Vec<NoticeRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notices ORDER BY start_date DESC, id DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(notice_from).collect()
    }

    pub async fn notice(&self, id: i64) -> Result<NoticeRow> {
        let r = sqlx::query(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("notice {id}")))?;
        notice_from(&r)
    }

    /// The latest notice of `kind` an application is on.
    pub async fn notice_of(&self, id: ApplicationId, kind: &str) -> Result<Option<NoticeRow>> {
        let r = sqlx::query(&format!(
            "SELECT n.{} FROM notices n JOIN notice_entries e ON e.notice_id = n.id \
             WHERE e.application_id = $1 AND n.kind = $2 ORDER BY n.id DESC LIMIT 1",
            NOTICE_COLUMNS.replace(", ", ", n.")
        ))
        .bind(id.0)
        .bind(kind)
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

    /// Objections against an application raised in a notice.
    pub async fn objections(&self, notice: i64, id: ApplicationId) -> Result<Vec<ObjectionRow>> {
        let rows = sqlx::query(&format!("SELECT {OBJECTION_COLUMNS} FROM objections WHERE notice_id = $1 AND application_id = $2 ORDER BY id"))
            .bind(notice)
            .bind(id.0)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(objection_from).collect()
    }

    pub async fn objection(&self, id: i64) -> Result<ObjectionRow> {
        let r = sqlx::query(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("objection {id}")))?;
        objection_from(&r)
    }

    /// An objection by its follow-up code's hash.
    pub async fn objection_by_code(&self, hash: &str) -> Result<Option<ObjectionRow>> {
        let r = sqlx::query(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE follow_up_hash = $1"
        ))
        .bind(hash)
        .fetch_optional(self.pool())
        .await?;
        r.as_ref().map(objection_from).transpose()
    }

    /// Objections still open, oldest first.
    pub async fn open_objections(&self) -> Result<Vec<ObjectionRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE status = 'open' ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(objection_from).collect()
    }
}

//! Written opinions asked of departments (A16.2, A18.2) and their answers.

use chrono::NaiveDate;
use qaward_domain::application::OpinionStage;
use qaward_domain::ids::{ApplicationId, CycleId, ProgramId};
use serde::Serialize;
use sqlx::Row;

use crate::column::{code, date};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A written opinion asked of a department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpinionRequest {
    pub id: i64,
    pub application_id: ApplicationId,
    pub stage: OpinionStage,
    pub dept_id: String,
    pub due: NaiveDate,
    pub requested_at: String,
    pub answered_at: Option<String>,
    pub adverse: Option<bool>,
    pub answer: Option<String>,
    /// The account that answered, or the Office's that recorded a paper answer.
    pub answered_by: Option<String>,
    /// The answer came on paper and the Office recorded it with its scan.
    pub on_paper: bool,
    /// The paper answer's scan: its blob, name and content type.
    pub scan: Option<Scan>,
    /// The Office proceeded without an answer after the due date (A16.2).
    pub proceeded: Option<Proceeded>,
}

/// The scan of an answer received on paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scan {
    pub hash: String,
    pub filename: String,
    pub content_type: String,
}

/// The Office's decision to go on without an overdue answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proceeded {
    pub at: String,
    pub by: String,
    pub reason: String,
}

impl OpinionRequest {
    /// Answered, or the Office proceeded without the answer: the request no longer holds
    /// up the formal review (A16.2).
    pub fn settled(&self) -> bool {
        self.answered_at.is_some() || self.proceeded.is_some()
    }
}

/// What the Office records of an answer received on paper.
#[derive(Debug, Clone)]
pub struct PaperAnswer<'a> {
    pub adverse: bool,
    pub answer: &'a str,
    pub scan_hash: &'a str,
    pub scan_name: &'a str,
    pub scan_type: &'a str,
}

const COLUMNS: &str = "id, application_id, stage, dept_id, due, requested_at, answered_at, adverse, answer, answered_by, answer_medium, answer_scan, answer_scan_name, answer_scan_type, proceeded_at, proceeded_by, proceed_reason";

fn opinion_from(r: &sqlx::any::AnyRow) -> Result<OpinionRequest> {
    Ok(OpinionRequest {
        id: r.try_get("id")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        stage: code(r, "stage")?,
        dept_id: r.try_get("dept_id")?,
        due: date(r, "due")?,
        requested_at: r.try_get("requested_at")?,
        answered_at: r.try_get("answered_at")?,
        adverse: r.try_get::<Option<i64>, _>("adverse")?.map(|a| a != 0),
        answer: r.try_get("answer")?,
        answered_by: r.try_get("answered_by")?,
        on_paper: r.try_get::<Option<String>, _>("answer_medium")?.as_deref() == Some("paper"),
        scan: match r.try_get::<Option<String>, _>("answer_scan")? {
            Some(hash) => Some(Scan {
                hash,
                filename: r
                    .try_get::<Option<String>, _>("answer_scan_name")?
                    .unwrap_or_default(),
                content_type: r
                    .try_get::<Option<String>, _>("answer_scan_type")?
                    .unwrap_or_default(),
            }),
            None => None,
        },
        proceeded: match r.try_get::<Option<String>, _>("proceeded_at")? {
            Some(at) => Some(Proceeded {
                at,
                by: r
                    .try_get::<Option<String>, _>("proceeded_by")?
                    .unwrap_or_default(),
                reason: r
                    .try_get::<Option<String>, _>("proceed_reason")?
                    .unwrap_or_default(),
            }),
            None => None,
        },
    })
}

impl WriteTx {
    pub async fn request_opinion(
        &mut self,
        id: ApplicationId,
        stage: OpinionStage,
        dept: &str,
        due: NaiveDate,
        by: &str,
    ) -> Result<i64> {
        let rid = sqlx::query_scalar(
            "INSERT INTO opinion_requests (application_id, stage, dept_id, due, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id.0)
        .bind(stage.code())
        .bind(dept)
        .bind(due.to_string())
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("opinion-already-asked", dept = dept)))?;
        Ok(rid)
    }

    /// Records a department's answer; false when the request was answered already or
    /// the Office has proceeded without it.
    pub async fn answer_opinion(
        &mut self,
        request: i64,
        by: &str,
        adverse: bool,
        answer: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE opinion_requests SET answered_at = $1, answered_by = $2, adverse = $3, answer = $4, answer_medium = 'system' \
             WHERE id = $5 AND answered_at IS NULL AND proceeded_at IS NULL",
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
}

impl WriteTx {
    /// Records an answer received on paper with its scan; false when the request was
    /// settled already.
    pub async fn record_paper_answer(
        &mut self,
        request: i64,
        by: &str,
        a: &PaperAnswer<'_>,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE opinion_requests SET answered_at = $1, answered_by = $2, adverse = $3, answer = $4, \
             answer_medium = 'paper', answer_scan = $5, answer_scan_name = $6, answer_scan_type = $7 \
             WHERE id = $8 AND answered_at IS NULL AND proceeded_at IS NULL",
        )
        .bind(now_text())
        .bind(by)
        .bind(i64::from(a.adverse))
        .bind(a.answer)
        .bind(a.scan_hash)
        .bind(a.scan_name)
        .bind(a.scan_type)
        .bind(request)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Records the Office's decision to proceed without an answer; false when the
    /// request was settled already.
    pub async fn proceed_without_opinion(
        &mut self,
        request: i64,
        by: &str,
        reason: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE opinion_requests SET proceeded_at = $1, proceeded_by = $2, proceed_reason = $3 \
             WHERE id = $4 AND answered_at IS NULL AND proceeded_at IS NULL",
        )
        .bind(now_text())
        .bind(by)
        .bind(reason)
        .bind(request)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    pub async fn opinion_requests(
        &self,
        id: ApplicationId,
        stage: OpinionStage,
    ) -> Result<Vec<OpinionRequest>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM opinion_requests WHERE application_id = $1 AND stage = $2 ORDER BY id"
        ))
        .bind(id.0)
        .bind(stage.code())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(opinion_from).collect()
    }

    /// Every opinion request of one stage in a cycle, in one query: the Office queue
    /// groups them by application instead of asking once per row.
    pub async fn opinion_requests_in_cycle(
        &self,
        cycle: CycleId,
        stage: OpinionStage,
    ) -> Result<Vec<OpinionRequest>> {
        let rows = sqlx::query(&format!(
            "SELECT o.{} FROM opinion_requests o JOIN applications a ON a.id = o.application_id \
             WHERE a.cycle_id = $1 AND o.stage = $2 ORDER BY o.id",
            COLUMNS.replace(", ", ", o.")
        ))
        .bind(cycle.0)
        .bind(stage.code())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(opinion_from).collect()
    }

    pub async fn opinion_request(&self, request: i64) -> Result<OpinionRequest> {
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM opinion_requests WHERE id = $1"
        ))
        .bind(request)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("opinion request {request}")))?;
        opinion_from(&r)
    }

    /// The requests addressed to a department, with the subject's name, unanswered first.
    /// The requests addressed to `dept`, unanswered first, each with its applicant's id
    /// and name.
    pub async fn opinion_queue(
        &self,
        program: ProgramId,
        dept: &str,
    ) -> Result<Vec<(OpinionRequest, qaward_domain::ids::SubjectId, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT o.{}, s.id AS subject_id, s.name AS subject_name FROM opinion_requests o \
             JOIN applications a ON a.id = o.application_id JOIN subjects s ON s.id = a.subject_id \
             JOIN cycles c ON c.id = a.cycle_id \
             WHERE c.program_id = $1 AND o.dept_id = $2 ORDER BY o.answered_at IS NOT NULL, o.due, o.id",
            COLUMNS.replace(", ", ", o.")
        ))
        .bind(program.0)
        .bind(dept)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    opinion_from(r)?,
                    qaward_domain::ids::SubjectId(r.try_get("subject_id")?),
                    r.try_get("subject_name")?,
                ))
            })
            .collect()
    }
}

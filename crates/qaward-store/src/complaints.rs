//! Complaints and reports to the supervision group (A27), and the history of their
//! handling. The reporter's identity is stored sealed ([`crate::seal`]); the follow-up
//! code only as its hash. Nothing here opens a sealed value: the use case that may read
//! it does, and records that it did.

use chrono::NaiveDate;
use qaward_domain::complaint::{Outcome, Status, Topic};
use qaward_domain::ids::{ProgramId, SubjectId, UserId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::{code, date, opt_date};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A complaint as the supervision group reads it (the reporter still sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintRow {
    pub id: i64,
    /// The program whose supervision group it went to (A27.2).
    pub program: ProgramId,
    pub topic: Topic,
    pub about: String,
    pub content: String,
    pub filed_on: NaiveDate,
    /// The reporter's identity, sealed; none for an anonymous complaint.
    #[serde(skip)]
    pub reporter_sealed: Option<String>,
    pub status: Status,
    pub subject_id: Option<SubjectId>,
    pub subject_name: Option<String>,
    pub assignee: Option<UserId>,
    pub assignee_name: Option<String>,
    pub outcome: Option<Outcome>,
    pub findings: Option<String>,
    pub concluded_on: Option<NaiveDate>,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

impl ComplaintRow {
    pub fn named(&self) -> bool {
        self.reporter_sealed.is_some()
    }
}

/// One event of a complaint's handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRow {
    pub id: i64,
    pub complaint_id: i64,
    /// `filed`, `register`, `decline`, `conclude`, `answer`, `note`, `evidence`,
    /// `office-request`, `office-reply`.
    pub kind: String,
    /// None for the reporter.
    pub user_id: Option<UserId>,
    pub by_name: String,
    pub text: Option<String>,
    pub blob_hash: Option<String>,
    pub file_name: Option<String>,
    /// The evidence file's judged content type.
    pub content_type: Option<String>,
    pub at: String,
}

/// A complaint to record.
#[derive(Debug, Clone)]
pub struct NewComplaint<'a> {
    pub program: ProgramId,
    pub topic: Topic,
    pub about: &'a str,
    pub content: &'a str,
    pub filed_on: NaiveDate,
    pub follow_up_hash: &'a str,
    pub reporter_sealed: Option<&'a str>,
}

/// An event to record.
#[derive(Debug, Clone, Default)]
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub user: Option<UserId>,
    pub by_name: &'a str,
    pub text: Option<&'a str>,
    /// The evidence file: its blob and its cleaned name.
    pub file: Option<(&'a str, &'a str)>,
    /// The request to the Office this event answers (an `office-reply`).
    pub reply_to: Option<i64>,
}

/// What a step of the handling changes beside the status.
#[derive(Debug, Clone, Default)]
pub struct Change<'a> {
    pub assignee: Option<UserId>,
    pub subject: Option<SubjectId>,
    pub outcome: Option<Outcome>,
    pub findings: Option<&'a str>,
    pub answer: Option<&'a str>,
}

const SELECT: &str = "SELECT c.id, c.program_id, c.topic, c.about, c.content, c.filed_on, c.reporter_sealed, c.status, \
     c.subject_id, s.name AS subject_name, c.assignee_user_id, u.display_name AS assignee_name, \
     c.outcome, c.findings, c.concluded_on, c.answer, c.answered_on \
     FROM complaints c LEFT JOIN subjects s ON s.id = c.subject_id \
     LEFT JOIN users u ON u.id = c.assignee_user_id";

/// Whose evidence files are counted: the reporter's (sent with the follow-up code, no
/// user) and the supervision group's have each their own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilesOf {
    Reporter,
    Group,
}

fn file_count(of: FilesOf) -> &'static str {
    match of {
        FilesOf::Reporter => {
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = $1 AND blob_hash IS NOT NULL AND user_id IS NULL"
        }
        FilesOf::Group => {
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = $1 AND blob_hash IS NOT NULL AND user_id IS NOT NULL"
        }
    }
}

const EVENTS: &str = "SELECT e.id, e.complaint_id, e.kind, e.user_id, e.by_name, e.text, e.blob_hash, \
     e.file_name, b.content_type, e.at FROM complaint_events e LEFT JOIN blobs b ON b.hash = e.blob_hash";

fn opt_code<T: qaward_domain::text::Vocabulary>(r: &AnyRow, col: &str) -> Result<Option<T>> {
    match r.try_get::<Option<String>, _>(col)? {
        None => Ok(None),
        Some(_) => code(r, col).map(Some),
    }
}

fn complaint_from(r: &AnyRow) -> Result<ComplaintRow> {
    Ok(ComplaintRow {
        id: r.try_get("id")?,
        program: ProgramId(r.try_get("program_id")?),
        topic: code(r, "topic")?,
        about: r.try_get("about")?,
        content: r.try_get("content")?,
        filed_on: date(r, "filed_on")?,
        reporter_sealed: r.try_get("reporter_sealed")?,
        status: code(r, "status")?,
        subject_id: r.try_get::<Option<i64>, _>("subject_id")?.map(SubjectId),
        subject_name: r.try_get("subject_name")?,
        assignee: r.try_get::<Option<i64>, _>("assignee_user_id")?.map(UserId),
        assignee_name: r.try_get("assignee_name")?,
        outcome: opt_code(r, "outcome")?,
        findings: r.try_get("findings")?,
        concluded_on: opt_date(r, "concluded_on")?,
        answer: r.try_get("answer")?,
        answered_on: opt_date(r, "answered_on")?,
    })
}

fn event_from(r: &AnyRow) -> Result<EventRow> {
    Ok(EventRow {
        id: r.try_get("id")?,
        complaint_id: r.try_get("complaint_id")?,
        kind: r.try_get("kind")?,
        user_id: r.try_get::<Option<i64>, _>("user_id")?.map(UserId),
        by_name: r.try_get("by_name")?,
        text: r.try_get("text")?,
        blob_hash: r.try_get("blob_hash")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        at: r.try_get("at")?,
    })
}

impl WriteTx {
    /// Records a complaint with its `filed` event; returns its id.
    pub async fn add_complaint(&mut self, c: &NewComplaint<'_>) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO complaints (program_id, topic, about, content, filed_on, follow_up_hash, reporter_sealed, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(c.program.0)
        .bind(c.topic.code())
        .bind(c.about)
        .bind(c.content)
        .bind(c.filed_on.to_string())
        .bind(c.follow_up_hash)
        .bind(c.reporter_sealed)
        .bind(Status::Received.code())
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?;
        self.add_complaint_event(
            id,
            &NewEvent {
                kind: "filed",
                by_name: "reporter",
                ..NewEvent::default()
            },
        )
        .await?;
        Ok(id)
    }

    /// Records an event of complaint `id`.
    pub async fn add_complaint_event(&mut self, id: i64, e: &NewEvent<'_>) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO complaint_events (complaint_id, kind, user_id, by_name, text, blob_hash, file_name, at, reply_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(e.kind)
        .bind(e.user.map(|u| u.0))
        .bind(e.by_name)
        .bind(e.text)
        .bind(e.file.map(|f| f.0))
        .bind(e.file.map(|f| f.1))
        .bind(now_text())
        .bind(e.reply_to)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|err| {
            StoreError::unique(err, || {
                qaward_domain::msg!("office-request-answered-already")
            })
        })
    }

    /// The complaint's status, its row held until the transaction ends (`FOR UPDATE` on
    /// PostgreSQL; SQLite's writers are serialized already).
    pub async fn lock_complaint(&mut self, id: i64) -> Result<Status> {
        let sql = match self.backend {
            crate::Backend::Postgres => "SELECT status FROM complaints WHERE id = $1 FOR UPDATE",
            crate::Backend::Sqlite => "SELECT status FROM complaints WHERE id = $1",
        };
        let r = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("complaint {id}")))?;
        code(&r, "status")
    }

    /// Moves complaint `id` from `from` to `to` with `change`, dated `on`; a complaint no
    /// longer in `from` is a conflict, never an overwrite.
    pub async fn set_complaint_status(
        &mut self,
        id: i64,
        from: Status,
        to: Status,
        change: &Change<'_>,
        on: NaiveDate,
    ) -> Result<()> {
        let on = on.to_string();
        let r = sqlx::query(
            "UPDATE complaints SET status = $1, \
             assignee_user_id = COALESCE($2, assignee_user_id), \
             subject_id = COALESCE($3, subject_id), \
             outcome = COALESCE($4, outcome), findings = COALESCE($5, findings), \
             concluded_on = COALESCE($6, concluded_on), \
             answer = COALESCE($7, answer), answered_on = COALESCE($8, answered_on) \
             WHERE id = $9 AND status = $10",
        )
        .bind(to.code())
        .bind(change.assignee.map(|u| u.0))
        .bind(change.subject.map(|s| s.0))
        .bind(change.outcome.map(|o| o.code()))
        .bind(change.findings)
        .bind(change.outcome.map(|_| on.clone()))
        .bind(change.answer)
        .bind(change.answer.map(|_| on.clone()))
        .bind(id)
        .bind(from.code())
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(StoreError::Conflict(qaward_domain::msg!(
                "complaint-changed-meanwhile"
            )));
        }
        Ok(())
    }

    /// Changes the member a registered complaint is assigned to, or the subject it
    /// concerns.
    pub async fn reassign_complaint(
        &mut self,
        id: i64,
        assignee: Option<UserId>,
        subject: Option<SubjectId>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE complaints SET assignee_user_id = COALESCE($1, assignee_user_id), \
             subject_id = COALESCE($2, subject_id) WHERE id = $3",
        )
        .bind(assignee.map(|u| u.0))
        .bind(subject.map(|s| s.0))
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// How many evidence files of `of` complaint `id` holds, counted in this transaction.
    pub async fn complaint_files(&mut self, id: i64, of: FilesOf) -> Result<i64> {
        Ok(sqlx::query_scalar(file_count(of))
            .bind(id)
            .fetch_one(&mut *self.tx)
            .await?)
    }
}

impl Store {
    /// How many evidence files of `of` complaint `id` holds.
    pub async fn complaint_file_count(&self, id: i64, of: FilesOf) -> Result<i64> {
        Ok(sqlx::query_scalar(file_count(of))
            .bind(id)
            .fetch_one(&self.pool)
            .await?)
    }

    /// How many complaints wait to be taken up.
    /// How many complaints to `programs` wait to be taken up.
    pub async fn count_received_complaints(&self, programs: &[ProgramId]) -> Result<i64> {
        if programs.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM complaints WHERE status = $1 AND program_id IN ({})",
            crate::column::placeholders(2, programs.len())
        );
        let mut q = sqlx::query_scalar(&sql).bind(Status::Received.code());
        for p in programs {
            q = q.bind(p.0);
        }
        Ok(q.fetch_one(&self.pool).await?)
    }

    /// Complaint `id`, or "not found".
    pub async fn complaint(&self, id: i64) -> Result<ComplaintRow> {
        let r = sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("complaint {id}")))?;
        complaint_from(&r)
    }

    /// The complaint whose follow-up code hashes to `hash`, if any.
    pub async fn complaint_by_code(&self, hash: &str) -> Result<Option<ComplaintRow>> {
        sqlx::query(&format!("{SELECT} WHERE c.follow_up_hash = $1"))
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(complaint_from)
            .transpose()
    }

    /// The complaints to `programs`, open ones first, then newest first.
    pub async fn complaints(&self, programs: &[ProgramId]) -> Result<Vec<ComplaintRow>> {
        if programs.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "{SELECT} WHERE c.program_id IN ({}) \
             ORDER BY CASE WHEN c.status IN ('received', 'registered') THEN 0 ELSE 1 END, c.id DESC",
            crate::column::placeholders(1, programs.len())
        );
        let mut q = sqlx::query(&sql);
        for p in programs {
            q = q.bind(p.0);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(complaint_from).collect()
    }

    /// The history of complaint `id`, oldest first.
    pub async fn complaint_events(&self, id: i64) -> Result<Vec<EventRow>> {
        let rows = sqlx::query(&format!("{EVENTS} WHERE e.complaint_id = $1 ORDER BY e.id"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(event_from).collect()
    }

    /// The evidence file `hash` of complaint `id` with its name, if it is one of its files.
    pub async fn complaint_file(&self, id: i64, hash: &str) -> Result<Option<EventRow>> {
        sqlx::query(&format!(
            "{EVENTS} WHERE e.complaint_id = $1 AND e.blob_hash = $2 ORDER BY e.id LIMIT 1"
        ))
        .bind(id)
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(event_from)
        .transpose()
    }
}

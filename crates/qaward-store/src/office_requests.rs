//! The supervision group's requests to the Office about a complaint (A27.2), as the Office
//! reads them: each request is an `office-request` event of the complaint's history and
//! its answer an `office-reply` event naming it (`reply_to`, one answer per request). The
//! Office sees the request's text and who asked, never the complaint's reporter, content
//! or follow-up code.

use qaward_domain::complaint::Status;
use qaward_domain::ids::{ProgramId, SubjectId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::{code, placeholders};
use crate::{Result, Store, StoreError};

/// One request to the Office, with its answer once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficeRequest {
    /// The request's event id: what the answer names.
    pub id: i64,
    pub complaint_id: i64,
    /// The applicant the complaint concerns, once identified: recusals follow it (A29).
    pub subject_id: Option<SubjectId>,
    pub complaint_status: Status,
    pub asked_by: String,
    pub text: String,
    pub asked_at: String,
    pub answer: Option<Answer>,
}

/// The Office's answer to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub by: String,
    pub text: String,
    pub at: String,
}

const SELECT: &str = "SELECT e.id, e.complaint_id, c.subject_id, c.status, e.by_name, e.text, e.at, \
     r.by_name AS answer_by, r.text AS answer_text, r.at AS answer_at \
     FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id \
     LEFT JOIN complaint_events r ON r.reply_to = e.id \
     WHERE e.kind = 'office-request'";

fn request_from(r: &AnyRow) -> Result<OfficeRequest> {
    let answer_text: Option<String> = r.try_get("answer_text")?;
    Ok(OfficeRequest {
        id: r.try_get("id")?,
        complaint_id: r.try_get("complaint_id")?,
        subject_id: r.try_get::<Option<i64>, _>("subject_id")?.map(SubjectId),
        complaint_status: code(r, "status")?,
        asked_by: r.try_get("by_name")?,
        text: r.try_get::<Option<String>, _>("text")?.unwrap_or_default(),
        asked_at: r.try_get("at")?,
        answer: match answer_text {
            Some(text) => Some(Answer {
                by: r.try_get("answer_by")?,
                text,
                at: r.try_get("answer_at")?,
            }),
            None => None,
        },
    })
}

impl Store {
    /// The requests to the Office: those awaiting an answer first (oldest first), then the
    /// answered ones, newest first.
    pub async fn office_requests(&self, programs: &[ProgramId]) -> Result<Vec<OfficeRequest>> {
        let sql = format!(
            "{SELECT} AND c.program_id IN ({}) ORDER BY CASE WHEN r.id IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN r.id IS NULL THEN e.id ELSE -e.id END",
            placeholders(1, programs.len())
        );
        let mut q = sqlx::query(&sql);
        for p in programs {
            q = q.bind(p.0);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter().map(request_from).collect()
    }

    /// How many requests to the Office of `programs` about complaints still open await an
    /// answer.
    pub async fn count_open_office_requests(&self, programs: &[ProgramId]) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id \
             WHERE e.kind = 'office-request' AND c.status IN ('received', 'registered') \
             AND c.program_id IN ({}) \
             AND NOT EXISTS (SELECT 1 FROM complaint_events r WHERE r.reply_to = e.id)",
            placeholders(1, programs.len())
        );
        let mut q = sqlx::query_scalar(&sql);
        for p in programs {
            q = q.bind(p.0);
        }
        Ok(q.fetch_one(self.pool()).await?)
    }

    /// Request `id`, or "not found".
    pub async fn office_request(&self, id: i64) -> Result<OfficeRequest> {
        let r = sqlx::query(&format!("{SELECT} AND e.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("office request {id}")))?;
        request_from(&r)
    }
}

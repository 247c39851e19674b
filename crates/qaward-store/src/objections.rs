//! Objections (异议) raised by anyone against an entry of a public notice, and the
//! Leading Group's handling of them (A6). The objector's follow-up code is stored only as
//! its hash; the objector's name and contact are stored sealed ([`crate::seal::OBJECTOR_NAME`],
//! [`crate::seal::OBJECTOR_CONTACT`]) and opened as they are read.

use chrono::NaiveDate;
use qaward_domain::ids::{ApplicationId, ProgramId, SubjectId};
use qaward_domain::notice::ObjectionState;
use serde::Serialize;
use sqlx::Row;

use crate::column::{code, date, placeholders};
use crate::seal::{Keyring, OBJECTOR_CONTACT, OBJECTOR_NAME, Place};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// An objection against one entry of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectionRow {
    pub id: i64,
    pub notice_id: i64,
    /// The kind of the notice it was raised in: an entry of the acceptance list can be sent
    /// back for correction, a candidate or proposed winner only taken off.
    pub notice_kind: qaward_domain::policy::NoticeKind,
    pub application_id: ApplicationId,
    /// The applicant the objection is about.
    pub subject_id: SubjectId,
    /// The applicant's name, which heads the objection in the Leading Group's queue.
    pub subject_name: String,
    pub raised_on: NaiveDate,
    pub objector_name: Option<String>,
    pub objector_contact: Option<String>,
    pub content: String,
    pub evidence: Option<String>,
    pub status: ObjectionState,
    pub reason: Option<String>,
    pub handled_at: Option<String>,
}

/// An objection to record.
#[derive(Debug, Clone)]
pub struct NewObjection<'a> {
    pub notice: i64,
    pub application: ApplicationId,
    pub raised_on: NaiveDate,
    pub name: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub content: &'a str,
    pub follow_up_hash: &'a str,
}

/// The columns of an objection with its applicant's subject: `FROM objections o JOIN
/// applications a ON a.id = o.application_id`.
const SELECT: &str = "SELECT o.id, o.notice_id, n.kind AS notice_kind, o.application_id, a.subject_id, s.name AS subject_name, o.raised_on, \
     o.objector_name, o.objector_contact, o.content, o.evidence, o.status, o.reason, o.handled_at \
     FROM objections o JOIN applications a ON a.id = o.application_id JOIN subjects s ON s.id = a.subject_id \
     JOIN notices n ON n.id = o.notice_id";

/// An objector's name or contact as stored (sealed, or plain from before), opened.
fn opened(stored: Option<String>, place: Place, keys: Option<&Keyring>) -> Result<Option<String>> {
    stored
        .map(|v| crate::seal::opened(keys, place, v))
        .transpose()
}

fn objection_from(r: &sqlx::any::AnyRow, keys: Option<&Keyring>) -> Result<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.try_get("id")?,
        notice_id: r.try_get("notice_id")?,
        notice_kind: code(r, "notice_kind")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        subject_id: SubjectId(r.try_get("subject_id")?),
        subject_name: r.try_get("subject_name")?,
        raised_on: date(r, "raised_on")?,
        objector_name: opened(r.try_get("objector_name")?, OBJECTOR_NAME, keys)?,
        objector_contact: opened(r.try_get("objector_contact")?, OBJECTOR_CONTACT, keys)?,
        content: r.try_get("content")?,
        evidence: r.try_get("evidence")?,
        status: code(r, "status")?,
        reason: r.try_get("reason")?,
        handled_at: r.try_get("handled_at")?,
    })
}

impl WriteTx {
    pub async fn add_objection(&mut self, o: &NewObjection<'_>) -> Result<i64> {
        let seal = |place, v: Option<&str>| -> Result<Option<String>> {
            v.map(|v| Ok(crate::seal::loaded(self.seal_keys.as_deref())?.seal(place, v)))
                .transpose()
        };
        let (name, contact) = (
            seal(OBJECTOR_NAME, o.name)?,
            seal(OBJECTOR_CONTACT, o.contact)?,
        );
        let oid = sqlx::query_scalar(
            "INSERT INTO objections (notice_id, application_id, raised_on, objector_name, objector_contact, content, follow_up_hash, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(o.notice)
        .bind(o.application.0)
        .bind(o.raised_on.to_string())
        .bind(name)
        .bind(contact)
        .bind(o.content)
        .bind(o.follow_up_hash)
        .bind(ObjectionState::Open.code())
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
        let status = if upheld {
            ObjectionState::Upheld
        } else {
            ObjectionState::Dismissed
        };
        let n = sqlx::query(
            "UPDATE objections SET status = $1, reason = $2, handled_by = $3, handled_at = $4 WHERE id = $5 AND status = $6",
        )
        .bind(status.code())
        .bind(reason)
        .bind(by)
        .bind(now_text())
        .bind(objection)
        .bind(ObjectionState::Open.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    /// Objections against an application raised in a notice.
    pub async fn objections(&self, notice: i64, id: ApplicationId) -> Result<Vec<ObjectionRow>> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE o.notice_id = $1 AND o.application_id = $2 ORDER BY o.id"
        ))
        .bind(notice)
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| objection_from(r, self.seal_keys.as_deref()))
            .collect()
    }

    pub async fn objection(&self, id: i64) -> Result<ObjectionRow> {
        let r = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("objection {id}")))?;
        objection_from(&r, self.seal_keys.as_deref())
    }

    /// An objection by its follow-up code's hash.
    pub async fn objection_by_code(&self, hash: &str) -> Result<Option<ObjectionRow>> {
        let r = sqlx::query(&format!("{SELECT} WHERE o.follow_up_hash = $1"))
            .bind(hash)
            .fetch_optional(self.pool())
            .await?;
        r.as_ref()
            .map(|r| objection_from(r, self.seal_keys.as_deref()))
            .transpose()
    }

    /// The objections still open of `programs`, oldest first.
    pub async fn open_objections(&self, programs: &[ProgramId]) -> Result<Vec<ObjectionRow>> {
        let sql = format!(
            "{SELECT} JOIN cycles c ON c.id = a.cycle_id WHERE o.status = $1 \
             AND c.program_id IN ({}) ORDER BY o.id",
            placeholders(2, programs.len())
        );
        let mut q = sqlx::query(&sql).bind(ObjectionState::Open.code());
        for p in programs {
            q = q.bind(p.0);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| objection_from(r, self.seal_keys.as_deref()))
            .collect()
    }
}

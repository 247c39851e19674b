//! The register's records about a subject that eligibility reads beside its awards: the
//! Leading Group's approvals relaxing the years of operation (A10.1) and accidents
//! (A10.4). Each is recorded by the Office with the document it comes from, never as a
//! flag on the subject, so that an auditor can trace every eligibility answer to a paper.

use qaward_domain::eligibility::LeadingGroupApproval;
use qaward_domain::ids::SubjectId;
use qaward_domain::subject::Accident;
use serde::Serialize;
use sqlx::Row;

use crate::column::{date, flag};
use crate::{Result, Store, WriteTx, now_text};

/// Who recorded a register entry, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded<T> {
    pub id: i64,
    pub record: T,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl WriteTx {
    /// Records the Leading Group's approval relaxing `subject`'s years of operation (A10.1).
    pub async fn record_relaxation(
        &mut self,
        subject: SubjectId,
        approval: &LeadingGroupApproval,
        by: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO subject_relaxations (subject_id, decided_on, reference, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(subject.0)
        .bind(approval.decided_on.to_string())
        .bind(&approval.reference)
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Records an accident of `subject` (A10.4) from the document `reference`.
    pub async fn record_accident(
        &mut self,
        subject: SubjectId,
        accident: &Accident,
        reference: &str,
        by: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO subject_accidents (subject_id, occurred_on, major, description, reference, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(subject.0)
        .bind(accident.date.to_string())
        .bind(i64::from(accident.major))
        .bind(&accident.description)
        .bind(reference)
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?)
    }
}

/// An accident with the document it was recorded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccidentRecord {
    pub accident: Accident,
    pub reference: String,
}

impl Store {
    /// The Leading Group's approvals for `subject`, oldest decision first.
    pub async fn relaxations(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<Recorded<LeadingGroupApproval>>> {
        let rows = sqlx::query(
            "SELECT id, decided_on, reference, recorded_by, recorded_at FROM subject_relaxations \
             WHERE subject_id = $1 ORDER BY decided_on, id",
        )
        .bind(subject.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Recorded {
                    id: r.try_get("id")?,
                    record: LeadingGroupApproval {
                        reference: r.try_get("reference")?,
                        decided_on: date(r, "decided_on")?,
                    },
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }

    /// The accidents on record for `subject`, oldest first.
    pub async fn accidents(&self, subject: SubjectId) -> Result<Vec<Recorded<AccidentRecord>>> {
        let rows = sqlx::query(
            "SELECT id, occurred_on, major, description, reference, recorded_by, recorded_at \
             FROM subject_accidents WHERE subject_id = $1 ORDER BY occurred_on, id",
        )
        .bind(subject.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Recorded {
                    id: r.try_get("id")?,
                    record: AccidentRecord {
                        accident: Accident {
                            date: date(r, "occurred_on")?,
                            description: r.try_get("description")?,
                            major: flag(r, "major")?,
                        },
                        reference: r.try_get("reference")?,
                    },
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            })
            .collect()
    }
}

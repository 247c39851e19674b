//! Revocation requests and decisions (A28.1), and what follows a revocation (A28.2): the
//! plaque and the certificate taken back, the prize recovered. A request and its award's
//! register entry change in the same transaction as the application's state.

use chrono::NaiveDate;
use qaward_domain::application::RevocationCause;
use qaward_domain::ids::{ApplicationId, ProgramId, SubjectId};
use qaward_domain::policy::Level;
use qaward_domain::revocation::RequestStatus;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::{code, of_programs, opt_date};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A revocation request with its award and, once revoked, what has come back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevocationRow {
    pub id: i64,
    pub application_id: ApplicationId,
    pub subject_id: SubjectId,
    pub subject_name: String,
    pub level: Level,
    pub cycle_ordinal: i64,
    pub cycle_year: i64,
    /// The version of the measures the award's cycle ran under.
    pub policy_id: String,
    pub certificate_number: String,
    pub cause: RevocationCause,
    pub finding: String,
    pub evidence: String,
    pub complaint_id: Option<i64>,
    /// The overdue obligation a request for cause (3) rests on.
    pub obligation_id: Option<i64>,
    pub status: RequestStatus,
    pub requested_at: String,
    pub decision_number: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub refusal_reason: Option<String>,
    pub ban_until_year: Option<i64>,
    /// The prize paid, if any.
    pub paid_yuan: Option<i64>,
    /// What has come back of it.
    pub recovered_yuan: i64,
    /// When the plaque and the certificate were taken back.
    pub returned_on: Option<NaiveDate>,
}

/// An award that stands, for the Office to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandingAward {
    pub application_id: ApplicationId,
    pub subject_id: SubjectId,
    pub subject_name: String,
    pub level: Level,
    pub cycle_ordinal: i64,
    pub certificate_number: String,
}

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub application: ApplicationId,
    pub cause: RevocationCause,
    pub finding: &'a str,
    pub evidence: &'a str,
    pub complaint: Option<i64>,
    pub obligation: Option<i64>,
    pub by: &'a str,
}

/// The Government's decision on a request.
#[derive(Debug, Clone)]
pub enum Decision<'a> {
    Revoke {
        number: &'a str,
        dated: NaiveDate,
        ban_until_year: i32,
    },
    Refuse {
        reason: &'a str,
    },
}

const SELECT: &str = "SELECT q.id, q.application_id, a.subject_id, s.name AS subject_name, w.level, \
     c.ordinal AS cycle_ordinal, c.year AS cycle_year, c.policy_id, w.certificate_number, q.cause, q.finding, q.evidence, \
     q.complaint_id, q.obligation_id, q.status, q.requested_at, q.decision_number, q.decided_on, q.refusal_reason, \
     q.ban_until_year, p.amount_yuan AS paid_yuan, \
     (SELECT CAST(COALESCE(SUM(r.amount_yuan), 0) AS BIGINT) FROM prize_recoveries r WHERE r.application_id = q.application_id) AS recovered_yuan, \
     t.returned_on \
     FROM revocation_requests q JOIN awards w ON w.application_id = q.application_id \
     JOIN applications a ON a.id = q.application_id JOIN subjects s ON s.id = a.subject_id \
     JOIN cycles c ON c.id = w.cycle_id LEFT JOIN prize_payments p ON p.application_id = q.application_id \
     LEFT JOIN revocation_returns t ON t.application_id = q.application_id";

fn row(r: &AnyRow) -> Result<RevocationRow> {
    Ok(RevocationRow {
        id: r.try_get("id")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        subject_id: SubjectId(r.try_get("subject_id")?),
        subject_name: r.try_get("subject_name")?,
        level: code(r, "level")?,
        cycle_ordinal: r.try_get("cycle_ordinal")?,
        cycle_year: r.try_get("cycle_year")?,
        policy_id: r.try_get("policy_id")?,
        certificate_number: r.try_get("certificate_number")?,
        cause: code(r, "cause")?,
        finding: r.try_get("finding")?,
        evidence: r.try_get("evidence")?,
        complaint_id: r.try_get("complaint_id")?,
        obligation_id: r.try_get("obligation_id")?,
        status: code(r, "status")?,
        requested_at: r.try_get("requested_at")?,
        decision_number: r.try_get("decision_number")?,
        decided_on: opt_date(r, "decided_on")?,
        refusal_reason: r.try_get("refusal_reason")?,
        ban_until_year: r.try_get("ban_until_year")?,
        paid_yuan: r.try_get("paid_yuan")?,
        recovered_yuan: r.try_get("recovered_yuan")?,
        returned_on: opt_date(r, "returned_on")?,
    })
}

fn yuan(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::Corrupt("amount".into()))
}

impl WriteTx {
    /// Records the Office's request; a second open one for the same award is a conflict.
    pub async fn add_revocation_request(&mut self, q: &NewRequest<'_>) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO revocation_requests (application_id, cause, finding, evidence, complaint_id, status, requested_by, requested_at, obligation_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(q.application.0)
        .bind(q.cause.code())
        .bind(q.finding)
        .bind(q.evidence)
        .bind(q.complaint)
        .bind(RequestStatus::Requested.code())
        .bind(q.by)
        .bind(now_text())
        .bind(q.obligation)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("revocation-requested-already")))
    }

    /// Records the Government's decision on request `id`; a request decided already is a
    /// conflict (a second decision is never an overwrite).
    pub async fn decide_revocation_request(
        &mut self,
        id: i64,
        d: &Decision<'_>,
        by: &str,
    ) -> Result<()> {
        let (status, number, dated, reason, until) = match d {
            Decision::Revoke {
                number,
                dated,
                ban_until_year,
            } => (
                RequestStatus::Revoked,
                Some(*number),
                Some(dated.to_string()),
                None,
                Some(i64::from(*ban_until_year)),
            ),
            Decision::Refuse { reason } => {
                (RequestStatus::Refused, None, None, Some(*reason), None)
            }
        };
        let r = sqlx::query(
            "UPDATE revocation_requests SET status = $1, decision_number = $2, decided_on = $3, refusal_reason = $4, \
             ban_until_year = $5, decided_by = $6, decided_at = $7 WHERE id = $8 AND status = $9",
        )
        .bind(status.code())
        .bind(number)
        .bind(dated)
        .bind(reason)
        .bind(until)
        .bind(by)
        .bind(now_text())
        .bind(id)
        .bind(RequestStatus::Requested.code())
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(StoreError::Conflict(qaward_domain::msg!(
                "revocation-decided-meanwhile"
            )));
        }
        Ok(())
    }

    /// Marks the register's entry of the award of `application` revoked on `on`: the
    /// verification page says so, the honour roll drops it, and A28.3 reads it.
    pub async fn set_award_revoked(
        &mut self,
        application: ApplicationId,
        on: NaiveDate,
        ban_until_year: i32,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE subject_awards SET revoked_on = $1, ban_until_year = $2 WHERE id = (SELECT subject_award_id FROM awards WHERE application_id = $3)",
        )
        .bind(on.to_string())
        .bind(i64::from(ban_until_year))
        .bind(application.0)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records the plaque and the certificate taken back; a second record is a conflict.
    pub async fn record_revocation_return(
        &mut self,
        application: ApplicationId,
        on: NaiveDate,
        note: &str,
        by: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO revocation_returns (application_id, returned_on, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(application.0)
        .bind(on.to_string())
        .bind(note)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("return-recorded-already")))?;
        Ok(())
    }

    /// The prize paid for `application` and what has come back of it, read in this
    /// transaction (the caller holds the application's row).
    pub async fn prize_balance(&mut self, application: ApplicationId) -> Result<(u64, u64)> {
        let r = sqlx::query(
            "SELECT (SELECT amount_yuan FROM prize_payments WHERE application_id = $1) AS paid, \
             (SELECT CAST(COALESCE(SUM(amount_yuan), 0) AS BIGINT) FROM prize_recoveries WHERE application_id = $1) AS recovered",
        )
        .bind(application.0)
        .fetch_one(&mut *self.tx)
        .await?;
        let paid: Option<i64> = r.try_get("paid")?;
        let recovered: i64 = r.try_get("recovered")?;
        Ok((
            u64::try_from(paid.unwrap_or(0)).unwrap_or(0),
            u64::try_from(recovered).unwrap_or(0),
        ))
    }

    /// Records money recovered of the prize.
    pub async fn add_prize_recovery(
        &mut self,
        application: ApplicationId,
        amount_yuan: u64,
        on: NaiveDate,
        voucher: &str,
        by: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO prize_recoveries (application_id, amount_yuan, recovered_on, voucher, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(application.0)
        .bind(yuan(amount_yuan)?)
        .bind(on.to_string())
        .bind(voucher)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The awards of `programs` that stand (not revoked), newest cycle first.
    pub async fn standing_awards(&self, programs: &[ProgramId]) -> Result<Vec<StandingAward>> {
        let sql = format!(
            "SELECT w.application_id, a.subject_id, s.name, w.level, c.ordinal, w.certificate_number \
             FROM awards w JOIN applications a ON a.id = w.application_id \
             JOIN subjects s ON s.id = a.subject_id JOIN cycles c ON c.id = w.cycle_id \
             JOIN subject_awards sa ON sa.id = w.subject_award_id \
             WHERE sa.revoked_on IS NULL AND {} ORDER BY c.ordinal DESC, w.certificate_number",
            of_programs("w.cycle_id", 1, programs.len())
        );
        let mut q = sqlx::query(&sql);
        for p in programs {
            q = q.bind(p.0);
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(StandingAward {
                    application_id: ApplicationId(r.try_get("application_id")?),
                    subject_id: SubjectId(r.try_get("subject_id")?),
                    subject_name: r.try_get("name")?,
                    level: code(r, "level")?,
                    cycle_ordinal: r.try_get("ordinal")?,
                    certificate_number: r.try_get("certificate_number")?,
                })
            })
            .collect()
    }

    /// Request `id`, or "not found".
    pub async fn revocation_request(&self, id: i64) -> Result<RevocationRow> {
        let r = sqlx::query(&format!("{SELECT} WHERE q.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("revocation request {id}")))?;
        row(&r)
    }

    /// The requests about awards of `programs`, newest first.
    pub async fn revocation_requests(&self, programs: &[ProgramId]) -> Result<Vec<RevocationRow>> {
        let sql = format!(
            "{SELECT} WHERE {} ORDER BY q.id DESC",
            of_programs("w.cycle_id", 1, programs.len())
        );
        let mut q = sqlx::query(&sql);
        for p in programs {
            q = q.bind(p.0);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter().map(row).collect()
    }

    /// The revocations decided, newest first: what is published (A28.2).
    pub async fn revocations_decided(&self) -> Result<Vec<RevocationRow>> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE q.status = $1 ORDER BY q.decided_on DESC, q.id DESC"
        ))
        .bind(RequestStatus::Revoked.code())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(row).collect()
    }

    /// Request `id`, if the Government revoked the award on it: what is public of it.
    pub async fn revocation_decided(&self, id: i64) -> Result<Option<RevocationRow>> {
        sqlx::query(&format!("{SELECT} WHERE q.id = $1 AND q.status = $2"))
            .bind(id)
            .bind(RequestStatus::Revoked.code())
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(row)
            .transpose()
    }

    /// The revoked award of `application`'s request, if it was revoked.
    pub async fn revocation_of(&self, application: ApplicationId) -> Result<Option<RevocationRow>> {
        sqlx::query(&format!(
            "{SELECT} WHERE q.application_id = $1 AND q.status = $2"
        ))
        .bind(application.0)
        .bind(RequestStatus::Revoked.code())
        .fetch_optional(self.pool())
        .await?
        .as_ref()
        .map(row)
        .transpose()
    }
}

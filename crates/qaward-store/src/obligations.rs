//! Winners' obligations (A22, A25): what the Office set, the winner's latest report and the
//! Office's review, one row an obligation. A report is kept as JSON in the row: the lines
//! by category with their amounts, the vouchers, or the promotion's activities. Every
//! change is written against the status read (`WHERE status = $from`), so that two
//! reviews, or a review racing a new report, cannot both land.

use chrono::NaiveDate;
use qaward_domain::ids::{ApplicationId, ProgramId, SubjectId};
use qaward_domain::obligation::{Kind, Report, Status, UseLine};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::{code, date, of_programs, opt_date};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// An obligation as stored, with the award it hangs off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationRow {
    pub id: i64,
    pub application_id: ApplicationId,
    pub subject_id: SubjectId,
    pub subject_name: String,
    pub certificate_number: String,
    #[serde(skip)]
    pub kind: Kind,
    pub due_on: NaiveDate,
    pub request: String,
    #[serde(skip)]
    pub status: Status,
    #[serde(skip)]
    pub report: Option<Report>,
    pub reported_on: Option<NaiveDate>,
    pub reported_by: Option<String>,
    pub review_note: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
    pub set_by: String,
}

const SELECT: &str = "SELECT o.id, o.application_id, a.subject_id, s.name, w.certificate_number, o.kind, \
     o.due_on, o.request, o.status, o.report, o.reported_on, o.reported_by, o.review_note, o.reviewed_on, o.set_by \
     FROM obligations o JOIN awards w ON w.application_id = o.application_id \
     JOIN applications a ON a.id = o.application_id JOIN subjects s ON s.id = a.subject_id";

fn report_json(r: &Report) -> String {
    match r {
        Report::PrizeUse { lines, vouchers } => json!({
            "lines": lines.iter().map(|l| json!({
                "category": l.category.code(), "yuan": l.yuan, "purpose": l.purpose
            })).collect::<Vec<_>>(),
            "vouchers": vouchers,
        }),
        Report::Promotion { activities } => json!({ "activities": activities }),
    }
    .to_string()
}

fn report_from(kind: Kind, text: &str, id: i64) -> Result<Report> {
    let corrupt = || StoreError::Corrupt(format!("report of obligation {id}"));
    let v: Value = serde_json::from_str(text).map_err(|_| corrupt())?;
    let s = |v: &Value| v.as_str().map(str::to_owned).ok_or_else(corrupt);
    Ok(match kind {
        Kind::PrizeUse => Report::PrizeUse {
            lines: v["lines"]
                .as_array()
                .ok_or_else(corrupt)?
                .iter()
                .map(|l| {
                    Ok(UseLine {
                        category: s(&l["category"])?.parse().map_err(|_| corrupt())?,
                        yuan: l["yuan"].as_u64().ok_or_else(corrupt)?,
                        purpose: s(&l["purpose"])?,
                    })
                })
                .collect::<Result<_>>()?,
            vouchers: s(&v["vouchers"])?,
        },
        Kind::Promotion => Report::Promotion {
            activities: s(&v["activities"])?,
        },
    })
}

fn obligation_from(r: &AnyRow) -> Result<ObligationRow> {
    let id: i64 = r.try_get("id")?;
    let kind: Kind = code(r, "kind")?;
    Ok(ObligationRow {
        id,
        application_id: ApplicationId(r.try_get("application_id")?),
        subject_id: SubjectId(r.try_get("subject_id")?),
        subject_name: r.try_get("name")?,
        certificate_number: r.try_get("certificate_number")?,
        kind,
        due_on: date(r, "due_on")?,
        request: r.try_get("request")?,
        status: code(r, "status")?,
        report: r
            .try_get::<Option<String>, _>("report")?
            .map(|t| report_from(kind, &t, id))
            .transpose()?,
        reported_on: opt_date(r, "reported_on")?,
        reported_by: r.try_get("reported_by")?,
        review_note: r.try_get("review_note")?,
        reviewed_on: opt_date(r, "reviewed_on")?,
        set_by: r.try_get("set_by")?,
    })
}

impl Store {
    /// The obligations of the awards of `programs`, those still to be fulfilled first,
    /// each group by due date.
    pub async fn obligations(&self, programs: &[ProgramId]) -> Result<Vec<ObligationRow>> {
        let filter = format!("WHERE {}", of_programs("a.cycle_id", 1, programs.len()));
        let ids: Vec<i64> = programs.iter().map(|p| p.0).collect();
        self.obligations_where(&filter, &ids).await
    }

    /// The obligations of the awards of `subject`.
    pub async fn obligations_of_subject(&self, subject: SubjectId) -> Result<Vec<ObligationRow>> {
        self.obligations_where("WHERE a.subject_id = $1", &[subject.0])
            .await
    }

    async fn obligations_where(&self, filter: &str, args: &[i64]) -> Result<Vec<ObligationRow>> {
        let sql = format!(
            "{SELECT} {filter} ORDER BY CASE WHEN o.status = 'accepted' THEN 1 ELSE 0 END, o.due_on, o.id"
        );
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(*a);
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(obligation_from)
            .collect()
    }

    /// How many obligations of the awards of `programs` are in `status`.
    pub async fn count_obligations(&self, status: Status, programs: &[ProgramId]) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM obligations o JOIN applications a ON a.id = o.application_id \
             WHERE o.status = $1 AND {}",
            of_programs("a.cycle_id", 2, programs.len())
        );
        let mut q = sqlx::query_scalar(&sql).bind(status.code());
        for p in programs {
            q = q.bind(p.0);
        }
        Ok(q.fetch_one(self.pool()).await?)
    }

    /// Obligation `id`, or "not found".
    pub async fn obligation(&self, id: i64) -> Result<ObligationRow> {
        let r = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("obligation {id}")))?;
        obligation_from(&r)
    }
}

/// What the Office sets.
#[derive(Debug, Clone)]
pub struct NewObligation<'a> {
    pub application: ApplicationId,
    pub kind: Kind,
    pub due_on: NaiveDate,
    pub request: &'a str,
    pub by: &'a str,
}

impl WriteTx {
    /// Records an obligation of an award; returns its id.
    pub async fn add_obligation(&mut self, o: &NewObligation<'_>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO obligations (application_id, kind, due_on, request, status, set_by, set_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(o.application.0)
        .bind(o.kind.code())
        .bind(o.due_on.to_string())
        .bind(o.request)
        .bind(Status::Due.code())
        .bind(o.by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Records the winner's report of obligation `id`, which must still be in `from`.
    pub async fn report_obligation(
        &mut self,
        id: i64,
        from: Status,
        report: &Report,
        on: NaiveDate,
        by: &str,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE obligations SET status = $1, report = $2, reported_on = $3, reported_by = $4 \
             WHERE id = $5 AND status = $6",
        )
        .bind(Status::Reported.code())
        .bind(report_json(report))
        .bind(on.to_string())
        .bind(by)
        .bind(id)
        .bind(from.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        changed(n, id)
    }

    /// Records the Office's review of the report of obligation `id`: accepted or returned,
    /// with its note.
    pub async fn review_obligation(
        &mut self,
        id: i64,
        to: Status,
        note: &str,
        on: NaiveDate,
        by: &str,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE obligations SET status = $1, review_note = $2, reviewed_on = $3, reviewed_by = $4 \
             WHERE id = $5 AND status = $6",
        )
        .bind(to.code())
        .bind(note)
        .bind(on.to_string())
        .bind(by)
        .bind(id)
        .bind(Status::Reported.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        changed(n, id)
    }
}

fn changed(rows: u64, id: i64) -> Result<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(qaward_domain::msg!(
            "obligation-changed-meanwhile",
            id = id
        )))
    }
}

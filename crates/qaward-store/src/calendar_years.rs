//! Years of the working-day calendar loaded by the administrator (issue #13): each load's
//! file text, hash and State Council notice number, and the notices whose dates were
//! counted on a year's days, so that a load can list what it changes.

use chrono::NaiveDate;
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::notice::{DatedKind, DatedNotice};
use serde::Serialize;
use sqlx::Row;

use crate::column::{code, date};
use crate::policy_versions::digest;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// One load of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarYearRow {
    pub id: i64,
    pub year: i32,
    /// 1 for the year's first load, one more for each replacement.
    pub seq: i64,
    #[serde(skip)]
    pub text: String,
    pub sm3: String,
    pub document_number: String,
    /// The notices the load moved (JSON, as the application layer wrote it).
    #[serde(skip)]
    pub affected: String,
    pub loaded_by: String,
    pub loaded_at: String,
}

/// A year being loaded.
#[derive(Debug, Clone)]
pub struct NewCalendarYear<'a> {
    pub year: i32,
    /// The seq of the load it replaces, 0 for none.
    pub replaces: i64,
    pub text: &'a str,
    pub document_number: &'a str,
    pub affected: &'a str,
    pub loaded_by: &'a str,
}

const COLUMNS: &str = "id, year, seq, text, sm3, document_number, affected, loaded_by, loaded_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<CalendarYearRow> {
    let year: i64 = r.try_get("year")?;
    Ok(CalendarYearRow {
        id: r.try_get("id")?,
        year: i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("year {year}")))?,
        seq: r.try_get("seq")?,
        text: r.try_get("text")?,
        sm3: r.try_get("sm3")?,
        document_number: r.try_get("document_number")?,
        affected: r.try_get("affected")?,
        loaded_by: r.try_get("loaded_by")?,
        loaded_at: r.try_get("loaded_at")?,
    })
}

impl WriteTx {
    /// Stores a load of a year. A load that is not the next for its year (another load of
    /// the same year came first) is a conflict: the loader looks again and replaces.
    pub async fn load_calendar_year(&mut self, y: &NewCalendarYear<'_>) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO calendar_years (year, seq, text, sm3, document_number, affected, loaded_by, loaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(i64::from(y.year))
        .bind(y.replaces + 1)
        .bind(y.text)
        .bind(digest(y.text))
        .bind(y.document_number)
        .bind(y.affected)
        .bind(y.loaded_by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| {
            StoreError::unique(e, || {
                qaward_domain::msg!("calendar-year-loaded-meanwhile", year = y.year)
            })
        })?;
        Ok(id)
    }

    /// Extends a notice that a corrected calendar made short to its new earliest end.
    /// Only a later end is written: a notice is never cut short after it was published.
    pub async fn extend_notice_end(&mut self, notice: &DatedKind, end: NaiveDate) -> Result<()> {
        let end = end.to_string();
        match notice {
            DatedKind::Public { id, .. } => {
                sqlx::query("UPDATE notices SET end_date = $1 WHERE id = $2 AND end_date < $1")
                    .bind(&end)
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
            }
            DatedKind::InUnit { application } => {
                sqlx::query(
                    "UPDATE applications SET in_unit_notice_end = $1, updated_at = $2 \
                     WHERE id = $3 AND in_unit_notice_end < $1",
                )
                .bind(&end)
                .bind(now_text())
                .bind(application.0)
                .execute(&mut *self.tx)
                .await?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Every load, in the order made (a later load of a year replaces an earlier one).
    pub async fn calendar_years(&self) -> Result<Vec<CalendarYearRow>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM calendar_years ORDER BY id"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The id of the latest load, if any: one small read, so that each instance sees
    /// a load made on another and rebuilds its calendar.
    pub async fn calendar_generation(&self) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT max(id) FROM calendar_years")
            .fetch_one(self.pool())
            .await?)
    }

    /// Every notice, public or in-unit, that runs on or after `from` and starts on or
    /// before `to`: those whose ends a change to the days between may move.
    pub async fn notices_dated_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DatedNotice>> {
        let (from, to) = (from.to_string(), to.to_string());
        let public = sqlx::query(
            "SELECT id, cycle_id, kind, title, start_date, end_date FROM notices \
             WHERE end_date >= $1 AND start_date <= $2 ORDER BY start_date, id",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(self.pool())
        .await?;
        let in_unit = sqlx::query(
            "SELECT a.id, a.cycle_id, s.name, a.in_unit_notice_start, a.in_unit_notice_end \
             FROM applications a JOIN subjects s ON s.id = a.subject_id \
             WHERE a.in_unit_notice_end >= $1 AND a.in_unit_notice_start <= $2 \
             ORDER BY a.in_unit_notice_start, a.id",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(public.len() + in_unit.len());
        for r in &public {
            out.push(DatedNotice {
                kind: DatedKind::Public {
                    id: r.try_get("id")?,
                    kind: code(r, "kind")?,
                },
                cycle: CycleId(r.try_get("cycle_id")?),
                title: r.try_get("title")?,
                start: date(r, "start_date")?,
                end: date(r, "end_date")?,
            });
        }
        for r in &in_unit {
            out.push(DatedNotice {
                kind: DatedKind::InUnit {
                    application: ApplicationId(r.try_get("id")?),
                },
                cycle: CycleId(r.try_get("cycle_id")?),
                title: r.try_get("name")?,
                start: date(r, "in_unit_notice_start")?,
                end: date(r, "in_unit_notice_end")?,
            });
        }
        Ok(out)
    }
}

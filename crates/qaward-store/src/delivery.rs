//! What an award gives and when it was given (A21.1): the plaque's and certificate's
//! handover, the prize's payment with its voucher.

use chrono::NaiveDate;
use qaward_domain::ids::{ApplicationId, CycleId};
use serde::Serialize;
use sqlx::Row;

use crate::column::opt_date;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// An award's delivery as recorded so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub application_id: ApplicationId,
    pub handed_on: Option<NaiveDate>,
    pub handover_note: Option<String>,
    pub amount_yuan: Option<u64>,
    pub paid_on: Option<NaiveDate>,
    pub voucher: Option<String>,
}

impl Store {
    /// The delivery of every award of a cycle, in one query.
    pub async fn deliveries(&self, cycle: CycleId) -> Result<Vec<Delivery>> {
        sqlx::query(
            "SELECT w.application_id, h.handed_on, h.note, p.amount_yuan, p.paid_on, p.voucher \
             FROM awards w LEFT JOIN award_handovers h ON h.application_id = w.application_id \
             LEFT JOIN prize_payments p ON p.application_id = w.application_id \
             WHERE w.cycle_id = $1 ORDER BY w.application_id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Delivery {
                application_id: ApplicationId(r.try_get("application_id")?),
                handed_on: opt_date(r, "handed_on")?,
                handover_note: r.try_get("note")?,
                amount_yuan: r
                    .try_get::<Option<i64>, _>("amount_yuan")?
                    .map(|a| u64::try_from(a).map_err(|_| StoreError::Corrupt("amount".into())))
                    .transpose()?,
                paid_on: opt_date(r, "paid_on")?,
                voucher: r.try_get("voucher")?,
            })
        })
        .collect()
    }
}

impl WriteTx {
    /// Records the handover of an award's plaque and certificate; a second one is a
    /// conflict.
    pub async fn record_handover(
        &mut self,
        id: ApplicationId,
        on: NaiveDate,
        note: &str,
        by: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO award_handovers (application_id, handed_on, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.0)
        .bind(on.to_string())
        .bind(note)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("handover-recorded-already")))?;
        Ok(())
    }

    /// Records an award's prize payment; a second one is a conflict.
    pub async fn record_payment(
        &mut self,
        id: ApplicationId,
        amount_yuan: u64,
        on: NaiveDate,
        voucher: &str,
        by: &str,
    ) -> Result<()> {
        let amount =
            i64::try_from(amount_yuan).map_err(|_| StoreError::Corrupt("amount".into()))?;
        sqlx::query(
            "INSERT INTO prize_payments (application_id, amount_yuan, paid_on, voucher, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(amount)
        .bind(on.to_string())
        .bind(voucher)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("prize-paid-already")))?;
        Ok(())
    }
}

impl Store {
    /// Which of `subjects` are persons (the rest are organizations), in one query: the
    /// prize differs (A21.1).
    pub async fn persons_among(
        &self,
        subjects: &[qaward_domain::ids::SubjectId],
    ) -> Result<Vec<qaward_domain::ids::SubjectId>> {
        if subjects.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=subjects.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id FROM subjects WHERE kind = 'person' AND id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for s in subjects {
            q = q.bind(s.0);
        }
        Ok(q.fetch_all(self.pool())
            .await?
            .into_iter()
            .map(qaward_domain::ids::SubjectId)
            .collect())
    }
}

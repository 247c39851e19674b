//! Reviews of an application with their checklists: the channel's (A15.1) and the
//! Office's formal review (A16.1), each with its outcome and reason.

use qaward_domain::application::{ActionKind, ReviewStep};
use qaward_domain::ids::ApplicationId;
use serde::Serialize;
use sqlx::Row;

use crate::audit::Actor;
use crate::column::code;
use crate::{Result, Store, WriteTx, now_text};

/// A review at one step, with its checklist (JSON: one remark per quality) and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub step: ReviewStep,
    pub reviewer: String,
    pub checklist: String,
    pub outcome: ActionKind,
    pub reason: Option<String>,
    pub at: String,
}

impl WriteTx {
    pub async fn add_review(
        &mut self,
        id: ApplicationId,
        step: ReviewStep,
        by: &Actor,
        checklist: &str,
        outcome: ActionKind,
        reason: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO reviews (application_id, step, reviewer_user_id, reviewer_name, checklist, outcome, reason, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.0)
        .bind(step.code())
        .bind(by.user_id)
        .bind(&by.name)
        .bind(checklist)
        .bind(outcome.code())
        .bind(reason)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    pub async fn reviews(&self, id: ApplicationId) -> Result<Vec<Review>> {
        let rows = sqlx::query(
            "SELECT step, reviewer_name, checklist, outcome, reason, at FROM reviews WHERE application_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Review {
                    step: code(r, "step")?,
                    reviewer: r.try_get("reviewer_name")?,
                    checklist: r.try_get("checklist")?,
                    outcome: code(r, "outcome")?,
                    reason: r.try_get("reason")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

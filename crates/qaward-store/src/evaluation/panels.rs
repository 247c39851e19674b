//! Panels (评审组, A17.1): the applications each evaluates, the draws that fill them and
//! their members.

use qaward_domain::evaluation::draw::DrawRecord;
use qaward_domain::ids::{ApplicationId, CycleId, UserId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A panel of a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Panel {
    pub id: i64,
    pub cycle_id: CycleId,
    pub name: String,
    pub field: String,
    pub leader: Option<UserId>,
    pub applications: Vec<ApplicationId>,
    /// The members who sit on it now.
    pub members: Vec<UserId>,
}

/// Where a draw stands: committed, contributed to, drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawStatus {
    Committed,
    Contributed,
    Drawn,
}

/// A draw as stored. The seed stays out of this struct until the draw is made: it is in
/// [`DrawRow::record`] only once revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrawRow {
    pub id: i64,
    pub panel_id: i64,
    /// The member a replacement draw replaces.
    pub replaces: Option<UserId>,
    pub record: DrawRecord,
    pub status: DrawStatus,
    pub committed_by: String,
    pub committed_at: String,
    pub contributed_by: Option<String>,
    pub contributed_at: Option<String>,
    pub drawn_by: Option<String>,
    pub drawn_at: Option<String>,
}

fn record_of(r: &AnyRow) -> Result<DrawRecord> {
    let s: String = r.try_get("record")?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("panel_draws.record: {e}")))
}

fn draw_from(r: &AnyRow) -> Result<DrawRow> {
    let status: String = r.try_get("status")?;
    Ok(DrawRow {
        id: r.try_get("id")?,
        panel_id: r.try_get("panel_id")?,
        replaces: r.try_get::<Option<i64>, _>("replaces")?.map(UserId),
        record: record_of(r)?,
        status: match status.as_str() {
            "committed" => DrawStatus::Committed,
            "contributed" => DrawStatus::Contributed,
            "drawn" => DrawStatus::Drawn,
            s => return Err(StoreError::Corrupt(format!("panel_draws.status `{s}`"))),
        },
        committed_by: r.try_get("committed_by")?,
        committed_at: r.try_get("committed_at")?,
        contributed_by: r.try_get("contributed_by")?,
        contributed_at: r.try_get("contributed_at")?,
        drawn_by: r.try_get("drawn_by")?,
        drawn_at: r.try_get("drawn_at")?,
    })
}

const DRAW_COLUMNS: &str = "id, panel_id, replaces, record, status, committed_by, committed_at, contributed_by, contributed_at, drawn_by, drawn_at";

impl Store {
    /// The panels of a cycle with their applications and current members, by name: three
    /// queries, whatever the number of panels.
    pub async fn panels(&self, cycle: CycleId) -> Result<Vec<Panel>> {
        let mut panels: Vec<Panel> = sqlx::query(
            "SELECT id, cycle_id, name, field, leader FROM panels WHERE cycle_id = $1 ORDER BY name, id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Panel {
                id: r.try_get("id")?,
                cycle_id: CycleId(r.try_get("cycle_id")?),
                name: r.try_get("name")?,
                field: r.try_get("field")?,
                leader: r.try_get::<Option<i64>, _>("leader")?.map(UserId),
                applications: vec![],
                members: vec![],
            })
        })
        .collect::<Result<_>>()?;
        let apps: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT pa.panel_id, pa.application_id FROM panel_applications pa JOIN panels p ON p.id = pa.panel_id WHERE p.cycle_id = $1 ORDER BY pa.application_id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?;
        let members: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT m.panel_id, m.expert_id FROM panel_members m JOIN panels p ON p.id = m.panel_id WHERE p.cycle_id = $1 AND m.left_at IS NULL ORDER BY m.joined_at, m.expert_id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?;
        for p in &mut panels {
            p.applications = apps
                .iter()
                .filter(|(pid, _)| *pid == p.id)
                .map(|(_, a)| ApplicationId(*a))
                .collect();
            p.members = members
                .iter()
                .filter(|(pid, _)| *pid == p.id)
                .map(|(_, u)| UserId(*u))
                .collect();
        }
        Ok(panels)
    }

    /// The panel evaluating an application, if any.
    pub async fn panel_of(&self, id: ApplicationId) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT panel_id FROM panel_applications WHERE application_id = $1")
                .bind(id.0)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// The experts sitting now on the panel that evaluates `id`.
    pub async fn panel_members_of(&self, id: ApplicationId) -> Result<Vec<UserId>> {
        let v: Vec<i64> = sqlx::query_scalar(
            "SELECT m.expert_id FROM panel_members m JOIN panel_applications pa ON pa.panel_id = m.panel_id \
             WHERE pa.application_id = $1 AND m.left_at IS NULL ORDER BY m.expert_id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        Ok(v.into_iter().map(UserId).collect())
    }

    /// The applications of the panels an expert sits on now, with their cycles, by cycle.
    pub async fn applications_of_expert(
        &self,
        expert: UserId,
    ) -> Result<Vec<(ApplicationId, CycleId)>> {
        let v: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT pa.application_id, p.cycle_id FROM panel_applications pa JOIN panel_members m ON m.panel_id = pa.panel_id \
             JOIN panels p ON p.id = pa.panel_id WHERE m.expert_id = $1 AND m.left_at IS NULL ORDER BY p.cycle_id, pa.application_id",
        )
        .bind(expert.0)
        .fetch_all(self.pool())
        .await?;
        Ok(v.into_iter()
            .map(|(a, c)| (ApplicationId(a), CycleId(c)))
            .collect())
    }

    /// Every expert who ever sat on or left a panel, with the reason they left.
    pub async fn former_members(&self, panel: i64) -> Result<Vec<(UserId, String)>> {
        let v: Vec<(i64, String)> = sqlx::query_as(
            "SELECT expert_id, left_reason FROM panel_members WHERE panel_id = $1 AND left_at IS NOT NULL",
        )
        .bind(panel)
        .fetch_all(self.pool())
        .await?;
        Ok(v.into_iter().map(|(u, r)| (UserId(u), r)).collect())
    }

    /// The draws of a panel, oldest first.
    pub async fn draws(&self, panel: i64) -> Result<Vec<DrawRow>> {
        sqlx::query(&format!(
            "SELECT {DRAW_COLUMNS} FROM panel_draws WHERE panel_id = $1 ORDER BY id"
        ))
        .bind(panel)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(draw_from)
        .collect()
    }

    /// Every draw of a cycle's panels, oldest first.
    pub async fn cycle_draws(&self, cycle: CycleId) -> Result<Vec<DrawRow>> {
        sqlx::query(&format!(
            "SELECT {DRAW_COLUMNS} FROM panel_draws WHERE panel_id IN (SELECT id FROM panels WHERE cycle_id = $1) ORDER BY id"
        ))
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(draw_from)
        .collect()
    }

    /// One draw, with its panel's cycle.
    pub async fn draw(&self, id: i64) -> Result<(DrawRow, CycleId)> {
        let r = sqlx::query(&format!(
            "SELECT {DRAW_COLUMNS}, (SELECT cycle_id FROM panels p WHERE p.id = panel_id) AS cycle_id FROM panel_draws WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("draw {id}")))?;
        Ok((draw_from(&r)?, CycleId(r.try_get("cycle_id")?)))
    }

    /// The secret seed of a draw not yet made, for the draw itself.
    pub async fn draw_seed(&self, id: i64) -> Result<String> {
        sqlx::query_scalar("SELECT seed FROM panel_draws WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("draw {id}")))
    }
}

impl WriteTx {
    pub async fn create_panel(
        &mut self,
        cycle: CycleId,
        name: &str,
        field: &str,
        by: &str,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO panels (cycle_id, name, field, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(cycle.0)
        .bind(name)
        .bind(field)
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("panel-name-taken", name = name)))
    }

    /// Puts an application on a panel; an application is on one panel at most.
    pub async fn assign_to_panel(&mut self, panel: i64, id: ApplicationId) -> Result<()> {
        sqlx::query("INSERT INTO panel_applications (panel_id, application_id) VALUES ($1, $2)")
            .bind(panel)
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| {
                StoreError::unique(e, || {
                    qaward_domain::msg!("application-on-a-panel", id = id.0)
                })
            })?;
        Ok(())
    }

    pub async fn set_panel_leader(&mut self, panel: i64, leader: UserId) -> Result<()> {
        sqlx::query("UPDATE panels SET leader = $1 WHERE id = $2")
            .bind(leader.0)
            .bind(panel)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records a committed draw (its record without seed; the seed apart).
    pub async fn commit_draw(
        &mut self,
        panel: i64,
        replaces: Option<UserId>,
        record: &DrawRecord,
        seed: &str,
        by: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO panel_draws (panel_id, purpose, replaces, record, seed, status, committed_by, committed_at) \
             VALUES ($1, $2, $3, $4, $5, 'committed', $6, $7) RETURNING id",
        )
        .bind(panel)
        .bind(if replaces.is_some() { "replacement" } else { "initial" })
        .bind(replaces.map(|u| u.0))
        .bind(serde_json::to_string(record).unwrap_or_default())
        .bind(seed)
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Moves a draw on from `from`, storing its record as it now stands; false when the
    /// draw was not at `from` any more (someone else moved it).
    pub async fn advance_draw(
        &mut self,
        id: i64,
        from: DrawStatus,
        record: &DrawRecord,
        by: &str,
    ) -> Result<bool> {
        let (to, who, when) = match from {
            DrawStatus::Committed => ("contributed", "contributed_by", "contributed_at"),
            _ => ("drawn", "drawn_by", "drawn_at"),
        };
        let from = match from {
            DrawStatus::Committed => "committed",
            DrawStatus::Contributed => "contributed",
            DrawStatus::Drawn => "drawn",
        };
        let n = sqlx::query(&format!(
            "UPDATE panel_draws SET status = $1, record = $2, {who} = $3, {when} = $4 WHERE id = $5 AND status = $6"
        ))
        .bind(to)
        .bind(serde_json::to_string(record).unwrap_or_default())
        .bind(by)
        .bind(now_text())
        .bind(id)
        .bind(from)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    pub async fn add_panel_member(&mut self, panel: i64, expert: UserId, draw: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO panel_members (panel_id, expert_id, draw_id, joined_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(panel)
        .bind(expert.0)
        .bind(draw)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// A member leaves the panel (declined, or a conflict came to light); false when they
    /// were not sitting on it.
    pub async fn remove_panel_member(
        &mut self,
        panel: i64,
        expert: UserId,
        reason: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE panel_members SET left_at = $1, left_reason = $2 WHERE panel_id = $3 AND expert_id = $4 AND left_at IS NULL",
        )
        .bind(now_text())
        .bind(reason)
        .bind(panel)
        .bind(expert.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

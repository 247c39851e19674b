//! Applications in storage: the row with its state, sections, attachments, the in-unit
//! notice and its objections, and the history of transitions.
//!
//! A state change is written with the state it was read in (`WHERE state = $from`): when
//! two people act on the same application at once, the second finds the state changed
//! and gets a conflict instead of overwriting the first.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use qaward_domain::application::{ActionKind, Channel, State};
use qaward_domain::ids::{ApplicationId, CycleId, ProgramId, SubjectId};
use qaward_domain::material::{Confidentiality, Purpose};
use qaward_domain::notice::ObjectionState;
use qaward_domain::rule::RuleId;
use serde::Serialize;
use sqlx::Row;

use crate::audit::Actor;

mod attachments;
use crate::column::{code, date, flag, opt_date, placeholders};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub cycle_id: CycleId,
    pub subject_id: SubjectId,
    pub state: State,
    pub channel: Option<Channel>,
    pub declarations: BTreeSet<RuleId>,
    pub authenticity_committed: bool,
    pub no_state_secrets_confirmed: bool,
    /// The in-unit notice's first and last day.
    pub in_unit_notice: Option<(NaiveDate, NaiveDate)>,
    pub in_unit_notice_scan: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    /// The day, by the award's calendar, the application was started: its in-unit notice
    /// cannot start earlier (A14.1).
    pub started_on: Option<NaiveDate>,
    /// The day it was first submitted: the eligibility checks count from it (A10.4, A28.3).
    pub submitted_on: Option<NaiveDate>,
}

/// An attachment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub purpose: Purpose,
    pub section_code: Option<String>,
    pub blob_hash: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub confidentiality: Confidentiality,
    pub created_at: String,
}

/// An objection received during the in-unit notice, and how it was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InUnitObjection {
    pub id: i64,
    pub received_on: NaiveDate,
    pub content: String,
    pub status: ObjectionState,
    pub settlement: Option<String>,
}

/// One step in an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub from_state: State,
    pub to_state: State,
    pub action: ActionKind,
    pub actor_name: String,
    pub actor_role: String,
    pub reason: Option<String>,
    pub at: String,
}

pub(crate) const COLUMNS: &str = "id, cycle_id, subject_id, state, channel_kind, channel_id, declarations, \
     authenticity_committed, no_state_secrets_confirmed, in_unit_notice_start, in_unit_notice_end, in_unit_notice_scan, \
     created_at, updated_at, submitted_at, started_on, submitted_on";

pub(crate) fn row_to_application(r: &sqlx::any::AnyRow) -> Result<ApplicationRow> {
    let id = ApplicationId(r.try_get("id")?);
    let state: State = code(r, "state")?;
    let channel = match (
        r.try_get::<Option<String>, _>("channel_kind")?,
        r.try_get::<Option<String>, _>("channel_id")?,
    ) {
        (None, None) => None,
        (Some(k), Some(i)) => Some(
            Channel::from_parts(&k, &i)
                .ok_or_else(|| StoreError::Corrupt(format!("channel of application {id}")))?,
        ),
        _ => return Err(StoreError::Corrupt(format!("channel of application {id}"))),
    };
    let declarations = r
        .try_get::<String, _>("declarations")?
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| RuleId::parse(s).map_err(StoreError::Corrupt))
        .collect::<Result<BTreeSet<_>>>()?;
    let in_unit_notice = match r.try_get::<Option<String>, _>("in_unit_notice_start")? {
        Some(_) => Some((
            date(r, "in_unit_notice_start")?,
            date(r, "in_unit_notice_end")?,
        )),
        None => None,
    };
    Ok(ApplicationRow {
        id,
        cycle_id: CycleId(r.try_get("cycle_id")?),
        subject_id: SubjectId(r.try_get("subject_id")?),
        state,
        channel,
        declarations,
        authenticity_committed: flag(r, "authenticity_committed")?,
        no_state_secrets_confirmed: flag(r, "no_state_secrets_confirmed")?,
        in_unit_notice,
        in_unit_notice_scan: r.try_get("in_unit_notice_scan")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
        started_on: opt_date(r, "started_on")?,
        submitted_on: opt_date(r, "submitted_on")?,
    })
}

impl WriteTx {
    /// The application's state as this transaction sees it, holding the row until the
    /// commit (`FOR UPDATE` on PostgreSQL; SQLite's writers are serialized already): a
    /// change checked against it cannot race a state change committed meanwhile.
    pub async fn lock_application(&mut self, id: ApplicationId) -> Result<State> {
        let sql = match self.backend {
            crate::Backend::Postgres => "SELECT state FROM applications WHERE id = $1 FOR UPDATE",
            crate::Backend::Sqlite => "SELECT state FROM applications WHERE id = $1",
        };
        let r = sqlx::query(sql)
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
        code(&r, "state")
    }

    /// A new draft of `subject` in `cycle`, started on `on`; one per subject and cycle.
    pub async fn create_application(
        &mut self,
        cycle: CycleId,
        subject: SubjectId,
        on: NaiveDate,
    ) -> Result<ApplicationId> {
        let now = now_text();
        let id = sqlx::query_scalar(
            "INSERT INTO applications (cycle_id, subject_id, state, created_at, updated_at, started_on) VALUES ($1, $2, 'draft', $3, $3, $4) RETURNING id",
        )
        .bind(cycle.0)
        .bind(subject.0)
        .bind(&now)
        .bind(on.to_string())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("application-exists-in-cycle")))?;
        Ok(ApplicationId(id))
    }

    /// The declarations and commitments of a draft.
    pub async fn set_application_declarations(
        &mut self,
        id: ApplicationId,
        declarations: &BTreeSet<RuleId>,
        authenticity: bool,
        no_state_secrets: bool,
    ) -> Result<()> {
        let list = declarations
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(
            "UPDATE applications SET declarations = $1, authenticity_committed = $2, no_state_secrets_confirmed = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(list)
        .bind(i64::from(authenticity))
        .bind(i64::from(no_state_secrets))
        .bind(now_text())
        .bind(id.0)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn set_in_unit_notice(
        &mut self,
        id: ApplicationId,
        start: NaiveDate,
        end: NaiveDate,
        scan: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE applications SET in_unit_notice_start = $1, in_unit_notice_end = $2, in_unit_notice_scan = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .bind(scan)
        .bind(now_text())
        .bind(id.0)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records the channel submitted to, on `on`; the first submission's day is kept.
    pub async fn set_channel(
        &mut self,
        id: ApplicationId,
        channel: &Channel,
        on: NaiveDate,
    ) -> Result<()> {
        let (kind, value) = channel.parts();
        sqlx::query("UPDATE applications SET channel_kind = $1, channel_id = $2, submitted_at = $3, updated_at = $3, submitted_on = COALESCE(submitted_on, $4) WHERE id = $5")
            .bind(kind)
            .bind(value)
            .bind(now_text())
            .bind(on.to_string())
            .bind(id.0)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Moves the application from `from` to `to` and records the transition; a conflict
    /// when the application is no longer in `from`.
    pub async fn set_state(
        &mut self,
        id: ApplicationId,
        from: State,
        to: State,
        action: ActionKind,
        actor: &Actor,
        reason: Option<&str>,
    ) -> Result<()> {
        let now = now_text();
        let n = sqlx::query(
            "UPDATE applications SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(to.code())
        .bind(&now)
        .bind(id.0)
        .bind(from.code())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(qaward_domain::msg!(
                "changed-meanwhile"
            )));
        }
        sqlx::query(
            "INSERT INTO transitions (application_id, from_state, to_state, action, actor_user_id, actor_name, actor_role, reason, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.0)
        .bind(from.code())
        .bind(to.code())
        .bind(action.code())
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(&actor.role)
        .bind(reason)
        .bind(&now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn save_section(&mut self, id: ApplicationId, code: &str, body: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO application_sections (application_id, code, body, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (application_id, code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(id.0)
        .bind(code)
        .bind(body)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn add_in_unit_objection(
        &mut self,
        id: ApplicationId,
        received_on: NaiveDate,
        content: &str,
    ) -> Result<i64> {
        let oid = sqlx::query_scalar(
            "INSERT INTO in_unit_objections (application_id, received_on, content, status, created_at) VALUES ($1, $2, $3, 'open', $4) RETURNING id",
        )
        .bind(id.0)
        .bind(received_on.to_string())
        .bind(content)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(oid)
    }

    /// Records (or corrects) the applicant's account of how it handled an objection to its
    /// in-unit notice; the channel's reviewer judges it at review (A15.1). False when the
    /// objection is not one of the application's.
    pub async fn settle_in_unit_objection(
        &mut self,
        id: ApplicationId,
        objection: i64,
        account: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE in_unit_objections SET settlement = $1 WHERE id = $2 AND application_id = $3",
        )
        .bind(account)
        .bind(objection)
        .bind(id.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    pub async fn application(&self, id: ApplicationId) -> Result<ApplicationRow> {
        let r = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
        row_to_application(&r)
    }

    /// The application of a subject in a cycle, if it has one.
    pub async fn application_of(
        &self,
        cycle: CycleId,
        subject: SubjectId,
    ) -> Result<Option<ApplicationRow>> {
        let r = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM applications WHERE cycle_id = $1 AND subject_id = $2"
        ))
        .bind(cycle.0)
        .bind(subject.0)
        .fetch_optional(self.pool())
        .await?;
        r.as_ref().map(row_to_application).transpose()
    }

    /// Applications at a channel in one of `states`, with their subject's name: one query
    /// for a whole queue.
    /// The applications of `program` at `channel` in one of `states`, with their
    /// subjects' names, in the order they were submitted.
    pub async fn applications_at_channel(
        &self,
        program: ProgramId,
        channel: &Channel,
        states: &[State],
    ) -> Result<Vec<(ApplicationRow, String)>> {
        let (kind, value) = channel.parts();
        let sql = format!(
            "SELECT a.{}, s.name AS subject_name FROM applications a JOIN subjects s ON s.id = a.subject_id \
             JOIN cycles c ON c.id = a.cycle_id \
             WHERE c.program_id = $1 AND a.channel_kind = $2 AND a.channel_id = $3 AND a.state IN ({}) \
             ORDER BY a.submitted_at, a.id",
            COLUMNS.replace(", ", ", a."),
            placeholders(4, states.len())
        );
        let mut q = sqlx::query(&sql).bind(program.0).bind(kind).bind(value);
        for s in states {
            q = q.bind(s.code());
        }
        named_rows(&q.fetch_all(self.pool()).await?)
    }

    pub async fn sections(&self, id: ApplicationId) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT code, body FROM application_sections WHERE application_id = $1 ORDER BY code",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("body")?)))
            .collect()
    }

    pub async fn in_unit_objections(&self, id: ApplicationId) -> Result<Vec<InUnitObjection>> {
        let rows = sqlx::query("SELECT id, received_on, content, status, settlement FROM in_unit_objections WHERE application_id = $1 ORDER BY id")
            .bind(id.0)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(InUnitObjection {
                    id: r.try_get("id")?,
                    received_on: date(r, "received_on")?,
                    content: r.try_get("content")?,
                    status: code(r, "status")?,
                    settlement: r.try_get("settlement")?,
                })
            })
            .collect()
    }

    pub async fn transitions(&self, id: ApplicationId) -> Result<Vec<Transition>> {
        let rows = sqlx::query(
            "SELECT from_state, to_state, action, actor_name, actor_role, reason, at FROM transitions WHERE application_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Transition {
                    from_state: code(r, "from_state")?,
                    to_state: code(r, "to_state")?,
                    action: code(r, "action")?,
                    actor_name: r.try_get("actor_name")?,
                    actor_role: r.try_get("actor_role")?,
                    reason: r.try_get("reason")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Applications of a cycle in one of `states`, with their subject's name and county:
    /// one query for the Office's queue.
    pub async fn applications_in_states(
        &self,
        cycle: CycleId,
        states: &[State],
    ) -> Result<Vec<(ApplicationRow, String)>> {
        let sql = format!(
            "SELECT a.{}, s.name AS subject_name FROM applications a JOIN subjects s ON s.id = a.subject_id \
             WHERE a.cycle_id = $1 AND a.state IN ({}) ORDER BY a.id",
            COLUMNS.replace(", ", ", a."),
            placeholders(2, states.len())
        );
        let mut q = sqlx::query(&sql).bind(cycle.0);
        for s in states {
            q = q.bind(s.code());
        }
        named_rows(&q.fetch_all(self.pool()).await?)
    }
}

fn named_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<(ApplicationRow, String)>> {
    rows.iter()
        .map(|r| Ok((row_to_application(r)?, r.try_get("subject_name")?)))
        .collect()
}

/// An application with the subject's name and county-level unit, for dashboards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationLine {
    pub row: ApplicationRow,
    pub subject_name: String,
    pub county: String,
}

impl Store {
    /// Every application of a cycle with its subject's name and county: one query.
    pub async fn cycle_applications(&self, cycle: CycleId) -> Result<Vec<ApplicationLine>> {
        self.lines("a.cycle_id = $1", &[cycle.0]).await
    }

    /// The applications `ids` of a cycle with their subjects' names and counties: one
    /// query, for a view of a few applications that needs no others of the cycle.
    pub async fn application_lines(
        &self,
        cycle: CycleId,
        ids: &[ApplicationId],
    ) -> Result<Vec<ApplicationLine>> {
        let mut binds = vec![cycle.0];
        binds.extend(ids.iter().map(|i| i.0));
        let filter = format!(
            "a.cycle_id = $1 AND a.id IN ({})",
            placeholders(2, ids.len())
        );
        self.lines(&filter, &binds).await
    }

    async fn lines(&self, filter: &str, binds: &[i64]) -> Result<Vec<ApplicationLine>> {
        let sql = format!(
            "SELECT a.{}, s.name AS subject_name, s.county AS subject_county FROM applications a \
             JOIN subjects s ON s.id = a.subject_id WHERE {filter} ORDER BY a.id",
            COLUMNS.replace(", ", ", a.")
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(ApplicationLine {
                    row: row_to_application(r)?,
                    subject_name: r.try_get("subject_name")?,
                    county: r.try_get("subject_county")?,
                })
            })
            .collect()
    }

    /// Unanswered opinion requests past `today`, per application: one query.
    pub async fn late_opinions(
        &self,
        cycle: CycleId,
        today: NaiveDate,
    ) -> Result<Vec<ApplicationId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT o.application_id FROM opinion_requests o JOIN applications a ON a.id = o.application_id \
             WHERE a.cycle_id = $1 AND o.answered_at IS NULL AND o.due < $2",
        )
        .bind(cycle.0)
        .bind(today.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(ids.into_iter().map(ApplicationId).collect())
    }
}

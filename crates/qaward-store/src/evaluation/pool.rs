//! The expert pool (A17.1, A9.2) and applicants' requests to exclude an expert (A29).

use qaward_domain::evaluation::conflict::Employer;
use qaward_domain::ids::{ApplicationId, CreditCode, ProgramId, UserId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, WriteTx, now_text};

/// An expert of the pool, with the account they log in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expert {
    pub user_id: UserId,
    pub username: String,
    pub name: String,
    pub employer: String,
    /// The employer's unified social credit code, when known.
    pub employer_code: Option<String>,
    pub title: String,
    /// The expert's fields (专业领域).
    pub fields: Vec<String>,
    pub region: String,
    pub contact: String,
    pub available: bool,
    /// How many panels the expert has sat on.
    pub panels: i64,
}

impl Expert {
    /// Where the expert works, for conflict detection.
    pub fn employer(&self) -> Employer {
        Employer {
            name: self.employer.clone(),
            credit_code: self
                .employer_code
                .as_deref()
                .and_then(|c| CreditCode::parse(c).ok()),
        }
    }
}

/// What the Office records of an expert.
#[derive(Debug, Clone)]
pub struct ExpertFields<'a> {
    pub name: &'a str,
    pub employer: &'a str,
    pub employer_code: Option<&'a str>,
    pub title: &'a str,
    pub fields: &'a [String],
    pub region: &'a str,
    pub contact: &'a str,
    pub available: bool,
}

const EXPERT_SELECT: &str = "SELECT e.user_id, u.username, e.name, e.employer, e.employer_code, e.title, e.fields, e.region, e.contact, e.available, \
     (SELECT COUNT(*) FROM panel_members m WHERE m.expert_id = e.user_id) AS panels \
     FROM experts e JOIN users u ON u.id = e.user_id";

fn expert_from(r: &AnyRow) -> Result<Expert> {
    let fields: String = r.try_get("fields")?;
    Ok(Expert {
        user_id: UserId(r.try_get("user_id")?),
        username: r.try_get("username")?,
        name: r.try_get("name")?,
        employer: r.try_get("employer")?,
        employer_code: r.try_get("employer_code")?,
        title: r.try_get("title")?,
        fields: serde_json::from_str(&fields)
            .map_err(|e| StoreError::Corrupt(format!("experts.fields: {e}")))?,
        region: r.try_get("region")?,
        contact: r.try_get("contact")?,
        available: crate::column::flag(r, "available")?,
        panels: r.try_get("panels")?,
    })
}

impl Store {
    /// The whole pool, by name.
    pub async fn experts(&self) -> Result<Vec<Expert>> {
        sqlx::query(&format!("{EXPERT_SELECT} ORDER BY e.name, e.user_id"))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(expert_from)
            .collect()
    }

    /// The experts of the pool who hold the expert's role in one of `programs`, by name:
    /// those a panel of these programs may draw, and their staff may read (issue #13).
    pub async fn experts_of(&self, programs: &[ProgramId]) -> Result<Vec<Expert>> {
        let sql = format!(
            "{EXPERT_SELECT} WHERE e.user_id IN (SELECT g.user_id FROM grants g \
             WHERE g.role = 'expert' AND g.program_id IN ({})) ORDER BY e.name, e.user_id",
            crate::column::placeholders(1, programs.len())
        );
        let mut q = sqlx::query(&sql);
        for p in programs {
            q = q.bind(p.0);
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(expert_from)
            .collect()
    }

    /// One expert of the pool.
    pub async fn expert(&self, user: UserId) -> Result<Expert> {
        let r = sqlx::query(&format!("{EXPERT_SELECT} WHERE e.user_id = $1"))
            .bind(user.0)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("expert {user}")))?;
        expert_from(&r)
    }
}

impl WriteTx {
    /// Adds an account to the pool, or updates its entry.
    pub async fn put_expert(&mut self, user: UserId, e: &ExpertFields<'_>) -> Result<bool> {
        let fields = serde_json::to_string(e.fields).unwrap_or_else(|_| "[]".into());
        let now = now_text();
        let updated = sqlx::query(
            "UPDATE experts SET name = $1, employer = $2, employer_code = $3, title = $4, fields = $5, region = $6, contact = $7, available = $8, updated_at = $9 WHERE user_id = $10",
        )
        .bind(e.name)
        .bind(e.employer)
        .bind(e.employer_code)
        .bind(e.title)
        .bind(&fields)
        .bind(e.region)
        .bind(e.contact)
        .bind(i64::from(e.available))
        .bind(&now)
        .bind(user.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if updated > 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO experts (user_id, name, employer, employer_code, title, fields, region, contact, available, added_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(user.0)
        .bind(e.name)
        .bind(e.employer)
        .bind(e.employer_code)
        .bind(e.title)
        .bind(&fields)
        .bind(e.region)
        .bind(e.contact)
        .bind(i64::from(e.available))
        .bind(&now)
        .execute(&mut *self.tx)
        .await?;
        Ok(true)
    }
}

/// An applicant's request that an expert be kept off its evaluation (A29).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionRequest {
    pub id: i64,
    pub application_id: ApplicationId,
    pub expert_name: String,
    pub expert_employer: String,
    pub reason: String,
    pub requested_at: String,
    /// `upheld` or `dismissed` once decided.
    pub decision: Option<String>,
    /// The pool's expert the Office matched, when upheld.
    pub expert_id: Option<UserId>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
}

const REQUEST_COLUMNS: &str = "id, application_id, expert_name, expert_employer, reason, requested_at, decision, expert_id, decision_reason, decided_at";

fn request_from(r: &AnyRow) -> Result<ExclusionRequest> {
    Ok(ExclusionRequest {
        id: r.try_get("id")?,
        application_id: ApplicationId(r.try_get("application_id")?),
        expert_name: r.try_get("expert_name")?,
        expert_employer: r.try_get("expert_employer")?,
        reason: r.try_get("reason")?,
        requested_at: r.try_get("requested_at")?,
        decision: r.try_get("decision")?,
        expert_id: r.try_get::<Option<i64>, _>("expert_id")?.map(UserId),
        decision_reason: r.try_get("decision_reason")?,
        decided_at: r.try_get("decided_at")?,
    })
}

impl Store {
    /// The exclusion requests of an application, oldest first.
    pub async fn exclusion_requests(&self, id: ApplicationId) -> Result<Vec<ExclusionRequest>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM exclusion_requests WHERE application_id = $1 ORDER BY id"
        ))
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(request_from)
        .collect()
    }

    /// The exclusion requests of a cycle's applications, oldest first.
    pub async fn cycle_exclusion_requests(
        &self,
        cycle: qaward_domain::ids::CycleId,
    ) -> Result<Vec<ExclusionRequest>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM exclusion_requests WHERE application_id IN (SELECT id FROM applications WHERE cycle_id = $1) ORDER BY id"
        ))
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(request_from)
        .collect()
    }

    /// One exclusion request.
    pub async fn exclusion_request(&self, id: i64) -> Result<ExclusionRequest> {
        let r = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM exclusion_requests WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("exclusion request {id}")))?;
        request_from(&r)
    }
}

impl WriteTx {
    pub async fn request_exclusion(
        &mut self,
        id: ApplicationId,
        name: &str,
        employer: &str,
        reason: &str,
        by: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO exclusion_requests (application_id, expert_name, expert_employer, reason, requested_by, requested_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id.0)
        .bind(name)
        .bind(employer)
        .bind(reason)
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// Decides a request once; false when it was decided already.
    pub async fn decide_exclusion(
        &mut self,
        request: i64,
        upheld: Option<UserId>,
        reason: &str,
        by: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE exclusion_requests SET decision = $1, expert_id = $2, decision_reason = $3, decided_by = $4, decided_at = $5 \
             WHERE id = $6 AND decision IS NULL",
        )
        .bind(if upheld.is_some() { "upheld" } else { "dismissed" })
        .bind(upheld.map(|u| u.0))
        .bind(reason)
        .bind(by)
        .bind(now_text())
        .bind(request)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    /// The recusals from the subjects `subjects`, as (user, subject) pairs: one query for a
    /// view of a few applications.
    pub async fn recusals_from(
        &self,
        subjects: &[qaward_domain::ids::SubjectId],
    ) -> Result<Vec<(UserId, qaward_domain::ids::SubjectId)>> {
        let sql = format!(
            "SELECT user_id, subject_id FROM interest_declarations WHERE subject_id IN ({})",
            crate::column::placeholders(1, subjects.len())
        );
        let mut q = sqlx::query_as(&sql);
        for s in subjects {
            q = q.bind(s.0);
        }
        let v: Vec<(i64, i64)> = q.fetch_all(self.pool()).await?;
        Ok(v.into_iter()
            .map(|(u, s)| (UserId(u), qaward_domain::ids::SubjectId(s)))
            .collect())
    }
}

impl Store {
    /// Every recusal of the register, as (user, subject) pairs: one query for a board of
    /// many applications.
    pub async fn all_recusals(&self) -> Result<Vec<(UserId, qaward_domain::ids::SubjectId)>> {
        let v: Vec<(i64, i64)> =
            sqlx::query_as("SELECT user_id, subject_id FROM interest_declarations")
                .fetch_all(self.pool())
                .await?;
        Ok(v.into_iter()
            .map(|(u, s)| (UserId(u), qaward_domain::ids::SubjectId(s)))
            .collect())
    }
}

/// An agency entrusted with a cycle's evaluation work (A9.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entrustment {
    pub agency: UserId,
    pub agency_name: String,
    pub document: String,
    pub by: String,
    pub at: String,
}

impl Store {
    /// The agencies entrusted with a cycle, oldest first.
    pub async fn entrustments(
        &self,
        cycle: qaward_domain::ids::CycleId,
    ) -> Result<Vec<Entrustment>> {
        sqlx::query(
            "SELECT e.agency_id, u.display_name, e.document, e.entrusted_by, e.entrusted_at FROM entrustments e \
             JOIN users u ON u.id = e.agency_id WHERE e.cycle_id = $1 ORDER BY e.id",
        )
        .bind(cycle.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Entrustment {
                agency: UserId(r.try_get("agency_id")?),
                agency_name: r.try_get("display_name")?,
                document: r.try_get("document")?,
                by: r.try_get("entrusted_by")?,
                at: r.try_get("entrusted_at")?,
            })
        })
        .collect()
    }
}

impl WriteTx {
    /// Records an entrustment; a second one of the same agency for the cycle is a conflict.
    pub async fn entrust(
        &mut self,
        cycle: qaward_domain::ids::CycleId,
        agency: UserId,
        document: &str,
        by: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO entrustments (cycle_id, agency_id, document, entrusted_by, entrusted_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(cycle.0)
        .bind(agency.0)
        .bind(document)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("agency-entrusted-already")))?;
        Ok(())
    }
}

//! The commendation's records (A18–A21): the candidate list, the deliberation, the joint
//! report with its co-signature, the commendation decision and the awards it made with
//! their certificates; the per-cycle lock and count under which the quotas are checked
//! (A4.3).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use qaward_domain::application::State;
use qaward_domain::ids::{ApplicationId, CycleId};
use qaward_domain::policy::Level;
use qaward_domain::text::Vocabulary;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::applications::{ApplicationRow, COLUMNS, row_to_application};
use crate::column::{code, date};
use crate::{Backend, Result, Store, StoreError, WriteTx, now_text};

/// An evaluated application of a cycle with everything the commendation recorded of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub row: ApplicationRow,
    pub subject_name: String,
    pub county: String,
    pub score: Decimal,
    /// The highest level the score reaches under the plan (A4.4).
    pub reaches: Option<Level>,
    pub candidate: Option<CandidateEntry>,
    pub deliberation: Option<Deliberation>,
    pub award: Option<AwardEntry>,
}

/// A place on the candidate list (A18.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateEntry {
    pub level: Level,
    pub position: i64,
    pub reason: String,
}

/// The Leading Group's outcome for a candidate (A19.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deliberation {
    pub outcome: Option<Level>,
    pub meeting: String,
}

/// An award the decision made (A20.2, A31).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardEntry {
    pub level: Level,
    pub certificate_number: String,
    pub verification_code: String,
}

/// The joint report of the Office and the HR bureau (A20.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointReport {
    pub id: i64,
    pub cycle_id: CycleId,
    pub number: String,
    pub dated: NaiveDate,
    pub applications: Vec<ApplicationId>,
    pub filed_by: String,
    pub filed_at: String,
    pub cosigned_by: Option<String>,
    pub cosigned_at: Option<String>,
}

/// The commendation decision (表彰决定, A20.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub cycle_id: CycleId,
    pub number: String,
    pub dated: NaiveDate,
    pub decided_by: String,
    pub decided_at: String,
    /// The signed document, once attached: its blob, name and content type.
    pub signed: Option<SignedDocument>,
}

/// The signed decision's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedDocument {
    pub hash: String,
    pub name: String,
    pub content_type: String,
}

/// What the public verification page may say of a certificate (A31): nothing beyond the
/// award, its year and whether it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub certificate_number: String,
    pub level: Level,
    pub cycle_ordinal: u32,
    pub cycle_year: i32,
    pub recipient: String,
    pub decision_number: String,
    pub revoked: bool,
    /// The revocation request whose announcement made the revocation public, if revoked.
    pub announcement: Option<i64>,
}

/// A line of the public honour roll (A23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Honour {
    pub cycle_ordinal: u32,
    pub cycle_year: i32,
    pub recipient: String,
    pub level: Level,
    pub decision_number: String,
}

fn level_opt(r: &AnyRow, col: &str) -> Result<Option<Level>> {
    match r.try_get::<Option<String>, _>(col)? {
        None => Ok(None),
        Some(_) => code(r, col).map(Some),
    }
}

fn decimal(r: &AnyRow, col: &str) -> Result<Decimal> {
    let s: String = r.try_get(col)?;
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("{col}: `{s}`")))
}

fn line(r: &AnyRow) -> Result<Line> {
    let candidate = match level_opt(r, "c_level")? {
        Some(level) => Some(CandidateEntry {
            level,
            position: r.try_get("c_position")?,
            reason: r.try_get("c_reason")?,
        }),
        None => None,
    };
    let deliberation = match r.try_get::<Option<String>, _>("d_meeting")? {
        Some(meeting) => Some(Deliberation {
            outcome: level_opt(r, "d_outcome")?,
            meeting,
        }),
        None => None,
    };
    let award = match level_opt(r, "w_level")? {
        Some(level) => Some(AwardEntry {
            level,
            certificate_number: r.try_get("w_number")?,
            verification_code: r.try_get("w_code")?,
        }),
        None => None,
    };
    Ok(Line {
        row: row_to_application(r)?,
        subject_name: r.try_get("subject_name")?,
        county: r.try_get("county")?,
        score: decimal(r, "r_score")?,
        reaches: level_opt(r, "r_level")?,
        candidate,
        deliberation,
        award,
    })
}

fn report(r: &AnyRow) -> Result<JointReport> {
    let ids: String = r.try_get("applications")?;
    let ids: Vec<i64> = serde_json::from_str(&ids)
        .map_err(|e| StoreError::Corrupt(format!("joint_reports.applications: {e}")))?;
    Ok(JointReport {
        id: r.try_get("id")?,
        cycle_id: CycleId(r.try_get("cycle_id")?),
        number: r.try_get("number")?,
        dated: date(r, "dated")?,
        applications: ids.into_iter().map(ApplicationId).collect(),
        filed_by: r.try_get("filed_by")?,
        filed_at: r.try_get("filed_at")?,
        cosigned_by: r.try_get("cosigned_by")?,
        cosigned_at: r.try_get("cosigned_at")?,
    })
}

/// The states that hold a place of a level: proposed, awarded, or awarded and later
/// revoked (a revocation does not reopen a cycle's quota).
fn holding(level: Level) -> [State; 3] {
    [
        State::Proposed(level),
        State::Awarded(level),
        State::Revoked(level),
    ]
}

/// The query counting the places taken, with its state binds ($2…$7) and `n` ids after.
fn taken_query(n: usize) -> (String, Vec<State>) {
    let states: Vec<State> = Level::ALL.iter().flat_map(|&l| holding(l)).collect();
    let marks = |from: usize, n: usize| {
        (from..from + n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let except = if n == 0 {
        String::new()
    } else {
        format!(" AND id NOT IN ({})", marks(2 + states.len(), n))
    };
    (
        format!(
            "SELECT state, COUNT(*) AS n FROM applications WHERE cycle_id = $1 AND state IN ({}){except} GROUP BY state",
            marks(2, states.len())
        ),
        states,
    )
}

fn tally(rows: &[AnyRow]) -> Result<BTreeMap<Level, u32>> {
    let mut out: BTreeMap<Level, u32> = Level::ALL.iter().map(|&l| (l, 0)).collect();
    for r in rows {
        let state: State = code(r, "state")?;
        let n = u32::try_from(r.try_get::<i64, _>("n")?)
            .map_err(|_| StoreError::Corrupt("count".into()))?;
        if let State::Proposed(l) | State::Awarded(l) | State::Revoked(l) = state {
            *out.entry(l).or_default() += n;
        }
    }
    Ok(out)
}

impl Store {
    /// The places of each level taken in the cycle by applications other than `except`
    /// (A4.3), as committed now.
    pub async fn taken(
        &self,
        cycle: CycleId,
        except: &[ApplicationId],
    ) -> Result<BTreeMap<Level, u32>> {
        let (sql, states) = taken_query(except.len());
        let mut q = sqlx::query(&sql).bind(cycle.0);
        for s in &states {
            q = q.bind(s.code());
        }
        for a in except {
            q = q.bind(a.0);
        }
        tally(&q.fetch_all(self.pool()).await?)
    }

    /// Every evaluated application of a cycle with its result and what the commendation
    /// recorded, in one query; ordered by id (the caller ranks).
    pub async fn commendation_lines(&self, cycle: CycleId) -> Result<Vec<Line>> {
        let sql = format!(
            "SELECT a.{}, s.name AS subject_name, s.county AS county, r.score AS r_score, r.level AS r_level, \
             c.level AS c_level, c.position AS c_position, c.reason AS c_reason, \
             d.outcome AS d_outcome, d.meeting AS d_meeting, \
             w.level AS w_level, w.certificate_number AS w_number, w.verification_code AS w_code \
             FROM evaluation_results r JOIN applications a ON a.id = r.application_id \
             JOIN subjects s ON s.id = a.subject_id \
             LEFT JOIN candidates c ON c.application_id = a.id \
             LEFT JOIN deliberations d ON d.application_id = a.id \
             LEFT JOIN awards w ON w.application_id = a.id \
             WHERE r.cycle_id = $1 ORDER BY a.id",
            COLUMNS.replace(", ", ", a.")
        );
        sqlx::query(&sql)
            .bind(cycle.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(line)
            .collect()
    }

    /// The cycle's joint report, if filed.
    pub async fn joint_report(&self, cycle: CycleId) -> Result<Option<JointReport>> {
        sqlx::query("SELECT * FROM joint_reports WHERE cycle_id = $1")
            .bind(cycle.0)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(report)
            .transpose()
    }

    /// The cycle's commendation decision, if made.
    pub async fn decision(&self, cycle: CycleId) -> Result<Option<Decision>> {
        sqlx::query("SELECT * FROM commendation_decisions WHERE cycle_id = $1")
            .bind(cycle.0)
            .fetch_optional(self.pool())
            .await?
            .map(|r| {
                Ok(Decision {
                    id: r.try_get("id")?,
                    cycle_id: CycleId(r.try_get("cycle_id")?),
                    number: r.try_get("number")?,
                    dated: date(&r, "dated")?,
                    decided_by: r.try_get("decided_by")?,
                    decided_at: r.try_get("decided_at")?,
                    signed: match r.try_get::<Option<String>, _>("signed_hash")? {
                        Some(hash) => Some(SignedDocument {
                            hash,
                            name: r
                                .try_get::<Option<String>, _>("signed_name")?
                                .unwrap_or_default(),
                            content_type: r
                                .try_get::<Option<String>, _>("signed_type")?
                                .unwrap_or_default(),
                        }),
                        None => None,
                    },
                })
            })
            .transpose()
    }

    /// The certificate with this verification code, if any (A31).
    pub async fn certificate(&self, verification_code: &str) -> Result<Option<Certificate>> {
        sqlx::query(
            "SELECT w.certificate_number, w.level, c.ordinal, c.year, s.name, d.number, sa.revoked_on, \
             q.id AS announcement FROM awards w JOIN applications a ON a.id = w.application_id \
             JOIN subjects s ON s.id = a.subject_id JOIN cycles c ON c.id = w.cycle_id \
             JOIN commendation_decisions d ON d.id = w.decision_id \
             JOIN subject_awards sa ON sa.id = w.subject_award_id \
             LEFT JOIN revocation_requests q ON q.application_id = w.application_id AND q.status = $2 \
             WHERE w.verification_code = $1",
        )
        .bind(verification_code)
        .bind(qaward_domain::revocation::RequestStatus::Revoked.code())
        .fetch_optional(self.pool())
        .await?
        .map(|r| {
            Ok(Certificate {
                certificate_number: r.try_get("certificate_number")?,
                level: code(&r, "level")?,
                cycle_ordinal: u32::try_from(r.try_get::<i64, _>("ordinal")?)
                    .map_err(|_| StoreError::Corrupt("cycle ordinal".into()))?,
                cycle_year: i32::try_from(r.try_get::<i64, _>("year")?)
                    .map_err(|_| StoreError::Corrupt("cycle year".into()))?,
                recipient: r.try_get("name")?,
                decision_number: r.try_get("number")?,
                revoked: r.try_get::<Option<String>, _>("revoked_on")?.is_some(),
                announcement: r.try_get("announcement")?,
            })
        })
        .transpose()
    }

    /// The awards that stand, newest cycle first (A23).
    pub async fn honour_roll(&self) -> Result<Vec<Honour>> {
        sqlx::query(
            "SELECT c.ordinal, c.year, s.name, w.level, d.number \
             FROM awards w JOIN applications a ON a.id = w.application_id \
             JOIN subjects s ON s.id = a.subject_id JOIN cycles c ON c.id = w.cycle_id \
             JOIN commendation_decisions d ON d.id = w.decision_id \
             JOIN subject_awards sa ON sa.id = w.subject_award_id \
             WHERE sa.revoked_on IS NULL \
             ORDER BY c.ordinal DESC, CASE w.level WHEN 'award' THEN 0 ELSE 1 END, w.certificate_number",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Honour {
                cycle_ordinal: u32::try_from(r.try_get::<i64, _>("ordinal")?)
                    .map_err(|_| StoreError::Corrupt("cycle ordinal".into()))?,
                cycle_year: i32::try_from(r.try_get::<i64, _>("year")?)
                    .map_err(|_| StoreError::Corrupt("cycle year".into()))?,
                recipient: r.try_get("name")?,
                level: code(r, "level")?,
                decision_number: r.try_get("number")?,
            })
        })
        .collect()
    }
}

/// A place on the candidate list to record.
#[derive(Debug, Clone)]
pub struct NewCandidate<'a> {
    pub application: ApplicationId,
    pub cycle: CycleId,
    pub level: Level,
    pub position: i64,
    pub reason: &'a str,
    pub by: &'a str,
}

/// An award to record with its certificate.
#[derive(Debug, Clone)]
pub struct NewAward<'a> {
    pub application: ApplicationId,
    pub cycle: CycleId,
    pub decision: i64,
    pub level: Level,
    pub certificate_number: &'a str,
    pub verification_code: &'a str,
    pub subject_award: i64,
}

impl WriteTx {
    /// Holds the cycle until the transaction ends (`FOR UPDATE` on PostgreSQL; SQLite's
    /// writers are serialized already), so that two proposals for the last place of a
    /// quota are counted one after the other (A4.3).
    pub async fn lock_cycle(&mut self, cycle: CycleId) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT id FROM cycles WHERE id = $1 FOR UPDATE")
                .bind(cycle.0)
                .fetch_one(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// The places of each level taken in the cycle by applications other than `except`,
    /// read inside the transaction after [`WriteTx::lock_cycle`] (A4.3).
    pub async fn taken(
        &mut self,
        cycle: CycleId,
        except: &[ApplicationId],
    ) -> Result<BTreeMap<Level, u32>> {
        let (sql, states) = taken_query(except.len());
        let mut q = sqlx::query(&sql).bind(cycle.0);
        for s in &states {
            q = q.bind(s.code());
        }
        for a in except {
            q = q.bind(a.0);
        }
        tally(&q.fetch_all(&mut *self.tx).await?)
    }

    pub async fn put_candidate(&mut self, c: &NewCandidate<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO candidates (application_id, cycle_id, level, position, reason, proposed_by, proposed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(c.application.0)
        .bind(c.cycle.0)
        .bind(c.level.code())
        .bind(c.position)
        .bind(c.reason)
        .bind(c.by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn record_deliberation(
        &mut self,
        application: ApplicationId,
        cycle: CycleId,
        outcome: Option<Level>,
        meeting: &str,
        by: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO deliberations (application_id, cycle_id, outcome, meeting, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(application.0)
        .bind(cycle.0)
        .bind(outcome.map(|l| l.code()))
        .bind(meeting)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Files the cycle's joint report; a second one is a conflict.
    pub async fn file_joint_report(
        &mut self,
        cycle: CycleId,
        number: &str,
        dated: NaiveDate,
        applications: &[ApplicationId],
        by: &str,
    ) -> Result<i64> {
        let ids: Vec<i64> = applications.iter().map(|a| a.0).collect();
        sqlx::query_scalar(
            "INSERT INTO joint_reports (cycle_id, number, dated, applications, filed_by, filed_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(cycle.0)
        .bind(number)
        .bind(dated.to_string())
        .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("joint-report-exists")))
    }

    /// Co-signs the cycle's joint report; false when there is none to co-sign, or it is
    /// co-signed already.
    pub async fn cosign_joint_report(&mut self, cycle: CycleId, by: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE joint_reports SET cosigned_by = $1, cosigned_at = $2 WHERE cycle_id = $3 AND cosigned_at IS NULL",
        )
        .bind(by)
        .bind(now_text())
        .bind(cycle.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Records the cycle's commendation decision; a second one is a conflict.
    pub async fn create_decision(
        &mut self,
        cycle: CycleId,
        number: &str,
        dated: NaiveDate,
        by: &str,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO commendation_decisions (cycle_id, number, dated, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(cycle.0)
        .bind(number)
        .bind(dated.to_string())
        .bind(by)
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("decision-exists")))
    }

    /// Attaches the signed document to the cycle's decision; false when there is none.
    pub async fn set_signed_decision(
        &mut self,
        cycle: CycleId,
        file: &SignedDocument,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE commendation_decisions SET signed_hash = $1, signed_name = $2, signed_type = $3 WHERE cycle_id = $4",
        )
        .bind(&file.hash)
        .bind(&file.name)
        .bind(&file.content_type)
        .bind(cycle.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// How many awards the cycle's decision has numbered so far: the next certificate's
    /// sequence.
    pub async fn awards_numbered(&mut self, cycle: CycleId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM awards WHERE cycle_id = $1")
                .bind(cycle.0)
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    pub async fn record_award_of(&mut self, w: &NewAward<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO awards (application_id, cycle_id, decision_id, level, certificate_number, verification_code, subject_award_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(w.application.0)
        .bind(w.cycle.0)
        .bind(w.decision)
        .bind(w.level.code())
        .bind(w.certificate_number)
        .bind(w.verification_code)
        .bind(w.subject_award)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Whether a cycle with this ordinal is run in the system: its awards come from its
    /// decision, never from hand entry (A20.2, A12.1).
    pub async fn cycle_ordinal_run(&self, ordinal: u32) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cycles WHERE ordinal = $1")
            .bind(i64::from(ordinal))
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }
}

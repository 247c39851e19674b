//! The subject register: organizations and persons with their identifiers.
//!
//! A resident ID is stored sealed ([`crate::seal::RESIDENT_ID`], A30): the person and the
//! Office may read it whole (DESIGN.md §2), nobody who reads only the database can. Beside
//! it stand its masked form, so that lists never need the full number, and its blind
//! index, which keeps one registration per person.

use chrono::NaiveDate;
use qaward_domain::evaluation::conflict::{ConflictSource, InterestKind};
use qaward_domain::ids::{CreditCode, ResidentId, SubjectId};
use qaward_domain::subject::{OrgKind, Organization, Person, Subject};
use serde::Serialize;
use sqlx::Row;

use crate::seal::{Keyring, RESIDENT_ID};
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// How to reach the subject's contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
}

/// A subject as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSubject {
    pub id: SubjectId,
    pub subject: Subject,
    pub contact: Contact,
    pub created_at: String,
}

fn kind_str(k: OrgKind) -> &'static str {
    k.code()
}

fn kind_parse(s: &str) -> Result<OrgKind> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("organization kind: {e}")))
}

fn date(s: Option<String>, what: &str) -> Result<NaiveDate> {
    let s = s.ok_or_else(|| StoreError::Corrupt(format!("{what} missing")))?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("{what} `{s}`")))
}

impl WriteTx {
    pub async fn create_subject(&mut self, s: &Subject, contact: &Contact) -> Result<SubjectId> {
        let (sealed, index) = match s {
            Subject::Organization(_) => (None, None),
            Subject::Person(p) => {
                let keys = crate::seal::loaded(self.seal_keys.as_deref())?;
                let number = p.resident_id.expose();
                (
                    Some(keys.seal(RESIDENT_ID, number)),
                    Some(keys.blind(RESIDENT_ID, number)),
                )
            }
        };
        let q = sqlx::query(
            "INSERT INTO subjects (kind, name, credit_code, resident_id, resident_id_masked, org_kind, county, industry, \
             founded, legal_representative, employer, position, quality_work_since, contact_name, contact_phone, contact_email, created_at, \
             resident_id_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        );
        let q = match s {
            Subject::Organization(o) => q
                .bind("organization")
                .bind(&o.name)
                .bind(Some(o.credit_code.as_str().to_owned()))
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(kind_str(o.kind))
                .bind(&o.county)
                .bind(o.industry.clone())
                .bind(Some(o.founded.to_string()))
                .bind(o.legal_representative.clone())
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(None::<String>),
            Subject::Person(p) => q
                .bind("person")
                .bind(&p.name)
                .bind(None::<String>)
                .bind(sealed)
                .bind(Some(p.resident_id.masked()))
                .bind(kind_str(p.employer_kind))
                .bind(&p.county)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(Some(p.employer.clone()))
                .bind(p.position.clone())
                .bind(Some(p.quality_work_since.to_string())),
        };
        let row = q
            .bind(&contact.name)
            .bind(&contact.phone)
            .bind(contact.email.clone())
            .bind(now_text())
            .bind(index)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(|e| {
                // Saying that this code or number is registered, or echoing it, would tell
                // a stranger who applies (A30): the message names neither, and only the
                // Office, who can see the register, can say more.
                StoreError::unique(e, || match s {
                    Subject::Organization(_) => qaward_domain::msg!("registration-impossible-org"),
                    Subject::Person(_) => qaward_domain::msg!("registration-impossible-person"),
                })
            })?;
        Ok(SubjectId(row.try_get("id")?))
    }
}

impl Store {
    pub async fn subject(&self, id: SubjectId) -> Result<StoredSubject> {
        let r = sqlx::query(&format!(
            "SELECT {SUBJECT_COLUMNS} FROM subjects WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("subject {id}")))?;
        subject_from(&r, id, self.seal_keys.as_deref())
    }

    /// The subjects of the applications `ids`, in one query.
    pub async fn subjects_of_applications(
        &self,
        ids: &[qaward_domain::ids::ApplicationId],
    ) -> Result<Vec<(qaward_domain::ids::ApplicationId, StoredSubject)>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let list = ids
            .iter()
            .map(|i| i.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let cols = SUBJECT_COLUMNS.replace(", ", ", s.");
        sqlx::query(&format!(
            "SELECT a.id AS application_id, s.{cols} FROM applications a JOIN subjects s ON s.id = a.subject_id WHERE a.id IN ({list}) ORDER BY a.id"
        ))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let id = SubjectId(r.try_get("id")?);
            Ok((
                qaward_domain::ids::ApplicationId(r.try_get("application_id")?),
                subject_from(r, id, self.seal_keys.as_deref())?,
            ))
        })
        .collect()
    }
}

const SUBJECT_COLUMNS: &str = "id, kind, name, credit_code, resident_id, org_kind, county, industry, founded, legal_representative, \
     employer, position, quality_work_since, contact_name, contact_phone, contact_email, created_at";

/// A person's resident ID as stored: sealed, or (in a database no process has opened the
/// keys of since migration 0021) still plain.
fn resident_id(
    stored: Option<String>,
    keys: Option<&Keyring>,
    id: SubjectId,
) -> Result<ResidentId> {
    let number = crate::seal::opened(keys, RESIDENT_ID, stored.unwrap_or_default())?;
    ResidentId::parse(&number)
        .map_err(|e| StoreError::Corrupt(format!("identity number of subject {id}: {e}")))
}

/// A subject as stored; a value that does not read back is corruption, named.
fn subject_from(
    r: &sqlx::any::AnyRow,
    id: SubjectId,
    keys: Option<&Keyring>,
) -> Result<StoredSubject> {
    let kind: String = r.try_get("kind")?;
    let org_kind = kind_parse(&r.try_get::<String, _>("org_kind")?)?;
    let subject = match kind.as_str() {
        "organization" => {
            let code: Option<String> = r.try_get("credit_code")?;
            Subject::Organization(Organization {
                name: r.try_get("name")?,
                credit_code: CreditCode::parse(&code.unwrap_or_default()).map_err(|e| {
                    StoreError::Corrupt(format!("credit code of subject {id}: {e}"))
                })?,
                kind: org_kind,
                county: r.try_get("county")?,
                founded: date(r.try_get("founded")?, "founding date")?,
                industry: r.try_get("industry")?,
                legal_representative: r.try_get("legal_representative")?,
            })
        }
        "person" => Subject::Person(Person {
            name: r.try_get("name")?,
            resident_id: resident_id(r.try_get("resident_id")?, keys, id)?,
            employer: r
                .try_get::<Option<String>, _>("employer")?
                .unwrap_or_default(),
            employer_kind: org_kind,
            county: r.try_get("county")?,
            position: r.try_get("position")?,
            quality_work_since: date(r.try_get("quality_work_since")?, "quality work start")?,
        }),
        other => return Err(StoreError::Corrupt(format!("subject kind `{other}`"))),
    };
    Ok(StoredSubject {
        id,
        subject,
        contact: Contact {
            name: r.try_get("contact_name")?,
            phone: r.try_get("contact_phone")?,
            email: r.try_get("contact_email")?,
        },
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    pub async fn count_subjects(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM subjects")
            .fetch_one(self.pool())
            .await?)
    }
}

/// An award in the register, with the document it was recorded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedAward {
    pub id: i64,
    pub record: qaward_domain::subject::AwardRecord,
    pub reference: String,
    pub recorded_by: String,
    /// Who confirmed it: a second person for an award entered by hand, the decision's
    /// recorder for one the Government made. Unconfirmed, it bars nobody.
    pub confirmed_by: Option<String>,
}

impl WriteTx {
    /// Records an award of `subject` (and its revocation, if any), confirmed by
    /// `confirmed_by` at once (a decision of the Government) or awaiting a second person.
    pub async fn record_award(
        &mut self,
        subject: SubjectId,
        award: &qaward_domain::subject::AwardRecord,
        reference: &str,
        by: &str,
        confirmed_by: Option<&str>,
    ) -> Result<i64> {
        let now = now_text();
        let id = sqlx::query_scalar(
            "INSERT INTO subject_awards (subject_id, cycle_ordinal, cycle_year, level, revoked_on, reference, recorded_by, recorded_at, confirmed_by, confirmed_at, \
             barred_until_year, ban_until_year) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(subject.0)
        .bind(i64::from(award.cycle.ordinal))
        .bind(i64::from(award.cycle.year))
        .bind(award.level.code())
        .bind(award.revoked_on.map(|d| d.to_string()))
        .bind(reference)
        .bind(by)
        .bind(&now)
        .bind(confirmed_by)
        .bind(confirmed_by.map(|_| now.clone()))
        .bind(award.barred_until.map(i64::from))
        .bind(award.ban_until.map(i64::from))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("award-exists", cycle = award.cycle.ordinal)))?;
        Ok(id)
    }
}

impl Store {
    /// A subject's awards, oldest first.
    pub async fn award_history(&self, subject: SubjectId) -> Result<Vec<RecordedAward>> {
        let rows = sqlx::query(&format!(
            "SELECT {AWARD_COLUMNS} FROM subject_awards WHERE subject_id = $1 ORDER BY cycle_ordinal"
        ))
        .bind(subject.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(award_from).collect()
    }
}

const AWARD_COLUMNS: &str = "id, cycle_ordinal, cycle_year, level, revoked_on, reference, recorded_by, confirmed_by, \
     barred_until_year, ban_until_year";

/// An award of the register as stored.
fn award_from(r: &sqlx::any::AnyRow) -> Result<RecordedAward> {
    let level: String = r.try_get("level")?;
    Ok(RecordedAward {
        id: r.try_get("id")?,
        recorded_by: r.try_get("recorded_by")?,
        confirmed_by: r.try_get("confirmed_by")?,
        record: qaward_domain::subject::AwardRecord {
            cycle: qaward_domain::subject::CycleRef {
                ordinal: u32::try_from(r.try_get::<i64, _>("cycle_ordinal")?)
                    .map_err(|_| StoreError::Corrupt("award cycle".into()))?,
                year: i32::try_from(r.try_get::<i64, _>("cycle_year")?)
                    .map_err(|_| StoreError::Corrupt("award year".into()))?,
            },
            level: level
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("award level: {e}")))?,
            revoked_on: r
                .try_get::<Option<String>, _>("revoked_on")?
                .map(|d| date(Some(d), "revocation date"))
                .transpose()?,
            barred_until: year_of(r, "barred_until_year")?,
            ban_until: year_of(r, "ban_until_year")?,
        },
        reference: r.try_get("reference")?,
    })
}

/// A year column, which may be empty.
fn year_of(r: &sqlx::any::AnyRow, column: &str) -> Result<Option<i32>> {
    r.try_get::<Option<i64>, _>(column)?
        .map(|y| i32::try_from(y).map_err(|_| StoreError::Corrupt(format!("{column} {y}"))))
        .transpose()
}

impl Store {
    /// Freezes, under `policy`, the bars of the register's awards recorded before bars
    /// were frozen (migration 0022): run at every start, it finds nothing to do after the
    /// first. Returns how many awards it froze.
    pub async fn freeze_award_bars(&self, policy: &qaward_domain::policy::Policy) -> Result<usize> {
        let mut tx = self.write().await?;
        let rows = sqlx::query(&format!(
            "SELECT {AWARD_COLUMNS} FROM subject_awards WHERE (level = 'award' AND barred_until_year IS NULL) \
             OR (revoked_on IS NOT NULL AND ban_until_year IS NULL)"
        ))
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut frozen = 0;
        for r in &rows {
            let a = award_from(r)?;
            let f = a.record.clone().frozen(policy);
            sqlx::query(
                "UPDATE subject_awards SET barred_until_year = $1, ban_until_year = $2 WHERE id = $3",
            )
            .bind(f.barred_until.map(i64::from))
            .bind(f.ban_until.map(i64::from))
            .bind(a.id)
            .execute(&mut *tx.tx)
            .await?;
            frozen += 1;
        }
        tx.commit().await?;
        Ok(frozen)
    }
}

/// A declaration of interest (A29).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interest {
    pub user_id: qaward_domain::ids::UserId,
    pub username: String,
    pub subject_id: SubjectId,
    pub subject_name: String,
    /// What ties the user to the applicant.
    pub kind: InterestKind,
    /// Declared, upheld on the applicant's request, or detected from the register.
    pub source: ConflictSource,
    pub reason: String,
    pub declared_at: String,
}

impl WriteTx {
    /// Records that `user` is recused from `subject` (A29), however it became known.
    pub async fn declare_interest(
        &mut self,
        user: qaward_domain::ids::UserId,
        subject: SubjectId,
        kind: InterestKind,
        source: ConflictSource,
        reason: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO interest_declarations (user_id, subject_id, kind, source, reason, declared_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(user.0)
            .bind(subject.0)
            .bind(kind.code())
            .bind(source.code())
            .bind(reason)
            .bind(now_text())
            .execute(&mut *self.tx)
            .await
            .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("interest-already-declared")))?;
        Ok(())
    }
}

impl Store {
    /// The users recused from a subject.
    pub async fn recused_users(
        &self,
        subject: SubjectId,
    ) -> Result<Vec<qaward_domain::ids::UserId>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM interest_declarations WHERE subject_id = $1")
                .bind(subject.0)
                .fetch_all(self.pool())
                .await?;
        Ok(ids.into_iter().map(qaward_domain::ids::UserId).collect())
    }

    /// Every declaration, newest first, with names: for supervisors.
    pub async fn interests(&self) -> Result<Vec<Interest>> {
        let rows = sqlx::query(
            "SELECT d.user_id, u.username, d.subject_id, s.name, d.kind, d.source, d.reason, d.declared_at FROM interest_declarations d \
             JOIN users u ON u.id = d.user_id JOIN subjects s ON s.id = d.subject_id ORDER BY d.id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Interest {
                    user_id: qaward_domain::ids::UserId(r.try_get("user_id")?),
                    username: r.try_get("username")?,
                    subject_id: SubjectId(r.try_get("subject_id")?),
                    subject_name: r.try_get("name")?,
                    kind: crate::column::code(r, "kind")?,
                    source: crate::column::code(r, "source")?,
                    reason: r.try_get("reason")?,
                    declared_at: r.try_get("declared_at")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// The subjects a user has declared an interest in.
    pub async fn recusals_of(&self, user: qaward_domain::ids::UserId) -> Result<Vec<SubjectId>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT subject_id FROM interest_declarations WHERE user_id = $1")
                .bind(user.0)
                .fetch_all(self.pool())
                .await?;
        Ok(ids.into_iter().map(SubjectId).collect())
    }
}

impl WriteTx {
    /// Confirms award `id` of `subject` as `by`, a person other than the one who entered
    /// it; false when there is no such award awaiting confirmation by someone else.
    pub async fn confirm_award(&mut self, id: i64, subject: SubjectId, by: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE subject_awards SET confirmed_by = $1, confirmed_at = $2 \
             WHERE id = $3 AND subject_id = $4 AND confirmed_by IS NULL AND recorded_by <> $1",
        )
        .bind(by)
        .bind(now_text())
        .bind(id)
        .bind(subject.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}

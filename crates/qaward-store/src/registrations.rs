//! The confirmation of an organization's registration against its business licence
//! (A10.1): who confirmed it, when, and the document they checked. Until it is confirmed
//! the organization cannot submit; anyone may register a credit code, but only the
//! organization that shows the licence gets any further.

use qaward_domain::ids::SubjectId;
use serde::Serialize;
use sqlx::Row;

use crate::audit::Actor;
use crate::{Result, Store, WriteTx, now_text};

/// An organization whose registration awaits confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unconfirmed {
    pub subject: SubjectId,
    pub name: String,
    pub credit_code: String,
    pub org_kind: qaward_domain::subject::OrgKind,
    /// The county-level unit's policy id.
    pub county: String,
    pub founded: Option<String>,
    pub legal_representative: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub registered_at: String,
}

/// How a registration was confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// The licence (or other document) checked, as the confirmer noted it.
    pub document: String,
    pub confirmed_by: String,
    pub confirmed_at: String,
}

impl WriteTx {
    /// Confirms the registration of `subject`; false when it was confirmed already.
    pub async fn confirm_registration(
        &mut self,
        subject: SubjectId,
        document: &str,
        by: &Actor,
    ) -> Result<bool> {
        let n = sqlx::query(
            "INSERT INTO registration_confirmations (subject_id, document, confirmed_by_user_id, confirmed_by_name, confirmed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_id) DO NOTHING",
        )
        .bind(subject.0)
        .bind(document)
        .bind(by.user_id)
        .bind(&by.name)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    /// The confirmation of a subject's registration, if it has one.
    pub async fn registration_confirmation(
        &self,
        subject: SubjectId,
    ) -> Result<Option<Confirmation>> {
        let row = sqlx::query(
            "SELECT document, confirmed_by_name, confirmed_at FROM registration_confirmations WHERE subject_id = $1",
        )
        .bind(subject.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Confirmation {
                document: r.try_get("document")?,
                confirmed_by: r.try_get("confirmed_by_name")?,
                confirmed_at: r.try_get("confirmed_at")?,
            })
        })
        .transpose()
    }

    /// Organizations of `counties` whose registration awaits confirmation, oldest first.
    pub async fn unconfirmed_organizations(&self, counties: &[String]) -> Result<Vec<Unconfirmed>> {
        let rows = sqlx::query(
            "SELECT s.id, s.name, s.credit_code, s.org_kind, s.county, s.founded, s.legal_representative, \
                    s.contact_name, s.contact_phone, s.created_at \
             FROM subjects s LEFT JOIN registration_confirmations c ON c.subject_id = s.id \
             WHERE s.kind = 'organization' AND c.subject_id IS NULL ORDER BY s.id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let county: String = r.try_get("county")?;
            if !counties.contains(&county) {
                continue;
            }
            out.push(Unconfirmed {
                subject: SubjectId(r.try_get("id")?),
                name: r.try_get("name")?,
                credit_code: r
                    .try_get::<Option<String>, _>("credit_code")?
                    .unwrap_or_default(),
                org_kind: crate::column::code(&r, "org_kind")?,
                county,
                founded: r.try_get("founded")?,
                legal_representative: r.try_get("legal_representative")?,
                contact_name: r.try_get("contact_name")?,
                contact_phone: r.try_get("contact_phone")?,
                registered_at: r.try_get("created_at")?,
            });
        }
        Ok(out)
    }
}

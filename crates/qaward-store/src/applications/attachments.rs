//! An application's attachments in storage: added with their class and purpose, listed,
//! and removed before submission (the stored file stays: see [`WriteTx::remove_attachment`]).

use qaward_domain::ids::ApplicationId;
use qaward_domain::material::{Confidentiality, Purpose};
use sqlx::Row;

use super::Attachment;
use crate::column::code;
use crate::{Result, Store, WriteTx, now_text};

impl WriteTx {
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &mut self,
        id: ApplicationId,
        purpose: Purpose,
        section: Option<&str>,
        hash: &str,
        filename: &str,
        content_type: &str,
        size: u64,
        class: Confidentiality,
    ) -> Result<i64> {
        let aid = sqlx::query_scalar(
            "INSERT INTO attachments (application_id, purpose, section_code, blob_hash, filename, content_type, size, confidentiality, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id.0)
        .bind(purpose.code())
        .bind(section)
        .bind(hash)
        .bind(filename)
        .bind(content_type)
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(class.code())
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(aid)
    }

    /// Removes an attachment of application `id`; returns it as it was, or `None` when
    /// the application has no such attachment. The stored file is left alone: its upload
    /// is recorded (the quota, the audit log's hash), and other records may share it.
    /// When it was the application's in-unit notice scan, the newest remaining scan takes
    /// its place (or none).
    pub async fn remove_attachment(
        &mut self,
        id: ApplicationId,
        attachment: i64,
    ) -> Result<Option<(Purpose, String, String)>> {
        let row = sqlx::query(
            "DELETE FROM attachments WHERE application_id = $1 AND id = $2 \
             RETURNING purpose, blob_hash, filename",
        )
        .bind(id.0)
        .bind(attachment)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let (purpose, hash, filename): (Purpose, String, String) = (
            code(&r, "purpose")?,
            r.try_get("blob_hash")?,
            r.try_get("filename")?,
        );
        if purpose == Purpose::InUnitScan {
            sqlx::query(
                "UPDATE applications SET in_unit_notice_scan = \
                 (SELECT blob_hash FROM attachments WHERE application_id = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1), \
                 updated_at = $3 WHERE id = $1 AND in_unit_notice_scan = $4",
            )
            .bind(id.0)
            .bind(Purpose::InUnitScan.code())
            .bind(now_text())
            .bind(&hash)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(Some((purpose, hash, filename)))
    }
}

impl Store {
    pub async fn attachments(&self, id: ApplicationId) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT id, purpose, section_code, blob_hash, filename, content_type, size, confidentiality, created_at \
             FROM attachments WHERE application_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    id: r.try_get("id")?,
                    purpose: code(r, "purpose")?,
                    section_code: r.try_get("section_code")?,
                    blob_hash: r.try_get("blob_hash")?,
                    filename: r.try_get("filename")?,
                    content_type: r.try_get("content_type")?,
                    size: r.try_get("size")?,
                    confidentiality: code(r, "confidentiality")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

//! Voucher files of winners' reports (A22, A25): one row a file attached to an obligation,
//! its content a blob. Files are added and removed only while the obligation may be
//! reported; the caller holds the award's application row, as every obligation step does,
//! so the status read here stays true until the transaction ends.

use qaward_domain::ids::SubjectId;
use qaward_domain::obligation::Status;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::column::code;
use crate::{Result, Store, StoreError, WriteTx, now_text};

/// A voucher file as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoucherFile {
    pub id: i64,
    pub obligation_id: i64,
    #[serde(skip)]
    pub blob_hash: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

const SELECT: &str = "SELECT f.id, f.obligation_id, f.blob_hash, f.file_name, b.content_type, b.size, \
     f.uploaded_by, f.uploaded_at FROM obligation_files f JOIN blobs b ON b.hash = f.blob_hash";

fn file_from(r: &AnyRow) -> Result<VoucherFile> {
    Ok(VoucherFile {
        id: r.try_get("id")?,
        obligation_id: r.try_get("obligation_id")?,
        blob_hash: r.try_get("blob_hash")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

impl Store {
    /// The voucher files of every obligation (`None`) or of the obligations of `subject`'s
    /// awards, in the order they came: one query for a whole desk.
    pub async fn obligation_files(&self, subject: Option<SubjectId>) -> Result<Vec<VoucherFile>> {
        let rows = match subject {
            None => {
                sqlx::query(&format!("{SELECT} ORDER BY f.obligation_id, f.id"))
                    .fetch_all(self.pool())
                    .await?
            }
            Some(s) => {
                sqlx::query(&format!(
                    "{SELECT} JOIN obligations o ON o.id = f.obligation_id \
                     JOIN applications a ON a.id = o.application_id \
                     WHERE a.subject_id = $1 ORDER BY f.obligation_id, f.id"
                ))
                .bind(s.0)
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter().map(file_from).collect()
    }

    /// How many voucher files obligation `id` holds.
    pub async fn obligation_file_count(&self, id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM obligation_files WHERE obligation_id = $1")
                .bind(id)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Voucher file `file` of obligation `obligation`, if it is one of its files.
    pub async fn obligation_file(&self, obligation: i64, file: i64) -> Result<Option<VoucherFile>> {
        sqlx::query(&format!(
            "{SELECT} WHERE f.obligation_id = $1 AND f.id = $2"
        ))
        .bind(obligation)
        .bind(file)
        .fetch_optional(self.pool())
        .await?
        .as_ref()
        .map(file_from)
        .transpose()
    }
}

impl WriteTx {
    /// The status of obligation `id`, read in this transaction.
    pub async fn obligation_status(&mut self, id: i64) -> Result<Status> {
        let r = sqlx::query("SELECT status FROM obligations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("obligation {id}")))?;
        code(&r, "status")
    }

    /// Attaches stored content `hash` to obligation `obligation` as `name`; returns how many
    /// files it holds now.
    pub async fn add_obligation_file(
        &mut self,
        obligation: i64,
        hash: &str,
        name: &str,
        by: &str,
    ) -> Result<i64> {
        sqlx::query(
            "INSERT INTO obligation_files (obligation_id, blob_hash, file_name, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(obligation)
        .bind(hash)
        .bind(name)
        .bind(by)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM obligation_files WHERE obligation_id = $1")
                .bind(obligation)
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    /// Removes file `file` of obligation `obligation`; returns its name, or "not found".
    pub async fn remove_obligation_file(&mut self, obligation: i64, file: i64) -> Result<String> {
        let name: Option<String> = sqlx::query_scalar(
            "DELETE FROM obligation_files WHERE obligation_id = $1 AND id = $2 RETURNING file_name",
        )
        .bind(obligation)
        .bind(file)
        .fetch_optional(&mut *self.tx)
        .await?;
        name.ok_or_else(|| StoreError::NotFound(format!("file {file} of obligation {obligation}")))
    }
}

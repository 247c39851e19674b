//! Uploads: an applicant streams a file of its application materials into the blob
//! store. The type is judged by the first bytes and the size counted while streaming;
//! a refused file leaves nothing behind. Each account has an upload quota. Attaching a
//! file to an application, with its confidentiality class, comes with the application
//! pages; other roles' uploads (evidence of opinions and objections) come with theirs.

use crate::audit::{self, AuditAction, Object};
use futures_util::Stream;
use qaward_domain::permission::{Perm, Target};
use qaward_store::blobs::{BlobRef, BlobStore, sniff};
use serde_json::json;

use crate::{App, AppError, Principal, check};

/// An upload as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Uploaded {
    pub hash: String,
    pub size: u64,
    pub content_type: &'static str,
}

fn accept(head: &[u8], size: u64) -> Result<(), String> {
    if size == 0 {
        return Err("the file is empty".into());
    }
    sniff(head)
        .map(|_| ())
        .ok_or_else(|| "only PDF, PNG, JPEG and Office documents are accepted".into())
}

/// Stores an upload of application materials by an applicant, within
/// `Settings::max_upload_bytes` per file and `Settings::max_account_upload_bytes` in all.
pub async fn upload<S, B, E>(app: &App, by: &Principal, body: S) -> Result<Uploaded, AppError>
where
    S: Stream<Item = Result<B, E>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    // Materials belong to the uploader's own subject; accounts without one have none.
    let target = Target {
        subject: by.user.subject_id,
        ..Target::default()
    };
    match check(Some(by), Perm::EditApplication, &target) {
        Err(AppError::Forbidden(_)) => {
            return Err(AppError::Forbidden(
                qaward_domain::permission::Denial::NoRole,
            ));
        }
        other => other?,
    }
    let used = u64::try_from(app.store.uploaded_bytes(by.user.id).await?).unwrap_or(0);
    let quota = app.settings.max_account_upload_bytes;
    let room = quota.saturating_sub(used);
    if room == 0 {
        return Err(AppError::TooLarge { limit: quota });
    }
    let limit = app.settings.max_upload_bytes.min(room);
    let BlobRef { hash, size } = match app.blobs.put(body, limit, accept).await {
        Err(qaward_store::blobs::BlobError::Refused(m)) => {
            return Err(AppError::invalid("file", m));
        }
        other => other?,
    };
    let content_type = {
        // Accepted above, so the type is known; read it back for the record.
        let mut head = [0u8; 16];
        let mut f = app.blobs.open(&hash).await?;
        let n = tokio::io::AsyncReadExt::read(&mut f, &mut head)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        sniff(&head[..n]).unwrap_or("application/octet-stream")
    };
    let mut tx = app.store.write().await?;
    tx.record_blob(&hash, size, content_type).await?;
    tx.record_upload(by.user.id, &hash, size).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::FileUpload,
        Object::File(hash.clone()),
        json!({ "after": { "size": size, "content_type": content_type } }),
    )
    .await?;
    tx.commit().await?;
    Ok(Uploaded {
        hash,
        size,
        content_type,
    })
}

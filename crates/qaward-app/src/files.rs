//! Uploads: a logged-in user streams a file into the blob store; its hash, size and the
//! type judged from its first bytes are recorded with an audit entry. Attaching a file to
//! an application, with its confidentiality class, comes with the application pages.

use futures_util::Stream;
use qaward_store::audit::{self, NewEntry};
use qaward_store::blobs::{BlobRef, BlobStore, sniff};
use serde_json::json;
use tokio::io::AsyncReadExt;

use crate::{App, AppError, Principal};

/// An upload as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Uploaded {
    pub hash: String,
    pub size: u64,
    pub content_type: &'static str,
}

/// Stores an upload of at most `Settings::max_upload_bytes` of one of the accepted types.
pub async fn upload<S, B, E>(app: &App, by: &Principal, body: S) -> Result<Uploaded, AppError>
where
    S: Stream<Item = Result<B, E>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
    E: std::fmt::Display + Send,
{
    let BlobRef { hash, size } = app.blobs.put(body, app.settings.max_upload_bytes).await?;
    if size == 0 {
        return Err(AppError::invalid("file", "the file is empty"));
    }
    let mut head = [0u8; 16];
    let mut f = app.blobs.open(&hash).await?;
    let n = f
        .read(&mut head)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(content_type) = sniff(&head[..n]) else {
        return Err(AppError::invalid(
            "file",
            "only PDF, PNG, JPEG and Office documents are accepted",
        ));
    };
    let mut tx = app.store.write().await?;
    tx.record_blob(&hash, size, content_type).await?;
    audit::append(
        &mut tx,
        NewEntry {
            actor: by.audit_actor(),
            action: "file.upload".into(),
            object_type: "file".into(),
            object_id: hash.clone(),
            detail: json!({ "after": { "size": size, "content_type": content_type } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Uploaded {
        hash,
        size,
        content_type,
    })
}

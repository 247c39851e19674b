//! Uploads: an applicant streams a file of its application materials into the blob
//! store. The size is counted while streaming; the complete file is then judged by its
//! content ([`kind`]: PDF, PNG, JPEG, or a Word, Excel or PowerPoint document by its
//! structure) and a refused file leaves nothing behind. Names are cleaned and made to end
//! as the content's kind ([`name`]). Each account has an upload quota, held inside the
//! transaction that records the upload. Attaching a file to an application, with its
//! confidentiality class, is `applications::draft::attach`; other roles' uploads
//! (evidence of opinions and objections) come with theirs.

pub mod kind;
pub mod name;

use crate::audit::{self, AuditAction, Object};
use futures_util::Stream;
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Target};
use qaward_store::blobs::{BlobError, BlobStore};
use serde_json::json;

pub use kind::Kind;
pub use qaward_store::blobs::BodyError;

use crate::{App, AppError, Principal, check};

/// An upload as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Uploaded {
    pub hash: String,
    pub size: u64,
    pub content_type: &'static str,
}

/// Stores an upload of application materials by an applicant, within
/// `Settings::max_upload_bytes` per file and `Settings::max_account_upload_bytes` in all.
///
/// The quota is checked twice: before anything streams, so that a full account is told at
/// once, and again in the transaction that records the upload, with the account's uploads
/// held (`WriteTx::lock_uploads`), because uploads running side by side all pass the
/// first check. A file refused by the second is removed again, unless other records refer
/// to its content.
pub async fn upload<S, B>(app: &App, by: &Principal, body: S) -> Result<Uploaded, AppError>
where
    S: Stream<Item = Result<B, BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
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
    store_upload(app, by, body).await
}

/// Stores an upload within the uploader's quota, as [`upload`] does, for a caller that
/// has checked the uploader's permission itself (the Office's scan of a paper opinion).
pub(crate) async fn store_upload<S, B>(
    app: &App,
    by: &Principal,
    body: S,
) -> Result<Uploaded, AppError>
where
    S: Stream<Item = Result<B, BodyError>> + Send + Unpin,
    B: AsRef<[u8]> + Send,
{
    let quota = app.settings.max_account_upload_bytes;
    let used = u64::try_from(app.store.uploaded_bytes(by.user.id).await?).unwrap_or(0);
    let room = quota.saturating_sub(used);
    if room == 0 {
        return Err(AppError::OverQuota { quota, used });
    }
    let max = app.settings.max_upload_bytes;
    let blob = match app.blobs.put(body, max.min(room), kind::accept).await {
        Err(BlobError::Refused(m)) => return Err(AppError::invalid("file", m)),
        Err(BlobError::TooLarge { .. }) if room < max => {
            return Err(AppError::OverQuota { quota, used });
        }
        other => other?,
    };
    let mut tx = app.store.write().await?;
    let used = tx.lock_uploads(by.user.id).await?;
    let first = tx
        .record_blob(&blob.hash, blob.size, blob.content_type)
        .await?;
    if used.saturating_add(blob.size) > quota {
        // Recorded first here, the content is no one else's: an upload of the same content
        // waits for this transaction to end, and then finds it gone (below).
        if first {
            app.blobs.remove(&blob.hash).await?;
        }
        return Err(AppError::OverQuota { quota, used });
    }
    if !app.blobs.exists(&blob.hash).await? {
        return Err(AppError::Conflict(msg!("upload-again")));
    }
    tx.record_upload(by.user.id, &blob.hash, blob.size).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::FileUpload,
        Object::File(blob.hash.clone()),
        json!({ "after": { "size": blob.size, "content_type": blob.content_type } }),
    )
    .await?;
    tx.commit().await?;
    Ok(Uploaded {
        hash: blob.hash,
        size: blob.size,
        content_type: blob.content_type,
    })
}

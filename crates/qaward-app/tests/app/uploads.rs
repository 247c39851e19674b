//! Uploads through the use case, on both backends: the account's quota holds when uploads
//! run side by side, and an upload refused once its account is full is removed again,
//! unless another record refers to its content.

use std::sync::Arc;

use futures_util::stream::{self, BoxStream, StreamExt};
use qaward_app::files::{self, BodyError};
use qaward_app::testing::{MAX_UPLOAD, TestApp};
use qaward_app::{AppError, Principal};
use qaward_store::Backend;
use qaward_store::blobs::BlobStore;
use tokio::sync::Barrier;

qaward_store::on_both!(
    parallel_uploads_cannot_pass_the_account_quota,
    an_upload_that_no_longer_fits_is_removed_unless_its_content_is_shared,
);

/// A PDF of `size` bytes whose content is `tag`'s own.
fn pdf(tag: &str, size: usize) -> Vec<u8> {
    let mut b = format!("%PDF-1.7 {tag} ").into_bytes();
    b.resize(size, b'x');
    b
}

type Body = BoxStream<'static, Result<Vec<u8>, BodyError>>;

/// `bytes` in two chunks, the second sent only once `then` has run: what happens while an
/// upload is on its way.
fn sent_while<F>(bytes: Vec<u8>, then: F) -> Body
where
    F: Future<Output = ()> + Send + 'static,
{
    let (head, tail) = bytes.split_at(16);
    let (head, tail) = (head.to_vec(), tail.to_vec());
    stream::once(async move { Ok(head) })
        .chain(stream::once(async move {
            then.await;
            Ok(tail)
        }))
        .boxed()
}

async fn upload(t: &TestApp, who: &Principal, body: Body) -> Result<files::Uploaded, AppError> {
    files::upload(&t.app, who, body).await
}

async fn parallel_uploads_cannot_pass_the_account_quota(backend: Backend) {
    let t = Arc::new(TestApp::new(backend).await);
    let org = t.as_user("applicant-org").await;
    let quota = t.app.settings.max_account_upload_bytes;
    // Twelve uploads that all pass the check made before streaming (the account is empty)
    // and meet before any is recorded; ten of them fit the quota of 640 KiB.
    let size = (MAX_UPLOAD - 4 * 1024) as usize;
    let barrier = Arc::new(Barrier::new(12));
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (t, org, barrier) = (t.clone(), org.clone(), barrier.clone());
            tokio::spawn(async move {
                let body = sent_while(pdf(&format!("part {i}"), size), async move {
                    barrier.wait().await;
                });
                upload(&t, &org, body).await
            })
        })
        .collect();
    let mut stored = 0u64;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(u) => stored += u.size,
            Err(AppError::OverQuota { quota: q, .. }) => {
                assert_eq!(q, quota);
                refused += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((stored, refused), (10 * size as u64, 2));
    let used = t.db.store.uploaded_bytes(org.user.id).await.unwrap() as u64;
    assert!(
        used <= quota,
        "{used} bytes recorded against a quota of {quota}"
    );
    assert_eq!(t.blob_files(), 10, "the refused uploads were removed");
}

async fn an_upload_that_no_longer_fits_is_removed_unless_its_content_is_shared(backend: Backend) {
    let t = Arc::new(TestApp::new(backend).await);
    let (org, person) = (
        t.as_user("applicant-org").await,
        t.as_user("applicant-person").await,
    );
    let quota = t.app.settings.max_account_upload_bytes;
    // While a file is on its way, its account fills up (another upload is recorded).
    let fill = |who: &Principal| {
        let (t, id) = (t.clone(), who.user.id);
        async move {
            let mut tx = t.db.store.write().await.unwrap();
            let other = "f".repeat(64);
            tx.record_blob(&other, quota, "application/pdf")
                .await
                .unwrap();
            tx.record_upload(id, &other, quota).await.unwrap();
            tx.commit().await.unwrap();
        }
    };
    let shared = upload(&t, &person, stream::iter([Ok(pdf("shared", 1000))]).boxed())
        .await
        .unwrap();
    // The same content, refused for another account, stays: the first account's record
    // refers to it.
    let body = sent_while(pdf("shared", 1000), fill(&org));
    let e = upload(&t, &org, body).await.unwrap_err();
    assert!(matches!(e, AppError::OverQuota { .. }), "{e}");
    assert!(t.app.blobs.exists(&shared.hash).await.unwrap());
    // Content no one else has is removed.
    let body = sent_while(pdf("own", 1000), fill(&person));
    let e = upload(&t, &person, body).await.unwrap_err();
    assert!(matches!(e, AppError::OverQuota { .. }), "{e}");
    assert_eq!(t.blob_files(), 1, "only the shared file is left");
}

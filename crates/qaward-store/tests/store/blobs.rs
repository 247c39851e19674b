//! The file-system blob store: content addressing, the size limit, nothing half-written,
//! the whole file judged, private modes, leftovers swept; and the account's uploads held
//! while an upload is recorded, on both backends.

use std::time::{Duration, SystemTime};

use futures_util::stream;
use qaward_store::Backend;
use qaward_store::blobs::{BlobError, BlobStore, BodyError, FsBlobStore, ReadSeek};
use qaward_store::testing::TestDb;
use qaward_store::users::NewUser;
use tokio::io::AsyncReadExt;

qaward_store::on_both!(an_accounts_uploads_are_held_until_the_recording_transaction_ends);

fn chunks(
    parts: &[&'static [u8]],
) -> impl futures_util::Stream<Item = Result<&'static [u8], BodyError>> + Unpin {
    stream::iter(parts.iter().map(|p| Ok(*p)).collect::<Vec<_>>())
}

fn any(_: &mut dyn ReadSeek, _: u64) -> Result<&'static str, qaward_domain::message::Message> {
    Ok("application/pdf")
}

fn tmp_root() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "qaward-blobs-{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 4]>())
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn stores_by_content_hash_once() {
    let root = tmp_root();
    let store = FsBlobStore::new(&root);
    let a = store
        .put(chunks(&[b"%PDF-1.7 ", b"hello"]), 1024, any)
        .await
        .unwrap();
    let b = store
        .put(chunks(&[b"%PDF-1.7 hello"]), 1024, any)
        .await
        .unwrap();
    assert_eq!(a, b);
    assert_eq!((a.size, a.content_type), (14, "application/pdf"));
    assert_eq!(a.hash.len(), 64);
    let mut s = String::new();
    store
        .open(&a.hash)
        .await
        .unwrap()
        .read_to_string(&mut s)
        .await
        .unwrap();
    assert_eq!(s, "%PDF-1.7 hello");
    assert_eq!(
        std::fs::read_dir(root.join("tmp")).unwrap().count(),
        0,
        "no temporary files left"
    );
    assert!(store.exists(&a.hash).await.unwrap());
    store.remove(&a.hash).await.unwrap();
    assert!(!store.exists(&a.hash).await.unwrap());
    std::fs::remove_dir_all(root).ok();
}

#[tokio::test]
async fn refuses_past_the_limit_and_leaves_nothing_behind() {
    let root = tmp_root();
    let store = FsBlobStore::new(&root);
    let err = store
        .put(chunks(&[b"0123456789", b"0123456789"]), 15, any)
        .await
        .unwrap_err();
    assert!(matches!(err, BlobError::TooLarge { limit: 15 }), "{err}");
    assert!(err.to_string().contains("15 bytes"));
    assert_eq!(std::fs::read_dir(root.join("tmp")).unwrap().count(), 0);
    std::fs::remove_dir_all(root).ok();
}

#[tokio::test]
async fn a_stream_that_stalls_or_outgrows_its_request_says_so_and_leaves_nothing() {
    let root = tmp_root();
    let store = FsBlobStore::new(&root);
    for (failure, check) in [
        (
            BodyError::TimedOut,
            (|e| matches!(e, BlobError::TimedOut)) as fn(&BlobError) -> bool,
        ),
        (BodyError::TooLarge, |e| {
            matches!(e, BlobError::TooLarge { limit: 1024 })
        }),
        (
            BodyError::Broken("reset".into()),
            |e| matches!(e, BlobError::Upload(m) if m == "reset"),
        ),
    ] {
        let body = stream::iter(vec![Ok(&b"%PDF-1.7 "[..]), Err(failure)]);
        let err = store.put(body, 1024, any).await.unwrap_err();
        assert!(check(&err), "{err}");
    }
    assert!(walk(&root).is_empty(), "{:?}", walk(&root));
    std::fs::remove_dir_all(root).ok();
}

#[tokio::test]
async fn the_whole_file_is_judged_and_a_refused_one_leaves_nothing_behind() {
    let root = tmp_root();
    let store = FsBlobStore::new(&root);
    // The check reads all of it, from its start: the verdict may hang on its last bytes.
    let ends_well = |f: &mut dyn ReadSeek, size: u64| {
        let mut all = Vec::new();
        f.read_to_end(&mut all)
            .map_err(|_| qaward_domain::msg!("file-unreadable"))?;
        assert_eq!(all.len() as u64, size);
        if all.starts_with(b"%PDF-") && all.ends_with(b"%%EOF") {
            Ok("application/pdf")
        } else {
            Err(qaward_domain::msg!("file-damaged"))
        }
    };
    let ok = store
        .put(chunks(&[b"%PDF-1.7 ", b"body ", b"%%EOF"]), 1024, ends_well)
        .await
        .unwrap();
    assert_eq!(ok.size, 19);
    store.remove(&ok.hash).await.unwrap();
    let err = store
        .put(chunks(&[b"%PDF-1.7 ", b"cut off"]), 1024, ends_well)
        .await
        .unwrap_err();
    assert!(
        matches!(err, BlobError::Refused(ref m) if m.key == "file-damaged"),
        "{err}"
    );
    let files: Vec<_> = walk(&root);
    assert!(files.is_empty(), "{files:?}");
    std::fs::remove_dir_all(root).ok();
}

fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .flat_map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        vec![e.path()]
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn only_hashes_name_files() {
    let store = FsBlobStore::new(tmp_root());
    for bad in ["../../etc/passwd", "", "ABCDEF", &"g".repeat(64)] {
        assert!(
            matches!(store.open(bad).await, Err(BlobError::NotFound(_))),
            "{bad}"
        );
        assert!(!store.exists(bad).await.unwrap());
    }
}

#[cfg(unix)]
#[tokio::test]
async fn blobs_and_their_directories_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let root = tmp_root().join("blobs");
    let store = FsBlobStore::new(&root);
    let b = store
        .put(chunks(&[b"%PDF-1.7 x"]), 1024, any)
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let file = root.join(&b.hash[..2]).join(&b.hash[2..4]).join(&b.hash);
    assert_eq!(mode(&file), 0o600, "the file");
    for dir in [
        root.clone(),
        root.join("tmp"),
        root.join(&b.hash[..2]),
        file.parent().unwrap().to_owned(),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    std::fs::remove_dir_all(root.parent().unwrap()).ok();
}

#[tokio::test]
async fn leftover_temporary_uploads_are_swept() {
    let root = tmp_root();
    let store = FsBlobStore::new(&root);
    let tmp = root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let old = tmp.join("upload-old");
    std::fs::write(&old, b"half an upload").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(7200))
        .unwrap();
    std::fs::write(tmp.join("upload-running"), b"being written").unwrap();
    assert_eq!(store.sweep_tmp(Duration::from_secs(3600)).await.unwrap(), 1);
    assert!(!old.exists() && tmp.join("upload-running").exists());
    assert_eq!(store.sweep_tmp(Duration::ZERO).await.unwrap(), 1);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // A store that never had an upload has nothing to sweep.
    assert_eq!(
        FsBlobStore::new(root.join("none"))
            .sweep_tmp(Duration::ZERO)
            .await
            .unwrap(),
        0
    );
    std::fs::remove_dir_all(root).ok();
}

async fn an_accounts_uploads_are_held_until_the_recording_transaction_ends(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut tx = db.store.write().await.unwrap();
    let u = tx
        .create_user(NewUser {
            username: "uploader",
            display_name: "Uploader",
            password_hash: "x",
            kind: qaward_domain::permission::UserKind::Applicant,
            subject_id: None,
            email: None,
            service: false,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (a, b) = ("a".repeat(64), "b".repeat(64));
    // The first transaction holds the account and records 100 bytes.
    let mut first = db.store.write().await.unwrap();
    assert_eq!(first.lock_uploads(u.id).await.unwrap(), 0);
    assert!(first.record_blob(&a, 100, "application/pdf").await.unwrap());
    first.record_upload(u.id, &a, 100).await.unwrap();
    // A second one waits for it, and then sees its bytes.
    let store = db.store.clone();
    let (id, hash) = (u.id, b.clone());
    let second = tokio::spawn(async move {
        let mut tx = store.write().await.unwrap();
        let used = tx.lock_uploads(id).await.unwrap();
        tx.record_blob(&hash, 50, "application/pdf").await.unwrap();
        tx.commit().await.unwrap();
        used
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second did not wait");
    first.commit().await.unwrap();
    assert_eq!(second.await.unwrap(), 100);
    // Content recorded before is not recorded first again.
    let mut tx = db.store.write().await.unwrap();
    assert!(!tx.record_blob(&a, 100, "application/pdf").await.unwrap());
}

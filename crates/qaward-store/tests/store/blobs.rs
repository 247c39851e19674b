//! The file-system blob store: content addressing, the size limit, nothing half-written,
//! private modes, leftovers swept.

use std::time::{Duration, SystemTime};

use futures_util::stream;
use qaward_store::blobs::{BlobError, BlobStore, FsBlobStore, sniff};
use tokio::io::AsyncReadExt;

fn chunks(
    parts: &[&'static [u8]],
) -> impl futures_util::Stream<Item = Result<&'static [u8], std::io::Error>> + Unpin {
    stream::iter(parts.iter().map(|p| Ok(*p)).collect::<Vec<_>>())
}

fn any(_: &[u8], _: u64) -> Result<(), String> {
    Ok(())
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
    assert_eq!(a.size, 14);
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
async fn a_refused_upload_leaves_nothing_behind() {
    let root = tmp_root();
    let store = FsBlobStore::new(&root);
    let pdf_only = |head: &[u8], _: u64| {
        if head.starts_with(b"%PDF-") {
            Ok(())
        } else {
            Err("not a PDF".to_owned())
        }
    };
    let err = store
        .put(chunks(&[b"MZ\x90\x00 a program"]), 1024, pdf_only)
        .await
        .unwrap_err();
    assert!(
        matches!(err, BlobError::Refused(ref m) if m == "not a PDF"),
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

#[test]
fn sniffs_the_types_applicants_upload() {
    assert_eq!(sniff(b"%PDF-1.4\n"), Some("application/pdf"));
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
    assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
    assert_eq!(sniff(b"PK\x03\x04"), Some("application/zip"));
    assert_eq!(sniff(b"MZ\x90\x00"), None);
    assert_eq!(sniff(b""), None);
}

//! The file-system blob store: content addressing, the size limit, nothing half-written.

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

#[test]
fn sniffs_the_types_applicants_upload() {
    assert_eq!(sniff(b"%PDF-1.4\n"), Some("application/pdf"));
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
    assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
    assert_eq!(sniff(b"PK\x03\x04"), Some("application/zip"));
    assert_eq!(sniff(b"MZ\x90\x00"), None);
    assert_eq!(sniff(b""), None);
}

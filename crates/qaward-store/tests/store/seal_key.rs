//! The sealing keys (issue #12; A27.2, A30), on both backends: the key file is created
//! 0600 at the first start and reused after; a start without the key the sealed values
//! need, or with another key, is refused rather than sealing under a key nobody will
//! have; a rotation reseals every value under a new key and leaves a file that opens them.

use qaward_store::seal::{self, Keyring, Opened};
use qaward_store::testing::TestDb;
use qaward_store::{Backend, StoreError};

qaward_store::on_both!(
    a27_2_the_seal_key_is_created_0600_at_first_start_and_reused,
    a27_2_a_start_without_the_key_the_sealed_values_need_is_refused,
    a27_2_a_rotation_reseals_every_value_under_a_new_key,
);

fn key_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "qaward-seal-{name}-{}-{}.key",
        std::process::id(),
        rand::random::<u32>()
    ))
}

/// Seals a reporter into a new complaint; returns its id.
async fn sealed_complaint(db: &TestDb, ring: &Keyring, who: &str) -> i64 {
    let mut tx = db.store.write().await.unwrap();
    let id = tx
        .add_complaint(&qaward_store::complaints::NewComplaint {
            topic: qaward_domain::complaint::Topic::Winner,
            about: "甲",
            content: "乙",
            filed_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            follow_up_hash: &format!("{who}-hash"),
            reporter_sealed: Some(&ring.seal(seal::REPORTER, who)),
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn a27_2_the_seal_key_is_created_0600_at_first_start_and_reused(b: Backend) {
    let db = TestDb::new(b).await;
    let path = key_path("create");
    let (ring, opened) = seal::open(&db.store, &path).await.unwrap();
    assert_eq!(opened, Opened::Created);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let (again, opened) = seal::open(&db.store, &path).await.unwrap();
    assert_eq!((opened, again), (Opened::Loaded, ring));
    let _ = std::fs::remove_file(path);
}

async fn a27_2_a_start_without_the_key_the_sealed_values_need_is_refused(b: Backend) {
    let db = TestDb::new(b).await;
    let path = key_path("refuse");
    let (ring, _) = seal::open(&db.store, &path).await.unwrap();
    sealed_complaint(&db, &ring, "张三").await;
    std::fs::remove_file(&path).unwrap();
    let e = seal::open(&db.store, &path).await.unwrap_err();
    assert!(matches!(e, StoreError::SealKey(_)), "{e}");
    assert!(!path.exists(), "no new key is created silently");
    // Another key is refused too.
    Keyring::ephemeral().write_file(&path).unwrap();
    let e = seal::open(&db.store, &path).await.unwrap_err();
    assert!(matches!(e, StoreError::SealKey(_)), "{e}");
    let _ = std::fs::remove_file(path);
}

async fn a27_2_a_rotation_reseals_every_value_under_a_new_key(b: Backend) {
    let db = TestDb::new(b).await;
    let path = key_path("rotate");
    let (old, _) = seal::open(&db.store, &path).await.unwrap();
    let a = sealed_complaint(&db, &old, "张三").await;
    let b2 = sealed_complaint(&db, &old, "李四").await;
    let r = seal::rotate(&db.store, &path).await.unwrap();
    assert_eq!((r.resealed, r.retired.clone()), (2, old.ids()));
    let (new, opened) = seal::open(&db.store, &path).await.unwrap();
    assert_eq!(opened, Opened::Loaded);
    assert_eq!(new.ids(), vec![r.key.clone()]);
    for (id, who) in [(a, "张三"), (b2, "李四")] {
        let v = db
            .store
            .complaint(id)
            .await
            .unwrap()
            .reporter_sealed
            .unwrap();
        assert!(v.contains(&r.key));
        assert_eq!(new.open(seal::REPORTER, &v).unwrap(), who);
        assert!(
            old.open(seal::REPORTER, &v).is_err(),
            "the old key opens nothing now"
        );
    }
    let _ = std::fs::remove_file(path);
}

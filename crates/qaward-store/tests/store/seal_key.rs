//! The sealing keys (issue #12; A27.2, A30), on both backends: the key file is created
//! 0600 at the first start and reused after; a start without the key the sealed values
//! need, or with another key, is refused rather than sealing under a key nobody will
//! have; a rotation reseals every value under a new key and leaves a file that opens them.
//! Resident identity numbers (A30) are sealed too, kept unique by a blind index, and those
//! stored in plain text before are sealed at the first start.

use qaward_domain::ids::{ResidentId, SubjectId};
use qaward_domain::subject::{OrgKind, Person, Subject};
use qaward_store::seal::{self, Keyring, Opened};
use qaward_store::subjects::Contact;
use qaward_store::testing::TestDb;
use qaward_store::{Backend, Store, StoreError};
use sqlx::Row;
use std::sync::Arc;

qaward_store::on_both!(
    a27_2_the_seal_key_is_created_0600_at_first_start_and_reused,
    a27_2_a_start_without_the_key_the_sealed_values_need_is_refused,
    a27_2_a_rotation_reseals_every_value_under_a_new_key,
    a30_resident_ids_are_sealed_at_rest_and_kept_unique_by_a_blind_index,
    a30_plain_resident_ids_from_before_are_sealed_at_the_first_start,
    a30_a_rotation_reseals_resident_ids_and_they_stay_unique,
);

const NUMBER: &str = "14090219850615009X";

fn person() -> Subject {
    Subject::Person(Person {
        name: "李质量".into(),
        resident_id: ResidentId::parse(NUMBER).unwrap(),
        employer: "示例公司".into(),
        employer_kind: OrgKind::Enterprise,
        county: "xinfu".into(),
        position: None,
        quality_work_since: chrono::NaiveDate::from_ymd_opt(2012, 7, 1).unwrap(),
    })
}

fn contact() -> Contact {
    Contact {
        name: "李质量".into(),
        phone: "13900000002".into(),
        email: None,
    }
}

/// Registers the person in `store`: its id, or the refusal.
async fn register(store: &Store) -> Result<SubjectId, StoreError> {
    let mut tx = store.write().await?;
    let id = tx.create_subject(&person(), &contact()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The row as whoever reads the database sees it: the stored number and its index.
async fn at_rest(store: &Store, id: SubjectId) -> (String, Option<String>) {
    let r = sqlx::query("SELECT resident_id, resident_id_index FROM subjects WHERE id = $1")
        .bind(id.0)
        .fetch_one(store.pool())
        .await
        .unwrap();
    (r.get("resident_id"), r.get("resident_id_index"))
}

/// A second registration of the same number is refused without naming it.
fn refused_as_taken(r: Result<SubjectId, StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict(m)) if m.key == "registration-impossible-person")
}

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
            program: qaward_domain::ids::ProgramId(1),
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
    let db = TestDb::unkeyed(b).await;
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
    let db = TestDb::unkeyed(b).await;
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
    let db = TestDb::unkeyed(b).await;
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

async fn a30_resident_ids_are_sealed_at_rest_and_kept_unique_by_a_blind_index(b: Backend) {
    let db = TestDb::new(b).await;
    let id = register(&db.store).await.unwrap();
    let (stored, index) = at_rest(&db.store, id).await;
    assert!(seal::is_sealed(&stored), "{stored}");
    let index = index.expect("a blind index");
    for v in [&stored, &index] {
        assert!(!v.contains(NUMBER) && !v.contains(&NUMBER[6..14]), "{v}");
    }
    // Read back whole by the process that holds the key.
    assert_eq!(db.store.subject(id).await.unwrap().subject, person());
    // The same number again is refused: the index is unique though the values differ.
    assert!(refused_as_taken(register(&db.store).await));
    // A process without the keys can neither read nor register a person.
    let keyless = Store::connect(&db.url, db.schema.as_deref()).await.unwrap();
    assert!(matches!(
        keyless.subject(id).await,
        Err(StoreError::SealKey(_))
    ));
    assert!(matches!(
        register(&keyless).await,
        Err(StoreError::SealKey(_))
    ));
}

async fn a30_plain_resident_ids_from_before_are_sealed_at_the_first_start(b: Backend) {
    let db = TestDb::unkeyed(b).await;
    // A person registered before migration 0021: the number in plain text, no index.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subjects (kind, name, resident_id, resident_id_masked, org_kind, county, \
         employer, quality_work_since, contact_name, contact_phone, created_at) \
         VALUES ('person', '李质量', $1, '1409**********009X', 'enterprise', 'xinfu', '示例公司', \
         '2012-07-01', '李质量', '13900000002', '2020-01-01T00:00:00Z') RETURNING id",
    )
    .bind(NUMBER)
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    let id = SubjectId(id);
    let path = key_path("plain");
    let (ring, _) = seal::open(&db.store, &path).await.unwrap();
    let (stored, index) = at_rest(&db.store, id).await;
    assert!(
        seal::is_sealed(&stored) && !stored.contains(NUMBER),
        "{stored}"
    );
    assert_eq!(index, Some(ring.blind(seal::RESIDENT_ID, NUMBER)));
    let store = db.store.clone().with_seal_keys(Arc::new(ring));
    assert_eq!(store.subject(id).await.unwrap().subject, person());
    assert!(refused_as_taken(register(&store).await));
    // A second start finds nothing left to seal and changes nothing.
    seal::open(&db.store, &path).await.unwrap();
    assert_eq!(at_rest(&db.store, id).await.0, stored);
    let _ = std::fs::remove_file(path);
}

async fn a30_a_rotation_reseals_resident_ids_and_they_stay_unique(b: Backend) {
    let db = TestDb::new(b).await;
    let id = register(&db.store).await.unwrap();
    let before = at_rest(&db.store, id).await;
    let r = seal::rotate(&db.store, &db.seal_key_file()).await.unwrap();
    assert_eq!(r.resealed, 1);
    let (new, _) = seal::open(&db.store, &db.seal_key_file()).await.unwrap();
    let after = at_rest(&db.store, id).await;
    assert!(after.0.contains(&r.key) && after.0 != before.0);
    assert_ne!(after.1, before.1, "the blind index moves to the new key");
    let store = db.store.clone().with_seal_keys(Arc::new(new));
    assert_eq!(store.subject(id).await.unwrap().subject, person());
    assert!(refused_as_taken(register(&store).await));
}

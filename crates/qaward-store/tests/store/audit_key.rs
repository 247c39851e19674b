//! The keyed audit chain, on both backends: someone who can write the database but lacks
//! the key cannot rewrite an entry, even recomputing every hash after it and the head, nor
//! strip the MACs; the wrong key fails; the key file is created 0600 at the first start
//! and reused after; a start without the key of a keyed chain is refused; entries written
//! before the key stay verifiable as the hash chain they were; a lost key is replaced only
//! by an explicit, recorded step, which nobody without the current key can fake.

use qaward_store::audit::key::{self, Opened};
use qaward_store::audit::{self, AuditKey, Problem};
use qaward_store::testing::TestDb;
use qaward_store::{Backend, Store, StoreError};

use super::audit::{append_n, entry};

qaward_store::on_both!(
    audit_a_rewrite_with_recomputed_hashes_and_head_is_detected_with_the_key,
    audit_macs_stripped_from_keyed_entries_are_detected,
    audit_verify_with_the_wrong_key_fails,
    audit_key_file_is_created_0600_at_first_start_and_reused,
    audit_start_refuses_a_missing_key_when_keyed_entries_exist,
    audit_start_refuses_another_key_and_a_key_beside_an_unkeyed_chain,
    audit_a_process_without_the_key_cannot_append_to_a_keyed_chain,
    audit_a_lost_key_is_replaced_in_the_open_and_a_forged_replacement_fails,
);

/// Another connection to the test's database, as an auditor or an attacker opens it:
/// with `key`, or none.
async fn connect(db: &TestDb, key: Option<AuditKey>) -> Store {
    let s = Store::connect(&db.url, db.schema.as_deref()).await.unwrap();
    match key {
        Some(k) => s.with_audit_key(k),
        None => s,
    }
}

/// What becomes of the MACs of the entries a rewrite recomputes.
#[derive(Clone, Copy)]
enum Macs {
    /// Left as they were (the attacker cannot compute new ones).
    Keep,
    /// Removed, as if the entries had been written before the key; with `from_start`
    /// every MAC goes and the head says the chain is unkeyed.
    Drop { from_start: bool },
}

/// What someone who can write the database, but has not the key, can do: change entry
/// `seq`, then recompute the hash and link of every entry after it and the head, so that
/// the plain hash chain holds again.
async fn rewrite(store: &Store, seq: i64, macs: Macs) {
    let mut all = audit::recent(store, 10_000, None).await.unwrap();
    all.reverse();
    let mut prev = "0".repeat(64);
    for mut e in all {
        let drop_mac = matches!(macs, Macs::Drop { from_start: true })
            || (e.seq >= seq && matches!(macs, Macs::Drop { .. }));
        if e.seq >= seq || drop_mac {
            if e.seq == seq {
                e.detail = "{\"after\":{\"n\":\"forged\"}}".into();
            }
            e.prev_hash = prev.clone();
            e.hash = e.compute_hash();
            if drop_mac {
                e.mac = None;
            }
            sqlx::query(
                "UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3, mac = $4 WHERE seq = $5",
            )
            .bind(&e.detail)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(&e.mac)
            .bind(e.seq)
            .execute(store.pool())
            .await
            .unwrap();
        }
        prev = e.hash;
    }
    let algorithm = match macs {
        Macs::Drop { from_start: true } => "SM3",
        _ => "HMAC-SM3",
    };
    sqlx::query("UPDATE audit_head SET hash = $1, algorithm = $2 WHERE id = 1")
        .bind(&prev)
        .bind(algorithm)
        .execute(store.pool())
        .await
        .unwrap();
}

async fn verify(store: &Store) -> Result<audit::Verified, audit::ChainBreak> {
    audit::verify(store).await.unwrap()
}

async fn audit_a_rewrite_with_recomputed_hashes_and_head_is_detected_with_the_key(
    backend: Backend,
) {
    let db = TestDb::new(backend).await;
    append_n(&db.store, 5).await;
    rewrite(&db.store, 3, Macs::Keep).await;
    // Without the key the hash chain holds: that is all it can show, and it says so.
    let v = verify(&connect(&db, None).await).await.unwrap();
    assert_eq!((v.entries, v.keyed_from, v.complete()), (6, Some(1), false));
    assert!(v.to_string().contains("not checked"), "{v}");
    // With the key the rewritten entry is named.
    let broken = verify(&db.store).await.unwrap_err();
    assert_eq!(broken.seq, 3);
    assert!(matches!(broken.problem, Problem::BadMac { .. }), "{broken}");
    assert!(broken.zh().contains("第 3 条"), "{}", broken.zh());
}

async fn audit_macs_stripped_from_keyed_entries_are_detected(backend: Backend) {
    // The rewritten entry and those after it pass for entries written before the key.
    let db = TestDb::new(backend).await;
    append_n(&db.store, 5).await;
    rewrite(&db.store, 4, Macs::Drop { from_start: false }).await;
    let broken = verify(&db.store).await.unwrap_err();
    assert_eq!(broken.seq, 4);
    assert_eq!(broken.problem, Problem::NotKeyed { keyed_from: 1 });
    // Every MAC gone and the head saying "unkeyed": a consistent unkeyed chain, which
    // only someone who knows there is a key can tell from the real thing.
    let db = TestDb::new(backend).await;
    append_n(&db.store, 5).await;
    rewrite(&db.store, 4, Macs::Drop { from_start: true }).await;
    let broken = verify(&db.store).await.unwrap_err();
    assert_eq!((broken.seq, broken.problem), (6, Problem::NoKeyedEntry));
    let v = verify(&connect(&db, None).await).await.unwrap();
    assert_eq!(v.keyed_from, None, "without the key it looks unkeyed: {v}");
    // And a start with the key refuses to go on keying on top of it.
    let e = key::open(&db.store, &db.key_file()).await.unwrap_err();
    assert!(e.to_string().contains("no keyed entries"), "{e}");
}

async fn audit_verify_with_the_wrong_key_fails(backend: Backend) {
    let db = TestDb::new(backend).await;
    append_n(&db.store, 2).await;
    let other = AuditKey::generate();
    let broken = verify(&connect(&db, Some(other.clone())).await)
        .await
        .unwrap_err();
    assert_eq!(broken.seq, 1, "the first keyed entry");
    assert_eq!(broken.problem, Problem::BadMac { key: other.id() });
    // The key file's key is the right one.
    let right = AuditKey::read_file(&db.key_file()).unwrap().unwrap();
    assert!(verify(&connect(&db, Some(right)).await).await.is_ok());
}

async fn audit_key_file_is_created_0600_at_first_start_and_reused(backend: Backend) {
    // An installation from before the key: three entries chained by hash only.
    let db = TestDb::unkeyed(backend).await;
    for i in 1..=3 {
        audit::record(&db.store, entry("test.before-key", i))
            .await
            .unwrap();
    }
    let path = db.dir().join("keys").join("audit.key");
    let (key, opened) = key::open(&db.store, &path).await.unwrap();
    assert_eq!(opened, Opened::Created { seq: 4 });
    let id = key.id();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the key file is the owner's only: {mode:o}");
    }
    assert_eq!(AuditKey::read_file(&path).unwrap(), Some(key.clone()));
    let store = db.store.clone().with_audit_key(key.clone());
    audit::record(&store, entry("test.after-key", 5))
        .await
        .unwrap();
    let v = verify(&store).await.unwrap();
    assert_eq!((v.entries, v.keyed_from), (5, Some(4)));
    assert!(v.complete());
    assert!(
        v.to_string().contains("entries 1–3 chained by SM3 only") && v.zh().contains("第 1–3 条"),
        "{v} / {}",
        v.zh()
    );
    // The second start loads the same key and writes nothing.
    let (again, opened) = key::open(&db.store, &path).await.unwrap();
    assert_eq!((again, opened), (key, Opened::Loaded));
    assert_eq!(verify(&store).await.unwrap().entries, 5);
    // The switch is in the chain, with the key's id.
    let switch = &audit::recent(&store, 1, Some(("audit", "key")))
        .await
        .unwrap()[0];
    assert_eq!(
        (switch.seq, switch.action.as_str()),
        (4, audit::KEY_CREATED)
    );
    assert!(switch.detail.contains(&id), "{}", switch.detail);
}

async fn audit_start_refuses_a_missing_key_when_keyed_entries_exist(backend: Backend) {
    let db = TestDb::new(backend).await;
    append_n(&db.store, 2).await;
    std::fs::remove_file(db.key_file()).unwrap();
    let e = key::open(&db.store, &db.key_file()).await.unwrap_err();
    assert!(matches!(e, StoreError::AuditKey(_)), "{e}");
    let said = e.to_string();
    assert!(
        said.contains("does not exist") && said.contains(&db.key_file().display().to_string()),
        "{said}"
    );
    assert!(!db.key_file().exists(), "no new key is created");
    assert_eq!(
        verify(&db.store).await.unwrap().entries,
        3,
        "nothing written"
    );
}

async fn audit_start_refuses_another_key_and_a_key_beside_an_unkeyed_chain(backend: Backend) {
    let db = TestDb::new(backend).await;
    let other = TestDb::new(backend).await;
    let e = key::open(&db.store, &other.key_file()).await.unwrap_err();
    assert!(e.to_string().contains("does not match"), "{e}");
    // A key file beside a chain that has entries but none keyed.
    let old = TestDb::unkeyed(backend).await;
    audit::record(&old.store, entry("test.before-key", 1))
        .await
        .unwrap();
    let e = key::open(&old.store, &other.key_file()).await.unwrap_err();
    assert!(e.to_string().contains("no keyed entries"), "{e}");
    // An empty chain takes a key that is there.
    let fresh = TestDb::unkeyed(backend).await;
    let (_, opened) = key::open(&fresh.store, &other.key_file()).await.unwrap();
    assert_eq!(opened, Opened::Adopted { seq: 1 });
    // A key file others can read is refused, as ssh refuses one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = db.key_file();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = key::open(&db.store, &path).await.unwrap_err();
        assert!(e.to_string().contains("chmod 600"), "{e}");
    }
}

async fn audit_a_process_without_the_key_cannot_append_to_a_keyed_chain(backend: Backend) {
    let db = TestDb::new(backend).await;
    let keyless = connect(&db, None).await;
    let e = audit::record(&keyless, entry("test.unkeyed", 1))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("holds no audit key"), "{e}");
    assert_eq!(verify(&db.store).await.unwrap().entries, 1);
}

fn console() -> audit::Actor {
    audit::Actor {
        user_id: None,
        name: "console".into(),
        role: "console".into(),
    }
}

async fn audit_a_lost_key_is_replaced_in_the_open_and_a_forged_replacement_fails(backend: Backend) {
    let db = TestDb::new(backend).await;
    append_n(&db.store, 2).await;
    let lost = AuditKey::read_file(&db.key_file()).unwrap().unwrap();
    std::fs::remove_file(db.key_file()).unwrap();
    let (new, seq) = key::replace(&db.store, &db.key_file(), console())
        .await
        .unwrap();
    assert_eq!(seq, 4);
    let e = key::replace(&db.store, &db.key_file(), console())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("move the file away"), "{e}");
    let (loaded, _) = key::open(&db.store, &db.key_file()).await.unwrap();
    assert_eq!(loaded, new);
    let store = connect(&db, Some(new.clone())).await;
    audit::record(&store, entry("test.after-replacement", 1))
        .await
        .unwrap();
    let v = verify(&store).await.unwrap();
    assert_eq!(
        (v.keyed_from, v.current_from, v.complete()),
        (Some(1), Some(4), true)
    );
    assert!(
        v.to_string()
            .contains("entries 1–3 keyed under a replaced key"),
        "{v}"
    );
    let replaced = &audit::recent(&store, 1, Some(("audit", "key")))
        .await
        .unwrap()[0];
    assert_eq!(replaced.action, audit::KEY_REPLACED);
    assert!(replaced.detail.contains(&lost.id()) && replaced.detail.contains(&new.id()));
    // The replacement anchors the entries before it: a rewrite there breaks its MAC.
    let copy = TestDb::new(backend).await;
    append_n(&copy.store, 2).await;
    std::fs::remove_file(copy.key_file()).unwrap();
    let (k, _) = key::replace(&copy.store, &copy.key_file(), console())
        .await
        .unwrap();
    let copy_store = connect(&copy, Some(k)).await;
    rewrite(&copy_store, 2, Macs::Keep).await;
    let broken = verify(&copy_store).await.unwrap_err();
    assert_eq!(
        (broken.seq, matches!(broken.problem, Problem::BadMac { .. })),
        (4, true)
    );
    // Anyone who can write the database can run the command with a key of their own, but
    // the real key then fails at their replacement, and servers holding it refuse to start.
    let forger = db.dir().join("forger.key");
    key::replace(&db.store, &forger, console()).await.unwrap();
    let broken = verify(&store).await.unwrap_err();
    assert_eq!(
        (broken.seq, broken.problem),
        (6, Problem::BadMac { key: new.id() })
    );
    let e = key::open(&db.store, &db.key_file()).await.unwrap_err();
    assert!(e.to_string().contains("does not match"), "{e}");
}

//! The audit chain: it verifies, it catches an edited, a deleted or a cut-off entry, and
//! concurrent appenders stay one chain, on both backends. Every test database starts with
//! its audit key, whose creation is entry 1 (the key's own tests are in `audit_key.rs`).

use qaward_store::audit::{self, Actor, NewEntry};
use qaward_store::testing::TestDb;
use qaward_store::{Backend, Store};

qaward_store::on_both!(
    audit_chain_verifies,
    audit_detects_an_edited_entry,
    audit_detects_a_deleted_entry,
    audit_detects_deleted_newest_entries,
    audit_concurrent_appends_stay_one_chain,
    audit_verify_while_entries_are_appended,
);

pub(super) fn entry(action: &str, id: i64) -> NewEntry {
    NewEntry {
        actor: Actor::system(),
        action: action.into(),
        object_type: "test".into(),
        object_id: id.to_string(),
        detail: serde_json::json!({ "after": { "n": id } }),
    }
}

/// Appends `n` entries after the key's, numbered 2 to n + 1.
pub(super) async fn append_n(store: &Store, n: i64) {
    for i in 1..=n {
        let mut tx = store.write().await.unwrap();
        assert_eq!(
            audit::append(&mut tx, entry("test.step", i)).await.unwrap(),
            i + 1
        );
        tx.commit().await.unwrap();
    }
}

async fn audit_chain_verifies(backend: Backend) {
    let db = &TestDb::new(backend).await;
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 1);
    append_n(&db.store, 5).await;
    let v = audit::verify(&db.store).await.unwrap().unwrap();
    assert_eq!(v.entries, 6);
    assert_eq!(v.algorithm, "HMAC-SM3");
    assert_eq!(v.keyed_from, Some(1));
    assert_eq!(v.key_id, db.store.audit_key().map(|k| k.id()));
    assert!(v.complete(), "{v}");
    let recent = audit::recent(&db.store, 2, Some(("test", "5")))
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(
        recent[0].prev_hash,
        audit::recent(&db.store, 5, None).await.unwrap()[1].hash
    );
}

async fn audit_detects_an_edited_entry(backend: Backend) {
    let db = &TestDb::new(backend).await;
    append_n(&db.store, 5).await;
    sqlx::query("UPDATE audit_log SET detail = '{\"after\":{\"n\":999}}' WHERE seq = 3")
        .execute(db.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&db.store).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 3);
    assert!(broken.to_string().contains("edited"), "{broken}");
}

async fn audit_detects_a_deleted_entry(backend: Backend) {
    let db = &TestDb::new(backend).await;
    append_n(&db.store, 5).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(db.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&db.store).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 2);
    assert!(broken.to_string().contains("missing"), "{broken}");
}

async fn audit_detects_deleted_newest_entries(backend: Backend) {
    let db = &TestDb::new(backend).await;
    append_n(&db.store, 5).await;
    sqlx::query("DELETE FROM audit_log WHERE seq >= 4")
        .execute(db.store.pool())
        .await
        .unwrap();
    let broken = audit::verify(&db.store).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 4);
    // Rewriting a whole entry with a fresh hash still breaks the next link.
    let db2_seq = {
        sqlx::query("UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1")
            .execute(db.store.pool())
            .await
            .unwrap();
        audit::verify(&db.store).await.unwrap().map(|v| v.entries)
    };
    assert_eq!(
        db2_seq,
        Ok(3),
        "a consistent truncation is only visible against a copy of the head"
    );
}

async fn audit_concurrent_appends_stay_one_chain(backend: Backend) {
    let db = &TestDb::new(backend).await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..5 {
                let mut tx = store.write().await.unwrap();
                audit::append(&mut tx, entry("test.concurrent", i * 10 + j))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 41);
}

async fn audit_verify_while_entries_are_appended(backend: Backend) {
    let db = &TestDb::new(backend).await;
    append_n(&db.store, 20).await;
    let writer = {
        let store = db.store.clone();
        tokio::spawn(async move {
            for i in 0..50 {
                let mut tx = store.write().await.unwrap();
                audit::append(&mut tx, entry("test.during-verify", i))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        })
    };
    for _ in 0..10 {
        let v = audit::verify(&db.store).await.unwrap();
        assert!(
            v.is_ok(),
            "a running server's appends are not tampering: {v:?}"
        );
    }
    writer.await.unwrap();
    assert_eq!(audit::verify(&db.store).await.unwrap().unwrap().entries, 71);
}

//! What the store writes to disk beside the blobs: a SQLite database (and its `-wal` and
//! `-shm`) readable by its owner only, with every commit made durable, and backups as
//! private as the database.

use qaward_store::testing::TestDb;
use qaward_store::{Backend, Store, private_sqlite_file, sqlite_path};

fn scratch() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "qaward-files-{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 4]>())
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_commits_are_durable_on_every_connection() {
    // FULL: a commit the server answered survives a power cut (ARCHITECTURE.md, Decisions).
    let db = TestDb::new(Backend::Sqlite).await;
    let mut conns = Vec::new();
    for _ in 0..3 {
        let mut c = db.store.pool().acquire().await.unwrap();
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(level, 2, "synchronous = FULL");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        conns.push(c);
    }
}

#[test]
fn sqlite_urls_name_their_file() {
    for (url, path) in [
        (
            "sqlite:///var/lib/qaward/qaward.db",
            Some("/var/lib/qaward/qaward.db"),
        ),
        ("sqlite://data/qaward.db?mode=rwc", Some("data/qaward.db")),
        ("sqlite:data/qaward.db", Some("data/qaward.db")),
        ("sqlite::memory:", None),
        ("sqlite://x.db?mode=memory", None),
        ("postgres://postgres@127.0.0.1/test", None),
    ] {
        assert_eq!(
            sqlite_path(url),
            path.map(std::path::PathBuf::from),
            "{url}"
        );
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_its_journal_and_its_backups_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let db = dir.join("qaward.db");
    let store = Store::connect(&format!("sqlite://{}", db.display()), None)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    for f in ["qaward.db", "qaward.db-wal", "qaward.db-shm"] {
        assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
    }
    let backup = dir.join("backup.db");
    store.backup_sqlite(backup.to_str().unwrap()).await.unwrap();
    assert_eq!(mode(&backup), 0o600, "the backup");
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);
    // A second backup to the same name is refused and leaves the first alone.
    assert!(store.backup_sqlite(backup.to_str().unwrap()).await.is_err());
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);
    store.close().await;
    // A database made world-readable before (or copied in) is made private when opened.
    for f in ["qaward.db", "qaward.db-wal", "qaward.db-shm"] {
        let p = dir.join(f);
        if p.exists() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    private_sqlite_file(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    let store = Store::connect(&format!("sqlite://{}", db.display()), None)
        .await
        .unwrap();
    assert_eq!(mode(&db), 0o600);
    store.close().await;
    std::fs::remove_dir_all(dir).ok();
}

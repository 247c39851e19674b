//! Test support: a fresh database for each test, on either backend, that cleans up after
//! itself — a temporary SQLite file, or a PostgreSQL schema of its own — with its audit
//! key in a temporary directory, created the way a first start creates it.
//!
//! PostgreSQL is found at `QAWARD_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). When it cannot be reached the test fails
//! with that URL in the message: the PostgreSQL suite never skips silently.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Executor;

use crate::{Backend, Store, audit};

/// Runs each named `async fn name(backend: Backend)` as two tests, `sqlite::name` and
/// `postgres::name`: every suite that touches storage runs on both backends, one macro
/// for all of them.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::Backend::Sqlite).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::Backend::Postgres).await; })*
        }
    };
}

/// The default PostgreSQL for tests: the server this machine and CI run.
pub const DEFAULT_TEST_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The PostgreSQL URL tests use.
pub fn postgres_url() -> String {
    std::env::var("QAWARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_TEST_POSTGRES_URL.to_owned())
}

/// A migrated database that is removed when dropped.
pub struct TestDb {
    /// The store, holding the audit key unless made by [`TestDb::unkeyed`].
    pub store: Store,
    pub url: String,
    /// The PostgreSQL schema, for PostgreSQL.
    pub schema: Option<String>,
    /// A temporary directory: the SQLite file and the audit key file live here.
    dir: PathBuf,
}

fn unique(prefix: &str) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "{prefix}_{secs}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        hex::encode(rand::random::<[u8; 3]>())
    )
}

impl TestDb {
    /// A fresh database with every migration applied and its audit and sealing keys
    /// created, as a first start does: every entry is keyed, from the switch (entry 1) on.
    pub async fn new(backend: Backend) -> Self {
        let mut db = Self::unkeyed(backend).await;
        let (key, _) = audit::key::open(&db.store, &db.key_file())
            .await
            .expect("create the audit key");
        let (keys, _) = crate::seal::open(&db.store, &db.seal_key_file())
            .await
            .expect("create the sealing key");
        db.store = db
            .store
            .clone()
            .with_audit_key(key)
            .with_seal_keys(std::sync::Arc::new(keys));
        db
    }

    /// Where this database's sealing key file is (or would be).
    pub fn seal_key_file(&self) -> PathBuf {
        self.dir.join("seal.key")
    }

    /// A fresh database with every migration applied and no audit key: the chain as
    /// installations kept it before the key, for tests of the switch.
    pub async fn unkeyed(backend: Backend) -> Self {
        let db = Self::unmigrated(backend).await;
        db.store.migrate().await.expect("migrate");
        db
    }

    /// Keeps the database past this value (the benchmark reuses what it seeded): its
    /// PostgreSQL schema is no longer dropped nor its directory removed. Returns the
    /// schema and the directory, which become the caller's to keep or remove.
    pub fn keep(&mut self) -> (Option<String>, PathBuf) {
        (self.schema.take(), std::mem::take(&mut self.dir))
    }

    /// Where this database's audit key file is (or would be).
    pub fn key_file(&self) -> PathBuf {
        self.dir.join("audit.key")
    }

    /// A directory of this test's own, removed with it.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// A fresh, empty database, for tests of the migrations themselves.
    pub async fn unmigrated(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A SQLite file in a temporary directory of its own.
    async fn sqlite() -> Self {
        let dir = temp_dir();
        let url = format!("sqlite://{}", dir.join("qaward.db").display());
        let store = Store::connect(&url, None).await.expect("open SQLite");
        Self {
            store,
            url,
            schema: None,
            dir,
        }
    }

    /// A schema of its own in the test PostgreSQL.
    async fn postgres() -> Self {
        let url = postgres_url();
        let admin = Store::connect(&url, None).await.unwrap_or_else(|e| {
            panic!("the PostgreSQL test suite needs a server at {url} (set QAWARD_TEST_POSTGRES_URL): {e}")
        });
        sweep_stale_schemas(&admin).await;
        let schema = unique("qaward_test");
        admin
            .pool()
            .execute(format!("CREATE SCHEMA \"{schema}\"").as_str())
            .await
            .expect("create a test schema");
        admin.close().await;
        let store = Store::connect(&url, Some(&schema))
            .await
            .expect("connect to the test schema");
        Self {
            store,
            url,
            schema: Some(schema),
            dir: temp_dir(),
        }
    }
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(unique("qaward_test"));
    std::fs::create_dir_all(&dir).expect("create a temporary directory");
    dir
}

/// Drops test schemas older than an hour: left behind by a test process that was killed.
async fn sweep_stale_schemas(admin: &Store) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(nspname AS TEXT) FROM pg_namespace WHERE nspname LIKE 'qaward_test_%'",
    )
    .fetch_all(admin.pool())
    .await
    .unwrap_or_default();
    for name in names {
        let secs: u64 = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX);
        if secs.saturating_add(3600) < now {
            let _ = admin
                .pool()
                .execute(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE").as_str())
                .await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(schema) = self.schema.take() {
            let url = self.url.clone();
            // Drop runs outside any runtime we may block; a thread with its own runtime
            // removes the schema even when the test panicked.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async move {
                        if let Ok(admin) = Store::connect(&url, None).await {
                            let _ = admin
                                .pool()
                                .execute(
                                    format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE").as_str(),
                                )
                                .await;
                            admin.close().await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// A program under a stand-in version of the measures named `policy_id` (stored first if
/// it is not), for storage tests that need a cycle but no policy.
pub async fn program(
    tx: &mut crate::WriteTx,
    code: &str,
    name: &str,
    policy_id: &str,
) -> qaward_domain::ids::ProgramId {
    let held: Option<i64> = sqlx::query_scalar("SELECT id FROM policy_versions WHERE code = $1")
        .bind(policy_id)
        .fetch_optional(&mut *tx.tx)
        .await
        .expect("policy versions are read");
    if held.is_none() {
        tx.adopt_policy_version(&crate::policy_versions::NewVersion {
            program: None,
            code: policy_id,
            title: policy_id,
            source: &format!("id = \"{policy_id}\""),
            document_number: None,
            document_date: chrono::NaiveDate::from_ymd_opt(2021, 11, 30).expect("a date"),
            adopted_by: "test",
        })
        .await
        .expect("the stand-in version is stored");
    }
    tx.create_program(code, name, policy_id, &code.to_uppercase())
        .await
        .expect("the program is created")
}

//! qaward's storage: one interface in domain terms over SQLite and PostgreSQL.
//!
//! Both backends are always compiled in; the database URL chooses one at run time
//! (`sqlite:` or `postgres:`), and an unknown scheme is a clear error. Queries are written
//! once, in SQL both databases accept, and run through sqlx's `Any` driver: integers are
//! `BIGINT`, dates and timestamps ISO-8601 `TEXT`, flags `BIGINT` 0/1 (the `Any` driver has
//! no chrono types, and this keeps the two backends on exactly the same code). Migrations
//! are embedded, one directory per backend with matching names. The conformance suite in
//! `tests/conformance.rs` runs every test on both.
//!
//! Writes go through [`Store::write`], which opens a transaction; an audit entry is
//! appended in the same transaction as the change it records ([`audit`]).

pub mod applications;
pub mod audit;
pub mod blobs;
pub mod calendar_years;
pub mod commendation;
pub mod complaints;
pub mod delivery;
pub mod evaluation;
pub mod notices;
pub mod notifications;
pub mod objections;
pub mod obligation_files;
pub mod obligations;
pub mod office_requests;
pub mod opinions;
pub mod policy_versions;
pub mod programs;
pub mod register;
pub mod registrations;
pub mod reviews;
pub mod revocations;
pub mod seal;
pub mod subjects;
pub mod testing;
pub mod throttle;
pub mod users;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names, or an error naming the scheme.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split(':').next().unwrap_or("");
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::Config(format!(
                "unsupported database URL scheme `{scheme}:`; use sqlite:PATH or postgres://USER@HOST:PORT/DB"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Config(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// A unique value already taken: the message says which.
    #[error("{0}")]
    Conflict(qaward_domain::message::Message),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The audit key is missing, unreadable, or does not fit the chain: the message says
    /// what to do.
    #[error("audit key: {0}")]
    AuditKey(String),
    /// The sealing keys are missing, unreadable, or not those the sealed data needs.
    #[error("sealing key: {0}")]
    SealKey(String),
    #[error("file store: {0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`] with `what`.
    pub(crate) fn unique(
        e: sqlx::Error,
        what: impl FnOnce() -> qaward_domain::message::Message,
    ) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what()),
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// A connection pool and what to know about its backend.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time; taking this lock before a write transaction keeps
    /// our own writers from failing with SQLITE_BUSY on lock upgrade. PostgreSQL needs
    /// none: its row locks do the job (see [`audit::append`]).
    write_lock: Option<Arc<Mutex<()>>>,
    /// The key that authenticates new audit entries ([`audit::key`]); none in a process
    /// that only reads, or before [`audit::key::open`] has run.
    audit_key: Option<Arc<audit::AuditKey>>,
    /// The keys that seal and open personal data at rest ([`seal`]); none in a process
    /// that has not loaded them ([`seal::open`]), which then cannot read or write a sealed
    /// value.
    seal_keys: Option<Arc<seal::Keyring>>,
}

/// A write transaction; dropped without [`WriteTx::commit`] it rolls back.
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) backend: Backend,
    pub(crate) audit_key: Option<Arc<audit::AuditKey>>,
    pub(crate) seal_keys: Option<Arc<seal::Keyring>>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

impl Store {
    /// Connects to `url`. For SQLite the file is created if missing, readable by the owner
    /// only ([`private_sqlite_file`]), with WAL, `synchronous = FULL` and foreign keys on;
    /// `search_path`, when given, is the PostgreSQL schema every connection uses (tests
    /// use one schema each).
    pub async fn connect(url: &str, search_path: Option<&str>) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite
            && !url.contains("mode=ro")
            && let Some(path) = sqlite_path(url)
        {
            private_sqlite_file(&path)?;
        }
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("bad database URL: {e}")))?;
        let search_path = search_path.map(str::to_owned);
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                let search_path = search_path.clone();
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            // FULL: a commit that was answered survives a power cut
                            // (ARCHITECTURE.md, Decisions: "SQLite durability").
                            conn.execute("PRAGMA synchronous = FULL").await?;
                        }
                        Backend::Postgres => {
                            if let Some(schema) = search_path {
                                conn.execute(format!("SET search_path TO \"{schema}\"").as_str())
                                    .await?;
                            }
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::Config(format!(
                    "cannot connect to the {} database: {e}",
                    backend.as_str()
                ))
            })?;
        Ok(Self {
            pool,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            audit_key: None,
            seal_keys: None,
        })
    }

    /// This store, keying the audit entries it appends with `key` and checking them with
    /// it in [`audit::verify`].
    pub fn with_audit_key(mut self, key: audit::AuditKey) -> Self {
        self.audit_key = Some(Arc::new(key));
        self
    }

    /// This store, sealing and opening personal data with `keys` (from [`seal::open`]).
    pub fn with_seal_keys(mut self, keys: Arc<seal::Keyring>) -> Self {
        self.seal_keys = Some(keys);
        self
    }

    /// The sealing keys, or the error that says they were never loaded.
    pub fn seal_keys(&self) -> Result<&seal::Keyring> {
        seal::loaded(self.seal_keys.as_deref())
    }

    /// The audit key this store keys entries with, if any.
    pub fn audit_key(&self) -> Option<&audit::AuditKey> {
        self.audit_key.as_deref()
    }

    /// Applies the embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Applies the embedded migrations up to `version` only: for tests of a migration,
    /// which need the schema as it was before it.
    pub async fn migrate_up_to(&self, version: i64) -> Result<()> {
        let all = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let some = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                all.migrations
                    .iter()
                    .filter(|m| m.version <= version)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        some.run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Opens a write transaction.
    pub async fn write(&self) -> Result<WriteTx> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let tx = self.pool.begin().await?;
        Ok(WriteTx {
            tx,
            backend: self.backend,
            audit_key: self.audit_key.clone(),
            seal_keys: self.seal_keys.clone(),
            _guard: guard,
        })
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let v: Option<(String,)> = sqlx::query_as("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(v.map(|(v,)| v))
    }

    /// A consistent copy of a SQLite database into `path`, safe while the server runs.
    pub async fn backup_sqlite(&self, path: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Config(
                "`qaward backup` copies SQLite databases; back up PostgreSQL with pg_dump (see the README)".into(),
            ));
        }
        // The copy holds what the database holds: create it empty and private first (VACUUM
        // INTO fills an empty file and keeps its mode); an existing file is refused here.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        drop(options.open(path)?);
        // VACUUM INTO takes a read transaction: a consistent snapshot while writers go on.
        let copied = sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl WriteTx {
    pub async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

/// The file a SQLite URL names (`sqlite://PATH`, `sqlite:PATH`, without `?options`), or
/// none for an in-memory database.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, options) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || options.contains("mode=memory") {
        return None;
    }
    Some(std::path::PathBuf::from(path))
}

/// Makes a SQLite database file readable by its owner only: creates it `0600` when it is
/// missing (SQLite gives its `-wal` and `-shm` files the database file's mode), and takes
/// group and other access away from an existing one and its `-wal` and `-shm` (a
/// database created before this rule, or copied in). The directory is the caller's.
pub fn private_sqlite_file(path: &std::path::Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            // A missing directory: SQLite names the problem when it opens the file.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        let name = path.as_os_str().to_owned();
        for suffix in ["", "-wal", "-shm"] {
            let mut p = name.clone();
            p.push(suffix);
            let p = std::path::PathBuf::from(p);
            if let Ok(meta) = std::fs::metadata(&p)
                && meta.permissions().mode() & 0o077 != 0
            {
                let mode = meta.permissions().mode() & 0o700;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The current time as stored: RFC 3339, UTC, milliseconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Typed reads of the columns every table has: a date stored as `YYYY-MM-DD` text and a
/// code of a domain vocabulary. A value that does not read back is corruption, named.
pub(crate) mod column {
    use chrono::NaiveDate;
    use qaward_domain::text::{Vocabulary, parse};
    use sqlx::Row;
    use sqlx::any::AnyRow;

    use crate::{Result, StoreError};

    pub fn date(r: &AnyRow, col: &str) -> Result<NaiveDate> {
        let s: String = r.try_get(col)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("{col}: date `{s}`")))
    }

    /// A date column that may be empty.
    pub fn opt_date(r: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
        match r.try_get::<Option<String>, _>(col)? {
            None => Ok(None),
            Some(_) => date(r, col).map(Some),
        }
    }

    pub fn code<T: Vocabulary>(r: &AnyRow, col: &str) -> Result<T> {
        let s: String = r.try_get(col)?;
        parse(&s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
    }

    pub fn flag(r: &AnyRow, col: &str) -> Result<bool> {
        Ok(r.try_get::<i64, _>(col)? != 0)
    }

    /// `{cycle} IN (the cycles of $first, …)`: a condition that a row's cycle column is
    /// of one of `n` programs bound from `$first` on; none matches nothing.
    pub fn of_programs(cycle: &str, first: usize, n: usize) -> String {
        format!(
            "{cycle} IN (SELECT id FROM cycles WHERE program_id IN ({}))",
            placeholders(first, n)
        )
    }

    /// `$first, $first+1, …` for `n` values of an `IN` list; `NULL` for none, which
    /// matches nothing.
    pub fn placeholders(first: usize, n: usize) -> String {
        if n == 0 {
            return "NULL".into();
        }
        (first..first + n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

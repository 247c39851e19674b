//! The commands that open the database: `serve`, `migrate`, `audit verify`,
//! `audit replace-key`, `keys rotate`, `backup`, `restore` and `admin create-user`. Those that write (`serve`, `admin create-user`)
//! load the audit key, creating it at the first start; those that check the chain
//! (`audit verify`, `restore`) use it when it is there and never create it.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use qaward_app::{App, accounts, demo};
use qaward_store::audit::key::Opened;
use qaward_store::blobs::{FsBlobStore, blob_dir};
use qaward_store::{Backend, Store, audit, seal};

use crate::cli::Outcome;
use crate::config::{Config, LogFormat, redact_url};
use crate::data;

/// Logs to standard error, as text or JSON, filtered by `RUST_LOG` (default `info`).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Creates the data directory readable by the server's user only, or takes group and
/// other access away from an existing one: it holds the database and applicants'
/// materials. An operator who shares it on purpose (a directory they do not own) is
/// warned, not stopped.
fn private_data_dir(dir: &Path) -> anyhow::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0
            && let Err(e) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        {
            tracing::warn!(dir = %dir.display(), error = %e, "the data directory is open to other users");
        }
    }
    Ok(())
}

/// A file of the data directory (a lock, a staged copy of the database) readable by the
/// server's user only.
fn private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    if Backend::from_url(&config.database)? == Backend::Sqlite {
        private_data_dir(&config.data)?;
    }
    let store = Store::connect(&config.database, None).await?;
    store
        .migrate()
        .await
        .context("applying the database migrations")?;
    Ok(store)
}

/// Gives a store that writes its audit key: loaded from `audit_key_file`, or created
/// there at the first start (see `qaward_store::audit::key::open` for when it refuses).
async fn with_audit_key(config: &Config, store: Store) -> anyhow::Result<Store> {
    let path = &config.audit_key_file;
    let (key, opened) = audit::key::open(&store, path).await?;
    match opened {
        Opened::Created { seq } => tracing::warn!(
            key = %key.id(), file = %path.display(), from_entry = seq,
            "created the audit key: back it up now, apart from the database (README: \"The audit key\")"
        ),
        Opened::Adopted { seq } => tracing::info!(
            key = %key.id(), file = %path.display(), from_entry = seq,
            "the new audit chain is keyed with the key file that was there"
        ),
        Opened::Loaded => {
            tracing::info!(key = %key.id(), file = %path.display(), "audit key loaded")
        }
    }
    Ok(store.with_audit_key(key))
}

/// A store for checking the chain: with the key from `audit_key_file` when that file
/// exists, never creating one (a verification must not change what it checks).
fn with_key_if_any(config: &Config, store: Store) -> anyhow::Result<Store> {
    Ok(match audit::AuditKey::read_file(&config.audit_key_file)? {
        Some(key) => store.with_audit_key(key),
        None => store,
    })
}

/// Loads the sealing keys from `seal_key_file`, creating the file at the first start
/// (see `qaward_store::seal::open` for when it refuses).
async fn sealing_keys(config: &Config, store: &Store) -> anyhow::Result<seal::Keyring> {
    let path = &config.seal_key_file;
    let (ring, opened) = seal::open(store, path).await?;
    let key = ring.current().id();
    match opened {
        seal::Opened::Created => tracing::warn!(
            key = %key, file = %path.display(),
            "created the sealing key: back it up now, apart from the database (README: \"The sealing key\")"
        ),
        seal::Opened::Loaded => {
            tracing::info!(key = %key, file = %path.display(), "sealing keys loaded")
        }
    }
    Ok(ring)
}

/// Moves every sealed value to a new key (`qaward keys rotate`); refused while a server
/// runs on the SQLite data directory. PostgreSQL instances must be stopped by hand.
pub async fn keys_rotate(config: Config) -> anyhow::Result<Outcome> {
    let _lock = lock_data_dir(&config).context("stop the server before rotating the keys")?;
    let store = open_store(&config).await?;
    let r = seal::rotate(&store, &config.seal_key_file).await?;
    store.close().await;
    let path = config.seal_key_file.display();
    println!(
        "sealed values moved to key {} ({} resealed; retired {}); {path} now holds the new key \
         only. Back it up now, apart from the database, and replace the old copies.",
        r.key,
        r.resealed,
        r.retired.join(", ")
    );
    println!(
        "已更换封存密钥：{} 条封存数据改用新密钥 {}（停用 {}）；{path} 现只保存新密钥。请立即将其与数据库分开备份，并替换旧的备份。",
        r.resealed,
        r.key,
        r.retired.join("、")
    );
    Ok(Outcome::Yes)
}

/// Opens everything a use case needs, with the stored versions of the measures ready
/// (refused when a cycle's version is missing, or a configured policy file is not a
/// stored version: see [`qaward_app::policies::install`]).
pub async fn open_app(config: &Config) -> anyhow::Result<App> {
    let store = open_store(config).await?;
    let store = with_audit_key(config, store).await?;
    let keys = sealing_keys(config, &store).await?;
    let store = store.with_seal_keys(Arc::new(keys));
    let (policy_text, policy) = match &config.policy {
        Some(p) => {
            let text = data::read(p)?;
            let policy = qaward_domain::policy::Policy::from_toml(&p.display().to_string(), &text)?;
            (text, policy)
        }
        None => (data::POLICY_XINZHOU_2021.1.to_owned(), data::policy(None)?),
    };
    let calendar = data::calendar(config.calendar.as_deref())?;
    let app = App {
        store,
        blobs: FsBlobStore::new(blob_dir(&config.data)),
        policies: Arc::new(qaward_app::policies::Policies::new(
            policy,
            &policy_text,
            config.policy.is_some(),
        )),
        calendars: Arc::new(qaward_app::calendars::Calendars::new(calendar)),
        rubrics: Arc::new(data::rubrics(
            config.rubric_organization.as_deref(),
            config.rubric_individual.as_deref(),
        )?),
        settings: config.app_settings(),
    };
    for said in qaward_app::policies::install(&app).await? {
        tracing::info!("{said}");
    }
    // Awards recorded before bars were frozen are frozen under the version in force.
    let frozen = app.store.freeze_award_bars(&*app.policy().await?).await?;
    if frozen > 0 {
        tracing::info!(
            awards = frozen,
            "froze the A12.1/A28.3 bars of awards recorded before they were frozen"
        );
    }
    Ok(app)
}

/// Held while a server runs on a SQLite data directory, so that `restore` cannot replace
/// the database under it.
fn lock_data_dir(config: &Config) -> anyhow::Result<Option<std::fs::File>> {
    if Backend::from_url(&config.database)? != Backend::Sqlite {
        return Ok(None);
    }
    private_data_dir(&config.data)?;
    let path = config.data.join("serve.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    private_file(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(_) => bail!(
            "another qaward server is running on {}",
            config.data.display()
        ),
    }
}

/// The signals that stop the server, registered before it says it is serving: a SIGTERM
/// that arrives as early as the line "serving on" must still shut it down cleanly, which a
/// handler installed only when the shutdown future is first polled would miss (the process
/// would die of the signal instead).
struct Stop {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Stop {
    fn register() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Stop {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Stop {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        {
            let (mut term, mut int) = (self.term, self.int);
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! { _ = term => {}, _ = int => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing the requests in flight");
    }
}

/// Removes the temporary uploads of a process that stopped mid-upload. Holding the SQLite
/// data lock, no other server uses the directory; on PostgreSQL several may share it, and
/// another's upload in progress is written to all the time, so only the long untouched go.
async fn sweep_left_behind(app: &App, alone: bool) {
    let untouched_for = if alone {
        std::time::Duration::ZERO
    } else {
        std::time::Duration::from_secs(3600)
    };
    match app.blobs.sweep_tmp(untouched_for).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "removed temporary uploads left behind"),
        Err(e) => tracing::warn!(error = %e, "sweeping temporary uploads"),
    }
}

pub async fn serve(config: Config, demo_mode: bool) -> anyhow::Result<Outcome> {
    init_logging(config.log_format);
    let _lock = lock_data_dir(&config)?;
    let app = open_app(&config).await?;
    tracing::info!(database = %redact_url(&config.database), data = %config.data.display(), "database ready");
    sweep_left_behind(&app, _lock.is_some()).await;
    if demo_mode {
        match demo::seed(&app).await? {
            demo::DemoState::Seeded(accounts) | demo::DemoState::AlreadyDemo(accounts) => {
                println!("Demo accounts (password `{}`):", demo::PASSWORD);
                for (u, name) in accounts {
                    println!("  {u:<18} {name}");
                }
            }
        }
    }
    if let Some(w) = app
        .policy()
        .await?
        .validity_warning(app.today(), qaward_app::home::EXPIRY_WARNING_MONTHS)
    {
        tracing::warn!(
            "{}",
            qaward_app::messages::refusal(qaward_domain::text::Lang::En, &w)
        );
    }
    // The calendar in use is built now, so that a stored year that no longer fits the
    // shipped file stops the start rather than the first notice.
    if let Some(m) = app.calendar().await?.missing_year_warning(app.today()) {
        tracing::warn!(
            "{}",
            qaward_app::messages::render(qaward_domain::text::Lang::En, &m)
        );
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let stop = Stop::register();
    println!("qaward serving on http://{}", listener.local_addr()?);
    let sweeper = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                tick.tick().await;
                if let Err(e) = qaward_app::auth::sweep(&app).await {
                    tracing::warn!(error = %e, "sweeping expired sessions");
                }
            }
        })
    };
    let mailer = config.smtp.clone().map(|smtp| {
        let app = app.clone();
        tracing::info!(host = %smtp.host, port = smtp.port, "sending notification e-mail through SMTP");
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
            loop {
                tick.tick().await;
                if let Err(e) = qaward_app::mail::send_outbox(&app, &smtp).await {
                    tracing::warn!(error = %e, "sending the outbox");
                }
            }
        })
    });
    let web = config.web_config();
    let header_timeout = web.header_timeout;
    let router = qaward_web::build(app.clone(), web);
    qaward_web::serve(listener, router, header_timeout, stop.wait()).await?;
    sweeper.abort();
    if let Some(m) = mailer {
        m.abort();
    }
    app.store.close().await;
    Ok(Outcome::Yes)
}

pub async fn migrate(config: Config) -> anyhow::Result<Outcome> {
    let store = open_store(&config).await?;
    println!(
        "migrations applied to {} ({})",
        redact_url(&config.database),
        store.backend().as_str()
    );
    store.close().await;
    Ok(Outcome::Yes)
}

/// Recomputes the chain with the key of `audit_key_file` when it is there, and says what
/// it checked in English and in Chinese: exit 0 only when every entry was checked as far
/// as it can be (the MACs of keyed entries included), 1 otherwise.
pub async fn audit_verify(config: Config) -> anyhow::Result<Outcome> {
    // A verification only reads: it neither creates nor migrates the database, since an
    // auditor may run a newer binary on a copy that must stay as it was.
    if Backend::from_url(&config.database)? == Backend::Sqlite {
        let path = sqlite_path(&config)?;
        if !path.exists() {
            bail!("no database at {}: nothing to verify", path.display());
        }
    }
    let store = with_key_if_any(&config, Store::connect(&config.database, None).await?)?;
    let result = audit::verify(&store)
        .await
        .context("reading the audit chain")?;
    store.close().await;
    let path = config.audit_key_file.display();
    match result {
        Ok(v) if v.complete() => {
            println!("ok: {v}");
            println!("通过：{}", v.zh());
            Ok(Outcome::Yes)
        }
        Ok(v) => {
            println!("unverified: {v} (no key file at {path})");
            println!("未完成核验：{}（找不到密钥文件 {path}）", v.zh());
            Ok(Outcome::No)
        }
        Err(broken) => {
            println!("broken: {broken}");
            println!("校验失败：{}", broken.zh());
            Ok(Outcome::No)
        }
    }
}

/// Replaces a lost (or retired) audit key with a new one, recorded in the chain; refused
/// while a server runs on the SQLite data directory (its entries, keyed under the old
/// key, would break the chain). PostgreSQL instances must be stopped by hand.
pub async fn audit_replace_key(config: Config) -> anyhow::Result<Outcome> {
    let _lock = lock_data_dir(&config).context("stop the server before replacing the key")?;
    let store = open_store(&config).await?;
    let console = audit::Actor {
        user_id: None,
        name: "console".into(),
        role: "console".into(),
    };
    let (key, seq) = audit::key::replace(&store, &config.audit_key_file, console).await?;
    store.close().await;
    let (id, path) = (key.id(), config.audit_key_file.display());
    println!(
        "replaced the audit key: key {id} in {path}, from entry {seq}; the entries written under \
         the old key are checked from now on as a hash chain anchored by entry {seq}. Back up the \
         new key now, apart from the database."
    );
    println!(
        "已更换审计密钥：新密钥 {id} 保存于 {path}，自第 {seq} 条起使用；旧密钥下写入的记录今后只能作为哈希链核验，由第 {seq} 条锚定。请立即将新密钥与数据库分开备份。"
    );
    Ok(Outcome::Yes)
}

fn sqlite_path(config: &Config) -> anyhow::Result<PathBuf> {
    if Backend::from_url(&config.database)? != Backend::Sqlite {
        bail!(
            "this command works on the SQLite database; for PostgreSQL use pg_dump and pg_restore (see the README)"
        );
    }
    let path = config
        .database
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    Ok(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

pub async fn backup(config: Config, file: &Path) -> anyhow::Result<Outcome> {
    sqlite_path(&config)?;
    if file.exists() {
        bail!("{} exists; choose a new file name", file.display());
    }
    let store = open_store(&config).await?;
    let target = file
        .to_str()
        .context("the backup path is not valid UTF-8")?;
    store.backup_sqlite(target).await?;
    store.close().await;
    println!("backed up {} to {}", config.database, file.display());
    Ok(Outcome::Yes)
}

pub async fn restore(config: Config, file: &Path) -> anyhow::Result<Outcome> {
    let db = sqlite_path(&config)?;
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let _lock = lock_data_dir(&config).context("stop the server before restoring")?;
    // Check the backup on a copy beside the database, then move the copy into place.
    let staged = db.with_extension("db.restoring");
    std::fs::copy(file, &staged).with_context(|| format!("copying {}", file.display()))?;
    // `copy` gives the copy the backup's mode; the database is the server user's alone.
    private_file(&staged)?;
    let check = async {
        let store = Store::connect(&format!("sqlite://{}", staged.display()), None).await?;
        store.migrate().await?;
        // With the installation's key: a backup whose keyed entries were rewritten is no
        // backup, and one that cannot be checked is refused like one that fails.
        let store = with_key_if_any(&config, store)?;
        let verdict = audit::verify(&store).await?;
        store.close().await;
        anyhow::Ok(verdict)
    };
    match check.await {
        Ok(Ok(v)) if !v.complete() => {
            let _ = std::fs::remove_file(&staged);
            println!(
                "refused: the backup's audit chain cannot be checked without the audit key ({} not found): {v}",
                config.audit_key_file.display()
            );
            Ok(Outcome::No)
        }
        Ok(Ok(v)) => {
            for suffix in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(db.with_extension(suffix));
            }
            for suffix in ["db.restoring-wal", "db.restoring-shm"] {
                let _ = std::fs::remove_file(db.with_extension(suffix));
            }
            std::fs::rename(&staged, &db)
                .with_context(|| format!("moving the restored database to {}", db.display()))?;
            println!(
                "restored {} from {} ({} audit entries verified)",
                db.display(),
                file.display(),
                v.entries
            );
            Ok(Outcome::Yes)
        }
        Ok(Err(broken)) => {
            let _ = std::fs::remove_file(&staged);
            println!("refused: the backup's audit chain is broken: {broken}");
            Ok(Outcome::No)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            Err(e.context(format!("{} is not a qaward backup", file.display())))
        }
    }
}

/// Reads the new account's password from `QAWARD_PASSWORD` or the first line of
/// standard input, so that it never appears in the process list or shell history.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("QAWARD_PASSWORD") {
        return Ok(p);
    }
    eprintln!(
        "password (at least {} characters), then Enter:",
        qaward_app::auth::MIN_PASSWORD_CHARS
    );
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn create_user(
    config: Config,
    username: &str,
    display_name: Option<&str>,
    (role, scope, program): (&str, &str, Option<i64>),
) -> anyhow::Result<Outcome> {
    let grant = accounts::parse_grant(role, scope, program).map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = read_password()?;
    // The first command run on a new installation may be this one: it creates the audit
    // key, and the operator must hear of it.
    init_logging(config.log_format);
    let app = open_app(&config).await?;
    let (user, _) = accounts::create_staff_at_console(
        &app,
        &accounts::NewStaff {
            username: username.to_owned(),
            display_name: display_name.unwrap_or(username).to_owned(),
            password,
            email: None,
            grants: vec![grant],
            service: false,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    app.store.close().await;
    println!("created {} (id {}) as {role}", user.username, user.id);
    Ok(Outcome::Yes)
}

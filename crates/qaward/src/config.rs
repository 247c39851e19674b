//! Configuration, built once: defaults, then a TOML file (`--config` or `QAWARD_CONFIG`),
//! then `QAWARD_` environment variables, then flags. `qaward config print-default` prints
//! the file with every setting and its default. The database URL may hold a password, so
//! `Debug` redacts it.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use serde::{Deserialize, Serialize};

/// The settings as a file holds them: every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data: Option<PathBuf>,
    database: Option<String>,
    max_upload_bytes: Option<u64>,
    max_account_upload_bytes: Option<u64>,
    session_hours: Option<i64>,
    secure_cookies: Option<bool>,
    trusted_origins: Option<Vec<String>>,
    client_ip_header: Option<String>,
    log_format: Option<LogFormat>,
    policy: Option<PathBuf>,
    calendar: Option<PathBuf>,
    rubric_organization: Option<PathBuf>,
    rubric_individual: Option<PathBuf>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_from: Option<String>,
    smtp_username: Option<String>,
    smtp_password: Option<String>,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Where the data lives: shared by every command that opens the database.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The data directory: the SQLite file, uploaded files.
    #[arg(long, env = "QAWARD_DATA")]
    pub data: Option<PathBuf>,
    /// The database URL: sqlite:PATH or postgres://USER@HOST:PORT/DB (default: a SQLite
    /// file in the data directory).
    #[arg(long, env = "QAWARD_DATABASE")]
    pub database: Option<String>,
    /// A configuration file (see `qaward config print-default`).
    #[arg(long, env = "QAWARD_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The flags of `serve` beyond the store's.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "QAWARD_LISTEN")]
    pub listen: Option<String>,
    /// Uploads larger than this many bytes are refused.
    #[arg(long, env = "QAWARD_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<u64>,
    /// Hours a login lasts.
    #[arg(long, env = "QAWARD_SESSION_HOURS")]
    pub session_hours: Option<i64>,
    /// Mark the session cookie Secure (when served over HTTPS).
    #[arg(long, env = "QAWARD_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Log format.
    #[arg(long, env = "QAWARD_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Pretend today is this date (YYYY-MM-DD): for browser tests and demonstrations
    /// only, never in production.
    #[arg(long, env = "QAWARD_TODAY", value_parser = parse_today)]
    pub today: Option<chrono::NaiveDate>,
}

fn parse_today(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date of the form YYYY-MM-DD"))
}

/// The settings in force.
#[derive(Clone)]
pub struct Config {
    pub listen: String,
    pub data: PathBuf,
    pub database: String,
    pub max_upload_bytes: u64,
    pub max_account_upload_bytes: u64,
    pub session_hours: i64,
    pub secure_cookies: bool,
    pub trusted_origins: Vec<String>,
    pub client_ip_header: Option<String>,
    pub log_format: LogFormat,
    pub policy: Option<PathBuf>,
    pub calendar: Option<PathBuf>,
    pub rubric_organization: Option<PathBuf>,
    pub rubric_individual: Option<PathBuf>,
    pub today: Option<chrono::NaiveDate>,
    /// Where notification e-mail goes; without it, mail waits in the outbox.
    pub smtp: Option<qaward_app::mail::Smtp>,
}

/// Hides the password of a URL: `postgres://user:secret@host` → `postgres://user:***@host`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data", &self.data)
            .field("database", &redact_url(&self.database))
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("max_account_upload_bytes", &self.max_account_upload_bytes)
            .field("client_ip_header", &self.client_ip_header)
            .field("session_hours", &self.session_hours)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_origins", &self.trusted_origins)
            .field("log_format", &self.log_format)
            .field("smtp", &self.smtp)
            .finish()
    }
}

pub const DEFAULT_FILE: &str = r#"# qaward configuration. Every setting is optional; shown here with its default.
# Precedence: this file < QAWARD_* environment variables < command-line flags.

# Address and port to listen on (QAWARD_LISTEN, --listen).
listen = "127.0.0.1:8080"

# The data directory: the SQLite database and uploaded files (QAWARD_DATA, --data).
data = "data"

# The database (QAWARD_DATABASE, --database). Default: a SQLite file in the data
# directory. PostgreSQL: "postgres://USER:PASSWORD@HOST:5432/DB"; several instances can
# share one PostgreSQL database and one data directory for files.
# database = "postgres://postgres@127.0.0.1:5432/qaward"

# Uploads larger than this many bytes are refused (QAWARD_MAX_UPLOAD_BYTES).
max_upload_bytes = 20971520

# What one account may upload in all, in bytes.
max_account_upload_bytes = 1073741824

# Hours a login lasts (QAWARD_SESSION_HOURS).
session_hours = 12

# Mark the session cookie Secure: set when users reach qaward over HTTPS
# (QAWARD_SECURE_COOKIES).
secure_cookies = false

# Origins besides the server's own whose form posts are accepted, for example a
# reverse proxy's public address: ["https://award.example.gov.cn"].
trusted_origins = []

# Behind a reverse proxy: the header that carries the client's address, for login
# throttling per address ("X-Forwarded-For", whose last entry is used, or "X-Real-IP").
# Leave unset when clients connect directly: a client could forge the header.
# client_ip_header = "X-Forwarded-For"

# "text" or "json" (QAWARD_LOG_FORMAT).
log_format = "text"

# A policy file replacing the embedded 2021 Xinzhou measures, and a calendar file
# replacing the embedded working-day calendar.
# policy = "policy/xinzhou-2021.toml"
# calendar = "calendar/cn-working-days.toml"

# Rubric files replacing the embedded ones: the organization rubric (GB/T 19580-2012
# layout) and the individual one, provisional until the Office loads DB 14/T 1464.
# rubric_organization = "rubrics/org-gbt19580-2012.toml"
# rubric_individual = "rubrics/db14t1464.toml"

# A mail server for notification e-mails (plain SMTP, as intranet relays offer). Without
# one, mails wait in the outbox, which the admin can read at /admin/outbox. The password
# is better given as QAWARD_SMTP_PASSWORD than written here.
# smtp_host = "mail.example.gov.cn"
# smtp_port = 25
# smtp_from = "qaward@example.gov.cn"
# smtp_username = "qaward"
"#;

fn read_file(path: Option<&Path>) -> anyhow::Result<FileConfig> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    let de = toml::Deserializer::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e))?;
    serde_path_to_error::deserialize(de)
        .map_err(|e| anyhow::anyhow!("{}: field `{}`: {}", path.display(), e.path(), e.inner()))
}

impl Config {
    /// Layers file, environment and flags over the defaults.
    pub fn load(store: &StoreArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Self> {
        let file = read_file(store.config.as_deref())?;
        let data = store
            .data
            .clone()
            .or(file.data)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database = store
            .database
            .clone()
            .or(file.database)
            .unwrap_or_else(|| format!("sqlite://{}", data.join("qaward.db").display()));
        let s = serve.cloned();
        let pick = |flag: Option<String>, f: Option<String>, d: &str| {
            flag.or(f).unwrap_or_else(|| d.to_owned())
        };
        let config = Config {
            listen: pick(
                s.as_ref().and_then(|s| s.listen.clone()),
                file.listen,
                "127.0.0.1:8080",
            ),
            data,
            database,
            max_upload_bytes: s
                .as_ref()
                .and_then(|s| s.max_upload_bytes)
                .or(file.max_upload_bytes)
                .unwrap_or(20 * 1024 * 1024),
            session_hours: s
                .as_ref()
                .and_then(|s| s.session_hours)
                .or(file.session_hours)
                .unwrap_or(12),
            secure_cookies: s
                .as_ref()
                .and_then(|s| s.secure_cookies)
                .or(file.secure_cookies)
                .unwrap_or(false),
            max_account_upload_bytes: file.max_account_upload_bytes.unwrap_or(1024 * 1024 * 1024),
            trusted_origins: file.trusted_origins.unwrap_or_default(),
            client_ip_header: file.client_ip_header.filter(|h| !h.trim().is_empty()),
            log_format: s
                .as_ref()
                .and_then(|s| s.log_format)
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
            policy: file.policy,
            calendar: file.calendar,
            rubric_organization: file.rubric_organization,
            rubric_individual: file.rubric_individual,
            smtp: match file.smtp_host.filter(|h| !h.trim().is_empty()) {
                Some(host) => Some(qaward_app::mail::Smtp {
                    host,
                    port: file.smtp_port.unwrap_or(25),
                    from: file
                        .smtp_from
                        .ok_or_else(|| anyhow::anyhow!("smtp_from is required with smtp_host"))?,
                    username: file.smtp_username,
                    // A secret: preferably from the environment, not the file.
                    password: std::env::var("QAWARD_SMTP_PASSWORD")
                        .ok()
                        .or(file.smtp_password),
                }),
                None => None,
            },
            today: s.as_ref().and_then(|s| s.today),
        };
        if config.session_hours < 1 {
            anyhow::bail!("session_hours must be at least 1");
        }
        if config.max_upload_bytes == 0 {
            anyhow::bail!("max_upload_bytes must be at least 1");
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_and_matches_the_defaults() {
        let f: FileConfig = toml::from_str(DEFAULT_FILE).unwrap();
        assert_eq!(f.listen.as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(f.max_upload_bytes, Some(20 * 1024 * 1024));
        let c = Config::load(
            &StoreArgs {
                data: None,
                database: None,
                config: None,
            },
            None,
        )
        .unwrap();
        assert_eq!(Some(c.listen), f.listen);
        assert_eq!(Some(c.session_hours), f.session_hours);
    }

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/q"),
            "postgres://app:***@db:5432/q"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        let mut c = Config::load(
            &StoreArgs {
                data: None,
                database: None,
                config: None,
            },
            None,
        )
        .unwrap();
        c.database = "postgres://app:s3cret@db/q".into();
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[test]
    fn flags_override_the_file() {
        let dir = std::env::temp_dir().join(format!("qaward-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("q.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\nsession_hours = 4\n").unwrap();
        let store = StoreArgs {
            data: None,
            database: None,
            config: Some(file.clone()),
        };
        let serve = ServeArgs {
            listen: Some("127.0.0.1:7000".into()),
            max_upload_bytes: None,
            session_hours: None,
            secure_cookies: None,
            log_format: None,
            today: None,
        };
        let c = Config::load(&store, Some(&serve)).unwrap();
        assert_eq!(c.listen, "127.0.0.1:7000");
        assert_eq!(c.session_hours, 4);
        std::fs::write(&file, "listne = \"x\"\n").unwrap();
        let e = Config::load(&store, None).unwrap_err().to_string();
        assert!(e.contains("listne"), "{e}");
        std::fs::remove_dir_all(dir).ok();
    }
}

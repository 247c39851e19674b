//! Configuration, built once: defaults, then a TOML file (`--config` or `QAWARD_CONFIG`),
//! then `QAWARD_*` environment variables, then flags.
//!
//! Each default lives in one place: the use cases' settings (upload limits, session
//! length, throttling limits) in `qaward_app::Settings::default()`, the web's (cookies,
//! origins, timeouts) in `qaward_web::WebConfig::default()`, the rest in
//! [`Config::default`], which starts from them. `qaward config print-default` renders its
//! file from those values
//! ([`default_file`]), and a test resolves that file and compares every field. Every
//! setting is a file key, an environment variable and a flag (the list is
//! [`layer::SETTINGS`]), with two exceptions: the SMTP password has no flag, and `today` is
//! no file key ([`layer::NO_FLAG`], [`layer::NOT_IN_FILE`] say why). Secrets (the database
//! URL's password, the SMTP password) are redacted by `Debug`.

mod args;
mod default_file;
mod layer;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

pub use args::{DataFileArgs, ServeArgs, StoreArgs};
pub use default_file::default_file;
pub use layer::{Env, Layer, process_env};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

/// The port of an SMTP relay unless `smtp_port` says otherwise. A constant rather than a
/// `Config` field because it only exists inside `smtp`, which is unset by default.
pub const DEFAULT_SMTP_PORT: u16 = 25;

/// The settings in force.
#[derive(Clone)]
pub struct Config {
    pub listen: String,
    pub data: PathBuf,
    pub database: String,
    /// The HMAC-SM3 key of the audit chain: a file outside the database.
    pub audit_key_file: PathBuf,
    /// The SM4 keys that seal reporters' identities (A27.2): a file outside the database.
    pub seal_key_file: PathBuf,
    pub max_upload_bytes: u64,
    pub max_account_upload_bytes: u64,
    pub session_hours: i64,
    /// The limits on failed logins and registrations, by address and by account.
    pub throttle: qaward_app::Throttle,
    pub secure_cookies: bool,
    pub trusted_origins: Vec<String>,
    pub client_ip_header: Option<String>,
    /// Seconds a client may take to send a request's headers (and may stay idle).
    pub header_timeout_secs: u64,
    /// Seconds a request's body may stall.
    pub body_timeout_secs: u64,
    /// How to reach the Award Office, on the public pages and the login page.
    pub office_contact: String,
    pub log_format: LogFormat,
    pub policy: Option<PathBuf>,
    pub calendar: Option<PathBuf>,
    pub rubric_organization: Option<PathBuf>,
    pub rubric_individual: Option<PathBuf>,
    /// The CJK font (TrueType) the PDF certificates are set in.
    pub cjk_font: PathBuf,
    pub today: Option<chrono::NaiveDate>,
    /// Where notification e-mail goes; without it, mail waits in the outbox.
    pub smtp: Option<qaward_app::mail::Smtp>,
}

/// The SQLite database inside a data directory: the default database.
fn sqlite_in(data: &Path) -> String {
    format!("sqlite://{}", data.join("qaward.db").display())
}

/// The audit key inside a data directory: the default key file. Beside the SQLite file,
/// but not in it: a copy of the database (or a PostgreSQL login) does not carry the key.
fn audit_key_in(data: &Path) -> PathBuf {
    data.join("audit.key")
}

/// The sealing keys inside a data directory: the default file, beside the audit key.
fn seal_key_in(data: &Path) -> PathBuf {
    data.join("seal.key")
}

/// The built-in defaults: the one place each is written.
impl Default for Config {
    fn default() -> Self {
        let settings = qaward_app::Settings::default();
        let web = qaward_web::WebConfig::default();
        let data = PathBuf::from("data");
        Config {
            listen: "127.0.0.1:8080".into(),
            database: sqlite_in(&data),
            audit_key_file: audit_key_in(&data),
            seal_key_file: seal_key_in(&data),
            data,
            max_upload_bytes: settings.max_upload_bytes,
            max_account_upload_bytes: settings.max_account_upload_bytes,
            session_hours: settings.session_hours,
            throttle: settings.throttle,
            secure_cookies: web.secure_cookies,
            trusted_origins: web.trusted_origins,
            client_ip_header: web.client_ip_header,
            header_timeout_secs: web.header_timeout.as_secs(),
            body_timeout_secs: web.body_timeout.as_secs(),
            office_contact: web.office_contact,
            log_format: LogFormat::Text,
            policy: None,
            calendar: None,
            rubric_organization: None,
            rubric_individual: None,
            cjk_font: settings.cjk_font,
            today: None,
            smtp: None,
        }
    }
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
            .field("audit_key_file", &self.audit_key_file)
            .field("seal_key_file", &self.seal_key_file)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("max_account_upload_bytes", &self.max_account_upload_bytes)
            .field("session_hours", &self.session_hours)
            .field("throttle", &self.throttle)
            .field("secure_cookies", &self.secure_cookies)
            .field("trusted_origins", &self.trusted_origins)
            .field("client_ip_header", &self.client_ip_header)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("body_timeout_secs", &self.body_timeout_secs)
            .field("office_contact", &self.office_contact)
            .field("log_format", &self.log_format)
            .field("policy", &self.policy)
            .field("calendar", &self.calendar)
            .field("rubric_organization", &self.rubric_organization)
            .field("rubric_individual", &self.rubric_individual)
            .field("cjk_font", &self.cjk_font)
            .field("today", &self.today)
            // `Smtp`'s own Debug redacts the password.
            .field("smtp", &self.smtp)
            .finish()
    }
}

/// A value that says something: blank strings from a file or a flag mean "unset".
fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

impl Config {
    /// Layers `flags` over the environment over the configuration file (`config_file`, or
    /// the one `QAWARD_CONFIG` names) over the defaults.
    pub fn load(config_file: Option<&Path>, flags: Layer, env: Env) -> anyhow::Result<Self> {
        let path = config_file
            .map(Path::to_path_buf)
            .or_else(|| layer::var(env, layer::CONFIG_ENV).map(PathBuf::from));
        let file = Layer::from_file(path.as_deref())?;
        Config::resolve(flags.or(Layer::from_env(env)?).or(file))
    }

    /// The settings `layer` gives, the defaults for the rest; checked.
    pub fn resolve(layer: Layer) -> anyhow::Result<Self> {
        let d = Config::default();
        let data = layer.data.unwrap_or(d.data);
        // The default database follows the data directory, wherever that was set.
        let database = given(layer.database).unwrap_or_else(|| sqlite_in(&data));
        // So does the audit key: it is kept beside the data it protects unless set.
        let audit_key_file = layer
            .audit_key_file
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| audit_key_in(&data));
        let seal_key_file = layer
            .seal_key_file
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| seal_key_in(&data));
        let smtp = match given(layer.smtp_host) {
            Some(host) => Some(qaward_app::mail::Smtp {
                host,
                port: layer.smtp_port.unwrap_or(DEFAULT_SMTP_PORT),
                from: given(layer.smtp_from).context("smtp_from is required with smtp_host")?,
                username: given(layer.smtp_username),
                password: layer.smtp_password.map(layer::Secret::expose),
            }),
            None => None,
        };
        let config = Config {
            listen: layer.listen.unwrap_or(d.listen),
            data,
            database,
            audit_key_file,
            seal_key_file,
            max_upload_bytes: layer.max_upload_bytes.unwrap_or(d.max_upload_bytes),
            max_account_upload_bytes: layer
                .max_account_upload_bytes
                .unwrap_or(d.max_account_upload_bytes),
            session_hours: layer.session_hours.unwrap_or(d.session_hours),
            throttle: qaward_app::Throttle {
                login_failures_per_address_and_account: layer
                    .login_failures_per_address_and_account
                    .unwrap_or(d.throttle.login_failures_per_address_and_account),
                login_failures_per_address: layer
                    .login_failures_per_address
                    .unwrap_or(d.throttle.login_failures_per_address),
                login_failures_per_account: layer
                    .login_failures_per_account
                    .unwrap_or(d.throttle.login_failures_per_account),
                registrations_per_address: layer
                    .registrations_per_address
                    .unwrap_or(d.throttle.registrations_per_address),
                objections_per_address: layer
                    .objections_per_address
                    .unwrap_or(d.throttle.objections_per_address),
                complaints_per_address: layer
                    .complaints_per_address
                    .unwrap_or(d.throttle.complaints_per_address),
                follow_up_lookups_per_address: layer
                    .follow_up_lookups_per_address
                    .unwrap_or(d.throttle.follow_up_lookups_per_address),
            },
            secure_cookies: layer.secure_cookies.unwrap_or(d.secure_cookies),
            // A list from an environment variable or a flag is split at commas: drop the
            // blanks that "a, b," or an empty value leave.
            trusted_origins: layer
                .trusted_origins
                .map(|l| {
                    l.into_iter()
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or(d.trusted_origins),
            client_ip_header: given(layer.client_ip_header).or(d.client_ip_header),
            header_timeout_secs: layer.header_timeout_secs.unwrap_or(d.header_timeout_secs),
            body_timeout_secs: layer.body_timeout_secs.unwrap_or(d.body_timeout_secs),
            office_contact: given(layer.office_contact).unwrap_or(d.office_contact),
            log_format: layer.log_format.unwrap_or(d.log_format),
            policy: layer.policy.or(d.policy),
            calendar: layer.calendar.or(d.calendar),
            rubric_organization: layer.rubric_organization.or(d.rubric_organization),
            rubric_individual: layer.rubric_individual.or(d.rubric_individual),
            cjk_font: layer
                .cjk_font
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(d.cjk_font),
            today: layer.today.or(d.today),
            smtp: smtp.or(d.smtp),
        };
        if config.session_hours < 1 {
            anyhow::bail!("session_hours must be at least 1");
        }
        if config.max_upload_bytes == 0 {
            anyhow::bail!("max_upload_bytes must be at least 1");
        }
        let t = &config.throttle;
        for (key, value) in [
            (
                "login_failures_per_address_and_account",
                t.login_failures_per_address_and_account,
            ),
            ("login_failures_per_address", t.login_failures_per_address),
            ("login_failures_per_account", t.login_failures_per_account),
            ("registrations_per_address", t.registrations_per_address),
            ("objections_per_address", t.objections_per_address),
            ("complaints_per_address", t.complaints_per_address),
            (
                "follow_up_lookups_per_address",
                t.follow_up_lookups_per_address,
            ),
        ] {
            if value < 1 {
                anyhow::bail!("{key} must be at least 1");
            }
        }
        if config.header_timeout_secs == 0 || config.body_timeout_secs == 0 {
            anyhow::bail!("header_timeout_secs and body_timeout_secs must be at least 1");
        }
        Ok(config)
    }

    /// The web application's settings.
    pub fn web_config(&self) -> qaward_web::WebConfig {
        qaward_web::WebConfig {
            secure_cookies: self.secure_cookies,
            trusted_origins: self.trusted_origins.clone(),
            client_ip_header: self.client_ip_header.clone(),
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
            body_timeout: std::time::Duration::from_secs(self.body_timeout_secs),
            office_contact: self.office_contact.clone(),
            ..qaward_web::WebConfig::default()
        }
    }

    /// The use cases' settings, with the clock `--today` fixes, if any.
    pub fn app_settings(&self) -> qaward_app::Settings {
        qaward_app::Settings {
            max_upload_bytes: self.max_upload_bytes,
            max_account_upload_bytes: self.max_account_upload_bytes,
            session_hours: self.session_hours,
            throttle: self.throttle,
            cjk_font: self.cjk_font.clone(),
            clock: self.today.map(qaward_app::Clock::fixed).unwrap_or_default(),
        }
    }
}

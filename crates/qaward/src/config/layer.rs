//! One layer of settings — the file, the environment or the flags — with every setting
//! optional. Layers stack with [`Layer::or`]; [`super::Config::resolve`] fills what no layer
//! sets from the defaults. The `settings!` list names each setting once with its
//! environment variable, so that the struct, the stacking, the environment reading and the
//! table the tests walk cannot disagree.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use serde::Deserialize;

use super::LogFormat;

/// Where the loader looks up environment variables: the process environment in the binary
/// ([`process_env`]), a map in tests, which then need not touch the (shared) process
/// environment.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The variable that names the configuration file (the flag is `--config`).
pub const CONFIG_ENV: &str = "QAWARD_CONFIG";

// The three tables below are the documentation of the rules and what the tests walk; the
// code enforces the rules by construction (no flag field, `serde(skip)`), so outside the
// tests nothing reads them.

/// Settings that have no flag: a secret on the command line shows in the process list and
/// the shell history.
#[cfg_attr(not(test), allow(dead_code))]
pub const NO_FLAG: &[&str] = &["smtp_password"];

/// Settings that are no file key: a fixed "today" is for demonstrations and tests, and a
/// file is what an installation keeps; left behind in it, a fixed date would silently stop
/// every deadline.
#[cfg_attr(not(test), allow(dead_code))]
pub const NOT_IN_FILE: &[&str] = &["today"];

/// A value that must not be printed: `Debug` shows `***`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How a setting is read from an environment variable. The flags use the same parsers
/// where clap's own would differ ([`parse_bool`], [`parse_date`]).
trait FromEnv: Sized {
    fn from_env(v: &str) -> Result<Self, String>;
}

impl FromEnv for String {
    fn from_env(v: &str) -> Result<Self, String> {
        Ok(v.to_owned())
    }
}

impl FromEnv for PathBuf {
    fn from_env(v: &str) -> Result<Self, String> {
        Ok(PathBuf::from(v))
    }
}

impl FromEnv for Secret {
    // Never fails: an error message would have to show the value.
    fn from_env(v: &str) -> Result<Self, String> {
        Ok(Secret(v.to_owned()))
    }
}

macro_rules! from_str_env {
    ($($t:ty),*) => {$(
        impl FromEnv for $t {
            fn from_env(v: &str) -> Result<Self, String> {
                v.trim().parse().map_err(|_| format!("`{v}` is not a whole number in range"))
            }
        }
    )*};
}
from_str_env!(u64, i64, u16);

impl FromEnv for bool {
    fn from_env(v: &str) -> Result<Self, String> {
        parse_bool(v)
    }
}

impl FromEnv for NaiveDate {
    fn from_env(v: &str) -> Result<Self, String> {
        parse_date(v)
    }
}

impl FromEnv for LogFormat {
    fn from_env(v: &str) -> Result<Self, String> {
        <LogFormat as clap::ValueEnum>::from_str(v.trim(), true)
            .map_err(|_| format!("`{v}` is not `text` or `json`"))
    }
}

/// A list in one variable or flag: comma-separated (origins contain no commas).
impl FromEnv for Vec<String> {
    fn from_env(v: &str) -> Result<Self, String> {
        Ok(v.split(',').map(str::to_owned).collect())
    }
}

/// `true`/`false` and the usual spellings (`1`/`0`, `yes`/`no`, `on`/`off`).
pub fn parse_bool(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("`{v}` is not true or false")),
    }
}

/// `YYYY-MM-DD`.
pub fn parse_date(v: &str) -> Result<NaiveDate, String> {
    let v = v.trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|_| v.len() == 10)
        .ok_or_else(|| format!("`{v}` is not a date of the form YYYY-MM-DD"))
}

/// The value of `name`, where a variable that is set but empty counts as unset, as clap
/// counts it for flags read from the environment: deployment files often set a variable to
/// nothing rather than leave it out.
pub fn var(env: Env, name: &str) -> Option<String> {
    env(name).filter(|v| !v.is_empty())
}

/// The process environment. A value that is not UTF-8 is passed on lossily rather than
/// dropped, so that it fails loudly (a path that does not exist, a number that does not
/// parse, both named) instead of being silently ignored.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

macro_rules! settings {
    ($($(#[$attr:meta])* $name:ident: $ty:ty = $env:literal,)*) => {
        /// One layer of settings; `None` leaves a setting to the layers below.
        #[derive(Debug, Default, Clone, PartialEq, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Layer {
            $($(#[$attr])* pub $name: Option<$ty>,)*
        }

        /// Every setting: its file key (also its flag, with `-` for `_`) and its
        /// environment variable.
        #[cfg_attr(not(test), allow(dead_code))]
        pub const SETTINGS: &[(&str, &str)] = &[$((stringify!($name), $env),)*];

        impl Layer {
            /// This layer over `lower`: a setting this layer leaves unset comes from there.
            pub fn or(self, lower: Layer) -> Layer {
                Layer { $($name: self.$name.or(lower.$name),)* }
            }

            /// The settings the environment gives; an unreadable value is an error naming
            /// its variable.
            pub fn from_env(env: Env) -> anyhow::Result<Layer> {
                Ok(Layer {
                    $($name: var(env, $env)
                        .map(|v| <$ty as FromEnv>::from_env(&v))
                        .transpose()
                        .map_err(|e| anyhow::anyhow!("{}: {e}", $env))?,)*
                })
            }
        }
    };
}

settings! {
    listen: String = "QAWARD_LISTEN",
    data: PathBuf = "QAWARD_DATA",
    database: String = "QAWARD_DATABASE",
    audit_key_file: PathBuf = "QAWARD_AUDIT_KEY_FILE",
    seal_key_file: PathBuf = "QAWARD_SEAL_KEY_FILE",
    max_upload_bytes: u64 = "QAWARD_MAX_UPLOAD_BYTES",
    max_account_upload_bytes: u64 = "QAWARD_MAX_ACCOUNT_UPLOAD_BYTES",
    session_hours: i64 = "QAWARD_SESSION_HOURS",
    login_failures_per_address_and_account: i64 = "QAWARD_LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT",
    login_failures_per_address: i64 = "QAWARD_LOGIN_FAILURES_PER_ADDRESS",
    login_failures_per_account: i64 = "QAWARD_LOGIN_FAILURES_PER_ACCOUNT",
    registrations_per_address: i64 = "QAWARD_REGISTRATIONS_PER_ADDRESS",
    objections_per_address: i64 = "QAWARD_OBJECTIONS_PER_ADDRESS",
    complaints_per_address: i64 = "QAWARD_COMPLAINTS_PER_ADDRESS",
    follow_up_lookups_per_address: i64 = "QAWARD_FOLLOW_UP_LOOKUPS_PER_ADDRESS",
    secure_cookies: bool = "QAWARD_SECURE_COOKIES",
    trusted_origins: Vec<String> = "QAWARD_TRUSTED_ORIGINS",
    client_ip_header: String = "QAWARD_CLIENT_IP_HEADER",
    header_timeout_secs: u64 = "QAWARD_HEADER_TIMEOUT_SECS",
    body_timeout_secs: u64 = "QAWARD_BODY_TIMEOUT_SECS",
    office_contact: String = "QAWARD_OFFICE_CONTACT",
    log_format: LogFormat = "QAWARD_LOG_FORMAT",
    policy: PathBuf = "QAWARD_POLICY",
    calendar: PathBuf = "QAWARD_CALENDAR",
    rubric_organization: PathBuf = "QAWARD_RUBRIC_ORGANIZATION",
    rubric_individual: PathBuf = "QAWARD_RUBRIC_INDIVIDUAL",
    cjk_font: PathBuf = "QAWARD_CJK_FONT",
    smtp_host: String = "QAWARD_SMTP_HOST",
    smtp_port: u16 = "QAWARD_SMTP_PORT",
    smtp_from: String = "QAWARD_SMTP_FROM",
    smtp_username: String = "QAWARD_SMTP_USERNAME",
    smtp_password: Secret = "QAWARD_SMTP_PASSWORD",
    // Skipped by serde, so that `deny_unknown_fields` refuses it in a file (NOT_IN_FILE).
    #[serde(skip)]
    today: NaiveDate = "QAWARD_TODAY",
}

impl Layer {
    /// The file at `path`, or nothing. Errors name the file and the dotted field.
    pub fn from_file(path: Option<&Path>) -> anyhow::Result<Layer> {
        let Some(path) = path else {
            return Ok(Layer::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        Layer::from_toml(&path.display().to_string(), &text)
    }

    /// The settings in `text`, a configuration file called `origin` in errors.
    pub fn from_toml(origin: &str, text: &str) -> anyhow::Result<Layer> {
        let de = toml::Deserializer::parse(text).map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
        serde_path_to_error::deserialize(de)
            .map_err(|e| anyhow::anyhow!("{origin}: field `{}`: {}", e.path(), e.inner()))
    }
}

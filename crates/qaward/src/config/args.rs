//! The flags: each setting's command-line form, turned into the top [`Layer`]. The
//! environment is read by the loader ([`super::Config::load`]), not by clap, so that one
//! function reads it for every setting and tests can give it an environment of their own;
//! the help texts name each flag's variable instead of clap's `[env: …]`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::LogFormat;
use super::layer::{Layer, parse_bool, parse_date};

/// Where the data lives: shared by every command that opens the database.
#[derive(Debug, Clone, Default, Args)]
pub struct StoreArgs {
    /// The data directory: the SQLite file, uploaded files (QAWARD_DATA).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The database URL: sqlite:PATH or postgres://USER@HOST:PORT/DB (default: a SQLite
    /// file in the data directory) (QAWARD_DATABASE).
    #[arg(long)]
    pub database: Option<String>,
    /// The audit key file: the HMAC-SM3 key of the audit chain, created at the first start
    /// (default: audit.key in the data directory) (QAWARD_AUDIT_KEY_FILE).
    #[arg(long)]
    pub audit_key_file: Option<PathBuf>,
    /// The sealing key file: the SM4 keys that seal reporters' identities, created at the
    /// first start (default: seal.key in the data directory) (QAWARD_SEAL_KEY_FILE).
    #[arg(long)]
    pub seal_key_file: Option<PathBuf>,
    /// A configuration file (see `qaward config print-default`) (QAWARD_CONFIG).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

impl StoreArgs {
    pub fn layer(&self) -> Layer {
        Layer {
            data: self.data.clone(),
            database: self.database.clone(),
            audit_key_file: self.audit_key_file.clone(),
            seal_key_file: self.seal_key_file.clone(),
            ..Layer::default()
        }
    }
}

/// The data files that replace the embedded ones: for every command that opens the
/// application (`serve`, `admin create-user`, which checks grants against the policy).
#[derive(Debug, Clone, Default, Args)]
pub struct DataFileArgs {
    /// A policy file replacing the embedded 2021 Xinzhou measures (QAWARD_POLICY).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// A calendar file replacing the embedded working-day calendar (QAWARD_CALENDAR).
    #[arg(long)]
    pub calendar: Option<PathBuf>,
    /// The organization rubric, replacing the embedded GB/T 19580-2012 one
    /// (QAWARD_RUBRIC_ORGANIZATION).
    #[arg(long)]
    pub rubric_organization: Option<PathBuf>,
    /// The individual rubric, replacing the embedded provisional one
    /// (QAWARD_RUBRIC_INDIVIDUAL).
    #[arg(long)]
    pub rubric_individual: Option<PathBuf>,
}

impl DataFileArgs {
    pub fn layer(&self) -> Layer {
        Layer {
            policy: self.policy.clone(),
            calendar: self.calendar.clone(),
            rubric_organization: self.rubric_organization.clone(),
            rubric_individual: self.rubric_individual.clone(),
            ..Layer::default()
        }
    }
}

/// The flags of `serve` beyond the store's. There is no flag for the SMTP password: give it
/// in the file or as QAWARD_SMTP_PASSWORD.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (QAWARD_LISTEN).
    #[arg(long)]
    pub listen: Option<String>,
    /// Uploads larger than this many bytes are refused (QAWARD_MAX_UPLOAD_BYTES).
    #[arg(long)]
    pub max_upload_bytes: Option<u64>,
    /// What one account may upload in all, in bytes (QAWARD_MAX_ACCOUNT_UPLOAD_BYTES).
    #[arg(long)]
    pub max_account_upload_bytes: Option<u64>,
    /// Hours a login lasts (QAWARD_SESSION_HOURS).
    #[arg(long)]
    pub session_hours: Option<i64>,
    /// Failed logins allowed for one account from one address within 15 minutes
    /// (QAWARD_LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT).
    #[arg(long)]
    pub login_failures_per_address_and_account: Option<i64>,
    /// Failed logins allowed from one address, for any accounts, within 15 minutes
    /// (QAWARD_LOGIN_FAILURES_PER_ADDRESS).
    #[arg(long)]
    pub login_failures_per_address: Option<i64>,
    /// Failed logins allowed for one account from all addresses within 15 minutes
    /// (QAWARD_LOGIN_FAILURES_PER_ACCOUNT).
    #[arg(long)]
    pub login_failures_per_account: Option<i64>,
    /// Registrations allowed from one address within an hour
    /// (QAWARD_REGISTRATIONS_PER_ADDRESS).
    #[arg(long)]
    pub registrations_per_address: Option<i64>,
    /// Public objections allowed from one address within an hour
    /// (QAWARD_OBJECTIONS_PER_ADDRESS).
    #[arg(long)]
    pub objections_per_address: Option<i64>,
    /// Complaints and their evidence files allowed from one address within an hour
    /// (QAWARD_COMPLAINTS_PER_ADDRESS).
    #[arg(long)]
    pub complaints_per_address: Option<i64>,
    /// Follow-up codes that match nothing allowed from one address within an hour
    /// (QAWARD_FOLLOW_UP_LOOKUPS_PER_ADDRESS).
    #[arg(long)]
    pub follow_up_lookups_per_address: Option<i64>,
    /// Mark the session cookie Secure, when served over HTTPS; `--secure-cookies` alone
    /// means true (QAWARD_SECURE_COOKIES).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool)]
    pub secure_cookies: Option<bool>,
    /// Origins besides the server's own whose form posts are accepted, comma-separated or
    /// repeated; an empty value clears the file's list (QAWARD_TRUSTED_ORIGINS).
    #[arg(long, value_delimiter = ',')]
    pub trusted_origins: Option<Vec<String>>,
    /// Behind a reverse proxy: the header with the client's address, `X-Forwarded-For` or
    /// `X-Real-IP`; an empty value unsets it (QAWARD_CLIENT_IP_HEADER).
    #[arg(long)]
    pub client_ip_header: Option<String>,
    /// Seconds a client may take to send a request's headers, and may leave its connection
    /// idle (QAWARD_HEADER_TIMEOUT_SECS).
    #[arg(long)]
    pub header_timeout_secs: Option<u64>,
    /// Seconds a request's body may stall before the request is refused (408)
    /// (QAWARD_BODY_TIMEOUT_SECS).
    #[arg(long)]
    pub body_timeout_secs: Option<u64>,
    /// How to reach the Award Office (its name, telephone and address), shown on the
    /// public home page and to whoever has forgotten a password; an empty value keeps the
    /// default (QAWARD_OFFICE_CONTACT).
    #[arg(long)]
    pub office_contact: Option<String>,
    /// The CJK TrueType font the PDF certificates are set in (QAWARD_CJK_FONT).
    #[arg(long)]
    pub cjk_font: Option<PathBuf>,
    /// Log format (QAWARD_LOG_FORMAT).
    #[arg(long, value_enum)]
    pub log_format: Option<LogFormat>,
    /// The SMTP relay for notification e-mail; unset, mail waits in the outbox
    /// (QAWARD_SMTP_HOST).
    #[arg(long)]
    pub smtp_host: Option<String>,
    /// The SMTP relay's port (QAWARD_SMTP_PORT).
    #[arg(long)]
    pub smtp_port: Option<u16>,
    /// The sender address of notification e-mail (QAWARD_SMTP_FROM).
    #[arg(long)]
    pub smtp_from: Option<String>,
    /// The SMTP login name, if the relay wants one (QAWARD_SMTP_USERNAME).
    #[arg(long)]
    pub smtp_username: Option<String>,
    /// Pretend today is this date (YYYY-MM-DD): for browser tests and demonstrations
    /// only, never in production; not a file setting (QAWARD_TODAY).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    #[command(flatten)]
    pub files: DataFileArgs,
}

impl ServeArgs {
    pub fn layer(&self) -> Layer {
        Layer {
            listen: self.listen.clone(),
            max_upload_bytes: self.max_upload_bytes,
            max_account_upload_bytes: self.max_account_upload_bytes,
            session_hours: self.session_hours,
            login_failures_per_address_and_account: self.login_failures_per_address_and_account,
            login_failures_per_address: self.login_failures_per_address,
            login_failures_per_account: self.login_failures_per_account,
            registrations_per_address: self.registrations_per_address,
            objections_per_address: self.objections_per_address,
            complaints_per_address: self.complaints_per_address,
            follow_up_lookups_per_address: self.follow_up_lookups_per_address,
            secure_cookies: self.secure_cookies,
            trusted_origins: self.trusted_origins.clone(),
            client_ip_header: self.client_ip_header.clone(),
            header_timeout_secs: self.header_timeout_secs,
            body_timeout_secs: self.body_timeout_secs,
            office_contact: self.office_contact.clone(),
            log_format: self.log_format,
            cjk_font: self.cjk_font.clone(),
            smtp_host: self.smtp_host.clone(),
            smtp_port: self.smtp_port,
            smtp_from: self.smtp_from.clone(),
            smtp_username: self.smtp_username.clone(),
            today: self.today,
            ..self.files.layer()
        }
    }
}

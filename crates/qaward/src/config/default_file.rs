//! The text `qaward config print-default` prints: every setting with its default, its
//! environment variable and its flag. The values are rendered from [`Config::default`]
//! rather than written out, so that the file cannot drift from the defaults; the prose is
//! here. The tests resolve this text and compare every field with the defaults, and check
//! that each setting is named with its variable and flag.

use super::{Config, DEFAULT_SMTP_PORT};

/// A TOML string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// The configuration file with every setting at its default.
pub fn default_file() -> String {
    let d = Config::default();
    let listen = quoted(&d.listen);
    let data = quoted(&d.data.display().to_string());
    let cjk_font = quoted(&d.cjk_font.display().to_string());
    let max_upload = d.max_upload_bytes;
    let max_account = d.max_account_upload_bytes;
    let session_hours = d.session_hours;
    let t = d.throttle;
    let (pair, per_address) = (
        t.login_failures_per_address_and_account,
        t.login_failures_per_address,
    );
    let (per_account, registrations) = (t.login_failures_per_account, t.registrations_per_address);
    let objections = t.objections_per_address;
    let (complaints, lookups) = (t.complaints_per_address, t.follow_up_lookups_per_address);
    let secure_cookies = d.secure_cookies;
    let origins = format!(
        "[{}]",
        d.trusted_origins
            .iter()
            .map(|o| quoted(o))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let header_timeout = d.header_timeout_secs;
    let body_timeout = d.body_timeout_secs;
    let office_contact = quoted(&d.office_contact);
    let log_format = quoted(d.log_format.as_str());
    let smtp_port = DEFAULT_SMTP_PORT;
    format!(
        r#"# qaward configuration: every setting, with its default. A commented-out line is a
# setting that is unset by default; the value shown is an example.
#
# Precedence: the defaults < this file (--config FILE, or QAWARD_CONFIG) < QAWARD_*
# environment variables < the flags of `qaward serve`. Each setting below names its
# variable and its flag. A variable that is set but empty counts as unset. A list given in
# a variable or a flag is comma-separated.

# Address and port to listen on. QAWARD_LISTEN, --listen.
listen = {listen}

# The data directory: the SQLite database and uploaded files. QAWARD_DATA, --data (also
# on migrate, audit verify, backup, restore and admin create-user).
data = {data}

# The database. Default: the SQLite file qaward.db in the data directory. PostgreSQL:
# "postgres://USER:PASSWORD@HOST:5432/DB"; several instances can share one PostgreSQL
# database and one data directory for files. QAWARD_DATABASE, --database (also on the
# commands above).
# database = "postgres://postgres@127.0.0.1:5432/qaward"

# The audit key: 32 random bytes, under which every audit entry carries an HMAC-SM3 MAC,
# so that `qaward audit verify` catches a rewrite of the log by someone who can write the
# database but has not the key. Created, readable by its owner only, at the first start;
# never replaced once entries are keyed: a start without it is refused. Back it up apart
# from the database (README: "The audit key"). Instances sharing one PostgreSQL database
# must share this file. Default: audit.key in the data directory. QAWARD_AUDIT_KEY_FILE,
# --audit-key-file (also on audit verify, restore and admin create-user).
# audit_key_file = "/etc/qaward/audit.key"

# The sealing keys: SM4 keys under which reporters' names and contacts are stored (A27.2),
# readable only by the supervision group. Created, readable by its owner only, at the
# first start; a start without the key the stored values need is refused. Lose it and the
# sealed identities are lost for good: back it up apart from the database (README: "The
# sealing key"); `qaward keys rotate` moves everything to a new key. Instances sharing one
# PostgreSQL database must share this file. Default: seal.key in the data directory.
# QAWARD_SEAL_KEY_FILE, --seal-key-file (also on keys rotate and admin create-user).
# seal_key_file = "/etc/qaward/seal.key"

# Uploads larger than this many bytes are refused. QAWARD_MAX_UPLOAD_BYTES,
# --max-upload-bytes.
max_upload_bytes = {max_upload}

# What one account may upload in all, in bytes. QAWARD_MAX_ACCOUNT_UPLOAD_BYTES,
# --max-account-upload-bytes.
max_account_upload_bytes = {max_account}

# Hours a login lasts. QAWARD_SESSION_HOURS, --session-hours.
session_hours = {session_hours}

# Failed logins allowed for one account from one address within 15 minutes; then that
# address is refused for that account until the window has passed.
# QAWARD_LOGIN_FAILURES_PER_ADDRESS_AND_ACCOUNT, --login-failures-per-address-and-account.
login_failures_per_address_and_account = {pair}

# Failed logins allowed from one address, for any accounts or names, within 15 minutes.
# QAWARD_LOGIN_FAILURES_PER_ADDRESS, --login-failures-per-address.
login_failures_per_address = {per_address}

# Failed logins allowed for one account from all addresses together within 15 minutes: it
# bounds a guess spread over many addresses, and then locks the owner out too.
# QAWARD_LOGIN_FAILURES_PER_ACCOUNT, --login-failures-per-account.
login_failures_per_account = {per_account}

# Registrations allowed from one address within an hour. QAWARD_REGISTRATIONS_PER_ADDRESS,
# --registrations-per-address.
registrations_per_address = {registrations}

# Public objections allowed from one address within an hour (anyone may object without
# logging in). QAWARD_OBJECTIONS_PER_ADDRESS, --objections-per-address.
objections_per_address = {objections}

# Complaints to the supervision group, and evidence files added to them, allowed from one
# address within an hour (A27). QAWARD_COMPLAINTS_PER_ADDRESS, --complaints-per-address.
complaints_per_address = {complaints}

# Follow-up codes (of objections and complaints) that match nothing, allowed from one
# address within an hour: a code cannot be found by guessing.
# QAWARD_FOLLOW_UP_LOOKUPS_PER_ADDRESS, --follow-up-lookups-per-address.
follow_up_lookups_per_address = {lookups}

# Mark the session cookie Secure: set when users reach qaward over HTTPS.
# QAWARD_SECURE_COOKIES, --secure-cookies.
secure_cookies = {secure_cookies}

# Origins besides the server's own whose form posts are accepted, for example a reverse
# proxy's public address: ["https://award.example.gov.cn"]. QAWARD_TRUSTED_ORIGINS,
# --trusted-origins (comma-separated).
trusted_origins = {origins}

# Behind a reverse proxy: the header that carries the client's address, for login
# throttling per address ("X-Forwarded-For", whose last entry is used, or "X-Real-IP").
# Leave unset when clients connect directly: a client could forge the header.
# QAWARD_CLIENT_IP_HEADER, --client-ip-header.
# client_ip_header = "X-Forwarded-For"

# Seconds a client may take to send a request's headers; a connection left idle this long
# is closed too, so that slow or silent clients cannot hold connections open.
# QAWARD_HEADER_TIMEOUT_SECS, --header-timeout-secs.
header_timeout_secs = {header_timeout}

# Seconds a request's body may stall (no bytes arriving) before the request is refused with
# 408 and its connection closed; a body that keeps arriving is bounded by the size limits.
# QAWARD_BODY_TIMEOUT_SECS, --body-timeout-secs.
body_timeout_secs = {body_timeout}

# How to reach the Award Office: shown on the public home page and to whoever has forgotten
# a password (passwords are reset by an administrator, not by e-mail). Give its telephone
# number and address, for example "忻州市标准化和质量强市领导小组办公室，电话 0350-0000000，
# 地址……". QAWARD_OFFICE_CONTACT, --office-contact.
office_contact = {office_contact}

# "text" or "json". QAWARD_LOG_FORMAT, --log-format.
log_format = {log_format}

# A policy file replacing the embedded 2021 Xinzhou measures. QAWARD_POLICY, --policy.
# policy = "policy/xinzhou-2021.toml"

# A calendar file replacing the embedded working-day calendar. QAWARD_CALENDAR,
# --calendar.
# calendar = "calendar/cn-working-days.toml"

# The organization rubric (GB/T 19580-2012 layout) replacing the embedded one.
# QAWARD_RUBRIC_ORGANIZATION, --rubric-organization.
# rubric_organization = "rubrics/org-gbt19580-2012.toml"

# The individual rubric, provisional until the Office loads DB 14/T 1464, replacing the
# embedded one. QAWARD_RUBRIC_INDIVIDUAL, --rubric-individual.
# rubric_individual = "rubrics/individual-provisional.toml"

# The CJK TrueType font the PDF certificates are set in (Debian: fonts-droid-fallback).
# QAWARD_CJK_FONT, --cjk-font.
cjk_font = {cjk_font}

# A mail server for notification e-mail (plain SMTP, as intranet relays offer). Without
# smtp_host, mail waits in the outbox, which the admin can read at /admin/outbox.

# The mail server's host. QAWARD_SMTP_HOST, --smtp-host.
# smtp_host = "mail.example.gov.cn"

# Its port. QAWARD_SMTP_PORT, --smtp-port.
smtp_port = {smtp_port}

# The sender address, required with smtp_host. QAWARD_SMTP_FROM, --smtp-from.
# smtp_from = "qaward@example.gov.cn"

# The login name, if the server wants one. QAWARD_SMTP_USERNAME, --smtp-username.
# smtp_username = "qaward"

# The password: better given as QAWARD_SMTP_PASSWORD than written here. There is no flag,
# because the command line shows in the process list.
# smtp_password = "…"

# Not a file setting: --today YYYY-MM-DD (QAWARD_TODAY) makes the server pretend that
# today is that date, for demonstrations and browser tests only. Left in a file, it would
# freeze every deadline of a real installation.
"#
    )
}

//! The throttles on failed logins and on registrations (issue #8), counted in the database
//! so that they hold across instances.
//!
//! Failed logins are limited three ways within [`LOGIN_WINDOW_MINUTES`]:
//!
//! - per account *and* address, strictly (5 by default): a stranger guessing at an account
//!   is stopped after a few tries, from his own address only;
//! - per address, whatever the accounts or names (20): one address cannot sweep many
//!   accounts, nor try name after name;
//! - per account from all addresses together, much higher (100): an attack spread over many
//!   addresses is still bounded, at the price of locking the owner out too once it is
//!   reached.
//!
//! A stranger's failures therefore never stop the owner logging in from another address,
//! unless a distributed attack reaches the account-wide limit. A name that is no account
//! counts against its address only, and is stored nowhere (it may be a password typed into
//! the wrong field). A request already throttled stores nothing but its audit entry, whose
//! size is bounded (a username is at most [`crate::auth::MAX_USERNAME_CHARS`]).
//!
//! Registrations are limited per address within [`PER_ADDRESS_WINDOW_MINUTES`], counted
//! when a registration gets as far as hashing its password (so refused forms cost nothing,
//! but each attempt at a taken credit code or number counts); public objections and
//! complaints likewise, counted once they have passed their checks. Follow-up codes that
//! match nothing are counted per address, and past the limit no code is looked up at all.

use chrono::{Duration, SecondsFormat, Utc};
use qaward_domain::ids::UserId;
use qaward_store::throttle::{AttemptCounts, AttemptKind};
use serde_json::json;

use crate::audit::{self, AuditAction, Object, Who};
use crate::{App, AppError};

/// The window failed logins are counted in.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// The window registrations and public objections are counted in, per address.
pub const PER_ADDRESS_WINDOW_MINUTES: i64 = 60;

/// How many attempts the throttles allow. The defaults are the one place these numbers
/// live; the binary's configuration may change each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failed logins for one account from one address.
    pub login_failures_per_address_and_account: i64,
    /// Failed logins from one address, for any account or name.
    pub login_failures_per_address: i64,
    /// Failed logins for one account from every address together.
    pub login_failures_per_account: i64,
    /// Registrations from one address.
    pub registrations_per_address: i64,
    /// Public objections from one address.
    pub objections_per_address: i64,
    /// Complaints, and evidence files added to them, from one address (A27).
    pub complaints_per_address: i64,
    /// Follow-up codes asked for that match nothing, from one address: a code cannot be
    /// found by guessing.
    pub follow_up_lookups_per_address: i64,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            login_failures_per_address_and_account: 5,
            login_failures_per_address: 20,
            login_failures_per_account: 100,
            registrations_per_address: 10,
            objections_per_address: 5,
            complaints_per_address: 10,
            follow_up_lookups_per_address: 20,
        }
    }
}

fn since(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The limit `counts` plus `more` attempts would break, if any.
fn broken(counts: AttemptCounts, t: &Throttle, more: i64) -> Option<&'static str> {
    if counts.pair + more > t.login_failures_per_address_and_account {
        Some("account-and-address")
    } else if counts.account + more > t.login_failures_per_account {
        Some("account")
    } else if counts.address + more > t.login_failures_per_address {
        Some("address")
    } else {
        None
    }
}

fn refused(window_minutes: i64) -> AppError {
    AppError::TooManyAttempts {
        retry_after_secs: (window_minutes * 60) as u64,
    }
}

/// The object a login attempt is about: the account, or no name at all.
pub(crate) fn account_object(account: Option<UserId>) -> Object {
    account.map(Object::User).unwrap_or(Object::UnknownAccount)
}

/// Refuses a login for `account` (or a name that is none) from `address` that would break
/// a limit, or records it as a failure until its password proves it right. Concurrent
/// attempts are all recorded before any is counted again, so of a burst at most the limit
/// get as far as the password check.
pub(crate) async fn login_attempt(
    app: &App,
    account: Option<UserId>,
    address: &str,
) -> Result<(), AppError> {
    let t = &app.settings.throttle;
    let window = since(LOGIN_WINDOW_MINUTES);
    let kind = AttemptKind::LoginFailure;
    let counts = app
        .store
        .attempts_since(kind, account, address, &window)
        .await?;
    if let Some(limit) = broken(counts, t, 1) {
        return login_throttled(app, account, address, limit).await;
    }
    let mut tx = app.store.write().await?;
    tx.record_attempt(kind, account, address).await?;
    tx.commit().await?;
    let counts = app
        .store
        .attempts_since(kind, account, address, &window)
        .await?;
    match broken(counts, t, 0) {
        Some(limit) => login_throttled(app, account, address, limit).await,
        None => Ok(()),
    }
}

async fn login_throttled(
    app: &App,
    account: Option<UserId>,
    address: &str,
    limit: &str,
) -> Result<(), AppError> {
    audit::record(
        app,
        Who::Public,
        AuditAction::LoginThrottled,
        account_object(account),
        json!({ "address": address, "limit": limit }),
    )
    .await?;
    Err(refused(LOGIN_WINDOW_MINUTES))
}

async fn attempts_from(
    app: &App,
    kind: AttemptKind,
    address: &str,
    window: &str,
) -> Result<i64, AppError> {
    let counts = app
        .store
        .attempts_since(kind, None, address, window)
        .await?;
    Ok(counts.address)
}

/// Refuses an attempt of `kind` from `address` beyond `limit` within the hour, or records
/// it; a refusal is audited as `action`.
async fn per_address(
    app: &App,
    kind: AttemptKind,
    limit: i64,
    address: &str,
    action: AuditAction,
) -> Result<(), AppError> {
    let window = since(PER_ADDRESS_WINDOW_MINUTES);
    let mut over = attempts_from(app, kind, address, &window).await? >= limit;
    if !over {
        let mut tx = app.store.write().await?;
        tx.record_attempt(kind, None, address).await?;
        tx.commit().await?;
        over = attempts_from(app, kind, address, &window).await? > limit;
    }
    if !over {
        return Ok(());
    }
    audit::record(
        app,
        Who::Public,
        action,
        Object::UnknownAccount,
        json!({ "address": address, "limit": limit }),
    )
    .await?;
    Err(refused(PER_ADDRESS_WINDOW_MINUTES))
}

/// Refuses a registration from `address` beyond the limit, or records it.
pub(crate) async fn registration_attempt(app: &App, address: &str) -> Result<(), AppError> {
    let limit = app.settings.throttle.registrations_per_address;
    per_address(
        app,
        AttemptKind::Registration,
        limit,
        address,
        AuditAction::RegistrationThrottled,
    )
    .await
}

/// Refuses a public objection from `address` beyond the limit, or records it: anyone may
/// object without logging in (A26), so an address is all there is to count by.
pub(crate) async fn objection_attempt(app: &App, address: &str) -> Result<(), AppError> {
    let limit = app.settings.throttle.objections_per_address;
    per_address(
        app,
        AttemptKind::Objection,
        limit,
        address,
        AuditAction::ObjectionThrottled,
    )
    .await
}

/// The moment before which no attempt counts any more: older ones may be removed.
pub(crate) fn attempts_expire_before() -> String {
    since(LOGIN_WINDOW_MINUTES.max(PER_ADDRESS_WINDOW_MINUTES))
}

/// Refuses a complaint, or an evidence file added to one, from `address` beyond the limit,
/// or records it: anyone may complain without logging in (A27.1).
pub(crate) async fn complaint_attempt(app: &App, address: &str) -> Result<(), AppError> {
    let limit = app.settings.throttle.complaints_per_address;
    per_address(
        app,
        AttemptKind::Complaint,
        limit,
        address,
        AuditAction::ComplaintThrottled,
    )
    .await
}

/// Refuses a follow-up lookup from an address that has asked for too many codes that
/// matched nothing within the hour — whether or not this code is right, so that the
/// answer cannot tell a guesser when he has found one.
pub(crate) async fn follow_up_allowed(app: &App, address: &str) -> Result<(), AppError> {
    let window = since(PER_ADDRESS_WINDOW_MINUTES);
    let limit = app.settings.throttle.follow_up_lookups_per_address;
    if attempts_from(app, AttemptKind::FollowUpMiss, address, &window).await? < limit {
        return Ok(());
    }
    audit::record(
        app,
        Who::Public,
        AuditAction::FollowUpThrottled,
        Object::UnknownAccount,
        json!({ "address": address, "limit": limit }),
    )
    .await?;
    Err(refused(PER_ADDRESS_WINDOW_MINUTES))
}

/// Counts a follow-up code that matched nothing against its address.
pub(crate) async fn follow_up_missed(app: &App, address: &str) -> Result<(), AppError> {
    let mut tx = app.store.write().await?;
    tx.record_attempt(AttemptKind::FollowUpMiss, None, address)
        .await?;
    tx.commit().await?;
    Ok(())
}

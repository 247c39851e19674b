//! Passwords, logins, sessions and API tokens.
//!
//! - Passwords are argon2id hashes (PHC strings); hashing runs on a blocking thread.
//! - A login creates a new server-side session with a fresh random id (so a session id
//!   known before login is worthless after it) and a CSRF token; the database keeps only
//!   the SM3 hash of the id. Logout deletes the row.
//! - Throttling: failed logins are limited per account and address, per address and per
//!   account ([`crate::throttle`]); a login name longer than [`MAX_USERNAME_CHARS`] is
//!   refused before anything is stored, and a name that is no account is stored nowhere.
//! - API tokens are random, shown once, stored hashed, and expire; they are issued only
//!   to service accounts (which cannot log in with a password), so that an admin cannot
//!   mint a token that acts as a person.
//! - Every argon2 computation waits for one of a few permits, so that a burst of logins
//!   or registrations cannot exhaust memory (argon2id uses ~19 MiB each).

use crate::audit::{self, AuditAction, Object, Who};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::{Duration, SecondsFormat, Utc};
use qaward_domain::ids::UserId;
use qaward_domain::msg;
use qaward_domain::permission::{Perm, Target};
use serde_json::json;
use sm3::{Digest, Sm3};

use qaward_store::throttle::AttemptKind;

use crate::{App, AppError, Principal, check, throttle};

/// The longest login name accepted: longer ones are refused before anything is stored
/// (usernames are at most 40 characters; see `accounts::check_username`).
pub const MAX_USERNAME_CHARS: usize = 64;
/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Days a token lasts unless the admin says otherwise.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// Permits for argon2 work: about one per core.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

fn ts(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The SM3 hash of a secret, as stored.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sm3::digest(secret.as_bytes()))
}

/// A fresh random secret: 32 bytes, hex.
pub fn random_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// Checks a new password's length.
pub fn check_new_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            msg!("password-too-short", min = MIN_PASSWORD_CHARS),
        ));
    }
    Ok(())
}

/// Hashes a password with argon2id.
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(hash: String, password: &str) -> bool {
    let password = password.to_owned();
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of no password, verified against when the username is unknown so that both
/// cases take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2v0JtFw4YjT4JjLx1hH9ndqmtt1gxbaYhFMmTbTkkQ4";

/// A successful login: the cookie value, shown once, and who logged in.
pub struct LoginOk {
    pub token: String,
    pub principal: Principal,
}

/// Logs in, creating a new session.
///
/// A login name is bounded before anything else; the throttles ([`crate::throttle`]) then
/// refuse an attempt over a limit (storing nothing but its audit entry), or record it as a
/// failure *before* the password is checked and forget it when it succeeds, so that
/// concurrent guesses count against the limits too. The audit entry of a failure names
/// the account, or no name at all when the name is none.
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    address: &str,
) -> Result<LoginOk, AppError> {
    let username = username.trim();
    if username.is_empty() {
        return Err(AppError::invalid("username", msg!("username-required")));
    }
    if username.chars().count() > MAX_USERNAME_CHARS {
        return Err(AppError::invalid(
            "username",
            msg!("username-too-long", max = MAX_USERNAME_CHARS),
        ));
    }
    // A NUL is refused alike on both backends, before anything is looked up.
    crate::error::no_nul("username", username)?;
    let now = Utc::now();
    let found = app.store.user_for_login(username).await?;
    let account = found.as_ref().map(|(user, _)| user.id);
    throttle::login_attempt(app, account, address).await?;
    let ok = match &found {
        Some((user, hash)) if user.active && !user.service => {
            verify_password(hash.clone(), password).await
        }
        _ => {
            verify_password(DUMMY_HASH.to_owned(), password).await;
            false
        }
    };
    let mut tx = app.store.write().await?;
    let Some((user, _)) = found.filter(|_| ok) else {
        audit::append(
            &mut tx,
            Who::Public,
            AuditAction::LoginFailed,
            throttle::account_object(account),
            json!({ "address": address }),
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::BadCredentials);
    };
    let token = random_secret();
    let csrf = random_secret();
    let expires = ts(now + Duration::hours(app.settings.session_hours));
    // The owner's own mistakes from here are forgotten; failures from elsewhere still count
    // against the account's limit.
    tx.clear_attempts(AttemptKind::LoginFailure, user.id, address)
        .await?;
    tx.create_session(&secret_hash(&token), user.id, &csrf, &expires)
        .await?;
    let grants = app.store.grants(user.id).await?;
    let principal = Principal {
        user,
        grants,
        csrf: Some(csrf),
        token_id: None,
        program: None,
    };
    audit::append(
        &mut tx,
        &principal,
        AuditAction::Login,
        Object::User(principal.user.id),
        json!({ "address": address, "expires_at": expires }),
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOk { token, principal })
}

/// The principal of a live session.
pub async fn session(app: &App, token: &str) -> Result<Option<Principal>, AppError> {
    let Some(row) = app
        .store
        .session(&secret_hash(token), &ts(Utc::now()))
        .await?
    else {
        return Ok(None);
    };
    let grants = app.store.grants(row.user.id).await?;
    Ok(Some(Principal {
        user: row.user,
        grants,
        csrf: Some(row.csrf_token),
        token_id: None,
        program: None,
    }))
}

/// Ends the session.
pub async fn logout(app: &App, principal: &Principal, token: &str) -> Result<(), AppError> {
    let mut tx = app.store.write().await?;
    if tx.delete_session(&secret_hash(token)).await? {
        audit::append(
            &mut tx,
            principal,
            AuditAction::Logout,
            Object::User(principal.user.id),
            json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The principal an API token belongs to.
pub async fn token_principal(app: &App, token: &str) -> Result<Option<Principal>, AppError> {
    let Some((user, token_id)) = app
        .store
        .token_user(&secret_hash(token), &ts(Utc::now()))
        .await?
    else {
        return Ok(None);
    };
    let grants = app.store.grants(user.id).await?;
    Ok(Some(Principal {
        user,
        grants,
        csrf: None,
        token_id: Some(token_id),
        program: None,
    }))
}

/// Issues an API token for a service account (admins only), valid for `days`; returns
/// its id and the token, shown once.
pub async fn issue_token(
    app: &App,
    by: &Principal,
    for_user: UserId,
    name: &str,
    days: Option<i64>,
) -> Result<(i64, String), AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    let name = crate::limits::bounded("name", name, crate::limits::NAME)?;
    if name.is_empty() {
        return Err(AppError::invalid("name", msg!("token-name-required")));
    }
    let days = days.unwrap_or(DEFAULT_TOKEN_DAYS);
    if !(1..=3650).contains(&days) {
        return Err(AppError::invalid("days", msg!("token-days-range")));
    }
    let target = app.store.user(for_user).await?;
    if !target.service {
        return Err(AppError::invalid(
            "user_id",
            msg!("tokens-for-service-accounts"),
        ));
    }
    let token = random_secret();
    let expires = ts(Utc::now() + Duration::days(days));
    let mut tx = app.store.write().await?;
    let id = tx
        .create_token(target.id, name, &secret_hash(&token), &expires)
        .await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::TokenIssue,
        Object::User(target.id),
        json!({ "after": { "token_id": id, "name": name, "expires_at": expires } }),
    )
    .await?;
    tx.commit().await?;
    Ok((id, token))
}

/// Revokes a token (admins only).
pub async fn revoke_token(app: &App, by: &Principal, token_id: i64) -> Result<(), AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    let owner = app
        .store
        .token_owner(token_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("token {token_id}")))?;
    let mut tx = app.store.write().await?;
    if !tx.revoke_token(token_id).await? {
        return Err(AppError::Conflict(msg!("token-already-revoked")));
    }
    audit::append(
        &mut tx,
        by,
        AuditAction::TokenRevoke,
        Object::User(owner),
        json!({ "after": { "token_id": token_id, "revoked": true } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes expired sessions and throttling attempts that no longer count; run now and
/// then.
pub async fn sweep(app: &App) -> Result<(), AppError> {
    app.store
        .sweep(&ts(Utc::now()), &throttle::attempts_expire_before())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(h.clone(), "correct horse battery").await);
        assert!(!verify_password(h, "wrong").await);
        assert!(!verify_password("not a hash".into(), "x").await);
        assert!(!verify_password(DUMMY_HASH.into(), "x").await);
    }

    #[test]
    fn secrets_are_hashed_and_random() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(secret_hash("abc").len(), 64);
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("qaward-demo").is_ok());
    }
}

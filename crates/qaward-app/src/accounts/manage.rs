//! An administrator manages other people's accounts: takes a role away, deactivates and
//! reactivates an account, resets a password, ends someone's sessions. Each is audited.
//! No one changes their own roles or account (separation of duties): an administrator who
//! could grant themselves the Office's role could read every application, so that takes a
//! second administrator, and the audit log shows both.

use qaward_domain::ids::UserId;
use qaward_domain::msg;
use qaward_domain::permission::{Denial, Grant, Perm, Target};
use qaward_store::users::User;
use serde_json::json;

use crate::audit::{self, AuditAction, Object};
use crate::auth::{check_new_password, hash_password};
use crate::{App, AppError, Principal, check};

/// The account `user`, which `by` may manage: an administrator, acting on someone else.
pub(super) async fn other_account(
    app: &App,
    by: &Principal,
    user: UserId,
) -> Result<User, AppError> {
    check(Some(by), Perm::ManageAccounts, &Target::default())?;
    if user == by.user.id {
        return Err(AppError::Forbidden(Denial::OwnAccount));
    }
    Ok(app.store.user(user).await?)
}

/// Takes a role away from an account; its sessions end, so that the role goes at once.
pub async fn remove_grant(
    app: &App,
    by: &Principal,
    user: UserId,
    g: &Grant,
) -> Result<(), AppError> {
    other_account(app, by, user).await?;
    let g = &crate::programs::bind(app, g).await?;
    let mut tx = app.store.write().await?;
    if !tx.remove_grant(user, g).await? {
        return Err(AppError::NotFound(format!(
            "the account does not hold {} ({})",
            g.role,
            g.scope.value()
        )));
    }
    let ended = tx.end_sessions(user).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::GrantRemove,
        Object::User(user),
        json!({ "before": g, "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates an account (it can no longer log in, and its sessions and tokens stop
/// working) or reactivates it.
pub async fn set_active(
    app: &App,
    by: &Principal,
    user: UserId,
    active: bool,
) -> Result<(), AppError> {
    other_account(app, by, user).await?;
    let mut tx = app.store.write().await?;
    if !tx.set_active(user, active).await? {
        return Err(AppError::Conflict(if active {
            msg!("account-active-already")
        } else {
            msg!("account-inactive-already")
        }));
    }
    let ended = if active {
        0
    } else {
        tx.end_sessions(user).await?
    };
    let action = if active {
        AuditAction::UserReactivate
    } else {
        AuditAction::UserDeactivate
    };
    audit::append(
        &mut tx,
        by,
        action,
        Object::User(user),
        json!({ "after": { "active": active }, "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password for someone who lost theirs; their sessions end. The administrator
/// hands the password over out of band; it is never shown again or logged.
pub async fn reset_password(
    app: &App,
    by: &Principal,
    user: UserId,
    password: &str,
) -> Result<(), AppError> {
    let account = other_account(app, by, user).await?;
    if account.service {
        return Err(AppError::invalid(
            "password",
            msg!("service-account-no-password"),
        ));
    }
    check_new_password(password)?;
    let hash = hash_password(password).await?;
    let mut tx = app.store.write().await?;
    tx.set_password_hash(user, &hash).await?;
    let ended = tx.end_sessions(user).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::UserPasswordReset,
        Object::User(user),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of an account (a lost phone, a shared computer); returns how many.
pub async fn end_sessions(app: &App, by: &Principal, user: UserId) -> Result<u64, AppError> {
    other_account(app, by, user).await?;
    let mut tx = app.store.write().await?;
    let ended = tx.end_sessions(user).await?;
    audit::append(
        &mut tx,
        by,
        AuditAction::UserSessionsEnd,
        Object::User(user),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

//! People: accounts, role grants, server-side sessions and API tokens (login throttling is
//! in [`crate::throttle`]).
//!
//! Passwords, session ids and tokens arrive here already hashed: the store never sees a
//! secret it could leak.

use qaward_domain::ids::{ProgramId, SubjectId, UserId};
use qaward_domain::permission::{Grant, Role, Scope, ScopeKind, UserKind};
use qaward_domain::text::UnknownCode;
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx, now_text};

/// An API token as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: UserId,
    pub username: String,
    /// What uses it, as the admin named it.
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub kind: UserKind,
    pub subject_id: Option<SubjectId>,
    pub email: Option<String>,
    pub active: bool,
    /// A service account logs in only with API tokens, never with a password.
    pub service: bool,
    pub created_at: String,
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub kind: UserKind,
    pub subject_id: Option<SubjectId>,
    pub email: Option<&'a str>,
    pub service: bool,
}

const USER_COLUMNS: &str =
    "id, username, display_name, kind, subject_id, email, active, service, created_at";

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
    Ok(User {
        id: UserId(r.try_get("id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        kind: crate::column::code(r, "kind")?,
        subject_id: r.try_get::<Option<i64>, _>("subject_id")?.map(SubjectId),
        email: r.try_get("email")?,
        active: r.try_get::<i64, _>("active")? != 0,
        service: r.try_get::<i64, _>("service")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

/// A scope as stored: its kind's code and its value.
pub(crate) fn scope_parts(scope: &Scope) -> (&'static str, String) {
    (scope.kind().code(), scope.value())
}

fn scope_from_row(kind: &str, value: &str) -> Result<Scope> {
    let bad = |m: String| StoreError::Corrupt(format!("grant scope `{kind}:{value}`: {m}"));
    let kind: ScopeKind = kind.parse().map_err(|e: UnknownCode| bad(e.to_string()))?;
    Scope::from_parts(kind, value).map_err(bad)
}

/// A live session with its user and grants.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: String,
}

impl WriteTx {
    pub async fn create_user(&mut self, u: NewUser<'_>) -> Result<User> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, kind, subject_id, email, active, service, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
        )
        .bind(u.username)
        .bind(u.display_name)
        .bind(u.password_hash)
        .bind(u.kind.code())
        .bind(u.subject_id.map(|s| s.0))
        .bind(u.email)
        .bind(i64::from(u.service))
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| StoreError::unique(e, || qaward_domain::msg!("username-taken", username = u.username)))?;
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *self.tx)
            .await?;
        user_from_row(&row)
    }

    pub async fn add_grant(&mut self, user: UserId, grant: &Grant) -> Result<()> {
        let (kind, value) = scope_parts(&grant.scope);
        sqlx::query(
            "INSERT INTO grants (user_id, role, scope_kind, scope_value, program_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user.0)
        .bind(grant.role.code())
        .bind(kind)
        .bind(&value)
        .bind(program_of(grant)?)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await
        .map_err(|e| {
            StoreError::unique(e, || {
                qaward_domain::msg!(
                    "grant-held-already",
                    role = qaward_domain::message::Term::of(grant.role)
                )
            })
        })?;
        Ok(())
    }

    /// Takes a grant away; false when the user did not hold it.
    pub async fn remove_grant(&mut self, user: UserId, grant: &Grant) -> Result<bool> {
        let (kind, value) = scope_parts(&grant.scope);
        let n = sqlx::query(
            "DELETE FROM grants WHERE user_id = $1 AND role = $2 AND scope_kind = $3 AND scope_value = $4 \
             AND program_id = $5",
        )
        .bind(user.0)
        .bind(grant.role.code())
        .bind(kind)
        .bind(&value)
        .bind(program_of(grant)?)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Deactivates or reactivates an account; false when it already was so.
    pub async fn set_active(&mut self, user: UserId, active: bool) -> Result<bool> {
        let n = sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND active <> $1")
            .bind(i64::from(active))
            .bind(user.0)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        Ok(n > 0)
    }

    /// Ends every session of `user`; returns how many there were.
    pub async fn end_sessions(&mut self, user: UserId) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *self.tx)
            .await?
            .rows_affected())
    }

    pub async fn set_password_hash(&mut self, user: UserId, hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.0)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn create_session(
        &mut self,
        id_hash: &str,
        user: UserId,
        csrf: &str,
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(user.0)
            .bind(csrf)
            .bind(now_text())
            .bind(expires_at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&mut self, id_hash: &str) -> Result<bool> {
        let n = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        Ok(n > 0)
    }

    pub async fn create_token(
        &mut self,
        user: UserId,
        name: &str,
        token_hash: &str,
        expires_at: &str,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
            .bind(user.0)
            .bind(name)
            .bind(token_hash)
            .bind(now_text())
            .bind(expires_at)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(id)
    }

    pub async fn revoke_token(&mut self, id: i64) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_text())
        .bind(id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    pub async fn user(&self, id: UserId) -> Result<User> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user_from_row(&row)
    }

    /// The user and password hash for a login.
    pub async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await?)
    }

    pub async fn grants(&self, user: UserId) -> Result<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT role, scope_kind, scope_value, program_id FROM grants WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(grant_from).collect()
    }

    /// Every grant of every user, in one query, for the admin's account list.
    pub async fn all_grants(&self) -> Result<Vec<(UserId, Grant)>> {
        let rows = sqlx::query(
            "SELECT user_id, role, scope_kind, scope_value, program_id FROM grants ORDER BY user_id, id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("user_id")?), grant_from(r)?)))
            .collect()
    }

    /// The live session with this id hash, if it has not expired at `now`.
    pub async fn session(&self, id_hash: &str, now: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.kind, u.subject_id, u.email, u.active, u.service, u.created_at, \
                    s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1 AND u.service = 0",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(SessionRow {
                user: user_from_row(&r)?,
                csrf_token: r.try_get("csrf_token")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// The active user a live token hash belongs to, with the token's id.
    pub async fn token_user(&self, token_hash: &str, now: &str) -> Result<Option<(User, i64)>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.kind, u.subject_id, u.email, u.active, u.service, u.created_at, \
                    t.id AS token_id \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("token_id")?)))
            .transpose()
    }

    /// Every API token, newest first, with its account's login name (never the token or
    /// its hash).
    pub async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(
            "SELECT t.id, t.user_id, u.username, t.name, t.created_at, t.expires_at, t.revoked_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenRow {
                    id: r.try_get("id")?,
                    user_id: UserId(r.try_get("user_id")?),
                    username: r.try_get("username")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// The user a token belongs to, for revocation.
    pub async fn token_owner(&self, token_id: i64) -> Result<Option<UserId>> {
        let owner: Option<i64> = sqlx::query_scalar("SELECT user_id FROM api_tokens WHERE id = $1")
            .bind(token_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(owner.map(UserId))
    }

    /// Bytes uploaded by an account so far.
    pub async fn uploaded_bytes(&self, user: UserId) -> Result<i64> {
        let n: Option<i64> =
            sqlx::query_scalar("SELECT CAST(SUM(size) AS BIGINT) FROM uploads WHERE user_id = $1")
                .bind(user.0)
                .fetch_one(self.pool())
                .await?;
        Ok(n.unwrap_or(0))
    }

    /// Removes expired sessions and throttling attempts older than `attempts_before`.
    pub async fn sweep(&self, now: &str, attempts_before: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query("DELETE FROM throttle_events WHERE at <= $1")
            .bind(attempts_before)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// Reads a grant from a row with `role`, `scope_kind`, `scope_value` and `program_id`.
fn grant_from(r: &sqlx::any::AnyRow) -> Result<Grant> {
    let role: Role = crate::column::code(r, "role")?;
    let scope = scope_from_row(
        &r.try_get::<String, _>("scope_kind")?,
        &r.try_get::<String, _>("scope_value")?,
    )?;
    let program = match r.try_get::<i64, _>("program_id")? {
        0 => None,
        p => Some(ProgramId(p)),
    };
    Ok(Grant::new(role, scope)
        .map_err(StoreError::Corrupt)?
        .within(program))
}

/// The stored program of a grant: its program, or 0 for a grant bound to none. A grant
/// of a program-bound role must name its program: stored without one, it would cover
/// nothing and be held by no one the interface can show.
pub(crate) fn program_of(grant: &Grant) -> Result<i64> {
    match grant.program {
        Some(p) => Ok(p.0),
        None if grant.role.program_bound() => Err(StoreError::Corrupt(format!(
            "a {} grant names its program",
            grant.role
        ))),
        None => Ok(0),
    }
}

impl Store {
    /// The members who hold `grant` (its role, scope and program), with their names, by
    /// name.
    pub async fn members_named(&self, grant: &Grant) -> Result<Vec<(UserId, String)>> {
        let (kind, value) = scope_parts(&grant.scope);
        let rows = sqlx::query(
            "SELECT DISTINCT u.id, u.display_name FROM grants g JOIN users u ON u.id = g.user_id \
             WHERE g.role = $1 AND g.scope_kind = $2 AND g.scope_value = $3 AND g.program_id = $4 \
             AND u.active = 1 ORDER BY u.display_name",
        )
        .bind(grant.role.code())
        .bind(kind)
        .bind(&value)
        .bind(program_of(grant)?)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("id")?), r.try_get("display_name")?)))
            .collect()
    }
}

//! Throttling counts attempts in the database, so that the limits hold across instances.
//! An attempt names the account it was for by its id — never by a typed name, which may be
//! a password typed into the wrong field —, the address it came from and its kind; what
//! counts against which limit is the use cases' business.

use qaward_domain::ids::UserId;

use crate::{Result, Store, WriteTx, now_text};

/// What an attempt was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    /// A login that failed (or is being checked: it is recorded before the password is).
    LoginFailure,
    /// A registration that got as far as hashing its password.
    Registration,
    /// A public objection to a notice's entry, about to be recorded.
    Objection,
    /// A complaint, or an evidence file added to one, about to be recorded (A27).
    Complaint,
    /// A follow-up code that matched nothing.
    FollowUpMiss,
}

impl AttemptKind {
    fn code(self) -> &'static str {
        match self {
            AttemptKind::LoginFailure => "login-failure",
            AttemptKind::Registration => "registration",
            AttemptKind::Objection => "objection",
            AttemptKind::Complaint => "complaint",
            AttemptKind::FollowUpMiss => "follow-up-miss",
        }
    }
}

/// Attempts of one kind since a moment: for the account from the address, from the
/// address for any account (or none), and for the account from any address. Without an
/// account, the first and the last are 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttemptCounts {
    pub pair: i64,
    pub address: i64,
    pub account: i64,
}

impl WriteTx {
    /// Records an attempt.
    pub async fn record_attempt(
        &mut self,
        kind: AttemptKind,
        user: Option<UserId>,
        address: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO throttle_events (kind, user_id, address, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(kind.code())
        .bind(user.map(|u| u.0))
        .bind(address)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Forgets the attempts of one kind for an account from one address (its owner logged
    /// in from there); those from other addresses keep counting.
    pub async fn clear_attempts(
        &mut self,
        kind: AttemptKind,
        user: UserId,
        address: &str,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM throttle_events WHERE kind = $1 AND user_id = $2 AND address = $3",
        )
        .bind(kind.code())
        .bind(user.0)
        .bind(address)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The attempts of `kind` since `since` (a stored timestamp).
    pub async fn attempts_since(
        &self,
        kind: AttemptKind,
        user: Option<UserId>,
        address: &str,
        since: &str,
    ) -> Result<AttemptCounts> {
        let address_count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM throttle_events WHERE kind = $1 AND at > $2 AND address = $3",
        )
        .bind(kind.code())
        .bind(since)
        .bind(address)
        .fetch_one(self.pool())
        .await?;
        let Some(user) = user else {
            return Ok(AttemptCounts {
                address: address_count,
                ..AttemptCounts::default()
            });
        };
        let pair: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM throttle_events WHERE kind = $1 AND at > $2 AND address = $3 AND user_id = $4",
        )
        .bind(kind.code())
        .bind(since)
        .bind(address)
        .bind(user.0)
        .fetch_one(self.pool())
        .await?;
        let account: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM throttle_events WHERE kind = $1 AND at > $2 AND user_id = $3",
        )
        .bind(kind.code())
        .bind(since)
        .bind(user.0)
        .fetch_one(self.pool())
        .await?;
        Ok(AttemptCounts {
            pair,
            address: address_count,
            account,
        })
    }

    /// How many attempts are stored in all (for tests and the operator).
    pub async fn count_attempts(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM throttle_events")
            .fetch_one(self.pool())
            .await?)
    }
}

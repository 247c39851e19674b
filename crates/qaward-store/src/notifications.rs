//! Notifications in storage: each user's in-app list, and the e-mail outbox.

use qaward_domain::ids::{SubjectId, UserId};
use qaward_domain::permission::Grant;
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, WriteTx, now_text};

/// A notification as its user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub text: String,
    pub link: String,
    pub created_at: String,
    pub read: bool,
}

/// An e-mail waiting in (or sent from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

fn mail_from(r: &sqlx::any::AnyRow) -> Result<OutboxMail> {
    Ok(OutboxMail {
        id: r.try_get("id")?,
        to_address: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
        sent_at: r.try_get("sent_at")?,
    })
}

impl WriteTx {
    /// Tells `user`: an in-app notification, and an e-mail in the outbox when the user
    /// has an address.
    pub async fn notify(
        &mut self,
        user: UserId,
        email: Option<&str>,
        text: &str,
        link: &str,
        mail_subject: &str,
        mail_body: &str,
    ) -> Result<()> {
        let now = now_text();
        sqlx::query(
            "INSERT INTO notifications (user_id, text, link, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.0)
        .bind(text)
        .bind(link)
        .bind(&now)
        .execute(&mut *self.tx)
        .await?;
        if let Some(to) = email.filter(|e| !e.trim().is_empty()) {
            sqlx::query("INSERT INTO outbox (user_id, to_address, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(user.0)
                .bind(to)
                .bind(mail_subject)
                .bind(mail_body)
                .bind(&now)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Marks a user's notification read; false when it is not theirs.
    pub async fn mark_read(&mut self, user: UserId, id: i64) -> Result<bool> {
        let n = sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
            .bind(now_text())
            .bind(id)
            .bind(user.0)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        Ok(n > 0)
    }
}

impl Store {
    /// The active users holding `grant` (its role, scope and program), with their e-mail
    /// addresses.
    pub async fn users_with_grant(&self, grant: &Grant) -> Result<Vec<(UserId, Option<String>)>> {
        let (kind, value) = crate::users::scope_parts(&grant.scope);
        let rows = sqlx::query(
            "SELECT DISTINCT u.id, u.email FROM grants g JOIN users u ON u.id = g.user_id \
             WHERE g.role = $1 AND g.scope_kind = $2 AND g.scope_value = $3 AND g.program_id = $4 \
             AND u.active = 1",
        )
        .bind(grant.role.code())
        .bind(kind)
        .bind(&value)
        .bind(crate::users::program_of(grant)?)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("id")?), r.try_get("email")?)))
            .collect()
    }

    /// The applicant accounts of a subject, with their e-mail addresses.
    pub async fn subject_users(&self, subject: SubjectId) -> Result<Vec<(UserId, Option<String>)>> {
        let rows = sqlx::query("SELECT id, email FROM users WHERE subject_id = $1 AND active = 1")
            .bind(subject.0)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("id")?), r.try_get("email")?)))
            .collect()
    }

    /// A user's notifications, newest first.
    pub async fn notifications(&self, user: UserId, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query("SELECT id, text, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(user.0)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    text: r.try_get("text")?,
                    link: r.try_get("link")?,
                    created_at: r.try_get("created_at")?,
                    read: r.try_get::<Option<String>, _>("read_at")?.is_some(),
                })
            })
            .collect()
    }

    pub async fn unread_notifications(&self, user: UserId) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(self.pool())
        .await?)
    }

    /// The outbox, newest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxMail>> {
        let rows = sqlx::query("SELECT id, to_address, subject, body, created_at, sent_at FROM outbox ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(mail_from).collect()
    }
}

impl Store {
    /// E-mails not yet sent, oldest first.
    pub async fn unsent_mail(&self, limit: i64) -> Result<Vec<OutboxMail>> {
        let rows = sqlx::query("SELECT id, to_address, subject, body, created_at, sent_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(mail_from).collect()
    }

    /// Marks an e-mail sent.
    pub async fn mark_sent(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2")
            .bind(now_text())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

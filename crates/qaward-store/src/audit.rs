//! The audit log: append-only, each entry chained to the previous one by an SM3 hash
//! (GB/T 32905-2016), the algorithm recorded with the chain in `audit_head`.
//!
//! An entry is written in the same transaction as the change it records ([`append`]).
//! [`verify`] recomputes the chain and names the first entry that does not match: an
//! edited entry fails its own hash, a deleted one leaves a gap in `seq` or breaks the next
//! entry's link, and deleting the newest entries leaves the head pointing past the end.
//!
//! Serializing appenders: on PostgreSQL the head row is read `FOR UPDATE`, so concurrent
//! transactions (from several instances) queue on it and each links to the one before;
//! on SQLite the store's write lock does the same.

use serde::Serialize;
use sm3::{Digest, Sm3};
use sqlx::Row;

use crate::{Backend, Result, Store, StoreError, WriteTx, now_text};

/// The algorithm the chain uses, as recorded in `audit_head.algorithm`.
pub const ALGORITHM: &str = "SM3";

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// Username, or `public`, or `system`.
    pub name: String,
    /// The role the action was taken in, or `public` / `system`.
    pub role: String,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            user_id: None,
            name: "system".into(),
            role: "system".into(),
        }
    }

    pub fn public() -> Self {
        Self {
            user_id: None,
            name: "public".into(),
            role: "public".into(),
        }
    }
}

/// A new entry: what was done to which object, with before/after where they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub actor: Actor,
    /// A stable action name, such as `user.create` or `subject.view`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// JSON: `{"before": …, "after": …}` or what else the action records.
    pub detail: serde_json::Value,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash of the entry: SM3 over each field, length-prefixed so that no two
    /// different entries encode alike.
    pub fn compute_hash(&self) -> String {
        let mut h = Sm3::new();
        let actor = self
            .actor_user_id
            .map(|u| u.to_string())
            .unwrap_or_default();
        for field in [
            self.seq.to_string().as_str(),
            &self.at,
            &actor,
            &self.actor_name,
            &self.actor_role,
            &self.action,
            &self.object_type,
            &self.object_id,
            &self.detail,
            &self.prev_hash,
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Appends an entry inside `tx`; returns its sequence number.
pub async fn append(tx: &mut WriteTx, e: NewEntry) -> Result<i64> {
    let head_sql = match tx.backend {
        Backend::Postgres => "SELECT seq, hash, algorithm FROM audit_head WHERE id = 1 FOR UPDATE",
        Backend::Sqlite => "SELECT seq, hash, algorithm FROM audit_head WHERE id = 1",
    };
    let head = sqlx::query(head_sql).fetch_one(&mut *tx.tx).await?;
    let algorithm: String = head.try_get("algorithm")?;
    if algorithm != ALGORITHM {
        return Err(StoreError::Corrupt(format!(
            "the audit chain uses {algorithm}, this build writes {ALGORITHM}"
        )));
    }
    let prev_seq: i64 = head.try_get("seq")?;
    let entry = Entry {
        seq: prev_seq + 1,
        at: now_text(),
        actor_user_id: e.actor.user_id,
        actor_name: e.actor.name,
        actor_role: e.actor.role,
        action: e.action,
        object_type: e.object_type,
        object_id: e.object_id,
        detail: e.detail.to_string(),
        prev_hash: head.try_get("hash")?,
        hash: String::new(),
    };
    let hash = entry.compute_hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_user_id, actor_name, actor_role, action, object_type, object_id, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(entry.seq)
    .bind(&entry.at)
    .bind(entry.actor_user_id)
    .bind(&entry.actor_name)
    .bind(&entry.actor_role)
    .bind(&entry.action)
    .bind(&entry.object_type)
    .bind(&entry.object_id)
    .bind(&entry.detail)
    .bind(&entry.prev_hash)
    .bind(&hash)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(entry.seq)
        .bind(&hash)
        .execute(&mut *tx.tx)
        .await?;
    Ok(entry.seq)
}

/// Appends one entry in a transaction of its own: for reads of protected data, which
/// change nothing else.
pub async fn record(store: &Store, e: NewEntry) -> Result<i64> {
    let mut tx = store.write().await?;
    let seq = append(&mut tx, e).await?;
    tx.commit().await?;
    Ok(seq)
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq}: {problem}")]
pub struct ChainBreak {
    pub seq: i64,
    pub problem: String,
}

/// What a successful verification saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: i64,
    pub head: String,
    pub algorithm: String,
}

fn row_to_entry(r: &sqlx::any::AnyRow) -> Result<Entry> {
    Ok(Entry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_user_id: r.try_get("actor_user_id")?,
        actor_name: r.try_get("actor_name")?,
        actor_role: r.try_get("actor_role")?,
        action: r.try_get("action")?,
        object_type: r.try_get("object_type")?,
        object_id: r.try_get("object_id")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Recomputes the chain up to the head read at the start, a page at a time; entries
/// appended meanwhile by a running server are left for the next run.
pub async fn verify(store: &Store) -> Result<Result<Verified, ChainBreak>> {
    const PAGE: i64 = 1000;
    let head = sqlx::query("SELECT seq, hash, algorithm FROM audit_head WHERE id = 1")
        .fetch_one(store.pool())
        .await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("hash")?;
    let algorithm: String = head.try_get("algorithm")?;
    if algorithm != ALGORITHM {
        return Ok(Err(ChainBreak {
            seq: 0,
            problem: format!("the chain records algorithm {algorithm}, expected {ALGORITHM}"),
        }));
    }
    let mut expected_seq = 1i64;
    let mut prev_hash = "0".repeat(64);
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor_user_id, actor_name, actor_role, action, object_type, object_id, detail, prev_hash, hash \
             FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3",
        )
        .bind(expected_seq)
        .bind(head_seq)
        .bind(PAGE)
        .fetch_all(store.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = row_to_entry(r)?;
            if e.seq != expected_seq {
                return Ok(Err(ChainBreak {
                    seq: expected_seq,
                    problem: format!("missing (the next entry present is {})", e.seq),
                }));
            }
            if e.prev_hash != prev_hash {
                return Ok(Err(ChainBreak {
                    seq: e.seq,
                    problem: "its link to the previous entry does not match".into(),
                }));
            }
            if e.compute_hash() != e.hash {
                return Ok(Err(ChainBreak {
                    seq: e.seq,
                    problem: "its content does not match its hash (edited)".into(),
                }));
            }
            prev_hash = e.hash;
            expected_seq += 1;
        }
    }
    let last = expected_seq - 1;
    if last < head_seq {
        return Ok(Err(ChainBreak {
            seq: last + 1,
            problem: format!("missing: the chain head says {head_seq} entries, {last} are present"),
        }));
    }
    if prev_hash != head_hash {
        return Ok(Err(ChainBreak {
            seq: last,
            problem: "the chain head does not match the last entry".into(),
        }));
    }
    Ok(Ok(Verified {
        entries: last,
        head: head_hash,
        algorithm,
    }))
}

/// The newest entries first, for supervisors' access logs.
pub async fn recent(store: &Store, limit: i64, object: Option<(&str, &str)>) -> Result<Vec<Entry>> {
    let rows = match object {
        Some((t, id)) => {
            sqlx::query(
                "SELECT seq, at, actor_user_id, actor_name, actor_role, action, object_type, object_id, detail, prev_hash, hash \
                 FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY seq DESC LIMIT $3",
            )
            .bind(t)
            .bind(id)
            .bind(limit)
            .fetch_all(store.pool())
            .await?
        }
        None => {
            sqlx::query(
                "SELECT seq, at, actor_user_id, actor_name, actor_role, action, object_type, object_id, detail, prev_hash, hash \
                 FROM audit_log ORDER BY seq DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(store.pool())
            .await?
        }
    };
    rows.iter().map(row_to_entry).collect()
}

//! The audit log: append-only, each entry chained to the previous one by an SM3 hash
//! (GB/T 32905-2016) and, once the installation has its audit key, authenticated by an
//! HMAC-SM3 of that hash under the key ([`key`]), which is kept outside the database.
//!
//! An entry is written in the same transaction as the change it records ([`append`]).
//! [`verify`] recomputes the chain and names the first entry that does not match: an
//! edited entry fails its own hash, a deleted one leaves a gap in `seq` or breaks the next
//! entry's link, and deleting the newest entries leaves the head pointing past the end.
//! The hash chain alone can be recomputed by anyone who can write the database; the MACs
//! cannot without the key, so with the key a rewritten entry is found even when the
//! hashes after it and the head were recomputed.
//!
//! Entries written before the key existed carry no MAC and stay verifiable as the hash
//! chain they were; the first keyed entry's MAC covers its link to them, so with the key
//! they are protected too. The head's `algorithm` says what new entries carry: `SM3`
//! (hash only) until [`key::open`] creates the key and records the switch, `HMAC-SM3`
//! after. A process without the key cannot append to a keyed chain, and one with a key
//! cannot append to an unkeyed one: only [`key::open`] switches. A lost key is replaced
//! by an explicit [`key::replace`], recorded in the chain: the entries written under the
//! old key can then be checked as a hash chain only, anchored by the replacement's MAC.
//!
//! Serializing appenders: on PostgreSQL the head row is read `FOR UPDATE`, so concurrent
//! transactions (from several instances) queue on it and each links to the one before;
//! on SQLite the store's write lock does the same.

pub mod key;
mod verify;

use serde::Serialize;
use sm3::{Digest, Sm3};
use sqlx::Row;

pub use key::AuditKey;
pub use verify::{ChainBreak, Problem, Verified, verify};

use crate::{Backend, Result, Store, StoreError, WriteTx, now_text};

/// The hash of the chain, and the head's `algorithm` while no entry is keyed.
pub const ALGORITHM: &str = "SM3";

/// The head's `algorithm` once the chain is keyed: entries are still chained by SM3 and
/// each also carries an HMAC-SM3 of its hash.
pub const KEYED_ALGORITHM: &str = "HMAC-SM3";

/// The action of the entry that records the switch to a keyed chain: the chain's own
/// event, written by [`key::open`] (the use cases' vocabulary has the same code).
pub const KEY_CREATED: &str = "audit.key-created";

/// The action of the entry that starts a new key for a keyed chain whose key was lost or
/// retired ([`key::replace`]). From the newest key event on, entries verify under the
/// current key; those before it were keyed under an earlier one.
pub const KEY_REPLACED: &str = "audit.key-replaced";

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
    /// The HMAC-SM3 of `hash` under the audit key; none for entries written before it.
    pub mac: Option<String>,
}

impl Entry {
    /// The hash of the entry: SM3 over each field, length-prefixed so that no two
    /// different entries encode alike. The MAC is not part of it: the hash chain stays
    /// checkable without the key.
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

/// The chain's head as read at the start of an append or a verification.
pub(crate) struct Head {
    pub seq: i64,
    pub hash: String,
    pub algorithm: String,
}

impl Head {
    pub fn keyed(&self) -> bool {
        self.algorithm == KEYED_ALGORITHM
    }
}

fn head_from(r: &sqlx::any::AnyRow) -> Result<Head> {
    Ok(Head {
        seq: r.try_get("seq")?,
        hash: r.try_get("hash")?,
        algorithm: r.try_get("algorithm")?,
    })
}

/// Reads the head inside `tx`, holding it until the transaction ends: `FOR UPDATE` on
/// PostgreSQL; on SQLite the store's write lock serializes this process's writers.
async fn read_head(tx: &mut WriteTx) -> Result<Head> {
    let sql = match tx.backend {
        Backend::Postgres => "SELECT seq, hash, algorithm FROM audit_head WHERE id = 1 FOR UPDATE",
        Backend::Sqlite => "SELECT seq, hash, algorithm FROM audit_head WHERE id = 1",
    };
    head_from(&sqlx::query(sql).fetch_one(&mut *tx.tx).await?)
}

/// Appends an entry inside `tx`; returns its sequence number. The entry is keyed when the
/// store holds the audit key; the chain must agree (see the module's documentation).
pub async fn append(tx: &mut WriteTx, e: NewEntry) -> Result<i64> {
    let head = read_head(tx).await?;
    let key = tx.audit_key.clone();
    match (head.algorithm.as_str(), &key) {
        (KEYED_ALGORITHM, Some(_)) | (ALGORITHM, None) => {}
        (KEYED_ALGORITHM, None) => {
            return Err(StoreError::AuditKey(
                "the audit chain is keyed (HMAC-SM3) and this process holds no audit key".into(),
            ));
        }
        (ALGORITHM, Some(_)) => {
            // Keying entries on top of an unkeyed end would bless whatever was rewritten
            // there; only `key::open`, which checks, switches a chain.
            return Err(StoreError::AuditKey(
                "the audit chain's newest entry is not keyed although this process holds the key: \
                 keyed entries may have been rewritten; run `qaward audit verify`"
                    .into(),
            ));
        }
        (other, _) => {
            return Err(StoreError::Corrupt(format!(
                "the audit chain uses {other}, this build writes {ALGORITHM} or {KEYED_ALGORITHM}"
            )));
        }
    }
    write_entry(tx, &head, e, key.as_deref()).await
}

/// Writes the entry after `head`, keyed with `key` if given, and moves the head to it.
pub(crate) async fn write_entry(
    tx: &mut WriteTx,
    head: &Head,
    e: NewEntry,
    key: Option<&AuditKey>,
) -> Result<i64> {
    let mut entry = Entry {
        seq: head.seq + 1,
        at: now_text(),
        actor_user_id: e.actor.user_id,
        actor_name: e.actor.name,
        actor_role: e.actor.role,
        action: e.action,
        object_type: e.object_type,
        object_id: e.object_id,
        detail: e.detail.to_string(),
        prev_hash: head.hash.clone(),
        hash: String::new(),
        mac: None,
    };
    entry.hash = entry.compute_hash();
    entry.mac = key.map(|k| k.mac(&entry.hash));
    let program = program_of(tx, &entry.object_type, &entry.object_id).await?;
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_user_id, actor_name, actor_role, action, object_type, object_id, detail, prev_hash, hash, mac, program_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
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
    .bind(&entry.hash)
    .bind(&entry.mac)
    .bind(program)
    .execute(&mut *tx.tx)
    .await?;
    let algorithm = if key.is_some() {
        KEYED_ALGORITHM
    } else {
        ALGORITHM
    };
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, algorithm = $3 WHERE id = 1")
        .bind(entry.seq)
        .bind(&entry.hash)
        .bind(algorithm)
        .execute(&mut *tx.tx)
        .await?;
    Ok(entry.seq)
}

/// The program the object of an entry belongs to, read as the entry is written; 0 for an
/// object of no program (an account, a subject, a list), which every program's
/// supervision group reads. Not part of the hash (migration 0030 says why).
async fn program_of(tx: &mut WriteTx, object_type: &str, object_id: &str) -> Result<i64> {
    let by_id = match object_type {
        "program" => return Ok(object_id.parse().unwrap_or(0)),
        "policy" => {
            let p: Option<i64> =
                sqlx::query_scalar("SELECT program_id FROM policy_versions WHERE code = $1")
                    .bind(object_id)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            return Ok(p.unwrap_or(0));
        }
        "application" => {
            "SELECT c.program_id FROM applications a JOIN cycles c ON c.id = a.cycle_id WHERE a.id = $1"
        }
        "cycle" => "SELECT program_id FROM cycles WHERE id = $1",
        "notice" => {
            "SELECT c.program_id FROM notices n JOIN cycles c ON c.id = n.cycle_id WHERE n.id = $1"
        }
        "complaint" => "SELECT program_id FROM complaints WHERE id = $1",
        "panel" => {
            "SELECT c.program_id FROM panels p JOIN cycles c ON c.id = p.cycle_id WHERE p.id = $1"
        }
        "draw" => {
            "SELECT c.program_id FROM panel_draws d JOIN panels p ON p.id = d.panel_id \
             JOIN cycles c ON c.id = p.cycle_id WHERE d.id = $1"
        }
        _ => return Ok(0),
    };
    // A list (`*`) or a name is of no one program.
    let Ok(id) = object_id.parse::<i64>() else {
        return Ok(0);
    };
    let p: Option<i64> = sqlx::query_scalar(by_id)
        .bind(id)
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(p.unwrap_or(0))
}

/// Appends one entry in a transaction of its own: for reads of protected data, which
/// change nothing else.
pub async fn record(store: &Store, e: NewEntry) -> Result<i64> {
    let mut tx = store.write().await?;
    let seq = append(&mut tx, e).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The columns of an entry, in [`row_to_entry`]'s terms.
pub(crate) const COLUMNS: &str = "seq, at, actor_user_id, actor_name, actor_role, action, object_type, object_id, detail, prev_hash, hash, mac";

pub(crate) fn row_to_entry(r: &sqlx::any::AnyRow) -> Result<Entry> {
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
        mac: r.try_get("mac")?,
    })
}

/// The newest entries first of the programs `programs` and of the installation's shared
/// objects (program 0): one program's supervision group's view of the log.
pub async fn recent_in(store: &Store, limit: i64, programs: &[i64]) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE program_id IN (0, {}) ORDER BY seq DESC LIMIT ${}",
        crate::column::placeholders(1, programs.len()),
        programs.len() + 1
    );
    let mut q = sqlx::query(&sql);
    for p in programs {
        q = q.bind(*p);
    }
    let rows = q.bind(limit).fetch_all(store.pool()).await?;
    rows.iter().map(row_to_entry).collect()
}

/// The newest entries first, for supervisors' access logs.
pub async fn recent(store: &Store, limit: i64, object: Option<(&str, &str)>) -> Result<Vec<Entry>> {
    let rows = match object {
        Some((t, id)) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY seq DESC LIMIT $3"
            ))
            .bind(t)
            .bind(id)
            .bind(limit)
            .fetch_all(store.pool())
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(store.pool())
            .await?
        }
    };
    rows.iter().map(row_to_entry).collect()
}

//! The audit key: 32 random bytes in a file outside the database, under which every entry
//! written since the key was created carries an HMAC-SM3 of its hash.
//!
//! Whoever can write the database can recompute SM3 hashes, but not MACs without the key:
//! that is the point of keeping the key elsewhere (by default beside the SQLite file in
//! the data directory, which a database dump or a PostgreSQL account does not reach).
//! [`open`] is what a process that writes does at start: it loads the key, or creates it
//! the first time and records the switch in the chain, and refuses to start when the key
//! and the chain disagree, rather than ever replacing the key of a keyed chain.
//!
//! The file is text, so that it can be printed for a safe as well as copied: comment
//! lines (`#`) and one line of 64 hexadecimal digits.

use std::fmt;
use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sm3::Sm3;

use super::{
    Actor, COLUMNS, KEY_CREATED, KEY_REPLACED, NewEntry, read_head, row_to_entry, write_entry,
};
use crate::{Result, Store, StoreError, WriteTx, now_text};

type HmacSm3 = Hmac<Sm3>;

/// The length of a key, in bytes (the SM3 block is 64, its output 32: a key of the
/// output's length is the usual choice for HMAC).
pub const KEY_BYTES: usize = 32;

/// An audit key. `Debug` shows its id, never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey {
    bytes: [u8; KEY_BYTES],
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

impl AuditKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self { bytes }
    }

    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Self {
        Self { bytes }
    }

    /// An HMAC under this key, started with `label`: the MAC of an entry and the key's
    /// id are computed under different labels, so that neither passes for the other.
    fn hmac(&self, label: &[u8]) -> HmacSm3 {
        let mut m = HmacSm3::new_from_slice(&self.bytes).expect("HMAC takes keys of any length");
        m.update(label);
        m
    }

    /// The MAC of an entry, over its hash (which covers its content and its link).
    pub fn mac(&self, hash: &str) -> String {
        let mut m = self.hmac(b"qaward audit entry\0");
        m.update(hash.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Whether `mac` is the MAC of `hash` under this key (compared in constant time).
    pub fn verifies(&self, hash: &str, mac: &str) -> bool {
        let Ok(given) = hex::decode(mac) else {
            return false;
        };
        let mut m = self.hmac(b"qaward audit entry\0");
        m.update(hash.as_bytes());
        m.verify_slice(&given).is_ok()
    }

    /// A name for the key that reveals nothing of it: 16 hexadecimal digits, printed by
    /// `audit verify` and recorded in the chain when the key is created, so that an
    /// auditor can tell which key a database wants.
    pub fn id(&self) -> String {
        let tag = self.hmac(b"qaward audit key id\0").finalize().into_bytes();
        hex::encode(&tag[..8])
    }

    /// The key file's text.
    fn file_text(&self) -> String {
        format!(
            "# qaward audit key {id}, created {at}.\n\
             # Secret: whoever holds it can forge audit entries; whoever loses it can check the\n\
             # entries written since {at} only as a plain hash chain. Keep a copy apart from\n\
             # the database and its backups (README: \"The audit key\").\n\
             {hex}\n",
            id = self.id(),
            at = now_text(),
            hex = hex::encode(self.bytes),
        )
    }

    /// A key from a key file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let [line] = lines[..] else {
            return Err(format!(
                "expected one line of {} hexadecimal digits besides `#` comments, found {} lines",
                KEY_BYTES * 2,
                lines.len()
            ));
        };
        let bytes = hex::decode(line)
            .ok()
            .and_then(|b| <[u8; KEY_BYTES]>::try_from(b).ok())
            .ok_or_else(|| format!("the key is not {} hexadecimal digits", KEY_BYTES * 2))?;
        Ok(Self { bytes })
    }

    /// The key in the file at `path`, or none when there is no such file.
    pub fn read_file(path: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::AuditKey(format!(
                    "cannot read the key file {}: {e}",
                    path.display()
                )));
            }
        };
        Self::parse(&text).map(Some).map_err(|e| {
            StoreError::AuditKey(format!("{} is not an audit key: {e}", path.display()))
        })
    }

    /// Writes the key to a new file at `path`, readable by its owner only (0600); false
    /// when a file is there already. The directory is created if needed.
    fn write_new_file(&self, path: &Path) -> Result<bool> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => {
                return Err(StoreError::AuditKey(format!(
                    "cannot create the key file {}: {e}",
                    path.display()
                )));
            }
        };
        file.write_all(self.file_text().as_bytes())?;
        // On disk before the switch commits: a keyed chain whose key was lost to a crash
        // could never be verified again.
        file.sync_all()?;
        Ok(true)
    }
}

/// Refuses a key file that others may read, as ssh does: a key readable by every account
/// on the machine protects nothing. `wrap` makes the error of the key concerned (the
/// audit key, the sealing keys).
pub(crate) fn check_private(path: &Path, wrap: fn(String) -> StoreError) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(wrap(format!(
                "the key file {} can be read by other users (mode {mode:o}): `chmod 600` it",
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// What [`open`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The key file matches the keyed chain.
    Loaded,
    /// There was no key and the chain was unkeyed: a key file was created, and entry `seq`
    /// records the switch; entries before it stay a plain hash chain.
    Created { seq: i64 },
    /// A key file was there and the chain empty: the chain starts keyed at entry `seq`.
    Adopted { seq: i64 },
}

/// The first entry that carries a MAC, if any.
async fn first_keyed(tx: &mut WriteTx) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE mac IS NOT NULL")
            .fetch_one(&mut *tx.tx)
            .await?,
    )
}

/// Appends a key event: the first entry keyed with `key`, naming it (and the key it
/// replaces, if any), so that the log says which key each run of entries needs.
async fn key_event(
    tx: &mut WriteTx,
    key: &AuditKey,
    path: &Path,
    action: &str,
    by: Actor,
    before: serde_json::Value,
) -> Result<i64> {
    let head = read_head(tx).await?;
    let entry = NewEntry {
        actor: by,
        action: action.into(),
        object_type: "audit".into(),
        object_id: "key".into(),
        // The file's path tells an auditor where the key was kept; the id which key.
        detail: serde_json::json!({
            "before": before,
            "after": { "key": key.id(), "algorithm": super::KEYED_ALGORITHM, "file": path.display().to_string() },
        }),
    };
    write_entry(tx, &head, entry, Some(key)).await
}

/// Appends the entry that switches the chain to keyed entries, keyed itself.
async fn switch(tx: &mut WriteTx, key: &AuditKey, path: &Path) -> Result<i64> {
    let unkeyed = read_head(tx).await?.seq;
    let before = serde_json::json!({ "algorithm": super::ALGORITHM, "entries": unkeyed });
    key_event(tx, key, path, KEY_CREATED, Actor::system(), before).await
}

/// Creates a new key file at `path` and runs `write` (which records the key in the
/// chain) and the commit; the file goes again when they fail, so that a key file never
/// outlives an attempt that keyed nothing. None when a file is there already.
async fn with_new_key_file<F>(
    mut tx: WriteTx,
    path: &Path,
    write: F,
) -> Result<Option<(AuditKey, i64)>>
where
    F: AsyncFnOnce(&mut WriteTx, &AuditKey) -> Result<i64>,
{
    let key = AuditKey::generate();
    if !key.write_new_file(path)? {
        return Ok(None);
    }
    let written = async {
        let seq = write(&mut tx, &key).await?;
        tx.commit().await?;
        Ok(seq)
    };
    match written.await {
        Ok(seq) => Ok(Some((key, seq))),
        Err(e) => {
            let _ = std::fs::remove_file(path);
            Err(e)
        }
    }
}

/// Opens a write transaction holding the chain's head: a write to it, so that SQLite
/// takes its write lock before anything is read (as `FOR UPDATE` does on PostgreSQL) and
/// two processes deciding about the key go one after the other.
pub(crate) async fn hold_head(store: &Store) -> Result<(WriteTx, super::Head)> {
    let mut tx = store.write().await?;
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(&mut *tx.tx)
        .await?;
    let head = read_head(&mut tx).await?;
    Ok((tx, head))
}

/// Loads the audit key from `path` for a process that writes, creating it at the first
/// start; the caller gives it to the store ([`Store::with_audit_key`]).
///
/// - keyed chain, key file there: loaded, once the newest entry's MAC verifies under it;
/// - keyed chain, no key file: refused (a new key would leave the keyed entries
///   unverifiable and the next rewrite undetected);
/// - unkeyed chain, no key file: a key is created (0600) and the switch is recorded;
/// - empty chain, a key file there: the chain starts keyed with it;
/// - unkeyed chain with entries, a key file there: refused, since either the database is
///   older than the key or its keyed entries were rewritten without it.
///
/// The head is locked (a write to it) before the file is looked at, so that instances
/// sharing a PostgreSQL database and a key file, or two commands on one SQLite file,
/// take these decisions one after the other.
pub async fn open(store: &Store, path: &Path) -> Result<(AuditKey, Opened)> {
    // Another process can only create the file while holding the head, which we wait
    // for; the loop covers a file created by something else between our look and write.
    for _ in 0..3 {
        let (mut tx, head) = hold_head(store).await?;
        let file = AuditKey::read_file(path)?;
        match (head.keyed(), file) {
            (true, Some(key)) => {
                check_private(path, StoreError::AuditKey)?;
                check_matches(&mut tx, head.seq, &key, path).await?;
                return Ok((key, Opened::Loaded));
            }
            (true, None) => {
                let from = first_keyed(&mut tx)
                    .await?
                    .map(|s| format!(" (entries {s} to {})", head.seq))
                    .unwrap_or_default();
                return Err(StoreError::AuditKey(format!(
                    "the audit chain of this database is keyed{from} but the key file {} does not exist: \
                     restore it from its backup, or point audit_key_file (QAWARD_AUDIT_KEY_FILE, \
                     --audit-key-file) at it. A new key is not created silently for a keyed chain: \
                     the entries written under the old one could no longer be verified with it. If the \
                     key is lost for good, `qaward audit replace-key` starts a new one, recorded in the \
                     chain (README: \"The audit key\")",
                    path.display()
                )));
            }
            (false, Some(key)) if head.seq == 0 => {
                check_private(path, StoreError::AuditKey)?;
                let seq = switch(&mut tx, &key, path).await?;
                tx.commit().await?;
                return Ok((key, Opened::Adopted { seq }));
            }
            (false, Some(key)) => {
                return Err(StoreError::AuditKey(format!(
                    "the key file {} (key {}) exists but the audit chain of this database ({} entries) \
                     has no keyed entries at its end: either the database was restored from a backup \
                     older than the key, or keyed entries were rewritten without the key. Check it with \
                     `qaward audit verify`; if the database is the right one, move the key file away \
                     (keep it: it verifies the chain it was made for) and start again to create a new key",
                    path.display(),
                    key.id(),
                    head.seq
                )));
            }
            (false, None) => {
                let created =
                    with_new_key_file(tx, path, async |tx, key| switch(tx, key, path).await)
                        .await?;
                if let Some((key, seq)) = created {
                    return Ok((key, Opened::Created { seq }));
                }
            }
        }
    }
    Err(StoreError::AuditKey(format!(
        "the key file {} keeps appearing and disappearing; is another program writing it?",
        path.display()
    )))
}

/// Whether `key` is the chain's: the newest entry's MAC verifies under it. (A check of
/// the key, not of the chain: `verify` does that.)
async fn check_matches(tx: &mut WriteTx, head_seq: i64, key: &AuditKey, path: &Path) -> Result<()> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq = $1"))
        .bind(head_seq)
        .fetch_optional(&mut *tx.tx)
        .await?;
    let entry = row.as_ref().map(row_to_entry).transpose()?;
    match entry {
        Some(e) if e.mac.as_deref().is_some_and(|m| key.verifies(&e.hash, m)) => Ok(()),
        Some(e) if e.mac.is_some() => Err(StoreError::AuditKey(format!(
            "the key file {} (key {}) does not match the audit chain of this database: the MAC of its \
             newest entry {} does not verify under it. Point audit_key_file at this database's key, \
             and check the chain with `qaward audit verify`",
            path.display(),
            key.id(),
            e.seq
        ))),
        _ => Err(StoreError::AuditKey(format!(
            "the audit chain's head says it is keyed but its newest entry {head_seq} carries no MAC: \
             check the chain with `qaward audit verify`"
        ))),
    }
}

/// Starts a new key for a keyed chain whose key is lost for good, or that must be retired
/// (moved away first: a key file at `path` is refused). The new key goes to a new file at
/// `path` (0600) and the replacement into the chain, keyed under it and naming the key it
/// replaces; returns the key and that entry. From then on the entries written under the
/// old key can only be checked as a hash chain, which the replacement's MAC anchors; an
/// auditor who holds the old key can still check them. Every process still holding the
/// old key must be stopped first: its entries would not verify under the new one.
pub async fn replace(store: &Store, path: &Path, by: Actor) -> Result<(AuditKey, i64)> {
    let (mut tx, head) = hold_head(store).await?;
    if !head.keyed() {
        return Err(StoreError::AuditKey(
            "the audit chain is not keyed yet: its key is created at the first start of a command \
             that writes (`qaward serve`, `qaward admin create-user`)"
                .into(),
        ));
    }
    if path.exists() {
        return Err(StoreError::AuditKey(format!(
            "the key file {} exists: to retire a key you still hold, move the file away first \
             (keep it: it verifies the entries written under it)",
            path.display()
        )));
    }
    let old: Option<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE mac IS NOT NULL AND action IN ($1, $2) ORDER BY seq DESC LIMIT 1",
    )
    .bind(KEY_CREATED)
    .bind(KEY_REPLACED)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let old_id = old
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
        .map(|d| d["after"]["key"].clone())
        .unwrap_or(serde_json::Value::Null);
    let before = serde_json::json!({ "key": old_id });
    let write = async |tx: &mut WriteTx, key: &AuditKey| {
        key_event(tx, key, path, KEY_REPLACED, by, before).await
    };
    with_new_key_file(tx, path, write).await?.ok_or_else(|| {
        StoreError::AuditKey(format!(
            "the key file {} appeared meanwhile",
            path.display()
        ))
    })
}

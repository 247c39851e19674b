//! Recomputing the chain: every entry's hash and link, and with the audit key every MAC,
//! up to the head read at the start. What was checked and what broke say themselves in
//! English (`Display`) and Chinese (`zh`), for the command line and the pages.

use std::fmt;

use super::{ALGORITHM, AuditKey, COLUMNS, KEYED_ALGORITHM, head_from, row_to_entry};
use crate::{Result, Store};

/// Why the chain does not hold at an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The head names an algorithm this build does not know.
    UnknownAlgorithm(String),
    /// The entry is gone; `next_present` is the next one there.
    Missing { next_present: i64 },
    /// Its `prev_hash` is not the previous entry's hash.
    Link,
    /// Its content does not hash to its hash.
    Edited,
    /// Its MAC does not verify under the key given (`key` is the key's id).
    BadMac { key: String },
    /// It carries no MAC though an earlier entry, `keyed_from`, does.
    NotKeyed { keyed_from: i64 },
    /// Entries at the end are gone: the head says `head_says`, `present` are there.
    CutOff { head_says: i64, present: i64 },
    /// The head's hash is not the last entry's.
    HeadMismatch,
    /// The head says the chain is keyed but no entry carries a MAC.
    HeadSaysKeyed,
    /// The head says the chain is not keyed but entries from `keyed_from` carry MACs.
    HeadSaysUnkeyed { keyed_from: i64 },
    /// A key was given but no entry carries a MAC.
    NoKeyedEntry,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnknownAlgorithm(a) => write!(
                f,
                "the chain records algorithm {a}, expected {ALGORITHM} or {KEYED_ALGORITHM}"
            ),
            Problem::Missing { next_present } => {
                write!(f, "missing (the next entry present is {next_present})")
            }
            Problem::Link => f.write_str("its link to the previous entry does not match"),
            Problem::Edited => f.write_str("its content does not match its hash (edited)"),
            Problem::BadMac { key } => write!(
                f,
                "its HMAC-SM3 MAC does not verify under key {key} (rewritten without the key, or the wrong key)"
            ),
            Problem::NotKeyed { keyed_from } => write!(
                f,
                "it carries no MAC although the entries from {keyed_from} on do (rewritten without the key)"
            ),
            Problem::CutOff { head_says, present } => write!(
                f,
                "missing: the chain head says {head_says} entries, {present} are present"
            ),
            Problem::HeadMismatch => f.write_str("the chain head does not match the last entry"),
            Problem::HeadSaysKeyed => f.write_str(
                "the chain head says the chain is keyed but no entry carries a MAC (keyed entries rewritten without the key)",
            ),
            Problem::HeadSaysUnkeyed { keyed_from } => write!(
                f,
                "the chain head says the chain is not keyed but the entries from {keyed_from} on carry MACs"
            ),
            Problem::NoKeyedEntry => f.write_str(
                "no entry carries a MAC although a key was given: keyed entries were rewritten without \
                 the key, or the database is older than the key",
            ),
        }
    }
}

impl Problem {
    /// The problem in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Problem::UnknownAlgorithm(a) => {
                format!("审计链记载的算法为 {a}，应为 {ALGORITHM} 或 {KEYED_ALGORITHM}")
            }
            Problem::Missing { next_present } => {
                format!("该条缺失（下一条现存记录为第 {next_present} 条）")
            }
            Problem::Link => "与上一条记录的哈希链接不符".into(),
            Problem::Edited => "内容与其哈希不符（已被修改）".into(),
            Problem::BadMac { key } => format!(
                "其 HMAC-SM3 校验码在密钥 {key} 下不成立（未持密钥者改写，或密钥不对）"
            ),
            Problem::NotKeyed { keyed_from } => format!(
                "该条没有校验码，而自第 {keyed_from} 条起的记录都有（未持密钥者改写）"
            ),
            Problem::CutOff { head_says, present } => {
                format!("记录缺失：链头记载 {head_says} 条，现存 {present} 条")
            }
            Problem::HeadMismatch => "链头与最后一条记录不符".into(),
            Problem::HeadSaysKeyed => {
                "链头记载已启用密钥，但没有任何记录带校验码（带密钥的记录被未持密钥者改写）".into()
            }
            Problem::HeadSaysUnkeyed { keyed_from } => {
                format!("链头记载未启用密钥，但自第 {keyed_from} 条起的记录带校验码")
            }
            Problem::NoKeyedEntry => "已给出密钥，但没有任何记录带校验码：带密钥的记录被未持密钥者改写，或数据库早于该密钥".into(),
        }
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq}: {problem}")]
pub struct ChainBreak {
    pub seq: i64,
    pub problem: Problem,
}

impl ChainBreak {
    /// The break in Chinese.
    pub fn zh(&self) -> String {
        format!("第 {} 条审计记录：{}", self.seq, self.problem.zh())
    }
}

/// What a verification that found no break checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: i64,
    pub head: String,
    /// The head's algorithm: `SM3`, or `HMAC-SM3` once the chain is keyed.
    pub algorithm: String,
    /// The first entry carrying a MAC; those before it are chained by hash only.
    pub keyed_from: Option<i64>,
    /// The id of the key the MACs were checked with; none when no key was given.
    pub key_id: Option<String>,
}

impl Verified {
    /// Whether everything the chain offers was checked: true unless entries carry MACs
    /// and no key was given, in which case only the hash chain was (which anyone who can
    /// write the database can recompute).
    pub fn complete(&self) -> bool {
        self.keyed_from.is_none() || self.key_id.is_some()
    }

    /// What was checked, in Chinese.
    pub fn zh(&self) -> String {
        let (n, head) = (self.entries, &self.head);
        match (self.keyed_from, &self.key_id) {
            _ if n == 0 => "共 0 条审计记录".into(),
            (None, _) => {
                format!("共 {n} 条审计记录，仅以 SM3 哈希链接（尚未启用审计密钥）；链头 {head}")
            }
            (Some(1), Some(key)) => format!(
                "共 {n} 条审计记录，以 SM3 哈希链接，每条的 HMAC-SM3 校验码均已用密钥 {key} 核验；链头 {head}"
            ),
            (Some(k), Some(key)) => format!(
                "共 {n} 条审计记录：第 1–{} 条仅以 SM3 哈希链接（审计密钥启用前写入），第 {k}–{n} 条的 HMAC-SM3 校验码已用密钥 {key} 核验；链头 {head}",
                k - 1
            ),
            (Some(k), None) => format!(
                "共 {n} 条审计记录的 SM3 哈希链完整，但第 {k}–{n} 条的 HMAC-SM3 校验码未核验（没有密钥）：不能排除重算哈希后的改写；链头 {head}"
            ),
        }
    }
}

/// What was checked, in English.
impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, head) = (self.entries, &self.head);
        match (self.keyed_from, &self.key_id) {
            _ if n == 0 => f.write_str("0 entries"),
            (None, _) => write!(
                f,
                "{n} entries, chained by SM3 hash only (no audit key yet); head {head}"
            ),
            (Some(1), Some(key)) => write!(
                f,
                "{n} entries, chained by SM3, every HMAC-SM3 MAC checked under key {key}; head {head}"
            ),
            (Some(k), Some(key)) => write!(
                f,
                "{n} entries: 1–{} chained by SM3 only (written before the audit key), the HMAC-SM3 MACs of {k}–{n} checked under key {key}; head {head}",
                k - 1
            ),
            (Some(k), None) => write!(
                f,
                "{n} entries chained by SM3, but the HMAC-SM3 MACs of entries {k}–{n} were not checked (no key): \
                 a rewrite with recomputed hashes cannot be ruled out; head {head}"
            ),
        }
    }
}

/// Recomputes the chain up to the head read at the start, a page at a time, checking the
/// MACs under the store's audit key when it has one; entries appended meanwhile by a
/// running server are left for the next run.
pub async fn verify(store: &Store) -> Result<Result<Verified, ChainBreak>> {
    const PAGE: i64 = 1000;
    let key = store.audit_key();
    let head = head_from(
        &sqlx::query("SELECT seq, hash, algorithm FROM audit_head WHERE id = 1")
            .fetch_one(store.pool())
            .await?,
    )?;
    let broken = |seq, problem| Ok(Err(ChainBreak { seq, problem }));
    if head.algorithm != ALGORITHM && head.algorithm != KEYED_ALGORITHM {
        return broken(0, Problem::UnknownAlgorithm(head.algorithm));
    }
    let mut expected_seq = 1i64;
    let mut prev_hash = "0".repeat(64);
    let mut keyed_from: Option<i64> = None;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3"
        ))
        .bind(expected_seq)
        .bind(head.seq)
        .bind(PAGE)
        .fetch_all(store.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = row_to_entry(r)?;
            if e.seq != expected_seq {
                let next_present = e.seq;
                return broken(expected_seq, Problem::Missing { next_present });
            }
            if e.prev_hash != prev_hash {
                return broken(e.seq, Problem::Link);
            }
            if e.compute_hash() != e.hash {
                return broken(e.seq, Problem::Edited);
            }
            match (&e.mac, keyed_from) {
                // Once keyed, always keyed: an unkeyed entry after a keyed one was written
                // by someone without the key.
                (None, Some(keyed_from)) => {
                    return broken(e.seq, Problem::NotKeyed { keyed_from });
                }
                (None, None) => {}
                (Some(mac), _) => {
                    keyed_from.get_or_insert(e.seq);
                    if let Some(key) = key
                        && !key.verifies(&e.hash, mac)
                    {
                        return broken(e.seq, Problem::BadMac { key: key.id() });
                    }
                }
            }
            prev_hash = e.hash;
            expected_seq += 1;
        }
    }
    let last = expected_seq - 1;
    if last < head.seq {
        let (head_says, present) = (head.seq, last);
        return broken(last + 1, Problem::CutOff { head_says, present });
    }
    if prev_hash != head.hash {
        return broken(last, Problem::HeadMismatch);
    }
    match (head.keyed(), keyed_from) {
        (true, None) if last > 0 => return broken(last, Problem::HeadSaysKeyed),
        (false, Some(keyed_from)) => {
            return broken(last, Problem::HeadSaysUnkeyed { keyed_from });
        }
        _ => {}
    }
    // Rewriting every keyed entry as an unkeyed one, head included, leaves a consistent
    // unkeyed chain: only the knowledge that a key exists tells that something is gone.
    if key.is_some() && keyed_from.is_none() && last > 0 {
        return broken(last, Problem::NoKeyedEntry);
    }
    Ok(Ok(Verified {
        entries: last,
        head: head.hash,
        algorithm: head.algorithm,
        keyed_from,
        key_id: key.map(AuditKey::id),
    }))
}

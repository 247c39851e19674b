//! Recomputing the chain: every entry's hash and link, and with the audit key the MAC of
//! every entry written under it, up to the head read at the start. What was checked and what broke say themselves in
//! English (`Display`) and Chinese (`zh`), for the command line and the pages.

use std::fmt;

use super::{
    ALGORITHM, AuditKey, COLUMNS, KEY_CREATED, KEY_REPLACED, KEYED_ALGORITHM, head_from,
    row_to_entry,
};
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
    /// The newest key event (the key's creation or replacement): from it on, entries are
    /// keyed under the current key; between `keyed_from` and it, under replaced ones.
    pub current_from: Option<i64>,
    /// The id of the key the MACs were checked with; none when no key was given.
    pub key_id: Option<String>,
}

/// A run of entries and how they were checked, for the texts.
enum Part {
    Unkeyed(i64, i64),
    /// Keyed under a replaced key; anchored by the MAC of the entry that replaced it.
    Replaced(i64, i64, i64),
    Checked(i64, i64, String),
    Unchecked(i64, i64),
}

impl Verified {
    /// Whether everything the chain offers was checked: true unless entries carry MACs
    /// and no key was given, in which case only the hash chain was (which anyone who can
    /// write the database can recompute). Entries keyed under a replaced key count as
    /// checked: the first entry under the current key vouches for the chain before it.
    pub fn complete(&self) -> bool {
        self.keyed_from.is_none() || self.key_id.is_some()
    }

    fn parts(&self) -> Vec<Part> {
        let n = self.entries;
        let Some(k) = self.keyed_from else {
            return vec![Part::Unkeyed(1, n)];
        };
        let c = self.current_from.unwrap_or(k).max(k);
        let mut parts = Vec::new();
        if k > 1 {
            parts.push(Part::Unkeyed(1, k - 1));
        }
        match &self.key_id {
            None => parts.push(Part::Unchecked(k, n)),
            Some(key) => {
                if c > k {
                    parts.push(Part::Replaced(k, c - 1, c));
                }
                parts.push(Part::Checked(c, n, key.clone()));
            }
        }
        parts
    }

    /// What was checked, in Chinese.
    pub fn zh(&self) -> String {
        if self.entries == 0 {
            return "共 0 条审计记录".into();
        }
        let range = |a: i64, b: i64| match a == b {
            true => format!("第 {a} 条"),
            false => format!("第 {a}–{b} 条"),
        };
        let parts: Vec<String> = self
            .parts()
            .into_iter()
            .map(|p| match p {
                Part::Unkeyed(a, b) => {
                    format!("{}仅有 SM3 哈希链（审计密钥启用前写入）", range(a, b))
                }
                Part::Replaced(a, b, c) => format!(
                    "{}以已更换的密钥写入（其校验码无法用本密钥核验，由第 {c} 条锚定）",
                    range(a, b)
                ),
                Part::Checked(a, b, key) => {
                    format!("{}的 HMAC-SM3 校验码已用密钥 {key} 核验", range(a, b))
                }
                Part::Unchecked(a, b) => format!(
                    "{}带 HMAC-SM3 校验码，未核验（没有密钥）：不能排除重算哈希后的改写",
                    range(a, b)
                ),
            })
            .collect();
        format!(
            "共 {} 条审计记录，哈希与链接均已重算：{}；链头 {}",
            self.entries,
            parts.join("；"),
            self.head
        )
    }
}

/// What was checked, in English.
impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries == 0 {
            return f.write_str("0 entries");
        }
        let range = |a: i64, b: i64| match a == b {
            true => format!("entry {a}"),
            false => format!("entries {a}–{b}"),
        };
        let parts: Vec<String> = self
            .parts()
            .into_iter()
            .map(|p| match p {
                Part::Unkeyed(a, b) => format!(
                    "{} chained by SM3 only (written before the audit key)",
                    range(a, b)
                ),
                Part::Replaced(a, b, c) => format!(
                    "{} keyed under a replaced key (not checkable with this one; entry {c} anchors them)",
                    range(a, b)
                ),
                Part::Checked(a, b, key) => {
                    format!("{} with HMAC-SM3 MACs checked under key {key}", range(a, b))
                }
                Part::Unchecked(a, b) => format!(
                    "{} carry HMAC-SM3 MACs, not checked (no key): a rewrite with recomputed hashes cannot be ruled out",
                    range(a, b)
                ),
            })
            .collect();
        write!(
            f,
            "{} entries, every hash and link recomputed: {}; head {}",
            self.entries,
            parts.join("; "),
            self.head
        )
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
    // The newest key event: from it on, entries must verify under the key given. An
    // attacker cannot move it: a fake event, or a changed action, changes hashes that
    // the MACs under the key given then contradict.
    let current_from: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(seq) FROM audit_log WHERE seq <= $1 AND mac IS NOT NULL AND action IN ($2, $3)",
    )
    .bind(head.seq)
    .bind(KEY_CREATED)
    .bind(KEY_REPLACED)
    .fetch_one(store.pool())
    .await?;
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
                        && e.seq >= current_from.unwrap_or(0)
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
        current_from,
        key_id: key.map(AuditKey::id),
    }))
}

//! Sealing personal data at rest (A27.2, A30): what must stay confidential even from
//! whoever reads the database — a reporter's name and contact, first of all — is stored
//! encrypted under a key kept outside it, in a key file beside the audit key.
//!
//! The cipher is SM4 (GB/T 32907) in GCM mode (RFC 8998): authenticated, so a sealed value
//! edited in the database fails to open instead of opening to something else. Each value
//! is sealed with a fresh random nonce and bound to its place (`complaints.reporter`) as
//! associated data, so that a value copied into another column does not open there. A
//! sealed value names its key: `sm4gcm:KEYID:HEX(nonce ‖ ciphertext ‖ tag)`.
//!
//! The key file is text: `#` comments and one line of 32 hexadecimal digits per key, the
//! last being the key that seals; the others still open what they sealed until a rotation
//! has resealed it. The table `seal_keys` records which keys the database's values need,
//! so that a process started with the wrong file, or none, is refused instead of sealing
//! under a key nobody will have ([`open`]). [`rotate`] moves every sealed value to a new
//! key in one transaction (README: "The sealing key").

use std::fmt;
use std::io::Write;
use std::path::Path;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sm3::Sm3;
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx, now_text};

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// An SM4 key's length in bytes.
pub const KEY_BYTES: usize = 16;
const NONCE_BYTES: usize = 12;
const PREFIX: &str = "sm4gcm";

/// Where sealed values live: each column, with the context its values are bound to.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub table: &'static str,
    pub column: &'static str,
    /// The associated data a value of this column is sealed with.
    pub context: &'static str,
    /// The column holding the value's blind index ([`Keyring::blind`]), where the value
    /// must stay unique without being readable.
    pub index: Option<&'static str>,
}

/// Every sealed column: a rotation reseals them all.
pub const PLACES: &[Place] = &[
    Place {
        table: "complaints",
        column: "reporter_sealed",
        context: "complaints.reporter",
        index: None,
    },
    Place {
        table: "subjects",
        column: "resident_id",
        context: "subjects.resident_id",
        index: Some("resident_id_index"),
    },
    Place {
        table: "objections",
        column: "objector_name",
        context: "objections.objector_name",
        index: None,
    },
    Place {
        table: "objections",
        column: "objector_contact",
        context: "objections.objector_contact",
        index: None,
    },
];

/// The place of a complaint's reporter identity.
pub const REPORTER: Place = PLACES[0];

/// The place of a person's resident identity number (A30).
pub const RESIDENT_ID: Place = PLACES[1];

/// The places of an objector's name and contact (A6, A30): personal data of someone who
/// spoke up against an applicant, read by the Leading Group only.
pub const OBJECTOR_NAME: Place = PLACES[2];
pub const OBJECTOR_CONTACT: Place = PLACES[3];

/// The keys, or the error of a process that never loaded them.
pub(crate) fn loaded(keys: Option<&Keyring>) -> Result<&Keyring> {
    keys.ok_or_else(|| {
        StoreError::SealKey(
            "the sealing keys are not loaded: this process cannot read or write sealed values"
                .into(),
        )
    })
}

/// A stored value of `place` as its reader needs it: opened when sealed, as it is when
/// still plain (kept from before its column was sealed, in a database no process has
/// opened the keys of since).
pub(crate) fn opened(keys: Option<&Keyring>, place: Place, stored: String) -> Result<String> {
    if is_sealed(&stored) {
        loaded(keys)?.open(place, &stored)
    } else {
        Ok(stored)
    }
}

/// Whether a stored value is sealed (rather than plain text kept from before its column
/// was sealed).
pub fn is_sealed(value: &str) -> bool {
    value
        .strip_prefix(PREFIX)
        .is_some_and(|rest| rest.starts_with(':'))
}

/// One sealing key. `Debug` shows its id, never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct SealKey {
    bytes: [u8; KEY_BYTES],
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealKey({})", self.id())
    }
}

impl SealKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self { bytes }
    }

    /// A name that reveals nothing of the key: 16 hexadecimal digits.
    pub fn id(&self) -> String {
        let mut m =
            <Hmac<Sm3> as Mac>::new_from_slice(&self.bytes).expect("HMAC takes keys of any length");
        m.update(b"qaward seal key id\0");
        hex::encode(&m.finalize().into_bytes()[..8])
    }

    fn cipher(&self) -> Sm4Gcm {
        Sm4Gcm::new(GenericArray::from_slice(&self.bytes))
    }
}

/// The keys of a key file: the last one seals, all of them open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyring {
    keys: Vec<SealKey>,
}

impl Keyring {
    /// A keyring of one new key that lives as long as the process: for tests and demos
    /// that keep nothing.
    pub fn ephemeral() -> Self {
        Self {
            keys: vec![SealKey::generate()],
        }
    }

    /// The key that seals.
    pub fn current(&self) -> &SealKey {
        self.keys.last().expect("a keyring holds at least one key")
    }

    /// The ids of its keys, oldest first.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(SealKey::id).collect()
    }

    /// Seals `plain` for `place`.
    pub fn seal(&self, place: Place, plain: &str) -> String {
        let key = self.current();
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = key
            .cipher()
            .encrypt(
                GenericArray::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: place.context.as_bytes(),
                },
            )
            .expect("GCM seals any message shorter than 64 GiB");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}:{}:{}", key.id(), hex::encode(bytes))
    }

    /// A blind index of `plain` for `place`: a keyed digest (HMAC-SM3 under the sealing
    /// key, bound to the place) that is equal for equal values, so that a unique index can
    /// keep one registration per number, and that tells whoever reads the database without
    /// the key nothing — not even a guess checked against the 18-digit space, which a plain
    /// hash would give away in minutes. A rotation recomputes it under the new key.
    pub fn blind(&self, place: Place, plain: &str) -> String {
        let mut m = <Hmac<Sm3> as Mac>::new_from_slice(&self.current().bytes)
            .expect("HMAC takes keys of any length");
        m.update(b"qaward blind index\0");
        m.update(place.context.as_bytes());
        m.update(b"\0");
        m.update(plain.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Opens a value sealed for `place`; an error names what is wrong (an unknown key, a
    /// value that was altered or moved), never the content.
    pub fn open(&self, place: Place, sealed: &str) -> Result<String> {
        let corrupt = |why: &str| {
            StoreError::Corrupt(format!(
                "a sealed value of {}.{} {why}",
                place.table, place.column
            ))
        };
        let mut parts = sealed.splitn(3, ':');
        let (Some(PREFIX), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(corrupt("is not of the form sm4gcm:KEY:DATA"));
        };
        let key = self.keys.iter().find(|k| k.id() == id).ok_or_else(|| {
            StoreError::SealKey(format!(
                "a value of {}.{} is sealed under key {id}, which the key file does not hold",
                place.table, place.column
            ))
        })?;
        let bytes = hex::decode(body).map_err(|_| corrupt("is not hexadecimal"))?;
        if bytes.len() < NONCE_BYTES + 16 {
            return Err(corrupt("is too short"));
        }
        let (nonce, data) = bytes.split_at(NONCE_BYTES);
        let plain = key
            .cipher()
            .decrypt(
                GenericArray::from_slice(nonce),
                Payload {
                    msg: data,
                    aad: place.context.as_bytes(),
                },
            )
            .map_err(|_| corrupt("does not open: it was altered, or sealed for another place"))?;
        String::from_utf8(plain).map_err(|_| corrupt("is not text"))
    }

    fn file_text(&self) -> String {
        let mut t = format!(
            "# qaward sealing keys, written {at}.\n\
             # Secret: they open reporters' identities and other sealed personal data (A27.2,\n\
             # A30). Whoever loses them loses that data for good: keep a copy apart from the\n\
             # database and its backups (README: \"The sealing key\"). The last key seals.\n",
            at = now_text()
        );
        for k in &self.keys {
            t.push_str(&format!("# key {}\n{}\n", k.id(), hex::encode(k.bytes)));
        }
        t
    }

    /// A keyring from a key file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let keys = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|line| {
                hex::decode(line)
                    .ok()
                    .and_then(|b| <[u8; KEY_BYTES]>::try_from(b).ok())
                    .map(|bytes| SealKey { bytes })
                    .ok_or_else(|| format!("a key is not {} hexadecimal digits", KEY_BYTES * 2))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err("the file holds no key".into());
        }
        Ok(Self { keys })
    }

    /// The keyring in the file at `path`, or none when there is no such file.
    pub fn read_file(path: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::SealKey(format!(
                    "cannot read the key file {}: {e}",
                    path.display()
                )));
            }
        };
        crate::audit::key::check_private(path, StoreError::SealKey)?;
        Self::parse(&text).map(Some).map_err(|e| {
            StoreError::SealKey(format!("{} is not a sealing key file: {e}", path.display()))
        })
    }

    /// Writes the keyring to `path` (0600) through a file beside it that is renamed into
    /// place once on disk: a crash leaves the old file or the new one, never half of one.
    pub fn write_file(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let staged = path.with_extension("writing");
        let _ = std::fs::remove_file(&staged);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&staged).map_err(|e| {
            StoreError::SealKey(format!(
                "cannot write the key file {}: {e}",
                staged.display()
            ))
        })?;
        file.write_all(self.file_text().as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&staged, path)?;
        Ok(())
    }
}

/// What [`open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The file holds every key the database needs.
    Loaded,
    /// Nothing was sealed yet and there was no file: a key was created.
    Created,
}

/// A write transaction that holds the audit chain's head, so that processes deciding
/// about keys (instances sharing a PostgreSQL database, two commands on one SQLite file)
/// go one after the other, as they do for the audit key.
async fn hold(store: &Store) -> Result<WriteTx> {
    Ok(crate::audit::key::hold_head(store).await?.0)
}

async fn needed(tx: &mut WriteTx) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT key_id FROM seal_keys WHERE retired_at IS NULL ORDER BY key_id")
        .fetch_all(&mut *tx.tx)
        .await?;
    rows.iter().map(|r| Ok(r.try_get("key_id")?)).collect()
}

async fn record(tx: &mut WriteTx, key: &SealKey) -> Result<()> {
    sqlx::query(
        "INSERT INTO seal_keys (key_id, created_at) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING",
    )
    .bind(key.id())
    .bind(now_text())
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

fn missing(path: &Path, ids: &[String]) -> StoreError {
    StoreError::SealKey(format!(
        "this database holds values sealed under key {} but the key file {} {}: restore the file \
         from its backup, or point seal_key_file (QAWARD_SEAL_KEY_FILE, --seal-key-file) at it. A \
         new key is not created while sealed values need the old one (README: \"The sealing key\")",
        ids.join(", "),
        path.display(),
        if path.exists() {
            "does not hold it"
        } else {
            "does not exist"
        }
    ))
}

/// Refuses a keyring that lacks a key the database's sealed values need.
fn holds(ring: &Keyring, needed: &[String], path: &Path) -> Result<()> {
    let held = ring.ids();
    let absent: Vec<String> = needed
        .iter()
        .filter(|n| !held.contains(n))
        .cloned()
        .collect();
    if absent.is_empty() {
        Ok(())
    } else {
        Err(missing(path, &absent))
    }
}

/// Loads the sealing keys from `path` for a process that writes, creating the file at the
/// first start. Refused when the database needs a key the file does not hold (or there is
/// no file), rather than ever sealing under a key the database's other values do not use.
pub async fn open(store: &Store, path: &Path) -> Result<(Keyring, Opened)> {
    let mut tx = hold(store).await?;
    let needed = needed(&mut tx).await?;
    let (ring, opened) = match Keyring::read_file(path)? {
        Some(ring) => {
            holds(&ring, &needed, path)?;
            (ring, Opened::Loaded)
        }
        None if needed.is_empty() => {
            let ring = Keyring::ephemeral();
            ring.write_file(path)?;
            (ring, Opened::Created)
        }
        None => return Err(missing(path, &needed)),
    };
    record(&mut tx, ring.current()).await?;
    seal_plain(&mut tx, &ring).await?;
    tx.commit().await?;
    Ok((ring, opened))
}

/// The rows of `place` holding a value, with that value.
/// With `plain_only`, those still in plain text: the database picks them, so that a start
/// with nothing left to seal reads nothing.
async fn values(tx: &mut WriteTx, place: Place, plain_only: bool) -> Result<Vec<(i64, String)>> {
    let plain = if plain_only {
        format!(" AND {} NOT LIKE '{PREFIX}:%'", place.column)
    } else {
        String::new()
    };
    sqlx::query(&format!(
        "SELECT id, {c} FROM {t} WHERE {c} IS NOT NULL{plain} ORDER BY id",
        c = place.column,
        t = place.table
    ))
    .fetch_all(&mut *tx.tx)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get(place.column)?)))
    .collect()
}

/// Stores `plain` sealed by `ring` (with its blind index) in row `id` of `place`.
async fn put(tx: &mut WriteTx, ring: &Keyring, place: Place, id: i64, plain: &str) -> Result<()> {
    let sealed = ring.seal(place, plain);
    match place.index {
        Some(index) => {
            sqlx::query(&format!(
                "UPDATE {t} SET {c} = $1, {index} = $2 WHERE id = $3",
                c = place.column,
                t = place.table
            ))
            .bind(sealed)
            .bind(ring.blind(place, plain))
            .bind(id)
            .execute(&mut *tx.tx)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "UPDATE {t} SET {c} = $1 WHERE id = $2",
                c = place.column,
                t = place.table
            ))
            .bind(sealed)
            .bind(id)
            .execute(&mut *tx.tx)
            .await?
        }
    };
    Ok(())
}

/// Seals the values kept in plain text from before their column was sealed (the resident
/// identity numbers registered before migration 0021): the first process that loads the
/// keys does it, in the transaction that records the key, so that no plain value outlives
/// the upgrade's first start.
async fn seal_plain(tx: &mut WriteTx, ring: &Keyring) -> Result<usize> {
    let mut sealed = 0;
    for place in PLACES {
        for (id, value) in values(tx, *place, true).await? {
            put(tx, ring, *place, id, &value).await?;
            sealed += 1;
        }
    }
    Ok(sealed)
}

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    pub retired: Vec<String>,
    pub key: String,
    pub resealed: usize,
}

/// Moves every sealed value to a new key: the file first gains the new key (the old ones
/// kept), then one transaction reseals every value and records the switch, and only then
/// does the file lose the old keys. A crash at any point leaves a file that opens every
/// value the database holds.
pub async fn rotate(store: &Store, path: &Path) -> Result<Rotated> {
    let mut tx = hold(store).await?;
    let needed = needed(&mut tx).await?;
    let old = Keyring::read_file(path)?.ok_or_else(|| missing(path, &needed))?;
    holds(&old, &needed, path)?;
    let new = SealKey::generate();
    let mut both = old.clone();
    both.keys.push(new.clone());
    both.write_file(path)?;
    seal_plain(&mut tx, &old).await?;
    let mut resealed = 0;
    for place in PLACES {
        for (id, value) in values(&mut tx, *place, false).await? {
            let plain = both.open(*place, &value)?;
            put(&mut tx, &both, *place, id, &plain).await?;
            resealed += 1;
        }
    }
    sqlx::query("UPDATE seal_keys SET retired_at = $1 WHERE retired_at IS NULL")
        .bind(now_text())
        .execute(&mut *tx.tx)
        .await?;
    record(&mut tx, &new).await?;
    tx.commit().await?;
    Keyring {
        keys: vec![new.clone()],
    }
    .write_file(path)?;
    Ok(Rotated {
        retired: old.ids(),
        key: new.id(),
        resealed,
    })
}

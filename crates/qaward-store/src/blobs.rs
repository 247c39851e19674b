//! Uploaded files, stored by content hash under the data directory.
//!
//! [`BlobStore`] is the interface (so that an object store can be added later);
//! [`FsBlobStore`] keeps files at `DATA/blobs/ab/cd/<hash>`. An upload is streamed to a
//! temporary file while it is hashed (SM3) and counted, never held whole in memory; past
//! the size limit it is abandoned and the temporary file removed, so nothing is
//! half-written. The complete file is then judged by the caller's [`Accept`] (which may
//! read all of it: an Office document is judged by its parts, not its first bytes).
//! Identical content is stored once. Directories are created `0700` and files `0600`:
//! applicants' materials are nobody else's business on the machine.

use std::future::Future;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use sm3::{Digest, Sm3};
use tokio::io::AsyncWriteExt;

/// A stored file: its content hash, its size and the content type its [`Accept`] judged
/// it to be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlobRef {
    pub hash: String,
    pub size: u64,
    pub content_type: &'static str,
}

/// Why the stream of an upload ended before its end, as the reader of the request knows
/// it: the web layer tells a request over its limit and a stalled sender from a broken
/// connection, so that each gets its own answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the request is larger than its limit")]
    TooLarge,
    #[error("the upload stalled")]
    TimedOut,
    #[error("{0}")]
    Broken(String),
}

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the upload was interrupted: {0}")]
    Upload(String),
    #[error("the upload stalled: nothing arrived for too long")]
    TimedOut,
    #[error("file store: {0}")]
    Io(#[from] std::io::Error),
    #[error("no file with hash {0}")]
    NotFound(String),
    /// The content was refused by the caller's [`Accept`].
    #[error("{0}")]
    Refused(qaward_domain::message::Message),
}

/// What an [`Accept`] reads: the complete upload, from its start.
pub trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// Judges a complete upload (its content and size): the content type it is, or why it
/// is refused. It runs on a blocking thread and may read the whole file.
pub type Accept = fn(
    content: &mut dyn ReadSeek,
    size: u64,
) -> Result<&'static str, qaward_domain::message::Message>;

/// Where uploaded content lives.
pub trait BlobStore: Send + Sync {
    /// Streams `body` into the store, refusing it past `limit` bytes or when `accept`
    /// refuses it; a refused upload leaves nothing behind.
    fn put<S, B>(
        &self,
        body: S,
        limit: u64,
        accept: Accept,
    ) -> impl Future<Output = Result<BlobRef, BlobError>> + Send
    where
        S: Stream<Item = Result<B, BodyError>> + Send + Unpin,
        B: AsRef<[u8]> + Send;

    /// Opens stored content for reading.
    fn open(&self, hash: &str) -> impl Future<Output = Result<tokio::fs::File, BlobError>> + Send;

    /// Whether content with this hash is stored.
    fn exists(&self, hash: &str) -> impl Future<Output = Result<bool, BlobError>> + Send;

    /// Removes stored content: only for content no record refers to (an upload refused
    /// after it was stored, see `qaward_app::files`).
    fn remove(&self, hash: &str) -> impl Future<Output = Result<(), BlobError>> + Send;
}

/// Blobs as files under a directory.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

/// Creates `dir` and its missing parents readable by the owner only.
async fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = tokio::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    b.mode(0o700);
    b.create(dir).await
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path_of(&self, hash: &str) -> Option<PathBuf> {
        // Only our own 64-hex-digit hashes name files: never a path from outside.
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return None;
        }
        Some(self.root.join(&hash[..2]).join(&hash[2..4]).join(hash))
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Removes temporary uploads left behind by a process that stopped mid-upload (a
    /// running upload removes its own), those untouched for `older_than`: several
    /// instances may share the directory, and another's upload in progress is written to
    /// all the time. Returns how many went.
    pub async fn sweep_tmp(&self, older_than: Duration) -> std::io::Result<usize> {
        let mut entries = match tokio::fs::read_dir(self.tmp_dir()).await {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        while let Some(e) = entries.next_entry().await? {
            let meta = e.metadata().await?;
            let idle = meta
                .modified()
                .ok()
                .and_then(|m| m.elapsed().ok())
                .unwrap_or(Duration::MAX);
            if meta.is_file() && idle >= older_than {
                tokio::fs::remove_file(e.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Removes the temporary file unless the upload completed.
struct TmpFile(Option<PathBuf>);

impl Drop for TmpFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl BlobStore for FsBlobStore {
    async fn put<S, B>(&self, mut body: S, limit: u64, accept: Accept) -> Result<BlobRef, BlobError>
    where
        S: Stream<Item = Result<B, BodyError>> + Send + Unpin,
        B: AsRef<[u8]> + Send,
    {
        private_dir(&self.tmp_dir()).await?;
        let tmp_path = self.tmp_dir().join(format!(
            "upload-{}",
            hex::encode(rand::random::<[u8; 12]>())
        ));
        let mut guard = TmpFile(Some(tmp_path.clone()));
        let mut options = tokio::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options.open(&tmp_path).await?;
        let mut hasher = Sm3::new();
        let mut size = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| match e {
                BodyError::TooLarge => BlobError::TooLarge { limit },
                BodyError::TimedOut => BlobError::TimedOut,
                BodyError::Broken(m) => BlobError::Upload(m),
            })?;
            let bytes = chunk.as_ref();
            size += bytes.len() as u64;
            if size > limit {
                return Err(BlobError::TooLarge { limit });
            }
            hasher.update(bytes);
            file.write_all(bytes).await?;
        }
        file.sync_all().await?;
        let mut std_file = file.into_std().await;
        let content_type = tokio::task::spawn_blocking(move || {
            std_file.rewind()?;
            Ok::<_, std::io::Error>(accept(&mut std_file, size))
        })
        .await
        .map_err(|e| BlobError::Io(std::io::Error::other(e)))??
        .map_err(BlobError::Refused)?;
        let hash = hex::encode(hasher.finalize());
        let dest = self
            .path_of(&hash)
            .ok_or_else(|| BlobError::NotFound(hash.clone()))?;
        if let Some(dir) = dest.parent() {
            private_dir(dir).await?;
        }
        if tokio::fs::try_exists(&dest).await? {
            // Same content already stored; the temporary copy goes with the guard.
        } else {
            tokio::fs::rename(&tmp_path, &dest).await?;
            guard.0 = None;
        }
        Ok(BlobRef {
            hash,
            size,
            content_type,
        })
    }

    async fn open(&self, hash: &str) -> Result<tokio::fs::File, BlobError> {
        let path = self
            .path_of(hash)
            .ok_or_else(|| BlobError::NotFound(hash.to_owned()))?;
        tokio::fs::File::open(&path)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => BlobError::NotFound(hash.to_owned()),
                _ => BlobError::Io(e),
            })
    }

    async fn exists(&self, hash: &str) -> Result<bool, BlobError> {
        match self.path_of(hash) {
            Some(p) => Ok(tokio::fs::try_exists(p).await?),
            None => Ok(false),
        }
    }

    async fn remove(&self, hash: &str) -> Result<(), BlobError> {
        let path = self
            .path_of(hash)
            .ok_or_else(|| BlobError::NotFound(hash.to_owned()))?;
        match tokio::fs::remove_file(path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(BlobError::Io(e)),
            _ => Ok(()),
        }
    }
}

/// The directory blobs live in, under a data directory.
pub fn blob_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("blobs")
}

impl crate::WriteTx {
    /// Holds the account's uploads still until this transaction ends (`FOR UPDATE` on its
    /// user row on PostgreSQL; SQLite's writers are serialized already) and returns how
    /// many bytes it has uploaded: checked against its quota inside the transaction that
    /// records the next upload, so that uploads running side by side cannot each see
    /// room that only one of them has.
    pub async fn lock_uploads(&mut self, user: qaward_domain::ids::UserId) -> crate::Result<u64> {
        if self.backend == crate::Backend::Postgres {
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(user.0)
                .execute(&mut *self.tx)
                .await?;
        }
        let n: Option<i64> =
            sqlx::query_scalar("SELECT CAST(SUM(size) AS BIGINT) FROM uploads WHERE user_id = $1")
                .bind(user.0)
                .fetch_one(&mut *self.tx)
                .await?;
        Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
    }

    /// Records who uploaded a blob, for the per-account quota.
    pub async fn record_upload(
        &mut self,
        user: qaward_domain::ids::UserId,
        hash: &str,
        size: u64,
    ) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO uploads (user_id, blob_hash, size, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.0)
        .bind(hash)
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(crate::now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records a stored blob (once per content). Returns whether this transaction is the
    /// first to record it: then no other record refers to the content, and a writer
    /// recording the same content waits for this transaction (the hash is the key).
    pub async fn record_blob(
        &mut self,
        hash: &str,
        size: u64,
        content_type: &str,
    ) -> crate::Result<bool> {
        let r = sqlx::query(
            "INSERT INTO blobs (hash, size, content_type, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(content_type)
        .bind(crate::now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }
}

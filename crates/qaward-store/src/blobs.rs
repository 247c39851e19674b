//! Uploaded files, stored by content hash under the data directory.
//!
//! [`BlobStore`] is the interface (so that an object store can be added later);
//! [`FsBlobStore`] keeps files at `DATA/blobs/ab/cd/<hash>`. An upload is streamed to a
//! temporary file while it is hashed (SM3) and counted, never held whole in memory; past
//! the size limit it is abandoned and the temporary file removed, so nothing is
//! half-written. Identical content is stored once. Directories are created `0700` and
//! files `0600`: applicants' materials are nobody else's business on the machine.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use sm3::{Digest, Sm3};
use tokio::io::AsyncWriteExt;

/// A stored file: its content hash and size.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlobRef {
    pub hash: String,
    pub size: u64,
}

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the upload was interrupted: {0}")]
    Upload(String),
    #[error("file store: {0}")]
    Io(#[from] std::io::Error),
    #[error("no file with hash {0}")]
    NotFound(String),
    /// The content was refused by the caller's check of its first bytes.
    #[error("{0}")]
    Refused(String),
}

/// Judges an upload by its first bytes (at most 16) and its size; `Err` refuses it.
pub type Accept = fn(head: &[u8], size: u64) -> Result<(), String>;

/// Where uploaded content lives.
pub trait BlobStore: Send + Sync {
    /// Streams `body` into the store, refusing it past `limit` bytes or when `accept`
    /// refuses it; a refused upload leaves nothing behind.
    fn put<S, B, E>(
        &self,
        body: S,
        limit: u64,
        accept: Accept,
    ) -> impl Future<Output = Result<BlobRef, BlobError>> + Send
    where
        S: Stream<Item = Result<B, E>> + Send + Unpin,
        B: AsRef<[u8]> + Send,
        E: std::fmt::Display + Send;

    /// Opens stored content for reading.
    fn open(&self, hash: &str) -> impl Future<Output = Result<tokio::fs::File, BlobError>> + Send;
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
    async fn put<S, B, E>(
        &self,
        mut body: S,
        limit: u64,
        accept: Accept,
    ) -> Result<BlobRef, BlobError>
    where
        S: Stream<Item = Result<B, E>> + Send + Unpin,
        B: AsRef<[u8]> + Send,
        E: std::fmt::Display + Send,
    {
        private_dir(&self.tmp_dir()).await?;
        let tmp_path = self.tmp_dir().join(format!(
            "upload-{}",
            hex::encode(rand::random::<[u8; 12]>())
        ));
        let mut guard = TmpFile(Some(tmp_path.clone()));
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options.open(&tmp_path).await?;
        let mut hasher = Sm3::new();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(16);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| BlobError::Upload(e.to_string()))?;
            let bytes = chunk.as_ref();
            size += bytes.len() as u64;
            if size > limit {
                return Err(BlobError::TooLarge { limit });
            }
            if head.len() < 16 {
                head.extend(bytes.iter().take(16 - head.len()));
            }
            hasher.update(bytes);
            file.write_all(bytes).await?;
        }
        accept(&head, size).map_err(BlobError::Refused)?;
        file.sync_all().await?;
        drop(file);
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
        Ok(BlobRef { hash, size })
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
}

/// The content type of a file judged by its first bytes, for the types applicants may
/// upload: PDF, PNG, JPEG, and Office documents (OOXML is a ZIP, the older formats OLE).
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("application/zip")
    } else if head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        Some("application/x-ole-storage")
    } else {
        None
    }
}

/// The directory blobs live in, under a data directory.
pub fn blob_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("blobs")
}

impl crate::WriteTx {
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

    /// Records a stored blob (once per content).
    pub async fn record_blob(
        &mut self,
        hash: &str,
        size: u64,
        content_type: &str,
    ) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO blobs (hash, size, content_type, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(content_type)
        .bind(crate::now_text())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

//! The public pages' micro-cache (issue #14, item 2). The home page, the notice list, a
//! notice and their API twins are the same for every visitor who is not logged in, and
//! they are what a crowd reads when a list of winners is announced. Each costs several
//! queries; an answer kept for a second serves the crowd from memory.
//!
//! What keeps it correct:
//! - only `GET` of the paths in [`cacheable`], only from a reader with no session cookie
//!   and no API token (a logged-in page may hold what only that reader may see), and only
//!   a `200` answer that sets no cookie;
//! - every other request that may write (any method but `GET`/`HEAD`) empties the cache
//!   when it has been answered, and a page rendered while a write ran is not kept (the
//!   generation counter), so a change made on this instance shows at once;
//! - an answer lives at most [`WebConfig::public_cache`](crate::WebConfig) (one second by
//!   default), which bounds what another instance on the same database, a console
//!   command or midnight (a notice period ending) can leave stale;
//! - at most [`MAX_ENTRIES`] answers of at most [`MAX_BODY`] bytes each: a visitor who
//!   varies the query string fills a bounded cache, not the memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::i18n::Lang;
use crate::session::SESSION_COOKIE;

/// How many answers are kept at most.
pub const MAX_ENTRIES: usize = 256;
/// The largest answer kept (a notice of several hundred entries).
pub const MAX_BODY: usize = 512 * 1024;

/// The kept answers, by path with query and language.
#[derive(Default)]
pub struct PublicCache {
    entries: Mutex<HashMap<(String, bool), Entry>>,
    /// Bumped by every answered write: a page begun before it is not kept.
    generation: AtomicU64,
}

#[derive(Clone)]
struct Entry {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

impl PublicCache {
    fn get(&self, key: &(String, bool), ttl: Duration) -> Option<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(key).filter(|e| e.at.elapsed() < ttl).cloned()
    }

    fn put(&self, key: (String, bool), entry: Entry, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.retain(|_, e| e.at.elapsed() < Duration::from_secs(1));
            if entries.len() >= MAX_ENTRIES {
                return;
            }
        }
        entries.insert(key, entry);
    }

    fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

/// The public pages that are the same for every visitor who is not logged in.
fn cacheable(path: &str) -> bool {
    let id = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    matches!(path, "/" | "/notices" | "/api/v1/notices")
        || path.strip_prefix("/notices/").is_some_and(id)
        || path.strip_prefix("/api/v1/notices/").is_some_and(id)
}

/// Whether the reader may be someone: a session cookie or an API token.
fn identified(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
        || headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| c.trim_start().starts_with(&format!("{SESSION_COOKIE}=")))
}

/// The layer: answers a public read from the cache, keeps a fresh one, and empties the
/// cache after every write.
pub async fn public(
    State(state): State<AppState>,
    lang: Lang,
    req: Request,
    next: Next,
) -> Response {
    let ttl = state.config.public_cache;
    let cache = &state.public_cache;
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let resp = next.run(req).await;
        cache.clear();
        return resp;
    }
    if ttl.is_zero()
        || method != Method::GET
        || !cacheable(req.uri().path())
        || identified(req.headers())
    {
        return next.run(req).await;
    }
    let key = (
        req.uri()
            .path_and_query()
            .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned()),
        lang == Lang::En,
    );
    if let Some(e) = cache.get(&key, ttl) {
        let mut resp = Response::new(Body::from(e.body));
        *resp.headers_mut() = e.headers;
        return resp;
    }
    let generation = cache.generation.load(Ordering::Acquire);
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK || resp.headers().contains_key(header::SET_COOKIE) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    // The page is rendered in memory already: reading it whole costs nothing more.
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => {
            if body.len() <= MAX_BODY {
                let entry = Entry {
                    at: Instant::now(),
                    headers: parts.headers.clone(),
                    body: body.clone(),
                };
                cache.put(key, entry, generation);
            }
            Response::from_parts(parts, Body::from(body))
        }
        Err(e) => {
            tracing::error!(error = %e, "a public page failed while it was read");
            let mut resp = Response::from_parts(parts, Body::empty());
            *resp.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            resp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cacheable;

    #[test]
    fn only_the_public_notices_and_home_are_kept() {
        for p in [
            "/",
            "/notices",
            "/notices/12",
            "/api/v1/notices",
            "/api/v1/notices/3",
        ] {
            assert!(cacheable(p), "{p}");
        }
        for p in [
            "/notices/",
            "/notices/1/objections",
            "/notices/x",
            "/office",
            "/applications/1",
            "/api/v1/notices/1/objections",
            "/login",
        ] {
            assert!(!cacheable(p), "{p}");
        }
    }
}

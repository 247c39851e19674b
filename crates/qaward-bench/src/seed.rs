//! The data the benchmark reads, seeded once through the use cases and kept between runs.
//!
//! *City*: one cycle of the demo program with 100 enterprises carried from their drafts
//! through the channel, the recommendation, the opinions, the formal review, one
//! acceptance list (a notice of 100 entries), acceptance, a drawn panel and every stage
//! of the evaluation scored by three experts: `qaward_app::testing`'s scenario, the same
//! code paths users take, with the audit log they write. Kept under `target/bench/`
//! (SQLite: the file; PostgreSQL: the schema `qaward_bench_city`) with the key files, and
//! reused while it answers.
//!
//! *Queue*: 100 enterprises of the demo program recommended by their county, waiting at
//! the Office (the city's cycle is past the queue), kept the same way
//! (`qaward_bench_queue`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use qaward_app::testing::{Backend, TestApp};
use qaward_domain::ids::ApplicationId;
use serde::{Deserialize, Serialize};

/// The PostgreSQL schema the city is kept in.
pub const CITY: usize = 100;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Seeded {
    pub url: String,
    pub data: PathBuf,
    /// A notice of the city (0 when the data has none).
    pub notice: i64,
    pub applicant: String,
    pub application: i64,
    pub today: String,
}

pub fn postgres_base() -> String {
    std::env::var("QAWARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The city: 100 applications through every step that exists, evaluated.
pub async fn city(backend: Backend, dir: &Path) -> Result<Seeded> {
    if let Some(seeded) = reused(dir).await {
        return Ok(seeded);
    }
    eprintln!(
        "bench: seeding the city ({CITY} applications) on {backend:?}; this takes minutes once"
    );
    let mut t = TestApp::new(backend).await;
    let percents: Vec<u32> = (0..CITY).map(|n| [80, 55, 40][n % 3]).collect();
    let (_, ids) = t.evaluated(&percents).await;
    let notice: i64 = sqlx::query_scalar("SELECT max(id) FROM notices")
        .fetch_one(t.db.store.pool())
        .await?;
    keep(&mut t, dir, "qaward_bench_city", notice, ids[0]).await
}

/// The Office's queue: 100 applications recommended by their county and waiting at the
/// Office for the formal review (the city's cycle is past that step: its queue is empty).
pub async fn queue(backend: Backend, dir: &Path) -> Result<Seeded> {
    if let Some(seeded) = reused(dir).await {
        return Ok(seeded);
    }
    eprintln!("bench: seeding the Office's queue ({CITY} applications) on {backend:?}");
    let mut t = TestApp::new(backend).await;
    let ids = t.recommended_enterprises(0..CITY).await;
    keep(&mut t, dir, "qaward_bench_queue", 0, ids[0]).await
}

/// The data kept in `dir` by an earlier run, if it still answers.
async fn reused(dir: &Path) -> Option<Seeded> {
    let text = std::fs::read_to_string(dir.join("seed.json")).ok()?;
    let seeded = serde_json::from_str::<Seeded>(&text).ok()?;
    answers(&seeded.url).await.then(|| {
        eprintln!("bench: reusing the seeded data in {}", dir.display());
        seeded
    })
}

/// Keeps the test application's database in `dir` (SQLite: a copy of the file;
/// PostgreSQL: its schema renamed `pg_schema`) with its key files, and records it.
async fn keep(
    t: &mut TestApp,
    dir: &Path,
    pg_schema: &str,
    notice: i64,
    application: ApplicationId,
) -> Result<Seeded> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let pool = t.db.store.pool().clone();
    let applicant = t.app.store.application(application).await?;
    let owner: String =
        sqlx::query_scalar("SELECT username FROM users WHERE subject_id = $1 ORDER BY id LIMIT 1")
            .bind(applicant.subject_id.0)
            .fetch_one(&pool)
            .await?;
    let today = t.app.today().to_string();
    let (schema, keys, _blobs) = t.keep();
    for key in ["audit.key", "seal.key"] {
        std::fs::copy(keys.join(key), dir.join(key)).with_context(|| format!("copy {key}"))?;
    }
    let url = match schema {
        None => {
            let file = dir.join("qaward.db");
            sqlx::query(&format!("VACUUM INTO '{}'", file.display()))
                .execute(&pool)
                .await?;
            format!("sqlite://{}", file.display())
        }
        Some(schema) => {
            sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{pg_schema}\" CASCADE"))
                .execute(&pool)
                .await?;
            sqlx::query(&format!(
                "ALTER SCHEMA \"{schema}\" RENAME TO \"{pg_schema}\""
            ))
            .execute(&pool)
            .await?;
            with_search_path(&postgres_base(), pg_schema)
        }
    };
    pool.close().await;
    let _ = std::fs::remove_dir_all(&keys);
    let seeded = Seeded {
        url,
        data: dir.to_path_buf(),
        notice,
        applicant: owner,
        application: application.0,
        today,
    };
    std::fs::write(
        dir.join("seed.json"),
        serde_json::to_string_pretty(&seeded)?,
    )?;
    Ok(seeded)
}

/// `base` with its connections' search path set to `schema` (libpq's `options`).
fn with_search_path(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// Whether the kept database is there with its applications.
async fn answers(url: &str) -> bool {
    sqlx::any::install_default_drivers();
    let Ok(pool) = sqlx::AnyPool::connect(url).await else {
        return false;
    };
    let n: Result<i64, _> = sqlx::query_scalar("SELECT count(*) FROM applications")
        .fetch_one(&pool)
        .await;
    pool.close().await;
    matches!(n, Ok(n) if n >= CITY as i64)
}

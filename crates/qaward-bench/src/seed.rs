//! The data the benchmark reads, seeded once through the use cases and kept between runs.
//!
//! *City*: one cycle of the demo program with 100 enterprises carried from their drafts
//! through the channel, the recommendation, the opinions, the formal review, one
//! acceptance list (a notice of 100 entries), acceptance, a drawn panel and every stage
//! of the evaluation scored by three experts: `qaward_app::testing`'s scenario, the same
//! code paths users take, with the audit log they write. Kept under `target/bench/`
//! (SQLite: the file; PostgreSQL: the schema `qaward_bench_city`) with the key files, and
//! reused while it answers.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use qaward_app::testing::{Backend, TestApp};
use serde::{Deserialize, Serialize};

/// The PostgreSQL schema the city is kept in.
const PG_SCHEMA: &str = "qaward_bench_city";
/// Applications of the city.
pub const CITY: usize = 100;

/// What the load needs to know of the seeded data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Seeded {
    /// The database URL the server is given.
    pub url: String,
    /// The server's data directory: the key files (and the SQLite file).
    pub data: PathBuf,
    /// The acceptance list's notice (100 entries).
    pub notice: i64,
    /// An applicant's account and its application.
    pub applicant: String,
    pub application: i64,
    /// The server's "today": the evaluation done.
    pub today: String,
}

/// The PostgreSQL server the benchmark uses (the tests' variable and default).
pub fn postgres_base() -> String {
    std::env::var("QAWARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The city on `backend`: reused from `dir` when it is there and answers, else seeded.
pub async fn city(backend: Backend, dir: &Path) -> Result<Seeded> {
    let record = dir.join("seed.json");
    if let Ok(text) = std::fs::read_to_string(&record)
        && let Ok(seeded) = serde_json::from_str::<Seeded>(&text)
        && answers(&seeded.url).await
    {
        eprintln!("bench: reusing the seeded city in {}", dir.display());
        return Ok(seeded);
    }
    eprintln!(
        "bench: seeding the city ({CITY} applications) on {backend:?}; this takes minutes once"
    );
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let mut t = TestApp::new(backend).await;
    let percents: Vec<u32> = (0..CITY).map(|n| [80, 55, 40][n % 3]).collect();
    let (_, ids) = t.evaluated(&percents).await;
    let pool = t.db.store.pool().clone();
    let notice: i64 = sqlx::query_scalar("SELECT max(id) FROM notices")
        .fetch_one(&pool)
        .await?;
    let applicant = t.app.store.application(ids[0]).await?;
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
            sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{PG_SCHEMA}\" CASCADE"))
                .execute(&pool)
                .await?;
            sqlx::query(&format!(
                "ALTER SCHEMA \"{schema}\" RENAME TO \"{PG_SCHEMA}\""
            ))
            .execute(&pool)
            .await?;
            with_search_path(&postgres_base(), PG_SCHEMA)
        }
    };
    pool.close().await;
    drop(t);
    let _ = std::fs::remove_dir_all(&keys);
    let seeded = Seeded {
        url,
        data: dir.to_path_buf(),
        notice,
        applicant: owner,
        application: ids[0].0,
        today,
    };
    std::fs::write(&record, serde_json::to_string_pretty(&seeded)?)?;
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

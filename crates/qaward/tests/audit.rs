//! The audit chain through the binary, on SQLite and PostgreSQL: `serve --demo` creates
//! the audit key (0600); `audit verify` passes on the fresh demo with the key, also for an
//! auditor holding a copy of it, and names an entry rewritten behind the application's
//! back with every hash after it and the head recomputed; without the key it says what it
//! could not check; a start without the key of a keyed chain is refused until the key is
//! replaced in the open with `audit replace-key`.

mod support;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use qaward_store::testing::postgres_url;
use qaward_store::{Store, audit};
use support::{Server, bin, login, run, stderr, stdout, tmp_dir};

/// What someone who can write the database but has not the audit key can do: rewrite
/// entry 2 and recompute the hash and link of every entry after it and the chain's head,
/// so that the plain hash chain holds again.
async fn rewrite_audit_row(url: &str) {
    let store = Store::connect(url, None).await.unwrap();
    let mut all = audit::recent(&store, 100_000, None).await.unwrap();
    all.reverse();
    let mut prev = "0".repeat(64);
    for mut e in all {
        if e.seq >= 2 {
            if e.seq == 2 {
                e.detail = "{\"after\":\"forged\"}".into();
            }
            e.prev_hash = prev.clone();
            e.hash = e.compute_hash();
            sqlx::query(
                "UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
            )
            .bind(&e.detail)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(e.seq)
            .execute(store.pool())
            .await
            .unwrap();
        }
        prev = e.hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
}

/// Runs a command that should end by itself; kills it after 60 seconds, so that a server
/// that starts when it should refuse fails the test instead of hanging it.
fn run_bounded(args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Serves the demo, then checks the audit chain as an auditor would: with the key the
/// first start created (0600, in `key_dir`), and after a rewrite by someone without it.
fn demo_then_verify(extra: &[&str], url: &str, key_dir: &Path) {
    let server = Server::start(&[&["--demo"], extra].concat());
    assert_eq!(server.request("GET", "/healthz", &[], "").0, 200);
    assert_eq!(server.request("GET", "/readyz", &[], "").0, 200);
    assert_eq!(login(&server, "office"), 303);
    assert_eq!(login(&server, "applicant-person"), 303);
    server.stop();

    let key = key_dir.join("audit.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", key.display());
    }
    let o = run(&[&["audit", "verify"], extra].concat());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("ok: ") && out.contains("HMAC-SM3") && out.contains("通过："),
        "{out}"
    );
    // An auditor with a copy of the key somewhere else.
    let copy = key_dir.join("auditor-copy.key");
    std::fs::copy(&key, &copy).unwrap();
    let with_copy = [
        &["audit", "verify"],
        extra,
        &["--audit-key-file", copy.to_str().unwrap()],
    ]
    .concat();
    assert_eq!(run(&with_copy).status.code(), Some(0));

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(rewrite_audit_row(url));
    let o = run(&with_copy);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("broken: audit entry 2: its HMAC-SM3 MAC does not verify")
            && out.contains("校验失败：第 2 条审计记录"),
        "{out}"
    );
    // Without the key the recomputed chain holds, and the command says what it could not check.
    let none = key_dir.join("no-such.key");
    let o = run(&[
        &["audit", "verify"],
        extra,
        &["--audit-key-file", none.to_str().unwrap()],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("unverified: "), "{}", stdout(&o));

    // The key lost: the server refuses to start rather than make a new one.
    std::fs::remove_file(&key).unwrap();
    let o = run_bounded(&[&["serve", "--listen", "127.0.0.1:0"], extra].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("is keyed") && stderr(&o).contains("does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(!key.exists());
    // Lost for good: a new key, replaced in the open; the entries before it are checked
    // as a hash chain from now on (README: "The audit key"), and the server starts.
    let o = run(&[&["audit", "replace-key"], extra].concat());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("已更换审计密钥"), "{}", stdout(&o));
    let o = run(&[&["audit", "verify"], extra].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("keyed under a replaced key"),
        "{}",
        stdout(&o)
    );
    let server = Server::start(extra);
    assert_eq!(server.request("GET", "/readyz", &[], "").0, 200);
    server.stop();
}

#[test]
fn serve_demo_and_audit_verify_on_sqlite() {
    let dir = tmp_dir();
    let data = dir.join("data");
    let data_s = data.to_str().unwrap();
    demo_then_verify(
        &["--data", data_s],
        &format!("sqlite://{}", data.join("qaward.db").display()),
        &data,
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn serve_demo_and_audit_verify_on_postgres() {
    let name = format!(
        "qaward_cli_{}_{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 4]>())
    );
    let base = postgres_url();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let admin = Store::connect(&base, None)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {base}: {e}"));
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(admin.pool())
            .await
            .unwrap();
        admin.close().await;
    });
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let dir = tmp_dir();
    let result = std::panic::catch_unwind(|| {
        demo_then_verify(
            &["--database", &url, "--data", dir.to_str().unwrap()],
            &url,
            &dir,
        )
    });
    rt.block_on(async {
        let admin = Store::connect(&base, None).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(admin.pool())
            .await;
        admin.close().await;
    });
    std::fs::remove_dir_all(dir).ok();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// `audit verify` reads a database as it is: one of an older version is not migrated
/// (an auditor's copy stays as it was), and a missing one is not created.
#[test]
fn audit_verify_neither_migrates_nor_creates_the_database() {
    let dir = tmp_dir();
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("qaward.db");
    let url = format!("sqlite://{}", db.display());
    let versions = |url: String| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let store = Store::connect(&url, None).await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
                .fetch_one(store.pool())
                .await
                .unwrap();
            store.close().await;
            n
        })
    };
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(&url, None).await.unwrap();
        store.migrate_up_to(26).await.unwrap();
        store.close().await;
    });
    let o = bin()
        .args(["audit", "verify", "--data", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("unverified") || stdout(&o).contains("ok"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    assert_eq!(versions(url), 26, "the database was not migrated");
    let empty = dir.join("empty");
    let o = bin()
        .args(["audit", "verify", "--data", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert!(!empty.join("qaward.db").exists(), "no database was created");
    std::fs::remove_dir_all(dir).ok();
}

//! The server binary end to end: `serve --demo` comes up and shuts down gracefully and
//! creates the audit key (0600); `audit verify` passes on the fresh demo with the key and
//! fails after an entry is rewritten behind the application's back with every hash after
//! it recomputed; a start without the key of a keyed chain is refused until the key is
//! replaced in the open (SQLite and PostgreSQL); `backup` runs while serving and `restore` puts it back, `admin
//! create-user` makes the first admin; `serve` takes its policy from `QAWARD_POLICY` (a
//! flag over it) and its date from `--today`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use qaward_store::testing::postgres_url;
use qaward_store::{Store, audit};

/// The binary with no `QAWARD_*` variable from the developer's environment: the loader
/// reads all of them, and a test must see only what it sets.
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qaward"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("QAWARD_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

fn tmp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "qaward-server-{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 4]>())
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts `qaward serve` with `args` on a free port and waits for it to listen.
    fn start(args: &[&str]) -> Server {
        Server::start_env(args, &[])
    }

    /// Starts `qaward serve` with `args` and the environment variables `env`.
    fn start_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = bin()
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start qaward serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("qaward serving on http://") {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server did not start listening");
        Server { child, addr }
    }

    /// A raw HTTP/1.1 request; returns the status line and the rest.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, out)
    }

    /// SIGTERM, then wait for a clean exit.
    fn stop(mut self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server exited with {status}");
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not shut down"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A test that fails before `stop` must not leave its server running: it would outlive
/// the test run and hold the test's output pipe open.
impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Logs in through the form; returns the status.
fn login(s: &Server, user: &str) -> u16 {
    let origin = format!("http://{}", s.addr);
    let (status, text) = s.request(
        "POST",
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", &origin),
        ],
        &format!("username={user}&password=qaward-demo"),
    );
    assert!(status != 303 || text.contains("qaward_session="), "{text}");
    status
}

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

fn count_users(db: &Path) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let s = Store::connect(&format!("sqlite://{}", db.display()), None)
            .await
            .unwrap();
        let n = s.count_users().await.unwrap();
        s.close().await;
        n
    })
}

#[test]
fn backup_while_serving_and_restore_after() {
    let dir = tmp_dir();
    let data = dir.join("data");
    let data_s = data.to_str().unwrap();
    let backup = dir.join("backup.db");
    let server = Server::start(&["--demo", "--data", data_s]);
    let o = run(&["backup", backup.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Restoring under a running server is refused.
    let o = run(&["restore", backup.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("stop the server"), "{}", stderr(&o));
    server.stop();
    // The backup is not overwritten by a second one.
    let o = run(&["backup", backup.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists"), "{}", stderr(&o));

    // Lose data, then restore.
    let o = bin()
        .args([
            "admin",
            "create-user",
            "late-admin",
            "--role",
            "admin",
            "--data",
            data_s,
        ])
        .env("QAWARD_PASSWORD", "another-password")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let db = data.join("qaward.db");
    assert_eq!(count_users(&db), 17);
    let o = run(&["restore", backup.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(count_users(&db), 16);
    let o = run(&["audit", "verify", "--data", data_s]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Not a backup at all.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let o = run(&["restore", junk.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a qaward backup"), "{}", stderr(&o));
    assert_eq!(count_users(&db), 16);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn admin_create_user_makes_the_first_admin_and_refuses_bad_input() {
    let dir = tmp_dir();
    let data_s = dir.to_str().unwrap();
    let ok = bin()
        .args([
            "admin",
            "create-user",
            "root",
            "--role",
            "admin",
            "--data",
            data_s,
        ])
        .env("QAWARD_PASSWORD", "a-long-password")
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("created root"));
    for (args, expect) in [
        (
            vec!["admin", "create-user", "root", "--role", "admin"],
            "taken",
        ),
        (
            vec!["admin", "create-user", "x1", "--role", "wizard"],
            "`wizard` is not one of: applicant-org",
        ),
        (
            vec!["admin", "create-user", "x2", "--role", "county-reviewer"],
            "scope",
        ),
        (
            vec![
                "admin",
                "create-user",
                "x3",
                "--role",
                "county-reviewer",
                "--scope",
                "county:atlantis",
            ],
            "not in the policy",
        ),
    ] {
        let o = bin()
            .args(&args)
            .args(["--data", data_s])
            .env("QAWARD_PASSWORD", "a-long-password")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expect), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let o = bin()
        .args([
            "admin",
            "create-user",
            "x4",
            "--role",
            "admin",
            "--data",
            data_s,
        ])
        .env("QAWARD_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("10 characters"), "{}", stderr(&o));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn config_print_default_and_bad_urls() {
    let o = run(&["config", "print-default"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("listen = \"127.0.0.1:8080\""));
    let o = run(&["migrate", "--database", "mysql://root@localhost/q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unsupported database URL scheme `mysql:`"),
        "{}",
        stderr(&o)
    );
}

/// Registers an organization through the API: the status and the response.
fn register_org(s: &Server, username: &str, county: &str, founded: &str) -> (u16, String) {
    let origin = format!("http://{}", s.addr);
    let body = serde_json::json!({
        "name": format!("测试公司{username}"), "credit_code": "91140902123456789G",
        "kind": "enterprise", "county": county, "founded": founded,
        "legal_representative": "周", "contact_name": "吴", "contact_phone": "0350-1",
        "username": username, "password": "correct-horse-1"
    });
    s.request(
        "POST",
        "/api/v1/register/organization",
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        &body.to_string(),
    )
}

#[test]
fn today_governs_registration() {
    // The server's today is 2026-06-01, months before the real date (2026-11-30 when this
    // was written, and only later since): a founding date between the two is in the future
    // for the server but not for the system clock, which it must therefore not read.
    let dir = tmp_dir();
    let data = dir.join("data");
    let server = Server::start(&["--data", data.to_str().unwrap(), "--today", "2026-06-01"]);
    let (status, text) = register_org(&server, "later", "xinfu", "2026-07-01");
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("founded") && text.contains("2026-07-01 is in the future"),
        "{text}"
    );
    let (status, text) = register_org(&server, "earlier", "xinfu", "2026-06-01");
    assert_eq!(status, 201, "{text}");
    server.stop();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn serve_uses_the_policy_qaward_policy_names_and_a_flag_over_it() {
    let dir = tmp_dir();
    let data = dir.join("data");
    let data_s = data.to_str().unwrap();
    // A policy whose county 忻府区 has another id: registering there shows which is in force.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let embedded = root.join("policy/xinzhou-2021.toml");
    let text = std::fs::read_to_string(&embedded).unwrap();
    assert!(text.contains("id = \"xinfu\""));
    let renamed = dir.join("renamed.toml");
    std::fs::write(
        &renamed,
        text.replace("id = \"xinfu\"", "id = \"xinfu-test\""),
    )
    .unwrap();
    let renamed_s = renamed.to_str().unwrap();

    let server = Server::start_env(&["--data", data_s], &[("QAWARD_POLICY", renamed_s)]);
    let (status, text) = register_org(&server, "old-county", "xinfu", "2020-01-01");
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("not a county-level unit"), "{text}");
    let (status, text) = register_org(&server, "new-county", "xinfu-test", "2020-01-01");
    assert_eq!(status, 201, "{text}");
    server.stop();

    // A file that does not exist: `serve` refuses to start, naming it.
    let missing = dir.join("missing.toml");
    let o = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--data", data_s])
        .env("QAWARD_POLICY", &missing)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing.toml"), "{}", stderr(&o));

    // `--policy` wins over the variable (a fresh database: the credit code is free).
    let data2 = dir.join("data2");
    let server = Server::start_env(
        &[
            "--data",
            data2.to_str().unwrap(),
            "--policy",
            embedded.to_str().unwrap(),
        ],
        &[("QAWARD_POLICY", missing.to_str().unwrap())],
    );
    let (status, text) = register_org(&server, "flag-county", "xinfu", "2020-01-01");
    assert_eq!(status, 201, "{text}");
    server.stop();
    std::fs::remove_dir_all(dir).ok();
}

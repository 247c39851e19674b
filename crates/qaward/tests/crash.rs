//! The crash test (issue #14, item 3), on SQLite and on PostgreSQL: the server binary
//! takes a burst of concurrent writes through its API — applicants submitting, the public
//! objecting to a notice, experts saving their score sheets over and over — and is killed
//! with SIGKILL in the middle of it. Started again on the same database, every write it
//! acknowledged is there as its writer was told, nothing is half-written (each change has
//! its audit entry and no audit entry lacks its change), and `audit verify` passes.
//!
//! Halfway through the burst a backup is taken (issue #14, item 6): `qaward backup` on
//! SQLite, `pg_dump` on PostgreSQL. It holds a consistent moment of the burst — nothing
//! half-written, its audit chain verifies — and it restores: `qaward restore` on SQLite,
//! `pg_restore` into a database of its own on PostgreSQL.
//!
//! The cycle is brought to where all three writes are possible through the use cases
//! (`qaward_app::testing`): the demo enterprise accepted and its material review open with
//! three experts drawn, two enterprises on an acceptance list whose notice runs today, and
//! twelve enterprises with complete drafts.

mod support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qaward_app::testing::commendation::ENTERPRISE_PASSWORD;
use qaward_app::testing::{Backend, TestApp};
use qaward_domain::ids::ApplicationId;
use serde_json::{Value, json};
use support::{Server, bin, stderr, stdout};

/// The day the server runs on: the acceptance list's notice is open and the material
/// review has begun.
const TODAY: &str = "2026-12-07";
/// Acknowledged writes before the kill: enough that every kind has had its turn, while
/// the writers are still going.
const KILL_AFTER: usize = 60;

#[test]
fn acknowledged_writes_survive_a_kill_on_sqlite() {
    crash(Backend::Sqlite);
}

#[test]
fn acknowledged_writes_survive_a_kill_on_postgres() {
    crash(Backend::Postgres);
}

/// One HTTP/1.1 call; `None` when the server is gone (refused, reset, cut short).
fn call(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<(u16, Value, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_owned()
    };
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    Some((status, json, head.to_owned()))
}

fn dechunk(mut rest: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let n = usize::from_str_radix(size.trim(), 16).ok()?;
        if n == 0 {
            return Some(out);
        }
        out.push_str(after.get(..n)?);
        rest = after.get(n + 2..)?;
    }
}

/// A logged-in API session: the cookie and the CSRF token every change sends.
struct Session {
    cookie: String,
    csrf: String,
}

impl Session {
    fn login(addr: &str, username: &str, password: &str) -> Session {
        let body = json!({ "username": username, "password": password }).to_string();
        let (status, json, head) =
            call(addr, "POST", "/api/v1/session", &[], &body).expect("the server answers");
        assert_eq!(status, 200, "{username} logs in: {json}");
        let cookie = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.trim().split(';').next().unwrap_or("").to_owned())
            .find(|c| c.starts_with("qaward_session="))
            .expect("a session cookie");
        Session {
            cookie,
            csrf: json["csrf_token"]
                .as_str()
                .expect("a CSRF token")
                .to_owned(),
        }
    }

    fn call(&self, addr: &str, method: &str, path: &str, body: &str) -> Option<(u16, Value)> {
        let headers = [
            ("Cookie", self.cookie.as_str()),
            ("X-CSRF-Token", self.csrf.as_str()),
        ];
        call(addr, method, path, &headers, body).map(|(s, j, _)| (s, j))
    }
}

/// What the writers were told, and what was still in flight when the server died.
#[derive(Default)]
struct Acknowledged {
    /// Follow-up codes of the objections acknowledged (201).
    objections: Vec<String>,
    /// Applications whose submission was acknowledged.
    submitted: Vec<i64>,
    /// Per expert: the percentage of the last save acknowledged, and the one in flight.
    sheets: BTreeMap<String, (Option<u32>, Option<u32>)>,
    /// Sheet saves acknowledged, all experts together.
    saves: usize,
    /// Writers that met the dead server mid-write (the kill came during the burst).
    cut_off: usize,
}

/// Counts the acknowledged writes and says when it is time for the backup and the kill.
struct Acks {
    n: AtomicUsize,
    kill: Mutex<Sender<()>>,
    backup: Mutex<Sender<()>>,
}

impl Acks {
    fn one(&self) {
        let n = self.n.fetch_add(1, Ordering::SeqCst) + 1;
        if n == KILL_AFTER / 2 {
            let _ = self.backup.lock().unwrap().send(());
        }
        if n == KILL_AFTER {
            let _ = self.kill.lock().unwrap().send(());
        }
    }
}

fn crash(backend: Backend) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // The cycle brought to where every write of the burst is possible.
    let (t, accepted, experts, listed, notice, drafts, item) = rt.block_on(async {
        let t = TestApp::new(backend).await;
        let accepted = t.accepted().await; // "today" is now 2026-12-07
        let listed = t.listed_enterprises(1..3).await;
        let (_, members) = t.material_open(accepted).await;
        let mut experts = Vec::new();
        for m in members {
            experts.push(t.app.store.user(m).await.unwrap().username);
        }
        let drafts = t.prepared_enterprises(3..15).await;
        let notice: i64 = sqlx::query_scalar("SELECT max(id) FROM notices")
            .fetch_one(t.db.store.pool())
            .await
            .unwrap();
        let item = t
            .app
            .rubrics
            .organization
            .items()
            .next()
            .unwrap()
            .code
            .clone();
        (t, accepted.0, experts, listed, notice, drafts, item)
    });
    let (url, data) = binary_database(&t);
    let env = [
        ("QAWARD_OBJECTIONS_PER_ADDRESS", "1000000"),
        ("QAWARD_FOLLOW_UP_LOOKUPS_PER_ADDRESS", "1000000"),
    ];
    let args = [
        "--database",
        url.as_str(),
        "--data",
        data.as_str(),
        "--today",
        TODAY,
    ];
    let mut server = Server::start_env(&args, &env);
    let addr = server.addr.clone();

    let sessions: Vec<(String, Session)> = experts
        .iter()
        .map(|e| (e.clone(), Session::login(&addr, e, "qaward-demo")))
        .collect();
    let applicants: Vec<(Session, i64)> = drafts
        .iter()
        .map(|(u, id)| (Session::login(&addr, u, ENTERPRISE_PASSWORD), id.0))
        .collect();

    let (kill, killed) = channel();
    let (backup, backup_due) = channel();
    let acks = Arc::new(Acks {
        n: AtomicUsize::new(0),
        kill: Mutex::new(kill),
        backup: Mutex::new(backup),
    });
    let seen = Arc::new(Mutex::new(Acknowledged::default()));
    let mut writers = Vec::new();
    // Experts: each saves its sheet again and again, with a new percentage each time.
    for (name, session) in sessions {
        let (addr, acks, seen, item) = (addr.clone(), acks.clone(), seen.clone(), item.clone());
        writers.push(std::thread::spawn(move || {
            for i in 0u32.. {
                let p = (i % 21) * 5;
                seen.lock().unwrap().sheets.entry(name.clone()).or_default().1 = Some(p);
                let body = json!({ "items": { &item: { "percent": p, "finding": format!("第{i}次保存") } } });
                let path = format!("/api/v1/applications/{accepted}/sheets/material");
                match session.call(&addr, "PUT", &path, &body.to_string()) {
                    Some((204, _)) => {
                        let mut s = seen.lock().unwrap();
                        *s.sheets.get_mut(&name).unwrap() = (Some(p), None);
                        s.saves += 1;
                        acks.one();
                    }
                    Some((status, json)) => panic!("{name}'s save refused: {status} {json}"),
                    None => {
                        seen.lock().unwrap().cut_off += 1;
                        return;
                    }
                }
            }
        }));
    }
    // Applicants: two writers, each submitting its six drafts one after the other.
    let mut queues: Vec<Vec<(Session, i64)>> = vec![Vec::new(), Vec::new()];
    for (n, a) in applicants.into_iter().enumerate() {
        queues[n % 2].push(a);
    }
    for queue in queues {
        let (addr, acks, seen) = (addr.clone(), acks.clone(), seen.clone());
        writers.push(std::thread::spawn(move || {
            for (session, id) in queue {
                let path = format!("/api/v1/applications/{id}/submit");
                match session.call(&addr, "POST", &path, r#"{"channel":"county:xinfu"}"#) {
                    Some((200, _)) => {
                        seen.lock().unwrap().submitted.push(id);
                        acks.one();
                    }
                    Some((status, json)) => panic!("submission refused: {status} {json}"),
                    None => {
                        seen.lock().unwrap().cut_off += 1;
                        return;
                    }
                }
            }
        }));
    }
    // The public: four writers objecting to the notice's entries, anonymously.
    for w in 0..4 {
        let (addr, acks, seen) = (addr.clone(), acks.clone(), seen.clone());
        let target = listed[w % listed.len()].0;
        writers.push(std::thread::spawn(move || {
            for i in 0.. {
                let body = json!({ "application": target, "content": format!("第{w}-{i}条异议：材料与事实不符") });
                let path = format!("/api/v1/notices/{notice}/objections");
                match call(&addr, "POST", &path, &[], &body.to_string()) {
                    Some((201, json, _)) => {
                        let code = json["follow_up_code"].as_str().unwrap().to_owned();
                        seen.lock().unwrap().objections.push(code);
                        acks.one();
                    }
                    Some((status, json, _)) => panic!("objection refused: {status} {json}"),
                    None => {
                        seen.lock().unwrap().cut_off += 1;
                        return;
                    }
                }
            }
        }));
    }
    // The backup, while the writers go on.
    drop(acks);
    backup_due
        .recv()
        .expect("the writers stopped before the backup was due");
    let kept = Backup::take(&t, &url, &data);
    // The kill: no signal handler, no shutdown, no flush.
    killed
        .recv()
        .expect("the writers stopped before the kill was due");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    for w in writers {
        w.join().expect("a writer panicked");
    }
    let seen = Arc::try_unwrap(seen).ok().unwrap().into_inner().unwrap();
    assert!(
        seen.cut_off >= 7,
        "the kill came after the burst, not in it: {} writers cut off",
        seen.cut_off
    );
    eprintln!(
        "crash: killed after {} objections, {} submissions and {} sheet saves acknowledged; {} writers cut off",
        seen.objections.len(),
        seen.submitted.len(),
        seen.saves,
        seen.cut_off
    );
    assert!(!seen.objections.is_empty() && seen.sheets.values().any(|s| s.0.is_some()));

    // Started again: every acknowledged write is there.
    let server = Server::start_env(&args, &env);
    let addr = server.addr.clone();
    for code in &seen.objections {
        let (status, json, _) = call(
            &addr,
            "POST",
            "/api/v1/objections/status",
            &[],
            &json!({ "code": code }).to_string(),
        )
        .unwrap();
        assert_eq!(
            status, 200,
            "objection {code} was acknowledged and is lost: {json}"
        );
    }
    for (user, id) in &drafts {
        let session = Session::login(&addr, user, ENTERPRISE_PASSWORD);
        let (status, json) = session
            .call(&addr, "GET", &format!("/api/v1/applications/{}", id.0), "")
            .unwrap();
        assert_eq!(status, 200, "{json}");
        if seen.submitted.contains(&id.0) {
            assert_eq!(
                json["state"], "submitted",
                "application {} was acknowledged as submitted",
                id.0
            );
        }
    }
    for (name, (acked, in_flight)) in &seen.sheets {
        let session = Session::login(&addr, name, "qaward-demo");
        let path = format!("/api/v1/applications/{accepted}/sheets/material");
        let (status, json) = session.call(&addr, "GET", &path, "").unwrap();
        assert_eq!(status, 200, "{json}");
        let now = json["mine"]["items"][&item]["percent"]
            .as_u64()
            .map(|p| p as u32);
        assert!(
            now == *acked || (now.is_some() && now == *in_flight),
            "{name}'s sheet holds {now:?}; the last save acknowledged was {acked:?}, in flight {in_flight:?}"
        );
    }
    server.stop();

    // Nothing half-written: each change and its audit entry are there together or not at
    // all, whichever side of the kill the transaction ended.
    rt.block_on(nothing_half_written(t.db.store.pool(), &drafts));
    let o = bin()
        .args(["audit", "verify", "--database", &url, "--data", &data])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));

    // The backup taken in the burst: consistent, verified, and it restores.
    rt.block_on(kept.restores(&url, &data, &drafts));
    drop(t);
}

/// The database the test prepared, as the binary is told of it: the SQLite file, or the
/// test's PostgreSQL schema as the connection's search path; and the directory with its
/// audit and sealing keys, which becomes the server's data directory.
fn binary_database(t: &TestApp) -> (String, String) {
    let url = match &t.db.schema {
        None => t.db.url.clone(),
        Some(schema) => {
            let sep = if t.db.url.contains('?') { '&' } else { '?' };
            format!("{}{sep}options=-c%20search_path%3D{schema}", t.db.url)
        }
    };
    (url, t.db.dir().to_str().unwrap().to_owned())
}

/// The backup holds at least the writes acknowledged before it was asked for: each one
/// committed its audit entry.
async fn holds_the_first_half(pool: &sqlx::AnyPool) {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('objection.raise', 'application.submit', 'sheet.save')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(
        n >= (KILL_AFTER / 2) as i64,
        "the backup holds {n} of the burst's writes, fewer than were acknowledged before it"
    );
}

/// Each change and its audit entry are in the database together or not at all.
async fn nothing_half_written(pool: &sqlx::AnyPool, drafts: &[(String, ApplicationId)]) {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(
        count("SELECT count(*) FROM objections").await,
        count("SELECT count(*) FROM audit_log WHERE action = 'objection.raise'").await,
        "an objection without its audit entry, or an entry without its objection"
    );
    for (_, id) in drafts {
        let state: String = sqlx::query_scalar("SELECT state FROM applications WHERE id = $1")
            .bind(id.0)
            .fetch_one(pool)
            .await
            .unwrap();
        let entries: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'application.submit' AND object_id = $1",
        )
        .bind(id.0.to_string())
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            entries,
            i64::from(state == "submitted"),
            "application {}: state {state}, {entries} submission entries",
            id.0
        );
    }
}

/// A backup taken while the server was writing.
enum Backup {
    /// `qaward backup`'s file.
    Sqlite(std::path::PathBuf),
    /// `pg_dump -Fc` of the test's schema, the server it came from, and the database it
    /// is restored into.
    Postgres {
        dump: std::path::PathBuf,
        base: String,
        schema: String,
        database: String,
    },
}

impl Backup {
    fn take(t: &TestApp, url: &str, data: &str) -> Backup {
        let dir = t.db.dir().join("backup");
        std::fs::create_dir_all(&dir).unwrap();
        match &t.db.schema {
            None => {
                let file = dir.join("burst.db");
                let o = bin()
                    .args([
                        "backup",
                        file.to_str().unwrap(),
                        "--database",
                        url,
                        "--data",
                        data,
                    ])
                    .output()
                    .unwrap();
                assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
                Backup::Sqlite(file)
            }
            Some(schema) => {
                let dump = dir.join("burst.dump");
                let o = std::process::Command::new("pg_dump")
                    .args(["-Fc", "-n", schema, "-f", dump.to_str().unwrap(), &t.db.url])
                    .output()
                    .unwrap();
                assert!(o.status.success(), "pg_dump: {}", stderr(&o));
                Backup::Postgres {
                    dump,
                    base: t.db.url.clone(),
                    schema: schema.clone(),
                    database: format!("{schema}_restored"),
                }
            }
        }
    }

    /// Restores the backup beside the database, checks it, and (SQLite) puts it in place.
    async fn restores(self, url: &str, data: &str, drafts: &[(String, ApplicationId)]) {
        match self {
            Backup::Sqlite(file) => {
                let copy = format!("sqlite://{}", file.display());
                let pool = sqlx::AnyPool::connect(&copy).await.unwrap();
                nothing_half_written(&pool, drafts).await;
                holds_the_first_half(&pool).await;
                pool.close().await;
                let o = bin()
                    .args([
                        "restore",
                        file.to_str().unwrap(),
                        "--database",
                        url,
                        "--data",
                        data,
                    ])
                    .output()
                    .unwrap();
                assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
                assert!(
                    stdout(&o).contains("audit entries verified"),
                    "{}",
                    stdout(&o)
                );
            }
            Backup::Postgres {
                dump,
                base,
                schema,
                database,
            } => {
                let base = base.as_str();
                let admin = sqlx::AnyPool::connect(base).await.unwrap();
                // FORCE: the verifying process has exited, its session may not have ended yet.
                let drop_it = format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
                sqlx::query(&drop_it).execute(&admin).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE \"{database}\""))
                    .execute(&admin)
                    .await
                    .unwrap();
                let target = with_database(base, &database);
                let o = std::process::Command::new("pg_restore")
                    .args(["--no-owner", "-d", &target, dump.to_str().unwrap()])
                    .output()
                    .unwrap();
                assert!(o.status.success(), "pg_restore: {}", stderr(&o));
                let sep = if target.contains('?') { '&' } else { '?' };
                let restored = format!("{target}{sep}options=-c%20search_path%3D{schema}");
                let pool = sqlx::AnyPool::connect(&restored).await.unwrap();
                nothing_half_written(&pool, drafts).await;
                holds_the_first_half(&pool).await;
                pool.close().await;
                let o = bin()
                    .args(["audit", "verify", "--database", &restored, "--data", data])
                    .output()
                    .unwrap();
                assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
                sqlx::query(&drop_it).execute(&admin).await.unwrap();
                admin.close().await;
            }
        }
    }
}

/// `url` naming the database `db` instead of its own.
fn with_database(url: &str, db: &str) -> String {
    let (head, query) = url
        .split_once('?')
        .map_or((url, None), |(h, q)| (h, Some(q)));
    let server = head.rsplit_once('/').map_or(head, |(s, _)| s);
    match query {
        Some(q) => format!("{server}/{db}?{q}"),
        None => format!("{server}/{db}"),
    }
}

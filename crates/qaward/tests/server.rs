//! The server binary end to end: `serve --demo` comes up and shuts down gracefully,
//! `backup` runs while serving and `restore` puts it back, `admin create-user` makes the
//! first admin; `serve` takes its policy from `QAWARD_POLICY` (a flag over it) and its date
//! from `--today`; slow clients are cut off; the data directory and its files are the
//! server user's alone. The audit chain's story is `audit.rs`.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use qaward_store::Store;
use support::*;

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
    assert_eq!(
        mode(&backup),
        0o600,
        "the backup is as private as the database"
    );
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
    assert_eq!(count_users(&db), 25);
    let o = run(&["restore", backup.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(count_users(&db), 24);
    assert_eq!(mode(&db), 0o600, "the restored database");
    let o = run(&["audit", "verify", "--data", data_s]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Not a backup at all.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let o = run(&["restore", junk.to_str().unwrap(), "--data", data_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a qaward backup"), "{}", stderr(&o));
    assert_eq!(count_users(&db), 24);
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
            "not a unit the measures name",
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
        text.contains("\"field\":\"founded\"") && text.contains("\"key\":\"date-in-the-future\""),
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
    assert!(text.contains("\"key\":\"unknown-county\""), "{text}");
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

/// A file's permission bits.
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Connects and sends `sent`; returns what the server answered before it closed the
/// connection, and how long that took.
fn sent_then_closed(addr: &str, sent: &str) -> (String, Duration) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    s.write_all(sent.as_bytes()).unwrap();
    let mut out = Vec::new();
    // Ends at the server's close; a read timeout (the server kept it open) fails here.
    s.read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("still open after {:?}: {e}", started.elapsed()));
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[test]
fn slow_clients_are_cut_off() {
    let dir = tmp_dir();
    let data = dir.join("data");
    let server = Server::start(&[
        "--data",
        data.to_str().unwrap(),
        "--header-timeout-secs",
        "1",
        "--body-timeout-secs",
        "1",
    ]);
    // Headers begun and never finished, and a connection opened and left silent.
    for partial in ["GET /healthz HTTP/1.1\r\nHost: qaward.test\r\n", ""] {
        let (answer, took) = sent_then_closed(&server.addr, partial);
        assert_eq!(answer, "", "{partial:?}");
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(5),
            "{took:?}"
        );
    }
    // A body that stops after 10 of its 100 bytes: 408, then the connection closes.
    let stalled = format!(
        "POST /login HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=o",
        server.addr
    );
    let (answer, took) = sent_then_closed(&server.addr, &stalled);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // A client that keeps up is served.
    assert_eq!(server.request("GET", "/healthz", &[], "").0, 200);
    server.stop();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_data_directory_and_its_files_are_the_servers_alone() {
    let dir = tmp_dir();
    let data = dir.join("data");
    // A temporary upload left behind by a server that stopped mid-upload.
    let tmp = data.join("blobs").join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("upload-left-behind"), b"%PDF-1.7 half").unwrap();
    let server = Server::start(&["--demo", "--data", data.to_str().unwrap()]);
    assert_eq!(login(&server, "office"), 303);
    assert!(
        !tmp.join("upload-left-behind").exists(),
        "swept at start-up"
    );
    assert_eq!(mode(&data), 0o700, "the data directory");
    for f in ["qaward.db", "qaward.db-wal", "qaward.db-shm", "serve.lock"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    server.stop();
    std::fs::remove_dir_all(dir).ok();
}

/// `qaward WHAT load` of a test data file into the database under `data`, with more flags.
fn loader<'a>(
    what: &'a str,
    file: &str,
    data: &'a str,
) -> impl Fn(&[&str]) -> std::process::Output + 'a {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/qaward-domain/tests/data")
        .join(file);
    move |extra: &[&str]| {
        let path = path.to_str().unwrap();
        let mut args = vec![what, "load", path, "--data", data];
        args.extend_from_slice(extra);
        bin().args(&args).output().unwrap()
    }
}

#[test]
fn a34_policy_load_previews_then_adopts_a_successor_and_serve_keeps_to_the_stored_versions() {
    let dir = tmp_dir();
    let data_s = dir.join("data").to_str().unwrap().to_owned();
    let load = loader("policy", "hypothetical-2027.toml", &data_s);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // Without its document: what it changes, in Chinese, and nothing adopted.
    let o = load(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("市长质量奖名额（个）：3 → 5（依据 A4.3）"),
        "{out}"
    );
    assert!(out.contains("仅预览，未载入"), "{out}");
    let o = load(&[
        "--document-number",
        "忻政办发〔2026〕99号",
        "--document-date",
        "2026-11-26",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("已载入 xinzhou-2027-test"));
    // Stored once: a second load is refused.
    let o = load(&[
        "--document-number",
        "忻政办发〔2026〕99号",
        "--document-date",
        "2026-11-26",
    ]);
    assert_eq!(o.status.code(), Some(1));
    // A configured file that is not a stored version: `serve` refuses to start.
    let other = dir.join("other.toml");
    let text = std::fs::read_to_string(root.join("policy/xinzhou-2021.toml")).unwrap();
    std::fs::write(
        &other,
        text.replace("id = \"xinzhou-2021\"", "id = \"xinzhou-2021-b\""),
    )
    .unwrap();
    let o = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--data", &data_s])
        .env("QAWARD_POLICY", &other)
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("xinzhou-2021-b"), "{}", stderr(&o));
    std::fs::remove_dir_all(dir).ok();
}

/// `qaward calendar load`: a year previewed, then loaded with its notice's number into the
/// database; loaded again without `--replace`, refused; with it, replaced.
#[test]
fn calendar_load_previews_then_loads_a_year_and_replaces_only_when_asked() {
    let dir = tmp_dir();
    let data_s = dir.join("data").to_str().unwrap().to_owned();
    let load = loader("calendar", "calendar-2027-fictional.toml", &data_s);
    let o = load(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("2027年：节假日7个") && out.contains("新增年份"),
        "{out}"
    );
    assert!(out.contains("仅预览，未载入"), "{out}");
    let number = ["--document-number", "国办发明电〔2026〕99号"];
    let o = load(&number);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("已载入2027年节假日安排"));
    let o = load(&number);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("替换已有年份"));
    // The console counts with the calendar in use: 2027-01-01 is a holiday, then a weekend.
    let o = bin()
        .args([
            "calendar",
            "notice-end",
            "2026-12-28",
            "5",
            "--in-use",
            "--data",
            &data_s,
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "2027-01-04\n",
        "{}",
        stderr(&o)
    );
    // The shipped file alone does not reach 2027.
    let o = bin()
        .args(["calendar", "notice-end", "2026-12-28", "5"])
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    let o = load(&[number[0], number[1], "--replace"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    std::fs::remove_dir_all(dir).ok();
}

/// `qaward program add` and `list`: a second program under its own measures, and
/// `policy load --program` adopting a successor for it alone (issue #13, item 4).
#[test]
fn program_add_runs_a_second_program_under_its_own_measures() {
    let dir = tmp_dir();
    let data_s = dir.join("data").to_str().unwrap().to_owned();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let second = dir.join("yuanping.toml");
    let text = std::fs::read_to_string(root.join("policy/xinzhou-2021.toml")).unwrap();
    std::fs::write(
        &second,
        text.replacen("id = \"xinzhou-2021\"", "id = \"yuanping-2021\"", 1)
            .replacen(
                "program = \"忻州市市长质量奖\"",
                "program = \"原平市市长质量奖\"",
                1,
            ),
    )
    .unwrap();
    let second = second.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--data", &data_s]);
        let o = bin().args(&all).output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        (o.status.code(), format!("{out}{}", stderr(&o)))
    };
    let document = [
        "--document-number",
        "原政发〔2021〕1号",
        "--document-date",
        "2021-11-30",
    ];
    let mut add = vec!["program", "add", "Yuan Ping", second];
    add.extend_from_slice(&document);
    let (code, out) = run(&add);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("未新增：评选项目代码由"), "{out}");
    add[2] = "yuanping";
    let (code, out) = run(&add);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("已新增评选项目 yuanping"), "{out}");

    // A successor for the second program alone.
    let successor = root.join("crates/qaward-domain/tests/data/hypothetical-2027.toml");
    let mut load = vec!["policy", "load", successor.to_str().unwrap(), "--program"];
    let dated = [
        "--document-number",
        "原政办发〔2026〕9号",
        "--document-date",
        "2026-11-26",
    ];
    let mut nowhere = load.clone();
    nowhere.push("nowhere");
    nowhere.extend_from_slice(&dated);
    let (code, out) = run(&nowhere);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("没有代码为“nowhere”的评选项目"), "{out}");
    load.push("yuanping");
    load.extend_from_slice(&dated);
    let (code, out) = run(&load);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&["program", "list"]);
    assert_eq!(code, Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].ends_with("\t忻州市市长质量奖\txinzhou-2021"),
        "{out}"
    );
    assert!(
        lines[1].ends_with("\tyuanping\t原平市市长质量奖\txinzhou-2027-test"),
        "{out}"
    );
    std::fs::remove_dir_all(dir).ok();
}

//! `qaward-bench` (issue #14, item 1): seeds a city-sized cycle through the use cases on
//! SQLite and PostgreSQL (once; reused between runs), starts the release server on it,
//! loads its public pages, the Office's queue, an applicant's page, an expert's score
//! sheet and the API lists with wrk at 16 connections beside a bare axum "hello", and
//! writes the table — each page's throughput as a ratio to the hello, p50 and p99, the
//! targets met or not, start-up time and memory — into `docs/PERFORMANCE.md` between its
//! markers, keeping the hand-written findings around them.
//!
//! Run from the workspace root (README):
//! `cargo build --release -p qaward -p qaward-bench && target/release/qaward-bench`.

mod load;
mod report;
mod seed;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Parser;
use qaward_app::testing::Backend;
use qaward_app::testing::commendation::ENTERPRISE_PASSWORD;

use crate::report::{Kind, Row, Run};

#[derive(Parser)]
#[command(
    name = "qaward-bench",
    about = "Measure qaward's pages against a bare axum hello"
)]
struct Args {
    /// sqlite, postgres or both.
    #[arg(long, default_value = "both")]
    backend: String,
    /// Seconds of load per page.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
    /// Where the seeded databases are kept between runs.
    #[arg(long, default_value = "target/bench")]
    cache: PathBuf,
    /// The report to write (its text outside the markers is kept).
    #[arg(long, default_value = "docs/PERFORMANCE.md")]
    out: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let backends = match args.backend.as_str() {
        "sqlite" => vec![Backend::Sqlite],
        "postgres" => vec![Backend::Postgres],
        "both" => vec![Backend::Sqlite, Backend::Postgres],
        other => bail!("--backend is sqlite, postgres or both, not {other}"),
    };
    let bin = std::env::current_exe()?.with_file_name("qaward");
    if !bin.exists() {
        bail!(
            "{} is missing: cargo build --release -p qaward",
            bin.display()
        );
    }
    let hello = load::hello()?;
    let rt = tokio::runtime::Runtime::new()?;
    let mut runs = Vec::new();
    for backend in backends {
        let name = match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        };
        let dir = |what: &str| args.cache.join(format!("{}-{what}", name.to_lowercase()));
        let city = rt.block_on(seed::city(backend, &dir("city")))?;
        let queue = rt.block_on(seed::queue(backend, &dir("queue")))?;
        runs.push(measure(name, &bin, &city, &queue, &hello, args.seconds)?);
    }
    let table = report::render(&runs, &machine(), args.seconds);
    report::write(&args.out, &table)?;
    println!("{table}");
    eprintln!("bench: written to {}", args.out.display());
    Ok(())
}

/// One backend: start-up, memory, the hello and every page (the Office's queue on the
/// queue's data, the rest on the city's).
fn measure(
    backend: &'static str,
    bin: &std::path::Path,
    s: &seed::Seeded,
    queue: &seed::Seeded,
    hello: &str,
    seconds: u32,
) -> Result<Run> {
    // Start-up on the existing database: the best of three starts.
    let mut startup = Vec::new();
    for _ in 0..3 {
        let server = load::Server::start(bin, &s.url, &s.data, &s.today)?;
        startup.push(server.startup);
    }
    let server = load::Server::start(bin, &s.url, &s.data, &s.today)?;
    let idle = server.memory().0;
    let base = server.base.clone();
    let office = login(&base, "office", "qaward-demo")?;
    let queue_server = load::Server::start(bin, &queue.url, &queue.data, &queue.today)?;
    let queue_office = login(&queue_server.base, "office", "qaward-demo")?;
    let applicant = login(&base, &s.applicant, ENTERPRISE_PASSWORD)?;
    let expert = login(&base, "expert1", "qaward-demo")?;
    let hello_rate = load::wrk(&format!("{hello}/"), &[], seconds)?;
    eprintln!(
        "bench: {backend}: hello {:.0} req/s",
        hello_rate.requests_per_second
    );
    let mut pages: Vec<(&str, String, Option<&String>, Kind)> = vec![
        ("公众首页 public home", "/".into(), None, Kind::Public),
        (
            "公示列表 notice list",
            "/notices".into(),
            None,
            Kind::Public,
        ),
        (
            "受理名单公示（100 条）a notice of 100 entries",
            format!("/notices/{}", s.notice),
            None,
            Kind::Public,
        ),
        ("公示列表 API", "/api/v1/notices".into(), None, Kind::Public),
        (
            "申报页 an applicant's application",
            format!("/applications/{}", s.application),
            Some(&applicant),
            Kind::Other,
        ),
        (
            "评分表 an expert's score sheet",
            format!("/evaluation/sheets/{}/material", s.application),
            Some(&expert),
            Kind::Other,
        ),
        (
            "评审任务 API an expert's tasks",
            "/api/v1/evaluation/tasks".into(),
            Some(&expert),
            Kind::Other,
        ),
        (
            "届次看板 API the cycle's dashboard",
            "/api/v1/dashboard".into(),
            Some(&office),
            Kind::Other,
        ),
    ];
    let queue_pages: Vec<(&str, String, Option<&String>, Kind)> = vec![
        (
            "受理工作台（100 件）the Office's queue",
            "/office".into(),
            Some(&queue_office),
            Kind::Queue,
        ),
        (
            "受理工作台 API the Office's queue",
            "/api/v1/office-queue".into(),
            Some(&queue_office),
            Kind::Queue,
        ),
    ];
    // The public pages, the queue's, then the rest, in the table's order.
    let rest = pages.split_off(4);
    let all = pages
        .into_iter()
        .map(|p| (base.clone(), p))
        .chain(
            queue_pages
                .into_iter()
                .map(|p| (queue_server.base.clone(), p)),
        )
        .chain(rest.into_iter().map(|p| (base.clone(), p)));
    let mut rows = Vec::new();
    for (base, (name, path, cookie, kind)) in all {
        let headers: Vec<String> = cookie.map(|c| format!("Cookie: {c}")).into_iter().collect();
        let m = load::wrk(&format!("{base}{path}"), &headers, seconds)?;
        eprintln!(
            "bench: {backend}: {path} {:.0} req/s",
            m.requests_per_second
        );
        rows.push(Row {
            name,
            path,
            kind,
            m,
        });
    }
    let (_, peak) = server.memory();
    startup.sort();
    Ok(Run {
        backend,
        hello: hello_rate,
        rows,
        startup: startup[0],
        idle_mib: idle,
        peak_mib: peak,
    })
}

/// Logs in through the API; returns the session cookie (`name=value`).
fn login(base: &str, username: &str, password: &str) -> Result<String> {
    let addr = base.trim_start_matches("http://");
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let mut s = TcpStream::connect(addr)?;
    write!(
        s,
        "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    out.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .find(|c| c.starts_with("qaward_session="))
        .map(str::to_owned)
        .with_context(|| format!("{username} could not log in: {out}"))
}

/// The machine, as the report names it.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "{cores} cores ({model}), {mem_gib:.0} GiB; commit {commit}; {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    )
}

//! The load: wrk (Debian's package) at 16 connections against one URL, its throughput and
//! latency percentiles read from its report; the release server started as a process
//! with its start-up time and memory read from outside; and the bare axum "hello" every
//! figure is divided by.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Connections, as the issue measures.
pub const CONNECTIONS: u32 = 16;

/// One URL under load.
#[derive(Debug, Clone)]
pub struct Measured {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Runs wrk against `url` for `seconds` with `headers`; refuses a run in which any answer
/// was not 2xx or 3xx (a benchmark of error pages measures nothing).
pub fn wrk(url: &str, headers: &[String], seconds: u32) -> Result<Measured> {
    let mut c = Command::new("wrk");
    c.args([
        "-t2",
        &format!("-c{CONNECTIONS}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    for h in headers {
        c.args(["-H", h]);
    }
    let out = c
        .arg(url)
        .output()
        .context("run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "wrk failed on {url}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if text.contains("Non-2xx or 3xx responses") || text.contains("Socket errors") {
        bail!("{url} answered errors under load:\n{text}");
    }
    parse(&text).with_context(|| format!("read wrk's report on {url}:\n{text}"))
}

fn parse(text: &str) -> Option<Measured> {
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    Some(Measured {
        requests_per_second: field("Requests/sec:")?.parse().ok()?,
        p50_ms: millis(field("50%")?)?,
        p99_ms: millis(field("99%")?)?,
    })
}

/// wrk's durations: `812.00us`, `1.25ms`, `2.01s`.
fn millis(s: &str) -> Option<f64> {
    let (n, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

/// The release server as a process.
pub struct Server {
    child: Child,
    pub base: String,
    /// From the spawn to "serving on".
    pub startup: Duration,
}

impl Server {
    /// `qaward serve` (the binary beside this one) on the seeded database, logging as it
    /// would in production.
    pub fn start(bin: &Path, url: &str, data: &Path, today: &str) -> Result<Server> {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database",
                url,
                "--today",
                today,
            ])
            .arg("--data")
            .arg(data)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let stdout = child.stdout.take().context("the server's output")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(addr) = line.strip_prefix("qaward serving on ") {
                        break addr.trim().to_owned();
                    }
                }
                _ => bail!("the server stopped before it listened"),
            }
        };
        let startup = started.elapsed();
        // Keep reading what it prints, or it would block on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Server {
            child,
            base,
            startup,
        })
    }

    /// Resident memory now and at its highest, in MiB (Linux's /proc).
    pub fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let kib = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bare axum "hello" on its own runtime of two worker threads (as the server has on
/// this machine); returns its base URL.
pub fn hello() -> Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("the listener");
            let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
            let _ = axum::serve(listener, app).await;
        });
    });
    Ok(format!("http://{addr}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrks_report() {
        let report = "Running 2s test @ http://127.0.0.1:1/\n  2 threads and 16 connections\n  Latency Distribution\n     50%  812.00us\n     75%    1.10ms\n     90%    1.50ms\n     99%    3.25ms\n  1000 requests in 2.00s, 1.00MB read\nRequests/sec:  12345.67\nTransfer/sec:      1.00MB\n";
        let m = parse(report).unwrap();
        assert_eq!(m.requests_per_second, 12345.67);
        assert_eq!(m.p50_ms, 0.812);
        assert_eq!(m.p99_ms, 3.25);
        assert_eq!(millis("2.5s"), Some(2500.0));
        assert_eq!(millis("7"), None);
    }
}

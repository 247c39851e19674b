//! What the binary's end-to-end suites share: the binary with a clean environment, a
//! scratch directory, a server on a free port with raw HTTP requests and a clean stop,
//! commands' output, a login through the form. Each suite uses a part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary with no `QAWARD_*` variable from the developer's environment: the loader
/// reads all of them, and a test must see only what it sets.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qaward"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("QAWARD_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

pub fn tmp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "qaward-server-{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 4]>())
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    /// Starts `qaward serve` with `args` on a free port and waits for it to listen.
    pub fn start(args: &[&str]) -> Server {
        Server::start_env(args, &[])
    }

    /// Starts `qaward serve` with `args` and the environment variables `env`.
    pub fn start_env(args: &[&str], env: &[(&str, &str)]) -> Server {
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
    pub fn request(
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
    pub fn stop(mut self) {
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

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Logs in through the form; returns the status.
pub fn login(s: &Server, user: &str) -> u16 {
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

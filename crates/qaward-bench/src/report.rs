//! The report: one table per backend, each page's throughput as a ratio to the bare axum
//! hello with its p50 and p99 and the target for its kind, met or not; start-up and
//! memory against theirs. Written between two markers of `docs/PERFORMANCE.md` so that the
//! findings written by hand around it stay.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::load::{CONNECTIONS, Measured};

const BEGIN: &str = "<!-- qaward-bench: begin (generated; edit outside the markers) -->";
const END: &str = "<!-- qaward-bench: end -->";

/// What a page is held to (issue #14, item 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Public pages: at least 25 % of the hello.
    Public,
    /// The Office's queue of 100: at least 5 % of the hello, p99 under 10 ms.
    Queue,
    /// No ratio set by the issue.
    Other,
}

impl Kind {
    fn target(self) -> &'static str {
        match self {
            Kind::Public => "≥ 25 %",
            Kind::Queue => "≥ 5 %, p99 < 10 ms",
            Kind::Other => "—",
        }
    }

    fn met(self, ratio: f64, p99_ms: f64) -> &'static str {
        match self {
            Kind::Public if ratio >= 0.25 => "yes",
            Kind::Queue if ratio >= 0.05 && p99_ms < 10.0 => "yes",
            Kind::Other => "",
            _ => "**no**",
        }
    }
}

pub struct Row {
    pub name: &'static str,
    pub path: String,
    pub kind: Kind,
    pub m: Measured,
}

pub struct Run {
    pub backend: &'static str,
    pub hello: Measured,
    pub rows: Vec<Row>,
    pub startup: Duration,
    pub idle_mib: f64,
    pub peak_mib: f64,
}

/// The generated part of the report.
pub fn render(runs: &[Run], machine: &str, seconds: u32) -> String {
    let mut out = format!(
        "Measured on {machine}, with wrk at {CONNECTIONS} connections (2 threads), {seconds} s \
         per page, against the release server with its production logging, the city seeded \
         (one cycle, {n} applications evaluated; the Office's queue on a cycle of {n} \
         applications recommended to it).\n",
        n = crate::seed::CITY
    );
    for run in runs {
        out.push_str(&format!(
            "\n### {}\n\nBare axum hello: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms.\n\n\
             | page | path | requests/s | of hello | p50 ms | p99 ms | target | met |\n\
             |---|---|---:|---:|---:|---:|---|---|\n",
            run.backend, run.hello.requests_per_second, run.hello.p50_ms, run.hello.p99_ms
        ));
        for r in &run.rows {
            let ratio = r.m.requests_per_second / run.hello.requests_per_second;
            out.push_str(&format!(
                "| {} | `{}` | {:.0} | {:.1} % | {:.2} | {:.2} | {} | {} |\n",
                r.name,
                r.path,
                r.m.requests_per_second,
                ratio * 100.0,
                r.m.p50_ms,
                r.m.p99_ms,
                r.kind.target(),
                r.kind.met(ratio, r.m.p99_ms)
            ));
        }
        let ms = run.startup.as_secs_f64() * 1000.0;
        out.push_str(&format!(
            "\nStart-up on the existing database: {ms:.0} ms (target < 200 ms: {}). Resident \
             memory idle: {:.1} MiB (target < 30 MiB: {}); at its highest under the load: \
             {:.1} MiB.\n",
            if ms < 200.0 { "met" } else { "**not met**" },
            run.idle_mib,
            if run.idle_mib < 30.0 {
                "met"
            } else {
                "**not met**"
            },
            run.peak_mib
        ));
    }
    out
}

/// Puts `table` between the markers of `path`, creating the file (with a heading) or the
/// markers (at its end) when they are not there.
pub fn write(path: &Path, table: &str) -> Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| "# Performance\n\n".into());
    let generated = format!("{BEGIN}\n{table}{END}");
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{generated}{}", &old[..b], &old[e + END.len()..])
        }
        _ => format!("{}\n{generated}\n", old.trim_end()),
    };
    std::fs::write(path, new).with_context(|| format!("write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_goes_between_the_markers_and_the_findings_stay() {
        let dir = std::env::temp_dir().join(format!("qaward-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("PERFORMANCE.md");
        std::fs::write(&path, "# Performance\n\nfindings\n").unwrap();
        write(&path, "first\n").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\nmore findings\n")).unwrap();
        write(&path, "second\n").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("findings\n") && text.contains("more findings"),
            "{text}"
        );
        assert!(text.contains("second") && !text.contains("first"), "{text}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

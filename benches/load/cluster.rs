//! `--balanced N`: the servers run as `scripts/cluster` runs them, N behind nginx on the
//! benchmark's PostgreSQL, and every scenario goes through nginx. `cpu_seconds` tells where
//! the time goes: CPU seconds per program (the servers, nginx, PostgreSQL, this driver) over a
//! stretch of the run, read from `ps`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

pub struct Balanced {
    dir: tempfile::TempDir,
    pub port: u16,
}

impl Balanced {
    /// `n` copies of `server` on `database_url`, behind nginx on a free port.
    pub fn start(n: usize, server: &Path, database_url: &str) -> Self {
        let balanced = Balanced {
            dir: tempfile::tempdir().unwrap(),
            port: crate::process::free_port(),
        };
        balanced.run(&["start", &n.to_string()], server, database_url);
        balanced
    }

    fn run(&self, args: &[&str], server: &Path, database_url: &str) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster");
        let out = Command::new("bash")
            .arg(script)
            .args(args)
            .env("CLUSTER_DIR", self.dir.path())
            .env("CLUSTER_PORT", self.port.to_string())
            .env("SALES_SERVER", server)
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            // Orders entered during the run can be invoiced without delivering them first.
            .env("INVOICE_POLICY", "ordered")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/cluster {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Balanced {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster"))
            .arg("stop")
            .env("CLUSTER_DIR", self.dir.path())
            .output();
    }
}

/// CPU seconds used so far by each program running now, by name.
pub fn cpu_seconds() -> BTreeMap<String, f64> {
    let out = Command::new("ps")
        .args(["-eo", "comm=,time="])
        .output()
        .expect("ps");
    let mut by_name = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(time)) = (parts.next(), parts.next_back()) else {
            continue;
        };
        // [[dd-]hh:]mm:ss
        let (days, clock) = time.split_once('-').unwrap_or(("0", time));
        let secs = clock
            .split(':')
            .fold(0.0, |acc, p| acc * 60.0 + p.parse::<f64>().unwrap_or(0.0));
        let secs = secs + days.parse::<f64>().unwrap_or(0.0) * 86_400.0;
        *by_name.entry(name.to_string()).or_insert(0.0) += secs;
    }
    by_name
}

/// The CPU seconds each program used between two `cpu_seconds` readings (the busy ones).
pub fn print_cpu(what: &str, before: &BTreeMap<String, f64>, after: &BTreeMap<String, f64>) {
    let mut used: Vec<(&String, f64)> = after
        .iter()
        .map(|(name, s)| (name, s - before.get(name).copied().unwrap_or(0.0)))
        .filter(|(_, s)| *s >= 1.0)
        .collect();
    used.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list: Vec<String> = used.iter().map(|(n, s)| format!("{n} {s:.0}")).collect();
    println!("CPU seconds during {what}: {}", list.join(", "));
}

//! `--balanced N`: the servers run as `scripts/cluster` runs them, N behind nginx on the
//! benchmark's PostgreSQL, and every scenario goes through nginx. `cpu_seconds` tells where
//! the time goes: CPU seconds per program (the servers, nginx, PostgreSQL, this driver) over a
//! stretch of the run, read from `/proc`.

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

/// CPU time so far of every process running now, by pid: its name and seconds (user + system,
/// from `/proc/PID/stat`, in clock ticks of 1/100 s). Kept by pid, not summed by name, so a
/// process that ends between two readings (a pooled connection's PostgreSQL backend) cannot
/// take its past time off the others' of the same name.
pub fn cpu_seconds() -> BTreeMap<u32, (String, f64)> {
    let mut by_pid = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return by_pid;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid …": the name may hold spaces, so split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_string();
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        // After the name: state is field 0, utime field 11, stime field 12.
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        by_pid.insert(pid, (name, (ticks(11) + ticks(12)) / 100.0));
    }
    by_pid
}

/// The CPU seconds each program used between two `cpu_seconds` readings (the busy ones),
/// summed by name over the processes alive at the second reading. A process that ended in
/// between is not counted; how many did is printed, so a gap is visible.
pub fn print_cpu(
    what: &str,
    before: &BTreeMap<u32, (String, f64)>,
    after: &BTreeMap<u32, (String, f64)>,
) {
    let mut by_name: BTreeMap<&str, f64> = BTreeMap::new();
    for (pid, (name, secs)) in after {
        let earlier = before.get(pid).map_or(0.0, |(_, s)| *s);
        *by_name.entry(name).or_insert(0.0) += secs - earlier;
    }
    let ended = before.keys().filter(|pid| !after.contains_key(pid)).count();
    let mut used: Vec<(&str, f64)> = by_name.into_iter().filter(|(_, s)| *s >= 0.5).collect();
    used.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list: Vec<String> = used.iter().map(|(n, s)| format!("{n} {s:.1}")).collect();
    println!(
        "CPU seconds during {what}: {} ({ended} processes ended meanwhile, not counted)",
        list.join(", ")
    );
}

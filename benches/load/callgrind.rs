//! `--callgrind`: the server runs under valgrind's callgrind, and each scenario reports the
//! instructions the server executed per request. Instruction counts repeat from run to run on
//! this noisy shared machine where timings do not, so they show what a change saved. The
//! counters are zeroed as a scenario starts (after its warm-up) and dumped as it ends; each
//! dump stays in the output directory for `callgrind_annotate`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub struct Profiled {
    pub pid: u32,
    pub dir: PathBuf,
}

static PROFILED: OnceLock<Profiled> = OnceLock::new();

/// The command that runs `server` under callgrind, writing its dumps to `out`.
pub fn wrap(server: &Path, dir: &Path, out: &Path) -> Command {
    let mut cmd = crate::process::clean_command("valgrind", dir);
    cmd.arg("--tool=callgrind")
        .arg(format!(
            "--callgrind-out-file={}/callgrind.out.%p",
            out.display()
        ))
        .arg(server);
    cmd
}

/// From now on, every scenario is counted in the server with this pid.
pub fn watch(pid: u32, dir: PathBuf) {
    let _ = PROFILED.set(Profiled { pid, dir });
}

fn control(args: &[&str]) {
    let Some(p) = PROFILED.get() else { return };
    let status = Command::new("callgrind_control")
        .args(args)
        .arg(p.pid.to_string())
        .output()
        .expect("callgrind_control (valgrind's package)");
    assert!(status.status.success(), "callgrind_control {args:?} failed");
}

/// Zero the server's counters: a scenario starts.
pub fn start() {
    control(&["--zero"]);
}

/// Dump the counters under `name`; the instructions executed since `start`, if profiling.
pub fn stop(name: &str) -> Option<u64> {
    let p = PROFILED.get()?;
    let before = dumps(&p.dir);
    // Valgrind's command channel takes one plain word.
    let word: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    control(&[&format!("--dump={word}")]);
    // The dump is written by the server's own thread a moment later.
    for _ in 0..600 {
        let fresh: Vec<PathBuf> = dumps(&p.dir)
            .into_iter()
            .filter(|d| !before.contains(d))
            .collect();
        if let Some(total) = fresh.iter().find_map(|d| totals(d)) {
            return Some(total);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("callgrind wrote no dump for {name}");
}

fn dumps(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// The `totals:` (or `summary:`) line of a complete dump: instructions executed.
fn totals(dump: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(dump).ok()?;
    text.lines()
        .rev()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
}

//! Shared by the integration tests, the browser tests and the benchmark: running the real
//! server binary (or chromedriver) as a child process on a free loopback port.
// Each crate that includes this file uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Kills the child when dropped, so a failing test never leaves a server behind.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free port for a child process, below Linux's ephemeral range (32768–60999): a port the
/// OS hands out for `bind(0)` (every in-process test app takes one) could otherwise be taken
/// between this check and the child's own bind, and the test would talk to another server.
pub fn free_port() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        let port = 20_000 + (h.finish() % 10_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// `program` run in `dir` with an empty environment but PATH: nothing leaks in from the
/// caller (cargo's CARGO_MANIFEST_DIR, for one, makes dioxus serve assets from source paths).
pub fn clean_command(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(dir);
    cmd
}

/// Polls `url` until it answers 2xx; returns that response. Panics after `limit`.
pub async fn wait_http_ok(url: &str, limit: Duration) -> reqwest::Response {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(res) = client.get(url).send().await
            && res.status().is_success()
        {
            return res;
        }
        assert!(
            Instant::now() < deadline,
            "{url} did not answer within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The built server on loopback `port`, run in `dir` on `database_url`; the caller adds
/// output handling and spawns it.
pub fn server_command(
    binary: impl AsRef<std::ffi::OsStr>,
    dir: &Path,
    port: u16,
    database_url: &str,
) -> Command {
    let mut cmd = clean_command(binary, dir);
    cmd.env("IP", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("DATABASE_URL", database_url);
    cmd
}

/// chromedriver (`CHROMEDRIVER`, or the one on PATH) on `port`, once it answers; stopped when
/// dropped. Returns the guard and its base URL.
pub async fn start_chromedriver(port: u16) -> (ChildGuard, String) {
    let guard = ChildGuard(
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start chromedriver (apt-get install chromium-driver)"),
    );
    let url = format!("http://127.0.0.1:{port}");
    wait_http_ok(&format!("{url}/status"), Duration::from_secs(30)).await;
    (guard, url)
}

/// Chromium flags that work on this machine kind (the same flags the machine recipe lists).
pub const CHROME_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    // The CSS drops its slide transitions then, so screenshots never catch a half-open menu.
    "--force-prefers-reduced-motion",
];

/// The Chromium binary chromedriver drives (`CHROMIUM`, or Debian's).
pub fn chromium_binary() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// The dx-built server (`SALES_E2E_SERVER`, or the debug build's), for the browser and desktop
/// tests.
pub fn built_server() -> PathBuf {
    let path = std::env::var("SALES_E2E_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/dx/sales/debug/web/server")
        });
    assert!(
        path.exists(),
        "{} is missing: build the app first (scripts/test does: dx build --web --fullstack true)",
        path.display()
    );
    path
}

/// Where the browser and desktop tests keep their screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

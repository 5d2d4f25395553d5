//! Shared by the integration tests, the browser tests and the benchmark: running the real
//! server binary (or chromedriver) as a child process on a free loopback port.

use std::path::Path;
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

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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

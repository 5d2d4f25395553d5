//! "On this computer": the app's own server, started as a child process on loopback with
//! SQLite in the user's data folder.
//!
//! The child stops when its stdin closes (`STOP_ON_STDIN_CLOSE`). The pipe closes when this
//! process ends for any reason, a crash included, so the server always shuts down
//! gracefully: in-flight requests finish and nothing acknowledged is lost.

use super::health;
use super::settings::{Folders, database_url};
use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a first start may take (it creates and migrates the database).
const READY_WITHIN: Duration = Duration::from_secs(60);
/// How long a stop may take before the server is killed.
const STOP_WITHIN: Duration = Duration::from_secs(20);

pub struct LocalServer {
    child: Child,
    stdin: Option<ChildStdin>,
    pub url: String,
    log: PathBuf,
}

impl LocalServer {
    /// Start the server and return once it answers `/health`.
    pub async fn start(folders: &Folders) -> Result<Self, String> {
        let binary = server_binary()?;
        let data = &folders.data;
        std::fs::create_dir_all(data)
            .map_err(|e| format!("Cannot make the data folder {}: {e}", data.display()))?;
        let key = session_key(data)?;
        let port = free_port()?;
        let url = format!("http://127.0.0.1:{port}");
        let log = data.join("server.log");
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| format!("Cannot write {}: {e}", log.display()))?;
        let err_file = log_file.try_clone().map_err(|e| e.to_string())?;
        let mut child = Command::new(&binary)
            // The data folder, so a `.env` kept there can set SMTP and the company's details.
            .current_dir(data)
            .env("DATABASE_URL", database_url(data))
            .env("IP", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("BASE_URL", &url)
            .env("SESSION_KEY", key)
            .env("STOP_ON_STDIN_CLOSE", "1")
            .env_remove("DEMO_DATA")
            // Set under `cargo run`/`cargo test`: dioxus would serve assets from source paths.
            .env_remove("CARGO_MANIFEST_DIR")
            .stdin(Stdio::piped())
            .stdout(log_file)
            .stderr(err_file)
            .spawn()
            .map_err(|e| format!("Cannot start {}: {e}", binary.display()))?;
        let stdin = child.stdin.take();
        let mut server = Self {
            child,
            stdin,
            url,
            log,
        };
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "The server stopped while starting ({status}). Its last words:\n{}",
                    self.log_tail()
                ));
            }
            if health::check(&self.url).await.is_ok() {
                return Ok(());
            }
            if started.elapsed() > READY_WITHIN {
                return Err(format!(
                    "The server did not start within {} seconds. Its last words:\n{}",
                    READY_WITHIN.as_secs(),
                    self.log_tail()
                ));
            }
            crate::ui::timer::sleep(200).await;
        }
    }

    /// True while the child process runs.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The end of the server's log, for a screen that says why it stopped.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(8)..].join("\n")
    }

    /// Ask the server to stop (close its stdin), wait for it, and kill it only if it hangs.
    pub fn stop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.flush();
        }
        let asked = Instant::now();
        while asked.elapsed() < STOP_WITHIN {
            if !self.running() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        tracing::error!("the local server did not stop within {STOP_WITHIN:?}; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The server binary: `SALES_SERVER_BIN`, else where the package puts it beside this program
/// (`/usr/bin/sales` → `/usr/lib/sales/server`), else next to this program.
fn server_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("SALES_SERVER_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe.parent().unwrap_or(Path::new("/"));
    let candidates = [dir.join("../lib/sales/server"), dir.join("server")];
    candidates.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        format!(
            "The server program is missing (looked in {}/../lib/sales). Reinstall the package.",
            dir.display()
        )
    })
}

/// The session key, made once and kept in the data folder, so a restart keeps people signed
/// in. Only this user may read it.
fn session_key(data: &Path) -> Result<String, String> {
    let file = data.join("session.key");
    if let Ok(key) = std::fs::read_to_string(&file) {
        let key = key.trim();
        if key.len() == 128 && key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(key.to_string());
        }
    }
    let bytes: [u8; 64] = rand::random();
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&file, &key).map_err(|e| format!("Cannot write {}: {e}", file.display()))?;
    Ok(key)
}

fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file)?.write_all(text.as_bytes())
}

/// A loopback port nothing listens on now. The server binds it a moment later; another
/// program taking it in between makes the start fail with the server's own message.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("No free port on this computer: {e}"))
}

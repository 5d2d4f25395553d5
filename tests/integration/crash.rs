//! Crash safety: the server binary is killed with SIGKILL five times while orders,
//! deliveries, invoice issues and payments pour in, and restarted on the same database. No
//! write that was answered with success is missing afterwards, and the stock and number
//! checks are clean. It runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

use std::process::{Child, Stdio};
use std::time::Duration;

use crate::process::{clean_command, free_port, wait_http_ok};
use crate::support::fresh_database;
use crate::support::load;

const KILLS: usize = 5;
const WORKERS: usize = 4;

struct Server {
    dir: std::path::PathBuf,
    url: String,
    port: u16,
}

impl Server {
    fn start(&self) -> Child {
        clean_command(env!("CARGO_BIN_EXE_sales"), &self.dir)
            .env("DATABASE_URL", &self.url)
            .env("PORT", self.port.to_string())
            // The same key across restarts, so the load's sessions outlive each kill.
            .env("SESSION_KEY", "cd".repeat(64))
            .env("INVOICE_POLICY", "ordered")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn healthy(&self) {
        wait_http_ok(&format!("{}/health", self.base()), Duration::from_secs(60)).await;
    }

    async fn command(&self, check: &str) -> (bool, String) {
        let mut cmd = clean_command(env!("CARGO_BIN_EXE_sales"), &self.dir);
        cmd.arg(check).env("DATABASE_URL", &self.url);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    }
}

#[tokio::test]
async fn killed_five_times_under_load_nothing_acknowledged_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server {
        dir: dir.path().to_path_buf(),
        url: fresh_database(&dir).await,
        port: free_port(),
    };
    let mut child = server.start();
    server.healthy().await;
    let running = load::start(&server.base(), WORKERS).await;

    for kill in 0..KILLS {
        // A different moment in the load each time: 0.6 to 1.5 s.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        tokio::time::sleep(Duration::from_millis(600 + u64::from(nanos % 900))).await;
        let before = running.orders();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        eprintln!("kill {}: {before} orders acknowledged so far", kill + 1);
        child = server.start();
        server.healthy().await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let acked = running.finish().await;
    child.kill().unwrap();
    child.wait().unwrap();

    assert!(
        acked.payments.len() > KILLS,
        "the load ran: {}",
        acked.payments.len()
    );
    load::verify(&server.url, &acked).await;
    for check in ["check-stock", "check-numbers"] {
        let (ok, out) = server.command(check).await;
        assert!(ok, "{check} after the kills: {out}");
    }
}

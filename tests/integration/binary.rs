//! The real server binary, and the SQLite connections it opens: start-up with nothing
//! configured, on PostgreSQL, and refusing a malformed setting with one line that names it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{ChildGuard, clean_command, free_port, wait_http_ok};
use crate::support::{fresh_database, on_postgres};

/// The binary with a clean environment, run in `dir`.
fn server_command(dir: &Path) -> Command {
    let mut cmd = clean_command(env!("CARGO_BIN_EXE_sales"), dir);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

async fn wait_healthy(port: u16) -> serde_json::Value {
    let url = format!("http://127.0.0.1:{port}/health");
    wait_http_ok(&url, Duration::from_secs(30))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn with_nothing_configured_it_creates_a_sqlite_database_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = ChildGuard(
        server_command(dir.path())
            .env("PORT", port.to_string())
            .spawn()
            .unwrap(),
    );
    let health = wait_healthy(port).await;
    assert_eq!(health["backend"], "sqlite");

    let db_file = dir.path().join("data/sales.db");
    assert!(db_file.exists(), "data/sales.db was created");
    let db = sea_orm::Database::connect(format!("sqlite://{}", db_file.display()))
        .await
        .unwrap();
    assert_eq!(value::<String>(&db, "PRAGMA journal_mode").await, "wal");
    let migrated = value::<i64>(&db, "SELECT COUNT(*) FROM seaql_migrations").await;
    assert!(migrated >= 1);
    // Built with the project's SQLite options (`.cargo/config.toml`): the binary links the
    // same SQLite as this test.
    let missing = sales::server::db::missing_sqlite_options(&db)
        .await
        .unwrap();
    assert!(missing.is_empty(), "SQLite built without {missing:?}");
}

/// A grouped write's statement journal outgrows SQLite's in-memory 64 KiB; on disk it was a
/// file created and deleted in /var/tmp for every group (`db::connect`).
#[tokio::test]
async fn sqlite_connections_keep_temporary_data_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let config =
        sales::server::Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    let db = sales::server::db::connect(&config).await.unwrap();
    // 2 is MEMORY; SQLite's default, 0, follows the build, which puts them in files.
    assert_eq!(value::<i64>(&db, "PRAGMA temp_store").await, 2);
}

/// The first column of the one row `sql` answers on a connection of `db`.
async fn value<T: sea_orm::TryGetable>(db: &sea_orm::DatabaseConnection, sql: &str) -> T {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<T>(0).unwrap()
}

#[tokio::test]
#[ignore = "PostgreSQL only: scripts/test runs it with TEST_DATABASE_URL and --include-ignored"]
async fn database_url_selects_postgres() {
    assert!(on_postgres(), "set TEST_DATABASE_URL to run this test");
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let port = free_port();
    let _server = ChildGuard(
        server_command(dir.path())
            .env("PORT", port.to_string())
            .env("DATABASE_URL", url)
            .spawn()
            .unwrap(),
    );
    assert_eq!(wait_healthy(port).await["backend"], "postgres");
}

#[test]
fn a_malformed_setting_stops_start_up_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "PORT",
            "eighty",
            "configuration error: PORT: 'eighty' is not a valid number here",
        ),
        (
            "DATABASE_URL",
            "mysql://localhost/sales",
            "configuration error: DATABASE_URL: must start with sqlite: or postgres://",
        ),
        (
            "SESSION_KEY",
            "too-short",
            "configuration error: SESSION_KEY:",
        ),
    ];
    for (name, value, expected) in cases {
        let out = server_command(dir.path())
            .env(name, value)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name}={value} must stop start-up");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "exactly one line: {stderr}");
        assert!(lines[0].starts_with(expected), "{name}: {}", lines[0]);
    }
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created when configuration is refused"
    );
}

#[test]
fn a_malformed_dotenv_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "PORT=9\nTHIS IS NOT A SETTING\n").unwrap();
    let out = server_command(dir.path()).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("configuration error: .env:"), "{stderr}");
}

#[tokio::test]
async fn demo_data_seeds_one_account_per_role_and_prints_the_passwords() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = ChildGuard(
        server_command(dir.path())
            .env("PORT", port.to_string())
            .env("DEMO_DATA", "true")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    wait_healthy(port).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = client
        .post(format!("http://127.0.0.1:{port}/api/auth/login"))
        .header(crate::accounts::CLIENT_HEADER.0, crate::accounts::CLIENT_HEADER.1)
        .json(&serde_json::json!({ "form": { "login": "warehouse", "password": "granite harbor crates 18" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The demo clients: fifty, two of them archived, readable by every role.
    let page: sales::clients::ClientPage = client
        .get(format!("http://127.0.0.1:{port}/api/clients/?q="))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.total, 48);
    assert_eq!(page.rows.len(), 25);
    assert_eq!(
        page.rows[0].name, "Adventure Works Cycles",
        "sorted by name"
    );
    // The demo orders: 200, in every status the workflow reaches without deliveries.
    let orders = |query: &'static str| {
        let (client, url) = (
            client.clone(),
            format!("http://127.0.0.1:{port}/api/orders/?{query}"),
        );
        async move {
            let page: sales::orders::OrderPage =
                client.get(url).send().await.unwrap().json().await.unwrap();
            page.total
        }
    };
    assert_eq!(orders("").await, 200);
    for query in ["status=draft", "status=confirmed", "status=cancelled"] {
        let n = orders(query).await;
        assert!(n >= 10, "{n} orders with {query}");
    }
    // The demo invoices, read by accounting: drafts, open, paid and credited ones.
    let accounting = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = accounting
        .post(format!("http://127.0.0.1:{port}/api/auth/login"))
        .header(crate::accounts::CLIENT_HEADER.0, crate::accounts::CLIENT_HEADER.1)
        .json(&serde_json::json!({ "form": { "login": "accounting", "password": "velvet ledger summit 93" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for status in ["draft", "open", "paid", "credited"] {
        let page: sales::invoices::InvoicePage = accounting
            .get(format!(
                "http://127.0.0.1:{port}/api/invoices/?status={status}"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(page.total >= 1, "demo invoices that are {status}");
    }
    let _ = server.0.kill();
    let _ = server.0.wait();
    let mut out = String::new();
    server
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    for line in ["admin", "sales", "warehouse", "accounting"] {
        assert!(out.contains(&format!("  {line}")), "{line} printed: {out}");
    }
    assert!(out.contains("password: orbit lantern admin 47"), "{out}");
}

/// `server check-stock`: the ledger consistency check as a command, exit 1 on drift.
#[tokio::test]
async fn check_stock_command_reports_drift() {
    use sea_orm::ConnectionTrait;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/check.db?mode=rwc", dir.path().display());
    let run = || {
        clean_command(env!("CARGO_BIN_EXE_sales"), dir.path())
            .arg("check-stock")
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("totals equal"));
    // A total the ledger does not explain: 5 on hand, no movements.
    let db = sea_orm::Database::connect(&url).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO products (sku, sku_key, name, name_key, description, unit, unit_price, \
         tax_rate_bp, reorder_level, on_hand, reserved, low_stock_alerted, active, created_at, \
         updated_at) VALUES ('DRIFT-1', 'drift-1', 'Drifter', 'drifter', '', 'pcs', 100, 1900, \
         0, 5, 0, false, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("DRIFT-1") && stdout.contains("on hand 5 but the ledger says 0"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 product(s) drift"));
}

/// `server check-numbers`: gaps and repeats in the document series, exit 1 when found.
#[tokio::test]
async fn check_numbers_command_reports_a_gap() {
    use sea_orm::ConnectionTrait;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/numbers.db?mode=rwc", dir.path().display());
    let run = || {
        clean_command(env!("CARGO_BIN_EXE_sales"), dir.path())
            .arg("check-numbers")
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("without a gap"));
    // Two invoice numbers of 2026 handed out, on no invoice.
    let db = sea_orm::Database::connect(&url).await.unwrap();
    db.execute_unprepared("INSERT INTO sequences (name, next) VALUES ('INV-2026', 3)")
        .await
        .unwrap();
    db.close().await.unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("INV 2026: missing 1, 2"), "{stdout}");
}

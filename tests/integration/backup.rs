//! `server backup PATH`: a copy of the SQLite database taken while orders keep coming in,
//! restored into a new server, is consistent: every order acknowledged before the backup
//! began is in it, and the stock and number checks pass on it.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use sales::orders::Order;

use crate::process::clean_command;
use crate::support::api::ok;
use crate::support::{PASSWORD, spawn_app_with};

/// Runs the server binary with `args` on the database at `url`: (exit code, stdout, stderr).
async fn command(dir: &Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = clean_command(env!("CARGO_BIN_EXE_sales"), dir);
    cmd.args(args).env("DATABASE_URL", url);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_into_a_consistent_server() {
    let dir = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}/live.db?mode=rwc", dir.path().display());
    // SQLite whatever the run's backend: the command copies SQLite databases.
    let app = spawn_app_with(&[("DATABASE_URL", &live)]).await;
    app.register("ann").await;
    let client = app.a_client("Acme").await;
    let product = app.product_with_stock("P0", 100_000).await;

    let mut before = Vec::new();
    for _ in 0..20 {
        before.push(
            app.confirmed_order(client.id, &[(product.id, 1, "10.00")])
                .await,
        );
    }
    let copy = dir.path().join("copy.db");
    let done = AtomicBool::new(false);
    // Orders keep coming in while the copy is taken.
    let writer = async {
        let mut during = 0;
        while !done.load(Ordering::Relaxed) {
            app.confirmed_order(client.id, &[(product.id, 2, "10.00")])
                .await;
            during += 1;
        }
        during
    };
    let backup = async {
        let out = command(dir.path(), &live, &["backup", copy.to_str().unwrap()]).await;
        done.store(true, Ordering::Relaxed);
        out
    };
    let (during, (code, stdout, stderr)) = tokio::join!(writer, backup);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("integrity check ok"), "{stdout}");
    assert!(during > 0, "orders were written while the copy was taken");

    // Restored: a new server on the copy has every order acknowledged before the backup.
    let restored_url = format!("sqlite://{}?mode=rwc", copy.display());
    for check in ["check-stock", "check-numbers"] {
        let (code, out, err) = command(dir.path(), &restored_url, &[check]).await;
        assert_eq!(code, 0, "{check} on the copy: {out}{err}");
    }
    let restored = spawn_app_with(&[("DATABASE_URL", &restored_url)]).await;
    assert_eq!(restored.sign_in("ann", PASSWORD).await.status(), 200);
    for order in &before {
        let again: Order = ok(restored.get(&format!("/api/orders/{}", order.id)).await).await;
        assert_eq!(again.number, order.number);
    }

    // An existing file is never overwritten.
    let (code, _, err) = command(dir.path(), &live, &["backup", copy.to_str().unwrap()]).await;
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
}

#[tokio::test]
async fn on_postgresql_backup_points_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://nobody@127.0.0.1:9/none";
    let path = dir.path().join("x.db");
    let (code, _, err) = command(dir.path(), url, &["backup", path.to_str().unwrap()]).await;
    assert_eq!(code, 1);
    assert!(err.contains("pg_dump"), "{err}");
    assert!(!path.exists());
}

//! Crash safety: the server binary is killed with SIGKILL five times while orders,
//! deliveries, invoice issues and payments pour in, and restarted on the same database. No
//! write that was answered with success is missing afterwards, and the stock and number
//! checks are clean. It runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sales::invoices::Invoice;
use sales::orders::Order;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::accounts::register_body;
use crate::process::{clean_command, free_port, wait_http_ok};
use crate::support::api::{
    client_form, issue_form, order_form, payment_form, product_form, receipt, schedule_form,
};
use crate::support::{CLIENT_HEADER, fresh_database};

const KILLS: usize = 5;
const WORKERS: usize = 4;

/// What the load was told succeeded.
#[derive(Default)]
struct Acked {
    orders: Vec<(i64, String)>,
    deliveries: Vec<(i64, String)>,
    invoices: Vec<(i64, String)>,
    /// Payments acknowledged, per invoice.
    payments: Vec<i64>,
    server_errors: Vec<String>,
}

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

/// A server-function call; `None` when the server did not answer (it was killed).
async fn call<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    body: serde_json::Value,
    acked: &Mutex<Acked>,
) -> Option<T> {
    let res = http
        .post(format!("{base}{path}"))
        .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
        .json(&body)
        .send()
        .await
        .ok()?;
    let status = res.status();
    if status.is_server_error() {
        let text = res.text().await.unwrap_or_default();
        acked
            .lock()
            .unwrap()
            .server_errors
            .push(format!("{path}: {status} {text}"));
        return None;
    }
    if !status.is_success() {
        return None;
    }
    // A body cut off by the kill is not an acknowledgement.
    res.json().await.ok()
}

/// One flow: a confirmed order, its delivery, its invoice issued, a payment on it. Each
/// step is recorded once answered.
async fn flow(
    http: &reqwest::Client,
    base: &str,
    ids: (i64, i64),
    today: &str,
    acked: &Mutex<Acked>,
) -> Option<()> {
    let (client, product) = ids;
    let form = order_form(client, &[(product, 1, "10.00")]);
    let order: Order = call(
        http,
        base,
        "/api/orders/create",
        json!({ "form": form, "confirm": true }),
        acked,
    )
    .await?;
    acked
        .lock()
        .unwrap()
        .orders
        .push((order.id, order.number.clone()));
    let line = order.lines.first()?.id;
    let schedule = schedule_form(order.id, today, &[(line, "1")]);
    let delivery: sales::deliveries::Delivery = call(
        http,
        base,
        "/api/deliveries/schedule",
        json!({ "form": schedule }),
        acked,
    )
    .await?;
    acked
        .lock()
        .unwrap()
        .deliveries
        .push((delivery.id, delivery.number.clone()));
    let draft: Invoice = call(
        http,
        base,
        "/api/invoices/create",
        json!({ "order_id": order.id }),
        acked,
    )
    .await?;
    let issued: Invoice = call(
        http,
        base,
        "/api/invoices/issue",
        json!({ "id": draft.id, "form": issue_form("", "") }),
        acked,
    )
    .await?;
    acked
        .lock()
        .unwrap()
        .invoices
        .push((issued.id, issued.number.clone()?));
    let _: Invoice = call(
        http,
        base,
        "/api/invoices/pay",
        json!({ "id": issued.id, "form": payment_form("1.00", "") }),
        acked,
    )
    .await?;
    acked.lock().unwrap().payments.push(issued.id);
    Some(())
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
    let base = server.base();
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let acked = Arc::new(Mutex::new(Acked::default()));
    let setup = |path: &'static str, body: serde_json::Value| {
        let (http, base, acked) = (http.clone(), base.clone(), acked.clone());
        async move {
            call::<serde_json::Value>(&http, &base, path, body, &acked)
                .await
                .expect(path)
        }
    };
    setup("/api/auth/register", register_body("admin")).await;
    let client = setup(
        "/api/clients/create",
        json!({ "form": client_form("Acme", "") }),
    )
    .await;
    let product = setup(
        "/api/products/create",
        json!({ "form": product_form("P0", "0") }),
    )
    .await;
    let ids = (
        client["id"].as_i64().unwrap(),
        product["id"].as_i64().unwrap(),
    );
    setup(
        "/api/products/receive",
        json!({ "id": ids.1, "form": receipt("1000000") }),
    )
    .await;
    let today = chrono::Utc::now().date_naive().to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (http, base, acked, stop, today) = (
                http.clone(),
                base.clone(),
                acked.clone(),
                stop.clone(),
                today.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if flow(&http, &base, ids, &today, &acked).await.is_none() {
                        // The server is down: wait for it rather than spin.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            })
        })
        .collect();

    for kill in 0..KILLS {
        // A different moment in the load each time: 0.6 to 1.5 s.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        tokio::time::sleep(Duration::from_millis(600 + u64::from(nanos % 900))).await;
        let before = acked.lock().unwrap().orders.len();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        eprintln!("kill {}: {before} orders acknowledged so far", kill + 1);
        child = server.start();
        server.healthy().await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(acked.server_errors.is_empty(), "{:?}", acked.server_errors);
    eprintln!(
        "acknowledged: {} orders, {} deliveries, {} invoices issued, {} payments",
        acked.orders.len(),
        acked.deliveries.len(),
        acked.invoices.len(),
        acked.payments.len()
    );
    assert!(
        acked.payments.len() > KILLS,
        "the load ran: {}",
        acked.payments.len()
    );

    use sales::server::entities::{delivery, invoice, order, payment};
    let db = sea_orm::Database::connect(&server.url).await.unwrap();
    for (id, number) in &acked.orders {
        let row = order::Entity::find_by_id(*id).one(&db).await.unwrap();
        assert_eq!(
            row.map(|o| o.number).as_ref(),
            Some(number),
            "order {id} lost"
        );
    }
    for (id, number) in &acked.deliveries {
        let row = delivery::Entity::find_by_id(*id).one(&db).await.unwrap();
        assert_eq!(
            row.map(|d| d.number).as_ref(),
            Some(number),
            "delivery {id} lost"
        );
    }
    for (id, number) in &acked.invoices {
        let row = invoice::Entity::find_by_id(*id).one(&db).await.unwrap();
        assert_eq!(
            row.and_then(|i| i.number).as_ref(),
            Some(number),
            "invoice {id} lost"
        );
    }
    for id in &acked.payments {
        let n = payment::Entity::find()
            .filter(payment::Column::InvoiceId.eq(*id))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(n, 1, "the payment on invoice {id}");
    }
    db.close().await.unwrap();
    for check in ["check-stock", "check-numbers"] {
        let (ok, out) = server.command(check).await;
        assert!(ok, "{check} after the kills: {out}");
    }
}

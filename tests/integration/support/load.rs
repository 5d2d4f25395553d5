//! A load of whole sales flows (a confirmed order, its delivery, its invoice issued, a
//! payment on it, the invoice mailed) run by workers against a server or a balancer, with what each call was told
//! recorded, and the check afterwards that every acknowledged write is in the database. The
//! crash test and the cluster test share it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sales::invoices::Invoice;
use sales::orders::Order;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::accounts::register_body;
use crate::support::CLIENT_HEADER;
use crate::support::api::{
    client_form, issue_form, order_form, payment_form, product_form, receipt, schedule_form,
};

#[derive(Default)]
/// What the load was told succeeded.
pub struct Acked {
    pub orders: Vec<(i64, String)>,
    pub deliveries: Vec<(i64, String)>,
    pub invoices: Vec<(i64, String)>,
    /// Payments acknowledged, per invoice.
    pub payments: Vec<i64>,
    pub server_errors: Vec<String>,
    /// Invoices whose mail was acknowledged as queued, by number.
    pub mails: Vec<String>,
    /// Calls answered 401: a session some server did not honour.
    pub unauthorized: usize,
}

/// A server-function call; `None` when the server did not answer (it was killed).
pub async fn call<T: serde::de::DeserializeOwned>(
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
    // A balancer's "the server did not answer" (it was killed mid-request): no answer, like
    // a dropped connection without a balancer.
    if status == reqwest::StatusCode::BAD_GATEWAY {
        return None;
    }
    if status == reqwest::StatusCode::UNAUTHORIZED {
        acked.lock().unwrap().unauthorized += 1;
        return None;
    }
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
pub async fn flow(
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
    let number = issued.number.clone()?;
    let mail = json!({ "to": "books@acme.example", "subject": format!("Invoice {number}"), "message": "Attached." });
    let _: Invoice = call(
        http,
        base,
        "/api/invoices/send",
        json!({ "id": issued.id, "form": mail }),
        acked,
    )
    .await?;
    acked.lock().unwrap().mails.push(number);
    Some(())
}

/// Signs up the first account (admin) on `base` and makes a client and a product with a
/// million in stock: the ids the flows use.
async fn shop(http: &reqwest::Client, base: &str, acked: &Mutex<Acked>) -> (i64, i64) {
    let setup = |path: &'static str, body: serde_json::Value| async move {
        call::<serde_json::Value>(http, base, path, body, acked)
            .await
            .expect(path)
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
    ids
}

/// A load running against a server or a balancer.
pub struct Running {
    acked: Arc<Mutex<Acked>>,
    stop: Arc<AtomicBool>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

/// Makes the shop on `base` (signed in as its admin), then starts `workers` tasks running
/// flows against it until `finish`.
pub async fn start(base: &str, workers: usize) -> Running {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let acked = Arc::new(Mutex::new(Acked::default()));
    let ids = shop(&http, base, &acked).await;
    let stop = Arc::new(AtomicBool::new(false));
    let today = chrono::Utc::now().date_naive().to_string();
    let workers = (0..workers)
        .map(|_| {
            let (http, base, acked, stop, today) = (
                http.clone(),
                base.to_string(),
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
    Running {
        acked,
        stop,
        workers,
    }
}

impl Running {
    /// Orders acknowledged so far.
    pub fn orders(&self) -> usize {
        self.acked.lock().unwrap().orders.len()
    }

    /// Stops the workers once their flows end: what they were told.
    pub async fn finish(self) -> Acked {
        self.stop.store(true, Ordering::Relaxed);
        for w in self.workers {
            w.await.unwrap();
        }
        std::mem::take(&mut *self.acked.lock().unwrap())
    }
}

/// Every acknowledged write is in the database at `url`, and no call got a 5xx.
pub async fn verify(url: &str, acked: &Acked) {
    assert!(acked.server_errors.is_empty(), "{:?}", acked.server_errors);
    assert_eq!(acked.unauthorized, 0, "every session honoured throughout");
    eprintln!(
        "acknowledged: {} orders, {} deliveries, {} invoices issued, {} payments",
        acked.orders.len(),
        acked.deliveries.len(),
        acked.invoices.len(),
        acked.payments.len()
    );
    use sales::server::entities::{delivery, invoice, order, payment};
    let db = sea_orm::Database::connect(url).await.unwrap();
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
}

//! Delivery scenarios: a generator giving the generated orders their deliveries (every
//! delivered order one delivered delivery; the last month's drafts confirmed, with open
//! deliveries around today, a third of them late), the board filtered and paged, the delivery
//! note PDF, and "delivered" per second over HTTP.

use std::time::Instant;

use chrono::{Datelike, Days, Duration, Utc};
use sales::choice::stored;
use sales::server::entities::{delivery, order};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::accounts::CLIENT_HEADER;
use crate::{cycle, drive, post};

const DRIVERS: [&str; 4] = ["Van 1", "Van 2", "Van 3", "DHL Freight"];
const OPEN: [&str; 4] = ["scheduled", "scheduled", "out_for_delivery", "failed"];

/// Deliveries for the generated orders, numbered per year; answers how many are open.
pub async fn generate(db: &DatabaseConnection, username: &str) -> usize {
    let started = Instant::now();
    let actor = crate::orders::user_id(db, username).await;
    let now = Utc::now();
    let today = now.date_naive();
    let txn = db.begin().await.unwrap();
    // The last month's drafts become confirmed orders waiting for their deliveries.
    order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::val("confirmed"))
        .filter(order::Column::Status.eq("draft"))
        .filter(order::Column::CreatedAt.gte(now - Duration::days(30)))
        .exec(&txn)
        .await
        .unwrap();
    let (mut after, mut id, mut open) = (0i64, 0i64, 0usize);
    let mut seq = (0, 0i64);
    loop {
        let batch: Vec<(i64, i64, String, String, chrono::DateTime<Utc>)> = order::Entity::find()
            .select_only()
            .columns([
                order::Column::Id,
                order::Column::ClientId,
                order::Column::Priority,
                order::Column::Status,
                order::Column::CreatedAt,
            ])
            .filter(order::Column::Id.gt(after))
            .filter(order::Column::Status.is_in(["delivered", "confirmed"]))
            .order_by_asc(order::Column::Id)
            .limit(500)
            .into_tuple()
            .all(&txn)
            .await
            .unwrap();
        let Some(last) = batch.last() else { break };
        after = last.0;
        let rows: Vec<delivery::ActiveModel> = batch
            .into_iter()
            .map(|(order_id, client_id, priority, status, at)| {
                id += 1;
                if seq.0 != at.year() {
                    seq = (at.year(), 0);
                }
                seq.1 += 1;
                let done = status == "delivered";
                let (status, date) = match done {
                    true => ("delivered", (at + Duration::days(3)).date_naive()),
                    false => {
                        open += 1;
                        let offset = id % 16 - 5; // five days back to ten ahead
                        let date = match offset {
                            o if o < 0 => today - Days::new(o.unsigned_abs()),
                            o => today + Days::new(o as u64),
                        };
                        (OPEN[id as usize % OPEN.len()], date)
                    }
                };
                delivery::ActiveModel {
                    id: Set(id),
                    number: Set(sales::server::sequence::format("DN", at.year(), seq.1)),
                    seq: Set(seq.1),
                    order_id: Set(order_id),
                    client_id: Set(client_id),
                    priority: Set(stored(&priority).expect("a priority")),
                    status: Set(stored(status).expect("a status")),
                    scheduled_date: Set(date),
                    window_from: Set(None),
                    window_to: Set(None),
                    address: Set(format!("{order_id} Generated Street\n10115 Berlin")),
                    carrier: Set(DRIVERS[id as usize % DRIVERS.len()].into()),
                    tracking: Set(String::new()),
                    notes: Set(String::new()),
                    failure_reason: Set(None),
                    recipient: Set(done.then(|| "Front desk".into())),
                    delivered_at: Set(done.then(|| at + Duration::days(3))),
                    confirmed_by: Set(done.then_some(actor)),
                    signature: Set(None),
                    created_by: Set(actor),
                    created_at: Set(at),
                    updated_at: Set(at),
                }
            })
            .collect();
        delivery::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .unwrap();
    }
    // Each delivery carries its whole order; order lines say what is delivered or held.
    txn.execute_unprepared(
        "INSERT INTO delivery_lines (delivery_id, order_line_id, product_id, quantity) \
         SELECT d.id, l.id, l.product_id, l.quantity FROM deliveries d \
         JOIN order_lines l ON l.order_id = d.order_id",
    )
    .await
    .unwrap();
    txn.execute_unprepared(
        "UPDATE order_lines SET delivered = quantity WHERE order_id IN \
         (SELECT id FROM orders WHERE status = 'delivered')",
    )
    .await
    .unwrap();
    txn.execute_unprepared(
        "UPDATE order_lines SET scheduled = quantity WHERE order_id IN \
         (SELECT id FROM orders WHERE status = 'confirmed')",
    )
    .await
    .unwrap();
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        txn.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('deliveries', 'id'), (SELECT MAX(id) FROM deliveries))",
        )
        .await
        .unwrap();
    }
    // The app numbers on from the generated deliveries.
    txn.execute_unprepared(&format!(
        "INSERT INTO sequences (name, next) VALUES ('DN-{}', {}) \
         ON CONFLICT (name) DO UPDATE SET next = excluded.next",
        seq.0,
        seq.1 + 1
    ))
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!("generated {id} deliveries ({open} open) in {secs:.1} s");
    open
}

pub async fn scenarios(
    client: &reqwest::Client,
    base: &str,
    clients: usize,
    products: usize,
    requests: usize,
    c: usize,
) {
    let today = Utc::now().date_naive();
    let boards: Vec<String> = (0..200)
        .map(|k| match k % 8 {
            0 => "/api/deliveries/?".to_string(),
            1 => "/api/deliveries/?today=true".to_string(),
            2 => format!("/api/deliveries/?driver={}", ["van", "Van 2", "dhl"][k % 3]),
            3 => format!("/api/deliveries/?client={}", 1 + (k * 31) % clients),
            4 => format!("/api/deliveries/?status={}", OPEN[k % OPEN.len()]),
            5 => format!(
                "/api/deliveries/?from={}&to={}",
                today,
                today + Days::new(3)
            ),
            6 => "/api/deliveries/?status=delivered".to_string(),
            _ => format!("/api/deliveries/?status=delivered&after={}", 1 + k * 997),
        })
        .collect();
    cycle(
        "delivery board, filtered",
        client,
        base,
        &boards,
        requests,
        c,
    )
    .await
    .print();
    cycle(
        "delivery board page (SSR)",
        client,
        base,
        &[
            "/deliveries".to_string(),
            "/deliveries?today=true".to_string(),
        ],
        requests / 4,
        c,
    )
    .await
    .print();

    // "Delivered" per second: orders created and confirmed (so their stock is reserved) and
    // scheduled first, then each delivery confirmed once, concurrently.
    let n = (requests / 4).max(500);
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let product = 1 + (i * 13) % products;
        let body = json!({
            "form": { "client_id": 1 + i % clients, "priority": "normal",
                      "lines": [{ "product_id": product, "quantity": "1", "unit_price": "9.99" }] },
            "confirm": true,
        });
        let order: serde_json::Value = post(client, base, "/api/orders/create", &body).await;
        let line = order["lines"][0]["id"].as_i64().expect("an order line");
        let form = json!({ "form": { "order_id": order["id"], "lines": [{ "order_line_id": line, "quantity": "1" }] } });
        let d: serde_json::Value = post(client, base, "/api/deliveries/schedule", &form).await;
        ids.push(d["id"].as_i64().expect("a delivery"));
    }
    let ids = std::sync::Arc::new(ids);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (client2, base2, ids2) = (client.clone(), base.to_string(), ids.clone());
    drive("delivery confirm (POST)", n, c, move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (client, base, id) = (client2.clone(), base2.clone(), ids2[i % ids2.len()]);
        async move {
            let step = json!({ "id": id, "step": { "action": "deliver", "recipient": "Bench",
                "signature": "M10 10L50 40L90 20" } });
            client
                .post(format!("{base}/api/deliveries/step"))
                .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
                .json(&step)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await
    .print();
    let notes: Vec<String> = ids
        .iter()
        .take(200)
        .map(|id| format!("/api/deliveries/{id}/note.pdf"))
        .collect();
    cycle("delivery note PDF", client, base, &notes, requests / 4, c)
        .await
        .print();
}

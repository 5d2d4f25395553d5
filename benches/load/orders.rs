//! Order scenarios: a generator for a million orders over four years (with their lines,
//! numbers and the sequences the app continues from), the filtered and paged order list,
//! order detail, and create+confirm per second over HTTP.

use std::time::Instant;

use chrono::{Datelike, Duration, TimeZone, Utc};
use sales::choice::stored;
use sales::money::{Money, line_amounts, totals};
use sales::server::entities::{order, order_line, user};
use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};

use crate::{cycle, drive, load};

const STATUSES: [&str; 3] = ["delivered", "cancelled", "draft"];
const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

/// `orders` orders by `username`, for the generated clients and products, entered evenly
/// from 1 January three years back until now, numbered per year. Their statuses hold no
/// reservations (delivered, cancelled, draft), so the stock ledger stays as generated.
pub async fn generate(
    db: &DatabaseConnection,
    username: &str,
    orders: usize,
    clients: usize,
    products: usize,
) {
    let started = Instant::now();
    let actor = user_id(db, username).await;
    let now = Utc::now();
    let start = Utc.with_ymd_and_hms(now.year() - 3, 1, 1, 0, 0, 0).unwrap();
    let step = (now - start).num_seconds() / orders.max(1) as i64;
    let mut seq_year = (start.year(), 0i64);
    let mut last_seq = Vec::new();
    let mut txn = db.begin().await.unwrap();
    let (mut heads, mut lines) = (Vec::new(), Vec::new());
    let mut line_count = 0usize;
    for i in 0..orders {
        let at = start + Duration::seconds(step * i as i64);
        if at.year() != seq_year.0 {
            last_seq.push(seq_year);
            seq_year = (at.year(), 0);
        }
        seq_year.1 += 1;
        let id = i as i64 + 1;
        let count = 1 + i % 3;
        line_count += count;
        let amounts: Vec<_> = (0..count)
            .map(|k| {
                let product = 1 + (i * 7919 + k * 104_729) % products;
                let qty = 1 + ((i + k) % 5) as i64;
                let price = Money(100 + (product as i64 % 5000));
                // Generated amounts are small: far under the limit.
                let a = line_amounts(qty, price, Money::ZERO, 1900).expect("a small line");
                lines.push(order_line::ActiveModel {
                    order_id: Set(id),
                    position: Set(k as i32 + 1),
                    product_id: Set(product as i64),
                    description: Set(format!("Generated item {}", product - 1)),
                    quantity: Set(qty),
                    unit_price: Set(price.cents()),
                    discount: Set(0),
                    tax_rate_bp: Set(1900),
                    net: Set(a.net.cents()),
                    tax: Set(a.tax.cents()),
                    ..Default::default()
                });
                a
            })
            .collect();
        let t = totals(amounts).expect("small totals");
        let status = match i % 20 {
            0..=2 => STATUSES[2],
            3..=6 => STATUSES[1],
            _ => STATUSES[0],
        };
        heads.push(order::ActiveModel {
            id: Set(id),
            number: Set(sales::server::sequence::format("SO", at.year(), seq_year.1)),
            seq: Set(seq_year.1),
            client_id: Set(1 + ((i * 31) % clients) as i64),
            status: Set(stored(status).expect("a status")),
            priority: Set(stored(PRIORITIES[[0, 1, 1, 1, 1, 2, 2, 3][i % 8]]).expect("a priority")),
            requested_date: Set(Some((at + Duration::days(7)).date_naive())),
            notes: Set(String::new()),
            client_reference: Set(String::new()),
            delivery_address: Set(String::new()),
            valid_until: Set(None),
            net: Set(t.net.cents()),
            tax: Set(t.tax.cents()),
            total: Set(t.total.cents()),
            created_by: Set(actor),
            created_at: Set(at),
            updated_at: Set(at),
            confirmed_at: Set((status != "draft").then_some(at)),
        });
        if heads.len() == 500 {
            flush(&txn, &mut heads, &mut lines).await;
            if (i + 1) % 50_000 == 0 {
                txn.commit().await.unwrap();
                txn = db.begin().await.unwrap();
            }
        }
    }
    flush(&txn, &mut heads, &mut lines).await;
    last_seq.push(seq_year);
    // The app numbers on from here.
    for (year, last) in last_seq {
        let row = Query::insert()
            .into_table(Alias::new("sequences"))
            .columns([Alias::new("name"), Alias::new("next")])
            .values_panic([format!("SO-{year}").into(), (last + 1).into()])
            .on_conflict(
                OnConflict::column(Alias::new("name"))
                    .update_column(Alias::new("next"))
                    .to_owned(),
            )
            .to_owned();
        txn.execute(&row).await.unwrap();
    }
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // Ids were given explicitly: move the id sequence past them.
        txn.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT MAX(id) FROM orders))",
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!("generated {orders} orders ({line_count} lines) in {secs:.1} s");
}

/// The id of the benchmark's user, whom generated records name as their author.
pub async fn user_id(db: &DatabaseConnection, username: &str) -> i64 {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await
        .unwrap()
        .expect("the benchmark user")
        .id
}

async fn flush(
    txn: &sea_orm::DatabaseTransaction,
    heads: &mut Vec<order::ActiveModel>,
    lines: &mut Vec<order_line::ActiveModel>,
) {
    if heads.is_empty() {
        return;
    }
    order::Entity::insert_many(std::mem::take(heads))
        .exec_without_returning(txn)
        .await
        .unwrap();
    for chunk in std::mem::take(lines).chunks(1000) {
        order_line::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await
            .unwrap();
    }
}

pub async fn scenarios(
    client: &reqwest::Client,
    base: &str,
    orders: usize,
    clients: usize,
    products: usize,
    requests: usize,
    c: usize,
) {
    let year = Utc::now().year();
    load(
        "order list (API)",
        client,
        base,
        "/api/orders/?",
        requests,
        c,
    )
    .await
    .print();
    load(
        "order list page (SSR)",
        client,
        base,
        "/orders",
        requests,
        c,
    )
    .await
    .print();
    let filters: Vec<String> = (0..200)
        .map(|k| {
            let status = ["draft", "cancelled", "delivered", "confirmed"][k % 4];
            let priority = PRIORITIES[k % 4];
            match k % 5 {
                0 => format!("/api/orders/?status={status}"),
                1 => format!("/api/orders/?client={}", 1 + (k * 7) % clients),
                2 => format!("/api/orders/?priority={priority}&status={status}"),
                3 => {
                    let month = 1 + k % 12;
                    let y = year - 1 - (k % 2) as i32;
                    format!("/api/orders/?from={y}-{month:02}-01&to={y}-{month:02}-28")
                }
                _ => format!("/api/orders/?status={status}&sort=largest"),
            }
        })
        .collect();
    cycle("order list, filtered", client, base, &filters, requests, c)
        .await
        .print();
    let deep: Vec<String> = (0..200)
        .map(|k| {
            let after = 1 + (k * 4999) % orders;
            let status = ["draft", "cancelled", "delivered"][k % 3];
            format!("/api/orders/?status={status}&after={after}")
        })
        .collect();
    cycle("order list, later pages", client, base, &deep, requests, c)
        .await
        .print();
    let numbers: Vec<String> = (0..200)
        .map(|k| match k % 2 {
            0 => format!("/api/orders/?q={}", 1 + k * 997),
            _ => format!("/api/orders/?q=SO-{}-00{}", year - 1, k % 100),
        })
        .collect();
    cycle("order number search", client, base, &numbers, requests, c)
        .await
        .print();
    let ids: Vec<usize> = (0..500).map(|k| 1 + (k * 7919) % orders).collect();
    let details: Vec<String> = ids.iter().map(|i| format!("/api/orders/{i}")).collect();
    cycle("order detail (API)", client, base, &details, requests, c)
        .await
        .print();
    let pages: Vec<String> = ids.iter().map(|i| format!("/orders/{i}")).collect();
    cycle("order page (SSR)", client, base, &pages, requests, c)
        .await
        .print();

    // Create+confirm: one request saves a three-line order and reserves its stock.
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (client2, base2) = (client.clone(), base.to_string());
    let creates = (requests / 2).max(500);
    let stats = drive("create+confirm (POST)", creates, c, move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (client, base) = (client2.clone(), base2.clone());
        async move {
            let lines: Vec<_> = (0..3)
                .map(|k| {
                    let product = 1 + (i * 13 + k * 3371) % products;
                    serde_json::json!({ "product_id": product, "quantity": "1", "unit_price": "9.99" })
                })
                .collect();
            let body = serde_json::json!({
                "form": { "client_id": 1 + i % clients, "priority": "normal", "lines": lines },
                "confirm": true,
            });
            client
                .post(format!("{base}/api/orders/create"))
                .header(crate::accounts::CLIENT_HEADER.0, crate::accounts::CLIENT_HEADER.1)
                .json(&body)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await;
    stats.print();
}

//! Stock scenarios: a generator for many products and a large ledger (totals kept equal to
//! it), the stock list, product history and page loads, and receipts per second.

use std::time::Instant;

use sales::server::entities::{product, stock_movement};
use sales::stock::MovementKind;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};

use crate::{cycle, drive, load};

/// Generator: `products` products and `movements` ledger rows spread over them (receipts,
/// then adjustments that never take stock below zero), with cached totals equal to the sums.
pub async fn generate(db: &DatabaseConnection, products: usize, movements: usize) {
    let started = Instant::now();
    let now = chrono::Utc::now();
    let per = (movements / products.max(1)).max(1);
    let mut totals = vec![0i64; products];
    let txn = db.begin().await.unwrap();
    for chunk in (0..products).collect::<Vec<_>>().chunks(1000) {
        let rows = chunk.iter().map(|&i| {
            let sku = format!("GEN-{i:06}");
            let name = format!("Generated item {i}");
            product::ActiveModel {
                sku_key: Set(sku.to_lowercase()),
                sku: Set(sku),
                name_key: Set(name.to_lowercase()),
                name: Set(name),
                description: Set(String::new()),
                unit: Set("pcs".into()),
                unit_price: Set(100 + (i as i64 % 5000)),
                tax_rate_bp: Set(1900),
                reorder_level: Set(20),
                on_hand: Set(0),
                reserved: Set(0),
                low_stock_alerted: Set(false),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        product::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
    let mut batch = Vec::with_capacity(1000);
    let mut txn = db.begin().await.unwrap();
    let mut written = 0usize;
    for k in 0..per {
        for (p, total) in totals.iter_mut().enumerate() {
            // Every fourth movement is a small adjustment down, when there is stock for it.
            let delta = if k % 4 == 3 && *total >= 5 {
                -((k % 5) as i64 + 1)
            } else {
                10 + ((p + k) % 40) as i64
            };
            *total += delta;
            batch.push(stock_movement::ActiveModel {
                product_id: Set(p as i64 + 1),
                kind: Set(if delta > 0 {
                    MovementKind::Receipt
                } else {
                    MovementKind::Adjustment
                }),
                delta_on_hand: Set(delta),
                delta_reserved: Set(0),
                unit_cost: Set(None),
                reference: Set(format!("GEN-{k}")),
                note: Set(String::new()),
                user_id: Set(Some(1)),
                order_id: Set(None),
                at: Set(now - chrono::Duration::minutes((per - k) as i64)),
                ..Default::default()
            });
            if batch.len() == 1000 {
                stock_movement::Entity::insert_many(std::mem::take(&mut batch))
                    .exec_without_returning(&txn)
                    .await
                    .unwrap();
                written += 1000;
                if written.is_multiple_of(50_000) {
                    txn.commit().await.unwrap();
                    txn = db.begin().await.unwrap();
                }
            }
        }
    }
    if !batch.is_empty() {
        stock_movement::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await
            .unwrap();
    }
    // The cached totals, as the ledger says.
    for (p, total) in totals.iter().enumerate() {
        product::Entity::update_many()
            .col_expr(
                product::Column::OnHand,
                sea_orm::sea_query::Expr::val(*total),
            )
            .filter(product::Column::Id.eq(p as i64 + 1))
            .exec(&txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
    let drift = sales::stock::ledger::check(db).await.unwrap();
    assert!(
        drift.is_empty(),
        "the generator left totals unequal to the ledger"
    );
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {products} products and {} movements in {secs:.1} s (ledger check: no drift)",
        per * products
    );
}

pub async fn scenarios(
    client: &reqwest::Client,
    base: &str,
    products: usize,
    requests: usize,
    c: usize,
) {
    load(
        "stock list (API)",
        client,
        base,
        "/api/stock/?q=",
        requests,
        c,
    )
    .await
    .print();
    load("stock page (SSR)", client, base, "/stock", requests, c)
        .await
        .print();
    load(
        "stock list, low only",
        client,
        base,
        "/api/stock/?low=true",
        requests,
        c,
    )
    .await
    .print();
    load(
        "stock list by available",
        client,
        base,
        "/api/stock/?sort=available",
        requests,
        c,
    )
    .await
    .print();
    let ids: Vec<usize> = (0..500).map(|k| 1 + (k * 7919) % products).collect();
    let searches: Vec<String> = ids
        .iter()
        .map(|i| format!("/api/stock/?q=gen-{:06}", i - 1))
        .collect();
    cycle("stock search by SKU", client, base, &searches, requests, c)
        .await
        .print();
    let history: Vec<String> = ids
        .iter()
        .map(|i| format!("/api/products/{i}/movements"))
        .collect();
    cycle("product history (API)", client, base, &history, requests, c)
        .await
        .print();
    let deep: Vec<String> = ids
        .iter()
        .map(|i| format!("/api/products/{i}/movements?before=500000"))
        .collect();
    cycle(
        "product history, older page",
        client,
        base,
        &deep,
        requests,
        c,
    )
    .await
    .print();
    let pages: Vec<String> = ids.iter().map(|i| format!("/products/{i}")).collect();
    cycle("product page (SSR)", client, base, &pages, requests, c)
        .await
        .print();

    // Receipts per second: each one a ledger row, the totals update and an audit event.
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (client2, base2) = (client.clone(), base.to_string());
    let receipts = (requests / 2).max(500);
    drive("receipts (POST)", receipts, c, move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (client, base) = (client2.clone(), base2.clone());
        async move {
            let body =
                serde_json::json!({ "id": 1 + (i * 31) % products, "form": { "quantity": "3" } });
            client
                .post(format!("{base}/api/products/receive"))
                .header(
                    crate::accounts::CLIENT_HEADER.0,
                    crate::accounts::CLIENT_HEADER.1,
                )
                .json(&body)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await
    .print();
}

//! Products and the stock ledger: create to archive, every rule, receipts, adjustments, the
//! invariants, the consistency check, append-only movements, concurrency, low-stock mail.

use sales::money::Money;
use sales::server::write::Write;
use sales::stock::{Drift, MovementKind, Product};
use sea_orm::ConnectionTrait;

use crate::clients::ErrorBody;
use crate::support::{TestApp, spawn_app};

fn form(sku: &str, reorder: &str) -> serde_json::Value {
    serde_json::json!({
        "sku": sku, "name": format!("Product {sku}"), "description": "", "unit": "pcs",
        "unit_price": "12.50", "tax_rate": "19", "reorder_level": reorder,
    })
}

pub async fn new_product(app: &TestApp, sku: &str, reorder: &str) -> Product {
    let res = app
        .call(
            "/api/products/create",
            &serde_json::json!({ "form": form(sku, reorder) }),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

pub async fn receive(app: &TestApp, id: i64, qty: &str) -> reqwest::Response {
    app.call(
        "/api/products/receive",
        &serde_json::json!({ "id": id, "form": { "quantity": qty, "reference": "PO-1" } }),
    )
    .await
}

async fn adjust(app: &TestApp, id: i64, qty: &str, reason: &str) -> reqwest::Response {
    app.call(
        "/api/products/adjust",
        &serde_json::json!({ "id": id, "form": { "quantity": qty, "reason": reason } }),
    )
    .await
}

pub async fn product(app: &TestApp, id: i64) -> Product {
    app.get(&format!("/api/products/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

async fn movements(app: &TestApp) -> i64 {
    let row = app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM stock_movements",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

pub async fn drift(app: &TestApp) -> Vec<Drift> {
    let res = app.get("/api/stock/check").await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

pub async fn field_error(res: reqwest::Response, field: &str) -> String {
    assert_eq!(res.status(), 400);
    let err = res.json::<ErrorBody>().await.unwrap().data;
    err.field_message(field)
        .unwrap_or_else(|| panic!("no message for {field}: {err:?}"))
        .to_string()
}

#[tokio::test]
async fn a_product_from_creation_to_archive() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = new_product(&app, "AB-100", "5").await;
    assert_eq!(
        (p.unit_price, p.tax_rate_bp, p.reorder_level),
        (Money(1250), 1900, 5)
    );
    assert_eq!((p.on_hand, p.reserved, p.active), (0, 0, true));
    let mut changed = form("AB-100", "8");
    changed["unit_price"] = "1,299.99".into();
    let res = app
        .call(
            "/api/products/update",
            &serde_json::json!({ "id": p.id, "form": changed }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let u: Product = res.json().await.unwrap();
    assert_eq!((u.unit_price, u.reorder_level), (Money(129_999), 8));
    let res = app
        .call(
            "/api/products/active",
            &serde_json::json!({ "id": p.id, "active": false }),
        )
        .await;
    assert!(!res.json::<Product>().await.unwrap().active);
    let events = sales::audit::service::for_entity(app.db(), "product", p.id)
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["product.created", "product.updated", "product.archived"]
    );
    // A product something refers to cannot be deleted, even by hand: the ledger's key refuses.
    assert_eq!(receive(&app, p.id, "1").await.status(), 200);
    let res = app
        .db()
        .execute_unprepared(&format!("DELETE FROM products WHERE id = {}", p.id))
        .await;
    assert!(res.is_err(), "a product with movements was deleted");
}

#[tokio::test]
async fn bad_product_input_names_its_field_and_writes_nothing() {
    let app = spawn_app().await;
    app.register("admin").await;
    new_product(&app, "dup-1", "0").await;
    let create = |f: serde_json::Value| {
        let app = &app;
        async move {
            app.call("/api/products/create", &serde_json::json!({ "form": f }))
                .await
        }
    };
    let msg = field_error(create(form("DUP-1", "0")).await, "sku").await;
    assert!(msg.contains("already has this SKU"), "{msg}");
    for (key, value, field) in [
        ("unit_price", "-1", "unit_price"),
        ("unit_price", "12.345", "unit_price"),
        ("tax_rate", "120", "tax_rate"),
        ("reorder_level", "2.5", "reorder_level"),
        ("sku", "has space", "sku"),
        ("name", " ", "name"),
        ("unit", "", "unit"),
    ] {
        let mut f = form("NEW-1", "0");
        f[key] = value.into();
        field_error(create(f).await, field).await;
    }
    let count = app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM products",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(count, 1, "only the first product exists");
}

#[tokio::test]
async fn receipts_and_adjustments_keep_the_invariants() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = new_product(&app, "W-1", "0").await;
    assert_eq!(receive(&app, p.id, "10").await.status(), 200);
    assert_eq!(adjust(&app, p.id, "-3", "cycle count").await.status(), 200);
    assert_eq!(adjust(&app, p.id, "+1", "found one").await.status(), 200);
    assert_eq!(product(&app, p.id).await.on_hand, 8);
    assert_eq!(movements(&app).await, 3);

    // Bad movements: each a clear message, nothing written.
    for (qty, says) in [
        ("0", "enter more than 0"),
        ("-5", "enter more than 0"),
        ("1.5", "whole numbers"),
        ("ten", "not a whole number"),
    ] {
        let msg = field_error(receive(&app, p.id, qty).await, "quantity").await;
        assert!(msg.contains(says), "{qty}: {msg}");
    }
    field_error(adjust(&app, p.id, "-1", "  ").await, "reason").await;
    let res = adjust(&app, p.id, "-9", "lost").await;
    assert_eq!(res.status(), 409);
    let err = res.json::<ErrorBody>().await.unwrap().data.to_string();
    assert!(err.contains("on hand is 8 pcs"), "{err}");

    // Reserve 5 through the ledger (as orders will), then an adjustment may not take on hand
    // below what is reserved.
    let mut w = Write::begin(app.db(), None).await.unwrap();
    sales::stock::ledger::apply(
        &mut w,
        sales::stock::ledger::Movement {
            product_id: p.id,
            kind: MovementKind::Reservation,
            delta_on_hand: 0,
            delta_reserved: 5,
            unit_cost: None,
            source: sales::stock::ledger::Source::Manual,
            reference: "",
            note: "",
            by: None,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let res = adjust(&app, p.id, "-4", "damaged").await;
    assert_eq!(res.status(), 409);
    let err = res.json::<ErrorBody>().await.unwrap().data.to_string();
    assert!(err.contains("5 pcs are reserved"), "{err}");
    assert_eq!(adjust(&app, p.id, "-3", "damaged").await.status(), 200);
    let after = product(&app, p.id).await;
    assert_eq!(
        (after.on_hand, after.reserved, after.available()),
        (5, 5, 0)
    );
    assert_eq!(movements(&app).await, 5);
    assert!(drift(&app).await.is_empty());
}

#[tokio::test]
async fn the_check_catches_a_corrupted_total_and_the_ledger_is_append_only() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = new_product(&app, "C-1", "0").await;
    receive(&app, p.id, "4").await;
    assert!(drift(&app).await.is_empty());
    app.db()
        .execute_unprepared(&format!(
            "UPDATE products SET on_hand = 9 WHERE id = {}",
            p.id
        ))
        .await
        .unwrap();
    let d = drift(&app).await;
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].sku.as_str(), d[0].on_hand, d[0].ledger_on_hand),
        ("C-1", 9, 4)
    );
    for sql in [
        "UPDATE stock_movements SET delta_on_hand = 9",
        "DELETE FROM stock_movements",
    ] {
        let res = app.db().execute_unprepared(sql).await;
        assert!(res.is_err(), "{sql} was allowed");
    }
    // The database refuses totals that break 0 ≤ reserved ≤ on hand, whatever the code does.
    for sql in [
        "UPDATE products SET on_hand = -1",
        "UPDATE products SET reserved = on_hand + 1",
    ] {
        assert!(app.db().execute_unprepared(sql).await.is_err(), "{sql}");
    }
}

/// 50 receipts and adjustments at once on one product: none lost, none double-counted, stock
/// never negative, totals equal to the ledger.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_movements_leave_totals_equal_to_the_ledger() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = new_product(&app, "HOT-1", "0").await;
    receive(&app, p.id, "20").await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (client, url) = (app.client.clone(), app.base.clone());
        let (path, body) = if i % 2 == 0 {
            (
                "receive",
                serde_json::json!({ "id": p.id, "form": { "quantity": format!("{}", 1 + i % 3) } }),
            )
        } else {
            (
                "adjust",
                serde_json::json!({ "id": p.id, "form": { "quantity": format!("-{}", 2 + i % 5), "reason": "race" } }),
            )
        };
        let delta: i64 = if i % 2 == 0 { 1 + i % 3 } else { -(2 + i % 5) };
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(format!("{url}/api/products/{path}"))
                .header("X-Request-Client", "dioxus")
                .json(&body)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), delta)
        }));
    }
    let mut expected = 20;
    for t in tasks {
        let (status, delta) = t.await.unwrap();
        assert!(status == 200 || status == 409, "status {status}");
        if status == 200 {
            expected += delta;
        }
    }
    let after = product(&app, p.id).await;
    assert_eq!(
        after.on_hand, expected,
        "every accepted movement counted once"
    );
    assert!(after.on_hand >= 0);
    assert!(drift(&app).await.is_empty(), "totals equal the ledger");
}

#[tokio::test]
async fn crossing_the_reorder_level_mails_once_per_crossing() {
    let (app, smtp) = crate::reset::app_with_mail().await;
    app.register("admin").await;
    crate::users::client_with_role(&app, "keeper", sales::auth::Role::Warehouse).await;
    crate::users::client_with_role(&app, "seller", sales::auth::Role::Sales).await;
    let p = new_product(&app, "LOW-1", "5").await;
    receive(&app, p.id, "10").await; // 10 > 5: not low
    adjust(&app, p.id, "-6", "count").await; // 4 ≤ 5: crosses
    smtp.wait_for_text("keeper@example.com", "Low stock: LOW-1")
        .await;
    smtp.wait_for_text("admin@example.com", "Low stock: LOW-1")
        .await;
    adjust(&app, p.id, "-1", "count").await; // still low: no new mail
    receive(&app, p.id, "10").await; // 13: recovered
    adjust(&app, p.id, "-9", "count").await; // 4: crosses again
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        smtp.count_containing("Low stock: LOW-1"),
        4,
        "two crossings × (admin + warehouse), none to sales"
    );
}

#[tokio::test]
async fn the_stock_list_searches_filters_low_stock_sorts_and_pages() {
    use sales::stock::{StockPage, StockQuery, StockSort, list::PAGE_SIZE};
    let app = spawn_app().await;
    app.register("admin").await;
    // 120 products; every third gets stock above its reorder level of 5.
    for i in 0..120 {
        let p = new_product(&app, &format!("SKU-{i:03}"), "5").await;
        if i % 3 == 0 {
            receive(&app, p.id, &format!("{}", 6 + i)).await;
        }
    }
    let get = |q: StockQuery| {
        let app = &app;
        async move {
            let url = format!("/api/stock/?{}", serde_urlencoded::to_string(&q).unwrap());
            let res = app.get(&url).await;
            assert_eq!(res.status(), 200, "{url}");
            res.json::<StockPage>().await.unwrap()
        }
    };
    let all = get(StockQuery::default()).await;
    assert_eq!((all.total, all.rows.len()), (120, PAGE_SIZE as usize));
    let low_count: u64 = app.get("/api/stock/low-count").await.json().await.unwrap();
    assert_eq!(low_count, 80);
    assert_eq!(all.rows[0].sku, "SKU-000");
    let low = get(StockQuery {
        low: true,
        ..Default::default()
    })
    .await;
    assert_eq!(low.total, 80);
    assert!(low.rows.iter().all(|p| p.is_low()));
    let found = get(StockQuery {
        q: "sku-11".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(found.total, 10, "SKU-110 … SKU-119");
    let by_name = get(StockQuery {
        q: "PRODUCT SKU-007".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(by_name.rows.len(), 1);
    // Sorted by available, lowest first, walked over every page.
    let mut q = StockQuery {
        sort: StockSort::Available,
        ..Default::default()
    };
    let mut seen = Vec::new();
    loop {
        let p = get(q.clone()).await;
        seen.extend(p.rows.iter().map(|r| (r.available(), r.id)));
        match p.next {
            Some(after) => q.after = Some(after),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120);
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "ordered by (available, id)"
    );
    // And back again from the last page.
    let back = get(StockQuery {
        before: q.after,
        sort: StockSort::Available,
        ..Default::default()
    })
    .await;
    assert_eq!(back.rows.len(), PAGE_SIZE as usize);
    assert_eq!(
        app.get("/api/stock/low-count")
            .await
            .json::<u64>()
            .await
            .unwrap(),
        80
    );
}

#[tokio::test]
async fn history_is_newest_first_paged_with_levels() {
    use sales::stock::{HISTORY_PAGE, LevelPoint, MovementPage};
    let app = spawn_app().await;
    app.register("admin").await;
    let p = new_product(&app, "H-1", "0").await;
    let n = HISTORY_PAGE as usize + 10;
    for i in 0..n {
        if i % 4 == 3 {
            adjust(&app, p.id, "-1", &format!("count {i}")).await;
        } else {
            receive(&app, p.id, "2").await;
        }
    }
    let first: MovementPage = app
        .get(&format!("/api/products/{}/movements", p.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first.rows.len(), HISTORY_PAGE as usize);
    let now = product(&app, p.id).await.on_hand;
    assert_eq!(
        first.rows[0].on_hand_after, now,
        "newest first, ending at today's level"
    );
    assert_eq!(first.rows[0].user.as_deref(), Some("Test admin"));
    let second: MovementPage = app
        .get(&format!(
            "/api/products/{}/movements?before={}",
            p.id,
            first.next.unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((second.rows.len(), second.next), (10, None));
    assert_eq!(
        second.rows.last().unwrap().on_hand_after,
        2,
        "the first receipt"
    );
    // Each level follows from the next older one by that movement's delta.
    let all: Vec<_> = first.rows.iter().chain(&second.rows).collect();
    for w in all.windows(2) {
        assert_eq!(w[0].on_hand_after - w[0].delta_on_hand, w[1].on_hand_after);
    }
    let levels: Vec<LevelPoint> = app
        .get(&format!("/api/products/{}/levels", p.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(levels.len(), n);
    assert_eq!((levels[0].on_hand, levels[n - 1].on_hand), (2, now));
}

#[tokio::test]
async fn only_a_product_without_history_can_be_deleted() {
    let app = spawn_app().await;
    app.register("admin").await;
    let unused = new_product(&app, "DEL-1", "0").await;
    let used = new_product(&app, "DEL-2", "0").await;
    receive(&app, used.id, "1").await;
    let del = |id: i64| {
        let app = &app;
        async move {
            app.call("/api/products/delete", &serde_json::json!({ "id": id }))
                .await
        }
    };
    assert_eq!(del(unused.id).await.status(), 200);
    assert_eq!(
        app.get(&format!("/api/products/{}", unused.id))
            .await
            .status(),
        404
    );
    let res = del(used.id).await;
    assert_eq!(res.status(), 409);
    let err = res.json::<ErrorBody>().await.unwrap().data.to_string();
    assert!(err.contains("archive it instead"), "{err}");
    assert_eq!(product(&app, used.id).await.on_hand, 1, "still there");
    let events = sales::audit::service::for_entity(app.db(), "product", unused.id)
        .await
        .unwrap();
    assert_eq!(events.last().unwrap().action, "product.deleted");
}

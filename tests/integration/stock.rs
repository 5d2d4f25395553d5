//! Products and the stock ledger: create to archive, every rule, receipts, adjustments, the
//! invariants, the consistency check, append-only movements, concurrency, low-stock mail.

use sales::money::Money;
use sales::server::entities::product;
use sales::server::write::Write;
use sales::stock::{AdjustReason, AdjustmentForm, MovementKind, Product, ProductForm};
use sea_orm::ConnectionTrait;

use crate::support::api::{adjustment, count, error_of, field_error, ok, product_form, receipt};
use crate::support::fixtures::{app_with_mail, client_with_role};
use crate::support::{TestApp, spawn_app};

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

#[tokio::test]
async fn a_product_from_creation_to_archive() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = app.new_product("AB-100", "5").await;
    assert_eq!(
        (p.unit_price, p.tax_rate_bp, p.reorder_level),
        (Money(1250), 1900, 5)
    );
    assert_eq!((p.on_hand, p.reserved, p.active), (0, 0, true));
    let mut changed = product_form("AB-100", "8");
    changed.unit_price = "1,299.99".into();
    let res = app.update_product(p.id, &changed).await;
    assert_eq!(res.status(), 200);
    let u: Product = res.json().await.unwrap();
    assert_eq!((u.unit_price, u.reorder_level), (Money(129_999), 8));
    let res = app.set_product_active(p.id, false).await;
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
    assert_eq!(app.receive(p.id, &receipt("1")).await.status(), 200);
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
    app.new_product("dup-1", "0").await;
    let msg = field_error(app.create_product(&product_form("DUP-1", "0")).await, "sku").await;
    assert!(msg.contains("already has this SKU"), "{msg}");
    type Edit = fn(&mut ProductForm);
    let edits: [(Edit, &str); 7] = [
        (|f| f.unit_price = "-1".into(), "unit_price"),
        (|f| f.unit_price = "12.345".into(), "unit_price"),
        (|f| f.tax_rate = "120".into(), "tax_rate"),
        (|f| f.reorder_level = "2.5".into(), "reorder_level"),
        (|f| f.sku = "has space".into(), "sku"),
        (|f| f.name = " ".into(), "name"),
        (|f| f.unit = String::new(), "unit"),
    ];
    for (edit, field) in edits {
        let mut f = product_form("NEW-1", "0");
        edit(&mut f);
        field_error(app.create_product(&f).await, field).await;
    }
    assert_eq!(
        app.count::<product::Entity>().await,
        1,
        "only the first product exists"
    );
}

#[tokio::test]
async fn a_count_records_the_difference_with_its_reason() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = app.new_product("CNT-1", "0").await;
    assert_eq!(app.receive(p.id, &receipt("10")).await.status(), 200);
    // 7 on the shelf where the books say 10: −3 is recorded, as a count.
    let after: Product = ok(app.adjust(p.id, &count("7", "aisle 4")).await).await;
    assert_eq!(after.on_hand, 7);
    // A count that matches is recorded too (the day it was checked), changing nothing.
    let after: Product = ok(app.adjust(p.id, &count("7", "")).await).await;
    assert_eq!(after.on_hand, 7);
    let broken = AdjustmentForm {
        reason: AdjustReason::Breakage,
        quantity: "-2".into(),
        ..AdjustmentForm::default()
    };
    assert_eq!(
        ok::<Product>(app.adjust(p.id, &broken).await).await.on_hand,
        5
    );
    let page: sales::stock::MovementPage =
        app.read(&format!("/api/products/{}/movements", p.id)).await;
    let seen: Vec<(i64, Option<AdjustReason>, String)> = page
        .rows
        .iter()
        .map(|m| (m.delta_on_hand, m.reason, m.note.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (-2, Some(AdjustReason::Breakage), String::new()),
            (0, Some(AdjustReason::Count), String::new()),
            (-3, Some(AdjustReason::Count), "aisle 4".to_string()),
            (10, None, String::new()),
        ]
    );
    // A count below zero, or a count with no number, is refused at its field.
    let msg = field_error(app.adjust(p.id, &count("-1", "")).await, "counted").await;
    assert!(msg.contains("below zero"), "{msg}");
    field_error(app.adjust(p.id, &count("", "")).await, "counted").await;
    assert_eq!(app.product(p.id).await.on_hand, 5);
    assert!(app.drift().await.is_empty(), "the ledger check stays clean");
}

#[tokio::test]
async fn receipts_and_adjustments_keep_the_invariants() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = app.new_product("W-1", "0").await;
    assert_eq!(app.receive(p.id, &receipt("10")).await.status(), 200);
    assert_eq!(
        app.adjust(p.id, &adjustment("-3", "cycle count"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.adjust(p.id, &adjustment("+1", "found one"))
            .await
            .status(),
        200
    );
    assert_eq!(app.product(p.id).await.on_hand, 8);
    assert_eq!(movements(&app).await, 3);

    // Bad movements: each a clear message, nothing written.
    for (qty, says) in [
        ("0", "enter more than 0"),
        ("-5", "enter more than 0"),
        ("1.5", "whole numbers"),
        ("ten", "not a whole number"),
    ] {
        let msg = field_error(app.receive(p.id, &receipt(qty)).await, "quantity").await;
        assert!(msg.contains(says), "{qty}: {msg}");
    }
    field_error(app.adjust(p.id, &adjustment("-1", "  ")).await, "note").await;
    let res = app.adjust(p.id, &adjustment("-9", "lost")).await;
    assert_eq!(res.status(), 409);
    let err = error_of(res).await.to_string();
    assert!(err.contains("on hand is 8 pcs"), "{err}");

    // Reserve 5 through the ledger for no order: a loss may take reservations only from open
    // orders that can give them up (stock_loss.rs), so here on hand stays at least 5.
    let mut w = Write::begin(app.db(), None).await.unwrap();
    sales::stock::ledger::apply(
        &mut w,
        &app.state.config.business.zone,
        sales::stock::ledger::Movement {
            product_id: p.id,
            kind: MovementKind::Reservation,
            delta_on_hand: 0,
            delta_reserved: 5,
            unit_cost: None,
            source: sales::stock::ledger::Source::Manual,
            reference: "",
            reason: None,
            note: "",
            by: None,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let res = app.adjust(p.id, &adjustment("-4", "damaged")).await;
    assert_eq!(res.status(), 409);
    let err = error_of(res).await.to_string();
    assert!(err.contains("5 pcs are reserved"), "{err}");
    assert_eq!(
        app.adjust(p.id, &adjustment("-3", "damaged"))
            .await
            .status(),
        200
    );
    let after = app.product(p.id).await;
    assert_eq!(
        (after.on_hand, after.reserved, after.available()),
        (5, 5, 0)
    );
    assert_eq!(movements(&app).await, 5);
    assert!(app.drift().await.is_empty());

    // The history can leave out what changes only reservations; the levels stay right.
    let path = format!("/api/products/{}/movements", p.id);
    let all: sales::stock::MovementPage = app.read(&path).await;
    let changes: sales::stock::MovementPage = app.read(&format!("{path}?changes_only=true")).await;
    let kinds = |page: &sales::stock::MovementPage| -> Vec<MovementKind> {
        page.rows.iter().map(|m| m.kind).collect()
    };
    assert!(kinds(&all).contains(&MovementKind::Reservation));
    assert_eq!(kinds(&changes).len(), 4);
    assert!(!kinds(&changes).contains(&MovementKind::Reservation));
    let after: Vec<i64> = changes.rows.iter().map(|m| m.on_hand_after).collect();
    assert_eq!(after, [5, 8, 7, 10], "newest first");
}

#[tokio::test]
async fn the_check_catches_a_corrupted_total_and_the_ledger_is_append_only() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = app.new_product("C-1", "0").await;
    app.receive(p.id, &receipt("4")).await;
    assert!(app.drift().await.is_empty());
    app.db()
        .execute_unprepared(&format!(
            "UPDATE products SET on_hand = 9 WHERE id = {}",
            p.id
        ))
        .await
        .unwrap();
    let d = app.drift().await;
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
    let p = app.new_product("HOT-1", "0").await;
    app.receive(p.id, &receipt("20")).await;
    let movements = (0..50).map(|i: i64| {
        let app = &app;
        async move {
            let (res, delta) = if i % 2 == 0 {
                let qty = 1 + i % 3;
                (app.receive(p.id, &receipt(&qty.to_string())).await, qty)
            } else {
                let qty = -(2 + i % 5);
                let res = app
                    .adjust(p.id, &adjustment(&qty.to_string(), "race"))
                    .await;
                (res, qty)
            };
            (res.status().as_u16(), delta)
        }
    });
    let mut expected = 20;
    for (status, delta) in futures::future::join_all(movements).await {
        assert!(status == 200 || status == 409, "status {status}");
        if status == 200 {
            expected += delta;
        }
    }
    let after = app.product(p.id).await;
    assert_eq!(
        after.on_hand, expected,
        "every accepted movement counted once"
    );
    assert!(after.on_hand >= 0);
    assert!(app.drift().await.is_empty(), "totals equal the ledger");
}

#[tokio::test]
async fn crossing_the_reorder_level_mails_once_per_crossing() {
    let (app, smtp) = app_with_mail().await;
    app.register("admin").await;
    client_with_role(&app, "keeper", sales::auth::Role::Warehouse).await;
    client_with_role(&app, "seller", sales::auth::Role::Sales).await;
    let p = app.new_product("LOW-1", "5").await;
    app.receive(p.id, &receipt("10")).await; // 10 > 5: not low
    app.adjust(p.id, &adjustment("-6", "count")).await; // 4 ≤ 5: crosses
    smtp.wait_for_text("keeper@example.com", "Low stock: LOW-1")
        .await;
    smtp.wait_for_text("admin@example.com", "Low stock: LOW-1")
        .await;
    app.adjust(p.id, &adjustment("-1", "count")).await; // still low: no new mail
    app.receive(p.id, &receipt("10")).await; // 13: recovered
    app.adjust(p.id, &adjustment("-9", "count")).await; // 4: crosses again
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
        let p = app.new_product(&format!("SKU-{i:03}"), "5").await;
        if i % 3 == 0 {
            app.receive(p.id, &receipt(&format!("{}", 6 + i))).await;
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
    let p = app.new_product("H-1", "0").await;
    let n = HISTORY_PAGE as usize + 10;
    for i in 0..n {
        if i % 4 == 3 {
            app.adjust(p.id, &adjustment("-1", &format!("count {i}")))
                .await;
        } else {
            app.receive(p.id, &receipt("2")).await;
        }
    }
    let first: MovementPage = app
        .get(&format!("/api/products/{}/movements", p.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first.rows.len(), HISTORY_PAGE as usize);
    let now = app.product(p.id).await.on_hand;
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
    let unused = app.new_product("DEL-1", "0").await;
    let used = app.new_product("DEL-2", "0").await;
    app.receive(used.id, &receipt("1")).await;
    assert_eq!(app.delete_product(unused.id).await.status(), 200);
    assert_eq!(
        app.get(&format!("/api/products/{}", unused.id))
            .await
            .status(),
        404
    );
    let res = app.delete_product(used.id).await;
    assert_eq!(res.status(), 409);
    let err = error_of(res).await.to_string();
    assert!(err.contains("archive it instead"), "{err}");
    assert_eq!(app.product(used.id).await.on_hand, 1, "still there");
    let events = sales::audit::service::for_entity(app.db(), "product", unused.id)
        .await
        .unwrap();
    assert_eq!(events.last().unwrap().action, "product.deleted");
}

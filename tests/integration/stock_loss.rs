//! Breakage or loss of reserved stock. The shelf is what it is: the loss is recorded, and the
//! reservation it needs is given up by open orders, least urgent and newest first. Those
//! orders show what they wait for (on the order, the product and the dashboard) and can't
//! deliver it. Stock arriving reserves it again, most urgent and oldest first. Cancelling
//! forgives the rest. Units already on deliveries are never taken. The ledger check stays
//! clean throughout.

use sales::choice::Choice;
use sales::deliveries::Delivery;
use sales::orders::{Action, Order, OrderForm, Priority, ShortOrder};
use sales::server::entities::stock_movement;
use sales::stock::{AdjustReason, AdjustmentForm};

use crate::support::TestApp;
use crate::support::api::{adjustment, count, field_error, ok, order_form, receipt, schedule_form};
use crate::support::fixtures::shop;

/// Confirmed order of `qty` of `product` for `client`, at `priority`.
async fn order(app: &TestApp, client: i64, product: i64, qty: i64, priority: Priority) -> Order {
    let form = OrderForm {
        priority,
        ..order_form(client, &[(product, qty, "10.00")])
    };
    ok(app.create_order(&form, true).await).await
}

fn breakage(quantity: &str) -> AdjustmentForm {
    AdjustmentForm {
        reason: AdjustReason::Breakage,
        ..adjustment(quantity, "dropped a pallet")
    }
}

async fn owed(app: &TestApp, id: i64) -> i64 {
    app.order(id).await.lines[0].uncovered
}

async fn short_of(app: &TestApp, product: i64) -> Vec<ShortOrder> {
    app.read(&format!("/api/orders/short?product={product}"))
        .await
}

#[tokio::test]
async fn a_loss_takes_reservations_from_the_least_urgent_and_arrivals_give_them_back() {
    let (app, client, products) = shop(&[10]).await;
    let p = products[0].id;
    let urgent = order(&app, client.id, p, 4, Priority::Urgent).await;
    let normal = order(&app, client.id, p, 3, Priority::Normal).await;
    let low = order(&app, client.id, p, 2, Priority::Low).await;
    assert_eq!(app.product(p).await.reserved, 9);

    // Five broken: on hand 5, so four units of reservations go, the low order's two first,
    // then two of the normal one's; the urgent order keeps all it holds.
    let after = ok::<sales::stock::Product>(app.adjust(p, &breakage("-5")).await).await;
    assert_eq!((after.on_hand, after.reserved), (5, 5));
    assert_eq!(owed(&app, low.id).await, 2);
    assert_eq!(owed(&app, normal.id).await, 2);
    assert_eq!(owed(&app, urgent.id).await, 0);
    assert!(app.drift().await.is_empty(), "the ledger check is clean");
    let short = short_of(&app, p).await;
    let numbers: Vec<&str> = short.iter().map(|s| s.number.as_str()).collect();
    assert_eq!(numbers, [normal.number.as_str(), low.number.as_str()]);
    let dash: sales::dashboard::Figures = app.read("/api/dashboard").await;
    assert_eq!(dash.short.len(), 2, "the dashboard lists them");
    let history: Vec<sales::audit::AuditEvent> =
        app.read(&format!("/api/orders/{}/history", low.id)).await;
    assert!(history.iter().any(|e| e.action == "order.stock_lost"));

    // What an order lost cannot be delivered; the rest can.
    let line = app.order(normal.id).await.lines[0].id;
    let res = app
        .schedule_delivery(&schedule_form(normal.id, "", &[(line, "3")]))
        .await;
    let msg = field_error(res, "lines[0].quantity").await;
    assert!(msg.contains("2 wait for stock"), "{msg}");
    ok::<Delivery>(
        app.schedule_delivery(&schedule_form(normal.id, "", &[(line, "1")]))
            .await,
    )
    .await;

    // Three arrive: the normal order (more urgent) gets its two back, the low one one.
    ok::<sales::stock::Product>(app.receive(p, &receipt("3")).await).await;
    assert_eq!(owed(&app, normal.id).await, 0);
    assert_eq!(owed(&app, low.id).await, 1);
    let now = app.product(p).await;
    assert_eq!((now.on_hand, now.reserved), (8, 8));
    assert!(app.drift().await.is_empty());

    // Cancelled, the low order is owed nothing and gives back what it holds.
    ok::<Order>(app.transition(low.id, Action::Cancel).await).await;
    assert_eq!(owed(&app, low.id).await, 0);
    assert!(short_of(&app, p).await.is_empty());
    assert_eq!(app.product(p).await.reserved, 7);
    assert!(app.drift().await.is_empty());
}

#[tokio::test]
async fn a_loss_never_takes_stock_already_on_a_delivery() {
    let (app, client, products) = shop(&[5]).await;
    let p = products[0].id;
    let o = order(&app, client.id, p, 5, Priority::Normal).await;
    let line = o.lines[0].id;
    ok::<Delivery>(
        app.schedule_delivery(&schedule_form(o.id, "", &[(line, "4")]))
            .await,
    )
    .await;
    let before = app.count::<stock_movement::Entity>().await;
    // Counted 2 on the shelf: three would have to come off the van's four.
    let res = app.adjust(p, &count("2", "shelf count")).await;
    assert_eq!(res.status(), 409);
    let msg = crate::support::api::conflict(res).await;
    assert!(msg.contains("on deliveries"), "{msg}");
    assert_eq!(app.count::<stock_movement::Entity>().await, before);
    assert_eq!(owed(&app, o.id).await, 0, "nothing written");
    // Counted 4: the one unit not on the delivery is owed.
    ok::<sales::stock::Product>(app.adjust(p, &count("4", "shelf count")).await).await;
    assert_eq!(owed(&app, o.id).await, 1);
    let now = app.product(p).await;
    assert_eq!((now.on_hand, now.reserved), (4, 4));
    // Found again on the next count: reserved for the order once more.
    ok::<sales::stock::Product>(app.adjust(p, &count("5", "found it")).await).await;
    assert_eq!(owed(&app, o.id).await, 0);
    assert_eq!(app.product(p).await.reserved, 5);
    assert!(app.drift().await.is_empty());
}

/// An order whose whole reservation was lost holds nothing: cancelling it moves no stock and
/// is still a plain cancellation (it once built an UPDATE with no CASE arm, a 500).
#[tokio::test]
async fn an_order_that_lost_all_it_held_can_be_cancelled() {
    let (app, client, products) = shop(&[2]).await;
    let p = products[0].id;
    let o = order(&app, client.id, p, 2, Priority::Normal).await;
    ok::<sales::stock::Product>(app.adjust(p, &breakage("-2")).await).await;
    assert_eq!(owed(&app, o.id).await, 2);
    let before = app.count::<stock_movement::Entity>().await;
    let cancelled = ok::<Order>(app.transition(o.id, Action::Cancel).await).await;
    assert_eq!(cancelled.status, sales::orders::OrderStatus::Cancelled);
    assert_eq!(owed(&app, o.id).await, 0, "forgiven");
    assert_eq!(
        app.count::<stock_movement::Entity>().await,
        before,
        "nothing moved"
    );
    let now = app.product(p).await;
    assert_eq!((now.on_hand, now.reserved), (0, 0));
    assert!(app.drift().await.is_empty());
}

/// Losses, receipts and cancellations of one product at once: every order's reservation plus
/// what it is owed stays its quantity, and the ledger check stays clean.
#[tokio::test]
async fn losses_arrivals_and_cancellations_racing_keep_every_order_whole() {
    let (app, client, products) = shop(&[20]).await;
    let p = products[0].id;
    let mut orders = Vec::new();
    for i in 0..10 {
        let priority = Priority::ALL[i % Priority::ALL.len()];
        orders.push(order(&app, client.id, p, 2, priority).await);
    }
    let (loss, arrival) = (breakage("-1"), receipt("1"));
    let losses = (0..8).map(|_| app.adjust(p, &loss));
    let arrivals = (0..4).map(|_| app.receive(p, &arrival));
    let cancels = orders[..3]
        .iter()
        .map(|o| app.transition(o.id, Action::Cancel));
    let (l, a, c) = futures::join!(
        futures::future::join_all(losses),
        futures::future::join_all(arrivals),
        futures::future::join_all(cancels)
    );
    for res in l.into_iter().chain(a).chain(c) {
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let now = app.product(p).await;
    assert_eq!(now.on_hand, 20 - 8 + 4);
    let mut held_total = 0;
    for o in &orders[3..] {
        let held = sales::stock::ledger::reserved_for(app.db(), o.id)
            .await
            .unwrap()
            .get(&p)
            .copied()
            .unwrap_or(0);
        held_total += held;
        assert_eq!(held + owed(&app, o.id).await, 2, "{} is whole", o.number);
    }
    for o in &orders[..3] {
        assert_eq!(
            owed(&app, o.id).await,
            0,
            "a cancelled order is owed nothing"
        );
    }
    assert_eq!(now.reserved, held_total);
    // 14 wanted by the 7 open orders, 16 on hand: nothing is owed while stock is free.
    assert!(short_of(&app, p).await.is_empty());
    assert!(app.drift().await.is_empty());
}

#[tokio::test]
async fn stock_an_order_gives_back_goes_to_the_orders_owed_it() {
    let (app, client, products) = shop(&[6]).await;
    let p = products[0].id;
    let urgent = order(&app, client.id, p, 3, Priority::Urgent).await;
    let low = order(&app, client.id, p, 3, Priority::Low).await;
    ok::<sales::stock::Product>(app.adjust(p, &breakage("-3")).await).await;
    assert_eq!(owed(&app, low.id).await, 3);
    ok::<Order>(app.transition(urgent.id, Action::Cancel).await).await;
    assert_eq!(
        owed(&app, low.id).await,
        0,
        "reserved again from what was given back"
    );
    let now = app.product(p).await;
    assert_eq!((now.on_hand, now.reserved), (3, 3));
    let history: Vec<sales::audit::AuditEvent> =
        app.read(&format!("/api/orders/{}/history", low.id)).await;
    assert!(
        history
            .iter()
            .any(|e| e.action == "order.stock_reserved_again")
    );
    assert!(app.drift().await.is_empty());
}
